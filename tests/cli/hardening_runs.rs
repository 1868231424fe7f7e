//! Issue 15: publishes and digests that meet each other or a broken
//! output; a catalogue that is empty by accident; invisible characters;
//! templates that only fail when rendered.

use std::fs::{self, File};

use crate::case::Case;
use crate::digest::spawn_send;
use crate::digest_kill::with_subscribers;
use crate::smtp::{Faults, SmtpServer};
use crate::support::expect;

const NOW: &str = "2026-11-27T00:00:00Z";

fn send(case: &Case, server: &SmtpServer, extra: &[&str]) -> crate::case::Run {
    let mut args = vec!["digest", "--since", "2020-01-01", "--now", NOW, "--send"];
    args.extend_from_slice(extra);
    case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
}

/// A catalogue whose first entries file gets one more entry.
fn add_an_entry(case: &Case) {
    let path = case.path().join("entries/presentations.toml");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n[[entry]]\nid = \"one-more\"\ntitle = \"One more talk\"\nurl = \"https://example.org/more\"\n\
         added = 2026-11-20\n",
    );
    fs::write(path, text).unwrap();
}

// A directory where a file goes failed the publish after 401 of 410
// renames, leaving old and new feeds mixed.
#[test]
fn a_folder_in_the_way_fails_the_publish_before_anything_is_replaced() {
    let case = Case::example();
    case.run(&["publish"]).ok();
    fs::remove_file(case.path().join("public/rss.xml")).unwrap();
    fs::create_dir_all(case.path().join("public/rss.xml/keep")).unwrap();
    let before = case.tree("public");
    add_an_entry(&case);
    let run = case.run(&["publish"]);
    expect(
        &run,
        1,
        "error: cannot publish ./public/rss.xml: a folder is in the way; move it away and publish \
         again (nothing was replaced)\n",
    );
    assert!(case.tree("public") == before, "the output is as it was");
}

// Two publishes into one folder: one deleted the other's staged files.
#[test]
fn a_second_publish_into_the_same_folder_is_refused() {
    let case = Case::example();
    case.run(&["publish"]).ok();
    let before = case.tree("public");
    add_an_entry(&case);
    // The lock a running publish holds: an flock on the output folder.
    let held = File::open(case.path().join("public")).unwrap();
    held.try_lock().unwrap();
    let run = case.run(&["publish"]);
    expect(
        &run,
        1,
        "error: another `oyez publish` is writing into ./public; wait for it to finish (two at \
         once would mix their files)\n",
    );
    assert!(
        case.tree("public") == before,
        "the refused run wrote nothing"
    );
    drop(held);
    case.run(&["publish"]).ok();
    let names: Vec<String> = case.tree("public").into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().all(|n| !n.contains(".oyez")), "{names:?}");
}

#[test]
fn the_catalogue_folder_is_no_output_folder() {
    let case = Case::example().file("README.md", "the maintainer's own\n");
    for out in [".", ".."] {
        let run = case.run(&["publish", "--out", out]);
        expect(
            &run,
            1,
            &format!(
                "error: --out {out} is the catalogue folder or holds it, and publishing would \
                 replace the catalogue's own files (such as README.md); publish into a folder of \
                 its own, such as the default ./public\n"
            ),
        );
    }
    assert_eq!(case.read("README.md"), "the maintainer's own\n");
}

#[test]
fn a_catalogue_without_entries_is_published_only_when_it_says_so() {
    let case = Case::new();
    let problem = "no entries: entries/ is missing, not a folder, or holds no .toml file; add \
                   entries under entries/ (`oyez add`), or, if the catalogue is empty on purpose, \
                   write `empty = true` under [site] in oyez.toml";
    let run = case.run(&["publish"]);
    expect(
        &run,
        1,
        &format!("error: {problem}\nthe catalogue has 1 problem\n"),
    );
    assert!(!case.path().join("public").exists());
    let run = case.run(&["check"]);
    expect(&run, 0, &format!("warning: {problem}\n"));
    let config = crate::case::CONFIG.replace("[site]\n", "[site]\nempty = true\n");
    let case = Case::empty().file("oyez.toml", config);
    case.run(&["publish"]).ok();
}

// `check` said ok for a template that `publish` then failed on.
#[test]
fn check_renders_every_template() {
    let case = Case::example().file("templates/list.md", "{{ no_such_thing.field }}\n");
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("error: templates/list.md:1: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn invisible_characters_are_warned_where_they_are_and_refused_in_subjects() {
    let config = fs::read_to_string(crate::case::repo_root().join("oyez.toml")).unwrap();
    let config = config.replacen("title", "title = \"\u{202e}gnp.exe\"\n# title", 1);
    let case = Case::example().file("oyez.toml", config);
    let warning = "warning: oyez.toml:9:10: invisible character U+202E here; it can make text \
                   read differently from what it says; remove it\n";
    let refusal = "error: `[digest] subject` holds an invisible character (such as U+202E or \
                   U+200B) that can make it read differently; remove it from the template or the \
                   titles it shows\n";
    // `check` renders the digest too, so it refuses the subject as well.
    expect(&case.run(&["check"]), 1, &format!("{warning}{refusal}"));
    let run = case.run(&["digest", "--since", "2020-01-01", "--now", NOW]);
    expect(&run, 1, &format!("{warning}{refusal}"));
}

// Two catalogue folders sharing one ledger file both sent: every
// subscriber mailed twice, the ledger then corrupt.
#[cfg(unix)]
#[test]
fn a_ledger_shared_by_two_catalogues_is_locked_as_one_file() {
    let server = SmtpServer::start(Faults {
        hold: Some(1),
        ..Faults::default()
    });
    let first = with_subscribers(3);
    let second = with_subscribers(3);
    fs::create_dir_all(first.path().join(".oyez")).unwrap();
    fs::write(first.path().join(".oyez/digests.ledger"), "").unwrap();
    fs::create_dir_all(second.path().join(".oyez")).unwrap();
    fs::hard_link(
        first.path().join(".oyez/digests.ledger"),
        second.path().join(".oyez/digests.ledger"),
    )
    .unwrap();
    let mut running = spawn_send(&first, &server);
    server.wait_until_holding();
    let refused = send(&second, &server, &[]);
    server.release();
    assert!(running.wait().unwrap().success());
    expect(
        &refused,
        1,
        "error: another `oyez digest` is sending with this ledger (./.oyez/digests.ledger is locked); \
         wait for it to finish\n",
    );
    assert_eq!(server.received().len(), 3);
    // A symbolic link to another catalogue's ledger leads outside this one.
    let third = with_subscribers(3);
    fs::create_dir_all(third.path().join(".oyez")).unwrap();
    std::os::unix::fs::symlink(
        first.path().join(".oyez/digests.ledger"),
        third.path().join(".oyez/digests.ledger"),
    )
    .unwrap();
    let run = send(&third, &server, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: .oyez/digests.ledger: this file lies outside")
    );
    assert_eq!(server.received().len(), 3);
    // The lock is the ledger itself: no lock file is left behind.
    assert!(!first.path().join(".oyez/digests.ledger.lock").exists());
}

// The guard used to look for public/digests/, which a fresh clone (CI)
// never has: the state records every digest sent (issue 19).
#[test]
fn a_lost_ledger_is_refused_from_the_state_even_without_published_pages() {
    let server = SmtpServer::start(Faults::default());
    let case = Case::example();
    send(&case, &server, &[]).ok();
    assert!(!case.path().join("public").exists());
    fs::remove_file(case.path().join(".oyez/digests.ledger")).unwrap();
    let run = send(&case, &server, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: ./.oyez/digests.ledger lacks digest 2026-11-27, which .oyez/digests records as sent"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(server.received().len(), 1);
    send(&case, &server, &["--force"]).ok();
    assert_eq!(server.received().len(), 2);
}
