//! Writing rendered files: each one through a temporary file in its own
//! folder, fsynced, then renamed into place, so a reader or a crash sees
//! the complete old version or the complete new one. Files whose bytes are
//! already on disk are left untouched (same mtime), so rsync and CDNs see
//! no change.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

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
    #[error("cannot write into {}: it is a file, not a folder; move it away or publish elsewhere with --out", path.display())]
    NotAFolder { path: PathBuf },
    #[error("refusing to write {} outside the output folder; this is a bug in oyez", path.display())]
    Escape { path: PathBuf },
}

/// Writes every file under `out`, atomically and only when changed.
pub fn write_all(out: &Path, files: &[Rendered]) -> Result<Written, OutputError> {
    let mut summary = Written::default();
    for file in files {
        if !is_inside(&file.path) {
            return Err(OutputError::Escape {
                path: file.path.clone(),
            });
        }
        let path = out.join(&file.path);
        if fs::read(&path).is_ok_and(|existing| existing == file.bytes) {
            summary.unchanged += 1;
            continue;
        }
        replace(&path, &file.bytes).map_err(|source| OutputError::Write { path, source })?;
        summary.written += 1;
    }
    Ok(summary)
}

/// Only plain relative paths: no `..`, no root, no prefix.
fn is_inside(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
        && path.components().next().is_some()
}

/// Replaces `path` with `bytes`: temp file, fsync, rename, fsync the folder.
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

/// Prefix of the temporary files that [`replace`] creates.
const TEMP_PREFIX: &str = ".oyez-";

/// Readies `out` for a publish: it must be a folder if it exists, and
/// temporary files that a killed publish left anywhere under it are
/// deleted (issue 6): they are never outputs. Two publishes into one
/// folder at the same time are therefore not supported.
pub fn prepare(out: &Path) -> Result<(), OutputError> {
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
    remove_stale(out)
}

/// Deletes `.oyez-*` files under `dir`, without following symbolic links.
fn remove_stale(dir: &Path) -> Result<(), OutputError> {
    let Ok(items) = fs::read_dir(dir) else {
        return Ok(()); // not created yet: nothing stale in it
    };
    for item in items.flatten() {
        let Ok(kind) = item.file_type() else { continue };
        let path = item.path();
        if kind.is_dir() {
            remove_stale(&path)?;
        } else if kind.is_file() && item.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            fs::remove_file(&path).map_err(|source| OutputError::Write { path, source })?;
        }
    }
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
