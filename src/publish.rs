//! Everything `oyez publish` writes, rendered from the catalogue: pure
//! functions, so the same catalogue always gives the same bytes. Small
//! documents are rendered in memory, in parallel ([`render`]); the
//! catalogue page and the Markdown list, tens of MB for a large catalogue,
//! are streamed into their files ([`Streamed`]); the RFC 5005 archive pages, which together hold
//! every entry, are rendered page by page ([`Archives`]). So a large
//! catalogue's output never has to fit in memory at once.

use std::sync::Arc;

use rayon::prelude::*;

use crate::catalogue::{Catalogue, Entry};
use crate::digest::archive::{self as digest_archive, ArchiveError, Sent};
use crate::feed::archive::Archive;
use crate::feed::map::{FeedMap, Format, Selection, Subscription};
use crate::feed::{self, Channel, FeedError, atom, json, rss};
use crate::output::Rendered;
use crate::site::{list, page};
use crate::template::{TemplateError, Templates};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Feed(#[from] FeedError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

/// Renders every output file but the [`Streamed`] ones and the archive
/// pages ([`Archives`]), with paths relative to the output folder, in a
/// fixed order: the feeds of the [`FeedMap`], each on its own thread, the
/// OPML list of them all, the OPML list of the entries' own feeds (when
/// an entry has one), and the public archive of sent digests (its pages and feed; `sent` comes
/// from the ledger).
pub fn render(
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
    sent: &[Sent],
) -> Result<Vec<Rendered>, PublishError> {
    let (stamps, selected) = rayon::join(
        || feed::Stamps::new(catalogue),
        || feed::Selected::new(catalogue),
    );
    render_all(catalogue, templates, sent, (&stamps, &selected))
}

/// [`render`], with the entries' stamps that `archives` makes for its
/// pages rather than a second copy of them: a publish renders both side
/// by side, and each made them (a sort of 100,000 keys).
pub(crate) fn render_beside(
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
    sent: &[Sent],
    archives: &Archives<'_>,
) -> Result<Vec<Rendered>, PublishError> {
    let selected = feed::Selected::new(catalogue);
    render_all(catalogue, templates, sent, (&archives.stamps, &selected))
}

fn render_all(
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
    sent: &[Sent],
    (stamps, selected): (&feed::Stamps, &feed::Selected),
) -> Result<Vec<Rendered>, PublishError> {
    let map = FeedMap::new(catalogue);
    let rows: Vec<&Subscription> = map.published().collect();
    let rendered = rows
        .par_iter()
        .map(|row| render_feed(catalogue, templates, (stamps, selected), row))
        .collect::<Result<Vec<_>, _>>()?;
    let mut files: Vec<Rendered> = rendered.into_iter().flatten().collect();
    let opml = feed::opml::render(catalogue, &map, !sent.is_empty());
    files.push(Rendered::new(feed::opml::FILE, opml));
    if let Some(entries) = feed::opml::render_entries(catalogue) {
        files.push(Rendered::new(feed::opml::ENTRIES_FILE, entries));
    }
    files.extend(digest_archive::render(catalogue, templates, sent)?);
    Ok(files)
}

/// The documents of the feed `row`, one per format.
fn render_feed(
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
    (stamps, selected): (&feed::Stamps, &feed::Selected),
    row: &Subscription,
) -> Result<Vec<Rendered>, PublishError> {
    let channel = match row.selection {
        Selection::Updates => {
            let contents = catalogue
                .updates
                .par_iter()
                .take(catalogue.feed_limit)
                .map(|update| page::update(catalogue, templates, update))
                .collect::<Result<Vec<_>, _>>()?;
            feed::updates_channel(catalogue, &contents)
        }
        Selection::Entries => feed::entries_channel(catalogue, stamps),
        Selection::Category(index) => feed::category_channel(catalogue, stamps, selected, index),
        Selection::Tag(_) | Selection::Language(_) => {
            feed::selected_channel(catalogue, stamps, selected, row.clone())
        }
        Selection::Digests => return Ok(Vec::new()),
    };
    let documents = row.formats.iter().map(|format| {
        let bytes = match format {
            Format::Atom => atom::render(catalogue, &channel),
            Format::Rss => rss::render(catalogue, &channel),
            Format::Json => json::render(catalogue, &channel),
        };
        Ok(Rendered::new(row.path(*format), bytes?))
    });
    documents.collect()
}

/// Documents written straight into their files, never whole in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// The catalogue page, `index.html`. Its template reads the shared
    /// (`Arc`) catalogue's entries in place.
    Index,
    /// The Markdown list, `README.md`.
    List,
}

impl Streamed {
    pub const ALL: [Self; 2] = [Self::Index, Self::List];

    /// The document's path relative to the output folder.
    pub fn path(self) -> &'static str {
        match self {
            Self::Index => page::INDEX,
            Self::List => list::FILE,
        }
    }

    /// Writes the document into `out`.
    pub fn write(
        self,
        catalogue: &Arc<Catalogue>,
        templates: &Templates,
        out: &mut impl std::io::Write,
    ) -> Result<(), PublishError> {
        match self {
            Self::Index => Ok(page::write_index(catalogue, templates, out)?),
            Self::List => Ok(list::write(catalogue, templates, out)?),
        }
    }
}

/// The archive of the entries feed: pages of [`feed::archive::PAGE_SIZE`]
/// entries, oldest first, each rendered on demand from the entries in
/// place (nothing of an entry is copied but into the documents).
pub struct Archives<'a> {
    catalogue: &'a Catalogue,
    current: Channel,
    oldest: Vec<&'a Entry>,
    archive: Archive,
    stamps: feed::Stamps,
}

impl<'a> Archives<'a> {
    /// Made before the pages: a page's thread waiting for another to
    /// make the stamps could not help it.
    pub fn new(catalogue: &'a Catalogue) -> Self {
        let (stamps, (current, oldest)) = rayon::join(
            || feed::Stamps::new(catalogue),
            || {
                // Its items are dropped: no stamps needed for them.
                let mut current = feed::entries_channel(catalogue, &feed::Stamps::default());
                current.items.clear();
                (current, feed::oldest_first(catalogue))
            },
        );
        Self {
            stamps,
            catalogue,
            archive: Archive::new(&current.dir, catalogue.entries.len()),
            current,
            oldest,
        }
    }

    pub fn pages(&self) -> usize {
        self.archive.pages()
    }

    /// Page `number` (1-based) as Atom, RSS and JSON Feed documents.
    pub fn render(&self, number: usize) -> Result<Vec<Rendered>, PublishError> {
        let entries = self
            .oldest
            .get(self.archive.range(number))
            .unwrap_or_default();
        feed::view::prefetch(entries);
        let credits = feed::view::credits(self.catalogue, entries);
        let items = feed::view::items(self.catalogue, &self.stamps, entries, &credits);
        let newest = items.iter().map(|item| item.updated).max();
        let page = self.archive.page(&self.current, number, newest);
        let path = |format: Format| format!("{}{}", page.dir, format.file());
        Ok(vec![
            Rendered::new(
                path(Format::Atom),
                atom::write(self.catalogue, &page, &items),
            ),
            Rendered::new(path(Format::Rss), rss::write(self.catalogue, &page, &items)),
            Rendered::new(
                path(Format::Json),
                json::write(self.catalogue, &page, &items)?,
            ),
        ])
    }
}
