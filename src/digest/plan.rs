//! What a digest holds: the entries and update-log records it announces,
//! and who to thank (marking first-time contributors). Pure: catalogue,
//! window and ledger in, [`Plan`] out.
//!
//! A new digest ([`fresh`]) carries everything dated up to its end that no
//! earlier digest of the series carried, so an entry dated the day of a
//! digest but added after it was sent, or back-dated, still reaches exactly
//! one digest (issue 11). The ledger records the ids each digest carried;
//! a resume and the public archive show exactly those ([`recorded`]).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::ledger::{Carried, Ledger, Window};
use crate::catalogue::{Catalogue, Credit, Entry, Update};

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

impl<'c> Plan<'c> {
    /// What a subscriber following `categories` (slugs) receives (issue 14):
    /// the additions in those categories, the update-log notes that announce
    /// one of them or nothing at all, and thanks for the contributors of
    /// those alone (first-time marks as in the whole digest). Without an
    /// addition in those categories it is empty: notes alone mail nobody.
    pub fn select(&self, catalogue: &'c Catalogue, categories: &[String]) -> Plan<'c> {
        let followed = |entry: &Entry| {
            let slug = catalogue.categories.get(entry.category).map(|c| &c.slug);
            slug.is_some_and(|slug| categories.contains(slug))
        };
        let entries: Vec<&Entry> = self
            .entries
            .iter()
            .copied()
            .filter(|e| followed(e))
            .collect();
        if entries.is_empty() {
            return Plan {
                window: self.window,
                entries,
                updates: Vec::new(),
                thanks: Vec::new(),
            };
        }
        let announces_followed = |update: &Update| {
            let announced = update
                .announces
                .iter()
                .filter_map(|&i| catalogue.entries.get(i));
            update.announces.is_empty() || announced.into_iter().any(followed)
        };
        let updates: Vec<&Update> = self
            .updates
            .iter()
            .copied()
            .filter(|u| announces_followed(u))
            .collect();
        let credits =
            crate::site::view::credits(catalogue, entries.iter().copied(), updates.iter().copied());
        let thanks = credits
            .into_iter()
            .map(|credit| Thanks {
                first_time: self
                    .thanks
                    .iter()
                    .any(|t| t.first_time && t.credit.handle == credit.handle),
                credit,
            })
            .collect();
        Plan {
            window: self.window,
            entries,
            updates,
            thanks,
        }
    }

    /// The ids this plan carries, for the ledger.
    pub fn carried(&self) -> Carried {
        Carried {
            entries: self.entries.iter().map(|e| e.id.clone()).collect(),
            updates: self.updates.iter().map(|u| u.id.clone()).collect(),
        }
    }
}

/// Everything in `catalogue` dated in `window` (digests recorded before the
/// ledger kept what they carried are read back this way).
pub fn plan(catalogue: &Catalogue, window: Window) -> Plan<'_> {
    build(
        catalogue,
        window,
        |entry| window.contains(entry.added),
        |update| window.contains(update.date),
    )
}

/// A new digest: everything dated after the start of its series and at or
/// before `window.end` that no digest in `ledger` carried.
pub fn fresh<'c>(catalogue: &'c Catalogue, window: Window, ledger: &Ledger) -> Plan<'c> {
    let floor = series_start(ledger, window.start);
    let (entries, updates) = carried_before(catalogue, ledger);
    let due = |at: DateTime<Utc>| floor < at && at <= window.end;
    build(
        catalogue,
        window,
        |entry| due(entry.added) && !entries.contains(entry.id.as_str()),
        |update| due(update.date) && !updates.contains(update.id.as_str()),
    )
}

/// A recorded digest again (a resume, the archive): exactly what it
/// carried, or what its window holds when the ledger line predates that.
pub fn recorded<'c>(
    catalogue: &'c Catalogue,
    window: Window,
    carried: Option<&Carried>,
) -> Plan<'c> {
    let Some(carried) = carried else {
        return plan(catalogue, window);
    };
    let entries: HashSet<&str> = carried.entries.iter().map(String::as_str).collect();
    let updates: HashSet<&str> = carried.updates.iter().map(String::as_str).collect();
    build(
        catalogue,
        window,
        |entry| entries.contains(entry.id.as_str()),
        |update| updates.contains(update.id.as_str()),
    )
}

/// Where the series of digests ending at `start` began: digests follow one
/// another end to start; a `--since` past the last end starts a new series.
fn series_start(ledger: &Ledger, start: DateTime<Utc>) -> DateTime<Utc> {
    let mut floor = start;
    for digest in ledger.digests.iter().rev() {
        if digest.window.end != floor {
            break;
        }
        floor = digest.window.start;
    }
    floor
}

/// The ids of the entries and updates every recorded digest carried.
fn carried_before<'a>(
    catalogue: &'a Catalogue,
    ledger: &'a Ledger,
) -> (HashSet<&'a str>, HashSet<&'a str>) {
    let mut entries = HashSet::new();
    let mut updates = HashSet::new();
    for digest in &ledger.digests {
        if let Some(carried) = &digest.record.carried {
            entries.extend(carried.entries.iter().map(String::as_str));
            updates.extend(carried.updates.iter().map(String::as_str));
        } else {
            let window = digest.window;
            let old = catalogue
                .entries
                .iter()
                .filter(|e| window.contains(e.added));
            entries.extend(old.map(|e| e.id.as_str()));
            let old = catalogue.updates.iter().filter(|u| window.contains(u.date));
            updates.extend(old.map(|u| u.id.as_str()));
        }
    }
    (entries, updates)
}

fn build<'c>(
    catalogue: &'c Catalogue,
    window: Window,
    keep_entry: impl Fn(&Entry) -> bool,
    keep_update: impl Fn(&Update) -> bool,
) -> Plan<'c> {
    let entries: Vec<&Entry> = catalogue
        .entries_in_file_order()
        .into_iter()
        .filter(|entry| keep_entry(entry))
        .collect();
    let mut updates: Vec<&Update> = catalogue
        .updates
        .iter()
        .filter(|update| keep_update(update))
        .collect();
    updates.reverse();
    let thanks =
        crate::site::view::credits(catalogue, entries.iter().copied(), updates.iter().copied())
            .into_iter()
            .map(|credit| Thanks {
                first_time: !credited_before(catalogue, &credit.handle, window.start, &keep_entry)
                    && !updated_before(catalogue, &credit.handle, window.start, &keep_update),
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

/// Whether an entry dated at or before `start` and outside this digest
/// credits `handle`.
fn credited_before(
    catalogue: &Catalogue,
    handle: &str,
    start: DateTime<Utc>,
    inside: impl Fn(&Entry) -> bool,
) -> bool {
    let credits = |e: &Entry| e.by.iter().any(|h| h == handle);
    catalogue
        .entries
        .iter()
        .any(|e| e.added <= start && credits(e) && !inside(e))
}

/// Whether an update dated at or before `start` and outside this digest
/// credits `handle`.
fn updated_before(
    catalogue: &Catalogue,
    handle: &str,
    start: DateTime<Utc>,
    inside: impl Fn(&Update) -> bool,
) -> bool {
    let credits = |u: &Update| u.by.iter().any(|h| h == handle);
    catalogue
        .updates
        .iter()
        .any(|u| u.date <= start && credits(u) && !inside(u))
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

    const MIXED: &str = r#"[[entry]]
title = "Book"
category = "b"
added = 2021-02-01
by = ["@ben"]
[[update]]
date = 2021-02-01
note = "a book"
by = ["@cy"]
[[entry]]
title = "Talk"
category = "a"
added = 2021-02-02
by = ["@ann"]
[[update]]
date = 2021-02-03
note = "a talk"
[[update]]
date = 2021-02-04
note = "housekeeping"
"#;

    fn two_categories() -> Catalogue {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("oyez.toml"),
            "[site]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n\n[[category]]\nslug = \"a\"\ntitle = \"A\"\n\n[[category]]\nslug = \"b\"\ntitle = \"B\"\n",
        )
        .unwrap();
        fs::create_dir(dir.path().join("entries")).unwrap();
        fs::write(dir.path().join("entries/e.toml"), MIXED).unwrap();
        crate::catalogue::load(dir.path()).unwrap().catalogue
    }

    #[test]
    fn a_selection_keeps_its_categories_notes_and_contributors_only() {
        let catalogue = two_categories();
        let window = Window {
            start: at("2021-01-01T00:00:00Z"),
            end: at("2021-03-01T00:00:00Z"),
        };
        let whole = plan(&catalogue, window);
        assert_eq!(whole.updates.len(), 3);
        let talks = whole.select(&catalogue, &["a".to_owned()]);
        let titles: Vec<&str> = talks.entries.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Talk"]);
        // The note announcing the book is left out; the general one stays.
        let notes: Vec<&str> = talks
            .updates
            .iter()
            .map(|u| u.note.markdown.as_str())
            .collect();
        assert_eq!(notes, ["a talk", "housekeeping"]);
        let thanked: Vec<&str> = talks
            .thanks
            .iter()
            .map(|t| t.credit.handle.as_str())
            .collect();
        assert_eq!(thanked, ["ann"]);
        let books = whole.select(&catalogue, &["b".to_owned()]);
        let thanked: Vec<&str> = books
            .thanks
            .iter()
            .map(|t| t.credit.handle.as_str())
            .collect();
        assert_eq!(thanked, ["cy", "ben"]);
        let notes: Vec<&str> = books
            .updates
            .iter()
            .map(|u| u.note.markdown.as_str())
            .collect();
        assert_eq!(notes, ["a book", "housekeeping"]);
        assert!(whole.select(&catalogue, &["c".to_owned()]).is_empty());
    }
}
