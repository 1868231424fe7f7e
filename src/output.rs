//! Writing rendered files: each one through a temporary file in its own
//! folder, fsynced, then renamed into place, its folder fsynced after, so
//! a reader, a crash or a power loss sees the complete old version or the
//! complete new one. Files whose bytes are already on disk are left
//! untouched (same mtime, same inode), so rsync and CDNs see no change.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;
use tempfile::{NamedTempFile, TempPath};

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

/// Writes every file under `out`, atomically, durably and only when
/// changed: [`stage`], then [`Stage::commit`].
pub fn write_all(out: &Path, files: &[Rendered]) -> Result<Written, OutputError> {
    stage(out, files)?.commit()
}

/// Changed files written to temporary files beside their targets and
/// fsynced, not yet renamed. Dropping a stage deletes its temporary files,
/// so a publish that fails later leaves the previous output as it was.
#[derive(Debug, Default)]
pub struct Stage {
    staged: Vec<(TempPath, PathBuf)>,
    unchanged: usize,
}

impl Stage {
    /// Adds `other`'s files after this stage's (they are renamed in order).
    pub fn merge(mut self, other: Self) -> Self {
        self.staged.extend(other.staged);
        self.unchanged += other.unchanged;
        self
    }

    /// Renames every staged file into place, in order, then fsyncs their
    /// folders so the renames last (issue 6).
    pub fn commit(self) -> Result<Written, OutputError> {
        let mut folders: Vec<PathBuf> = Vec::new();
        let written = self.staged.len();
        for (temp, path) in self.staged {
            temp.persist(&path).map_err(|err| OutputError::Write {
                path: path.clone(),
                source: err.error,
            })?;
            if let Some(dir) = path.parent() {
                folders.push(dir.to_path_buf());
            }
        }
        folders.sort();
        folders.dedup();
        folders.par_iter().try_for_each(|dir| {
            sync_dir(dir).map_err(|source| OutputError::Write {
                path: dir.clone(),
                source,
            })
        })?;
        Ok(Written {
            written,
            unchanged: self.unchanged,
        })
    }
}

/// Stages every changed file under `out`, in parallel. Unchanged files
/// (the same bytes already on disk) are counted and left alone. On failure,
/// reports the first file in `files` order that could not be staged.
///
/// The fsyncs wait on the disk, not the CPU, so they run on more threads
/// than there are cores and the file system can commit them together.
pub fn stage(out: &Path, files: &[Rendered]) -> Result<Stage, OutputError> {
    let work = || {
        files
            .par_iter()
            .map(|file| stage_one(out, file))
            .collect::<Vec<_>>()
    };
    let results = match IO_POOL.as_ref() {
        Some(pool) => pool.install(work),
        None => work(),
    };
    // The first failure in file order, whichever thread met it first.
    let staged = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    let unchanged = staged.iter().filter(|one| one.is_none()).count();
    Ok(Stage {
        staged: staged.into_iter().flatten().collect(),
        unchanged,
    })
}

/// Threads for writing and fsyncing files, built once (`None` if the
/// system refuses threads: then the global pool writes).
static IO_POOL: LazyLock<Option<rayon::ThreadPool>> =
    LazyLock::new(|| rayon::ThreadPoolBuilder::new().num_threads(16).build().ok());

/// Stages one file under `out` unless its bytes are already there.
fn stage_one(out: &Path, file: &Rendered) -> Result<Option<(TempPath, PathBuf)>, OutputError> {
    if !is_inside(&file.path) {
        return Err(OutputError::Escape {
            path: file.path.clone(),
        });
    }
    let path = out.join(&file.path);
    if holds(&path, &file.bytes) {
        return Ok(None);
    }
    match write_temp(&path, &file.bytes) {
        Ok(temp) => Ok(Some((temp, path))),
        Err(source) => Err(OutputError::Write { path, source }),
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

/// Replaces `path` with `bytes` durably: temp file, fsync, rename, fsync
/// the folder. For state such as a ledger, where losing a write matters.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_temp(path, bytes)?
        .persist(path)
        .map_err(|err| err.error)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// A fsynced temporary file beside `path` holding `bytes`, readable by all.
fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<TempPath> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = match NamedTempFile::with_prefix_in(TEMP_PREFIX, dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(without_path)?;
            NamedTempFile::with_prefix_in(TEMP_PREFIX, dir).map_err(without_path)?
        }
        other => other.map_err(without_path)?,
    };
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    set_readable(temp.as_file())?;
    Ok(temp.into_temp_path())
}

/// tempfile names its random temporary file in errors; the user needs only
/// the cause (the published path is named by [`OutputError::Write`]).
fn without_path(err: io::Error) -> io::Error {
    match err.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::from(err.kind()),
    }
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
