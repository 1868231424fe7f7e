//! Which list items are new: ids and URLs the catalogue already has, or an
//! earlier item of the same import took; an admitted item gets a unique id.

use std::collections::{BTreeMap, BTreeSet};

use url::Url;

use super::Item;
use crate::authoring::records;
use crate::catalogue::link::with_host_slash;
use crate::catalogue::{Catalogue, identity};

/// Ids and URLs already taken, by the catalogue or earlier in this import.
pub(super) struct Known {
    /// Ids in the catalogue before this import.
    existing: BTreeSet<String>,
    /// Ids taken, by the catalogue or by this import.
    ids: BTreeSet<String>,
    urls: BTreeMap<String, String>,
}

impl Known {
    pub(super) fn new(existing: Option<&Catalogue>) -> Self {
        let mut known = Self {
            existing: BTreeSet::new(),
            ids: BTreeSet::new(),
            urls: BTreeMap::new(),
        };
        for entry in existing.map(|c| c.entries.as_slice()).unwrap_or_default() {
            known.ids.insert(entry.id.clone());
            known.existing.insert(entry.id.clone());
            if entry.url.is_none() {
                // A hand-made entry without a link may have an id of its own.
                known.existing.insert(identity::slug(&entry.title));
            }
            if let Some(url) = &entry.url {
                let url = with_host_slash(url).into_owned();
                known.urls.insert(url, "already in the catalogue".into());
            }
        }
        known
    }

    /// The new entry's id, or why the item is skipped.
    pub(super) fn admit(&mut self, item: &Item) -> Result<String, String> {
        let base = [Some(item.title.as_str()), item.url.as_deref()]
            .into_iter()
            .flatten()
            .map(identity::slug)
            .find(|slug| !slug.is_empty())
            .unwrap_or_else(|| "entry".to_owned());
        match &item.url {
            Some(url) if is_licence_text(url) => {
                return Err("a licence text (a legend of the list), not an entry".into());
            }
            Some(url) => {
                let url = normalise(url).ok_or("not a valid absolute URL")?;
                if let Some(why) = self.urls.get(&url) {
                    return Err(why.clone());
                }
                self.urls
                    .insert(url, format!("same link as line {}", item.line));
            }
            // Without a link, the id made from the title is what was imported before.
            None if self.existing.contains(&base) => {
                return Err("already in the catalogue".into());
            }
            None => {}
        }
        let id = records::unique(&base, |id| self.ids.contains(id));
        self.ids.insert(id.clone());
        Ok(id)
    }
}

/// Whether `url` is the text of a licence (SPDX, OSI, choosealicense, GNU):
/// lists link them from a legend of licences, never as an entry (issue 22).
fn is_licence_text(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    [
        "spdx.org/licenses/",
        "opensource.org/licenses/",
        "opensource.org/license/",
        "choosealicense.com/licenses/",
        "gnu.org/licenses/",
    ]
    .iter()
    .any(|start| rest.starts_with(start))
}

/// The URL as the catalogue stores it, if it is an absolute http(s) link.
pub(super) fn normalise(url: &str) -> Option<String> {
    Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .map(String::from)
}
