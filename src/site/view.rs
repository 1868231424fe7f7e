//! The catalogue as templates read it, shared by the page, the list and
//! the digest: the site, its feed links, and borrowing views of entries,
//! categories and updates that serialise from the catalogue in place
//! rather than copying its strings first (issue 5). HTML fields hold
//! sanitised HTML (templates print them with `|safe`); every other string
//! is plain text that the template escapes. Also the orders the documents
//! list entries in.

use std::collections::HashSet;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::{subscribe, tree};
use crate::catalogue::{Catalogue, Credit, Entry, Update};
use crate::feed::map::{FeedMap, Format, Selection, Subscription};
use crate::strings::Key;

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    pub language: String,
    /// `[site] awesome`: the list carries the Awesome badge (issue 22).
    pub awesome: bool,
    /// `[site] icon`, the page's favicon (issue 23).
    pub icon: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    pub mime: &'static str,
}

impl SiteView {
    pub fn new(catalogue: &Catalogue) -> Self {
        let site = &catalogue.site;
        Self {
            title: site.title.clone(),
            description: site.description.clone(),
            base_url: site.base_url.to_string(),
            language: site.language.clone(),
            awesome: site.awesome,
            icon: site.icon.clone(),
        }
    }
}

/// A link of the "Follow" line of the page and the list.
#[derive(Debug, Clone, Serialize)]
pub struct FollowLink {
    pub name: String,
    pub href: String,
}

/// Every subscription feed the [`FeedMap`] links, in each of its formats,
/// for autodiscovery links and "follow" lists.
pub fn feed_links(catalogue: &Catalogue) -> Vec<FeedLink> {
    let map = FeedMap::new(catalogue);
    let links = map.linked().flat_map(|row| {
        row.formats.iter().map(|format| FeedLink {
            title: format!("{} ({})", row.title, format.name()),
            href: row.url(catalogue, *format),
            mime: format.mime(),
        })
    });
    links.collect()
}

/// The site's feed in each of its formats, named by format.
pub fn site_feeds(catalogue: &Catalogue) -> Vec<FollowLink> {
    let row = Subscription::entries(catalogue);
    let links = row.formats.iter().map(|format| FollowLink {
        name: format.name().to_owned(),
        href: row.url(catalogue, *format),
    });
    links.collect()
}

/// The feed of the archive of sent digests, as its pages link it.
pub fn digests_feed(catalogue: &Catalogue) -> FeedLink {
    let row = Subscription::digests(catalogue);
    let format = row.formats.first().copied().unwrap_or(Format::Atom);
    FeedLink {
        href: row.url(catalogue, format),
        title: row.title,
        mime: format.mime(),
    }
}

/// The URL of `feeds.opml`, every feed in one file.
pub fn opml_url(catalogue: &Catalogue) -> String {
    catalogue.site_url(crate::feed::opml::FILE)
}

/// The URL of `entries.opml`, the entries' own feeds in one file, when
/// an entry has one.
pub fn entries_opml_url(catalogue: &Catalogue) -> Option<String> {
    let mut extras = catalogue
        .entries
        .iter()
        .filter_map(|entry| entry.extras.as_ref());
    let any = extras.any(|extras| extras.feed.is_some());
    any.then(|| catalogue.site_url(crate::feed::opml::ENTRIES_FILE))
}

/// The tags' feeds (`[feeds] tags`), for the page's "Follow a tag" line:
/// each tag as `title` and its first format's URL.
pub fn tag_links(catalogue: &Catalogue) -> Vec<FeedLink> {
    row_links(catalogue, FeedMap::new(catalogue).tags())
}

/// The languages' feeds (entries in more than one language), for the
/// page's "Follow a language" line: each language's name as `title` and
/// its first format's URL.
pub fn language_links(catalogue: &Catalogue) -> Vec<FeedLink> {
    row_links(catalogue, FeedMap::new(catalogue).languages())
}

/// Each row's first format, titled by its tag or language.
fn row_links<'a>(
    catalogue: &Catalogue,
    rows: impl Iterator<Item = &'a Subscription>,
) -> Vec<FeedLink> {
    let links = rows.filter_map(|row| {
        let title = match row.selection {
            Selection::Tag(index) => catalogue.tag_feeds.get(index)?.clone(),
            Selection::Language(index) => {
                let language = catalogue.language_feeds.get(index)?;
                catalogue.strings.language_name(language)
            }
            _ => return None,
        };
        let format = *row.formats.first()?;
        Some(FeedLink {
            title,
            href: row.url(catalogue, format),
            mime: format.mime(),
        })
    });
    links.collect()
}

/// The "Follow" line: the site's feed in each of its formats, then the
/// update log's first format as "updates only" (when the log has a
/// record), then the sent digests' as "past digests" (once one was sent).
pub fn follow_links(catalogue: &Catalogue) -> Vec<FollowLink> {
    let map = FeedMap::new(catalogue);
    let site = site_feeds(catalogue);
    let strings = &catalogue.strings;
    let updates = map.updates().and_then(|row| {
        let format = row.formats.first()?;
        let href = row.url(catalogue, *format);
        Some(FollowLink {
            name: strings.get(Key::updates_only).to_owned(),
            href,
        })
    });
    let digests = catalogue.digests_sent.then(|| FollowLink {
        name: strings.get(Key::past_digests).to_owned(),
        href: digests_feed(catalogue).href,
    });
    site.into_iter().chain(updates).chain(digests).collect()
}

/// Everyone credited by the given entries and updates, in first-seen order
/// (update credits first, then entries'), each handle once.
pub fn credits<'a>(
    catalogue: &Catalogue,
    entries: impl IntoIterator<Item = &'a Entry>,
    updates: impl IntoIterator<Item = &'a Update>,
) -> Vec<Credit> {
    let mut seen: HashSet<&str, foldhash::fast::RandomState> = HashSet::default();
    let entry_handles = entries.into_iter().flat_map(|e| e.by.iter());
    let update_handles = updates.into_iter().flat_map(|u| u.by.iter());
    update_handles
        .chain(entry_handles)
        .filter(|handle| seen.insert(handle.as_str()))
        .map(|handle| catalogue.credit(handle))
        .collect()
}

/// An entry as templates read it: `id`, `title`, `url`, `link` (the
/// resource, or the entry's anchor on the catalogue page), `anchor`,
/// `added`, `authors`, `language`, `tags`, `summary_markdown`,
/// `summary_html`, `summary_text`, `credits`, `category` (its slug) and
/// `category_title`; serialised from the catalogue in place.
pub(crate) struct EntryRef<'a> {
    catalogue: &'a Catalogue,
    entry: &'a Entry,
}

impl Serialize for EntryRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (catalogue, entry) = (self.catalogue, self.entry);
        let summary = entry.summary.as_ref();
        let credits: Vec<_> = entry.by.iter().map(|h| catalogue.credit(h)).collect();
        let category = catalogue.category_of(entry);
        let mut view = serializer.serialize_struct("EntryRef", 15)?;
        view.serialize_field("id", &entry.id)?;
        view.serialize_field("title", &entry.title)?;
        view.serialize_field("url", &entry.url.as_deref())?;
        view.serialize_field("link", &catalogue.entry_link(entry))?;
        view.serialize_field("anchor", &catalogue.entry_anchor(entry))?;
        view.serialize_field("added", &entry.added_day.to_string())?;
        view.serialize_field("authors", &entry.authors)?;
        view.serialize_field("language", &entry.language)?;
        view.serialize_field("tags", &entry.tags)?;
        view.serialize_field("summary_markdown", &summary.map(|s| &s.markdown))?;
        view.serialize_field("summary_html", &summary.map(|s| &s.html))?;
        view.serialize_field("summary_text", &summary.map(|s| s.plain()))?;
        view.serialize_field("credits", &credits)?;
        view.serialize_field("category", &category.slug)?;
        view.serialize_field("category_title", &category.title)?;
        view.end()
    }
}

/// A category with its entries, of type `E`, as templates read it.
#[derive(serde::Serialize)]
pub(crate) struct Section<'a, E> {
    slug: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    /// 0 for a top-level category, 1 for one under it, and so on.
    depth: usize,
    /// The slug of the category this one is under.
    parent: Option<&'a str>,
    atom: String,
    rss: String,
    /// Its JSON Feed, when the feed map writes one.
    json: Option<String>,
    /// A `mailto:` link asking for this category's digest; `None` without
    /// `[digest]`.
    subscribe: Option<String>,
    pub(crate) entries: Vec<E>,
}

/// One empty section per category, in category order.
pub(crate) fn empty_sections<E>(catalogue: &Catalogue) -> Vec<Section<'_, E>> {
    let address = subscribe::digest_address(catalogue);
    let map = FeedMap::new(catalogue);
    let url = |index, format| {
        let row = map.category(index);
        row.map(|row| row.url(catalogue, format))
            .unwrap_or_default()
    };
    catalogue
        .categories
        .iter()
        .enumerate()
        .map(|(index, category)| Section {
            slug: &category.slug,
            title: &category.title,
            description: category.description.as_deref(),
            depth: tree::depth_of(catalogue, index),
            parent: category
                .parent
                .and_then(|parent| catalogue.categories.get(parent))
                .map(|parent| parent.slug.as_str()),
            atom: url(index, Format::Atom),
            rss: url(index, Format::Rss),
            json: map
                .category(index)
                .filter(|row| row.formats.contains(&Format::Json))
                .map(|row| row.url(catalogue, Format::Json)),
            subscribe: address
                .as_deref()
                .map(|address| subscribe::link(address, Some(&category.slug))),
            entries: Vec::new(),
        })
        .collect()
}

/// The given entries grouped by category, in category order; within a
/// category they keep the order given. Empty categories are left out
/// unless `keep_empty`.
pub(crate) fn sections<'a>(
    catalogue: &'a Catalogue,
    entries: impl IntoIterator<Item = &'a Entry>,
    keep_empty: bool,
) -> Vec<Section<'a, EntryRef<'a>>> {
    let mut sections = empty_sections(catalogue);
    for entry in entries {
        if let Some(section) = sections.get_mut(entry.category) {
            section.entries.push(EntryRef { catalogue, entry });
        }
    }
    sections.retain(|section| keep_empty || !section.entries.is_empty());
    sections
}

/// An update as templates read it: `id`, `date`, `note_markdown`,
/// `note_html`, `note_text`, `credits`, `sections` (what it announces, by
/// category in category order) and `count`.
pub(crate) struct UpdateRef<'a> {
    catalogue: &'a Catalogue,
    update: &'a Update,
}

impl<'a> UpdateRef<'a> {
    pub(crate) fn new(catalogue: &'a Catalogue, update: &'a Update) -> Self {
        Self { catalogue, update }
    }
}

impl Serialize for UpdateRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (catalogue, update) = (self.catalogue, self.update);
        let announced = update
            .announces
            .iter()
            .filter_map(|&index| catalogue.entries.get(index));
        let credits: Vec<_> = update.by.iter().map(|h| catalogue.credit(h)).collect();
        let mut view = serializer.serialize_struct("UpdateRef", 8)?;
        view.serialize_field("id", &update.id)?;
        view.serialize_field("date", &update.day.to_string())?;
        view.serialize_field("note_markdown", &update.note.markdown)?;
        view.serialize_field("note_html", &update.note.html)?;
        view.serialize_field("note_text", &update.note.plain())?;
        view.serialize_field("credits", &credits)?;
        view.serialize_field("sections", &sections(catalogue, announced, false))?;
        view.serialize_field("count", &update.announces.len())?;
        view.end()
    }
}

/// The entries `order` lists, by category (`Catalogue::categories`' order).
pub(crate) fn by_category(catalogue: &Catalogue, order: &[usize]) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); catalogue.categories.len()];
    for &index in order {
        let category = catalogue.entries.get(index).map(|entry| entry.category);
        if let Some(group) = category.and_then(|category| groups.get_mut(category)) {
            group.push(index);
        }
    }
    groups
}
