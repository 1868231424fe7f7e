//! `.oyez/revised` (issue 19): revisions announced. When a published
//! entry's `updated` date moves, the entry is announced as revised, once:
//! a `revised-ID-DAY` update joins the update log (so the updates feed,
//! the page, the list and the next digest show it), and `publish` keeps
//! it here, so it stays in the log whatever the entry says later.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{REVISED, StateError};
use crate::catalogue::{Catalogue, Entry, Update};

const HEADER: &str =
    "# .oyez/revised: revisions announced (an entry's `updated` moved); commit it.\n";

/// One revision, as its update is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    #[serde(rename = "revised")]
    id: String,
    date: DateTime<Utc>,
    note: String,
}

/// Adds `revisions` to the update log, but those already there.
pub fn add(catalogue: &mut Catalogue, revisions: Vec<Revision>) {
    let known: BTreeSet<&str> = catalogue.updates.iter().map(|u| u.id.as_str()).collect();
    let revisions: Vec<Revision> = revisions
        .into_iter()
        .filter(|r| !known.contains(r.id.as_str()))
        .collect();
    if revisions.is_empty() {
        return;
    }
    let zone = catalogue.site.timezone;
    for revision in revisions {
        let base = &catalogue.site.base_url;
        let Ok(note) = crate::catalogue::text::render_checked(revision.note, base) else {
            continue;
        };
        catalogue.updates.push(Update {
            id: revision.id,
            date: revision.date,
            day: revision.date.with_timezone(&zone).date_naive(),
            note,
            by: Vec::new(),
            announces: Vec::new(),
        });
    }
    let updates = &mut catalogue.updates;
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
}

/// Keeps the revisions of `catalogue`'s update log (`publish`, after the output).
pub fn record(root: &Path, catalogue: &Catalogue) -> Result<(), StateError> {
    let revisions: Vec<Revision> = catalogue
        .updates
        .iter()
        .filter(|u| u.id.starts_with("revised-"))
        .map(|u| Revision {
            id: u.id.clone(),
            date: u.date,
            note: u.note.markdown.clone(),
        })
        .collect();
    if revisions.is_empty() || read(root)? == revisions {
        return Ok(());
    }
    super::lines::write(root, REVISED, HEADER, &revisions)
}

pub(super) fn read(root: &Path) -> Result<Vec<Revision>, StateError> {
    super::lines::read(root, REVISED, "a revision")
}

/// The revisions of published entries whose `updated` moved forward since
/// the record: `published` maps its ids to their dates (`None` for an old
/// `oyez.lock`, which knows no dates: none then). Only the identity
/// guard's slow path asks: when the record is what the catalogue would
/// write, no `updated` moved.
pub(crate) fn moved(
    catalogue: &Catalogue,
    published: Option<&foldhash::HashMap<&str, Option<&str>>>,
) -> Vec<Revision> {
    let Some(published) = published else {
        return Vec::new();
    };
    let moved = catalogue.entries.iter().filter_map(|entry| {
        let updated = entry.updated?;
        let before = published.get(entry.id.as_str())?;
        let later =
            before.is_none_or(|b| DateTime::parse_from_rfc3339(b).is_ok_and(|b| updated > b));
        later.then(|| revision(entry, updated))
    });
    moved.collect()
}

fn revision(entry: &Entry, updated: DateTime<Utc>) -> Revision {
    let title = super::removed::escape_markdown(&entry.title);
    let title = match &entry.url {
        Some(url) => format!("[{title}](<{}>)", url.replace('>', "%3E")),
        None => format!("*{title}*"),
    };
    Revision {
        id: format!("revised-{}-{}", entry.id, updated.format("%Y-%m-%d")),
        date: updated,
        note: format!("Revised: {title}"),
    }
}
