//! Issue 15: special files, symbolic links out of the catalogue, hostile
//! names, a folder in the publish's way, concurrent runs, a lost ledger.
//! Misbehaving SMTP servers are in `smtp_hostile.rs`.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::case::Case;
use crate::corpus::run_bounded;
use crate::digest_kill::with_subscribers;
use crate::support::expect;

const NOW: &str = "2026-11-27T00:00:00Z";
const PREVIEW: &[&str] = &["digest", "--since", "2020-01-01", "--now", NOW];
const OUTSIDE: &str = "this file lies outside the catalogue folder; oyez reads only files inside \
                       the catalogue folder (symbolic links included): copy the file in";
const FIFO: &str = "this is not a regular file but a FIFO; replace it with a plain file";

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

// A FIFO used to hang `digest` and `publish` for ever, and `/dev/zero` as
// a template grew oyez to gigabytes.
#[cfg(unix)]
#[test]
fn special_files_as_ledger_template_or_subscribers_are_refused_without_hanging() {
    let places: [(&str, &[&str], &str); 3] = [
        (".oyez/digests.ledger", PREVIEW, ""),
        ("templates/index.html", &["publish"], ""),
        (
            "subscribers.txt",
            PREVIEW,
            "nothing was sent; fix the recipients first\n",
        ),
    ];
    for (place, args, after) in places {
        for special in ["/dev/zero", "/dev/full", "fifo"] {
            let case = with_subscribers(2);
            let path = case.path().join(place);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let problem = if special == "fifo" {
                let _ = fs::remove_file(&path);
                if !mkfifo(&path) {
                    continue; // no mkfifo here
                }
                FIFO
            } else {
                let _ = fs::remove_file(&path);
                symlink(special, &path);
                OUTSIDE
            };
            let run = run_bounded(&case, args).expect("no hang");
            expect(&run, 1, &format!("error: {place}: {problem}\n{after}"));
        }
    }
}

// A ledger of NUL bytes (no newline) read as one torn line: an empty ledger.
#[test]
fn a_ledger_of_nul_bytes_is_corrupt_and_a_huge_one_is_refused_unread() {
    let case = with_subscribers(2);
    fs::create_dir_all(case.path().join(".oyez")).unwrap();
    fs::write(case.path().join(".oyez/digests.ledger"), vec![0u8; 1 << 20]).unwrap();
    let run = run_bounded(&case, PREVIEW).expect("no hang");
    expect(
        &run,
        1,
        "error: ./.oyez/digests.ledger:1: not a ledger record, nor the start of one; the ledger is \
         corrupt and oyez will not guess what was sent: restore it (for example `git checkout -- \
         ./.oyez/digests.ledger`) or fix that line by hand\n",
    );
    // Sparse: 512 MiB and one byte of nothing, never read.
    fs::create_dir_all(case.path().join(".oyez")).unwrap();
    let file = fs::File::create(case.path().join(".oyez/digests.ledger")).unwrap();
    file.set_len(512 * 1024 * 1024 + 1).unwrap();
    let run = run_bounded(&case, PREVIEW).expect("no hang");
    expect(
        &run,
        1,
        "error: .oyez/digests.ledger: this file is larger than 512 MiB; move it away (keep it: it \
         records what was sent) and start a new ledger with --since\n",
    );
}

// `templates/index.html` linked to /etc/passwd was published verbatim.
#[cfg(unix)]
#[test]
fn a_template_linked_outside_the_catalogue_publishes_nothing() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::write(secret.path(), "SECRET_TOKEN_abc123\n").unwrap();
    let case = Case::example();
    symlink(secret.path(), &case.path().join("templates/index.html"));
    let run = run_bounded(&case, &["publish"]).expect("no hang");
    expect(
        &run,
        1,
        &format!("error: templates/index.html: {OUTSIDE}\n"),
    );
    assert!(!case.path().join("public").exists(), "nothing written");
}

// An entries file linked from outside had its values echoed in errors.
#[cfg(unix)]
#[test]
fn an_entries_file_linked_outside_is_refused_and_its_values_never_shown() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::write(secret.path(), "category = \"SECRET_TOKEN_abc123\"\n").unwrap();
    let case = Case::new().file("entries/a.toml", "category = \"talks\"\n");
    symlink(secret.path(), &case.path().join("entries/b.toml"));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        &format!("error: entries/b.toml: {OUTSIDE}\nthe catalogue has 1 problem\n"),
    );
}

// These used to say `cannot read the catalogue in DIR` and `No such file
// or directory`, naming no path.
#[cfg(unix)]
#[test]
fn dangling_links_locked_folders_and_deep_trees_are_named() {
    let case = Case::new().file("entries/a.toml", "category = \"talks\"\n");
    symlink("nowhere.toml", &case.path().join("entries/gone.toml"));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/gone.toml: this symbolic link leads to a missing file; remove the link or \
         restore the file it points to\nthe catalogue has 1 problem\n",
    );

    let deep = "d/".repeat(40);
    let case = Case::new().file(&format!("entries/{deep}a.toml"), "category = \"talks\"\n");
    let run = run_bounded(&case, &["check"]).expect("no hang");
    let shown = format!("entries/{}", "d/".repeat(33));
    expect(
        &run,
        1,
        &format!(
            "error: {}: folders nest more than 32 levels deep here; keep entries in a shallower \
             tree\nthe catalogue has 1 problem\n",
            shown.trim_end_matches('/')
        ),
    );

    use std::os::unix::fs::PermissionsExt;
    let case = Case::new().file("entries/locked/a.toml", "category = \"talks\"\n");
    let locked = case.path().join("entries/locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_err() {
        // Not root: the permission holds.
        let run = run_bounded(&case, &["check"]).expect("no hang");
        expect(
            &run,
            1,
            "error: entries/locked: this folder cannot be listed (Permission denied (os error \
             13)); give oyez permission to read it\nthe catalogue has 1 problem\n",
        );
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

// File names and values with line breaks or escape sequences forged
// `error:` lines and coloured the terminal.
#[cfg(unix)]
#[test]
fn control_characters_in_names_and_values_are_escaped() {
    let case = Case::new().file(
        "entries/a\nerror: forged\u{1b}[31m.toml",
        "category = \"x\\u001b[2J\\nerror: fake\"\n",
    );
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "error: entries/a\\nerror: forged\\u{1b}[31m.toml:1:12: unknown category \
         `x\\u{1b}[2J\\nerror: fake`; known: talks, books; add it to oyez.toml or fix the entry\n\
         the catalogue has 1 problem\n",
    );
}
