//! The committed state (issue 19): what oyez has announced and sent, kept
//! in `.oyez/` beside `oyez.toml` and committed with the catalogue, so
//! that every guard works from a fresh clone (CI) as on the maintainer's
//! machine. Every guard reads the state, never the output folder.
//!
//! | file | written by | what it holds |
//! |---|---|---|
//! | `ids` | `publish` | the identity record: `base_url`, every published entry and update ([`ids`]) |
//! | `feeds` | `publish` | the content hash of every published feed ([`feeds`]) |
//! | `pings` | `publish`, `ping` | WebSub pings still to send |
//! | `removed` | `remove` | tombstones: entries taken out, when and why ([`removed`]) |
//! | `revised` | `publish` | revisions announced: entries whose `updated` moved ([`revised`]) |
//! | `suppressed` | `subscribers`, `digest --send` | addresses no digest mails, and why ([`suppressed`]) |
//! | `inbox` | `inbox` | messages applied and confirmations awaited ([`inbox`]) |
//! | `consent` | `inbox` | how each subscriber consented ([`consent`]) |
//! | `digests` | `digest --send` | the id of every digest the ledger records ([`sent`]) |
//! | `digests.ledger` | `digest --send` | the digest ledger (unless `[digest] ledger` names another file) |
//!
//! Caches are not state (the link-check cache may be dropped at any time).
//! Old layouts are read: `oyez.lock`, `digests.ledger` and
//! `oyez-ping.pending` beside `oyez.toml` count while the new file is
//! absent; the old file is removed once the new one is written (the
//! ledger is moved on the first `digest --send`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::input::{self, InputError, Kind};

pub mod consent;
pub mod feeds;
pub mod guard;
pub mod ids;
pub mod inbox;
mod lines;
pub mod removed;
pub mod revised;
pub mod sent;
pub mod suppressed;

/// Adds to a freshly loaded `catalogue` what the state says readers were
/// told: settled update ids, removals and revisions (as `check`,
/// `publish` and `serve` show them). Reads the state, writes nothing.
pub fn announce(
    root: &Path,
    catalogue: &mut crate::catalogue::Catalogue,
) -> Result<(), StateError> {
    Announced::read(root)?.add_to(catalogue);
    Ok(())
}

/// What [`announce`] adds, read apart from the catalogue: a command can
/// read it while the catalogue loads (the identity record is about 20 MB
/// at 100,000 entries).
#[derive(Debug)]
pub struct Announced {
    updates: ids::Record,
    removed: Vec<removed::Tombstone>,
    revised: Vec<revised::Revision>,
}

impl Announced {
    pub fn read(root: &Path) -> Result<Self, StateError> {
        Ok(Self {
            updates: ids::Record::read_updates(root)?,
            removed: removed::read(root)?,
            revised: revised::read(root)?,
        })
    }

    pub fn add_to(self, catalogue: &mut crate::catalogue::Catalogue) {
        ids::settle_update_ids(catalogue, &self.updates);
        removed::announce(catalogue, &self.removed);
        revised::add(catalogue, self.revised);
    }
}

/// The state folder's name, beside `oyez.toml`.
pub const DIR: &str = ".oyez";

/// One file of the state, and where an older oyez kept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct File {
    pub name: &'static str,
    /// Its place beside `oyez.toml` before the state folder.
    pub legacy: Option<&'static str>,
}

pub const IDS: File = File {
    name: "ids",
    legacy: Some("oyez.lock"),
};
pub const FEEDS: File = File {
    name: "feeds",
    legacy: None,
};
pub const PINGS: File = File {
    name: "pings",
    legacy: Some("oyez-ping.pending"),
};
pub const REMOVED: File = File {
    name: "removed",
    legacy: None,
};
pub const REVISED: File = File {
    name: "revised",
    legacy: None,
};
pub const SENT: File = File {
    name: "digests",
    legacy: None,
};
pub const SUPPRESSED: File = File {
    name: "suppressed",
    legacy: None,
};
pub const INBOX: File = File {
    name: "inbox",
    legacy: None,
};
pub const CONSENT: File = File {
    name: "consent",
    legacy: None,
};
/// The default ledger (`[digest] ledger` may name another file).
pub const LEDGER: File = File {
    name: "digests.ledger",
    legacy: Some("digests.ledger"),
};

impl File {
    /// Its path relative to the catalogue folder.
    pub fn relative(self) -> PathBuf {
        Path::new(DIR).join(self.name)
    }

    /// How messages name it: `.oyez/ids`.
    pub fn shown(self) -> String {
        format!("{DIR}/{}", self.name)
    }
}

/// Why the state cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("cannot write {path}; fix the folder's permissions or free some space and run again")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{path}:{line}: {reason}; restore the file from git (`git checkout -- {path}`) or fix that line"
    )]
    Corrupt {
        path: String,
        line: usize,
        reason: String,
    },
}

/// The bytes of `file` in the catalogue `root`, through the one bounded
/// reader; the old layout's file when the new one is absent; `None` when
/// neither exists.
pub fn read(root: &Path, file: File) -> Result<Option<Vec<u8>>, StateError> {
    if let Some(bytes) = input::read(root, &file.relative(), Kind::State)? {
        return Ok(Some(bytes));
    }
    match file.legacy {
        Some(legacy) => Ok(input::read(root, Path::new(legacy), Kind::State)?),
        None => Ok(None),
    }
}

/// Whether `file` (at its new place) holds exactly the concatenation of
/// `parts`, through the bounded reader: the identity record of a large
/// catalogue is tens of megabytes, rendered in parts, and is usually
/// unchanged. Each part is compared with its place in the file a block at
/// a time, the parts on every thread (on Unix, where a file is read at an
/// offset without moving a shared position).
pub fn holds(root: &Path, file: File, parts: &[Vec<u8>]) -> Result<bool, StateError> {
    let Some(input) = input::open(root, &file.relative(), Kind::State)? else {
        return Ok(false);
    };
    let unreadable = |err| StateError::Input(input::unreadable(&file.relative(), Kind::State, err));
    let length = input.file.metadata().map_err(unreadable)?.len();
    if length != parts.iter().map(|part| part.len() as u64).sum::<u64>() {
        return Ok(false);
    }
    let placed: Vec<(u64, &[u8])> = parts
        .iter()
        .scan(0, |at, part| {
            let start = *at;
            *at += part.len() as u64;
            Some((start, part.as_slice()))
        })
        .collect();
    match compare_parts(&input.file, &placed) {
        Ok(()) => Ok(true),
        Err(Differs::Bytes) => Ok(false),
        Err(Differs::Unread(err)) => Err(unreadable(err)),
    }
}

/// Why [`holds`] stopped comparing.
enum Differs {
    Bytes,
    Unread(io::Error),
}

/// Bytes of the file read at a time.
const BLOCK: usize = 256 * 1024;

#[cfg(unix)]
fn compare_parts(file: &fs::File, placed: &[(u64, &[u8])]) -> Result<(), Differs> {
    use rayon::prelude::*;
    placed.par_iter().try_for_each_init(
        || vec![0; BLOCK],
        |block, &(start, part)| part_at(file, start, part, block),
    )
}

#[cfg(not(unix))]
fn compare_parts(file: &fs::File, placed: &[(u64, &[u8])]) -> Result<(), Differs> {
    let mut block = vec![0; BLOCK];
    placed
        .iter()
        .try_for_each(|&(start, part)| part_at(file, start, part, &mut block))
}

/// Whether `file` holds `part` from byte `start`.
fn part_at(file: &fs::File, start: u64, part: &[u8], block: &mut [u8]) -> Result<(), Differs> {
    let mut at = start;
    for expected in part.chunks(BLOCK) {
        let got = block.get_mut(..expected.len()).unwrap_or_default();
        // The length matched: a short read means the file changed meanwhile.
        match read_at(file, got, at) {
            Ok(()) if got == expected => {}
            Ok(()) => return Err(Differs::Bytes),
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Err(Differs::Bytes),
            Err(err) => return Err(Differs::Unread(err)),
        }
        at += expected.len() as u64;
    }
    Ok(())
}

#[cfg(unix)]
fn read_at(file: &fs::File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(not(unix))]
fn read_at(mut file: &fs::File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek};
    file.seek(io::SeekFrom::Start(offset))?;
    file.read_exact(buffer)
}

/// Replaces `file` durably with `bytes` (making `.oyez/`), then removes
/// the old layout's file, now stale.
pub fn write(root: &Path, file: File, bytes: &[u8]) -> Result<(), StateError> {
    let error = |source| StateError::Write {
        path: file.shown(),
        source,
    };
    fs::create_dir_all(root.join(DIR)).map_err(error)?;
    crate::output::replace(&root.join(file.relative()), bytes).map_err(error)?;
    remove_legacy(root, file)
}

/// Removes `file` (and its old layout's file); nothing there is fine.
pub fn remove(root: &Path, file: File) -> Result<(), StateError> {
    remove_file(root, &file.relative(), file)?;
    remove_legacy(root, file)
}

fn remove_legacy(root: &Path, file: File) -> Result<(), StateError> {
    match file.legacy {
        Some(legacy) => remove_file(root, Path::new(legacy), file),
        _ => Ok(()),
    }
}

fn remove_file(root: &Path, relative: &Path, file: File) -> Result<(), StateError> {
    match fs::remove_file(root.join(relative)) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(StateError::Write {
            path: file.shown(),
            source: err,
        }),
        _ => Ok(()),
    }
}

/// Where the ledger is: the file `[digest] ledger` names, else
/// `.oyez/digests.ledger`, else (an older layout, until the next send
/// moves it) `digests.ledger` beside `oyez.toml`.
pub fn ledger_path(root: &Path, configured: Option<&str>) -> PathBuf {
    if let Some(name) = configured {
        return root.join(name);
    }
    let new = root.join(LEDGER.relative());
    let old = root.join(LEDGER.legacy.unwrap_or(LEDGER.name));
    if fs::symlink_metadata(&new).is_err() && fs::symlink_metadata(&old).is_ok() {
        old
    } else {
        new
    }
}

/// Before a send: moves an old layout's ledger into `.oyez/` (one rename,
/// so a crash leaves it in one place or the other) and makes the folder.
pub fn adopt_ledger(root: &Path, configured: Option<&str>) -> Result<PathBuf, StateError> {
    let error = |source| StateError::Write {
        path: LEDGER.shown(),
        source,
    };
    if configured.is_none() {
        fs::create_dir_all(root.join(DIR)).map_err(error)?;
        let old = ledger_path(root, None);
        let new = root.join(LEDGER.relative());
        if old != new {
            fs::rename(&old, &new).map_err(error)?;
        }
    }
    Ok(ledger_path(root, configured))
}

/// Lines of a state file that hold records: not blank, not `#` comments,
/// numbered from 1.
pub(crate) fn records(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_in_parts_is_compared_across_the_parts_and_blocks() {
        let root = tempfile::tempdir().unwrap();
        // Longer than a block, so a part spans several reads.
        let record: Vec<u8> = (0..600_000u32).map(|n| (n % 251) as u8).collect();
        write(root.path(), IDS, &record).unwrap();
        let (head, rest) = record.split_at(7);
        let (middle, tail) = rest.split_at(300_000);
        let parts = [head.to_vec(), middle.to_vec(), Vec::new(), tail.to_vec()];
        assert!(holds(root.path(), IDS, &parts).unwrap());
        let mut changed = parts.clone();
        changed[3][250_000] ^= 1;
        assert!(!holds(root.path(), IDS, &changed).unwrap());
        let mut early = parts.clone();
        early[1][0] ^= 1;
        assert!(!holds(root.path(), IDS, &early).unwrap());
        // Each part is compared at its own offset, wherever the cuts are.
        let (first, second) = record.split_at(300_011);
        assert!(holds(root.path(), IDS, &[first.to_vec(), second.to_vec()]).unwrap());
        let swapped = [second.to_vec(), first.to_vec()];
        assert!(!holds(root.path(), IDS, &swapped).unwrap());
        let shorter = [head.to_vec(), middle.to_vec()];
        assert!(!holds(root.path(), IDS, &shorter).unwrap());
        assert!(!holds(&root.path().join("elsewhere"), IDS, &parts).unwrap());
    }
}
