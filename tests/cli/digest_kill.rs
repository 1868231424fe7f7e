//! Crash safety of `oyez digest --send` (issue 6.4): SIGKILL at each step
//! of the send loop, at chosen recipients, against the real SMTP server in
//! `smtp.rs`; then a resume, and a check of every recipient against the
//! server's mailbox and the ledger.
//!
//! The kill lands where the sender is blocked, so each point is exact:
//! the server pauses at EHLO (connecting, or reconnecting after a 421),
//! MAIL, RCPT, inside the data, or after the final dot (stored, no reply
//! yet); the two points inside the client (session open but `attempting`
//! not written; 250 read but `accepted` not written) use the debug-build
//! fault injection `OYEZ_FAULT` (`src/digest/fault.rs`).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use oyez::digest::ledger::{Ledger, Status};

use crate::case::{BIN, Case};
use crate::smtp::{Faults, SmtpServer, Step};

const NOW: &str = "2026-11-27T00:00:00Z";

/// Where the sender is when it is killed, for recipient k.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Point {
    /// Opening the first connection (k = 1): nothing attempted yet.
    Connect,
    /// Message k got a 421 and was deferred; reconnecting before the retry.
    Reconnect,
    /// Session open, `attempting` for k not yet written (fault injection).
    BeforeAttempting,
    /// `attempting` on disk; the server has MAIL FROM, unanswered.
    Mail,
    /// The server has RCPT TO, unanswered.
    Rcpt,
    /// The message data is on its way; the server has read one line.
    Data,
    /// The server stored the message and has not answered the final dot.
    Dot,
    /// The client has read the 250; `accepted` not yet written (fault injection).
    BeforeAccepted,
}

pub(crate) const POINTS: [Point; 8] = [
    Point::Connect,
    Point::Reconnect,
    Point::BeforeAttempting,
    Point::Mail,
    Point::Rcpt,
    Point::Data,
    Point::Dot,
    Point::BeforeAccepted,
];

impl Point {
    pub(crate) fn faults(self, k: usize) -> Faults {
        let pause = match self {
            Self::Connect => Some((Step::Ehlo, 1)),
            Self::Reconnect => Some((Step::Ehlo, 2)),
            Self::Mail => Some((Step::Mail, k)),
            Self::Rcpt => Some((Step::Rcpt, k)),
            Self::Data => Some((Step::Data, k)),
            Self::Dot => Some((Step::Dot, k)),
            Self::BeforeAttempting | Self::BeforeAccepted => None,
        };
        let close = if self == Self::Reconnect {
            vec![k]
        } else {
            Vec::new()
        };
        Faults {
            pause,
            close,
            ..Faults::default()
        }
    }

    pub(crate) fn injected(self) -> Option<&'static str> {
        match self {
            Self::BeforeAttempting => Some("before-attempting"),
            Self::BeforeAccepted => Some("before-accepted"),
            _ => None,
        }
    }

    /// Whether recipient k is left `attempting` (unconfirmed) by the kill.
    pub(crate) fn leaves_unconfirmed(self) -> bool {
        matches!(
            self,
            Self::Mail | Self::Rcpt | Self::Data | Self::Dot | Self::BeforeAccepted
        )
    }

    /// The copies an unconfirmed recipient may hold after the kill.
    pub(crate) fn unconfirmed_copies(self) -> std::ops::RangeInclusive<usize> {
        match self {
            Self::Mail | Self::Rcpt => 0..=0,
            // The whole message was written before the kill; the server may
            // still read it to the final dot from its socket buffer.
            Self::Data => 0..=1,
            _ => 1..=1,
        }
    }
}

/// What the sweep found, summed over its kills.
#[derive(Debug, Default)]
pub(crate) struct Figures {
    pub(crate) kills: usize,
    pub(crate) duplicates: usize,
    pub(crate) losses: usize,
    pub(crate) unconfirmed: usize,
    pub(crate) unconfirmed_with_copy: usize,
}

pub(crate) fn address(n: usize) -> String {
    format!("reader{n:03}@example.net")
}

/// The example catalogue mailing `count` subscribers, one message each.
pub(crate) fn with_subscribers(count: usize) -> Case {
    let config = fs::read_to_string(crate::case::repo_root().join("oyez.toml")).unwrap();
    let config = config.replace(
        "to          = \"platform-digest@lists.example.org\"",
        "subscribers = \"subscribers.txt\"",
    );
    let list: String = (1..=count).map(|n| address(n) + "\n").collect();
    Case::example()
        .file("oyez.toml", config)
        .file("subscribers.txt", list)
}

/// The ledger as (event, recipient or digest id) pairs.
pub(crate) fn events(case: &Case) -> Vec<(String, String)> {
    let text = fs::read_to_string(case.path().join(".oyez/digests.ledger")).unwrap_or_default();
    text.lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("ledger line is JSON");
            let event = value["event"].as_str().unwrap().to_owned();
            let key = if event == "digest" { "id" } else { "to" };
            (event, value[key].as_str().unwrap().to_owned())
        })
        .collect()
}

/// The ledger read by oyez's own parser: it must parse, with no torn line.
pub(crate) fn parsed(case: &Case) -> Ledger {
    let ledger = Ledger::read(&case.path().join(".oyez/digests.ledger")).expect("ledger parses");
    assert_eq!(ledger.torn, None, "no torn line");
    ledger
}

pub(crate) fn copies(server: &SmtpServer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for mail in server.received() {
        for to in mail.to {
            *counts.entry(to).or_default() += 1;
        }
    }
    counts
}

pub(crate) fn spawn(case: &Case, server: &SmtpServer, fault: Option<String>) -> Child {
    let mut command = Command::new(BIN);
    command
        .args(["digest", "--since", "2020-01-01", "--now", NOW, "--send"])
        .current_dir(case.path())
        .env("OYEZ_SMTP_URL", server.url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(fault) = fault {
        command.env("OYEZ_FAULT", fault);
    }
    command.spawn().unwrap()
}

/// Waits until the sender is blocked at the point, then SIGKILLs it.
pub(crate) fn kill_at(mut child: Child, server: &SmtpServer, point: Point, k: usize) {
    let stderr = child.stderr.take().unwrap();
    if let Some(step) = point.injected() {
        let wanted = format!("oyez: fault injection: paused at {step}:{}", address(k));
        let mut lines = BufReader::new(stderr).lines();
        let reached = lines.any(|line| line.is_ok_and(|line| line == wanted));
        assert!(reached, "{point:?} {k}: the sender ended before pausing");
    } else {
        let reached = server.wait_until_holding_while(|| child.try_wait().unwrap().is_none());
        assert!(reached, "{point:?} {k}: the sender ended before the pause");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    server.release();
}

/// What the ledger must end with at the moment of the kill.
fn expected_tail(point: Point, k: usize) -> Vec<(String, String)> {
    let pair = |event: &str, to: String| (event.to_owned(), to);
    match point {
        Point::Connect => vec![pair("digest", "2026-11-27".into())],
        Point::Reconnect => vec![pair("attempting", address(k)), pair("deferred", address(k))],
        Point::BeforeAttempting if k == 1 => vec![pair("digest", "2026-11-27".into())],
        Point::BeforeAttempting => vec![pair("accepted", address(k - 1))],
        _ => vec![pair("attempting", address(k))],
    }
}

/// One kill at `point` for recipient `k` of `count`, the resume, and the checks.
fn kill_and_resume(point: Point, k: usize, count: usize, figures: &mut Figures) {
    let server = SmtpServer::start(point.faults(k));
    let case = with_subscribers(count);
    let fault = point
        .injected()
        .map(|step| format!("{step}:{}", address(k)));
    kill_at(spawn(&case, &server, fault), &server, point, k);
    figures.kills += 1;

    let at_kill = events(&case);
    let tail = expected_tail(point, k);
    assert!(
        at_kill.ends_with(&tail),
        "{point:?} {k}: ledger at the kill ends {:?}",
        at_kill.last()
    );
    let killed = parsed(&case);
    let accepted_before = killed.last().unwrap().count(Status::Accepted);
    assert_eq!(accepted_before, k - 1, "{point:?} {k}");

    let resumed = case.run_with(
        &["digest", "--now", NOW, "--send"],
        &[("OYEZ_SMTP_URL", &server.url())],
    );
    let unconfirmed: Vec<String> = if point.leaves_unconfirmed() {
        vec![address(k)]
    } else {
        Vec::new()
    };
    let sent_now = count - accepted_before - unconfirmed.len();
    if sent_now == 0 {
        // Nobody left to mail: the digest is finished and the resume says
        // so, naming the unconfirmed (exit 0: every later run would say it too).
        assert_eq!(
            (resumed.code, resumed.stdout.as_str()),
            (
                0,
                "nothing new since 2026-11-27T00:00:00Z (the end of the last digest); nothing sent\n"
            ),
            "{point:?} {k}"
        );
        let note = format!(
            "note: digest 2026-11-27 (ended 2026-11-27T00:00:00Z) left 1 recipient unconfirmed \
             ({}): a run stopped during their SMTP transaction, or was lost after it claimed \
             them, so they may or may not have it; --resend-unconfirmed mails them again\n",
            address(k)
        );
        assert_eq!(resumed.stderr, note, "{point:?} {k}");
        check_truth(&case, &server, point, k, count, &unconfirmed, figures);
        return;
    }
    let summary = format!(
        "{sent_now} accepted, 0 failed, 0 deferred, {} unconfirmed",
        unconfirmed.len()
    );
    assert!(
        resumed.stdout.contains("digest 2026-11-27 (resumed)") && resumed.stdout.contains(&summary),
        "{point:?} {k}: {}\n{}",
        resumed.stdout,
        resumed.stderr
    );
    assert_eq!(
        resumed.code,
        i32::from(!unconfirmed.is_empty()),
        "{point:?} {k}"
    );
    for address in &unconfirmed {
        let line = format!(
            "unconfirmed: {address}: an earlier run stopped during its SMTP transaction; \
             not mailed again unless you run with --resend-unconfirmed"
        );
        assert!(
            resumed.stderr.contains(&line),
            "{point:?} {k}: {}",
            resumed.stderr
        );
    }
    check_truth(&case, &server, point, k, count, &unconfirmed, figures);
}

/// Every recipient: accepted in the ledger and exactly one copy, or
/// reported unconfirmed with the copies the kill point allows.
fn check_truth(
    case: &Case,
    server: &SmtpServer,
    point: Point,
    k: usize,
    count: usize,
    unconfirmed: &[String],
    figures: &mut Figures,
) {
    let ledger = parsed(case);
    let digest = ledger.last().unwrap();
    let received = copies(server);
    for n in 1..=count {
        let address = address(n);
        let got = received.get(&address).copied().unwrap_or(0);
        figures.duplicates += usize::from(got > 1);
        match digest.status(&address) {
            Status::Accepted => {
                figures.losses += usize::from(got == 0);
                assert_eq!(got, 1, "{point:?} {k}: {address} accepted");
            }
            Status::Attempting => {
                assert!(unconfirmed.contains(&address), "{point:?} {k}: {address}");
                assert!(
                    point.unconfirmed_copies().contains(&got),
                    "{point:?} {k}: unconfirmed {address} has {got} copies"
                );
                figures.unconfirmed += 1;
                figures.unconfirmed_with_copy += got;
            }
            other => panic!("{point:?} {k}: {address} is {other:?} after the resume"),
        }
    }
    assert_eq!(
        received.keys().filter(|a| !a.starts_with("reader")).count(),
        0
    );
}

fn sweep(count: usize, positions: &[usize]) -> Figures {
    let mut figures = Figures::default();
    for point in POINTS {
        if point.injected().is_some() && !cfg!(debug_assertions) {
            continue; // fault injection exists in debug builds only
        }
        let positions: &[usize] = if point == Point::Connect {
            &[1]
        } else {
            positions
        };
        for &k in positions {
            kill_and_resume(point, k, count, &mut figures);
        }
    }
    figures
}

#[test]
fn killed_at_each_step_of_the_send_loop_every_recipient_gets_one_copy_or_is_unconfirmed() {
    let figures = sweep(5, &[1, 3, 5]);
    eprintln!("digest kill sweep (5 subscribers): {figures:?}");
    assert_eq!((figures.duplicates, figures.losses), (0, 0));
    // Release builds have no fault injection: two points fewer.
    let injected = if cfg!(debug_assertions) { 6 } else { 0 };
    assert_eq!(figures.kills, 16 + injected);
}

/// `cargo test --test cli -- --ignored --nocapture every_recipient_position`
#[test]
#[ignore = "long sweep; .ci/run runs it"]
fn killed_at_each_step_for_every_recipient_position_of_a_longer_list() {
    let positions: Vec<usize> = (1..=25).collect();
    let figures = sweep(25, &positions);
    eprintln!("digest kill sweep (25 subscribers): {figures:?}");
    assert_eq!((figures.duplicates, figures.losses), (0, 0));
    let injected = if cfg!(debug_assertions) { 2 * 25 } else { 0 };
    assert_eq!(figures.kills, 1 + 5 * 25 + injected);
}

#[test]
fn a_resend_after_a_kill_before_the_server_had_the_message_completes_the_digest() {
    let server = SmtpServer::start(Point::Mail.faults(2));
    let case = with_subscribers(3);
    kill_at(spawn(&case, &server, None), &server, Point::Mail, 2);
    let env = [("OYEZ_SMTP_URL", server.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        case.run_with(&["digest", "--now", NOW, "--send"], &env)
            .code,
        1
    );
    let resend = case
        .run_with(
            &["digest", "--now", NOW, "--send", "--resend-unconfirmed"],
            &env,
        )
        .ok();
    assert!(
        resend
            .stdout
            .contains("1 accepted, 0 failed, 0 deferred, 0 unconfirmed"),
        "{}",
        resend.stdout
    );
    let received = copies(&server);
    assert_eq!(received.len(), 3);
    assert!(received.values().all(|&n| n == 1), "{received:?}");
    let ledger = parsed(&case);
    let digest = ledger.last().unwrap();
    assert!((1..=3).all(|n| digest.status(&address(n)) == Status::Accepted));
}
