//! The send loop that ties SMTP to the ledger, sending the jobs of
//! [`super::copies`] (one message per recipient). For each recipient,
//! `attempting` is on disk before the transaction starts and the outcome is
//! written right after it, so a crash at any instant leaves the ledger
//! saying who may have the message. With several connections (issue 14) each runs this loop on its
//! own thread, taking the next job in turn; the ledger's group commit lets
//! one fsync cover the lines of all of them.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use indicatif::ProgressBar;

use super::DigestError;
use super::copies::{Job, Letters};
use super::dkim::Signer;
use super::ledger::{LedgerError, Record, Writer};
use super::send::{self, Mailer, Outcome, Pace, Settings};

/// A failed `accepted` line: say who has the message without a record.
fn unrecorded(err: LedgerError, to: String) -> DigestError {
    match err {
        LedgerError::Write { path, source } => DigestError::Unrecorded { path, to, source },
        other => DigestError::Ledger(other),
    }
}

/// What a run did, per recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub accepted: usize,
    /// (address, the server's answer)
    pub failed: Vec<(String, String)>,
    /// Still not delivered after the retries; a later run tries again.
    pub deferred: Vec<(String, String)>,
    pub unconfirmed: Vec<(String, String)>,
    /// Subscribers with nothing in their categories (issue 14).
    pub skipped: usize,
}

impl Tally {
    fn add(&mut self, other: Self) {
        self.accepted += other.accepted;
        self.failed.extend(other.failed);
        self.deferred.extend(other.deferred);
        self.unconfirmed.extend(other.unconfirmed);
        self.skipped += other.skipped;
    }

    /// Lists in the order of `jobs`, whichever connection sent them.
    fn sort(&mut self, jobs: &[&Job]) {
        let position: HashMap<&str, usize> = jobs
            .iter()
            .enumerate()
            .map(|(i, job)| (job.address.as_str(), i))
            .collect();
        for list in [&mut self.failed, &mut self.deferred, &mut self.unconfirmed] {
            list.sort_by_key(|(address, _)| position.get(address.as_str()).copied());
        }
    }
}

/// How a run sends: the server, the limits, the ledger it records in.
pub struct Delivery<'a> {
    pub digest: &'a str,
    pub letters: &'a Letters<'a>,
    pub ledger: &'a Writer,
    pub settings: Settings,
    /// `--rate`: at most this many messages per second, over all connections.
    pub rate: Option<f64>,
    /// `[digest] per_connection`: messages before a connection is renewed.
    pub per_connection: Option<usize>,
    /// `--connections`: SMTP sessions open at once (at least 1).
    pub connections: usize,
    pub progress: &'a ProgressBar,
    /// `[digest] dkim`: signs each copy before it is sent.
    pub dkim: Option<&'a Signer>,
}

/// Sends each job once (retrying only what was certainly not delivered),
/// over `connections` sessions at once. Returns what was done even when an
/// error stopped the run.
pub fn deliver(delivery: &Delivery<'_>, jobs: &[&Job]) -> (Tally, Result<(), DigestError>) {
    let pace = Arc::new(Pace::new(delivery.rate));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let connections = delivery.connections.clamp(1, jobs.len().max(1));
    let results: Vec<(Tally, Result<(), DigestError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let mailer = Mailer::new(delivery.settings.clone(), Arc::clone(&pace))
                    .with_per_connection(delivery.per_connection);
                let (next, stop) = (&next, &stop);
                scope.spawn(move || connection(delivery, jobs, mailer, next, stop))
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    let panicked = DigestError::Smtp("a sending thread panicked".into());
                    (Tally::default(), Err(panicked))
                })
            })
            .collect()
    });
    let mut tally = Tally::default();
    let mut outcome = delivery.ledger.flush().map_err(DigestError::from);
    for (part, result) in results {
        tally.add(part);
        outcome = outcome.and(result);
    }
    tally.sort(jobs);
    (tally, outcome)
}

/// One connection's loop: takes the next job until none is left or the
/// run stops.
fn connection(
    delivery: &Delivery<'_>,
    jobs: &[&Job],
    mut mailer: Mailer,
    next: &AtomicUsize,
    stop: &AtomicBool,
) -> (Tally, Result<(), DigestError>) {
    let mut tally = Tally::default();
    while !stop.load(Ordering::SeqCst) {
        let Some(job) = jobs.get(next.fetch_add(1, Ordering::SeqCst)) else {
            break;
        };
        if let Err(err) = deliver_one(delivery, job, &mut mailer, &mut tally) {
            stop.store(true, Ordering::SeqCst);
            mailer.quit();
            return (tally, Err(err));
        }
        delivery.progress.inc(1);
    }
    mailer.quit();
    (tally, Ok(()))
}

fn deliver_one(
    delivery: &Delivery<'_>,
    job: &Job,
    mailer: &mut Mailer,
    tally: &mut Tally,
) -> Result<(), DigestError> {
    let (digest, to, ledger) = (delivery.digest, &job.address, delivery.ledger);
    let Some(mut message) = delivery.letters.message(job)? else {
        ledger.note(&Record::Skipped {
            digest: digest.to_owned(),
            to: to.clone(),
        })?;
        tally.skipped += 1;
        return Ok(());
    };
    if let Some(signer) = delivery.dkim {
        signer.sign(&mut message, job.personal);
    }
    for attempt in 1..=send::MAX_TRIES {
        mailer.ready()?;
        super::fault::pause("before-attempting", to);
        ledger.append(&Record::Attempting {
            digest: digest.to_owned(),
            to: to.clone(),
            message_id: job.message_id.clone(),
        })?;
        let outcome = mailer.transact(&message);
        if let Outcome::Accepted(_) = outcome {
            super::fault::pause("before-accepted", to);
        }
        let stalled = mailer.stalls() >= send::MAX_STALLS;
        let last_try = attempt == send::MAX_TRIES || stalled;
        if let Some(last) = settle(delivery, job, mailer, outcome, last_try)? {
            last.count(to, tally);
            return if stalled {
                Err(stalled_server())
            } else {
                Ok(())
            };
        }
        std::thread::sleep(send::backoff(attempt));
    }
    Ok(())
}

/// The error that stops a run after [`send::MAX_STALLS`] transactions in a
/// row without an answer: trying every recipient would cost each several
/// timeouts (issue 20). Who was not tried has no line in the ledger, so the
/// next run sends to them.
fn stalled_server() -> DigestError {
    DigestError::Smtp(format!(
        "the SMTP server stopped answering ({} transactions in a row met silence or a lost \
         connection); nothing more is sent: run again later, and the rest are mailed then",
        send::MAX_STALLS
    ))
}

/// How a recipient's turn ended, for the tally.
enum Settled {
    Accepted,
    Failed(String),
    Deferred(String),
    Unconfirmed(String),
}

impl Settled {
    fn count(self, to: &str, tally: &mut Tally) {
        let to = to.to_owned();
        match self {
            Self::Accepted => tally.accepted += 1,
            Self::Failed(reply) => tally.failed.push((to, reply)),
            Self::Deferred(reason) => tally.deferred.push((to, reason)),
            Self::Unconfirmed(reason) => tally.unconfirmed.push((to, reason)),
        }
    }
}

/// Records one transaction's outcome; `None` when it should be retried.
fn settle(
    delivery: &Delivery<'_>,
    job: &Job,
    mailer: &mut Mailer,
    outcome: Outcome,
    last_try: bool,
) -> Result<Option<Settled>, DigestError> {
    let (digest, to, ledger) = (
        delivery.digest.to_owned(),
        job.address.clone(),
        delivery.ledger,
    );
    match outcome {
        Outcome::Accepted(reply) => {
            let record = Record::Accepted {
                digest,
                to: to.clone(),
                reply,
            };
            ledger.note(&record).map_err(|err| unrecorded(err, to))?;
            Ok(Some(Settled::Accepted))
        }
        Outcome::Failed(reply) => {
            let record = Record::Failed {
                digest,
                to,
                reply: reply.clone(),
            };
            ledger.note(&record)?;
            Ok(Some(Settled::Failed(reply)))
        }
        Outcome::Deferred(reason) => {
            let record = Record::Deferred {
                digest,
                to,
                reason: reason.clone(),
            };
            ledger.note(&record)?;
            Ok(last_try.then_some(Settled::Deferred(reason)))
        }
        Outcome::Refused(reason) => {
            ledger.append(&Record::Deferred {
                digest,
                to,
                reason: reason.clone(),
            })?;
            mailer.quit();
            Err(DigestError::Smtp(format!(
                "the SMTP server refused the sender or the session: {reason}; nothing more \
                 is sent (the next run resumes); check `[digest] from`, the credentials in \
                 OYEZ_SMTP_URL and the server's policy"
            )))
        }
        Outcome::Unknown(reason) => Ok(Some(Settled::Unconfirmed(reason))),
    }
}
