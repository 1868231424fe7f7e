//! Items as the Atom and RSS writers read them, borrowed (issue 5): from an
//! owned [`Item`], or straight from a catalogue entry, so that the archive
//! pages, which hold every entry, copy no entry's strings. A page's items
//! are built by [`prefetch`], [`credits`] and [`items`], in that order.

use std::borrow::Cow;

use chrono::{DateTime, Utc};

use super::{Item, Stamps};
use crate::catalogue::{Catalogue, Category, Credit, Enclosure, Entry, Extras};

/// One item's fields, borrowed; what [`Item`] holds, less the plain text.
#[derive(Debug, Clone)]
pub(crate) struct ItemView<'a> {
    pub(crate) id: Parts<'a>,
    pub(crate) title: &'a str,
    pub(crate) link: Cow<'a, str>,
    pub(crate) published: DateTime<Utc>,
    pub(crate) updated: DateTime<Utc>,
    pub(crate) authors: &'a [String],
    pub(crate) contributors: Credits<'a>,
    pub(crate) categories: Categories<'a>,
    pub(crate) content_html: Option<&'a str>,
    /// The content as plain text: an [`Item`]'s, never an entry's (the
    /// archive pages carry the HTML only).
    pub(crate) content_text: Option<&'a str>,
    pub(crate) language: Option<&'a str>,
    /// The entry's thumbnail, enclosure and content.
    pub(crate) extras: Option<&'a Extras>,
}

/// A text in parts, written one after the other: an entry's id, its anchor
/// on the catalogue page (`base#id`), is never joined in memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a>(pub(crate) [&'a str; 3]);

/// Who an item credits.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Credits<'a> {
    /// As in an [`Item`].
    Resolved(&'a [Credit]),
    /// An entry's, resolved by [`credits`].
    Named(&'a [Named<'a>]),
}

/// A credit as the writers read it: (name, uri).
pub(crate) type Named<'a> = (Cow<'a, str>, Option<Cow<'a, str>>);

/// An item's categories: (term, label).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Categories<'a> {
    /// As listed in an [`Item`].
    Listed(&'a [(String, Option<String>)]),
    /// An entry's: its category (labelled with the title), then its tags.
    Entry(&'a Category, &'a [String]),
}

impl<'a> ItemView<'a> {
    /// What [`super::entry_item`] would hold for `entry`, borrowed;
    /// `credits` are its handles, resolved by [`credits`], and `updated`
    /// its [`Stamps`] stamp.
    pub(crate) fn entry(
        catalogue: &'a Catalogue,
        entry: &'a Entry,
        credits: &'a [Named<'a>],
        updated: DateTime<Utc>,
    ) -> Self {
        let anchor = catalogue.site.anchor(&entry.id);
        let link = match &entry.url {
            Some(url) => Cow::Borrowed(url.as_str()),
            None => Cow::Owned(anchor.joined()),
        };
        Self {
            id: Parts(anchor.parts()),
            title: &entry.title,
            link,
            published: entry.added,
            updated,
            authors: &entry.authors,
            contributors: Credits::Named(credits),
            categories: Categories::Entry(catalogue.category_of(entry), &entry.tags),
            content_html: entry.summary.as_ref().map(|s| s.html.as_str()),
            content_text: None,
            language: entry.language.as_deref(),
            extras: entry.extras.as_deref(),
        }
    }
}

impl<'a> ItemView<'a> {
    /// The thumbnail's URL (`image`).
    pub(crate) fn image(&self) -> Option<&'a str> {
        self.extras?.image.as_deref()
    }

    /// The full text's HTML (`content`).
    pub(crate) fn content(&self) -> Option<&'a str> {
        Some(self.extras?.content.as_ref()?.html.as_str())
    }

    /// The audio or video file (`enclosure`).
    pub(crate) fn enclosure(&self) -> Option<&'a Enclosure> {
        self.extras?.enclosure.as_ref()
    }
}

/// Whether any of `items` has an image or an enclosure: the document
/// then declares the Media RSS namespace.
pub(crate) fn any_media(items: &[ItemView<'_>]) -> bool {
    (items.iter()).any(|item| item.image().is_some() || item.enclosure().is_some())
}

impl ItemView<'_> {
    /// The plain-text summary of an item without summary or content, in parts:
    /// `{title}, in {category}: {link}`, `in` the catalogue's `in_category`. Feed readers show it where they
    /// would show the summary, and the W3C validator wants text in every
    /// entry (`MissingTextualContent`, issue 11). Parts, so that nothing
    /// is joined in memory.
    pub(crate) fn fallback_summary<'s>(&'s self, in_category: &'s str) -> Option<[&'s str; 7]> {
        if self.content_html.is_some() || self.content().is_some() {
            return None;
        }
        let category = self.categories.iter().next();
        Some(match category.map(|(term, label)| label.unwrap_or(term)) {
            Some(category) => [
                self.title,
                ", ",
                in_category,
                " ",
                category,
                ": ",
                &self.link,
            ],
            None => [self.title, ": ", &self.link, "", "", "", ""],
        })
    }
}

impl<'a> From<&'a Item> for ItemView<'a> {
    fn from(item: &'a Item) -> Self {
        Self {
            id: Parts([&item.id, "", ""]),
            title: &item.title,
            link: Cow::Borrowed(&item.link),
            published: item.published,
            updated: item.updated,
            authors: &item.authors,
            contributors: Credits::Resolved(&item.contributors),
            categories: Categories::Listed(&item.categories),
            content_html: item.content_html.as_deref(),
            content_text: item.content_text.as_deref(),
            language: item.language.as_deref(),
            extras: item.extras.as_deref(),
        }
    }
}

/// Reads the entries' texts ahead of the writers ([`crate::memory::ReadAhead`]):
/// an archive page's entries are long out of the processor's caches. This
/// nearly halves the time the archive pages take.
pub(crate) fn prefetch(entries: &[&Entry]) {
    let mut ahead = crate::memory::ReadAhead::default();
    for entry in entries {
        ahead.read(&entry.id);
        ahead.read(&entry.title);
        entry.url.iter().for_each(|url| ahead.read(url));
        let lists = [&entry.authors, &entry.by, &entry.tags];
        lists
            .into_iter()
            .flatten()
            .for_each(|text| ahead.read(text));
        entry
            .summary
            .iter()
            .for_each(|summary| ahead.read(&summary.html));
        entry
            .language
            .iter()
            .for_each(|language| ahead.read(language));
        std::hint::black_box(entry.extras.as_deref());
    }
}

/// The items of a page's `entries` (oldest first), newest first. `credits`
/// are the entries' [`credits`], which each item borrows its share of.
pub(crate) fn items<'a>(
    catalogue: &'a Catalogue,
    stamps: &Stamps,
    entries: &[&'a Entry],
    credits: &'a [Named<'a>],
) -> Vec<ItemView<'a>> {
    let mut rest = credits;
    let mut items: Vec<ItemView<'a>> = entries
        .iter()
        .map(|entry| {
            let (own, others) = rest.split_at_checked(entry.by.len()).unwrap_or_default();
            rest = others;
            ItemView::entry(catalogue, entry, own, stamps.of(catalogue, entry))
        })
        .collect();
    items.reverse();
    items
}

/// The credits of `entries`, one list for them all, each handle looked up
/// once for both formats.
pub(crate) fn credits<'a>(catalogue: &'a Catalogue, entries: &[&'a Entry]) -> Vec<Named<'a>> {
    let handles = entries.iter().flat_map(|entry| &entry.by);
    handles.map(|handle| resolve(catalogue, handle)).collect()
}

impl<'a> Credits<'a> {
    /// (name, uri) of each credit, in order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Named<'a>> {
        let (resolved, named) = match self {
            Credits::Resolved(credits) => (credits, &[][..]),
            Credits::Named(named) => (&[][..], named),
        };
        let resolved = resolved.iter().map(|credit| {
            let uri = credit.uri.as_deref().map(Cow::Borrowed);
            (Cow::Borrowed(credit.name.as_str()), uri)
        });
        resolved.chain(named.iter().cloned())
    }
}

/// A handle's name and uri: borrowed for a known contributor, else
/// [`Catalogue::credit`]'s fallback.
fn resolve<'a>(catalogue: &'a Catalogue, handle: &str) -> Named<'a> {
    match catalogue.contributors.get(handle) {
        Some(known) => (
            Cow::Borrowed(known.name.as_str()),
            known.uri.as_deref().map(Cow::Borrowed),
        ),
        None => {
            let credit = catalogue.credit(handle);
            (Cow::Owned(credit.name), credit.uri.map(Cow::Owned))
        }
    }
}

impl<'a> Categories<'a> {
    /// (term, label) of each category, in order.
    pub(crate) fn iter(self) -> impl Iterator<Item = (&'a str, Option<&'a str>)> {
        let (listed, first, tags) = match self {
            Categories::Listed(listed) => (listed, None, &[][..]),
            Categories::Entry(category, tags) => {
                let first = (category.slug.as_str(), Some(category.title.as_str()));
                (&[][..], Some(first), tags)
            }
        };
        let listed = listed
            .iter()
            .map(|(term, label)| (term.as_str(), label.as_deref()));
        let tags = tags.iter().map(|tag| (tag.as_str(), None));
        listed.chain(first).chain(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::entry_item;

    /// Every field as text, the credits and categories as listed.
    fn fields(view: ItemView<'_>) -> String {
        let contributors: Vec<_> = view.contributors.iter().collect();
        let categories: Vec<_> = view.categories.iter().collect();
        format!(
            "{:?}",
            (
                (
                    view.id.0.concat(),
                    view.title,
                    view.link,
                    view.published,
                    view.updated
                ),
                (view.authors, contributors, categories),
                (view.content_html, view.language, view.extras)
            )
        )
    }

    /// Every entry of the example catalogue reads the same through both
    /// paths, including a credited handle with no `[contributors]` record.
    #[test]
    fn an_entry_reads_as_its_item() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut catalogue = crate::catalogue::load(dir).unwrap().catalogue;
        catalogue.entries[0].by.push("nobody-known".into());
        let stamps = Stamps::new(&catalogue);
        for entry in &catalogue.entries {
            let updated = stamps.of(&catalogue, entry);
            let item = entry_item(&catalogue, entry, updated);
            let credits = credits(&catalogue, &[entry]);
            let borrowed = fields(ItemView::entry(&catalogue, entry, &credits, updated));
            assert_eq!(fields(ItemView::from(&item)), borrowed);
        }
        let first = [&catalogue.entries[0]];
        let credits = credits(&catalogue, &first);
        let items = items(&catalogue, &stamps, &first, &credits);
        assert!(fields(items[0].clone()).contains("@nobody-known"));
    }
}
