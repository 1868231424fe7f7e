//! The ledger's records: one JSON object per line (see `docs/digests.md`,
//! "The ledger"), and the window and status they speak of.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The half-open interval (start, end] a digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    /// Every date a catalogue can hold (1970 to 9999, see
    /// `catalogue::date`), with room to spare for any time zone: unlike
    /// `DateTime::MIN_UTC`/`MAX_UTC`, both ends have a local day everywhere.
    pub const EVERYTHING: Self = Self {
        start: DateTime::from_timestamp_nanos(-86_400 * 1_000_000_000 * 2),
        end: match DateTime::from_timestamp(253_402_300_799 + 86_400 * 2, 0) {
            Some(end) => end,
            None => DateTime::<Utc>::MAX_UTC,
        },
    };

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start < at && at <= self.end
    }
}

/// The ids of what a digest carried, as its ledger line records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Carried {
    pub entries: Vec<String>,
    pub updates: Vec<String>,
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    Digest(DigestRecord),
    Attempting {
        digest: String,
        to: String,
        message_id: String,
    },
    Accepted {
        digest: String,
        to: String,
        reply: String,
    },
    Failed {
        digest: String,
        to: String,
        reply: String,
    },
    Deferred {
        digest: String,
        to: String,
        reason: String,
    },
    /// Nothing in this digest falls in the recipient's categories: no message.
    Skipped {
        digest: String,
        to: String,
    },
    /// Run `run` is about to mail the recipients still pending (issue 19).
    /// Written and committed before a CI run sends: to any other run those
    /// recipients are unconfirmed, since a run lost with its machine may
    /// have mailed them after its last commit ([`super::Ledger::settle_claims`]).
    Claimed {
        digest: String,
        run: String,
    },
}

/// A digest as recorded before its first message is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestRecord {
    pub id: String,
    /// RFC 3339, UTC.
    pub start: String,
    /// RFC 3339, UTC; also the message's `Date`.
    pub end: String,
    pub message_id: String,
    pub subject: String,
    pub recipients: Vec<String>,
    /// What the digest carried; absent on lines written before oyez
    /// recorded it (their window says what they held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried: Option<Carried>,
    /// The categories each subscriber with a selection follows (slugs),
    /// as they stood when the digest began; absent recipients get all.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<String, Vec<String>>,
    /// What the digest showed, for its archive page (issue 19 §4); absent
    /// on lines written before oyez kept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen: Option<Box<Frozen>>,
    /// Present once the digest is compacted (issue 19 §3): `recipients`
    /// then lists only those still unsettled, and this holds the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<Box<Settled>>,
}

/// The recipients a compacted digest no longer lists: every one of them
/// was accepted or skipped, so no run mails them again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settled {
    /// Every recipient of the digest, listed or not.
    pub recipients: usize,
    /// SHA-256 (hex) of the whole recipient list, sorted, one address and
    /// a newline each: what the digest was sent to, checkable later.
    pub sha256: String,
    /// Recipients whose server accepted the message and who are not listed.
    pub accepted: usize,
    /// Recipients who were not mailed: nothing was in their categories.
    pub skipped: BTreeSet<String>,
}

/// What a digest's page showed when it was sent: the template variables
/// that come from the catalogue, as the templates read them, so that the
/// archive page is rendered again from these whatever happens to the
/// catalogue later. Each entry and category is kept once: `sections` (and
/// each update's) name them by id and slug; what follows from the rest
/// (an entry's `link`, `anchor`, `summary_text`, a note's `note_text`) is
/// derived again when the page is rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frozen {
    pub digest: Value,
    pub count: usize,
    /// `[{"slug": …, "entries": [id, …]}, …]`
    pub sections: Value,
    pub updates: Value,
    pub thanks: Value,
    pub thank_you: Value,
    pub welcome: Value,
    /// By slug, the section's fields but `entries`.
    pub categories: BTreeMap<String, Value>,
    /// By id, the entry's fields but those derived again.
    pub entries: BTreeMap<String, Value>,
}

/// Where a recipient stands, from the last line about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Never attempted (no line yet).
    Pending,
    /// `attempting` with no outcome: unconfirmed.
    Attempting,
    Accepted,
    Failed,
    /// Not delivered; a later run tries again.
    Deferred,
    /// Nothing for them in this digest; never mailed.
    Skipped,
}
