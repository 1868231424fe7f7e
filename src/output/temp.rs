//! One staged file: a temporary file beside its target, or, in an output
//! folder the publish created, the file under its own name in the fresh
//! folder (`lock.rs`). Created readable by all, its writeback started as
//! it grows, then handed over to be put in place.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::num::NonZeroU64;
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::folder;

/// A new, empty staged file, readable by all.
#[derive(Debug)]
pub(super) struct Temp {
    pub(super) file: File,
    pub(super) spot: Spot,
    device: u64,
    /// Bytes appended so far, and how many of them have been handed to
    /// the disk ([`start_writeback`]).
    pub(super) written: u64,
    written_back: u64,
}

impl Temp {
    /// Creates a temporary file in `path`'s folder, creating the folder if
    /// missing.
    pub(super) fn create(path: &Path) -> io::Result<Self> {
        let (file, temp) = in_folder_of(path, new_temp)
            .map_err(without_path)?
            .into_parts();
        Self::new(file, Spot::Beside(temp))
    }

    /// Creates the file `path` itself, which must not exist yet, creating
    /// its folder if missing: for a fresh folder, which nobody reads.
    pub(super) fn create_fresh(path: &Path) -> io::Result<Self> {
        let file = in_folder_of(path, |_| new_file(path))?;
        Self::new(file, Spot::Fresh(path.to_path_buf()))
    }

    fn new(file: File, spot: Spot) -> io::Result<Self> {
        let device = make_readable(&file)?;
        Ok(Self {
            file,
            spot,
            device,
            written: 0,
            written_back: 0,
        })
    }

    /// Appends `bytes`; every [`WRITEBACK_STEP`] bytes, starts their writeback.
    pub(super) fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
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
            start_writeback(&self.file, from, length.and_then(NonZeroU64::new));
        }
        self.written_back = end.unwrap_or(self.written).max(from);
    }

    /// Closes the file; it now waits to be renamed to `path`.
    pub(super) fn staged(mut self, path: PathBuf) -> Staged {
        self.start_writeback(None);
        Staged {
            spot: self.spot,
            path,
            device: self.device,
        }
    }
}

/// Where a staged file's bytes are.
#[derive(Debug)]
pub(super) enum Spot {
    /// A temporary file beside the target, deleted if dropped: renamed
    /// into place at the commit.
    Beside(TempPath),
    /// The target's own name in the fresh folder: moved into place with
    /// its top folder at the commit, or deleted with the fresh folder.
    Fresh(PathBuf),
}

impl Spot {
    pub(super) fn path(&self) -> &Path {
        match self {
            Self::Beside(temp) => temp,
            Self::Fresh(path) => path,
        }
    }

    /// Renames the file to `target`, on its own.
    pub(super) fn persist(self, target: &Path) -> io::Result<()> {
        match self {
            Self::Beside(temp) => temp.persist(target).map_err(|err| err.error),
            Self::Fresh(path) => fs::rename(path, target),
        }
    }
}

/// `create` run in `path`'s folder, which is created and `create` run
/// again if it is missing.
fn in_folder_of<T>(path: &Path, create: impl Fn(&Path) -> io::Result<T>) -> io::Result<T> {
    let dir = folder(path);
    match create(dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(without_path)?;
            create(dir)
        }
        other => other,
    }
}

fn new_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PUBLISHED_MODE);
    }
    options.open(path)
}

fn new_temp(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
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

/// Prefix of every temporary file this module creates.
pub(super) const TEMP_PREFIX: &str = ".oyez-";

/// One changed file: where its bytes are, and its target.
#[derive(Debug)]
pub(super) struct Staged {
    pub(super) spot: Spot,
    pub(super) path: PathBuf,
    /// The file system it is on (`st_dev`): one `syncfs` covers them all.
    pub(super) device: u64,
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
