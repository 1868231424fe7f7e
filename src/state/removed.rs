//! `.oyez/removed` (issue 19): the tombstones of announced entries that
//! left the catalogue, one JSON object a line, written by `oyez remove`.
//! Readers and subscribers trusted those entries, so each removal is news:
//! it joins the update log as an update of its own (`removed-ID`), and
//! with it the updates feed, the page, the list and the next digest.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{REMOVED, StateError};
use crate::catalogue::{Catalogue, Update};

const HEADER: &str =
    "# .oyez/removed: entries taken out of the catalogue, and why (`oyez remove`); commit it.\n";

/// One removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tombstone {
    #[serde(rename = "removed")]
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub date: NaiveDate,
    pub reason: String,
}

/// The tombstones recorded in the catalogue `root`, oldest first.
pub fn read(root: &Path) -> Result<Vec<Tombstone>, StateError> {
    super::lines::read(root, REMOVED, "a tombstone")
}

/// Adds `tombstone` (replacing an earlier one of the same entry).
pub fn record(root: &Path, tombstone: Tombstone) -> Result<(), StateError> {
    let mut all = read(root)?;
    all.retain(|known| known.id != tombstone.id);
    all.push(tombstone);
    super::lines::write(root, REMOVED, HEADER, &all)
}

/// Adds each removal to the catalogue's update log, newest first as the
/// log is kept. A reason that is not valid Markdown shows as plain text.
pub fn announce(catalogue: &mut Catalogue, tombstones: &[Tombstone]) {
    if tombstones.is_empty() {
        return;
    }
    let zone = catalogue.site.timezone;
    for tombstone in tombstones {
        let date = crate::catalogue::day_start(tombstone.date, zone);
        let note = note(tombstone);
        let base = &catalogue.site.base_url;
        let Ok(note) = crate::catalogue::text::render_checked(note, base) else {
            continue;
        };
        catalogue.updates.push(Update {
            id: format!("removed-{}", tombstone.id),
            date,
            day: tombstone.date,
            note,
            by: Vec::new(),
            announces: Vec::new(),
        });
    }
    let updates = &mut catalogue.updates;
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
}

/// "Removed from the list: *Title* (`URL`). Why: reason". The URL is
/// shown, not linked: it may be why the entry left.
fn note(tombstone: &Tombstone) -> String {
    let url = tombstone
        .url
        .as_deref()
        .map(|url| format!(" (`{}`)", url.replace('`', "%60")))
        .unwrap_or_default();
    format!(
        "Removed from the list: *{}*{url}. Why: {}",
        escape_markdown(&tombstone.title),
        tombstone.reason
    )
}

/// `text` with every character Markdown could read as syntax escaped.
pub(super) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_shown_as_written_whatever_it_holds() {
        let tombstone = Tombstone {
            id: "x".into(),
            title: "*Not* [a link](javascript:x)".into(),
            url: Some("https://example.org/x".into()),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            reason: "the page is gone".into(),
        };
        let base = url::Url::parse("https://example.org/").unwrap();
        let html = crate::catalogue::text::render_checked(note(&tombstone), &base)
            .unwrap()
            .html;
        assert!(
            html.contains("<em>*Not* [a link](javascript:x)</em>"),
            "{html}"
        );
        assert!(!html.contains("href=\"javascript"), "{html}");
    }
}
