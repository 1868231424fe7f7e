//! Staging: each changed file written to a temporary file beside its
//! target, in parallel, not yet durable nor renamed; a file whose bytes
//! are already on disk is counted and left alone.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::lock::Place;
use super::temp::{Staged, Temp};
use super::{OutputError, Rendered};

/// Changed files written to temporary files beside their targets, not yet
/// durable nor renamed. Dropping a stage deletes its temporary files, so a
/// publish that fails later leaves the previous output as it was.
///
/// Files are renamed in batches, in order; within a batch, in parallel and
/// in no set order. [`Stage::merge`] adds to the last batch, [`Stage::then`]
/// starts a new one: files that others link to go in an earlier batch.
#[derive(Debug, Default)]
pub struct Stage {
    pub(super) staged: Vec<Staged>,
    /// Where each batch after the first starts in `staged`.
    pub(super) batches: Vec<usize>,
    pub(super) unchanged: usize,
    /// Where files staged in a fresh folder go at the commit.
    pub(super) fresh: Option<Fresh>,
}

/// A fresh folder (`lock.rs`) and the output folder its files go into.
#[derive(Debug, Clone)]
pub(super) struct Fresh {
    pub(super) folder: PathBuf,
    pub(super) out: PathBuf,
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
        self.fresh = self.fresh.or(other.fresh);
        self
    }

    /// Adds `later`'s files in new batches, renamed only once all of this
    /// stage's files are in place: archive pages before the feeds that
    /// link to them.
    pub fn then(mut self, later: Self) -> Self {
        self.batches.push(self.staged.len());
        self.merge(later)
    }

    /// The files this stage writes (those whose bytes changed), as paths
    /// under the output folder it was staged for.
    pub fn targets(&self) -> impl Iterator<Item = &Path> {
        self.staged.iter().map(|one| one.path.as_path())
    }

    pub(super) fn unchanged() -> Self {
        Self {
            unchanged: 1,
            ..Self::default()
        }
    }

    /// `staged`, staged in `place`.
    pub(super) fn one(staged: Staged, place: Place<'_>) -> Self {
        let fresh = place.fresh.map(|folder| Fresh {
            folder: folder.to_path_buf(),
            out: place.out.to_path_buf(),
        });
        Self {
            staged: vec![staged],
            fresh,
            ..Self::default()
        }
    }
}

/// Stages every changed file in `place` (an output folder, or a
/// [`Lock::place`](super::Lock::place)), in parallel. Unchanged files (the
/// same bytes already on disk) are counted and left alone. On failure,
/// reports the first file in `files` order that could not be staged.
pub fn stage<'a>(place: impl Into<Place<'a>>, files: &[Rendered]) -> Result<Stage, OutputError> {
    let place = place.into();
    let results: Vec<_> = files
        .par_iter()
        .map(|file| stage_one(place, file))
        .collect();
    // The first failure in file order, whichever thread met it first.
    results
        .into_iter()
        .try_fold(Stage::default(), |stage, one| Ok(stage.merge(one?)))
}

/// Stages `files` under `out` one after the other, on this thread: for a
/// few small files in one folder (an archive page's Atom, RSS and JSON),
/// staged while other threads stage other folders. Split between threads,
/// they would wait on each other for the folder's lock in the kernel.
pub(crate) fn stage_in_turn(place: Place<'_>, files: &[Rendered]) -> Result<Stage, OutputError> {
    files.iter().try_fold(Stage::default(), |stage, file| {
        Ok(stage.merge(stage_one(place, file)?))
    })
}

/// Stages one file in `place` unless its bytes are already there.
fn stage_one(place: Place<'_>, file: &Rendered) -> Result<Stage, OutputError> {
    let path = target(place.out, &file.path)?;
    let created = match place.fresh {
        Some(fresh) => Temp::create_fresh(&fresh.join(&file.path)),
        None if holds(&path, &file.bytes) => return Ok(Stage::unchanged()),
        None => Temp::create(&path),
    };
    let written = created.and_then(|mut temp| {
        temp.append(&file.bytes)?;
        Ok(temp)
    });
    match written {
        Ok(temp) => Ok(Stage::one(temp.staged(path), place)),
        Err(source) => Err(OutputError::Write { path, source }),
    }
}

/// Where `relative` goes under `out`, if it stays inside it.
pub(super) fn target(out: &Path, relative: &Path) -> Result<PathBuf, OutputError> {
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
    let Some(mut file) = super::open_previous(path) else {
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

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

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
