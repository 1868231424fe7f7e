//! `oyez subscribers` and `.oyez/suppressed` (issue 21): suppressed
//! addresses are never mailed (new digests and resumes), a "no such user"
//! refusal suppresses at once and the run ends well, and every change to
//! the subscribers file keeps its other lines.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use oyez::digest::ledger::{Ledger, Status};

use crate::case::{Case, Run};
use crate::smtp::{Faults, SmtpServer};
use crate::support::expect;

const NOW: &str = "2026-11-27T00:00:00Z";
const FILE: &str = "# readers, kept by hand\n\nreader001@example.net  # since 2020\n\
    Reader Two <reader002@example.net>  categories=presentations\n# the third\n\
    reader003@example.net\n";

fn case() -> Case {
    Case::example_with_subscribers(FILE, &[])
}

fn send(case: &Case, server: &SmtpServer, extra: &[&str]) -> Run {
    let mut args = vec!["digest", "--now", NOW, "--since", "2020-01-01", "--send"];
    args.extend_from_slice(extra);
    case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
}

/// Every address the server received a message for.
fn mailed(server: &SmtpServer) -> Vec<String> {
    let mut to: Vec<String> = server.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    to
}

fn status(case: &Case, address: &str) -> Status {
    let ledger = Ledger::read(&case.path().join(".oyez/digests.ledger")).unwrap();
    ledger.last().unwrap().status(address)
}

fn suppressed_lines(dir: &Path) -> Vec<String> {
    let text = fs::read_to_string(dir.join(".oyez/suppressed")).unwrap();
    text.lines().skip(1).map(str::to_owned).collect()
}

fn readers(numbers: &[u32]) -> Vec<String> {
    numbers
        .iter()
        .map(|n| format!("reader{n:03}@example.net"))
        .collect()
}

#[test]
fn a_suppressed_address_is_not_mailed_whatever_the_subscribers_file_says() {
    let case = case();
    let args = [
        "subscribers",
        "suppress",
        "READER002@example.net",
        "--reason",
        "complaint",
        "--evidence",
        "<abuse-1@example.net>",
        "--date",
        "2026-11-20",
    ];
    let run = case.run(&args).ok();
    assert_eq!(
        run.stdout,
        "suppressed READER002@example.net: no digest mails it; commit .oyez/suppressed\n"
    );
    assert_eq!(case.read("subscribers.txt"), FILE, "the file is untouched");
    let server = SmtpServer::start(Faults::default());
    let run = send(&case, &server, &[]);
    expect(
        &run,
        0,
        "note: 1 address of the recipients suppressed in .oyez/suppressed: not mailed\n",
    );
    assert_eq!(mailed(&server), readers(&[1, 3]));
}

#[test]
fn a_suppressed_recipient_of_a_resumed_digest_is_not_mailed_and_is_recorded() {
    let case = case();
    let server = SmtpServer::start(Faults::default());
    send(&case, &server, &["--claim", "--run-id", "r1"]).ok();
    assert!(server.received().is_empty());
    case.run(&["subscribers", "suppress", "reader003@example.net"])
        .ok();
    let run = send(&case, &server, &["--run-id", "r1"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(mailed(&server), readers(&[1, 2]));
    assert_eq!(status(&case, "reader003@example.net"), Status::Failed);
    let ledger = case.read(".oyez/digests.ledger");
    assert!(
        ledger.contains(r#""reply":"suppressed (by-hand, .oyez/suppressed) before it was sent""#),
        "{ledger}"
    );
    case.run(&["subscribers", "unsuppress", "reader003@example.net"])
        .ok();
    let again = send(&case, &server, &["--run-id", "r2"]).ok();
    assert!(
        again.stdout.starts_with("nothing new since"),
        "{}",
        again.stdout
    );
    assert_eq!(
        mailed(&server),
        readers(&[1, 2]),
        "lifting it mails nothing again"
    );
}

#[test]
fn a_no_such_user_refusal_suppresses_the_address_and_the_run_succeeds() {
    let case = case();
    let server = SmtpServer::start(Faults {
        reject_with: vec![(
            "reader002@example.net".into(),
            550,
            "5.1.1 <reader002@example.net>: Recipient address rejected: User unknown".into(),
        )],
        ..Faults::default()
    });
    let run = send(&case, &server, &[]);
    let reply = "permanent error (550): 5.1.1 <reader002@example.net>: Recipient address \
                 rejected: User unknown";
    expect(
        &run,
        0,
        &format!(
            "suppressed: reader002@example.net: {reply}; recorded in .oyez/suppressed \
             (hard-bounce), no digest mails it again: commit it\n"
        ),
    );
    let last: Vec<&str> = run.stdout.lines().rev().take(2).collect();
    assert_eq!(
        last,
        [
            "every failure was an address now suppressed (1 address): the digest is done",
            "digest 2026-11-27 via smtp://127.0.0.1:PORT: 2 accepted, 1 failed, 0 deferred, 0 unconfirmed"
                .replace("PORT", &server.port.to_string())
                .as_str(),
        ]
    );
    assert_eq!(
        suppressed_lines(case.path()),
        [format!(
            r#"{{"address":"reader002@example.net","reason":"hard-bounce","date":"2026-11-27","evidence":"{reply}"}}"#
        )]
    );
}

#[test]
fn another_permanent_refusal_fails_the_run_and_is_counted() {
    let case = case();
    let server = SmtpServer::start(Faults {
        reject: vec!["reader001@example.net".into()],
        ..Faults::default()
    });
    let run = send(&case, &server, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        suppressed_lines(case.path()),
        [
            r#"{"failing":"reader001@example.net","digests":["2026-11-27"],"evidence":"permanent error (550): Mailbox unavailable"}"#
        ]
    );
}

#[test]
fn add_remove_and_suppress_keep_the_comments_and_order_of_the_file() {
    let case = case();
    let add = case
        .run(&[
            "subscribers",
            "add",
            "Ada Lovelace <ada@example.org>",
            "--categories",
            "articles,presentations",
            "--consent",
            "2026-11-01",
        ])
        .ok();
    assert_eq!(
        add.stdout,
        "added to subscribers.txt: Ada Lovelace <ada@example.org>  \
         categories=articles,presentations  consent=2026-11-01\n"
    );
    let remove = case
        .run(&[
            "subscribers",
            "remove",
            "Reader002@Example.net",
            "--date",
            "2026-11-21",
        ])
        .ok();
    assert_eq!(
        remove.stdout,
        "removed Reader002@Example.net from subscribers.txt (line 4) and suppressed it \
         (unsubscribed): commit both\n"
    );
    assert_eq!(
        case.read("subscribers.txt"),
        "# readers, kept by hand\n\nreader001@example.net  # since 2020\n# the third\n\
         reader003@example.net\nAda Lovelace <ada@example.org>  \
         categories=articles,presentations  consent=2026-11-01\n"
    );
    let again = case.run(&["subscribers", "add", "reader002@example.net"]);
    expect(
        &again,
        1,
        "error: reader002@example.net is suppressed since 2026-11-21 (unsubscribed: oyez \
         subscribers remove); if they asked to come back, run `oyez subscribers unsuppress \
         reader002@example.net` first\n",
    );
    let twice = case.run(&["subscribers", "add", "READER001@example.net"]);
    expect(
        &twice,
        1,
        "error: subscribers.txt:3: READER001@example.net is already listed; edit that line \
         to change it\n",
    );
    let list = case.run(&["subscribers", "list"]).ok();
    assert_eq!(
        list.stdout,
        "reader001@example.net  all  subscribed\n\
         reader003@example.net  all  subscribed\n\
         ada@example.org        presentations,articles  subscribed\n\
         Reader002@Example.net  -  suppressed: unsubscribed since 2026-11-21, not listed\n\
         subscribers.txt: 3 mailed, 1 suppressed (.oyez/suppressed)\n"
    );
}

#[test]
fn a_csv_export_is_imported_with_consent_dates_and_exported_back() {
    let case = case().file(
        "old-list.csv",
        "\u{feff}Email Address,First Name,Last Name,OPTIN_TIME\r\n\
         ada@example.org,Ada,Lovelace,2024-05-06 10:11:12\r\n\
         \"grace@example.org\",\"Grace \"\"Amazing\"\"\",Hopper,2023-01-02T03:04:05Z\r\n\
         reader001@example.net,,,\r\n",
    );
    let run = case.run(&["subscribers", "import", "old-list.csv"]).ok();
    assert_eq!(
        run.stdout,
        "imported old-list.csv into subscribers.txt: 2 added, 1 already listed, 0 suppressed\n"
    );
    assert_eq!(
        case.read("subscribers.txt"),
        format!(
            "{FILE}Ada Lovelace <ada@example.org>  consent=2024-05-06\n\
             \"Grace \\\"Amazing\\\" Hopper\" <grace@example.org>  consent=2023-01-02\n"
        )
    );
    let export = case.run(&["subscribers", "export"]).ok();
    assert_eq!(
        export.stdout,
        "email,name,categories,consent,status,consent_when,consent_how,consent_message\r\n\
         reader001@example.net,,,,subscribed,,,\r\n\
         reader002@example.net,Reader Two,presentations,,subscribed,,,\r\n\
         reader003@example.net,,,,subscribed,,,\r\n\
         ada@example.org,Ada Lovelace,,2024-05-06,subscribed,,,\r\n\
         grace@example.org,\"Grace \"\"Amazing\"\" Hopper\",,2023-01-02,subscribed,,,\r\n"
    );
}

#[test]
fn a_bad_csv_row_is_named_by_line_and_nothing_is_imported() {
    let case = case().file(
        "bad.csv",
        "email,consent date\nok@example.org,2024-01-01\nnot an address,\nx@example.org,yesterday\n",
    );
    let run = case.run(&["subscribers", "import", "bad.csv"]);
    expect(
        &run,
        1,
        "error: bad.csv:3: \"not an address\" is not a mail address (Missing domain or user); \
         fix or remove the row\n\
         bad.csv:4: consent date \"yesterday\" is not a date; write YYYY-MM-DD\n\
         nothing was changed; fix these lines first\n",
    );
    assert_eq!(case.read("subscribers.txt"), FILE);
}

#[test]
fn re_importing_an_old_file_does_not_mail_the_people_who_left() {
    let case = case().file(
        "old.csv",
        "email\nreader001@example.net\nreader002@example.net\nreader003@example.net\n",
    );
    case.run(&["subscribers", "remove", "reader002@example.net"])
        .ok();
    let run = case.run(&["subscribers", "import", "old.csv"]).ok();
    assert_eq!(
        run.stdout.lines().next().map(|l| l.split(" (").next()),
        Some(Some("not added: reader002@example.net is suppressed"))
    );
    let server = SmtpServer::start(Faults::default());
    send(&case, &server, &[]).ok();
    assert_eq!(mailed(&server), readers(&[1, 3]));
}

#[test]
fn a_reader_removed_and_added_back_is_not_mailed_the_digest_again() {
    let case = case();
    let server = SmtpServer::start(Faults::default());
    send(&case, &server, &[]).ok();
    case.run(&["subscribers", "remove", "reader001@example.net"])
        .ok();
    case.run(&["subscribers", "unsuppress", "reader001@example.net"])
        .ok();
    case.run(&["subscribers", "add", "reader001@example.net"])
        .ok();
    let again = send(&case, &server, &[]).ok();
    assert!(
        again.stdout.starts_with("nothing new since"),
        "{}",
        again.stdout
    );
    let once: BTreeSet<String> = mailed(&server).into_iter().collect();
    assert_eq!(mailed(&server).len(), once.len(), "nobody got two copies");
}

#[test]
fn another_permanent_refusal_suppresses_at_the_third_digest_in_a_row() {
    let mut case = case();
    let server = SmtpServer::start(Faults {
        reject: vec!["reader001@example.net".into()],
        ..Faults::default()
    });
    assert_eq!(send(&case, &server, &[]).code, 1);
    let url = server.url();
    let mut codes = Vec::new();
    for (day, now) in [(1, "2026-12-02T00:00:00Z"), (8, "2026-12-09T00:00:00Z")] {
        case = case.file(
            &format!("entries/new-{day}.toml"),
            format!(
                "category = \"other\"\n[[entry]]\ntitle = \"New {day}\"\n\
                 url = \"https://example.org/new-{day}\"\nadded = 2026-12-{day:02}\n"
            ),
        );
        let run = case.run_with(
            &["digest", "--now", now, "--send"],
            &[("OYEZ_SMTP_URL", &url)],
        );
        codes.push(run.code);
    }
    assert_eq!(
        codes,
        [1, 0],
        "the third refusal suppresses, and the run ends well"
    );
    assert_eq!(
        suppressed_lines(case.path()),
        [
            r#"{"address":"reader001@example.net","reason":"hard-bounce","date":"2026-12-09","evidence":"permanent error (550): Mailbox unavailable (refused by 3 digests in a row: 2026-11-27, 2026-12-02, 2026-12-09)"}"#
        ]
    );
}
