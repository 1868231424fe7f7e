//! Writing rendered files so that a reader, a crash or a power loss sees
//! each one complete, old or new, and files whose bytes are already on
//! disk are left untouched (same mtime, same inode), so rsync and CDNs see
//! no change.
//!
//! A publish takes two steps. [`stage`] (from bytes in memory) and
//! [`stage_from`] (from a writer, for documents too big to hold) put each
//! changed file in a temporary file `.oyez-*` beside its target; nothing
//! is visible yet, and dropping the [`Stage`] deletes them. Then
//! [`Stage::commit`] makes the temporary files durable, renames them into
//! place batch by batch ([`Stage::then`]), and makes the renames durable.
//!
//! # Durability: two flushes instead of one per file
//!
//! A rename must not reach the disk before the bytes it points at, or a
//! power loss could leave a short or empty file under the published name.
//! So every temporary file is made durable before the first rename, and the
//! renames before the summary is printed. On Linux, [`Stage::commit`] does
//! that with one `syncfs(2)` per file system holding staged files before
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
//! on the disk together. A single replaced file ([`replace`]) is fsynced
//! on its own.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::num::NonZeroU64;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;
use tempfile::{NamedTempFile, TempPath};

mod sink;

pub use sink::{Sink, stage_from};

/// A file to publish, at a path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Rendered {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// What a publish did to the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write into {}: it is a file, not a folder; move it away or publish elsewhere with --out", path.display())]
    NotAFolder { path: PathBuf },
    #[error("refusing to write {} outside the output folder; this is a bug in oyez", path.display())]
    Escape { path: PathBuf },
    #[error(
        "cannot publish {}: a folder is in the way; move it away and publish again (nothing was \
         replaced)",
        path.display()
    )]
    Occupied { path: PathBuf },
    #[error(
        "another `oyez publish` is writing into {}; wait for it to finish (two at once would mix \
         their files)",
        path.display()
    )]
    Busy { path: PathBuf },
}

/// Writes every file under `out`, atomically, durably and only when
/// changed: [`stage`], then [`Stage::commit`].
pub fn write_all(out: &Path, files: &[Rendered]) -> Result<Written, OutputError> {
    stage(out, files)?.commit()
}

/// Changed files written to temporary files beside their targets, not yet
/// durable nor renamed. Dropping a stage deletes its temporary files, so a
/// publish that fails later leaves the previous output as it was.
///
/// Files are renamed in batches, in order; within a batch, in parallel and
/// in no set order. [`Stage::merge`] adds to the last batch, [`Stage::then`]
/// starts a new one: files that others link to go in an earlier batch.
#[derive(Debug, Default)]
pub struct Stage {
    staged: Vec<Staged>,
    /// Where each batch after the first starts in `staged`.
    batches: Vec<usize>,
    unchanged: usize,
}

/// One changed file: its temporary file and its target.
#[derive(Debug)]
struct Staged {
    temp: TempPath,
    path: PathBuf,
    /// The file system it is on (`st_dev`): one `syncfs` covers them all.
    device: u64,
}

impl Stage {
    /// Adds `other`'s files to this stage's last batch (its own batches
    /// after the first follow).
    pub fn merge(mut self, other: Self) -> Self {
        let offset = self.staged.len();
        self.staged.extend(other.staged);
        self.batches
            .extend(other.batches.into_iter().map(|start| start + offset));
        self.unchanged += other.unchanged;
        self
    }

    /// Adds `later`'s files in new batches, renamed only once all of this
    /// stage's files are in place: archive pages before the feeds that
    /// link to them.
    pub fn then(mut self, later: Self) -> Self {
        self.batches.push(self.staged.len());
        self.merge(later)
    }

    fn unchanged() -> Self {
        Self {
            unchanged: 1,
            ..Self::default()
        }
    }

    fn one(staged: Staged) -> Self {
        Self {
            staged: vec![staged],
            ..Self::default()
        }
    }

    /// Makes the staged files durable, renames them into place batch by
    /// batch, then makes the renames durable (see the module docs).
    pub fn commit(self) -> Result<Written, OutputError> {
        let written = Written {
            written: self.staged.len(),
            unchanged: self.unchanged,
        };
        if self.staged.is_empty() {
            return Ok(written);
        }
        // Every target is checked before the first rename, so a folder in
        // the way of a file fails the publish with nothing replaced (issue
        // 15: it used to fail after 401 of 410 renames).
        if let Some(blocked) = self.staged.iter().find(|one| is_folder(&one.path)) {
            return Err(OutputError::Occupied {
                path: blocked.path.clone(),
            });
        }
        sync_files(&self.staged)?;
        let mut folders: Vec<(u64, PathBuf)> = Vec::new();
        let mut staged = self.staged.into_iter();
        let mut start = 0;
        for end in self.batches.into_iter().chain([written.written]) {
            let batch: Vec<Staged> = staged.by_ref().take(end.saturating_sub(start)).collect();
            start = end;
            let renamed: Vec<_> = batch.into_par_iter().map(rename).collect();
            for one in renamed {
                folders.push(one?);
            }
        }
        folders.sort();
        folders.dedup();
        sync_folders(&folders)?;
        Ok(written)
    }
}

/// Whether a folder (not a link to one) stands at `path`.
fn is_folder(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
}

/// Renames a staged file into place; returns its device and folder.
fn rename(staged: Staged) -> Result<(u64, PathBuf), OutputError> {
    let Staged { temp, path, device } = staged;
    match temp.persist(&path) {
        Ok(()) => Ok((device, folder(&path).to_path_buf())),
        Err(err) => Err(OutputError::Write {
            path,
            source: err.error,
        }),
    }
}

/// Stages every changed file under `out`, in parallel. Unchanged files
/// (the same bytes already on disk) are counted and left alone. On failure,
/// reports the first file in `files` order that could not be staged.
pub fn stage(out: &Path, files: &[Rendered]) -> Result<Stage, OutputError> {
    let results: Vec<_> = files.par_iter().map(|file| stage_one(out, file)).collect();
    // The first failure in file order, whichever thread met it first.
    results
        .into_iter()
        .try_fold(Stage::default(), |stage, one| Ok(stage.merge(one?)))
}

/// Stages one file under `out` unless its bytes are already there.
fn stage_one(out: &Path, file: &Rendered) -> Result<Stage, OutputError> {
    let path = target(out, &file.path)?;
    if holds(&path, &file.bytes) {
        return Ok(Stage::unchanged());
    }
    let written = Temp::create(&path).and_then(|mut temp| {
        temp.append(&file.bytes)?;
        Ok(temp)
    });
    match written {
        Ok(temp) => Ok(Stage::one(temp.staged(path))),
        Err(source) => Err(OutputError::Write { path, source }),
    }
}

/// Where `relative` goes under `out`, if it stays inside it.
fn target(out: &Path, relative: &Path) -> Result<PathBuf, OutputError> {
    if is_inside(relative) {
        Ok(out.join(relative))
    } else {
        Err(OutputError::Escape {
            path: relative.to_path_buf(),
        })
    }
}

/// Whether the file at `path` holds exactly `bytes`: the length first,
/// then the content, compared a chunk at a time so that checking a large
/// page (the catalogue page is tens of MB) never holds a second copy of
/// it in memory.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != u64::try_from(bytes.len()).ok() {
        return false;
    }
    let mut chunk = vec![0; HOLDS_CHUNK.min(bytes.len())];
    let mut rest = bytes;
    while !rest.is_empty() {
        let want = chunk.len().min(rest.len());
        let (expected, after) = rest.split_at(want);
        let Some(read) = chunk.get_mut(..want) else {
            return false;
        };
        if file.read_exact(read).is_err() || read != expected {
            return false;
        }
        rest = after;
    }
    // The file may have grown since its length was read.
    file.read(&mut [0]).is_ok_and(|n| n == 0)
}

/// How much of an existing file [`holds`] reads at a time.
const HOLDS_CHUNK: usize = 256 * 1024;

/// Only plain relative paths: no `..`, no root, no prefix.
fn is_inside(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
        && path.components().next().is_some()
}

/// The folder holding `path` (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Replaces `path` with `bytes` durably: temp file, fsync, rename, fsync
/// the folder. For state such as a ledger, where losing a write matters.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut temp = Temp::create(path)?;
    temp.file.write_all(bytes)?;
    temp.file.as_file().sync_all()?;
    temp.file.persist(path).map_err(|err| err.error)?;
    sync_dir(folder(path))
}

/// A new, empty temporary file beside a target, readable by all.
#[derive(Debug)]
struct Temp {
    file: NamedTempFile,
    device: u64,
    /// Bytes appended so far, and how many of them have been handed to
    /// the disk ([`start_writeback`]).
    written: u64,
    written_back: u64,
}

impl Temp {
    /// Creates it in `path`'s folder, creating the folder if missing.
    fn create(path: &Path) -> io::Result<Self> {
        let dir = folder(path);
        let file = match new_temp(dir) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir).map_err(without_path)?;
                new_temp(dir)
            }
            other => other,
        }
        .map_err(without_path)?;
        let device = make_readable(file.as_file())?;
        Ok(Self {
            file,
            device,
            written: 0,
            written_back: 0,
        })
    }

    /// Appends `bytes`; every [`WRITEBACK_STEP`] bytes, starts their writeback.
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.written += bytes.len() as u64;
        if self.written - self.written_back >= WRITEBACK_STEP {
            self.start_writeback(Some(self.written));
        }
        Ok(())
    }

    /// Starts writeback from where the last one stopped to `end` (the end
    /// of the file if `None`). Only new bytes, which are still dirty: the
    /// hint would drop clean pages from the cache.
    fn start_writeback(&mut self, end: Option<u64>) {
        let from = self.written_back;
        let length = end.map(|end| end.saturating_sub(from));
        if length != Some(0) {
            start_writeback(self.file.as_file(), from, length.and_then(NonZeroU64::new));
        }
        self.written_back = end.unwrap_or(self.written).max(from);
    }

    /// Closes the file; it now waits to be renamed to `path`.
    fn staged(mut self, path: PathBuf) -> Staged {
        self.start_writeback(None);
        Staged {
            temp: self.file.into_temp_path(),
            path,
            device: self.device,
        }
    }
}

fn new_temp(dir: &Path) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(PUBLISHED_MODE));
    }
    builder.tempfile_in(dir)
}

/// tempfile names its random temporary file in errors; the user needs only
/// the cause (the published path is named by [`OutputError::Write`]).
fn without_path(err: io::Error) -> io::Error {
    match err.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::from(err.kind()),
    }
}

/// Published files are meant to be served: readable by all.
#[cfg(unix)]
const PUBLISHED_MODE: u32 = 0o644;

/// Gives `file` [`PUBLISHED_MODE`] whatever the umask (one `fstat`, and a
/// `fchmod` only if the umask took bits away); returns its device.
#[cfg(unix)]
fn make_readable(file: &File) -> io::Result<u64> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = file.metadata()?;
    if meta.mode() & 0o7777 != PUBLISHED_MODE {
        file.set_permissions(fs::Permissions::from_mode(PUBLISHED_MODE))?;
    }
    Ok(meta.dev())
}

#[cfg(not(unix))]
fn make_readable(_file: &File) -> io::Result<u64> {
    Ok(0)
}

/// Bytes of a file written between two [`start_writeback`] hints.
const WRITEBACK_STEP: u64 = 8 * 1024 * 1024;

/// Asks the kernel to start writing `length` bytes of `file` from `offset`
/// (to the end if `None`) to disk now, without waiting: the disk then
/// works while later files are rendered, and the `syncfs` before the
/// renames waits only for the last ones. Linux starts writeback of dirty
/// pages on `POSIX_FADV_DONTNEED`, and keeps them cached (it drops only
/// clean ones). Only a hint: a failure changes nothing.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, length: Option<NonZeroU64>) {
    let _hint = rustix::fs::fadvise(file, offset, length, rustix::fs::Advice::DontNeed);
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _length: Option<NonZeroU64>) {}

/// Makes the staged files' bytes durable, before any of them is renamed.
fn sync_files(staged: &[Staged]) -> Result<(), OutputError> {
    let places = staged.iter().map(|one| (one.device, folder(&one.path)));
    if sync_file_systems(places)? {
        return Ok(());
    }
    fsync_each_file(staged)
}

/// Makes the renames into `folders` durable.
fn sync_folders(folders: &[(u64, PathBuf)]) -> Result<(), OutputError> {
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
            let file = OpenOptions::new().write(true).open(&one.temp);
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

/// Prefix of every temporary file this module creates.
const TEMP_PREFIX: &str = ".oyez-";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let files = [Rendered::new("a/b.xml", "one")];
        assert_eq!(
            write_all(dir.path(), &files).unwrap(),
            Written {
                written: 1,
                unchanged: 0
            }
        );
        let before = fs::metadata(dir.path().join("a/b.xml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(
            write_all(dir.path(), &files).unwrap(),
            Written {
                written: 0,
                unchanged: 1
            }
        );
        let after = fs::metadata(dir.path().join("a/b.xml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        let changed = [Rendered::new("a/b.xml", "two")];
        assert_eq!(
            write_all(dir.path(), &changed).unwrap(),
            Written {
                written: 1,
                unchanged: 0
            }
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("a/b.xml")).unwrap(),
            "two"
        );
    }

    #[test]
    fn a_later_batch_is_renamed_only_after_the_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &[Rendered::new("feed.xml", "old")]).unwrap();
        // A folder that is not empty cannot be replaced by a file.
        fs::create_dir_all(dir.path().join("page.xml/inside")).unwrap();
        let first = stage(dir.path(), &[Rendered::new("page.xml", "new")]).unwrap();
        let later = stage(dir.path(), &[Rendered::new("feed.xml", "new")]).unwrap();
        let result = first.then(later).commit();
        // Found before the first rename (issue 15), so nothing is replaced.
        assert!(
            matches!(result, Err(OutputError::Occupied { path }) if path.ends_with("page.xml"))
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("feed.xml")).unwrap(),
            "old"
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|item| item.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[test]
    #[cfg(unix)]
    fn merged_and_chained_stages_all_land_readable_by_all() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = stage(dir.path(), &[Rendered::new("archive/1/a.xml", "a")]).unwrap();
        let b = stage(dir.path(), &[Rendered::new("archive/2/b.xml", "b")]).unwrap();
        let c = stage(dir.path(), &[Rendered::new("c.xml", "c")]).unwrap();
        let d = stage(dir.path(), &[Rendered::new("d.xml", "d")]).unwrap();
        let written = a.merge(b).then(c.merge(d)).commit().unwrap();
        assert_eq!(written.written, 4);
        for (path, text) in [
            ("archive/1/a.xml", "a"),
            ("archive/2/b.xml", "b"),
            ("c.xml", "c"),
            ("d.xml", "d"),
        ] {
            let path = dir.path().join(path);
            assert_eq!(fs::read_to_string(&path).unwrap(), text);
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn fsync_one_by_one_where_syncfs_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let staged = stage(dir.path(), &[Rendered::new("a/b.xml", "one")]).unwrap();
        fsync_each_file(&staged.staged).unwrap();
        fsync_each_folder(&[(0, dir.path().join("a"))]).unwrap();
        assert!(fsync_each_folder(&[(0, dir.path().join("missing"))]).is_err());
    }

    #[test]
    fn paths_outside_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let files = [Rendered::new("../escape.xml", "x")];
        assert!(matches!(
            write_all(dir.path(), &files),
            Err(OutputError::Escape { .. })
        ));
        assert!(!dir.path().parent().unwrap().join("escape.xml").exists());
    }

    #[test]
    fn holds_compares_every_chunk_and_the_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let bytes: Vec<u8> = (0..HOLDS_CHUNK * 2 + 7).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        assert!(holds(&path, &bytes));
        let mut late = bytes.clone();
        *late.last_mut().unwrap() ^= 1;
        assert!(!holds(&path, &late));
        let mut early = bytes.clone();
        early[HOLDS_CHUNK + 1] ^= 1;
        assert!(!holds(&path, &early));
        assert!(!holds(&path, &bytes[..bytes.len() - 1]));
        fs::write(&path, b"").unwrap();
        assert!(holds(&path, b""));
        assert!(!holds(&dir.path().join("missing"), b""));
    }
}
