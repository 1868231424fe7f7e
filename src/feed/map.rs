//! The feed map (issue 23): every subscription feed of a catalogue, built
//! in one place: its folder, title, formats and which entries it carries.
//! Publishing (`publish.rs`), the page and the list (`site/`), the record
//! of feed hashes (`state/feeds.rs`) and the twin tests read it, so the
//! feeds' file names and folders are spelled here and in the writers only.
//! A new kind of feed is one more [`Selection`], its row in
//! [`FeedMap::new`] and its entries in [`Carriers::of`].

use std::collections::{HashMap, HashSet};

use super::{atom, json, rss};
use crate::catalogue::{Catalogue, Category, Entry};
use crate::strings::Key;

/// The folder of a category's feeds is this, then its slug and `/`.
const CATEGORIES: &str = "categories/";
/// The folder of a tag's feeds is this, then its slug and `/`.
const TAGS: &str = "tags/";
/// The folder of a language's feeds is this, then its tag and `/`.
const LANGUAGES: &str = "languages/";
/// The folder of the update log's feeds.
const UPDATES: &str = "updates/";
/// The folder of the public archive of sent digests: its pages and feed.
const DIGESTS: &str = "digests/";

/// A feed document's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Atom,
    Rss,
    Json,
}

impl Format {
    /// The document's file name in its feed's folder.
    pub const fn file(self) -> &'static str {
        match self {
            Self::Atom => atom::FILE,
            Self::Rss => rss::FILE,
            Self::Json => json::FILE,
        }
    }

    /// The media type autodiscovery links announce.
    pub const fn mime(self) -> &'static str {
        match self {
            Self::Atom => "application/atom+xml",
            Self::Rss => "application/rss+xml",
            Self::Json => "application/feed+json",
        }
    }

    /// The format's name as links show it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Atom => "Atom",
            Self::Rss => "RSS",
            Self::Json => "JSON Feed",
        }
    }
}

/// Atom, RSS and JSON Feed.
const ALL: &[Format] = &[Format::Atom, Format::Rss, Format::Json];

/// What a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selection {
    /// Every entry (the site's feed).
    Entries,
    /// The update log's records.
    Updates,
    /// The entries of the category at this index of `Catalogue::categories`.
    Category(usize),
    /// The entries carrying the tag at this index of `Catalogue::tag_feeds`.
    Tag(usize),
    /// The entries in the language at this index of
    /// `Catalogue::language_feeds` (an entry without one is in the site's).
    Language(usize),
    /// The sent digests, written by the digest archive
    /// (`digest/archive.rs`) when there are any.
    Digests,
}

/// Which feeds carry an entry: every entry is an item of
/// [`Selection::Entries`] and of the selections [`Self::of`] gives, never
/// of the feeds of update records and digests. Asked entry by entry, so
/// that one pass over the entries fills every feed (a pass for each
/// category, tag and language took 2 % of a 100,000-entry publish).
pub struct Carriers<'c> {
    catalogue: &'c Catalogue,
    /// Indices into `Catalogue::tag_feeds`, by tag.
    tags: HashMap<&'c str, Vec<usize>>,
}

impl<'c> Carriers<'c> {
    pub fn new(catalogue: &'c Catalogue) -> Self {
        let mut tags: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, tag) in catalogue.tag_feeds.iter().enumerate() {
            tags.entry(tag).or_default().push(index);
        }
        Self { catalogue, tags }
    }

    /// Onto `out`, each selection of a category, tag or language whose
    /// feed carries `entry`, once: its category's, its tags' with a feed,
    /// and its language's (an entry without one is in the site's).
    pub fn of(&self, entry: &Entry, out: &mut Vec<Selection>) {
        out.push(Selection::Category(entry.category));
        for tag in &entry.tags {
            for &index in self.tags.get(tag.as_str()).into_iter().flatten() {
                if !out.contains(&Selection::Tag(index)) {
                    out.push(Selection::Tag(index));
                }
            }
        }
        let own = entry.language.as_deref();
        let language = own.unwrap_or(&self.catalogue.site.language);
        let languages = self.catalogue.language_feeds.iter().enumerate();
        for (index, feed) in languages {
            if language.eq_ignore_ascii_case(feed) {
                out.push(Selection::Language(index));
            }
        }
    }
}

/// One subscription feed: a row of the [`FeedMap`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub selection: Selection,
    /// Folder under the site, `""` or ending in `/` (`categories/books/`).
    pub dir: String,
    /// The feed's title, which each document and each link to it shows.
    pub title: String,
    /// The documents written for it, in the order links list them.
    pub formats: &'static [Format],
}

impl Subscription {
    /// The site's feed: every entry.
    pub fn entries(catalogue: &Catalogue) -> Self {
        Self {
            selection: Selection::Entries,
            dir: String::new(),
            title: catalogue.site.title.clone(),
            formats: ALL,
        }
    }

    /// The update log's feed.
    pub fn updates(catalogue: &Catalogue) -> Self {
        Self {
            selection: Selection::Updates,
            dir: UPDATES.into(),
            title: titled(catalogue, Key::feed_updates, &[]),
            formats: ALL,
        }
    }

    /// The feed of `category`, the one at `index`.
    pub fn category(catalogue: &Catalogue, index: usize, category: &Category) -> Self {
        Self {
            selection: Selection::Category(index),
            dir: format!("{CATEGORIES}{}/", category.slug),
            title: format!("{}: {}", catalogue.site.title, category.title),
            formats: ALL,
        }
    }

    /// The feed of the tag at `index` of `Catalogue::tag_feeds`, in the
    /// folder `slug` under `tags/`.
    pub fn tag(catalogue: &Catalogue, index: usize, slug: &str) -> Self {
        let tag = catalogue.tag_feeds.get(index).map_or("", String::as_str);
        Self {
            selection: Selection::Tag(index),
            dir: format!("{TAGS}{slug}/"),
            title: titled(catalogue, Key::feed_tagged, &[("tag", tag)]),
            formats: ALL,
        }
    }

    /// The feed of the language at `index` of `Catalogue::language_feeds`.
    pub fn language(catalogue: &Catalogue, index: usize) -> Self {
        let tag = catalogue
            .language_feeds
            .get(index)
            .map_or("", String::as_str);
        let name = catalogue.strings.language_name(tag);
        Self {
            selection: Selection::Language(index),
            dir: format!("{LANGUAGES}{tag}/"),
            title: titled(catalogue, Key::feed_language, &[("language", &name)]),
            formats: ALL,
        }
    }

    /// The feed of the sent digests.
    pub fn digests(catalogue: &Catalogue) -> Self {
        Self {
            selection: Selection::Digests,
            dir: DIGESTS.into(),
            title: titled(catalogue, Key::feed_digests, &[]),
            formats: &[Format::Atom],
        }
    }

    /// The path of its `format` document under the site (`categories/books/rss.xml`).
    pub fn path(&self, format: Format) -> String {
        format!("{}{}", self.dir, format.file())
    }

    /// The URL of its `format` document.
    pub fn url(&self, catalogue: &Catalogue, format: Format) -> String {
        catalogue.site_url(&self.path(format))
    }
}

/// The language whose feed is in folder `dir`, if it is a language's.
pub fn language_of<'c>(catalogue: &'c Catalogue, dir: &str) -> Option<&'c str> {
    let tag = dir.strip_prefix(LANGUAGES)?.strip_suffix('/')?;
    let languages = &catalogue.language_feeds;
    languages
        .iter()
        .find(|language| *language == tag)
        .map(String::as_str)
}

/// A feed's title: `key`'s text with the site's title and `values` filled in.
fn titled(catalogue: &Catalogue, key: Key, values: &[(&str, &str)]) -> String {
    let mut all = vec![("site", catalogue.site.title.as_str())];
    all.extend_from_slice(values);
    catalogue.strings.fill(key, &all)
}

/// The path of a sent digest's page, `id` its ledger id.
pub fn digest_page(id: &str) -> String {
    format!("{DIGESTS}{id}.html")
}

/// Every subscription feed of a catalogue, in the order the page links
/// them: the site's, the update log's (when it has a record), each
/// category's, then the digests' (written only once a digest was sent,
/// and not linked from the page).
#[derive(Debug, Clone)]
pub struct FeedMap {
    rows: Vec<Subscription>,
    /// Index of the first category's row.
    categories: usize,
    /// `Catalogue::digests_sent`.
    digests_sent: bool,
}

impl FeedMap {
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut rows = vec![Subscription::entries(catalogue)];
        // An update log with no record has no feed to publish or link (issue 11).
        if !catalogue.updates.is_empty() {
            rows.push(Subscription::updates(catalogue));
        }
        let categories = rows.len();
        let each = catalogue.categories.iter().enumerate();
        rows.extend(
            each.map(|(index, category)| Subscription::category(catalogue, index, category)),
        );
        let slugs = tag_slugs(&catalogue.tag_feeds);
        let tags = slugs.iter().enumerate();
        rows.extend(tags.map(|(index, slug)| Subscription::tag(catalogue, index, slug)));
        let languages = 0..catalogue.language_feeds.len();
        rows.extend(languages.map(|index| Subscription::language(catalogue, index)));
        rows.push(Subscription::digests(catalogue));
        Self {
            rows,
            categories,
            digests_sent: catalogue.digests_sent,
        }
    }

    /// Every row.
    pub fn rows(&self) -> &[Subscription] {
        &self.rows
    }

    /// The feeds `oyez publish` renders from the catalogue: all but the
    /// digests', which the digest archive writes.
    pub fn published(&self) -> impl Iterator<Item = &Subscription> {
        let rows = self.rows.iter();
        rows.filter(|row| row.selection != Selection::Digests)
    }

    /// The feeds the page and the list link to and announce: the
    /// published ones, and the digests' once a digest was sent.
    pub fn linked(&self) -> impl Iterator<Item = &Subscription> {
        let digests = self.digests_sent;
        let rows = self.rows.iter();
        rows.filter(move |row| digests || row.selection != Selection::Digests)
    }

    /// The site's feed.
    pub fn entries(&self) -> Option<&Subscription> {
        self.rows.first()
    }

    /// The update log's feed, when the log has a record.
    pub fn updates(&self) -> Option<&Subscription> {
        let updates = self.rows.get(1)?;
        (updates.selection == Selection::Updates).then_some(updates)
    }

    /// The feed of the category at `index`.
    pub fn category(&self, index: usize) -> Option<&Subscription> {
        let row = self.rows.get(self.categories + index)?;
        (row.selection == Selection::Category(index)).then_some(row)
    }

    /// The languages' feeds, in `Catalogue::language_feeds` order.
    pub fn languages(&self) -> impl Iterator<Item = &Subscription> {
        let rows = self.rows.iter();
        rows.filter(|row| matches!(row.selection, Selection::Language(_)))
    }

    /// The tags' feeds, in `Catalogue::tag_feeds` order.
    pub fn tags(&self) -> impl Iterator<Item = &Subscription> {
        let rows = self.rows.iter();
        rows.filter(|row| matches!(row.selection, Selection::Tag(_)))
    }

    /// The path of every subscription document: what `.oyez/feeds` hashes.
    pub fn paths(&self) -> HashSet<String> {
        let documents = self.rows.iter().flat_map(|row| {
            let formats = row.formats.iter();
            formats.map(|format| row.path(*format))
        });
        documents.collect()
    }
}

/// A folder name for each tag: lower-case ASCII letters and digits, any
/// other run of characters one `-`; a name already taken gets `-2`, `-3`…
fn tag_slugs(tags: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    tags.iter()
        .map(|tag| {
            let mut slug = String::new();
            for c in tag.chars().flat_map(char::to_lowercase) {
                if c.is_ascii_alphanumeric() {
                    slug.push(c);
                } else if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                }
            }
            let base = match slug.trim_end_matches('-') {
                "" => "tag".to_owned(),
                trimmed => trimmed.to_owned(),
            };
            let mut slug = base.clone();
            let mut n = 1;
            while !taken.insert(slug.clone()) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            slug
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_has_one_row_per_feed_in_link_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = crate::catalogue::load(dir).unwrap().catalogue;
        let map = FeedMap::new(&catalogue);
        let categories = catalogue.categories.len();
        // The example's entries are in English and Spanish: a feed each.
        assert_eq!(catalogue.language_feeds, ["en", "es"]);
        assert_eq!(map.rows().len(), 1 + 1 + categories + 2 + 1);
        let spanish = map.languages().nth(1).unwrap();
        assert_eq!(spanish.path(Format::Json), "languages/es/feed.json");
        assert_eq!(spanish.title, "Platform as a Product: in Spanish");
        let carriers = Carriers::new(&catalogue);
        let mut selections = Vec::new();
        let carried = catalogue.entries.iter().filter(|e| {
            selections.clear();
            carriers.of(e, &mut selections);
            selections.contains(&spanish.selection)
        });
        assert_eq!(carried.count(), 2);
        assert_eq!(map.entries().unwrap().selection, Selection::Entries);
        assert_eq!(map.updates().unwrap().dir, "updates/");
        let last = categories - 1;
        let category = map.category(last).unwrap();
        let slug = &catalogue.categories[last].slug;
        assert_eq!(
            category.path(Format::Rss),
            format!("categories/{slug}/rss.xml")
        );
        assert!(map.category(categories).is_none());
        let paths = map.paths();
        assert_eq!(paths.len(), 3 + 3 + 3 * categories + 3 * 2 + 1);
        assert!(paths.contains("digests/atom.xml") && paths.contains("feed.json"));
        assert_eq!(map.linked().count(), map.rows().len() - 1);
    }

    #[test]
    fn tag_folders_are_plain_and_distinct() {
        let tags = ["Rust", "C++", "c", "rust!", "日本", "a b"].map(String::from);
        assert_eq!(
            tag_slugs(&tags),
            ["rust", "c", "c-2", "rust-2", "tag", "a-b"]
        );
    }
}
