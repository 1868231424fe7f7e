//! One temporary file beside its target: created readable by all, its
//! writeback started as it grows, then handed over to be renamed.

use std::fs::{self, File};
use std::io::{self, Write};
use std::num::NonZeroU64;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

use super::folder;

/// A new, empty temporary file beside a target, readable by all.
#[derive(Debug)]
pub(super) struct Temp {
    pub(super) file: NamedTempFile,
    device: u64,
    /// Bytes appended so far, and how many of them have been handed to
    /// the disk ([`start_writeback`]).
    pub(super) written: u64,
    written_back: u64,
}

impl Temp {
    /// Creates it in `path`'s folder, creating the folder if missing.
    pub(super) fn create(path: &Path) -> io::Result<Self> {
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
            start_writeback(self.file.as_file(), from, length.and_then(NonZeroU64::new));
        }
        self.written_back = end.unwrap_or(self.written).max(from);
    }

    /// Closes the file; it now waits to be renamed to `path`.
    pub(super) fn staged(mut self, path: PathBuf) -> Staged {
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

/// Prefix of every temporary file this module creates.
pub(super) const TEMP_PREFIX: &str = ".oyez-";

/// One changed file: its temporary file and its target.
#[derive(Debug)]
pub(super) struct Staged {
    pub(super) temp: TempPath,
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
