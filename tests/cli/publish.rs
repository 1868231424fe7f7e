//! What `oyez publish` does to the output folder: the same bytes every time
//! and from any copy of the catalogue, nothing touched when the catalogue
//! or the templates are bad, a clear error when the folder cannot be
//! written, and no stale temporary files.

use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::case::Case;
use crate::support::expect;

/// Every file under `dir` with its bytes and modification time.
fn snapshot(case: &Case, dir: &str) -> Vec<(String, Vec<u8>, SystemTime)> {
    case.tree(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let modified = fs::metadata(case.path().join(dir).join(&path))
                .and_then(|m| m.modified())
                .expect("mtime");
            (path, bytes, modified)
        })
        .collect()
}

const EXPECTED_FILES: &[&str] = &[
    "atom.xml",
    "categories/books/atom.xml",
    "categories/books/rss.xml",
    "categories/talks/atom.xml",
    "categories/talks/rss.xml",
    "feed.json",
    "index.html",
    "rss.xml",
    "updates/atom.xml",
    "updates/rss.xml",
];

#[test]
fn publish_writes_every_file_and_republish_is_byte_identical_and_untouched() {
    let case = Case::fixture("feeds");
    let first = case.run(&["publish"]).ok();
    let count = case.tree("public").len();
    assert_eq!(
        first.stdout,
        format!("published 5 entries to ./public: {count} files written, 0 unchanged\n")
    );
    let before = snapshot(&case, "public");
    // FORMAT.md's files, all there (other modules may add more, such as archives).
    let paths: Vec<&str> = before.iter().map(|(path, _, _)| path.as_str()).collect();
    let missing: Vec<&&str> = EXPECTED_FILES
        .iter()
        .filter(|p| !paths.contains(p))
        .collect();
    assert_eq!(missing, Vec::<&&str>::new());
    let second = case.run(&["publish"]).ok();
    assert_eq!(
        second.stdout,
        format!("published 5 entries to ./public: 0 files written, {count} unchanged\n")
    );
    // Same bytes and same mtimes: nothing was rewritten.
    assert_eq!(snapshot(&case, "public"), before);
}

#[test]
fn example_catalogue_republishes_byte_identically() {
    let case = Case::example();
    case.run(&["publish"]).ok();
    let first = case.tree("public");
    fs::remove_dir_all(case.path().join("public")).expect("remove public");
    case.run(&["publish"]).ok();
    assert_eq!(case.tree("public"), first);
}

/// Copies `from` into a new case, creating files in reverse order with
/// scattered modification times.
fn shuffled_copy(from: &Case) -> Case {
    let mut files: Vec<String> = from
        .tree("")
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| !path.starts_with("public"))
        .collect();
    files.reverse();
    let mut copy = Case::empty();
    for (index, path) in files.iter().enumerate() {
        copy = copy.file(path, fs::read(from.path().join(path)).expect("read"));
        let when =
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000 + 7_777 * index as u64);
        File::options()
            .write(true)
            .open(copy.path().join(path))
            .and_then(|file| file.set_modified(when))
            .expect("set mtime");
    }
    copy
}

#[test]
fn a_copy_with_other_creation_order_and_mtimes_publishes_the_same_bytes() {
    for original in [Case::fixture("feeds"), Case::example()] {
        original.run(&["publish"]).ok();
        let copy = shuffled_copy(&original);
        copy.run(&["publish"]).ok();
        let (a, b) = (original.tree("public"), copy.tree("public"));
        assert_eq!(a.len(), b.len());
        for ((path_a, bytes_a), (path_b, bytes_b)) in a.iter().zip(&b) {
            assert_eq!(path_a, path_b);
            assert!(bytes_a == bytes_b, "{path_a} differs between the copies");
        }
    }
}

#[test]
fn a_failed_publish_leaves_the_previous_output_untouched() {
    let case = Case::fixture("feeds");
    case.run(&["publish"]).ok();
    let before = snapshot(&case, "public");
    let broken = case.file(
        "entries/zz-broken.toml",
        "category = \"talks\"\n\n[[entry]]\ntitle = \"New\"\nurl = \"javascript:alert(1)\"\nadded = 2022-01-01\n",
    );
    let run = broken.run(&["publish"]);
    expect(
        &run,
        1,
        "
        error: entries/zz-broken.toml:5:7: `url` has scheme `javascript:`; write an absolute http:// or https:// URL such as https://example.org/page
        the catalogue has 1 problem
        ",
    );
    assert_eq!(run.stdout, "");
    assert_eq!(snapshot(&broken, "public"), before);
}

#[test]
fn a_broken_template_leaves_the_previous_output_untouched() {
    let case = Case::fixture("feeds");
    case.run(&["publish"]).ok();
    let before = snapshot(&case, "public");
    // A new entry too, so the archive pages (which need no template) would
    // change: they must not be written either.
    let broken = case
        .file(
            "templates/index.html",
            "<h1>{{ site.title }}</h1>\n{{ site.missing }}\n",
        )
        .file(
            "entries/extra.toml",
            "[[entry]]\ntitle = \"Extra\"\nurl = \"https://extra.example/\"\nadded = 2030-01-01\ncategory = \"talks\"\n",
        );
    let run = broken.run(&["publish"]);
    expect(
        &run,
        1,
        "
        warning: entries/talks.toml:8:17: unknown contributor `@carol`; credited as written; add [contributors.carol] to oyez.toml to give a name and link
        error: templates/index.html:2: undefined value: `site.missing` is undefined; fix the template or delete it to use the built-in one
        ",
    );
    assert_eq!(snapshot(&broken, "public"), before);
}

#[test]
fn publishing_under_a_regular_file_fails_clearly_and_leaves_nothing() {
    let case = Case::fixture("feeds").file("blocker", "I am a file\n");
    let before = case.tree("");
    let run = case.run(&["publish", "--out", "blocker/public"]);
    expect(
        &run,
        1,
        "
        warning: entries/talks.toml:8:17: unknown contributor `@carol`; credited as written; add [contributors.carol] to oyez.toml to give a name and link
        error: cannot write into blocker: it is a file, not a folder; move it away or publish elsewhere with --out
        ",
    );
    assert_eq!(case.tree(""), before, "nothing was created or changed");
    let run = case.run(&["publish", "--out", "blocker"]);
    expect(
        &run,
        1,
        "
        warning: entries/talks.toml:8:17: unknown contributor `@carol`; credited as written; add [contributors.carol] to oyez.toml to give a name and link
        error: cannot write into blocker: it is a file, not a folder; move it away or publish elsewhere with --out
        ",
    );
    assert_eq!(case.tree(""), before);
}

#[test]
fn a_category_folder_that_is_a_file_fails_clearly_without_temp_files() {
    let case = Case::fixture("feeds").file("public/categories/talks", "squatter\n");
    let run = case.run(&["publish"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "warning: entries/talks.toml:8:17: unknown contributor `@carol`; credited as written; add [contributors.carol] to oyez.toml to give a name and link",
            "error: cannot write ./public/categories/talks/atom.xml",
        ]
    );
    // The cause is the OS's (EEXIST or ENOTDIR, by how the folder is made),
    // but never the name of a temporary file.
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(
        lines[2].starts_with("  caused by: ") && !lines[2].contains(".oyez-"),
        "{}",
        lines[2]
    );
    let leftovers: Vec<String> = case
        .tree("public")
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.contains(".oyez-"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

#[test]
fn stale_temp_files_of_a_killed_publish_are_removed_and_other_files_kept() {
    let case = Case::fixture("feeds")
        .file("public/.oyez-AbC123", "half a feed")
        .file("public/categories/talks/.oyez-zzz", "<feed")
        .file("public/deep/er/.oyez-q", "anywhere under the output")
        .file("public/extra.txt", "kept\n")
        .file("public/.oyez-dir/inner", "a folder is not a temp file\n");
    case.run(&["publish"]).ok();
    let reference = Case::fixture("feeds");
    reference.run(&["publish"]).ok();
    let mut wanted: Vec<String> = reference
        .tree("public")
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    wanted.extend([".oyez-dir/inner".to_owned(), "extra.txt".to_owned()]);
    wanted.sort_unstable();
    let paths: Vec<String> = case.tree("public").into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, wanted);
}

#[test]
fn out_may_be_a_new_nested_folder_outside_the_catalogue() {
    let case = Case::fixture("feeds");
    let out = tempfile::tempdir().expect("temp dir");
    let target = out.path().join("a/b/site");
    let target_text = target.to_string_lossy().into_owned();
    let run = case.run(&["publish", "--out", &target_text]).ok();
    case.run(&["publish"]).ok();
    let published = case.tree("public");
    assert_eq!(
        run.stdout,
        format!(
            "published 5 entries to {target_text}: {} files written, 0 unchanged\n",
            published.len()
        )
    );
    for (path, bytes) in &published {
        assert_eq!(
            &fs::read(Path::new(&target).join(path)).expect("read"),
            bytes,
            "{path}"
        );
    }
}
