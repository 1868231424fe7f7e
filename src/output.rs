//! Writing rendered files: each one through a temporary file in its own
//! folder, then renamed into place, so a reader or a failed run sees the
//! complete old version or the complete new one. Files whose bytes are
//! already on disk are left untouched (same mtime, same inode), so rsync
//! and CDNs see no change. Files are written in parallel and not fsynced
//! (as static site generators and `git checkout` do): after a power loss,
//! publish again.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::ops::Add;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use tempfile::NamedTempFile;

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
    #[error("refusing to write {} outside the output folder; this is a bug in oyez", path.display())]
    Escape { path: PathBuf },
}

impl Add for Written {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            written: self.written + other.written,
            unchanged: self.unchanged + other.unchanged,
        }
    }
}

/// Writes every file under `out`, in parallel, atomically and only when
/// changed. On failure, reports one of the files that could not be written.
pub fn write_all(out: &Path, files: &[Rendered]) -> Result<Written, OutputError> {
    files
        .par_iter()
        .map(|file| write_one(out, file))
        .try_fold(Written::default, |sum, one| one.map(|one| sum + one))
        .try_reduce(Written::default, |a, b| Ok(a + b))
}

/// Writes one file under `out` unless its bytes are already there.
pub fn write_one(out: &Path, file: &Rendered) -> Result<Written, OutputError> {
    if !is_inside(&file.path) {
        return Err(OutputError::Escape {
            path: file.path.clone(),
        });
    }
    let path = out.join(&file.path);
    if holds(&path, &file.bytes) {
        return Ok(Written {
            written: 0,
            unchanged: 1,
        });
    }
    install(&path, &file.bytes).map_err(|source| OutputError::Write { path, source })?;
    Ok(Written {
        written: 1,
        unchanged: 0,
    })
}

/// Whether the file at `path` holds exactly `bytes`: the length first,
/// then the content, without reading more than `bytes.len() + 1` bytes.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != u64::try_from(bytes.len()).ok() {
        return false;
    }
    let mut existing = Vec::with_capacity(bytes.len() + 1);
    let limit = u64::try_from(bytes.len() + 1).unwrap_or(u64::MAX);
    file.take(limit).read_to_end(&mut existing).is_ok() && existing == bytes
}

/// Only plain relative paths: no `..`, no root, no prefix.
fn is_inside(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
        && path.components().next().is_some()
}

/// Replaces `path` with `bytes` durably: temp file, fsync, rename, fsync
/// the folder. For state such as a ledger, where losing a write matters.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = NamedTempFile::with_prefix_in(".oyez-", dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    set_readable(temp.as_file())?;
    temp.persist(path).map_err(|err| err.error)?;
    sync_dir(dir)
}

/// Replaces a published file: a temp file in the same folder, renamed,
/// without fsync (a publish is redone, not recovered).
fn install(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = match NamedTempFile::with_prefix_in(".oyez-", dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir)?;
            NamedTempFile::with_prefix_in(".oyez-", dir)?
        }
        other => other?,
    };
    temp.write_all(bytes)?;
    set_readable(temp.as_file())?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Temp files are created 0600; published files are meant to be served.
#[cfg(unix)]
fn set_readable(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
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
    fn paths_outside_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let files = [Rendered::new("../escape.xml", "x")];
        assert!(matches!(
            write_all(dir.path(), &files),
            Err(OutputError::Escape { .. })
        ));
        assert!(!dir.path().parent().unwrap().join("escape.xml").exists());
    }
}
