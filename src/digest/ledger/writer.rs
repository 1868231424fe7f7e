//! Appending to the ledger under the run's lock: each line written and
//! fsynced before the call returns; a torn last line cut first; the file
//! (and its folder entry) created on the first write.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{Ledger, LedgerError, Record};

/// The ledger open for appending, with the run's lock held. The file is
/// created by the first append, so a run that sends nothing leaves none.
#[derive(Debug)]
pub struct Writer {
    path: PathBuf,
    file: Option<File>,
    _lock: File,
}

impl Writer {
    /// Takes the lock, reads the ledger and cuts a torn final line.
    /// Returns the ledger as read.
    pub fn open(path: &Path) -> Result<(Self, Ledger), LedgerError> {
        let lock = take_lock(path)?;
        let ledger = Ledger::read(path)?;
        let mut writer = Self {
            path: path.to_path_buf(),
            file: None,
            _lock: lock,
        };
        if let Some(torn) = ledger.torn {
            let file = writer.file()?;
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
        let file = self.file()?;
        let written = file.write_all(&line).and_then(|()| file.sync_data());
        written.map_err(|source| self.error(source))
    }

    /// The file, opened (and created, with its folder synced) on first use.
    fn file(&mut self) -> Result<&mut File, LedgerError> {
        let file = match self.file.take() {
            Some(file) => file,
            None => self.create().map_err(|source| self.error(source))?,
        };
        Ok(self.file.insert(file))
    }

    fn create(&self) -> io::Result<File> {
        let existed = self.path.exists();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        if !existed {
            sync_dir(self.path.parent().unwrap_or(Path::new(".")))?;
        }
        Ok(file)
    }

    fn error(&self, source: io::Error) -> LedgerError {
        LedgerError::Write {
            path: self.path.clone(),
            source,
        }
    }
}

fn take_lock(ledger: &Path) -> Result<File, LedgerError> {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".lock");
    let path = PathBuf::from(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| LedgerError::Write {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(LedgerError::Locked { path }),
        Err(fs::TryLockError::Error(source)) => Err(LedgerError::Write { path, source }),
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
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
