//! Which digest a run deals with, read from the ledger: the last digest
//! again when some of its recipients are still owed it (never attempted,
//! deferred, or unconfirmed with `--resend-unconfirmed`), otherwise the next
//! window, from the last digest's end (or `--since`) to now. Pure.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};

use super::ledger::Window;
use super::ledger::{Ledger, Status, format_time};

/// The digest this run deals with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub id: String,
    pub window: Window,
    /// The subject recorded when the digest was first sent (resumes only).
    pub subject: Option<String>,
    /// Bare addresses, in sending order.
    pub recipients: Vec<String>,
    /// The categories of each subscriber with a selection (issue 14): the
    /// recorded ones on a resume, so nobody's selection changes mid-digest.
    pub categories: BTreeMap<String, Vec<String>>,
    pub resumed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Go(Chosen),
    /// The window would be empty: `now` is not after this start.
    UpToDate(DateTime<Utc>),
    /// No digest was ever sent and `--since` is missing.
    NeedSince,
}

/// What this run should do. `recipients` are today's, for a new digest.
pub fn decide(
    ledger: &Ledger,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    recipients: Vec<String>,
    resend: bool,
) -> Decision {
    if let Some(last) = ledger.last() {
        let owed = last.count(Status::Pending) + last.count(Status::Deferred);
        if owed > 0 || (resend && last.count(Status::Attempting) > 0) {
            return Decision::Go(Chosen {
                id: last.record.id.clone(),
                window: last.window,
                subject: Some(last.record.subject.clone()),
                recipients: last.record.recipients.clone(),
                categories: last.record.categories.clone(),
                resumed: true,
            });
        }
    }
    let start = match (ledger.last(), since) {
        (Some(last), Some(since)) => last.window.end.max(since),
        (Some(last), None) => last.window.end,
        (None, Some(since)) => since,
        (None, None) => return Decision::NeedSince,
    };
    if now <= start {
        return Decision::UpToDate(start);
    }
    Decision::Go(Chosen {
        id: ledger.fresh_id(&now.date_naive().format("%Y-%m-%d").to_string()),
        window: Window { start, end: now },
        subject: None,
        recipients,
        categories: BTreeMap::new(),
        resumed: false,
    })
}

/// Positions in `chosen.recipients` of those this run mails.
pub fn to_send(ledger: &Ledger, chosen: &Chosen, resend: bool) -> Vec<usize> {
    let last = ledger.last().filter(|_| chosen.resumed);
    let due = |address: &String| match last.map(|d| d.status(address)) {
        None | Some(Status::Pending | Status::Deferred) => true,
        Some(Status::Attempting) => resend,
        Some(Status::Accepted | Status::Failed | Status::Skipped) => false,
    };
    let positions = chosen.recipients.iter().enumerate();
    positions.filter(|(_, a)| due(a)).map(|(i, _)| i).collect()
}

/// Splits `positions` into recipients still on today's list and those
/// removed from it since the digest began (who must not be mailed now).
pub fn still_listed(
    chosen: &Chosen,
    positions: Vec<usize>,
    today: &[String],
) -> (Vec<usize>, Vec<usize>) {
    let today: HashSet<String> = today.iter().map(|t| t.to_lowercase()).collect();
    let listed = |i: &usize| {
        let address = chosen.recipients.get(*i).map(|a| a.to_lowercase());
        address.is_some_and(|a| today.contains(&a))
    };
    positions.into_iter().partition(listed)
}

/// Recipients of the chosen (resumed) digest left unconfirmed by an earlier run.
pub fn unconfirmed(ledger: &Ledger, chosen: &Chosen) -> Vec<String> {
    let Some(last) = ledger.last().filter(|_| chosen.resumed) else {
        return Vec::new();
    };
    let left = chosen.recipients.iter();
    left.filter(|a| last.status(a) == Status::Attempting)
        .cloned()
        .collect()
}

/// A note when the last digest, finished, left recipients unconfirmed.
pub fn unconfirmed_note(ledger: &Ledger) -> Option<String> {
    let last = ledger.last()?;
    let count = last.count(Status::Attempting);
    (count > 0).then(|| {
        let named: Vec<&str> = last
            .record
            .recipients
            .iter()
            .filter(|to| last.status(to) == Status::Attempting)
            .take(SHOWN)
            .map(String::as_str)
            .collect();
        let more = count.saturating_sub(named.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!(
            "digest {} (ended {}) left {} unconfirmed ({}{more}): a run stopped \
             during their SMTP transaction, or was lost after it claimed them, so they may or \
             may not have it; --resend-unconfirmed mails them again",
            last.record.id,
            format_time(last.window.end),
            super::counted(count, "recipient", "recipients"),
            named.join(", ")
        )
    })
}

/// How many unconfirmed recipients a note names.
const SHOWN: usize = 10;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn ledger(lines: &[&str]) -> Ledger {
        let digest = r#"{"event":"digest","id":"2026-11-01","start":"2026-10-01T00:00:00Z","end":"2026-11-01T00:00:00Z","message_id":"<m@x>","subject":"S","recipients":["a@x.org","b@x.org","c@x.org"]}"#;
        let mut text = format!("{digest}\n");
        for line in lines {
            let (event, to) = line.split_once(' ').unwrap();
            let extra = match event {
                "attempting" => r#","message_id":"<m@x>""#,
                "deferred" => r#","reason":"451""#,
                _ => r#","reply":"250""#,
            };
            text.push_str(&format!(
                "{{\"event\":\"{event}\",\"digest\":\"2026-11-01\",\"to\":\"{to}\"{extra}}}\n"
            ));
        }
        Ledger::parse(Path::new("l"), text.as_bytes()).unwrap()
    }

    fn all_done() -> Ledger {
        ledger(&[
            "attempting a@x.org",
            "accepted a@x.org",
            "attempting b@x.org",
            "failed b@x.org",
            "attempting c@x.org",
            "accepted c@x.org",
        ])
    }

    const NOW: &str = "2026-12-01T00:00:00Z";

    #[test]
    fn the_first_digest_needs_since() {
        let empty = Ledger::default();
        assert_eq!(
            decide(&empty, None, at(NOW), vec![], false),
            Decision::NeedSince
        );
        let Decision::Go(chosen) = decide(
            &empty,
            Some(at("2026-01-01T00:00:00Z")),
            at(NOW),
            vec![],
            false,
        ) else {
            panic!("expected a digest");
        };
        assert_eq!(chosen.window.start, at("2026-01-01T00:00:00Z"));
        assert_eq!(chosen.id, "2026-12-01");
    }

    #[test]
    fn the_next_window_starts_at_the_last_end_and_since_only_moves_it_forward() {
        let done = all_done();
        let start = |since: Option<&str>| match decide(&done, since.map(at), at(NOW), vec![], false)
        {
            Decision::Go(chosen) => chosen.window.start,
            other => panic!("{other:?}"),
        };
        assert_eq!(start(None), at("2026-11-01T00:00:00Z"));
        assert_eq!(
            start(Some("2020-01-01T00:00:00Z")),
            at("2026-11-01T00:00:00Z")
        );
        assert_eq!(
            start(Some("2026-11-15T00:00:00Z")),
            at("2026-11-15T00:00:00Z")
        );
        assert_eq!(
            decide(&done, None, at("2026-11-01T00:00:00Z"), vec![], false),
            Decision::UpToDate(at("2026-11-01T00:00:00Z"))
        );
    }

    #[test]
    fn a_digest_with_recipients_owed_is_resumed_for_those_only() {
        let crashed = ledger(&[
            "attempting a@x.org",
            "accepted a@x.org",
            "attempting b@x.org",
            "deferred b@x.org",
            "attempting c@x.org",
        ]);
        let Decision::Go(chosen) = decide(&crashed, None, at(NOW), vec!["new@x.org".into()], false)
        else {
            panic!("expected a resume");
        };
        assert!(chosen.resumed);
        assert_eq!(
            chosen.recipients,
            ["a@x.org", "b@x.org", "c@x.org"],
            "the recorded list"
        );
        assert_eq!(chosen.subject.as_deref(), Some("S"));
        assert_eq!(to_send(&crashed, &chosen, false), [1]);
        assert_eq!(to_send(&crashed, &chosen, true), [1, 2]);
        assert_eq!(unconfirmed(&crashed, &chosen), ["c@x.org"]);
        let today = ["A@x.org".to_owned(), "c@x.org".to_owned()];
        assert_eq!(
            still_listed(&chosen, vec![0, 1, 2], &today),
            (vec![0, 2], vec![1])
        );
    }

    #[test]
    fn unconfirmed_alone_is_resumed_only_when_asked() {
        let unsure = ledger(&[
            "attempting a@x.org",
            "accepted a@x.org",
            "attempting b@x.org",
            "accepted b@x.org",
            "attempting c@x.org",
        ]);
        assert!(
            matches!(decide(&unsure, None, at(NOW), vec![], false), Decision::Go(c) if !c.resumed)
        );
        assert!(
            matches!(decide(&unsure, None, at(NOW), vec![], true), Decision::Go(c) if c.resumed)
        );
        assert!(
            unconfirmed_note(&unsure)
                .unwrap()
                .contains("left 1 recipient unconfirmed")
        );
        assert_eq!(unconfirmed_note(&all_done()), None);
    }
}
