//! `oyez subscribers import`: a CSV export of another list tool appended
//! to the subscribers file. The first row names the columns (any case;
//! `_` and `-` count as spaces):
//!
//! - the address: `email`, `email address`, `e mail`, `address` or `mail`;
//! - the name (optional): `name`, `full name` or `display name`, else
//!   `first name` and `last name` joined;
//! - the consent date (optional): `consent`, `consent date`, `optin time`,
//!   `confirm time`, `confirmed at`, `subscribed at`, `created at` or
//!   `creation date`, a date that starts `YYYY-MM-DD`.
//!
//! Addresses already listed are left as they are; suppressed ones are not
//! added (whoever left stays out); every bad row is reported with its line
//! and nothing is written until all are good.

use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use lettre::message::Mailbox;

use super::file::{self, Book};
use super::{SubscribersError, csv};
use crate::state::suppressed::{Suppressed, Suppression, key};

const EMAIL: &[&str] = &[
    "email",
    "email address",
    "e mail",
    "e mail address",
    "address",
    "mail",
];
const NAME: &[&str] = &["name", "full name", "display name"];
const CONSENT: &[&str] = &[
    "consent",
    "consent date",
    "optin time",
    "confirm time",
    "confirmed at",
    "subscribed at",
    "created at",
    "creation date",
];

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The lines appended.
    pub added: Vec<String>,
    /// Rows whose address the file already lists (or an earlier row gave).
    pub already: usize,
    /// Rows not added because the address is suppressed.
    pub suppressed: Vec<Suppression>,
}

/// Which column holds what.
struct Columns {
    email: usize,
    name: Vec<usize>,
    consent: Option<usize>,
}

/// Imports the CSV `text` (read from `shown`) into the subscribers file `name`.
pub fn import(
    root: &Path,
    name: &str,
    shown: &str,
    text: &str,
) -> Result<Imported, SubscribersError> {
    let bad = |line: usize, what: String| {
        SubscribersError::Invalid(vec![format!("{shown}:{line}: {what}")])
    };
    let rows =
        csv::parse(text).map_err(|line| bad(line, "a quoted field is never closed".into()))?;
    let Some(((_, header), rows)) = rows.split_first() else {
        return Err(bad(
            1,
            "the file is empty; the first row names the columns".into(),
        ));
    };
    let columns = columns(header).map_err(|what| bad(1, what))?;
    let mut book = Book::open(root, name)?;
    let suppressed = Suppressed::read(root)?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Imported::default();
    let mut problems = Vec::new();
    for (line, row) in rows {
        let (mailbox, consent) = match subscriber(&columns, row) {
            Ok(found) => found,
            Err(what) => {
                problems.push(format!("{shown}:{line}: {what}"));
                continue;
            }
        };
        let address = mailbox.email.to_string();
        if !seen.insert(key(&address)) || !book.lines_of(&address).is_empty() {
            out.already += 1;
        } else if let Some(s) = suppressed.get(&address) {
            out.suppressed.push(s.clone());
        } else {
            out.added.push(file::line_for(&mailbox, None, consent));
        }
    }
    if !problems.is_empty() {
        return Err(SubscribersError::Invalid(problems));
    }
    out.added.iter().for_each(|line| book.append(line));
    if !out.added.is_empty() {
        book.save()?;
    }
    Ok(out)
}

fn columns(header: &[String]) -> Result<Columns, String> {
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_lowercase().replace(['_', '-'], " "))
        .collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let Some(email) = find(EMAIL) else {
        return Err(format!(
            "no column holds the address; name it one of: {} (found: {})",
            EMAIL.join(", "),
            header.join(", ")
        ));
    };
    let name = match find(NAME) {
        Some(column) => vec![column],
        None => [find(&["first name"]), find(&["last name"])]
            .into_iter()
            .flatten()
            .collect(),
    };
    Ok(Columns {
        email,
        name,
        consent: find(CONSENT),
    })
}

fn subscriber(columns: &Columns, row: &[String]) -> Result<(Mailbox, Option<NaiveDate>), String> {
    let field = |i: usize| row.get(i).map_or("", |f| f.trim());
    let address = field(columns.email);
    let email = address.parse().map_err(|err| {
        format!("{address:?} is not a mail address ({err}); fix or remove the row")
    })?;
    let name: Vec<&str> = columns
        .name
        .iter()
        .map(|&i| field(i))
        .filter(|n| !n.is_empty())
        .collect();
    let name = Some(name.join(" ")).filter(|n| !n.is_empty());
    let mailbox = Mailbox::new(name, email);
    if !mailbox.email.to_string().is_ascii() {
        return Err(format!(
            "{address:?} is not an ASCII address; oyez sends without SMTPUTF8"
        ));
    }
    let consent = match columns.consent.map(field).filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => Some(
            text.get(..10)
                .and_then(|day| NaiveDate::from_str(day).ok())
                .ok_or_else(|| format!("consent date {text:?} is not a date; write YYYY-MM-DD"))?,
        ),
    };
    Ok((mailbox, consent))
}
