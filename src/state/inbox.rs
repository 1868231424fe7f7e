//! `.oyez/inbox` (issue 21): what `oyez inbox` has done, so that each
//! message is applied once even when a run is killed midway. `done` lines
//! name a message by the SHA-256 of its bytes (written after its effect,
//! before it is deleted from the mailbox); `confirm` lines are the
//! confirmations asked for and not yet answered, written `sent: false`
//! before the mail goes out and `sent: true` once the server accepted it,
//! so that none is ever sent twice.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::suppressed::key;
use super::{INBOX, StateError};

const HEADER: &str = "# .oyez/inbox: messages `oyez inbox` applied, and confirmations \
    it awaits; commit it.\n";

/// A message applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Done {
    /// SHA-256 of the message's bytes, hex.
    pub done: String,
    pub message_id: String,
    pub date: NaiveDate,
    /// What it did, as the run reported it.
    pub what: String,
}

/// A subscribe request answered with a confirmation mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// The address asked to confirm.
    pub confirm: String,
    /// As the request's From named it: `Name <address>`.
    pub mailbox: String,
    /// The categories asked for (`None`: every category).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// The request's Message-ID.
    pub request: String,
    pub date: NaiveDate,
    /// `false` while the mail is being sent (a run killed then leaves it
    /// unconfirmed: never sent again).
    pub sent: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Line {
    Done(Done),
    Pending(Pending),
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inbox {
    /// By message hash.
    pub done: BTreeMap<String, Done>,
    /// By address key.
    pub pending: BTreeMap<String, Pending>,
}

impl Inbox {
    /// The file in the catalogue `root` (empty when absent).
    pub fn read(root: &Path) -> Result<Self, StateError> {
        let what = "a done message (done, message_id, date, what) nor a confirmation \
                    (confirm, mailbox, request, date, sent)";
        let mut out = Self::default();
        for line in super::lines::read::<Line>(root, INBOX, what)? {
            match line {
                Line::Done(done) => out.done.insert(done.done.clone(), done).map(drop),
                Line::Pending(p) => out.pending.insert(key(&p.confirm), p).map(drop),
            };
        }
        Ok(out)
    }

    /// Replaces the file: confirmations, then messages, each sorted.
    pub fn write(&self, root: &Path) -> Result<(), StateError> {
        let pending = self.pending.values().cloned().map(Line::Pending);
        let lines: Vec<Line> = pending
            .chain(self.done.values().cloned().map(Line::Done))
            .collect();
        super::lines::write(root, INBOX, HEADER, &lines)
    }

    /// The confirmation awaited from `address`, if any.
    pub fn pending_of(&self, address: &str) -> Option<&Pending> {
        self.pending.get(&key(address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut inbox = Inbox::default();
        inbox.done.insert(
            "ab".into(),
            Done {
                done: "ab".into(),
                message_id: "<1@x>".into(),
                date: day,
                what: "unsubscribed a@x.org".into(),
            },
        );
        inbox.pending.insert(
            "b@x.org".into(),
            Pending {
                confirm: "B@x.org".into(),
                mailbox: "B <B@x.org>".into(),
                categories: Some(vec!["talks".into()]),
                request: "<2@x>".into(),
                date: day,
                sent: false,
            },
        );
        inbox.write(dir.path()).unwrap();
        let back = Inbox::read(dir.path()).unwrap();
        assert_eq!(back, inbox);
        assert!(back.pending_of("b@X.org").is_some());
    }
}
