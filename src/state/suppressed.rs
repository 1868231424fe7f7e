//! `.oyez/suppressed` (issue 21): the addresses no digest mails, whatever
//! the subscribers file says, one JSON object a line: who, why
//! (`unsubscribed`, `hard-bounce`, `complaint`, `by-hand`), since when and
//! the evidence (a message id or the SMTP reply). Beside them, `failing`
//! lines count the digests in a row that an address refused permanently
//! for another reason than "no such user"; the third suppresses it.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{SUPPRESSED, StateError};

const HEADER: &str = "# .oyez/suppressed: addresses no digest mails, and why \
    (`oyez subscribers suppress`, refusals at RCPT); commit it.\n";

/// Digests in a row refused permanently before an address is suppressed.
pub const FAILURES_IN_A_ROW: usize = 3;

/// Why an address is suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Its owner asked to leave.
    Unsubscribed,
    /// The server said it does not exist, or refused it three digests in a row.
    HardBounce,
    /// Its owner reported a digest as spam.
    Complaint,
    /// The maintainer said so.
    ByHand,
}

impl Reason {
    /// As the file and the messages write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unsubscribed => "unsubscribed",
            Self::HardBounce => "hard-bounce",
            Self::Complaint => "complaint",
            Self::ByHand => "by-hand",
        }
    }
}

/// One suppressed address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    pub address: String,
    pub reason: Reason,
    pub date: NaiveDate,
    /// A message id, or the server's reply.
    pub evidence: String,
}

/// An address refused permanently by the last digests, not yet suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failing {
    #[serde(rename = "failing")]
    pub address: String,
    /// The digests in a row that refused it, oldest first.
    pub digests: Vec<String>,
    /// The last reply.
    pub evidence: String,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Line {
    Suppression(Suppression),
    Failing(Failing),
}

/// The whole file: suppressions and failure counts, each by address key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressed {
    pub suppressions: BTreeMap<String, Suppression>,
    pub failing: BTreeMap<String, Failing>,
}

/// How addresses are compared: in lower case (the domain never cares, and
/// no mail system in use tells `Ada@` from `ada@`).
pub fn key(address: &str) -> String {
    address.trim().to_lowercase()
}

impl Suppressed {
    /// The file in the catalogue `root` (empty when absent).
    pub fn read(root: &Path) -> Result<Self, StateError> {
        let mut out = Self::default();
        let Some(bytes) = super::read(root, SUPPRESSED)? else {
            return Ok(out);
        };
        let text = String::from_utf8_lossy(&bytes);
        for (line, record) in super::records(&text) {
            let corrupt = |reason: String| StateError::Corrupt {
                path: SUPPRESSED.shown(),
                line,
                reason,
            };
            match serde_json::from_str(record) {
                Ok(Line::Suppression(s)) => out.suppressions.insert(key(&s.address), s).map(drop),
                Ok(Line::Failing(f)) => out.failing.insert(key(&f.address), f).map(drop),
                Err(_) => return Err(corrupt(not_a_record())),
            };
        }
        Ok(out)
    }

    /// Replaces the file, sorted by address (a stable diff).
    pub fn write(&self, root: &Path) -> Result<(), StateError> {
        let mut out = HEADER.as_bytes().to_vec();
        let lines = self.suppressions.values().cloned().map(Line::Suppression);
        for line in lines.chain(self.failing.values().cloned().map(Line::Failing)) {
            // Records of strings and a date always serialise.
            if serde_json::to_writer(&mut out, &line).is_ok() {
                out.push(b'\n');
            }
        }
        super::write(root, SUPPRESSED, &out)
    }

    /// The suppression of `address`, if any.
    pub fn get(&self, address: &str) -> Option<&Suppression> {
        self.suppressions.get(&key(address))
    }

    /// Suppresses `suppression.address` (an earlier record is kept: it
    /// says since when), forgetting its failure count.
    pub fn suppress(&mut self, suppression: Suppression) -> bool {
        let key = key(&suppression.address);
        self.failing.remove(&key);
        if self.suppressions.contains_key(&key) {
            return false;
        }
        self.suppressions.insert(key, suppression);
        true
    }

    /// Lifts the suppression of `address`; `None` when there was none.
    pub fn unsuppress(&mut self, address: &str) -> Option<Suppression> {
        let key = key(address);
        self.failing.remove(&key);
        self.suppressions.remove(&key)
    }
}

fn not_a_record() -> String {
    "not a suppression (address, reason, date, evidence; the reason one of unsubscribed, \
     hard-bounce, complaint, by-hand) nor a failure count (failing, digests, evidence)"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips_and_compares_addresses_in_lower_case() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = Suppressed::default();
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert!(file.suppress(Suppression {
            address: "Ada@Example.ORG".into(),
            reason: Reason::HardBounce,
            date: day,
            evidence: "550 5.1.1 no such user".into(),
        }));
        file.failing.insert(
            "b@example.org".into(),
            Failing {
                address: "b@example.org".into(),
                digests: vec!["2026-12-07".into()],
                evidence: "554 5.7.1 rejected".into(),
            },
        );
        file.write(dir.path()).unwrap();
        let back = Suppressed::read(dir.path()).unwrap();
        assert_eq!(back, file);
        assert_eq!(
            back.get("ada@example.org").unwrap().reason,
            Reason::HardBounce
        );
        let text = std::fs::read_to_string(dir.path().join(".oyez/suppressed")).unwrap();
        assert_eq!(
            text.lines().skip(1).collect::<Vec<_>>(),
            [
                r#"{"address":"Ada@Example.ORG","reason":"hard-bounce","date":"2026-12-07","evidence":"550 5.1.1 no such user"}"#,
                r#"{"failing":"b@example.org","digests":["2026-12-07"],"evidence":"554 5.7.1 rejected"}"#,
            ]
        );
    }

    #[test]
    fn a_bad_line_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".oyez")).unwrap();
        std::fs::write(
            dir.path().join(".oyez/suppressed"),
            "# x\n{\"address\":\"a@example.org\",\"reason\":\"bored\",\"date\":\"2026-12-07\",\"evidence\":\"\"}\n",
        )
        .unwrap();
        let err = Suppressed::read(dir.path()).unwrap_err().to_string();
        assert!(
            err.starts_with(".oyez/suppressed:2: not a suppression"),
            "{err}"
        );
    }
}
