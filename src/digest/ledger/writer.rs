//! Appending to the ledger under the run's lock; a torn last line cut first.
//!
//! Lines are written at once (a killed process never loses one) and made
//! durable by group commit (issue 14): [`Writer::append`] returns once its
//! line is fsynced, and one fsync covers every line written before it, from
//! any thread. [`Writer::note`] writes an outcome line without waiting for
//! its fsync: the next `append` (the next `attempting`) or
//! [`Writer::flush`] makes it durable. An outcome lost to a power cut
//! leaves its recipient `attempting` (unconfirmed), never mailed twice.
//!
//! The lock is an exclusive `flock` on the ledger file itself, taken on the
//! file its path resolves to (issue 15): two catalogue folders whose
//! ledgers are one file (a hard link, a symbolic link) cannot both send,
//! and no lock file is left behind. So a sending run creates the ledger
//! (empty) if it is missing. A run ends with [`Writer::compact`], which
//! replaces the ledger by its compacted form once no digest is owed to
//! anyone, and holds the lock on the new file until the run ends.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::{Ledger, LedgerError, Record, compact};
use crate::digest::fault;
use crate::input::{self, InputError, Kind, Problem};
use crate::output::sync_dir;

/// The ledger open for appending, with the run's lock held. Shared by the
/// sending threads (`&Writer` is enough to append).
#[derive(Debug)]
pub struct Writer {
    path: PathBuf,
    /// The file `path` names, symbolic links resolved: what compaction replaces.
    resolved: PathBuf,
    file: File,
    commit: Mutex<Commit>,
    synced: Condvar,
    /// The descriptor holding the lock, until the run ends.
    locked: File,
}

/// Group-commit bookkeeping: lines are numbered as they are written.
#[derive(Debug, Default)]
struct Commit {
    written: u64,
    durable: u64,
    /// A thread is inside `sync_data` for lines up to this number.
    syncing: Option<u64>,
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
            resolved: input.resolved.clone(),
            file,
            commit: Mutex::default(),
            synced: Condvar::new(),
            locked: input.file,
        };
        if let Some(torn) = ledger.torn {
            let file = &writer.file;
            file.set_len(torn.valid_len)
                .and_then(|()| file.sync_all())
                .map_err(|source| writer.error(source))?;
        }
        Ok((writer, ledger))
    }

    /// Appends one line and waits until it, and every line before it, is on disk.
    pub fn append(&self, record: &Record) -> Result<(), LedgerError> {
        let number = self.write(record)?;
        self.wait_durable(number)
    }

    /// Appends one line without waiting for the disk (see the module doc).
    pub fn note(&self, record: &Record) -> Result<(), LedgerError> {
        self.write(record).map(|_| ())
    }

    /// Waits until every line written so far is on disk.
    pub fn flush(&self) -> Result<(), LedgerError> {
        let written = self.lock().written;
        self.wait_durable(written)
    }

    /// Writes one line (whole, under the lock) and returns its number.
    fn write(&self, record: &Record) -> Result<u64, LedgerError> {
        let mut line =
            serde_json::to_vec(record).map_err(|err| self.error(io::Error::other(err)))?;
        line.push(b'\n');
        let mut commit = self.lock();
        (&self.file)
            .write_all(&line)
            .map_err(|source| self.error(source))?;
        commit.written += 1;
        Ok(commit.written)
    }

    /// Returns once line `number` is durable: the first waiter fsyncs for
    /// everyone written so far, the others wait for its result.
    fn wait_durable(&self, number: u64) -> Result<(), LedgerError> {
        let mut commit = self.lock();
        loop {
            if commit.durable >= number {
                return Ok(());
            }
            if commit.syncing.is_some() {
                commit = self
                    .synced
                    .wait(commit)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            let target = commit.written;
            commit.syncing = Some(target);
            drop(commit);
            let synced = self.file.sync_data();
            commit = self.lock();
            commit.syncing = None;
            if synced.is_ok() {
                commit.durable = target;
            }
            self.synced.notify_all();
            synced.map_err(|source| self.error(source))?;
        }
    }

    /// Ends the run's writing: when no digest is owed to anyone any more,
    /// rewrites the ledger compacted (see `compact.rs`). Returns whether it
    /// did; the new file stays locked as long as the returned handle lives.
    /// A ledger with another hard link is left as it is (replacing it would
    /// split the two).
    pub fn compact(mut self) -> Result<Option<File>, LedgerError> {
        self.flush()?;
        let relative = Path::new(self.path.file_name().unwrap_or_default());
        if fault::named("keep-lines", &relative.to_string_lossy()) {
            return Ok(None);
        }
        (&self.locked)
            .seek(SeekFrom::Start(0))
            .map_err(|source| self.error(source))?;
        let bytes = input::read_all(&mut self.locked, relative, Kind::Ledger)?;
        let ledger = Ledger::parse(&self.path, &bytes)?;
        let failed = |source| LedgerError::Compact {
            path: self.path.clone(),
            source,
        };
        let text = compact::text(&ledger).map_err(|err| failed(io::Error::other(err)))?;
        let Some(text) = text.filter(|text| *text != bytes) else {
            return Ok(None);
        };
        let again = Ledger::parse(&self.path, &text);
        if !again.is_ok_and(|again| compact::same(&ledger, &again)) {
            let why = "its compacted form would not read back the same";
            return Err(failed(io::Error::other(why)));
        }
        if links(&self.locked).map_err(failed)? > 1 {
            return Ok(None);
        }
        compact::replace(&self.resolved, &text)
            .map(Some)
            .map_err(failed)
    }

    fn lock(&self) -> MutexGuard<'_, Commit> {
        self.commit.lock().unwrap_or_else(PoisonError::into_inner)
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

/// How many names the file has.
fn links(file: &File) -> io::Result<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        file.metadata().map(|meta| meta.nlink())
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(1)
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
        let (writer, ledger) = Writer::open(&path).unwrap();
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

    #[test]
    fn lines_from_several_threads_are_each_written_whole_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        fs::write(&path, format!("{DIGEST}\n")).unwrap();
        let (writer, _) = Writer::open(&path).unwrap();
        let addresses = ["a@x.org", "b@x.org", "c@x.org", "d@x.org"];
        std::thread::scope(|scope| {
            for to in addresses {
                let writer = &writer;
                scope.spawn(move || {
                    let (digest, to) = ("2026-11-27".to_owned(), to.to_owned());
                    let message_id = "<a@b>".to_owned();
                    let attempting = Record::Attempting {
                        digest: digest.clone(),
                        to: to.clone(),
                        message_id,
                    };
                    writer.append(&attempting).unwrap();
                    let reply = "250 ok".to_owned();
                    writer
                        .note(&Record::Accepted { digest, to, reply })
                        .unwrap();
                });
            }
        });
        writer.flush().unwrap();
        let reread = Ledger::read(&path).unwrap();
        assert_eq!(reread.torn, None);
        let digest = reread.last().unwrap();
        for to in addresses {
            assert_eq!(digest.status(to), Status::Accepted, "{to}");
        }
    }

    #[test]
    fn a_noted_line_is_in_the_file_before_any_flush() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        fs::write(&path, format!("{DIGEST}\n")).unwrap();
        let (writer, _) = Writer::open(&path).unwrap();
        let skipped = Record::Skipped {
            digest: "2026-11-27".into(),
            to: "a@x.org".into(),
        };
        writer.note(&skipped).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("\"to\":\"a@x.org\"}\n"), "{text}");
    }

    fn complete(path: &Path) {
        let to = |n: usize| format!("{}@x.org", ["a", "b", "c", "d"][n]);
        let mut text = format!("{DIGEST}\n");
        for n in 0..4 {
            let to = to(n);
            text.push_str(&format!(
                "{{\"event\":\"accepted\",\"digest\":\"2026-11-27\",\"to\":\"{to}\",\"reply\":\"250\"}}\n"
            ));
        }
        fs::write(path, text).unwrap();
    }

    #[test]
    fn compaction_replaces_the_ledger_and_keeps_it_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        complete(&path);
        let (writer, _) = Writer::open(&path).unwrap();
        let held = writer.compact().unwrap().expect("compacted");
        assert!(matches!(
            Writer::open(&path),
            Err(LedgerError::Locked { .. })
        ));
        drop(held);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert_eq!(
            Ledger::read(&path)
                .unwrap()
                .last()
                .unwrap()
                .count(Status::Accepted),
            4
        );
        let (writer, _) = Writer::open(&path).unwrap();
        assert!(writer.compact().unwrap().is_none(), "already compact");
        assert!(!dir.path().join(".digests.ledger.compacting").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_ledger_with_another_hard_link_is_not_compacted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DEFAULT_FILE);
        complete(&path);
        fs::hard_link(&path, dir.path().join("other.ledger")).unwrap();
        let before = fs::read(&path).unwrap();
        let (writer, _) = Writer::open(&path).unwrap();
        assert!(writer.compact().unwrap().is_none());
        assert_eq!(fs::read(&path).unwrap(), before);
    }
}
