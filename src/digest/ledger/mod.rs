//! The digest ledger: a file of JSON lines in the catalogue folder
//! (default `digests.ledger`, meant to be committed) that makes sending
//! exactly-once. A `digest` line records each digest (id, window,
//! Message-ID, subject, recipients, what it carried, its frozen page
//! content: `record.rs`); per recipient, `attempting` is written
//! and fsynced before each SMTP transaction, then `accepted`, `failed`
//! (a permanent refusal) or `deferred` (the server said "not now", or the
//! connection broke before the message was handed over) is written right
//! after it, and fsynced with the next `attempting` ([`Writer`]); a
//! subscriber whose categories hold nothing new gets `skipped` instead of
//! a message (issue 14). A
//! recipient whose last line is `attempting` is *unconfirmed*: the message
//! may or may not have arrived, so it is not mailed again unless asked.
//! Lines are appended while sending; once no digest is owed to anyone the
//! ledger is rewritten with each digest compacted to its line and the
//! recipients it still concerns (`compact.rs`, issue 19).
//!
//! A lock on the ledger file itself keeps two runs apart ([`Writer`]). A
//! line that does not parse stops everything with `path:line`; only a torn
//! final line (no newline: a crash while writing it, so it starts as every
//! record does, with `{`) is dropped, which is safe because every line is
//! written before the step it records happens or after it. The file is
//! read through [`crate::input`]: a regular file inside the catalogue, at
//! most [`Kind::Ledger`]'s limit.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};

use crate::input::{self, InputError, Kind};

mod claim;
mod compact;
mod record;
mod writer;

pub use record::{Carried, DigestRecord, Frozen, Record, Settled, Status, Window};
pub use writer::Writer;

/// The folder holding `path` (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The ledger's file name when `[digest] ledger` does not give one.
pub const DEFAULT_FILE: &str = "digests.ledger";

/// A recorded digest with its window parsed and each recipient's status.
#[derive(Debug, Clone)]
pub struct Digest {
    pub record: DigestRecord,
    pub window: Window,
    /// Line of the `digest` record (1-based).
    pub line: usize,
    /// Where each listed recipient stands.
    status: BTreeMap<String, Standing>,
    /// The last claim: its run, and the recipients pending when it was made.
    claim: Option<(String, Vec<String>)>,
}

/// A listed recipient's status and what its last line said besides: the
/// Message-ID of `attempting`, the reply of `failed`, the reason of `deferred`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Standing {
    status: Status,
    detail: String,
}

impl Digest {
    /// Where recipient `to` stands; a recipient a compacted digest no
    /// longer lists was accepted, or skipped if it says so.
    pub fn status(&self, to: &str) -> Status {
        if let Some(standing) = self.status.get(to) {
            return standing.status;
        }
        match &self.record.settled {
            Some(settled) if settled.skipped.contains(to) => Status::Skipped,
            Some(_) => Status::Accepted,
            None => Status::Pending,
        }
    }

    /// How many recipients stand at `status`.
    pub fn count(&self, status: Status) -> usize {
        let listed = self.record.recipients.iter();
        let listed = listed.filter(|to| self.status(to) == status).count();
        let settled = self.record.settled.as_ref();
        listed
            + match (status, settled) {
                (Status::Accepted, Some(settled)) => settled.accepted,
                (Status::Skipped, Some(settled)) => settled.skipped.len(),
                _ => 0,
            }
    }

    /// Whether at least one recipient's server took the message.
    pub fn is_sent(&self) -> bool {
        self.count(Status::Accepted) > 0
    }

    /// Whether no recipient is owed the message any more (none pending or
    /// deferred): only `--resend-unconfirmed` can touch it again.
    pub fn is_complete(&self) -> bool {
        self.status
            .values()
            .all(|s| !matches!(s.status, Status::Pending | Status::Deferred))
    }
}

/// A torn final line: where the valid text ends and which line it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Torn {
    pub line: usize,
    pub valid_len: u64,
}

/// The parsed ledger.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub digests: Vec<Digest>,
    pub torn: Option<Torn>,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "cannot write the digest ledger {}; nothing more is sent. Make room (or fix the \
         permissions) and run again: it resumes where this run stopped",
        path.display()
    )]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{}:{line}: {message}; the ledger is corrupt and oyez will not guess what was sent: \
         restore it (for example `git checkout -- {}`) or fix that line by hand",
        path.display(), path.display()
    )]
    Corrupt {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The ledger could not be rewritten compacted; it is as it was.
    #[error(
        "cannot compact the digest ledger {}: it is left as it was (complete and valid), \
         and the next `oyez digest --send` compacts it",
        path.display()
    )]
    Compact {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "another `oyez digest` is sending with this ledger ({} is locked); wait for it to finish",
        path.display()
    )]
    Locked { path: PathBuf },
    #[error(transparent)]
    Input(#[from] InputError),
}

impl Ledger {
    /// Reads the ledger at `path`; a missing file is an empty ledger.
    pub fn read(path: &Path) -> Result<Self, LedgerError> {
        Self::read_in(folder(path), path)
    }

    /// Reads the ledger at `path`, which must lie inside the catalogue
    /// folder `root`; a missing file is an empty ledger.
    pub fn read_in(root: &Path, path: &Path) -> Result<Self, LedgerError> {
        let relative = path.strip_prefix(root).unwrap_or(path);
        match input::read(root, relative, Kind::Ledger)? {
            Some(bytes) => Self::parse(path, &bytes),
            None => Ok(Self::default()),
        }
    }

    /// Parses ledger text; `path` only names the file in errors.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Self, LedgerError> {
        let mut ledger = Self::default();
        let mut offset = 0usize;
        let corrupt = |line: usize, message: String| LedgerError::Corrupt {
            path: path.to_path_buf(),
            line,
            message,
        };
        for (index, chunk) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
            let line = index + 1;
            // Each line is written with its newline in one write, before
            // the step it announces: a line without one never counted.
            let Some(text) = chunk.strip_suffix(b"\n") else {
                // Every record starts with `{`: anything else (a file of
                // NULs) is not a line cut short, and must not read as empty.
                if !chunk.starts_with(b"{") {
                    return Err(corrupt(
                        line,
                        "not a ledger record, nor the start of one".into(),
                    ));
                }
                ledger.torn = Some(Torn {
                    line,
                    valid_len: offset as u64,
                });
                break;
            };
            let parsed = std::str::from_utf8(text)
                .map_err(|err| err.to_string())
                .and_then(|text| parse_line(text).map_err(|err| err.to_string()));
            match parsed {
                Ok(None) => {}
                Ok(Some(record)) => ledger.apply(record, line).map_err(|m| corrupt(line, m))?,
                Err(message) => {
                    return Err(corrupt(line, format!("not a ledger record: {message}")));
                }
            }
            offset += chunk.len();
        }
        Ok(ledger)
    }

    fn apply(&mut self, record: Record, line: usize) -> Result<(), String> {
        let (digest, to, status, detail) = match record {
            Record::Digest(record) => return self.open(record, line),
            Record::Claimed { digest, run } => return self.claim(&digest, run),
            Record::Attempting {
                digest,
                to,
                message_id,
            } => (digest, to, Status::Attempting, message_id),
            Record::Accepted { digest, to, .. } => (digest, to, Status::Accepted, String::new()),
            Record::Failed { digest, to, reply } => (digest, to, Status::Failed, reply),
            Record::Deferred { digest, to, reason } => (digest, to, Status::Deferred, reason),
            Record::Skipped { digest, to } => (digest, to, Status::Skipped, String::new()),
        };
        let found = self.digests.iter_mut().find(|d| d.record.id == digest);
        let Some(found) = found else {
            return Err(format!(
                "a line about digest {digest:?}, which no earlier line records"
            ));
        };
        match found.status.get_mut(&to) {
            Some(slot) => *slot = Standing { status, detail },
            None => return Err(format!("{to:?} is not a recipient of digest {digest:?}")),
        }
        Ok(())
    }

    fn open(&mut self, record: DigestRecord, line: usize) -> Result<(), String> {
        if self.digests.iter().any(|d| d.record.id == record.id) {
            return Err(format!("digest {:?} is recorded twice", record.id));
        }
        let start = parse_time(&record.start)?;
        let end = parse_time(&record.end)?;
        if end <= start {
            return Err(format!("digest {:?} ends before it starts", record.id));
        }
        if let Some(settled) = &record.settled {
            if record
                .recipients
                .iter()
                .any(|to| settled.skipped.contains(to))
            {
                return Err(format!(
                    "digest {:?} lists a recipient it also counts as skipped",
                    record.id
                ));
            }
            let listed = record.recipients.len();
            let sum = listed.checked_add(settled.accepted);
            if sum.and_then(|sum| sum.checked_add(settled.skipped.len()))
                != Some(settled.recipients)
            {
                return Err(format!(
                    "digest {:?} counts {} recipients but lists or settles another number",
                    record.id, settled.recipients
                ));
            }
        }
        // Every listed recipient starts pending; a line about anyone else is refused.
        let pending = || Standing {
            status: Status::Pending,
            detail: String::new(),
        };
        let status = record
            .recipients
            .iter()
            .map(|to| (to.clone(), pending()))
            .collect();
        self.digests.push(Digest {
            window: Window { start, end },
            record,
            line,
            status,
            claim: None,
        });
        Ok(())
    }

    /// The ledger as [`Writer::compact`] writes it, or `None` while a
    /// digest is owed to someone.
    pub fn compacted(&self) -> Option<Vec<u8>> {
        compact::text(self).ok().flatten()
    }

    /// The most recently recorded digest.
    pub fn last(&self) -> Option<&Digest> {
        self.digests.last()
    }

    /// Every digest at least one server accepted, oldest first.
    pub fn sent(&self) -> impl Iterator<Item = &Digest> {
        self.digests.iter().filter(|d| d.is_sent())
    }

    /// A digest id not used yet: `base`, else `base-2`, `base-3`…
    pub fn fresh_id(&self, base: &str) -> String {
        let taken = |id: &str| self.digests.iter().any(|d| d.record.id == id);
        if !taken(base) {
            return base.to_owned();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !taken(id))
            .unwrap_or_else(|| base.to_owned())
    }
}

/// A blank line is allowed (and ignored); anything else must be a record.
fn parse_line(text: &str) -> Result<Option<Record>, serde_json::Error> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text).map(Some)
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|err| format!("{text:?} is not an RFC 3339 date-time: {err}"))
}

/// How the ledger writes times: RFC 3339 in UTC, whole seconds.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = r#"{"event":"digest","id":"2026-11-27","start":"2020-01-01T00:00:00Z","end":"2026-11-27T00:00:00Z","message_id":"<a@b>","subject":"S","recipients":["a@x.org","b@x.org","c@x.org","d@x.org"]}"#;

    fn parse(text: &str) -> Result<Ledger, LedgerError> {
        Ledger::parse(Path::new("digests.ledger"), text.as_bytes())
    }

    #[test]
    fn the_last_line_about_a_recipient_sets_its_status() {
        let text = format!(
            "{DIGEST}\n\
             {{\"event\":\"attempting\",\"digest\":\"2026-11-27\",\"to\":\"a@x.org\",\"message_id\":\"<a@b>\"}}\n\
             {{\"event\":\"accepted\",\"digest\":\"2026-11-27\",\"to\":\"a@x.org\",\"reply\":\"250 ok\"}}\n\
             {{\"event\":\"attempting\",\"digest\":\"2026-11-27\",\"to\":\"b@x.org\",\"message_id\":\"<a@b>\"}}\n\
             {{\"event\":\"attempting\",\"digest\":\"2026-11-27\",\"to\":\"c@x.org\",\"message_id\":\"<a@b>\"}}\n\
             {{\"event\":\"deferred\",\"digest\":\"2026-11-27\",\"to\":\"c@x.org\",\"reason\":\"451\"}}\n"
        );
        let ledger = parse(&text).unwrap();
        let digest = ledger.last().unwrap();
        assert_eq!(digest.status("a@x.org"), Status::Accepted);
        assert_eq!(digest.status("b@x.org"), Status::Attempting);
        assert_eq!(digest.status("c@x.org"), Status::Deferred);
        assert_eq!(digest.status("d@x.org"), Status::Pending);
        assert!(digest.is_sent());
        assert_eq!(ledger.torn, None);
    }

    #[test]
    fn a_torn_final_line_is_set_aside_not_an_error() {
        let text = format!("{DIGEST}\n{{\"event\":\"attempt");
        let ledger = parse(&text).unwrap();
        assert_eq!(
            ledger.torn,
            Some(Torn {
                line: 2,
                valid_len: DIGEST.len() as u64 + 1
            })
        );
        assert_eq!(ledger.last().unwrap().count(Status::Pending), 4);
    }

    #[test]
    fn a_bad_line_in_the_middle_is_corruption_with_its_line() {
        let text = format!("{DIGEST}\ngarbage\n{DIGEST}\n");
        let err = parse(&text).unwrap_err().to_string();
        assert!(
            err.starts_with("digests.ledger:2: not a ledger record: "),
            "{err}"
        );
    }

    #[test]
    fn a_bad_complete_final_line_is_corruption() {
        let err = parse("{\"event\":\"nope\"}\n").unwrap_err().to_string();
        assert!(err.starts_with("digests.ledger:1: "), "{err}");
    }

    #[test]
    fn lines_about_unknown_digests_or_recipients_are_corruption() {
        let unknown =
            "{\"event\":\"accepted\",\"digest\":\"x\",\"to\":\"a@x.org\",\"reply\":\"\"}\n";
        assert!(
            parse(unknown)
                .unwrap_err()
                .to_string()
                .contains(":1: a line about digest \"x\"")
        );
        let stranger = format!(
            "{DIGEST}\n{{\"event\":\"accepted\",\"digest\":\"2026-11-27\",\"to\":\"z@x.org\",\"reply\":\"\"}}\n"
        );
        assert!(
            parse(&stranger)
                .unwrap_err()
                .to_string()
                .contains(":2: \"z@x.org\" is not a recipient")
        );
    }

    #[test]
    fn fresh_ids_skip_used_ones() {
        let ledger = parse(&format!("{DIGEST}\n")).unwrap();
        assert_eq!(ledger.fresh_id("2026-11-27"), "2026-11-27-2");
        assert_eq!(ledger.fresh_id("2026-11-28"), "2026-11-28");
    }
}
