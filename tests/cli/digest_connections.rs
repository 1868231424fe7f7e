//! `oyez digest --send --connections N` (issue 14): several SMTP sessions
//! at once share one ledger. Every subscriber gets one copy; a kill while
//! several transactions are in flight, then a resume, gives nobody two.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};

use oyez::digest::ledger::Status;

use crate::case::{BIN, Case};
use crate::digest_kill::{Point, address, copies, kill_at, parsed, with_subscribers};
use crate::smtp::{Faults, SmtpServer};

const NOW: &str = "2026-11-27T00:00:00Z";
const CONNECTIONS: &str = "4";

fn send(case: &Case, server: &SmtpServer) -> crate::case::Run {
    case.run_with(
        &[
            "digest",
            "--since",
            "2020-01-01",
            "--now",
            NOW,
            "--send",
            "--connections",
            CONNECTIONS,
        ],
        &[("OYEZ_SMTP_URL", &server.url())],
    )
}

#[test]
fn several_connections_mail_each_subscriber_once_and_record_each() {
    let server = SmtpServer::start(Faults::default());
    let case = with_subscribers(40);
    let run = send(&case, &server).ok();
    assert!(
        run.stdout
            .contains("40 accepted, 0 failed, 0 deferred, 0 unconfirmed"),
        "{}",
        run.stdout
    );
    let received = copies(&server);
    assert_eq!(received.len(), 40);
    assert!(received.values().all(|&n| n == 1), "{received:?}");
    assert!(server.sessions() > 1, "only {} session", server.sessions());
    let ledger = parsed(&case);
    let digest = ledger.last().unwrap();
    assert!((1..=40).all(|n| digest.status(&address(n)) == Status::Accepted));
}

#[test]
fn one_connection_is_the_default() {
    let server = SmtpServer::start(Faults::default());
    let case = with_subscribers(6);
    let env = [("OYEZ_SMTP_URL", server.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    case.run_with(
        &["digest", "--since", "2020-01-01", "--now", NOW, "--send"],
        &env,
    )
    .ok();
    assert_eq!(server.sessions(), 1);
    assert_eq!(copies(&server).len(), 6);
}

#[test]
fn a_connection_count_out_of_range_is_a_usage_error() {
    let case = with_subscribers(2);
    let run = case.run(&["digest", "--now", NOW, "--connections", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--connections"), "{}", run.stderr);
}

/// Kills the run while transaction `k` is at `point` (others may be in
/// flight on the other connections), resumes it, and checks that nobody
/// has two copies, everyone accepted has one, and only recipients caught
/// mid-transaction are unconfirmed.
fn kill_and_resume(point: Point, k: usize, count: usize) {
    let server = SmtpServer::start(point.faults(k));
    let case = with_subscribers(count);
    let mut command = Command::new(BIN);
    command
        .args(["digest", "--since", "2020-01-01", "--now", NOW, "--send"])
        .args(["--connections", CONNECTIONS])
        .current_dir(case.path())
        .env("OYEZ_SMTP_URL", server.url())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(step) = point.injected() {
        command.env("OYEZ_FAULT", format!("{step}:{}", address(k)));
    }
    kill_at(command.spawn().unwrap(), &server, point, k);
    let resumed = send(&case, &server);
    // Nothing may be left to send when the kill caught the last transactions.
    let finished = "nothing new since 2026-11-27T00:00:00Z (the end of the last digest)";
    assert!(
        resumed.stdout.contains("digest 2026-11-27 (resumed)") || resumed.stdout.contains(finished),
        "{point:?} {k}: {}{}",
        resumed.stdout,
        resumed.stderr
    );

    let ledger = parsed(&case);
    let digest = ledger.last().unwrap();
    let received = copies(&server);
    let mut unconfirmed = 0;
    for n in 1..=count {
        let got = received.get(&address(n)).copied().unwrap_or(0);
        assert!(got <= 1, "{point:?} {k}: {} has {got} copies", address(n));
        match digest.status(&address(n)) {
            Status::Accepted => assert_eq!(got, 1, "{point:?} {k}: {} accepted", address(n)),
            Status::Attempting => unconfirmed += 1,
            other => panic!("{point:?} {k}: {} is {other:?}", address(n)),
        }
    }
    let in_flight: usize = CONNECTIONS.parse().unwrap();
    assert!(
        unconfirmed <= in_flight,
        "{point:?} {k}: {unconfirmed} unconfirmed"
    );
}

#[test]
fn killed_with_several_connections_in_flight_a_resume_mails_nobody_twice() {
    for point in [
        Point::Dot,
        Point::Mail,
        Point::BeforeAttempting,
        Point::BeforeAccepted,
    ] {
        if point.injected().is_some() && !cfg!(debug_assertions) {
            continue; // fault injection exists in debug builds only
        }
        for k in [1, 9, 24] {
            kill_and_resume(point, k, 24);
        }
    }
}
