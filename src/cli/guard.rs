//! Reads and writes `oyez.lock` for the id-change guard
//! ([`crate::catalogue::guard`]): `check` and `publish` refuse entries
//! whose id would change; `publish` records the ids it published.

use std::io::{self, Read, Write};
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
    let bytes = guard::render_catalogue(catalogue, origins);
    let io = |source| GuardError::Io {
        path: path.clone(),
        source,
    };
    let unchanged = match same_bytes(&path, &bytes) {
        Ok(same) => same,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Lock::new(path, bytes)),
        Err(source) => return Err(io(source).into()),
    };
    if !unchanged && !accept {
        let old = std::fs::read(&path).map_err(io)?;
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

/// Whether the file at `path` holds exactly `bytes`, read a block at a
/// time (the lock of a large catalogue is megabytes).
fn same_bytes(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    if file.metadata()?.len() != bytes.len() as u64 {
        return Ok(false);
    }
    let mut block = vec![0; 64 * 1024];
    let mut rest = bytes;
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            return Ok(rest.is_empty());
        }
        match (rest.get(..read), block.get(..read)) {
            (Some(expected), Some(got)) if expected == got => rest = &rest[read..],
            _ => return Ok(false),
        }
    }
}

impl Lock {
    fn new(path: PathBuf, bytes: Vec<u8>) -> Self {
        Self {
            path,
            bytes,
            unchanged: false,
        }
    }

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
