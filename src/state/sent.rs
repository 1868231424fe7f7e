//! `.oyez/digests` (issue 19): the id of every digest `oyez digest --send`
//! recorded, one a line, written right after the ledger's `digest` line.
//! It is the lost-ledger guard: a ledger that lacks a digest listed here
//! was deleted, replaced or rolled back (a merge that took an old copy),
//! and sending from it would mail everyone again.

use std::path::Path;

use super::{SENT, StateError};

/// The digest ids recorded in the catalogue `root`.
pub fn read(root: &Path) -> Result<Vec<String>, StateError> {
    let Some(bytes) = super::read(root, SENT)? else {
        return Ok(Vec::new());
    };
    let text = String::from_utf8_lossy(&bytes);
    Ok(super::records(&text)
        .map(|(_, id)| id.trim().to_owned())
        .collect())
}

/// Adds `id` (once).
pub fn record(root: &Path, id: &str) -> Result<(), StateError> {
    let mut ids = read(root)?;
    if ids.iter().any(|known| known == id) {
        return Ok(());
    }
    ids.push(id.to_owned());
    let mut text =
        String::from("# .oyez/digests: every digest sent from this catalogue; commit it.\n");
    for id in &ids {
        text.push_str(id);
        text.push('\n');
    }
    super::write(root, SENT, text.as_bytes())
}

/// The first recorded digest that `ledger_ids` lacks, if any.
pub fn missing<'a>(recorded: &'a [String], ledger_ids: &[&str]) -> Option<&'a str> {
    recorded
        .iter()
        .find(|id| !ledger_ids.contains(&id.as_str()))
        .map(String::as_str)
}
