//! Reads and writes `oyez.lock` for the id-change guard
//! ([`crate::catalogue::guard`]): `check` and `publish` refuse entries
//! whose id would change; `publish` records the ids it published.

use std::io;
use std::path::Path;

use crate::catalogue::Catalogue;
use crate::catalogue::guard::{self, GuardError, LOCK_FILE, Origins};
use crate::error::Error;

/// Fails with every entry whose id would change since the last publish
/// (none when the catalogue was never published).
pub(super) fn refuse_id_changes(
    dir: &Path,
    catalogue: &Catalogue,
    origins: &Origins,
) -> Result<(), Error> {
    let path = dir.join(LOCK_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(GuardError::Io { path, source }.into()),
    };
    let published = guard::parse(&text)?;
    let changes = guard::id_changes(catalogue, origins, &published);
    if changes.is_empty() {
        Ok(())
    } else {
        Err(GuardError::IdChanges { changes }.into())
    }
}

/// Writes `oyez.lock` for what was just published, when it changed.
pub(super) fn record(dir: &Path, catalogue: &Catalogue, origins: &Origins) -> Result<(), Error> {
    let path = dir.join(LOCK_FILE);
    let bytes = guard::render(&guard::records(catalogue, origins));
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    crate::output::replace(&path, &bytes).map_err(|source| GuardError::Io { path, source })?;
    Ok(())
}
