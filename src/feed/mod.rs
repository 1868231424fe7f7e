//! Feeds: a format-neutral [`Channel`] of [`Item`]s built from the
//! catalogue, rendered to Atom ([`atom`]), RSS 2.0 ([`rss`]) and JSON Feed
//! 1.1 ([`json`]). Pure: catalogue in, bytes out. Atom and RSS are written
//! natively (`xml.rs`); the atom_syndication and rss crates are only their
//! test twins (`tests/cli/feed_twins.rs`, fuzz target `feed_twins`).

pub mod archive;
pub mod atom;
mod date;
pub mod json;
pub mod map;
pub mod opml;
pub mod rss;
mod stamps;
pub mod stylesheet;
pub(crate) mod view;
mod xml;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use self::archive::Archive;
use self::map::{Carriers, Selection, Subscription};
pub use self::stamps::Stamps;
use crate::catalogue::{Catalogue, Credit, Entry, Extras, Update};
use crate::strings::Key;

/// The Media RSS namespace of `<media:thumbnail>` (issue 23).
pub const MEDIA: &str = "http://search.yahoo.com/mrss/";

/// oyez's version, which the Atom and RSS feeds name in `generator`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The XML or JSON writer failed; this is a bug in oyez.
#[derive(Debug, thiserror::Error)]
#[error("cannot write a feed: {0}")]
pub struct FeedError(pub String);

/// One feed document's content, whatever its format.
#[derive(Debug, Clone)]
pub struct Channel {
    pub title: String,
    pub subtitle: Option<String>,
    /// Folder of the feed under the site, `""` or ending in `/`, e.g. `categories/books/`.
    pub dir: String,
    /// The page this feed is about (the catalogue page).
    pub home: String,
    pub updated: DateTime<Utc>,
    pub items: Vec<Item>,
    /// Links to other channels, such as RFC 5005 archive links: (rel,
    /// folder of the linked channel). Each format links to its own
    /// document in that folder (`atom.xml` to `atom.xml`).
    pub links: Vec<(String, String)>,
}

/// One item: an entry, or an update-log record.
#[derive(Debug, Clone)]
pub struct Item {
    /// Permanent id: the entry's anchor URL on the catalogue page.
    pub id: String,
    pub title: String,
    pub link: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub authors: Vec<String>,
    pub contributors: Vec<Credit>,
    /// (term, label): the category, then the tags.
    pub categories: Vec<(String, Option<String>)>,
    pub content_html: Option<String>,
    pub content_text: Option<String>,
    pub language: Option<String>,
    /// An entry's thumbnail, enclosure and content (issue 23).
    pub extras: Option<Box<Extras>>,
}

impl Channel {
    /// The language the feed declares: its own for a language's feed
    /// (issue 23 §5), else the site's.
    pub fn language<'c>(&self, catalogue: &'c Catalogue) -> &'c str {
        map::language_of(catalogue, &self.dir).unwrap_or(&catalogue.site.language)
    }

    /// The URL of this channel's document `file` (`atom.xml`, `rss.xml`, `feed.json`).
    pub fn url(&self, catalogue: &Catalogue, file: &str) -> String {
        catalogue.site.url(&format!("{}{file}", self.dir)).joined()
    }
}

/// An XML feed's first line, `declaration`, followed by the processing
/// instructions naming `feed.xsl` and `feed.css` relative to the feed's
/// folder `dir`, unless `[feeds] stylesheet = false`.
pub(crate) fn prolog(catalogue: &Catalogue, declaration: &str, dir: &str) -> String {
    if catalogue.stylesheet {
        format!("{declaration}\n{}", stylesheet::instructions(dir))
    } else {
        declaration.to_owned()
    }
}

/// The WebSub hubs a channel names: none for archive pages, which are
/// not subscribed to.
pub(crate) fn hubs<'a>(catalogue: &'a Catalogue, channel: &Channel) -> &'a [String] {
    if channel.is_archive_page() {
        &[]
    } else {
        &catalogue.hubs
    }
}

/// The subscription feed of every entry (newest `limit` items).
pub fn entries_channel(catalogue: &Catalogue, stamps: &Stamps) -> Channel {
    let row = Subscription::entries(catalogue);
    let items = catalogue.entries.iter().enumerate();
    let items = items.take(catalogue.feed_limit).map(|(index, entry)| {
        let updated = stamps.at(index).unwrap_or_else(|| entry.modified());
        entry_item(catalogue, entry, updated)
    });
    Channel {
        title: row.title,
        subtitle: catalogue.site.description.clone(),
        links: vec![Archive::new(&row.dir, catalogue.entries.len()).newest_link()],
        dir: row.dir,
        home: catalogue.site.url("").joined(),
        updated: newest(catalogue),
        items: items.collect(),
    }
}

/// One category's feed (newest `limit` items of that category).
pub fn category_channel(
    catalogue: &Catalogue,
    stamps: &Stamps,
    selected: &Selected,
    index: usize,
) -> Channel {
    let category = &catalogue.categories[index];
    let row = Subscription::category(catalogue, index, category);
    let mut channel = selected_channel(catalogue, stamps, selected, row);
    channel.subtitle.clone_from(&category.description);
    channel.home = catalogue.site.anchor(&category.slug).joined();
    channel
}

/// The feed of the entries `row` selects ([`Selected`]): its newest
/// `limit`, under the row's folder and title; updated when the newest of
/// them was. A tag's feed is this.
pub fn selected_channel(
    catalogue: &Catalogue,
    stamps: &Stamps,
    selected: &Selected,
    row: Subscription,
) -> Channel {
    let members = selected.feeds.get(&row.selection);
    let updated = members.and_then(|m| m.updated);
    let newest = members.map_or(&[][..], |m| m.newest.as_slice());
    Channel {
        title: row.title,
        subtitle: catalogue.site.description.clone(),
        home: catalogue.site.url("").joined(),
        updated: updated.unwrap_or_else(|| self::newest(catalogue)),
        dir: row.dir,
        links: Vec::new(),
        items: newest
            .iter()
            .filter_map(|&at| {
                let entry = catalogue.entries.get(at)?;
                let updated = stamps.at(at).unwrap_or_else(|| entry.modified());
                Some(entry_item(catalogue, entry, updated))
            })
            .collect(),
    }
}

/// The items of each feed of a category, tag or language, found in one
/// pass over the entries ([`Carriers`]), in parallel parts: the newest
/// `limit` of each, by index, and when the newest of all of them changed.
#[derive(Debug, Default)]
pub struct Selected {
    /// Looked up, and iterated only to join parts feed by feed: the
    /// hasher cannot change the output.
    feeds: HashMap<Selection, Members>,
}

#[derive(Debug, Default)]
struct Members {
    newest: Vec<usize>,
    updated: Option<DateTime<Utc>>,
}

impl Selected {
    pub fn new(catalogue: &Catalogue) -> Self {
        const PART: usize = 8192;
        let carriers = Carriers::new(catalogue);
        let parts = catalogue.entries.par_chunks(PART).enumerate();
        let parts = parts.map(|(part, entries)| {
            let mut selected = Self::default();
            let mut selections = Vec::new();
            for (offset, entry) in entries.iter().enumerate() {
                selections.clear();
                carriers.of(entry, &mut selections);
                for selection in &selections {
                    let members = selected.feeds.entry(*selection).or_default();
                    if members.newest.len() < catalogue.feed_limit {
                        members.newest.push(part * PART + offset);
                    }
                    members.updated = members.updated.max(Some(entry.modified()));
                }
            }
            selected
        });
        parts.reduce(Self::default, |a, b| a.then(b, catalogue.feed_limit))
    }

    /// These, then `later`'s (of later entries), at most `limit` a feed.
    fn then(mut self, later: Self, limit: usize) -> Self {
        for (selection, more) in later.feeds {
            let members = self.feeds.entry(selection).or_default();
            let room = limit.saturating_sub(members.newest.len());
            members.newest.extend(more.newest.into_iter().take(room));
            members.updated = members.updated.max(more.updated);
        }
        self
    }
}

/// Every entry, oldest first: `added` ascending, then id. Archive pages
/// are cut from this order.
pub fn oldest_first(catalogue: &Catalogue) -> Vec<&Entry> {
    // The entries are newest first (`added` descending, then id): the runs
    // of one `added`, each kept in id order, taken from the last.
    let runs = catalogue.entries.chunk_by(|a, b| a.added == b.added);
    runs.rev().flatten().collect()
}

/// The update log as a feed: one item per record, with what it announces.
/// `contents[i]` is the HTML body of `catalogue.updates[i]`.
pub fn updates_channel(catalogue: &Catalogue, contents: &[String]) -> Channel {
    let stamps = Stamps::updates(catalogue);
    let row = Subscription::updates(catalogue);
    let items = catalogue.updates.iter().enumerate();
    let items = items.take(catalogue.feed_limit).map(|(index, update)| {
        let updated = stamps.at(index).unwrap_or(update.date);
        (update, updated)
    });
    Channel {
        title: row.title,
        subtitle: catalogue.site.description.clone(),
        dir: row.dir,
        home: catalogue.site.anchor("updates").joined(),
        updated: catalogue
            .updates
            .first()
            .map_or_else(|| newest(catalogue), |u| u.date),
        items: items
            .zip(contents)
            .map(|((update, updated), html)| update_item(catalogue, update, updated, html))
            .collect(),
        links: Vec::new(),
    }
}

/// The newest date in the data, or the epoch for an empty catalogue:
/// never the clock, so output stays byte-identical.
fn newest(catalogue: &Catalogue) -> DateTime<Utc> {
    catalogue.newest_date().unwrap_or_default()
}

/// `entry` as a feed item whose `updated` is `updated`, its [`Stamps`] stamp.
pub fn entry_item(catalogue: &Catalogue, entry: &Entry, updated: DateTime<Utc>) -> Item {
    let category = catalogue.category_of(entry);
    let mut categories = vec![(category.slug.clone(), Some(category.title.clone()))];
    categories.extend(entry.tags.iter().map(|tag| (tag.clone(), None)));
    let id = catalogue.site.anchor(&entry.id).joined();
    Item {
        link: entry.url.clone().unwrap_or_else(|| id.clone()),
        id,
        title: entry.title.clone(),
        published: entry.added,
        updated,
        authors: entry.authors.clone(),
        contributors: entry
            .by
            .iter()
            .map(|handle| catalogue.credit(handle))
            .collect(),
        categories,
        content_html: entry.summary.as_ref().map(|s| s.html.clone()),
        content_text: entry.summary.as_ref().map(|s| s.plain()),
        language: entry.language.clone(),
        extras: entry.extras.clone(),
    }
}

/// `update` as a feed item whose `updated` is `updated`, its stamp
/// ([`Stamps::updates`]).
fn update_item(catalogue: &Catalogue, update: &Update, updated: DateTime<Utc>, html: &str) -> Item {
    let count = update.announces.len();
    let (strings, day) = (&catalogue.strings, update.label());
    let title = match count {
        0 => strings.fill(Key::update_title, &[("day", &day)]),
        n => {
            let key = strings.plural(Key::update_title_one, n);
            strings.fill(key, &[("day", &day), ("count", &n.to_string())])
        }
    };
    let id = catalogue.site.anchor(&update.id).joined();
    Item {
        link: id.clone(),
        id,
        title,
        published: update.date,
        updated,
        authors: Vec::new(),
        contributors: update
            .by
            .iter()
            .map(|handle| catalogue.credit(handle))
            .collect(),
        categories: Vec::new(),
        content_html: Some(html.to_owned()),
        content_text: Some(update.note.plain()),
        language: None,
        extras: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_first_is_added_then_id_ascending() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut catalogue = crate::catalogue::load(dir).unwrap().catalogue;
        // Three entries added at one instant, in the catalogue's order.
        let same = catalogue.entries[1].added;
        catalogue.entries[2].added = same;
        catalogue.entries[3].added = same;
        catalogue.entries[1..4].sort_by(|a, b| a.id.cmp(&b.id));
        let mut sorted: Vec<&Entry> = catalogue.entries.iter().collect();
        sorted.sort_by(|a, b| a.added.cmp(&b.added).then_with(|| a.id.cmp(&b.id)));
        let ids = |entries: Vec<&Entry>| entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(oldest_first(&catalogue)), ids(sorted));
    }

    fn selected(feeds: &[(Selection, &[usize], i64)]) -> Selected {
        let feeds = feeds.iter().map(|&(selection, newest, second)| {
            let updated = chrono::DateTime::from_timestamp(second, 0);
            let newest = newest.to_vec();
            (selection, Members { newest, updated })
        });
        Selected {
            feeds: feeds.collect(),
        }
    }

    /// Parts join in entry order: the earlier part's items first, at most
    /// `limit` a feed, and the latest change of either.
    #[test]
    fn parts_join_in_order_up_to_the_limit() {
        let (books, rust) = (Selection::Category(0), Selection::Tag(0));
        let earlier = selected(&[(books, &[0, 2], 50), (rust, &[1], 40)]);
        let later = selected(&[(books, &[5, 6], 70), (Selection::Language(1), &[7], 10)]);
        let joined = earlier.then(later, 3);
        let books = &joined.feeds[&books];
        assert_eq!(books.newest, [0, 2, 5]);
        assert_eq!(books.updated, chrono::DateTime::from_timestamp(70, 0));
        assert_eq!(joined.feeds[&rust].newest, [1]);
        assert_eq!(joined.feeds[&Selection::Language(1)].newest, [7]);
    }
}
