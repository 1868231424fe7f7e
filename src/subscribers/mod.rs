//! The subscribers (issue 21): the `[digest] subscribers` file edited line
//! by line, keeping its comments and order ([`mod@file`]), CSV in and out
//! ([`csv`], [`import`]), what refusals at RCPT teach about addresses
//! ([`bounces`]) and whom an unsubscribe token names ([`token`]). Who is
//! suppressed is kept in the committed state ([`crate::state::suppressed`]):
//! `remove` suppresses as well, so that a later import of an old file does
//! not bring back someone who left.

use std::io;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use lettre::message::Mailbox;

use crate::input::InputError;
use crate::state::StateError;
use crate::state::consent::{self, Consent};
use crate::state::suppressed::{Suppressed, Suppression, key};

pub mod bounces;
pub mod csv;
pub mod file;
pub mod import;
pub mod token;

use file::Book;

/// Why a change to the subscribers cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum SubscribersError {
    #[error(
        "oyez.toml: `[digest]` names no subscribers file; add `subscribers = \"subscribers.txt\"` \
         under [digest]"
    )]
    NoFile,
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    State(#[from] StateError),
    /// Every problem, each as `file:line: …`.
    #[error("nothing was changed; fix these lines first")]
    Invalid(Vec<String>),
    #[error("cannot write {path}; fix the folder's permissions or free some space and run again")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
    /// The change asked for cannot be made (the message says why and what to do).
    #[error("{0}")]
    Refused(String),
}

/// One subscriber or suppressed address, as `list` and `export` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub address: String,
    pub name: Option<String>,
    /// `None`: every category.
    pub categories: Option<Vec<String>>,
    pub consent: Option<NaiveDate>,
    /// Its line in the subscribers file; `None` when only suppressed.
    pub line: Option<usize>,
    pub suppression: Option<Suppression>,
    /// How they consented, when `.oyez/consent` records it (double opt-in).
    pub record: Option<Consent>,
}

/// The catalogue's subscribers file (as `[digest] subscribers` names it)
/// and its category slugs.
pub fn file_of(
    catalogue: &crate::catalogue::Catalogue,
) -> Result<(String, Vec<String>), SubscribersError> {
    let name = catalogue
        .digest
        .as_ref()
        .and_then(|d| d.subscribers.clone());
    let name = name.ok_or(SubscribersError::NoFile)?;
    let known = catalogue
        .categories
        .iter()
        .map(|c| c.slug.clone())
        .collect();
    Ok((name, known))
}

/// Everyone in the subscribers file `name`, in file order, then the
/// suppressed addresses it does not list.
pub fn list(root: &Path, name: &str, known: &[&str]) -> Result<Vec<Status>, SubscribersError> {
    let listed = Book::open(root, name)?.listed(known)?;
    let mut suppressed = Suppressed::read(root)?;
    let mut records = consent::read(root)?;
    let mut out: Vec<Status> = listed
        .into_iter()
        .map(|l| Status {
            suppression: suppressed.get(&l.recipient.address).cloned(),
            record: records.remove(&key(&l.recipient.address)),
            address: l.recipient.address,
            name: l.recipient.mailbox.name,
            categories: l.recipient.categories,
            consent: l.consent,
            line: Some(l.line),
        })
        .collect();
    for status in &out {
        suppressed.suppressions.remove(&key(&status.address));
    }
    out.extend(suppressed.suppressions.into_values().map(|s| Status {
        address: s.address.clone(),
        name: None,
        categories: None,
        consent: None,
        line: None,
        record: records.remove(&key(&s.address)),
        suppression: Some(s),
    }));
    Ok(out)
}

/// Appends `mailbox` to the subscribers file; returns the line written.
/// Refuses an address already listed, or suppressed (lift that first).
pub fn add(
    root: &Path,
    name: &str,
    known: &[&str],
    mailbox: &str,
    categories: Option<&[String]>,
    consent: Option<NaiveDate>,
) -> Result<String, SubscribersError> {
    let mut book = Book::open(root, name)?;
    let mailbox = parse_mailbox(mailbox)?;
    let address = mailbox.email.to_string();
    if let Some(&line) = book.lines_of(&address).first() {
        return Err(SubscribersError::Refused(format!(
            "{name}:{line}: {address} is already listed; edit that line to change it"
        )));
    }
    refuse_suppressed(&Suppressed::read(root)?, &address)?;
    let line = file::line_for(&mailbox, categories, consent);
    crate::digest::recipients::parse_line(&line, known).map_err(SubscribersError::Invalid)?;
    book.append(&line);
    book.save()?;
    Ok(line)
}

/// Gives the subscriber `address` the `categories` (slugs), keeping the
/// rest of their line; returns the new line.
pub fn set_categories(
    root: &Path,
    name: &str,
    known: &[&str],
    address: &str,
    categories: &[String],
) -> Result<String, SubscribersError> {
    let mut book = Book::open(root, name)?;
    let listed = book.listed(known)?;
    let wanted = key(address);
    let Some(found) = listed.iter().find(|l| key(&l.recipient.address) == wanted) else {
        return Err(SubscribersError::Refused(format!(
            "{name} does not list {address}"
        )));
    };
    let line = file::line_for(&found.recipient.mailbox, Some(categories), found.consent);
    crate::digest::recipients::parse_line(&line, known).map_err(SubscribersError::Invalid)?;
    book.replace_line(found.line, &line);
    book.save()?;
    Ok(line)
}

/// Suppresses `suppression.address` first, then takes its lines out of
/// the subscribers file; returns the numbers of the lines removed, and
/// whether the suppression is new (an earlier one is kept).
pub fn remove(
    root: &Path,
    name: &str,
    suppression: Suppression,
) -> Result<(Vec<usize>, bool), SubscribersError> {
    let mut book = Book::open(root, name)?;
    let lines = book.lines_of(&suppression.address);
    if lines.is_empty() {
        return Err(SubscribersError::Refused(format!(
            "{name} does not list {}; `oyez subscribers suppress` stops mail to an address \
             that is not listed",
            suppression.address
        )));
    }
    let new = suppress(root, suppression)?;
    book.remove_lines(&lines);
    book.save()?;
    Ok((lines, new))
}

/// Records a suppression; `false` when the address was already suppressed
/// (the earlier record stays).
pub fn suppress(root: &Path, suppression: Suppression) -> Result<bool, SubscribersError> {
    parse_mailbox(&suppression.address)?;
    let mut file = Suppressed::read(root)?;
    let new = file.suppress(suppression);
    if new {
        file.write(root)?;
    }
    Ok(new)
}

/// Lifts the suppression of `address`; returns what it was.
pub fn unsuppress(root: &Path, address: &str) -> Result<Suppression, SubscribersError> {
    let mut file = Suppressed::read(root)?;
    let lifted = file.unsuppress(address).ok_or_else(|| {
        SubscribersError::Refused(format!("{address} is not suppressed (.oyez/suppressed)"))
    })?;
    file.write(root)?;
    Ok(lifted)
}

fn parse_mailbox(text: &str) -> Result<Mailbox, SubscribersError> {
    match Mailbox::from_str(text.trim()) {
        Ok(mailbox) if mailbox.email.to_string().is_ascii() => Ok(mailbox),
        Ok(_) => Err(SubscribersError::Refused(format!(
            "{text:?} is not an ASCII address; oyez sends without SMTPUTF8"
        ))),
        Err(err) => Err(SubscribersError::Refused(format!(
            "{text:?} is not a mail address ({err})"
        ))),
    }
}

fn refuse_suppressed(file: &Suppressed, address: &str) -> Result<(), SubscribersError> {
    match file.get(address) {
        Some(s) => Err(SubscribersError::Refused(format!(
            "{address} is suppressed since {} ({}: {}); if they asked to come back, run \
             `oyez subscribers unsuppress {address}` first",
            s.date,
            s.reason.as_str(),
            s.evidence
        ))),
        None => Ok(()),
    }
}

/// The CSV `export` prints: `email,name,categories,consent,status`, then
/// the consent record (`consent_when,consent_how,consent_message`), one
/// row per [`Status`]; `import` reads it back.
pub fn export(statuses: &[Status]) -> String {
    let mut out = csv::line(&[
        "email",
        "name",
        "categories",
        "consent",
        "status",
        "consent_when",
        "consent_how",
        "consent_message",
    ]);
    for status in statuses {
        let categories = status
            .categories
            .as_ref()
            .map(|c| c.join(","))
            .unwrap_or_default();
        let consent = status.consent.map(|d| d.to_string()).unwrap_or_default();
        let name = status.name.as_deref().unwrap_or_default();
        let state = describe(status);
        let record = status.record.as_ref();
        let when = record.map(|r| r.when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        out.push_str(&csv::line(&[
            &status.address,
            name,
            &categories,
            &consent,
            &state,
            when.as_deref().unwrap_or_default(),
            record.map_or("", |r| r.how.as_str()),
            record.map_or("", |r| r.message.as_str()),
        ]));
    }
    out
}

/// `subscribed`, or `suppressed: REASON since DAY` (with `, not listed`
/// when the subscribers file does not list the address).
pub fn describe(status: &Status) -> String {
    match (&status.suppression, status.line) {
        (None, _) => "subscribed".to_owned(),
        (Some(s), line) => format!(
            "suppressed: {} since {}{}",
            s.reason.as_str(),
            s.date,
            if line.is_none() { ", not listed" } else { "" }
        ),
    }
}
