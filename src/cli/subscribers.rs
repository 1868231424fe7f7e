//! `oyez subscribers list|add|remove|import|export|suppress|unsuppress`:
//! the `[digest] subscribers` file, changed line by line, and the
//! suppressions in `.oyez/suppressed` (issue 21). Parses and prints; the
//! work is in [`crate::subscribers`].

use std::path::Path;

use chrono::NaiveDate;

use super::digest::UNSUBSCRIBE_SECRET;
use super::{CatalogueDir, parse_day, today};
use crate::error::{CommandError, Error};
use crate::state::suppressed::{Reason, Suppressed, Suppression};
use crate::subscribers::token::Token;
use crate::subscribers::{self as book, SubscribersError};

#[derive(Debug, clap::Subcommand)]
pub(super) enum Action {
    /// List every subscriber with their status (subscribed, suppressed) and categories
    List(CatalogueDir),
    /// Add a subscriber at the end of the subscribers file
    Add {
        /// The address, or `Name <address>`
        address: String,
        #[command(flatten)]
        catalogue: CatalogueDir,
        /// The categories they follow (slugs) [default: all]
        #[arg(long, value_delimiter = ',', value_name = "SLUG,SLUG")]
        categories: Option<Vec<String>>,
        /// When they consented (YYYY-MM-DD), kept on their line as consent=DAY
        #[arg(long, value_parser = parse_day)]
        consent: Option<NaiveDate>,
    },
    /// Take a subscriber's line out and suppress the address, so no import brings it back
    Remove(Change),
    /// Append the subscribers of a CSV export (email, optional name and consent date)
    Import {
        /// The CSV file (see docs/subscribers.md for the column names read)
        file: std::path::PathBuf,
        #[command(flatten)]
        catalogue: CatalogueDir,
    },
    /// Print every subscriber and suppressed address as CSV
    Export(CatalogueDir),
    /// Stop every digest from mailing an address, whatever the subscribers file says
    Suppress(Change),
    /// Lift a suppression (the subscribers file decides again)
    Unsuppress {
        /// The address (any case)
        address: String,
        #[command(flatten)]
        catalogue: CatalogueDir,
    },
}

/// An address to remove or suppress, and the record to keep.
#[derive(Debug, clap::Args)]
pub(super) struct Change {
    /// The address (any case)
    #[arg(required_unless_present = "token")]
    address: Option<String>,
    /// The token of the subscriber's unsubscribe link ({{ token }}, checked with
    /// OYEZ_UNSUBSCRIBE_SECRET): the address it names is the one changed
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Why [default: unsubscribed for remove, by-hand for suppress]
    #[arg(long, value_enum)]
    reason: Option<Reason>,
    /// The evidence: a message id, a reply, a note
    #[arg(long, value_name = "TEXT")]
    evidence: Option<String>,
    /// The day (YYYY-MM-DD) [default: today in the site's time zone]
    #[arg(long, value_parser = parse_day)]
    date: Option<NaiveDate>,
}

pub(super) fn run(action: &Action) -> Result<(), Error> {
    match action {
        Action::List(dir) => list(&dir.path()),
        Action::Export(dir) => {
            let (_, name, known) = open(&dir.path())?;
            let all = book::list(&dir.path(), &name, &refs(&known))?;
            print!("{}", book::export(&all));
            Ok(())
        }
        Action::Add {
            address,
            catalogue,
            categories,
            consent,
        } => {
            let dir = catalogue.path();
            let (_, name, known) = open(&dir)?;
            let line = book::add(
                &dir,
                &name,
                &refs(&known),
                address,
                categories.as_deref(),
                *consent,
            )?;
            say!("added to {name}: {line}");
            Ok(())
        }
        Action::Remove(change) => remove(change),
        Action::Import { file, catalogue } => import(&catalogue.path(), file),
        Action::Suppress(change) => suppress(change),
        Action::Unsuppress { address, catalogue } => {
            let lifted = book::unsuppress(&catalogue.path(), address)?;
            say!(
                "{address} is no longer suppressed (was {} since {}); commit .oyez/suppressed",
                lifted.reason.as_str(),
                lifted.date
            );
            Ok(())
        }
    }
}

/// The catalogue's today, its subscribers file and its category slugs.
fn open(dir: &Path) -> Result<(NaiveDate, String, Vec<String>), Error> {
    let loaded = super::load(dir)?;
    let catalogue = &loaded.catalogue;
    let (name, known) = book::file_of(catalogue)?;
    Ok((today(catalogue), name, known))
}

fn refs(known: &[String]) -> Vec<&str> {
    known.iter().map(String::as_str).collect()
}

fn list(dir: &Path) -> Result<(), Error> {
    let (_, name, known) = open(dir)?;
    let all = book::list(dir, &name, &refs(&known))?;
    let width = all.iter().map(|s| s.address.len()).max().unwrap_or(0);
    for status in &all {
        let categories = match (&status.categories, status.line) {
            (_, None) => "-".to_owned(),
            (None, Some(_)) => "all".to_owned(),
            (Some(c), Some(_)) => c.join(","),
        };
        let state = book::describe(status);
        say!("{:width$}  {categories}  {state}", status.address);
    }
    let suppressed = all.iter().filter(|s| s.suppression.is_some()).count();
    let mailed = all.len() - suppressed;
    say!("{name}: {mailed} mailed, {suppressed} suppressed (.oyez/suppressed)");
    Ok(())
}

fn record(change: &Change, dir: &Path, default: Reason, how: &str) -> Result<Suppression, Error> {
    let (day, _, _) = open(dir)?;
    let address = match &change.token {
        Some(token) => token_holder(change, dir, token)?,
        None => change.address.clone().unwrap_or_default(),
    };
    let how = match &change.token {
        Some(_) => format!("{how} --token (the address's own unsubscribe link)"),
        None => how.to_owned(),
    };
    Ok(Suppression {
        address: address.trim().to_owned(),
        reason: change.reason.unwrap_or(default),
        date: change.date.unwrap_or(day),
        evidence: change.evidence.clone().unwrap_or(how),
    })
}

/// The address `token` names under `OYEZ_UNSUBSCRIBE_SECRET`: the one
/// given, checked, or else the subscriber (or suppressed address) it names.
fn token_holder(change: &Change, dir: &Path, token: &str) -> Result<String, Error> {
    let token = Token::parse(token)?;
    let secret = std::env::var_os(UNSUBSCRIBE_SECRET)
        .map(|s| s.into_encoded_bytes())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| refused(format!(
            "--token needs {UNSUBSCRIBE_SECRET}, the secret the digest made the token with; set it"
        )))?;
    let (_, name, known) = open(dir)?;
    if let Some(address) = &change.address {
        return match token.names(&secret, address) {
            true => Ok(address.clone()),
            false => Err(refused(format!(
                "the token is not {address}'s under {UNSUBSCRIBE_SECRET}: nothing was changed \
                 (a mistyped or forged link, or another secret)"
            ))),
        };
    }
    let all = book::list(dir, &name, &refs(&known))?;
    let holder = token.holder(&secret, all.iter().map(|s| s.address.as_str()));
    holder.map(str::to_owned).ok_or_else(|| {
        refused(format!(
            "no address in {name} or .oyez/suppressed has this token under \
             {UNSUBSCRIBE_SECRET}: nothing was changed (a mistyped or forged link, another \
             secret, or an address removed without suppression)"
        ))
    })
}

/// Says so when `address` is suppressed and not listed: a second click
/// of the same link changes nothing and is no error.
fn left_already(dir: &Path, name: &str, address: &str) -> Result<bool, Error> {
    let listed = !book::file::Book::open(dir, name)?
        .lines_of(address)
        .is_empty();
    let suppressed = Suppressed::read(dir)?;
    match suppressed.get(address).filter(|_| !listed) {
        Some(earlier) => {
            say!(
                "{address} already left ({} since {}): nothing to change",
                earlier.reason.as_str(),
                earlier.date
            );
            Ok(true)
        }
        None => Ok(false),
    }
}

fn refused(message: String) -> Error {
    SubscribersError::Refused(message).into()
}

fn remove(change: &Change) -> Result<(), Error> {
    let dir = change.catalogue.path();
    let (_, name, _) = open(&dir)?;
    let suppression = record(
        change,
        &dir,
        Reason::Unsubscribed,
        "oyez subscribers remove",
    )?;
    if change.token.is_some() && left_already(&dir, &name, &suppression.address)? {
        return Ok(());
    }
    let (lines, new) = book::remove(&dir, &name, suppression.clone())?;
    let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
    let how = match new {
        true => format!("suppressed it ({})", suppression.reason.as_str()),
        false => "it stays suppressed as recorded before".to_owned(),
    };
    say!(
        "removed {} from {name} (line {}) and {how}: commit both",
        suppression.address,
        lines.join(", ")
    );
    Ok(())
}

fn suppress(change: &Change) -> Result<(), Error> {
    let dir = change.catalogue.path();
    let suppression = record(change, &dir, Reason::ByHand, "oyez subscribers suppress")?;
    let address = suppression.address.clone();
    match book::suppress(&dir, suppression)? {
        true => say!("suppressed {address}: no digest mails it; commit .oyez/suppressed"),
        false => say!("{address} was already suppressed; its record is kept"),
    }
    Ok(())
}

fn import(dir: &Path, file: &Path) -> Result<(), Error> {
    let (_, name, _) = open(dir)?;
    let shown = file.display().to_string();
    let text = read_csv(file, &shown)?;
    let done = book::import::import(dir, &name, &shown, &text)?;
    for s in &done.suppressed {
        say!(
            "not added: {} is suppressed ({} since {})",
            s.address,
            s.reason.as_str(),
            s.date
        );
    }
    say!(
        "imported {shown} into {name}: {} added, {} already listed, {} suppressed",
        done.added.len(),
        done.already,
        done.suppressed.len()
    );
    Ok(())
}

/// The CSV file's text: at most 64 MiB of UTF-8.
fn read_csv(file: &Path, shown: &str) -> Result<String, Error> {
    let error = |reason: String| CommandError::Read {
        path: shown.to_owned(),
        reason,
    };
    let size = std::fs::metadata(file)
        .map_err(|err| error(err.to_string()))?
        .len();
    if size > CSV_LIMIT {
        return Err(error(format!(
            "it holds {size} bytes, more than the {CSV_LIMIT} read; split it and import each part"
        ))
        .into());
    }
    let bytes = std::fs::read(file).map_err(|err| error(err.to_string()))?;
    String::from_utf8(bytes)
        .map_err(|_| error("it is not UTF-8; export it (or save it) as UTF-8".to_owned()).into())
}

/// The largest CSV file `import` reads (as the subscribers file).
const CSV_LIMIT: u64 = 64 * 1024 * 1024;
