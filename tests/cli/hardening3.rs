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

// An entries file linked into .git/ (or the state folder, .oyez/) could
// echo a line of it in an error.
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
    let case = Case::new()
        .file("entries/a.toml", "category = \"talks\"\n")
        .file(".oyez/notes.toml", "category = \"SECRET_abc123\"\n");
    symlink("../.oyez/notes.toml", &case.path().join("entries/b.toml"));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/b.toml: this file resolves into .oyez/; oyez's own state is no catalogue \
         file: point the link elsewhere\nthe catalogue has 1 problem\n",
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
            "published 32 entries to out\\nerror: forged\\u{1b}[2J: 29 files written, 0 \
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

/// `oyez.toml` with `count` categories, each under the one before it when
/// `chain`, and one entry.
fn with_categories(count: usize, chain: bool) -> Case {
    let mut config = String::from("[site]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n");
    for i in 0..count {
        config.push_str(&format!(
            "[[category]]\nslug = \"c{i}\"\ntitle = \"C {i}\"\n"
        ));
        if chain && i > 0 {
            config.push_str(&format!("parent = \"c{}\"\n", i - 1));
        }
    }
    Case::empty().file("oyez.toml", config).file(
        "entries/a.toml",
        "[[entry]]\ntitle = \"A\"\nadded = 2020-01-01\ncategory = \"c0\"\n",
    )
}

// A 12,000-deep `parent` chain passed `check` and overflowed the stack of
// `publish` (exit 134). Speed is measured in benches/publish.rs.
#[test]
fn a_deep_category_chain_is_reported_where_it_goes_too_deep() {
    let case = with_categories(12_000, true);
    let too_deep = "oyez.toml:42:10: category `c9` would sit 9 levels deep, more than 8; \
                    put `c9` under a category nearer the top\n";
    let too_many = "error: oyez.toml:4004:8: 12000 categories are declared, more than 1000; merge \
                    categories, or use tags for finer groups\n";
    for command in ["check", "publish"] {
        let run = run_bounded(&case, &[command]).expect("no hang");
        expect(
            &run,
            1,
            &format!("{too_many}{too_deep}the catalogue has 2 problems\n"),
        );
    }
    // As deep as allowed: published, the page nests it.
    let case = with_categories(9, true);
    case.run(&["publish"]).ok();
    assert_eq!(
        case.read("public/index.html").matches("id=\"c8\"").count(),
        1
    );
}

// 80,000 categories took 22 s to check (quadratic), and each unknown
// parent listed every slug.
#[test]
fn a_wide_category_set_is_refused_at_the_first_one_too_many() {
    let case = with_categories(1_001, false).file(
        "entries/b.toml",
        "[[entry]]\ntitle = \"B\"\nadded = 2020-01-01\ncategory = \"nope\"\n",
    );
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: oyez.toml:3005:8: 1001 categories are declared, more than 1000; merge \
         categories, or use tags for finer groups\nthe catalogue has 1 problem\n",
    );
    let case = with_categories(1_000, false).file(
        "entries/b.toml",
        "[[entry]]\ntitle = \"B\"\nadded = 2020-01-01\ncategory = \"nope\"\n",
    );
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/b.toml:4:12: unknown category `nope`; known: c0, c1, c2, c3, c4, c5, c6, \
         c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19 and 980 more; add it to \
         oyez.toml or fix the entry\nthe catalogue has 1 problem\n",
    );
}

// `publish --out templates` was accepted: the published index.html then
// overrode the page template and froze the page.
#[cfg(unix)]
#[test]
fn an_output_folder_in_the_catalogues_sources_is_refused() {
    let case = Case::example().file("templates/list.md", "{{ site.title }}\n");
    symlink("templates", &case.path().join("tpl"));
    let cases = [
        ("templates", "templates"),
        ("entries", "entries"),
        ("entries/new/deeper", "entries"),
        ("public/../templates/x", "templates"),
        ("tpl", "templates"),
        ("./.git", ".git"),
    ];
    for (out, folder) in cases {
        let run = run_bounded(&case, &["publish", "--out", out]).expect("no hang");
        expect(
            &run,
            1,
            &format!(
                "error: --out {out} is, holds or lies inside the catalogue's {folder}/ folder, \
                 and published files there would be read back as the catalogue's own (a \
                 published index.html overriding the page template); publish into a folder of \
                 its own, such as the default ./public\n"
            ),
        );
    }
    assert!(!case.path().join("templates/index.html").exists());
    assert!(!case.path().join("entries/new").exists());
    case.run(&["publish", "--out", "site/public"]).ok();
}

// A symbolic link to a folder inside `entries/` was skipped without a
// word: its entries left every feed, exit 0.
#[cfg(unix)]
#[test]
fn a_linked_entries_folder_is_read_inside_the_catalogue_and_refused_outside() {
    let entry = "category = \"talks\"\n[[entry]]\ntitle = \"Shared\"\nurl = \
                 \"https://example.org/shared\"\nadded = 2020-01-01\n";
    let case = Case::new()
        .file("entries/a.toml", "category = \"talks\"\n")
        .file("shared/b.toml", entry);
    symlink("../shared", &case.path().join("entries/shared"));
    let run = case.run(&["check"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "ok: 1 entry in 2 categories, 0 updates\n"),
        "{}",
        run.stderr
    );

    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("c.toml"), entry).unwrap();
    let case = Case::new().file("entries/a.toml", "category = \"talks\"\n");
    symlink(outside.path(), &case.path().join("entries/far"));
    symlink("..", &case.path().join("entries/sub/loop"));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/far: this link leads to a folder outside the catalogue folder; copy the \
         folder in, or move its files here\n\
         entries/sub/loop: this link leads to a folder it sits in; remove the link: its entries \
         are read once\n\
         the catalogue has 2 problems\n",
    );
}

// `https://user:password@host/` as base_url, hub, unsubscribe or entry URL
// was copied into every output file and mail.
#[test]
fn credentials_in_urls_are_refused_where_they_are_written_and_never_shown() {
    let config = "[site]\ntitle = \"T\"\nbase_url = \"https://jane:hunter2@example.org/\"\n\n\
                  [[category]]\nslug = \"talks\"\ntitle = \"Talks\"\n\n\
                  [feeds]\nhub = [\"https://bot:hunter2@hub.example.org/\"]\n\n\
                  [digest]\nfrom = \"list@example.org\"\nto = \"all@example.org\"\n\
                  unsubscribe = \"https://jane:hunter2@example.org/leave\"\n";
    let entry = "category = \"talks\"\n[[entry]]\ntitle = \"A\"\nurl = \
                 \"https://x:hunter2@example.org/a\"\nadded = 2020-01-01\n";
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/a.toml", entry);
    let run = run_bounded(&case, &["check"]).expect("no hang");
    let help = "which would be published; remove them from the URL (and change the password if \
                it was ever published)";
    expect(
        &run,
        1,
        &format!(
            "error: oyez.toml:3:12: `base_url` holds a user name or password (`user:password@`), \
             {help}\n\
             oyez.toml:10:7: `hub` holds a user name or password (`user:password@`), {help}\n\
             oyez.toml:15:15: `unsubscribe` holds a user name or password (`user:password@`), \
             {help}\n\
             entries/a.toml:4:7: `url` holds a user name or password (`user:password@`), {help}\n\
             the catalogue has 4 problems\n"
        ),
    );
    let case = Case::new().file("entries/a.toml", entry);
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        &format!(
            "error: entries/a.toml:4:7: `url` holds a user name or password (`user:password@`), \
             {help}\nthe catalogue has 1 problem\n"
        ),
    );
}

// A dotted key or table header of 100+ segments gave `error: recursion
// limit; fix the TOML syntax`, naming no file.
#[test]
fn a_key_nested_too_deep_is_reported_in_its_file_and_line() {
    let key = format!("a{}", ".a".repeat(150));
    let case = Case::new()
        .file(
            "entries/a.toml",
            format!("category = \"talks\"\n\n{key} = 1\n"),
        )
        .file("entries/b.toml", format!("category = \"talks\"\n[{key}]\n"));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/a.toml:3:1: recursion limit; nest keys, tables and values less deeply\n\
         entries/b.toml:2:1: recursion limit; nest keys, tables and values less deeply\n\
         the catalogue has 2 problems\n",
    );
    let case = Case::new()
        .file("oyez.toml", format!("{}[{key}]\n", crate::case::CONFIG))
        .file("entries/a.toml", "category = \"talks\"\n");
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: oyez.toml:17:1: recursion limit; nest keys, tables and values less deeply\n\
         the catalogue has 1 problem\n",
    );
}

// `check` did not read the subscribers file: a broken one passed `check`
// and failed `digest`. The documented `address  # comment` was refused.
#[test]
fn check_reads_the_subscribers_file_and_its_comments() {
    let case = with_subscribers(2).file(
        "subscribers.txt",
        "reader001@example.net  # since 2024\nnot an address\n",
    );
    let run = run_bounded(&case, &["check"]).expect("no hang");
    let digest =
        run_bounded(&case, &["digest", "--since", "2020-01-01", "--now", NOW]).expect("no hang");
    let problem = digest.stderr.lines().next().unwrap().to_owned();
    assert!(
        problem.starts_with("error: subscribers.txt:2: \"not an address\" is not a mail address"),
        "{problem}"
    );
    expect(
        &run,
        1,
        &format!("{problem}\nthe catalogue has 1 problem\n"),
    );
    let case = with_subscribers(2).file("subscribers.txt", "reader001@example.net  # 2024\n");
    case.run(&["check"]).ok();
}

// The oversize message for `oyez.toml` said to split it under entries/.
#[test]
fn an_oversized_oyez_toml_is_not_told_to_move_under_entries() {
    let case = Case::new().file("entries/a.toml", "category = \"talks\"\n");
    let file = fs::OpenOptions::new()
        .append(true)
        .open(case.path().join("oyez.toml"))
        .unwrap();
    file.set_len(16 * 1024 * 1024 + 1).unwrap();
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: oyez.toml: this file is larger than 16 MiB; the site, its categories and \
         contributors need far less: check that this is the right file\nthe catalogue has 1 \
         problem\n",
    );
}

// An entry with an unknown category hid its duplicate URL.
#[test]
fn an_entry_with_an_unknown_category_is_still_checked_for_duplicates() {
    let entry = |category: &str| {
        format!(
            "[[entry]]\ntitle = \"T\"\nurl = \"https://example.org/same\"\nadded = \
             2020-01-01\ncategory = \"{category}\"\n"
        )
    };
    let case = Case::new()
        .file("entries/a.toml", entry("talks"))
        .file("entries/b.toml", entry("nope"));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/b.toml:5:12: unknown category `nope`; known: talks, books; add it to \
         oyez.toml or fix the entry\n\
         entries/b.toml:2:9: the URL https://example.org/same is already listed at \
         entries/a.toml:2:9; list each resource once (remove or merge the duplicate)\n\
         the catalogue has 2 problems\n",
    );
}

fn mkfifo(path: &Path) -> bool {
    let _ = fs::remove_file(path);
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

// The link cache and the files of the previous publish were opened
// directly: a FIFO there hung `check --links` and `publish`, `/dev/zero`
// grew memory.
#[cfg(unix)]
#[test]
fn a_fifo_or_dev_zero_as_link_cache_or_old_output_neither_hangs_nor_grows() {
    let case = Case::new().file(
        "entries/a.toml",
        "category = \"talks\"\n[[entry]]\ntitle = \"A\"\nid = \"a\"\nadded = 2020-01-01\n",
    );
    let cache = case.path().join("oyez-links.cache");
    let args = ["check", "--links", "--cache-days", "1"];
    if mkfifo(&cache) {
        let run = run_bounded(&case, &args).expect("no hang");
        expect(
            &run,
            1,
            "error: oyez-links.cache: this is not a regular file but a FIFO; replace it with a \
             plain file\n",
        );
    }
    symlink("/dev/zero", &cache);
    let run = run_bounded(&case, &args).expect("no hang");
    expect(
        &run,
        1,
        "error: oyez-links.cache: this file lies outside the catalogue folder; oyez reads only \
         files inside the catalogue folder (symbolic links included): copy the file in\n",
    );

    let clean = Case::example();
    clean.run(&["publish"]).ok();
    let expected = clean.tree("public");
    for place in ["public/atom.xml", "public/index.html", "public/README.md"] {
        for special in ["fifo", "/dev/zero"] {
            let case = Case::example();
            case.run(&["publish"]).ok();
            let path = case.path().join(place);
            if special == "fifo" {
                if !mkfifo(&path) {
                    continue;
                }
            } else {
                symlink(special, &path);
            }
            let run = run_bounded(&case, &["publish"]).expect("no hang");
            assert_eq!(run.code, 0, "{place} as {special}: {}", run.stderr);
            assert!(
                case.tree("public") == expected,
                "{place} as {special}: the publish is whole again"
            );
            assert!(fs::symlink_metadata(&path).unwrap().is_file(), "{place}");
        }
    }
}

// Any error in oyez.toml (an unknown key, a syntax slip) hid every problem
// of the entries, duplicates included.
#[test]
fn an_error_in_oyez_toml_hides_no_problem_of_the_entries() {
    let entry = "category = \"talks\"\n[[entry]]\ntitle = \"T\"\nurl = \
                 \"https://example.org/same\"\nadded = 2020-01-01\nby = [\"@nobody\"]\n";
    let bad = "[[entry]]\ntitle = \"U\"\nurl = \"ftp://example.org/u\"\nadded = 2020-01-01\n";
    let broken = [
        (
            format!("colour = \"red\"\n{}", crate::case::CONFIG),
            "oyez.toml:1:1: unknown field `colour`, expected one of `site`, `category`, \
             `contributors`, `feeds`, `digest`, `list`, `strings`; fix the spelling or remove the key (see \
             FORMAT.md)",
        ),
        (
            crate::case::CONFIG.replace("title = \"Talks\"", "title = \"Talks"),
            "oyez.toml:8:15: invalid basic string, expected `\"`; fix the TOML syntax",
        ),
    ];
    for (config, problem) in broken {
        let case = Case::empty()
            .file("oyez.toml", config)
            .file("entries/a.toml", format!("{entry}{bad}"))
            .file("entries/b.toml", entry);
        let run = run_bounded(&case, &["check"]).expect("no hang");
        expect(
            &run,
            1,
            &format!(
                "error: {problem}\n\
                 entries/a.toml:9:7: `url` has scheme `ftp:`; write an absolute http:// or \
                 https:// URL such as https://example.org/page\n\
                 entries/b.toml:3:9: the URL https://example.org/same is already listed at \
                 entries/a.toml:3:9; list each resource once (remove or merge the duplicate)\n\
                 the catalogue has 3 problems\n"
            ),
        );
    }
}
