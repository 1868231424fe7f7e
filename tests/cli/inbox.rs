//! Per-recipient return paths and `oyez inbox` (issue 21 §2): every
//! subscriber's copy goes out with its own envelope sender, and the
//! requests, bounces and complaints a mailbox receives are applied once.

use std::fs;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::case::{BIN, Case, Run};
use crate::inbox_mail::{arf, deliver, dsn, request};
use crate::smtp::{Faults, SmtpServer};

const NOW: &str = "2026-11-27T00:00:00Z";
const SECRET: &str = "s3cret";
const FILE: &str = "# readers\nreader001@example.net\nReader Two <reader002@example.net>  \
    categories=presentations\nreader003@example.net\nreader004@example.net  # since 2020\n\
    reader005@example.net  consent=2026-01-02\n";

fn case() -> Case {
    let leave = (
        "\"mailto:platform-digest-leave@lists.example.org\"",
        "\"mailto:leave+{{ token }}@example.org?subject=unsubscribe\"",
    );
    Case::example_with_subscribers(FILE, &[leave])
}

/// The 32-digit token of `address` under [`SECRET`].
fn token(address: &str) -> String {
    oyez::digest::unsubscribe::short_token(SECRET.as_bytes(), address)
}

/// The return path of `address`'s copies.
fn return_path(address: &str) -> String {
    format!("digest+bounce-{}@example.org", token(address))
}

/// Runs `oyez inbox` with `OYEZ_FAULT=FAULT` and kills it where it pauses.
fn kill_at(case: &Case, server: Option<&SmtpServer>, fault: &str) {
    let dir = case.path().join("mail");
    let mut command = Command::new(BIN);
    command
        .args(["inbox", "--now", "2026-12-01T09:00:00Z"])
        .current_dir(case.path())
        .env("OYEZ_INBOX_URL", format!("maildir:{}", dir.display()))
        .env("OYEZ_UNSUBSCRIBE_SECRET", SECRET)
        .env("OYEZ_FAULT", fault)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(server) = server {
        command.env("OYEZ_SMTP_URL", server.url());
    }
    let mut child = command.spawn().unwrap();
    let wanted = format!("oyez: fault injection: paused at {fault}");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    assert!(
        stderr.lines().any(|l| l.is_ok_and(|l| l == wanted)),
        "the run ended before pausing at {fault}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

fn send(case: &Case, server: &SmtpServer) -> Run {
    let args = ["digest", "--now", NOW, "--since", "2020-01-01", "--send"];
    let env = [
        ("OYEZ_SMTP_URL", server.url()),
        ("OYEZ_UNSUBSCRIBE_SECRET", SECRET.to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    case.run_with(&args, &env)
}

#[test]
fn each_copy_goes_out_with_a_return_path_that_names_its_recipient() {
    let case = case();
    let server = SmtpServer::start(Faults::default());
    let run = send(&case, &server);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let mut senders: Vec<(String, String)> = server
        .received()
        .into_iter()
        .map(|mail| (mail.to[0].clone(), mail.from))
        .collect();
    senders.sort();
    let want: Vec<(String, String)> = [
        "reader001",
        "reader002",
        "reader003",
        "reader004",
        "reader005",
    ]
    .iter()
    .map(|who| {
        let address = format!("{who}@example.net");
        let from = format!("digest+bounce-{}@example.org", token(&address));
        (address, from)
    })
    .collect();
    assert_eq!(senders, want);
    for (_, from) in &senders {
        assert!(from.split('@').next().unwrap().len() <= 64);
    }
}

#[test]
fn without_a_secret_the_return_path_is_the_from_address() {
    let case = Case::example();
    let server = SmtpServer::start(Faults::default());
    let args = ["digest", "--now", NOW, "--since", "2020-01-01", "--send"];
    let run = case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let received = server.received();
    assert_eq!(received.len(), 1, "one copy, to the list");
    assert_eq!(received[0].from, "digest@example.org");
}

fn inbox(case: &Case, server: Option<&SmtpServer>) -> Run {
    let maildir = case.path().join("mail");
    let url = format!("maildir:{}", maildir.display());
    let mut env = vec![
        ("OYEZ_INBOX_URL", url),
        ("OYEZ_UNSUBSCRIBE_SECRET", SECRET.to_owned()),
    ];
    if let Some(server) = server {
        env.push(("OYEZ_SMTP_URL", server.url()));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    case.run_with(&["inbox", "--now", "2026-12-01T09:00:00Z"], &env)
}

/// The files left in the Maildir's new/ folder.
fn left(case: &Case) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(case.path().join("mail/new"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The state and the subscribers file, to see that a run changed nothing.
fn snapshot(case: &Case) -> Vec<(String, Vec<u8>)> {
    let mut all = case.tree(".oyez");
    all.push((
        "subscribers.txt".into(),
        fs::read(case.path().join("subscribers.txt")).unwrap(),
    ));
    all
}

/// Bounce, complaint, both kinds of unsubscribe, a category change and
/// a message for nobody, then a subscribe request and its confirmation.
fn mailbox(case: &Case) {
    let dir = case.path().join("mail");
    let bounce_to = return_path("reader001@example.net");
    deliver(
        &dir,
        "1.dsn",
        // The report names the address the copy was forwarded to; the
        // return path names the subscriber.
        &dsn("b1", &bounce_to, "forwarded@mx.example.com", "5.1.1"),
    );
    deliver(&dir, "2.arf", &arf("c1", "reader002@example.net"));
    let leave = format!("leave+{}@example.org", token("reader003@example.net"));
    deliver(
        &dir,
        "3.token",
        &request("u1", "Someone <other@example.com>", &leave, "unsubscribe"),
    );
    let plain = [
        ("4.plain", "u2", "reader004@example.net", "Re: unsubscribe"),
        (
            "5.categories",
            "k1",
            "reader005@example.net",
            "categories=articles",
        ),
        ("6.hello", "h1", "friend@example.com", "Hello there"),
        (
            "7.subscribe",
            "s1",
            "New Reader <new@example.com>",
            "subscribe categories=presentations",
        ),
    ];
    for (name, id, from, subject) in plain {
        deliver(
            &dir,
            name,
            &request(id, from, "digest@example.org", subject),
        );
    }
}

#[test]
fn the_inbox_applies_bounces_complaints_unsubscribes_and_double_opt_in_once() {
    let case = case();
    mailbox(&case);
    let server = SmtpServer::start(Faults::default());
    let run = inbox(&case, Some(&server));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("hard-bounce: reader001@example.net suppressed: 5.1.1"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("complaint: reader002@example.net suppressed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("unsubscribed: reader003@example.net"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("unsubscribed: reader004@example.net"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("7 messages: 6 applied, 1 left in the mailbox"),
        "{}",
        run.stdout
    );
    assert_eq!(left(&case), ["6.hello"]);
    let suppressed = case.read(".oyez/suppressed");
    for (who, reason, evidence) in [
        (
            "reader001",
            "hard-bounce",
            "5.1.1 smtp; 550 5.1.1 <forwarded@mx.example.com>",
        ),
        ("reader002", "complaint", "<c1@isp.example.com>"),
        ("reader003", "unsubscribed", "<u1@example.net>"),
        ("reader004", "unsubscribed", "<u2@example.net>"),
    ] {
        let line = suppressed
            .lines()
            .find(|l| l.contains(&format!("\"{who}@")))
            .unwrap_or_default();
        assert!(
            line.contains(&format!("\"reason\":\"{reason}\"")),
            "{who}: {suppressed}"
        );
        assert!(line.contains(evidence), "{who}: {line}");
        assert!(line.contains("\"date\":\"2026-12-01\""), "{line}");
    }
    let file = case.read("subscribers.txt");
    assert!(
        !file.contains("reader003") && !file.contains("reader004"),
        "{file}"
    );
    assert!(
        file.contains("reader005@example.net  categories=articles  consent=2026-01-02\n"),
        "{file}"
    );
    // The confirmation went out; writing to its Reply-To confirms.
    let sent = server.received();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, ["new@example.com"]);
    let text = sent[0].text();
    let reply_to = text
        .lines()
        .find_map(|l| l.strip_prefix("Reply-To: "))
        .unwrap()
        .to_owned();
    assert!(
        reply_to.starts_with("digest+confirm-") && reply_to.len() <= 64 + 12,
        "{reply_to}"
    );
    assert!(!file.contains("new@example.com"), "not before confirming");
    let dir = case.path().join("mail");
    deliver(
        &dir,
        "8.confirm",
        &request(
            "y1",
            "New Reader <new@example.com>",
            &reply_to,
            "Re: Confirm your subscription",
        ),
    );
    // An auto-responder's reply confirms nothing.
    let away = request("a1", "new@example.com", &reply_to, "Out of office");
    deliver(
        &dir,
        "8.away",
        &format!("Auto-Submitted: auto-replied\r\n{away}"),
    );
    let run = inbox(&case, Some(&server));
    assert!(
        run.stdout
            .contains("left in the mailbox: <a1@example.net>: an automatic reply"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("subscribed: new@example.com (confirmed by <y1@example.net>)"),
        "{}",
        run.stdout
    );
    let file = case.read("subscribers.txt");
    assert!(
        file.ends_with(
            "New Reader <new@example.com>  categories=presentations  consent=2026-12-01\n"
        ),
        "{file}"
    );
    let consent = case.read(".oyez/consent");
    assert!(consent.contains(r#"{"address":"new@example.com","when":"2026-12-01T09:00:00Z","how":"double opt-in by mail: asked by <s1@example.net>, confirmed","message":"<y1@example.net>"}"#), "{consent}");
    let export = case.run(&["subscribers", "export"]).ok().stdout;
    assert!(
        export.contains(
            "new@example.com,New Reader,presentations,2026-12-01,subscribed,2026-12-01T09:00:00Z,"
        ),
        "{export}"
    );
    // A second run changes nothing and sends nothing.
    let before = snapshot(&case);
    let again = inbox(&case, Some(&server));
    assert!(
        again
            .stdout
            .contains("2 messages: 0 applied, 2 left in the mailbox"),
        "{}",
        again.stdout
    );
    assert_eq!(snapshot(&case), before);
    assert_eq!(server.received().len(), 1);
    // The next digest mails neither the suppressed nor those who left.
    let digest = SmtpServer::start(Faults::default());
    send(&case, &digest).ok();
    let mut mailed: Vec<String> = digest.received().into_iter().flat_map(|m| m.to).collect();
    mailed.sort();
    assert_eq!(mailed, ["new@example.com", "reader005@example.net"]);
}

#[test]
fn a_run_killed_after_the_confirmation_went_out_never_sends_it_again() {
    if !cfg!(debug_assertions) {
        return; // fault injection exists in debug builds only
    }
    let case = case();
    let dir = case.path().join("mail");
    let subscribe = request("s1", "new@example.com", "digest@example.org", "subscribe");
    deliver(&dir, "1.subscribe", &subscribe);
    let server = SmtpServer::start(Faults::default());
    kill_at(
        &case,
        Some(&server),
        "inbox-before-confirmation-recorded:new@example.com",
    );
    assert_eq!(
        server.received().len(),
        1,
        "the server has the confirmation"
    );
    assert_eq!(left(&case), ["1.subscribe"], "the request is still there");
    let run = inbox(&case, Some(&server));
    assert!(run.stdout.contains("unconfirmed: a run stopped on 2026-12-01 while sending the confirmation to new@example.com"), "{}", run.stdout);
    assert!(run.stdout.contains("1 unconfirmed"), "{}", run.stdout);
    assert_eq!(server.received().len(), 1, "never sent twice");
    assert!(left(&case).is_empty());
    // Its token still confirms.
    let reply_to = server.received()[0]
        .text()
        .lines()
        .find_map(|l| l.strip_prefix("Reply-To: ").map(str::to_owned))
        .unwrap();
    deliver(
        &dir,
        "2.confirm",
        &request("y1", "new@example.com", &reply_to, "yes"),
    );
    let run = inbox(&case, Some(&server));
    assert!(
        run.stdout.contains("subscribed: new@example.com"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_message_that_cannot_be_read_is_left_and_reported() {
    let case = case();
    let dir = case.path().join("mail");
    deliver(&dir, "1.big", "");
    fs::write(dir.join("new/1.big"), vec![b'x'; 17 * 1024 * 1024]).unwrap();
    let run = inbox(&case, None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "left unread in the mailbox: message new/1.big: this file is larger than 16 MiB"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(left(&case), ["1.big"]);
}

#[test]
fn a_run_killed_before_deleting_an_applied_message_does_not_apply_it_again() {
    if !cfg!(debug_assertions) {
        return; // fault injection exists in debug builds only
    }
    let case = case();
    let dir = case.path().join("mail");
    let dsn_to = return_path("reader002@example.net");
    // A permanent failure other than 5.1.x: counted once per digest, so
    // a second application would show as a second count.
    deliver(
        &dir,
        "1.dsn",
        &dsn("b2", &dsn_to, "reader002@example.net", "5.7.1"),
    );
    kill_at(&case, None, "inbox-before-delete:<b2@mx.example.net>");
    assert_eq!(left(&case), ["1.dsn"], "killed before the delete");
    let counted = case.read(".oyez/suppressed");
    assert!(
        counted.contains(r#""failing":"reader002@example.net","digests":["2026-11-27"]"#),
        "{counted}"
    );
    let run = inbox(&case, None);
    assert!(
        run.stdout.contains("1 message: 0 applied"),
        "{}",
        run.stdout
    );
    assert!(left(&case).is_empty(), "deleted now");
    assert_eq!(case.read(".oyez/suppressed"), counted, "not applied again");
}
