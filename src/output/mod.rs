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
//! The parts, by what they do: `stage` (temporary files beside their
//! targets, unchanged files left alone), `temp` (one such file),
//! `sink` (staging from a writer), `replace` (renames into place, batch by
//! batch, and a single file replaced on its own), `sync` (durability) and
//! `lock` (the output folder readied and locked for one publish).

use std::io;
use std::path::{Path, PathBuf};

mod lock;
mod replace;
mod sink;
mod stage;
mod sync;
mod temp;

pub use self::lock::{Lock, Place, prepare};
pub use self::replace::replace;
pub use self::sink::{Sink, stage_from};
pub(crate) use self::stage::stage_in_turn;
pub use self::stage::{Stage, stage};
pub(crate) use self::sync::sync_dir;

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

/// A file of a previous publish, opened to compare with the new bytes:
/// only a regular file, opened without following a link in its last place
/// and without waiting for a FIFO's writer (issue 20: a FIFO there hung
/// `publish`, `/dev/zero` grew memory). Anything else is `None`, and the
/// new file replaces it.
pub(crate) fn open_previous(path: &Path) -> Option<std::fs::File> {
    let file = crate::input::open_without_waiting(path).ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// Writes every file under `out`, atomically, durably and only when
/// changed: [`stage`], then [`Stage::commit`].
pub fn write_all(out: &Path, files: &[Rendered]) -> Result<Written, OutputError> {
    stage(out, files)?.commit()
}

/// The folder holding `path` (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    use std::fs;

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
