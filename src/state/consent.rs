//! `.oyez/consent` (issue 21 §3): how each subscriber consented, one
//! JSON object a line: the address, when (RFC 3339), how (`double opt-in
//! by mail`, …) and the message that confirmed it. `oyez subscribers
//! export` prints it beside each subscriber.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::suppressed::key;
use super::{CONSENT, StateError};

const HEADER: &str = "# .oyez/consent: when and how each subscriber consented; commit it.\n";

/// One subscriber's consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub address: String,
    pub when: DateTime<Utc>,
    pub how: String,
    /// The confirming message's Message-ID.
    pub message: String,
}

/// Every consent, by address key.
pub fn read(root: &Path) -> Result<BTreeMap<String, Consent>, StateError> {
    let what = "a consent (address, when, how, message)";
    let all = super::lines::read::<Consent>(root, CONSENT, what)?;
    Ok(all.into_iter().map(|c| (key(&c.address), c)).collect())
}

/// Records `consent`, replacing an earlier one of the same address.
pub fn record(root: &Path, consent: Consent) -> Result<(), StateError> {
    let mut all = read(root)?;
    all.insert(key(&consent.address), consent);
    let lines: Vec<&Consent> = all.values().collect();
    super::lines::write(root, CONSENT, HEADER, &lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_consent_replaces_the_earlier() {
        let dir = tempfile::tempdir().unwrap();
        let when = DateTime::parse_from_rfc3339("2026-12-07T08:00:00Z").unwrap();
        let first = Consent {
            address: "A@x.org".into(),
            when: when.to_utc(),
            how: "double opt-in by mail".into(),
            message: "<1@x>".into(),
        };
        record(dir.path(), first.clone()).unwrap();
        let second = Consent {
            message: "<2@x>".into(),
            ..first
        };
        record(dir.path(), second.clone()).unwrap();
        assert_eq!(
            read(dir.path()).unwrap().into_values().collect::<Vec<_>>(),
            [second]
        );
    }
}
