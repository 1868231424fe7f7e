//! `oyez digest --send` when the machine fails it (issue 6.4): a full disk
//! under the ledger (a real 64 KiB tmpfs) and two runs at once.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use oyez::digest::ledger::{Ledger, Status};

use crate::case::Case;
use crate::digest_kill::{address, copies, with_subscribers};
use crate::smtp::{Faults, SmtpServer, Step};

const NOW: &str = "2026-11-27T00:00:00Z";

/// A tmpfs mounted on a folder, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a 64 KiB tmpfs on `dir`; None (with a note) where mounting is
    /// not permitted. CI runs as root, where it is.
    fn mount(dir: &Path) -> Option<Self> {
        fs::create_dir_all(dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|s| s.success()) {
            Some(Self {
                dir: dir.to_path_buf(),
            })
        } else {
            eprintln!("note: cannot mount a tmpfs here (not root?); full-disk test skipped");
            None
        }
    }

    /// Fills the file system, leaving `pages` pages of 4 KiB free.
    fn fill_leaving(&self, pages: usize) {
        let reserve = self.dir.join("reserve");
        fs::write(&reserve, vec![0u8; pages * 4096]).unwrap();
        let mut filler = fs::File::create(self.dir.join("filler")).unwrap();
        let block = [0u8; 512];
        while filler
            .write_all(&block)
            .and_then(|()| filler.sync_all())
            .is_ok()
        {}
        fs::remove_file(reserve).unwrap();
    }

    fn make_room(&self) {
        fs::remove_file(self.dir.join("filler")).unwrap();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// The example catalogue mailing `count` subscribers, with its ledger in
/// `state/` (where the tmpfs goes).
fn case_with_ledger_in_state(count: usize) -> Case {
    let case = with_subscribers(count);
    let config = fs::read_to_string(case.path().join("oyez.toml")).unwrap();
    let config = config.replace(
        "subscribers = \"subscribers.txt\"",
        "subscribers = \"subscribers.txt\"\nledger = \"state/digests.ledger\"",
    );
    case.file("oyez.toml", config)
}

fn send(case: &Case, server: &SmtpServer, extra: &[&str]) -> crate::case::Run {
    let mut args = vec!["digest", "--now", NOW, "--send"];
    args.extend_from_slice(extra);
    case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
}

/// What one full-disk run did.
#[derive(Debug, Default)]
struct DiskFull {
    runs: usize,
    /// The failed write was an `accepted` line: that recipient is unconfirmed.
    accepted_unrecorded: usize,
    /// The failed write was an `attempting` line: nothing was sent for it.
    attempt_unrecorded: usize,
    /// The failed write left part of its line (cut by the next run).
    torn: usize,
    duplicates: usize,
    losses: usize,
}

/// The whole pages the digest line fills: with the frozen copy of what
/// the example's digest carries (issue 19 §4) it is about 22 KB.
const DIGEST_LINE_PAGES: usize = 5;

/// Sends to `count` subscribers with one 4 KiB page left for the ledger
/// after its digest line;
/// the run must stop with a clear error; after room is made, the next run
/// must finish with everyone mailed once (but the one unconfirmed).
fn fill_and_resume(count: usize, figures: &mut DiskFull) -> bool {
    let case = case_with_ledger_in_state(count);
    let Some(tmpfs) = Tmpfs::mount(&case.path().join("state")) else {
        return false;
    };
    tmpfs.fill_leaving(1 + DIGEST_LINE_PAGES);
    let server = SmtpServer::start(Faults::default());
    let run = send(&case, &server, &["--since", "2020-01-01"]);
    figures.runs += 1;
    let ledger_path = case.path().join("state/digests.ledger");
    assert_eq!(run.code, 1, "{count}: {}", run.stderr);
    let ledger = Ledger::read(&ledger_path).expect("the ledger parses after a full disk");
    figures.torn += usize::from(ledger.torn.is_some());
    let digest = ledger.last().expect("the digest line fitted");
    let received = copies(&server);
    // Each message the server has: `accepted` on disk, or the one whose
    // `accepted` could not be written, still `attempting` (unconfirmed).
    let unrecorded: Vec<String> = received
        .keys()
        .filter(|to| digest.status(to) != Status::Accepted)
        .cloned()
        .collect();
    for to in &unrecorded {
        assert_eq!(digest.status(to), Status::Attempting, "{count}: {to}");
    }
    assert!(unrecorded.len() <= 1, "{count}: {unrecorded:?}");
    let error = match unrecorded.first() {
        Some(to) => {
            figures.accepted_unrecorded += 1;
            format!(
                "error: cannot write the digest ledger ./state/digests.ledger; nothing more is sent. The server \
                 accepted the message to {to} but the ledger could not record it: the next run \
                 reports {to} as unconfirmed. Make room (or fix the permissions) and run again: \
                 it resumes where this run stopped\n"
            )
        }
        None => {
            figures.attempt_unrecorded += 1;
            "error: cannot write the digest ledger ./state/digests.ledger; nothing more is sent. \
             Make room (or fix the permissions) and run again: it resumes where this run stopped\n"
                .to_owned()
        }
    };
    assert!(
        run.stderr.ends_with(&format!(
            "{error}  caused by: No space left on device (os error 28)\n"
        )),
        "{count}: {}",
        run.stderr
    );
    assert!(
        received.len() < count,
        "{count}: the disk filled up mid-run"
    );

    tmpfs.make_room();
    let resumed = send(&case, &server, &[]);
    assert!(
        resumed.stdout.contains("digest 2026-11-27 (resumed)"),
        "{count}: {}",
        resumed.stdout
    );
    assert_eq!(
        resumed.code,
        i32::from(!unrecorded.is_empty()),
        "{}",
        resumed.stderr
    );
    for to in &unrecorded {
        let line = format!("unconfirmed: {to}: an earlier run stopped during its SMTP transaction");
        assert!(resumed.stderr.contains(&line), "{}", resumed.stderr);
    }
    let ledger = Ledger::read(&ledger_path).unwrap();
    assert_eq!(ledger.torn, None);
    let digest = ledger.last().unwrap();
    let received = copies(&server);
    for n in 1..=count {
        let to = address(n);
        let got = received.get(&to).copied().unwrap_or(0);
        figures.duplicates += usize::from(got > 1);
        figures.losses += usize::from(got == 0);
        let want = if unrecorded.contains(&to) {
            Status::Attempting
        } else {
            Status::Accepted
        };
        assert_eq!((digest.status(&to), got), (want, 1), "{count}: {to}");
    }
    true
}

#[test]
fn a_full_disk_stops_the_send_with_a_clear_error_and_the_next_run_resumes() {
    let mut figures = DiskFull::default();
    // The digest line grows with the list, so the page fills up at a
    // different line for each count: sometimes an `attempting`, sometimes
    // an `accepted`.
    for count in 18..=30 {
        if !fill_and_resume(count, &mut figures) {
            return;
        }
    }
    eprintln!("full-disk runs: {figures:?}");
    assert_eq!((figures.duplicates, figures.losses), (0, 0));
    assert!(figures.accepted_unrecorded > 0 && figures.attempt_unrecorded > 0);
}

#[test]
fn a_disk_too_full_for_the_first_ledger_line_sends_nothing() {
    let case = case_with_ledger_in_state(3);
    let Some(tmpfs) = Tmpfs::mount(&case.path().join("state")) else {
        return;
    };
    tmpfs.fill_leaving(0);
    let server = SmtpServer::start(Faults::default());
    let run = send(&case, &server, &["--since", "2020-01-01"]);
    crate::support::expect(
        &run,
        1,
        "error: cannot write the digest ledger ./state/digests.ledger; nothing more is sent. \
         Make room (or fix the permissions) and run again: it resumes where this run stopped\n  \
         caused by: No space left on device (os error 28)\n",
    );
    assert!(server.received().is_empty());
    tmpfs.make_room();
    let again = send(&case, &server, &["--since", "2020-01-01"]).ok();
    assert!(
        again
            .stdout
            .contains("3 accepted, 0 failed, 0 deferred, 0 unconfirmed"),
        "{}",
        again.stdout
    );
    let received = copies(&server);
    assert_eq!(received.len(), 3);
    assert!(received.values().all(|&n| n == 1));
}

#[test]
fn a_second_run_during_a_send_is_refused_and_nobody_is_mailed_twice() {
    let server = SmtpServer::start(Faults {
        pause: Some((Step::Mail, 3)),
        ..Faults::default()
    });
    let case = with_subscribers(5);
    let mut first = crate::digest::spawn_send(&case, &server);
    assert!(server.wait_until_holding_while(|| first.try_wait().unwrap().is_none()));
    let before = fs::read(case.path().join(".oyez/digests.ledger")).unwrap();
    for extra in [
        &[][..],
        &["--resend-unconfirmed"],
        &["--since", "2026-11-01"],
    ] {
        let second = send(&case, &server, extra);
        crate::support::expect(
            &second,
            1,
            "error: another `oyez digest` is sending with this ledger (./.oyez/digests.ledger is \
             locked); wait for it to finish\n",
        );
        assert_eq!(second.stdout, "");
    }
    assert_eq!(
        fs::read(case.path().join(".oyez/digests.ledger")).unwrap(),
        before,
        "the refused runs wrote nothing"
    );
    server.release();
    assert!(first.wait().unwrap().success());
    let received = copies(&server);
    assert_eq!(received.len(), 5);
    assert!(received.values().all(|&n| n == 1), "{received:?}");
    let again = send(&case, &server, &[]).ok();
    assert!(
        again.stdout.starts_with("nothing new since"),
        "{}",
        again.stdout
    );
    assert_eq!(copies(&server), received);
}
