//! Issue 20: private files behind templates, text from outside printed
//! raw, category bombs, `--out` into sources, symlinked entries folders,
//! credentials in URLs, and the smaller ones. Stalled mail servers are in
//! `smtp_hostile.rs`.

use std::fs;
use std::path::Path;

use crate::case::Case;
use crate::corpus::run_bounded;
use crate::digest_kill::with_subscribers;
use crate::support::expect;

const NOW: &str = "2026-11-27T00:00:00Z";

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    let _ = fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).unwrap();
}

const GIT_CONFIG: &str = "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic \
                          SECRET_abc123\n";

// `templates/index.html -> ../.git/config` published the checkout's
// credentials; `-> ../subscribers.txt` every subscriber's address.
#[cfg(unix)]
#[test]
fn templates_linked_to_private_files_of_the_catalogue_publish_nothing() {
    let outside_templates = "this template resolves outside templates/; a template is published \
                             as it is, so it must be a file inside templates/ (symbolic links \
                             included): copy the file in";
    let private = "this file resolves into .git/; oyez never reads git's own files: point the \
                   link elsewhere";
    let places = [
        ("templates/index.html", "../.git/config", private),
        (
            "templates/index.html",
            "../subscribers.txt",
            outside_templates,
        ),
        ("templates/list.md", "../digests.ledger", outside_templates),
        (
            "templates/feed.xsl",
            "../subscribers.txt",
            outside_templates,
        ),
    ];
    for (template, target, problem) in places {
        let case = with_subscribers(2).file(".git/config", GIT_CONFIG);
        fs::write(case.path().join("digests.ledger"), "").unwrap();
        symlink(target, &case.path().join(template));
        let run = run_bounded(&case, &["publish"]).expect("no hang");
        expect(&run, 1, &format!("error: {template}: {problem}\n"));
        assert!(
            !case.path().join("public").exists(),
            "{template}: nothing written"
        );
    }
    // A link to another template stays fine.
    let case = Case::example().file("templates/page.html", "<p>{{ site.title }}</p>\n");
    symlink("page.html", &case.path().join("templates/index.html"));
    case.run(&["publish"]).ok();
    assert_eq!(
        case.read("public/index.html"),
        "<p>Platform as a Product</p>\n"
    );
}

// An entries file linked into .git/ could echo a line of it in an error.
#[cfg(unix)]
#[test]
fn an_entries_file_linked_into_git_is_refused_unread() {
    let case = Case::new()
        .file("entries/a.toml", "category = \"talks\"\n")
        .file(".git/config", "category = \"SECRET_abc123\"\n");
    symlink("../.git/config", &case.path().join("entries/b.toml"));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/b.toml: this file resolves into .git/; oyez never reads git's own files: \
         point the link elsewhere\nthe catalogue has 1 problem\n",
    );
}

// `published … to DIR` and `wrote … to DIR` printed a folder name with a
// line break or an escape sequence raw.
#[cfg(unix)]
#[test]
fn folder_names_in_printed_lines_are_escaped() {
    let case = Case::example();
    let out = "out\nerror: forged\u{1b}[2J";
    let run = case.run(&["publish", "--out", out]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            "published 32 entries to out\\nerror: forged\\u{1b}[2J: 16 files written, 0 \
             unchanged\n"
        ),
        "{}",
        run.stderr
    );
    let run = case.run(&[
        "digest",
        "--since",
        "2020-01-01",
        "--now",
        NOW,
        "--out",
        out,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().rev().nth(1),
        Some("wrote 1 message to out\\nerror: forged\\u{1b}[2J"),
        "{}",
        run.stdout
    );
}
