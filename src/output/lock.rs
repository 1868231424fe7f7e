//! The output folder readied for one publish: checked, created, locked
//! against a second publish, and cleared of temporary files that a killed
//! publish left.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::OutputError;
use super::temp::TEMP_PREFIX;

/// Readies `out` for a publish: it must be a folder if it exists; it is
/// created and locked ([`Lock`]), so a second publish into it is refused;
/// then temporary files that a killed publish left anywhere under it are
/// deleted (issue 6): they are never outputs.
pub fn prepare(out: &Path) -> Result<Lock, OutputError> {
    // The nearest existing folder on the way to `out` must be a folder:
    // `--out notes.txt/public` fails here, before anything is written.
    let existing = out
        .ancestors()
        .filter(|path| !path.as_os_str().is_empty())
        .find_map(|path| fs::metadata(path).ok().map(|meta| (path, meta)));
    if let Some((path, meta)) = existing
        && !meta.is_dir()
    {
        return Err(OutputError::NotAFolder {
            path: path.to_path_buf(),
        });
    }
    let lock = Lock::take(out)?;
    remove_stale(out)?;
    Ok(lock)
}

/// An exclusive `flock` on the output folder itself, held until the
/// publish ends (issue 15): a second publish into the same folder is
/// refused instead of deleting the first one's staged files as stale. No
/// lock file is left in the output. A folder this publish created is
/// removed again if the publish fails while it is still empty.
#[derive(Debug)]
pub struct Lock {
    _folder: File,
    created: Option<PathBuf>,
}

impl Lock {
    fn take(out: &Path) -> Result<Self, OutputError> {
        let write_error = |source| OutputError::Write {
            path: out.to_path_buf(),
            source,
        };
        let created = !out.exists();
        fs::create_dir_all(out).map_err(write_error)?;
        let folder = File::open(out).map_err(write_error)?;
        match folder.try_lock() {
            Ok(()) => Ok(Self {
                _folder: folder,
                created: created.then(|| out.to_path_buf()),
            }),
            Err(fs::TryLockError::WouldBlock) => Err(OutputError::Busy {
                path: out.to_path_buf(),
            }),
            Err(fs::TryLockError::Error(source)) => Err(write_error(source)),
        }
    }

    /// The publish succeeded: keep the folder it created.
    pub fn release(mut self) {
        self.created = None;
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(created) = &self.created {
            // Fails, harmlessly, unless the folder is empty.
            let _ = fs::remove_dir(created);
        }
    }
}

/// Deletes `.oyez-*` files under `dir`, without following symbolic links.
/// Subfolders are searched in parallel: a large output has a thousand.
fn remove_stale(dir: &Path) -> Result<(), OutputError> {
    let Ok(items) = fs::read_dir(dir) else {
        return Ok(()); // not created yet: nothing stale in it
    };
    let mut folders = Vec::new();
    for item in items.flatten() {
        let Ok(kind) = item.file_type() else { continue };
        let path = item.path();
        if kind.is_dir() {
            folders.push(path);
        } else if kind.is_file() && item.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            fs::remove_file(&path).map_err(|source| OutputError::Write { path, source })?;
        }
    }
    folders
        .par_iter()
        .try_for_each(|folder| remove_stale(folder))
}
