//! The ledger over time (issue 19): a finished digest is compacted to one
//! line that does not grow with the list, a kill while compacting loses
//! nothing, and a sent digest's page stays as it was sent whatever
//! happens to the catalogue later.

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use oyez::digest::ledger::Status;

use crate::case::{BIN, Case};
use crate::digest_kill::{address, copies, parsed, with_subscribers};
use crate::smtp::{Faults, SmtpServer};

const NOW: &str = "2026-11-27T00:00:00Z";

fn send(case: &Case, server: &SmtpServer, extra: &[&str]) -> crate::case::Run {
    let mut args = vec!["digest", "--now", NOW, "--send"];
    args.extend_from_slice(extra);
    case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
}

fn ledger_text(case: &Case) -> String {
    fs::read_to_string(case.path().join(".oyez/digests.ledger")).unwrap()
}

#[test]
fn a_finished_digest_is_one_line_whatever_the_size_of_the_list() {
    let mut sizes = Vec::new();
    for count in [3, 300] {
        let server = SmtpServer::start(Faults::default());
        let case = with_subscribers(count);
        send(&case, &server, &["--since", "2020-01-01"]).ok();
        let text = ledger_text(&case);
        assert_eq!(text.lines().count(), 1, "{count}: {text}");
        let digest = parsed(&case).last().unwrap().clone();
        assert_eq!(digest.count(Status::Accepted), count);
        assert!((1..=count).all(|n| digest.status(&address(n)) == Status::Accepted));
        assert_eq!(copies(&server).len(), count);
        sizes.push(text.len());
    }
    // Only the counts differ: `"recipients":3` or 300, `"accepted":3` or 300.
    assert_eq!(sizes[1] - sizes[0], 4, "{sizes:?}");
}

/// Sends to three subscribers and SIGKILLs the run at compaction step `step`.
fn kill_while_compacting(step: &str) -> (Case, SmtpServer) {
    let server = SmtpServer::start(Faults::default());
    let case = with_subscribers(3);
    let mut child = Command::new(BIN)
        .args(["digest", "--since", "2020-01-01", "--now", NOW, "--send"])
        .current_dir(case.path())
        .env("OYEZ_SMTP_URL", server.url())
        .env("OYEZ_FAULT", format!("{step}:digests.ledger"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let wanted = format!("oyez: fault injection: paused at {step}:digests.ledger");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let reached = stderr.lines().any(|line| line.is_ok_and(|l| l == wanted));
    assert!(reached, "{step}: the run ended before pausing");
    child.kill().unwrap();
    child.wait().unwrap();
    (case, server)
}

#[test]
fn a_kill_while_compacting_leaves_the_old_or_the_new_ledger_and_loses_nothing() {
    if !cfg!(debug_assertions) {
        return; // fault injection exists in debug builds only
    }
    // Before the rename the old ledger is in place: the digest line, then
    // `attempting` and `accepted` for each of three; after it, the new one.
    for (step, lines) in [("before-compact-rename", 7), ("after-compact-rename", 1)] {
        let (case, server) = kill_while_compacting(step);
        assert_eq!(ledger_text(&case).lines().count(), lines, "{step}");
        let digest = parsed(&case).last().unwrap().clone();
        assert!((1..=3).all(|n| digest.status(&address(n)) == Status::Accepted));
        let again = send(&case, &server, &[]).ok();
        assert_eq!(
            again.stdout,
            "nothing new since 2026-11-27T00:00:00Z (the end of the last digest); nothing sent\n",
            "{step}"
        );
        let received = copies(&server);
        assert_eq!(received.len(), 3, "{step}");
        assert!(received.values().all(|&n| n == 1), "{step}: {received:?}");
        // The next run finished the compaction and left nothing beside it.
        assert_eq!(ledger_text(&case).lines().count(), 1, "{step}");
        assert_eq!(parsed(&case).last().unwrap().count(Status::Accepted), 3);
        assert!(
            !case
                .path()
                .join(".oyez/.digests.ledger.compacting")
                .exists()
        );
    }
}

const DELETED: &str = "[[entry]]
id       = \"product-for-internal-platforms\"
title    = \"Product for Internal Platforms\"
url      = \"https://skamille.medium.com/product-for-internal-platforms-9205c3a08142\"
added    = 2020-08-17
authors  = [\"Camille Fournier\"]
language = \"en\"
summary  = \"Medium, 2020.\"

";

/// The ledger without its frozen copies, as oyez wrote it before them.
fn unfrozen(ledger: &str) -> String {
    let lines = ledger.lines().map(|line| {
        let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
        record.as_object_mut().unwrap().remove("frozen");
        record.to_string() + "\n"
    });
    lines.collect()
}

// Issue 19 §4: the page of a sent digest is rendered from what it carried
// when it was sent, not from today's catalogue.
#[test]
fn a_sent_digest_page_keeps_its_bytes_when_its_entries_are_deleted_or_redated() {
    let server = SmtpServer::start(Faults::default());
    let case = Case::example();
    send(&case, &server, &["--since", "2020-01-01"]).ok();
    case.run(&["publish"]).ok();
    let (page, feed) = ("public/digests/2026-11-27.html", "public/digests/atom.xml");
    let (sent_page, sent_feed) = (case.read(page), case.read(feed));
    assert!(sent_page.contains("Product for Internal Platforms"));
    assert!(sent_page.contains("32 new resources"));
    assert!(sent_page.contains("dated 2020-08-17 to 2021-02-07"));
    // Without the frozen copy the same page comes from the catalogue.
    let ledger = case.read(".oyez/digests.ledger");
    let case = case.file(".oyez/digests.ledger", unfrozen(&ledger));
    case.run(&["publish"]).ok();
    assert_eq!(case.read(page), sent_page, "frozen and live pages agree");

    let articles = case.read("entries/articles.toml");
    assert!(articles.contains(DELETED));
    let presentations = case.read("entries/presentations.toml");
    let redated = presentations.replace("added    = 2020-12-11", "added    = 2021-03-01");
    assert_ne!(redated, presentations);
    let case = case
        .file("entries/articles.toml", articles.replace(DELETED, ""))
        .file("entries/presentations.toml", redated);
    // A ledger from before frozen copies: the page follows the catalogue.
    case.run(&["publish"]).ok();
    let live = case.read(page);
    assert!(!live.contains("Product for Internal Platforms"), "{live}");
    assert!(live.contains("31 new resources"), "{live}");
    assert!(live.contains("dated 2020-08-17 to 2021-03-01"), "{live}");
    // With the frozen copy: the page and the feed are as sent, to the byte.
    let case = case.file(".oyez/digests.ledger", &ledger);
    case.run(&["publish"]).ok();
    assert_eq!(case.read(page), sent_page);
    assert_eq!(case.read(feed), sent_feed);
}
