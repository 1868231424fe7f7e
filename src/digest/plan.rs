//! What a digest holds: the window (start, end], the entries added and the
//! update-log records dated in it, and who to thank (marking first-time
//! contributors). Pure: catalogue and window in, [`Plan`] out.

use chrono::{DateTime, Utc};

use crate::catalogue::{Catalogue, Credit, Entry, Update};

/// The half-open interval (start, end] a digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start < at && at <= self.end
    }
}

/// A credited contributor, marked when the window holds their first credit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Thanks {
    #[serde(flatten)]
    pub credit: Credit,
    pub first_time: bool,
}

/// The content of one digest.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub window: Window,
    /// In the maintainer's order (file by file); renderers group them by category.
    pub entries: Vec<&'a Entry>,
    /// Oldest first, as a reader follows the log.
    pub updates: Vec<&'a Update>,
    /// Updates' credits first, then entries', each handle once.
    pub thanks: Vec<Thanks>,
}

impl Plan<'_> {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.updates.is_empty()
    }
}

/// Everything in `catalogue` that falls in `window`.
pub fn plan(catalogue: &Catalogue, window: Window) -> Plan<'_> {
    let entries: Vec<&Entry> = catalogue
        .entries_in_file_order()
        .into_iter()
        .filter(|entry| window.contains(entry.added))
        .collect();
    let mut updates: Vec<&Update> = catalogue
        .updates
        .iter()
        .filter(|update| window.contains(update.date))
        .collect();
    updates.reverse();
    let thanks =
        crate::site::view::credits(catalogue, entries.iter().copied(), updates.iter().copied())
            .into_iter()
            .map(|credit| Thanks {
                first_time: !credited_before(catalogue, &credit.handle, window.start),
                credit,
            })
            .collect();
    Plan {
        window,
        entries,
        updates,
        thanks,
    }
}

/// Whether any entry or update dated at or before `start` credits `handle`.
fn credited_before(catalogue: &Catalogue, handle: &str, start: DateTime<Utc>) -> bool {
    let by_entry = catalogue
        .entries
        .iter()
        .any(|e| e.added <= start && e.by.iter().any(|h| h == handle));
    let by_update = catalogue
        .updates
        .iter()
        .any(|u| u.date <= start && u.by.iter().any(|h| h == handle));
    by_entry || by_update
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn catalogue(entries: &str) -> Catalogue {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("oyez.toml"),
            "[site]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n\n[[category]]\nslug = \"a\"\ntitle = \"A\"\n",
        )
        .unwrap();
        fs::create_dir(dir.path().join("entries")).unwrap();
        fs::write(dir.path().join("entries/e.toml"), entries).unwrap();
        crate::catalogue::load(dir.path()).unwrap().catalogue
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    const ENTRIES: &str = r#"category = "a"
[[entry]]
title = "Old"
added = 2021-01-01
by = ["@bob"]
[[entry]]
title = "New"
added = 2021-02-01
by = ["@bob", "@carol"]
[[entry]]
title = "Edge"
added = 2021-01-15
[[update]]
date = 2021-02-02
note = "thanks"
by = ["@dave"]
"#;

    #[test]
    fn window_excludes_its_start_and_includes_its_end() {
        let catalogue = catalogue(ENTRIES);
        let window = Window {
            start: at("2021-01-15T00:00:00Z"),
            end: at("2021-02-01T00:00:00Z"),
        };
        let plan = plan(&catalogue, window);
        let titles: Vec<&str> = plan.entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["New"]);
        assert!(plan.updates.is_empty());
    }

    #[test]
    fn first_time_contributors_are_those_never_credited_before_the_window() {
        let catalogue = catalogue(ENTRIES);
        let window = Window {
            start: at("2021-01-20T00:00:00Z"),
            end: at("2021-03-01T00:00:00Z"),
        };
        let plan = plan(&catalogue, window);
        let thanks: Vec<(&str, bool)> = plan
            .thanks
            .iter()
            .map(|t| (t.credit.handle.as_str(), t.first_time))
            .collect();
        assert_eq!(thanks, [("dave", true), ("bob", false), ("carol", true)]);
    }

    #[test]
    fn an_empty_window_is_empty() {
        let catalogue = catalogue(ENTRIES);
        let window = Window {
            start: at("2022-01-01T00:00:00Z"),
            end: at("2023-01-01T00:00:00Z"),
        };
        assert!(plan(&catalogue, window).is_empty());
    }
}
