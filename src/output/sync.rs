//! Durability: two flushes instead of one per file.
//!
//! A rename must not reach the disk before the bytes it points at, or a
//! power loss could leave a short or empty file under the published name.
//! So every temporary file is made durable before the first rename, and the
//! renames before the summary is printed. On Linux,
//! [`Stage::commit`](super::Stage::commit) does that with one `syncfs(2)` per file system holding staged files before
//! the renames, and one after:
//!
//! - `syncfs` writes back every dirty page and inode of the file system,
//!   commits its journal and flushes the disk's cache before it returns
//!   (and, since Linux 5.8, reports write-back errors). After the first
//!   call the temporary files' bytes, sizes and folder entries are on disk:
//!   one journal commit where a full publish of 100,000 entries used to
//!   fsync 2,033 files and then 1,017 folders.
//! - Then the renames, batch by batch. A crash among them leaves some
//!   targets new and some old, each complete, since both versions are on
//!   disk. A journalling file system (ext4, XFS) commits metadata changes
//!   in the order they were made, so a feed's rename (a later batch) does
//!   not survive without that of the archive page it links to (an earlier
//!   batch). On a file system without a journal neither this nor an fsync
//!   per folder promises that order.
//! - The second `syncfs` makes the renames durable.
//!
//! The cost: `syncfs` also writes back other programs' unsaved data on
//! the same file system, so next to a heavy writer it can wait longer than
//! fsyncs of our own files would; and the page write-back runs in the
//! kernel's flusher threads instead of in oyez (it still costs the
//! machine CPU, only not this process). Elsewhere, or where `syncfs` is
//! refused as unsupported, each temporary file is fsynced before the
//! renames and each touched folder after, on a pool of threads that wait
//! on the disk together. A single replaced file ([`replace`](super::replace)) is fsynced
//! on its own.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;

use super::temp::Staged;
use super::{OutputError, folder};

/// Makes the staged files' bytes durable, before any of them is renamed.
pub(super) fn sync_files(staged: &[Staged]) -> Result<(), OutputError> {
    let places = staged
        .iter()
        .map(|one| (one.device, folder(one.spot.path())));
    if sync_file_systems(places)? {
        return Ok(());
    }
    fsync_each_file(staged)
}

/// Makes the renames into `folders` durable.
pub(super) fn sync_folders(folders: &[(u64, PathBuf)]) -> Result<(), OutputError> {
    let places = folders.iter().map(|(device, dir)| (*device, dir.as_path()));
    if sync_file_systems(places)? {
        return Ok(());
    }
    fsync_each_folder(folders)
}

/// Without `syncfs`: fsyncs every staged file.
fn fsync_each_file(staged: &[Staged]) -> Result<(), OutputError> {
    on_io_pool(|| {
        staged.par_iter().try_for_each(|one| {
            let file = OpenOptions::new().write(true).open(one.spot.path());
            file.and_then(|file| file.sync_all())
                .map_err(|source| OutputError::Write {
                    path: one.path.clone(),
                    source,
                })
        })
    })
}

/// Without `syncfs`: fsyncs every folder that received a rename.
fn fsync_each_folder(folders: &[(u64, PathBuf)]) -> Result<(), OutputError> {
    on_io_pool(|| {
        folders.par_iter().try_for_each(|(_, dir)| {
            sync_dir(dir).map_err(|source| OutputError::Write {
                path: dir.clone(),
                source,
            })
        })
    })
}

/// One `syncfs(2)` per file system among `places` (a device and a folder
/// on it). `false` if the system refuses it as unsupported: the caller
/// then fsyncs each file or folder.
#[cfg(target_os = "linux")]
fn sync_file_systems<'a>(
    places: impl Iterator<Item = (u64, &'a Path)>,
) -> Result<bool, OutputError> {
    let mut devices = std::collections::BTreeMap::new();
    for (device, dir) in places {
        devices.entry(device).or_insert(dir);
    }
    for dir in devices.into_values() {
        let synced =
            File::open(dir).and_then(|file| rustix::fs::syncfs(&file).map_err(io::Error::from));
        match synced {
            Ok(()) => {}
            Err(err) if refused(&err) => return Ok(false),
            Err(source) => {
                return Err(OutputError::Write {
                    path: dir.to_path_buf(),
                    source,
                });
            }
        }
    }
    Ok(true)
}

#[cfg(not(target_os = "linux"))]
fn sync_file_systems<'a>(
    _places: impl Iterator<Item = (u64, &'a Path)>,
) -> Result<bool, OutputError> {
    Ok(false)
}

/// Errors after which fsync, file by file, may still work: `syncfs` not
/// implemented or forbidden (a sandbox), or a folder we may not open.
#[cfg(target_os = "linux")]
fn refused(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::Unsupported | io::ErrorKind::PermissionDenied
    )
}

/// Runs `work` on threads that wait on the disk, not the CPU: more of
/// them than there are cores, so the file system can commit their fsyncs
/// together.
fn on_io_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match IO_POOL.as_ref() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Threads for fsyncing files one by one, built once (`None` if the
/// system refuses threads: then the global pool waits).
static IO_POOL: LazyLock<Option<rayon::ThreadPool>> =
    LazyLock::new(|| rayon::ThreadPoolBuilder::new().num_threads(16).build().ok());

/// Makes the entries of folder `dir` durable (renames, creations). The one
/// copy: the digest ledger's writer uses it too. `dir` is never empty: every
/// caller passes a path's `folder` ("." for a bare file name).
#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Rendered, stage};
    use super::*;

    #[test]
    fn fsync_one_by_one_where_syncfs_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let staged = stage(dir.path(), &[Rendered::new("a/b.xml", "one")]).unwrap();
        fsync_each_file(&staged.staged).unwrap();
        fsync_each_folder(&[(0, dir.path().join("a"))]).unwrap();
        assert!(fsync_each_folder(&[(0, dir.path().join("missing"))]).is_err());
    }
}
