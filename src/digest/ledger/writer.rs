//! Appending to the ledger under the run's lock: each line written and
//! fsynced before the call returns; a torn last line cut first.
//!
//! The lock is an exclusive `flock` on the ledger file itself, taken on the
//! file its path resolves to (issue 15): two catalogue folders whose
//! ledgers are one file (a hard link, a symbolic link) cannot both send,
//! and no lock file is left behind. So a sending run creates the ledger
//! (empty) if it is missing.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{Ledger, LedgerError, Record};
use crate::input::{self, InputError, Kind, Problem};
use crate::output::sync_dir;

/// The ledger open for appending, with the run's lock held.
#[derive(Debug)]
pub struct Writer {
    path: PathBuf,
    file: File,
    /// The descriptor holding the lock, until the run ends.
    _lock: File,
}

impl Writer {
    /// [`Writer::open_in`] the ledger's own folder.
    pub fn open(path: &Path) -> Result<(Self, Ledger), LedgerError> {
        Self::open_in(super::folder(path), path)
    }

    /// Locks the ledger at `path` inside the catalogue folder `root`
    /// (creating it if missing), reads it and cuts a torn final line.
    /// Returns the ledger as read.
    pub fn open_in(root: &Path, path: &Path) -> Result<(Self, Ledger), LedgerError> {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let mut input = match input::open(root, relative, Kind::Ledger)? {
            Some(input) => input,
            None => {
                if !input::may_create(root, relative) {
                    return Err(LedgerError::Input(InputError {
                        path: relative.to_path_buf(),
                        kind: Kind::Ledger,
                        problem: Problem::Outside,
                    }));
                }
                create(path).map_err(|source| write_error(path, source))?;
                input::open(root, relative, Kind::Ledger)?
                    .ok_or_else(|| write_error(path, io::Error::from(io::ErrorKind::NotFound)))?
            }
        };
        match input.file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(LedgerError::Locked {
                    path: path.to_path_buf(),
                });
            }
            Err(fs::TryLockError::Error(source)) => return Err(write_error(path, source)),
        }
        let bytes = input::read_all(&mut input.file, relative, Kind::Ledger)?;
        let ledger = Ledger::parse(path, &bytes)?;
        let file = append_to(&input).map_err(|source| write_error(path, source))?;
        let writer = Self {
            path: path.to_path_buf(),
            file,
            _lock: input.file,
        };
        if let Some(torn) = ledger.torn {
            let file = &writer.file;
            file.set_len(torn.valid_len)
                .and_then(|()| file.sync_all())
                .map_err(|source| writer.error(source))?;
        }
        Ok((writer, ledger))
    }

    /// Appends one line and waits until it is on disk.
    pub fn append(&mut self, record: &Record) -> Result<(), LedgerError> {
        let mut line =
            serde_json::to_vec(record).map_err(|err| self.error(io::Error::other(err)))?;
        line.push(b'\n');
        let written = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data());
        written.map_err(|source| self.error(source))
    }

    fn error(&self, source: io::Error) -> LedgerError {
        write_error(&self.path, source)
    }
}

fn write_error(path: &Path, source: io::Error) -> LedgerError {
    LedgerError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates an empty ledger (never through a symbolic link) and makes its
/// folder entry durable. Another run may create it first: that is fine.
fn create(path: &Path) -> io::Result<()> {
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => {
            file.sync_all()?;
            sync_dir(super::folder(path))
        }
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(err),
    }
}

/// Opens the locked file for appending: the same file, checked by inode,
/// in case its path was swapped since it was locked.
fn append_to(input: &input::Input) -> io::Result<File> {
    let file = OpenOptions::new().append(true).open(&input.resolved)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (locked, opened) = (input.file.metadata()?, file.metadata()?);
        if (locked.dev(), locked.ino()) != (opened.dev(), opened.ino()) {
            return Err(io::Error::other(
                "the ledger was replaced while it was being opened",
            ));
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::ledger::{DEFAULT_FILE, Status};

    const DIGEST: &str = r#"{"event":"digest","id":"2026-11-27","start":"2020-01-01T00:00:00Z","end":"2026-11-27T00:00:00Z","message_id":"<a@b>","subject":"S","recipients":["a@x.org","b@x.org","c@x.org","d@x.org"]}"#;

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        let (first, _) = Writer::open(&path).unwrap();
        let err = Writer::open(&path).unwrap_err();
        assert!(matches!(err, LedgerError::Locked { .. }));
        drop(first);
        assert!(Writer::open(&path).is_ok());
    }

    #[test]
    fn opening_for_append_cuts_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        fs::write(&path, format!("{DIGEST}\n{{\"event\":\"acc")).unwrap();
        let (mut writer, ledger) = Writer::open(&path).unwrap();
        assert!(ledger.torn.is_some());
        writer
            .append(&Record::Attempting {
                digest: "2026-11-27".into(),
                to: "a@x.org".into(),
                message_id: "<a@b>".into(),
            })
            .unwrap();
        let reread = Ledger::read(&path).unwrap();
        assert_eq!(reread.torn, None);
        assert_eq!(reread.last().unwrap().status("a@x.org"), Status::Attempting);
    }
}
