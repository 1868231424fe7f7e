//! Reads and writes `oyez.lock` for the id-change guard
//! ([`crate::catalogue::guard`]): `check` and `publish` refuse entries
//! whose id would change; `publish` records the ids it published.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::catalogue::Catalogue;
use crate::catalogue::guard::{self, GuardError, LOCK_FILE, Origins};
use crate::error::Error;

/// `oyez.lock` as this catalogue would write it.
pub(super) struct Lock {
    path: PathBuf,
    bytes: Vec<u8>,
    unchanged: bool,
}

/// Fails with every entry whose id would change since the last publish,
/// unless `accept`; nothing is checked when the lock is absent (never
/// published) or already what this catalogue would write.
pub(super) fn check(
    dir: &Path,
    catalogue: &Catalogue,
    origins: &Origins,
    accept: bool,
) -> Result<Lock, Error> {
    let path = dir.join(LOCK_FILE);
    let bytes = guard::render(&guard::records(catalogue, origins));
    let old = match std::fs::read(&path) {
        Ok(old) => Some(old),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(source) => return Err(GuardError::Io { path, source }.into()),
    };
    let unchanged = old.as_deref() == Some(bytes.as_slice());
    if let Some(old) = old.filter(|_| !unchanged && !accept) {
        let text = String::from_utf8_lossy(&old);
        let published = guard::parse(&text)?;
        let changes = guard::id_changes(catalogue, origins, &published);
        if !changes.is_empty() {
            return Err(GuardError::IdChanges { changes }.into());
        }
    }
    Ok(Lock {
        path,
        bytes,
        unchanged,
    })
}

impl Lock {
    /// Replaces `oyez.lock` when it changed: a temporary file renamed into
    /// place, not flushed (a lock lost in a power cut only skips one check).
    pub(super) fn write(self) -> Result<(), Error> {
        if self.unchanged {
            return Ok(());
        }
        let io = |source| GuardError::Io {
            path: self.path.clone(),
            source,
        };
        let folder = self.path.parent().unwrap_or(Path::new("."));
        let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
        temp.write_all(&self.bytes).map_err(io)?;
        temp.persist(&self.path).map_err(|err| io(err.error))?;
        Ok(())
    }
}
