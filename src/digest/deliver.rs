//! The send loop that ties SMTP to the ledger, and the jobs it sends (one
//! message per recipient). For each recipient, `attempting` is on disk
//! before the transaction starts and the outcome is written right after it,
//! so a crash at any instant leaves the ledger saying who may have the message.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::SystemTime;

use indicatif::ProgressBar;
use lettre::Message;

use super::DigestError;
use super::editions::Editions;
use super::ledger::{LedgerError, Record, Writer};
use super::recipients::{self, Recipient};
use super::render::{self, Content, Envelope};
use super::resume::Chosen;
use super::send::{self, Mailer, Outcome};
use super::unsubscribe::{Targets, Unsubscribe};
use crate::catalogue::{Catalogue, DigestConfig};

/// One recipient's copy, ready to send.
pub struct Job {
    pub address: String,
    /// A subscriber's own copy, not a mailing list's.
    pub personal: bool,
    pub message_id: String,
    /// `None`: nothing in this digest is in their categories (`skipped`).
    pub message: Option<Message>,
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
    /// The bodies and unsubscribe targets of the copy to `personal` (a
    /// subscriber, with the categories they follow), or of the
    /// mailing-list copy (`None`); `None` when nothing is for them.
    fn copy(
        &self,
        personal: Option<&str>,
        categories: &BTreeMap<String, Vec<String>>,
    ) -> Option<(Cow<'_, Content>, Targets)> {
        let Some(address) = personal else {
            return Some((
                Cow::Borrowed(&self.shared.full),
                self.unsubscribe.for_list(),
            ));
        };
        let edition = self.personal.as_ref().unwrap_or(&self.shared);
        let content = edition.for_address(address, categories)?;
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

/// One message per recipient of the chosen digest.
pub fn jobs(
    catalogue: &Catalogue,
    config: &DigestConfig,
    mail: &Mail,
    chosen: &Chosen,
    current: &[Recipient],
) -> Result<Vec<Job>, DigestError> {
    let date = SystemTime::from(chosen.window.end);
    let list = config.to.as_deref().and_then(recipients::list_address);
    let mut jobs = Vec::new();
    for address in &chosen.recipients {
        // A resumed digest may name someone since removed from the file.
        let known = current.iter().find(|r| &r.address == address).cloned();
        let recipient = known
            .or_else(|| recipients::from_address(address))
            .ok_or_else(|| {
                DigestError::Config(format!(
                    "the ledger names recipient {address:?}, which is not a mail address; \
                 fix that line of the ledger"
                ))
            })?;
        let personal = (list.as_deref() != Some(address.as_str())).then_some(address.as_str());
        let message_id = render::message_id(catalogue, &chosen.id, personal);
        let title = &catalogue.site.title;
        let Some((content, unsubscribe)) = mail.copy(personal, &chosen.categories) else {
            jobs.push(Job {
                address: address.clone(),
                personal: personal.is_some(),
                message_id,
                message: None,
            });
            continue;
        };
        let envelope = Envelope {
            to: &recipient,
            date,
            message_id: &message_id,
            unsubscribe: &unsubscribe,
        };
        let message = Some(render::message(config, title, &content, &envelope)?);
        jobs.push(Job {
            address: address.clone(),
            personal: personal.is_some(),
            message_id,
            message,
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
    let Some(message) = &job.message else {
        ledger.append(&Record::Skipped { digest, to })?;
        tally.skipped += 1;
        return Ok(());
    };
    for attempt in 1..=send::MAX_TRIES {
        mailer.ready()?;
        super::fault::pause("before-attempting", &to);
        ledger.append(&Record::Attempting {
            digest: digest.clone(),
            to: to.clone(),
            message_id: job.message_id.clone(),
        })?;
        match mailer.transact(message) {
            Outcome::Accepted(reply) => {
                super::fault::pause("before-accepted", &to);
                let record = Record::Accepted {
                    digest,
                    to: to.clone(),
                    reply,
                };
                ledger.append(&record).map_err(|err| unrecorded(err, to))?;
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
