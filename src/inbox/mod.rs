//! `oyez inbox` (issue 21 §2): the requests, bounces and complaints a
//! mailbox received, applied to the subscribers file and the committed
//! state. A message is read (`read`, `report`), applied (`apply`,
//! `confirm` for double opt-in), recorded as done in `.oyez/inbox`
//! ([`crate::state::inbox`]) and only then deleted from the mailbox: a run
//! killed at any point applies no message twice (every effect is
//! idempotent, and a done message is only deleted again). A message oyez
//! cannot read, or that asks for nothing it knows, stays in the mailbox
//! and is reported. The mailbox is a Maildir ([`maildir`]) or IMAP
//! ([`imap`]), named by a URL ([`open`]).

use std::path::Path;

use chrono::{DateTime, Utc};
use mailparse::{MailHeaderMap, ParsedMail};
use sha2::{Digest, Sha256};

use crate::catalogue::Catalogue;
use crate::digest::send::Settings;
use crate::state::StateError;
use crate::state::inbox::{Done, Inbox};
use crate::subscribers::SubscribersError;

mod apply;
mod confirm;
pub mod imap;

mod known;
pub mod maildir;
mod read;
mod report;
mod request;
mod step;

pub(crate) use known::Known;

/// Why a run stops.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// A setting or the mailbox, phrased for the user.
    #[error("{0}")]
    Config(String),
    #[error("the mailbox {mailbox}: {reason}")]
    Mailbox { mailbox: String, reason: String },
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Subscribers(#[from] SubscribersError),
}

/// A mailbox: its messages, in a stable order, by id.
pub trait Mailbox {
    /// How messages name it (never with a password).
    fn shown(&self) -> String;
    /// The ids of its messages.
    fn list(&mut self) -> Result<Vec<String>, InboxError>;
    /// A message's bytes, or why they cannot be read.
    fn fetch(&mut self, id: &str) -> Result<Vec<u8>, String>;
    /// Deletes a message that was applied.
    fn delete(&mut self, id: &str) -> Result<(), InboxError>;
    /// Ends the session (IMAP expunges what was deleted).
    fn finish(&mut self) -> Result<(), InboxError>;
}

/// What a run works with.
pub struct Setup<'a> {
    pub root: &'a Path,
    pub catalogue: &'a Catalogue,
    /// `OYEZ_UNSUBSCRIBE_SECRET`: the key of every token.
    pub secret: Option<Vec<u8>>,
    /// Where confirmations are sent (`OYEZ_SMTP_URL`).
    pub smtp: Option<Settings>,
    pub now: DateTime<Utc>,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub messages: usize,
    pub applied: usize,
    /// Not for oyez, or waiting (no SMTP): left in the mailbox.
    pub left: usize,
    /// Could not be read: left in the mailbox.
    pub unread: usize,
    /// Confirmations a killed run may or may not have sent.
    pub unconfirmed: usize,
}

/// Applies every message of `mailbox`; `note` hears each line of the report.
pub fn run(
    setup: &Setup<'_>,
    mailbox: &mut dyn Mailbox,
    note: &mut dyn FnMut(String),
) -> Result<Summary, InboxError> {
    let mut state = Inbox::read(setup.root)?;
    let mut sender = confirm::Sender::new(setup.smtp.clone());
    let mut summary = Summary::default();
    let mut known = None;
    for id in mailbox.list()? {
        summary.messages += 1;
        let bytes = match mailbox.fetch(&id) {
            Ok(bytes) => bytes,
            Err(why) => {
                note(format!("left unread in the mailbox: message {id}: {why}"));
                summary.unread += 1;
                continue;
            }
        };
        let hash = hex(&Sha256::digest(&bytes));
        if !state.done.contains_key(&hash) {
            let Ok(mail) = mailparse::parse_mail(&bytes) else {
                note(format!(
                    "left unread in the mailbox: message {id}: not a mail message"
                ));
                summary.unread += 1;
                continue;
            };
            let step = step::Step {
                setup,
                mail: &mail,
                hash: &hash,
            };
            let known = match &mut known {
                Some(known) => known,
                None => known.insert(step.known()?),
            };
            if !step.apply(&mut state, known, &mut sender, &mut summary, note)? {
                continue;
            }
        }
        crate::digest::fault::pause("inbox-before-delete", &message_id_of(&bytes));
        mailbox.delete(&id)?;
    }
    sender.quit();
    mailbox.finish()?;
    Ok(summary)
}

/// Records `hash` as done, with what was done.
fn record_done(
    setup: &Setup<'_>,
    state: &mut Inbox,
    hash: &str,
    id: String,
    what: &str,
) -> Result<(), InboxError> {
    let date = setup
        .now
        .with_timezone(&setup.catalogue.site.timezone)
        .date_naive();
    let done = Done {
        done: hash.to_owned(),
        message_id: id,
        date,
        what: what.to_owned(),
    };
    state.done.insert(hash.to_owned(), done);
    Ok(state.write(setup.root)?)
}

/// The message's Message-ID, or `(no Message-ID)`.
pub(crate) fn message_id(mail: &ParsedMail<'_>) -> String {
    let id = mail
        .headers
        .get_first_value("Message-ID")
        .unwrap_or_default();
    match id.trim() {
        "" => "(no Message-ID)".to_owned(),
        id => id.to_owned(),
    }
}

fn message_id_of(bytes: &[u8]) -> String {
    mailparse::parse_mail(bytes)
        .map(|m| message_id(&m))
        .unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The mailbox `url` names: `maildir:PATH`, or IMAP ([`imap`]) trusting
/// the certificates in `ca` besides the Web PKI.
pub fn open(url: &str, ca: Option<&Path>) -> Result<Box<dyn Mailbox>, InboxError> {
    if let Some(path) = url.strip_prefix("maildir:") {
        return Ok(Box::new(maildir::Maildir::open(path.into())?));
    }
    if url.starts_with("imaps:") || url.starts_with("imap:") {
        return Ok(Box::new(imap::Imap::connect(url, ca)?));
    }
    Err(InboxError::Config(
        "OYEZ_INBOX_URL is neither maildir:PATH nor imaps://user:password@host/INBOX          (the value is not shown because it may hold a password)"
            .into(),
    ))
}

/// The `[digest] from` address.
pub(crate) fn from_address(catalogue: &Catalogue) -> Result<lettre::Address, InboxError> {
    let from = catalogue
        .digest
        .as_ref()
        .map(|d| d.from.as_str())
        .unwrap_or_default();
    crate::digest::recipients::from_address(from)
        .map(|r| r.mailbox.email)
        .ok_or_else(|| {
            InboxError::Config(format!("`[digest] from` {from:?} is not a mail address"))
        })
}
