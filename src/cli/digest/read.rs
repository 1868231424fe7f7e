//! What a digest run reads before it chooses: the recipients (less the
//! suppressed) and the ledger.

use std::path::Path;

use crate::catalogue::{Catalogue, DigestConfig};
use crate::digest::DigestError;
use crate::digest::ledger::{Ledger, Writer};
use crate::digest::recipients::{self, Recipient};
use crate::error::Error;
use crate::state::suppressed::Suppressed;

/// Today's recipients, every problem reported with `file:line`.
pub(in crate::cli) fn read_recipients(
    dir: &Path,
    config: &DigestConfig,
    catalogue: &Catalogue,
) -> Result<Vec<Recipient>, Error> {
    let known: Vec<&str> = catalogue
        .categories
        .iter()
        .map(|c| c.slug.as_str())
        .collect();
    let (recipients, warnings) = recipients::read(dir, config, &known)
        .map_err(|invalid| DigestError::Recipients(invalid.0))?;
    for warning in &warnings {
        tell!("warning: {warning}");
    }
    Ok(recipients)
}

/// `recipients` without the addresses `.oyez/suppressed` names (issue
/// 21): no digest mails them, whatever the subscribers file says.
pub(super) fn mailable(dir: &Path, recipients: Vec<Recipient>) -> Result<Vec<Recipient>, Error> {
    let suppressed = Suppressed::read(dir)?;
    let (kept, dropped) = recipients::without_suppressed(recipients, &suppressed);
    if !dropped.is_empty() {
        let count = crate::digest::counted(dropped.len(), "address", "addresses");
        tell!("note: {count} of the recipients suppressed in .oyez/suppressed: not mailed");
    }
    Ok(kept)
}

/// With `--send`, takes the lock and opens the ledger for appending.
pub(super) fn open_ledger(
    dir: &Path,
    path: &Path,
    send: bool,
) -> Result<(Option<Writer>, Ledger), Error> {
    let (writer, ledger) = if send {
        let (writer, ledger) = Writer::open_in(dir, path).map_err(DigestError::from)?;
        (Some(writer), ledger)
    } else {
        (None, Ledger::read_in(dir, path).map_err(DigestError::from)?)
    };
    if let Some(torn) = ledger.torn {
        tell!(
            "note: {}:{}: the last line is incomplete: a run was interrupted while writing it. \
             Such a line never counts (each line is on disk before the step it records), so it \
             is {}.",
            path.display(),
            torn.line,
            if send { "removed" } else { "ignored" }
        );
    }
    Ok((writer, ledger))
}
