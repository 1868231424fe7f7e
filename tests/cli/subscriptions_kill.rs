//! Crash safety with per-category subscriptions (issue 14): 30 subscribers
//! with five different selections (all, one category, two, one with
//! nothing new, another one), SIGKILLed at every step of the send loop;
//! before the resume the subscribers file is rewritten so everyone asks for
//! everything, and still each subscriber gets exactly the selection the
//! digest began with: 0 duplicates, 0 wrong selections, and those with
//! nothing new are `skipped`, never mailed.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use oyez::digest::ledger::Status;

use crate::case::Case;
use crate::digest_kill::{POINTS, Point, address, copies, kill_at, parsed, spawn};
use crate::smtp::SmtpServer;
use crate::subscriptions::{example_with, subject, subjects};

const COUNT: usize = 30;
const NOW: &str = "2026-11-27T00:00:00Z";

/// Subscriber n's selection and how many additions it holds (0: skipped).
fn selection(n: usize) -> (&'static str, usize) {
    match n % 5 {
        0 => ("", 32),
        1 => (" categories=presentations", 9),
        2 => (" categories=articles,other", 23),
        3 => (" categories=podcasts", 0),
        _ => (" categories=other", 4),
    }
}

fn subscribers() -> String {
    (1..=COUNT)
        .map(|n| format!("{}{}\n", address(n), selection(n).0))
        .collect()
}

/// The subscribers mailed, in order (the n-th transaction is `mailed()[n-1]`).
fn mailed() -> Vec<usize> {
    (1..=COUNT).filter(|&n| selection(n).1 > 0).collect()
}

#[derive(Debug, Default)]
struct Figures {
    kills: usize,
    duplicates: usize,
    wrong_selections: usize,
    losses: usize,
    skipped: usize,
}

/// A kill at `point` during the `j`-th transaction, the resume, the checks.
fn kill_and_resume(point: Point, j: usize, figures: &mut Figures) {
    let n = mailed()[j - 1];
    let server = SmtpServer::start(point.faults(j));
    let case = example_with(&subscribers());
    let fault = point
        .injected()
        .map(|step| format!("{step}:{}", address(n)));
    kill_at(spawn(&case, &server, fault), &server, point, n);
    figures.kills += 1;
    // Everyone now asks for everything: the resume must not follow that.
    let everyone: String = (1..=COUNT).map(|n| address(n) + "\n").collect();
    fs::write(case.path().join("subscribers.txt"), everyone).unwrap();
    let resumed = case.run_with(
        &["digest", "--now", NOW, "--send"],
        &[("OYEZ_SMTP_URL", &server.url())],
    );
    // Exit 1 reports the unconfirmed one, unless nobody was left to mail
    // after it (the digest is finished; a note names them).
    let unconfirmed = point.leaves_unconfirmed();
    assert_eq!(
        resumed.code,
        i32::from(unconfirmed && n < COUNT),
        "{point:?} {j}: {}\n{}",
        resumed.stdout,
        resumed.stderr
    );
    check(&case, &server, point, n, figures);
}

fn check(case: &Case, server: &SmtpServer, point: Point, killed: usize, figures: &mut Figures) {
    let ledger = parsed(case);
    let digest = ledger.last().unwrap();
    let received = copies(server);
    let subjects = subjects(server);
    for n in 1..=COUNT {
        let to = address(n);
        let got = received.get(&to).copied().unwrap_or(0);
        figures.duplicates += usize::from(got > 1);
        let want = selection(n).1;
        let seen = subjects.get(&to).cloned().unwrap_or_default();
        figures.wrong_selections += seen.iter().filter(|s| **s != subject(want)).count();
        match digest.status(&to) {
            Status::Skipped => {
                assert_eq!((want, got), (0, 0), "{point:?} {killed}: {to}");
                figures.skipped += 1;
            }
            Status::Accepted => {
                figures.losses += usize::from(got == 0);
                assert_eq!(got, 1, "{point:?} {killed}: {to}");
            }
            Status::Attempting if n == killed && point.leaves_unconfirmed() => {
                assert!(point.unconfirmed_copies().contains(&got));
            }
            other => panic!("{point:?} {killed}: {to} is {other:?} after the resume"),
        }
    }
}

#[test]
fn killed_at_every_step_with_30_subscribers_each_resumes_to_their_own_selection_once() {
    let mut figures = Figures::default();
    let last = mailed().len();
    for point in POINTS {
        if point.injected().is_some() && !cfg!(debug_assertions) {
            continue; // fault injection exists in debug builds only
        }
        let positions: &[usize] = if point == Point::Connect {
            &[1]
        } else {
            &[1, 3, last]
        };
        for &j in positions {
            kill_and_resume(point, j, &mut figures);
        }
    }
    eprintln!("subscription kill sweep (30 subscribers): {figures:?}");
    assert_eq!(
        (figures.duplicates, figures.wrong_selections, figures.losses),
        (0, 0, 0)
    );
    let injected = if cfg!(debug_assertions) { 6 } else { 0 };
    assert_eq!(figures.kills, 16 + injected);
    assert_eq!(figures.skipped, figures.kills * 6);
}
