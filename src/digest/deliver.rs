//! The send loop that ties SMTP to the ledger: for each recipient,
//! `attempting` is on disk before the transaction starts and the outcome is
//! written right after it, so a crash at any instant leaves the ledger
//! saying exactly who may have the message.

use indicatif::ProgressBar;
use lettre::Message;

use super::DigestError;
use super::ledger::{Record, Writer};
use super::send::{self, Mailer, Outcome};

/// One recipient's copy, ready to send.
pub struct Job {
    pub address: String,
    pub message_id: String,
    pub message: Message,
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
}

/// Sends each job once (retrying only what was certainly not delivered).
/// Returns what was done even when an error stopped the run.
pub fn deliver(
    digest: &str,
    jobs: &[&Job],
    ledger: &mut Writer,
    mailer: &mut Mailer,
    progress: &ProgressBar,
) -> (Tally, Result<(), DigestError>) {
    let mut tally = Tally::default();
    for job in jobs {
        if let Err(err) = deliver_one(digest, job, ledger, mailer, &mut tally) {
            return (tally, Err(err));
        }
        progress.inc(1);
    }
    mailer.quit();
    (tally, Ok(()))
}

fn deliver_one(
    digest: &str,
    job: &Job,
    ledger: &mut Writer,
    mailer: &mut Mailer,
    tally: &mut Tally,
) -> Result<(), DigestError> {
    let (digest, to) = (digest.to_owned(), job.address.clone());
    for attempt in 1..=send::MAX_TRIES {
        mailer.ready()?;
        ledger.append(&Record::Attempting {
            digest: digest.clone(),
            to: to.clone(),
            message_id: job.message_id.clone(),
        })?;
        match mailer.transact(&job.message) {
            Outcome::Accepted(reply) => {
                ledger.append(&Record::Accepted { digest, to, reply })?;
                tally.accepted += 1;
                return Ok(());
            }
            Outcome::Failed(reply) => {
                ledger.append(&Record::Failed {
                    digest,
                    to: to.clone(),
                    reply: reply.clone(),
                })?;
                tally.failed.push((to, reply));
                return Ok(());
            }
            Outcome::Deferred(reason) => {
                ledger.append(&Record::Deferred {
                    digest: digest.clone(),
                    to: to.clone(),
                    reason: reason.clone(),
                })?;
                if attempt == send::MAX_TRIES {
                    tally.deferred.push((to, reason));
                    return Ok(());
                }
                std::thread::sleep(send::backoff(attempt));
            }
            Outcome::Refused(reason) => {
                ledger.append(&Record::Deferred {
                    digest,
                    to,
                    reason: reason.clone(),
                })?;
                mailer.quit();
                return Err(DigestError::Smtp(format!(
                    "the SMTP server refused the sender or the session: {reason}; nothing more \
                     is sent (the next run resumes); check `[digest] from`, the credentials in \
                     OYEZ_SMTP_URL and the server's policy"
                )));
            }
            Outcome::Unknown(reason) => {
                tally.unconfirmed.push((to, reason));
                return Ok(());
            }
        }
    }
    Ok(())
}
