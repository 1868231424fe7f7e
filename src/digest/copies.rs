//! Each recipient's copy of a digest: who gets which edition (their
//! categories, their own unsubscribe link), and the message built from it
//! when it is sent or written out.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use lettre::Message;

use super::DigestError;
use super::editions::Editions;
use super::recipients::{self, Recipient};
use super::render::{self, Content, Envelope};
use super::resume::Chosen;
use super::unsubscribe::{Targets, Unsubscribe};
use crate::catalogue::identity::fnv1a;
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
    /// The `[digest] from` address, when copies go out with a per-recipient
    /// return path ([`super::verp`]): with a secret for the tokens.
    pub verp: Option<lettre::Address>,
}

impl Mail {
    /// `unsubscribe` and, when it has a secret, `from` as VERP's base; an
    /// error when `from`'s tagged form is too long.
    pub fn verp_of(
        unsubscribe: &Unsubscribe,
        from: &str,
    ) -> Result<Option<lettre::Address>, DigestError> {
        let bad = |err: String| DigestError::Config(err);
        if unsubscribe.short_token("").is_none() {
            return Ok(None);
        }
        let from = recipients::from_address(from)
            .ok_or_else(|| bad(format!("`[digest] from` {from:?} is not a mail address")))?
            .mailbox
            .email;
        super::verp::tagged(
            &from,
            super::verp::BOUNCE,
            &"0".repeat(super::unsubscribe::SHORT_TOKEN),
        )
        .map_err(bad)?;
        Ok(Some(from))
    }

    /// The envelope sender of `address`'s own copy: `from+bounce-TOKEN@domain`.
    fn return_path(&self, address: &str) -> Option<lettre::Address> {
        let from = self.verp.as_ref()?;
        let token = self.unsubscribe.short_token(address)?;
        super::verp::tagged(from, super::verp::BOUNCE, &token).ok()
    }

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
            return_path: personal.and_then(|a| self.mail.return_path(a)),
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
            message_id: message_id(catalogue, &chosen.id, personal),
            empty: mail.content(personal, &chosen.categories).is_none(),
            recipient,
        });
    }
    Ok(jobs)
}

/// The Message-ID of digest `id`; per-subscriber copies add the address.
pub fn message_id(catalogue: &Catalogue, id: &str, personal: Option<&str>) -> String {
    let base = &catalogue.site.base_url;
    let host = base.host_str().unwrap_or("oyez.invalid");
    let site = fnv1a(base.as_str().as_bytes());
    match personal {
        None => format!("<digest.{id}.{site:016x}@{host}>"),
        Some(address) => {
            let who = fnv1a(address.to_lowercase().as_bytes());
            format!("<digest.{id}.{site:016x}.{who:016x}@{host}>")
        }
    }
}
