//! The list through the `list.md` template: the context a template reads,
//! its fields escaped for Markdown, its entries as [`Items`]. Twin of
//! [`super::native`], which writes the built-in template's bytes without it.

use minijinja::Value;
use serde::Serialize;

use super::content::{ListCredit, NoteLinks, list_credits, unmentioned, update_note};
use super::escape::{anchor, escape_text};
use super::frame::in_contents;
use super::items::Items;
use super::{TEMPLATE, layout};
use crate::catalogue::{Catalogue, Update};
use crate::site::view::{self, FeedLink, FollowLink, SiteView};
use crate::strings::{self, Key};
use crate::template::{TemplateError, Templates};

#[derive(Serialize)]
struct ListContext<'c> {
    site: SiteView,
    /// The title and description, escaped for Markdown.
    title: String,
    description: Option<String>,
    feeds: Vec<FeedLink>,
    /// The "Follow" line's links: the site's feed in each format, then the updates'.
    follow: Vec<FollowLink>,
    sections: Vec<ListSection<'c>>,
    updates: Vec<ListUpdate<'c>>,
    credits: Vec<ListCredit>,
    /// `[list] header` and `intro`, as written.
    header: Option<&'c str>,
    intro: Option<&'c str>,
    /// `[[list.section]]`s, kept as written.
    kept: Vec<Kept<'c>>,
    /// The words around the catalogue, in its language.
    strings: Value,
    /// GitHub's anchors of the "Updates" and "Contributors" headings.
    anchors: Anchors,
}

#[derive(Serialize)]
struct Anchors {
    updates: String,
    contributors: String,
}

#[derive(Serialize)]
struct Kept<'c> {
    title: String,
    anchor: String,
    /// Whether the contents list it.
    listed: bool,
    text: &'c str,
}

#[derive(Serialize)]
struct ListSection<'c> {
    slug: &'c str,
    /// `##`, one `#` more per level under it (awesome lists keep the tree).
    heading: &'static str,
    /// Its line's indent in the contents; none when the contents leave it out.
    indent: Option<String>,
    title: String,
    /// GitHub's anchor for the section heading, for the contents.
    anchor: String,
    description: Option<String>,
    /// `intro`, as written (issue 22): written instead of the description.
    intro: Option<&'c str>,
    /// The entries, as [`ListItem`](super::items::ListItem) template objects.
    entries: Value,
    /// What comes before each entry's link: its marker, indent and group
    /// line (issue 22), by the entry's place in `entries`.
    leads: Vec<String>,
}

#[derive(Serialize)]
struct ListUpdate<'c> {
    id: &'c str,
    date: String,
    note: String,
    /// Credited handles the note does not already mention, as `@handle`.
    thanks: Vec<String>,
    /// The entries it announces that the note does not link to, so that
    /// importing the list back dates them the same: [`ListItem`](super::items::ListItem)s without
    /// summary or thanks.
    added: Value,
}

/// [`write`] through the `list.md` template, whichever it is.
pub(super) fn write_template(
    catalogue: &Catalogue,
    templates: &Templates,
    out: &mut impl std::io::Write,
) -> Result<(), TemplateError> {
    let order = catalogue.file_order();
    let items = Items::new(catalogue, &order);
    let updates = list_updates(catalogue, &items);
    let context = ListContext {
        site: SiteView::new(catalogue),
        title: escape_text(&catalogue.site.title),
        description: catalogue.site.description.as_deref().map(escape_text),
        feeds: view::feed_links(catalogue),
        follow: view::follow_links(catalogue),
        sections: list_sections(catalogue, &order, &items),
        updates,
        credits: list_credits(catalogue),
        header: catalogue.list.header.as_deref(),
        intro: catalogue.list.intro.as_deref(),
        kept: catalogue
            .list
            .sections
            .iter()
            .map(|(title, text)| Kept {
                title: escape_text(title),
                anchor: anchor(title),
                listed: in_contents(title),
                text,
            })
            .collect(),
        strings: strings::value(&catalogue.strings, false),
        anchors: Anchors {
            updates: anchor(catalogue.strings.get(Key::updates)),
            contributors: anchor(catalogue.strings.get(Key::contributors)),
        },
    };
    templates.render_to_write(TEMPLATE, context, out)
}

/// The sections of [`layout::sections`], entries in the maintainer's file `order`.
fn list_sections<'c>(
    catalogue: &'c Catalogue,
    order: &[usize],
    items: &Items,
) -> Vec<ListSection<'c>> {
    layout::sections(catalogue, order)
        .into_iter()
        .map(|section| {
            let category = section.category;
            ListSection {
                slug: &category.slug,
                heading: section.heading(),
                indent: section.contents_indent(catalogue.list.indent()),
                leads: layout::leads(catalogue, &section),
                anchor: section.anchor,
                title: escape_text(&category.title),
                description: category.description.as_deref().map(escape_text),
                intro: category.intro.as_deref(),
                entries: section
                    .indices
                    .iter()
                    .filter_map(|&i| items.full(i))
                    .collect(),
            }
        })
        .collect()
}

/// The update log, each update with the entries its note does not link to.
fn list_updates<'c>(catalogue: &'c Catalogue, items: &Items) -> Vec<ListUpdate<'c>> {
    catalogue
        .updates
        .iter()
        .map(|update| {
            let note = update_note(catalogue, update);
            let thanks = unmentioned(&note, &update.by)
                .map(|handle| format!("@{handle}"))
                .collect();
            let added: Vec<Value> = added(catalogue, update)
                .filter_map(|index| items.bare(index))
                .collect();
            ListUpdate {
                id: &update.id,
                date: update.day.to_string(),
                note,
                thanks,
                added: Value::from(added),
            }
        })
        .collect()
}

/// The entries `update` announces whose URL its note does not hold, by
/// index into `Catalogue::entries`: the log lists them under the update.
fn added<'c>(catalogue: &'c Catalogue, update: &'c Update) -> impl Iterator<Item = usize> + 'c {
    let links_in_note = NoteLinks::of(update);
    update.announces.iter().copied().filter(move |&index| {
        catalogue
            .entries
            .get(index)
            .is_some_and(|entry| links_in_note.lists(entry))
    })
}
