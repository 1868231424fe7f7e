//! The send loop that ties SMTP to the ledger, and the jobs it sends (one
//! message per recipient). For each recipient, `attempting` is on disk
//! before the transaction starts and the outcome is written right after it,
//! so a crash at any instant leaves the ledger saying who may have the
//! message. With several connections (issue 14) each runs this loop on its
//! own thread, taking the next job in turn; the ledger's group commit lets
//! one fsync cover the lines of all of them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::SystemTime;

use indicatif::ProgressBar;
use lettre::Message;

use super::DigestError;
use super::editions::Editions;
use super::ledger::{LedgerError, Record, Writer};
use super::recipients::{self, Recipient};
use super::render::{self, Content, Envelope};
use super::resume::Chosen;
use super::send::{self, Mailer, Outcome, Pace, Settings};
use super::unsubscribe::{Targets, Unsubscribe};
use crate::catalogue::{Catalogue, DigestConfig};

/// One recipient's copy; its message is built when it is sent or written.
pub struct Job {
    pub address: String,
    /// A subscriber's own copy, not a mailing list's.
    pub personal: bool,
    pub message_id: String,
    /// Nothing in this digest is in their categories: `skipped`, no message.
    pub empty: bool,
    recipient: Recipient,
}

/// What every copy of a digest is built from.
pub struct Mail {
    /// The editions a mailing-list copy gets (and everyone, when no
    /// unsubscribe target is personal).
    pub shared: Editions,
    /// Editions rendered with [`Unsubscribe::marked`] targets, when some
    /// target is personal: each subscriber's copy is made from them.
    pub personal: Option<Editions>,
    pub unsubscribe: Unsubscribe,
}

impl Mail {
    /// The content `personal` (a subscriber, with the categories they
    /// follow) is sent, or the mailing-list copy's (`None`); `None` when
    /// nothing is for them. Not yet personalised.
    fn content(
        &self,
        personal: Option<&str>,
        categories: &BTreeMap<String, Vec<String>>,
    ) -> Option<&Content> {
        let Some(address) = personal else {
            return Some(&self.shared.full);
        };
        let edition = self.personal.as_ref().unwrap_or(&self.shared);
        edition.for_address(address, categories)
    }

    /// The bodies and unsubscribe targets of one copy, personalised.
    fn copy(
        &self,
        personal: Option<&str>,
        categories: &BTreeMap<String, Vec<String>>,
    ) -> Option<(Cow<'_, Content>, Targets)> {
        let content = self.content(personal, categories)?;
        let Some(address) = personal else {
            return Some((Cow::Borrowed(content), self.unsubscribe.for_list()));
        };
        let content = match &self.personal {
            Some(_) => Cow::Owned(Content {
                subject: content.subject.clone(),
                text: self.unsubscribe.personalise(&content.text, address),
                html: self.unsubscribe.personalise(&content.html, address),
            }),
            None => Cow::Borrowed(content),
        };
        Some((content, self.unsubscribe.for_address(address)))
    }
}

/// Builds each job's message: the digest's mail and what addresses it.
pub struct Letters<'a> {
    pub config: &'a DigestConfig,
    pub site_title: &'a str,
    pub mail: &'a Mail,
    pub chosen: &'a Chosen,
}

impl Letters<'_> {
    /// The message for `job`; `None` for a job with nothing in it.
    pub fn message(&self, job: &Job) -> Result<Option<Message>, DigestError> {
        let personal = job.personal.then_some(job.address.as_str());
        let Some((content, unsubscribe)) = self.mail.copy(personal, &self.chosen.categories) else {
            return Ok(None);
        };
        let envelope = Envelope {
            to: &job.recipient,
            date: SystemTime::from(self.chosen.window.end),
            message_id: &job.message_id,
            unsubscribe: &unsubscribe,
        };
        render::message(self.config, self.site_title, &content, &envelope).map(Some)
    }
}

/// One job per recipient of the chosen digest.
pub fn jobs(
    catalogue: &Catalogue,
    config: &DigestConfig,
    mail: &Mail,
    chosen: &Chosen,
    current: &[Recipient],
) -> Result<Vec<Job>, DigestError> {
    let list = config.to.as_deref().and_then(recipients::list_address);
    let known: HashMap<&str, &Recipient> =
        current.iter().map(|r| (r.address.as_str(), r)).collect();
    let mut jobs = Vec::with_capacity(chosen.recipients.len());
    for address in &chosen.recipients {
        // A resumed digest may name someone since removed from the file.
        let recipient = known
            .get(address.as_str())
            .map(|r| (*r).clone())
            .or_else(|| recipients::from_address(address))
            .ok_or_else(|| {
                DigestError::Config(format!(
                    "the ledger names recipient {address:?}, which is not a mail address; \
                     fix that line of the ledger"
                ))
            })?;
        let personal = (list.as_deref() != Some(address.as_str())).then_some(address.as_str());
        jobs.push(Job {
            address: address.clone(),
            personal: personal.is_some(),
            message_id: render::message_id(catalogue, &chosen.id, personal),
            empty: mail.content(personal, &chosen.categories).is_none(),
            recipient,
        });
    }
    Ok(jobs)
}

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
    let Some(message) = delivery.letters.message(job)? else {
        ledger.note(&Record::Skipped {
            digest: digest.to_owned(),
            to: to.clone(),
        })?;
        tally.skipped += 1;
        return Ok(());
    };
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
        if let Some(last) = settle(delivery, job, mailer, outcome, attempt == send::MAX_TRIES)? {
            last.count(to, tally);
            return Ok(());
        }
        std::thread::sleep(send::backoff(attempt));
    }
    Ok(())
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
