//! The committed state in CI (issue 19): a run lost with its machine after
//! it committed its claim never makes the next run mail anyone twice.
//! The whole recipe, one fresh clone per job, runs in `.ci/workflow-test`.

use crate::case::{Case, Run};
use crate::digest_kill::with_subscribers;
use crate::smtp::{Faults, SmtpServer};

const NOW: &str = "2026-11-27T00:00:00Z";

fn digest(case: &Case, server: &SmtpServer, extra: &[&str]) -> Run {
    let mut args = vec!["digest", "--since", "2020-01-01", "--now", NOW, "--send"];
    args.extend_from_slice(extra);
    case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
}

#[test]
fn the_claiming_run_sends_and_a_later_one_finds_nothing_new() {
    let server = SmtpServer::start(Faults::default());
    let case = with_subscribers(3);
    let run = digest(&case, &server, &["--claim", "--run-id", "41-1"]).ok();
    assert!(
        run.stdout.contains(
            "claimed 3 recipients of digest 2026-11-27 for run 41-1: commit the ledger, then run \
             `oyez digest --send --run-id 41-1`"
        ),
        "{}",
        run.stdout
    );
    assert!(server.received().is_empty(), "a claim mails nobody");
    digest(&case, &server, &["--run-id", "41-1"]).ok();
    assert_eq!(server.received().len(), 3);
    let run = digest(&case, &server, &["--run-id", "42-1"]).ok();
    assert!(
        run.stdout.starts_with("nothing new since"),
        "{}",
        run.stdout
    );
    assert_eq!(server.received().len(), 3);
}

// The runner that claimed is lost: its mails may have gone out, its ledger
// lines are gone. The next run mails none of them and says so.
#[test]
fn recipients_claimed_by_a_lost_run_are_unconfirmed_not_mailed_again() {
    let server = SmtpServer::start(Faults::default());
    let case = with_subscribers(3);
    digest(&case, &server, &["--claim", "--run-id", "41-1"]).ok();
    let run = digest(&case, &server, &["--run-id", "42-1"]).ok();
    assert!(
        run.stderr.contains(
            "left 3 recipients unconfirmed (reader001@example.net, reader002@example.net, \
             reader003@example.net)"
        ),
        "{}",
        run.stderr
    );
    assert!(server.received().is_empty());
    digest(
        &case,
        &server,
        &["--run-id", "43-1", "--resend-unconfirmed"],
    )
    .ok();
    assert_eq!(server.received().len(), 3);
}

#[test]
fn a_claim_needs_send_and_a_run_id() {
    let case = with_subscribers(1);
    let run = case.run(&["digest", "--since", "2020-01-01", "--claim"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
