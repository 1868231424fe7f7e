//! The catalogue page's sections, written natively (see [`super::native`]):
//! recently added, one section per category with an entry a line, the
//! update log and the contributors, byte for byte as `templates/index.html`.

use std::io;

use super::context::RECENT;
use super::sink::Page;
use crate::catalogue::{Catalogue, Category, Entry};
use crate::feed::map::Subscription;
use crate::site::{subscribe, tree};
use crate::strings::{Key, Strings};

/// Jinja's truth of an optional string: present and not empty.
pub(super) fn truthy(text: Option<&String>) -> Option<&str> {
    text.map(String::as_str).filter(|text| !text.is_empty())
}

/// "Recently added": the [`RECENT`] newest entries, one line each.
pub(super) fn recent(catalogue: &Catalogue, page: &mut Page<'_>) {
    if catalogue.entries.is_empty() {
        return;
    }
    let strings = &catalogue.strings;
    page.raw("<section id=\"recently-added\" aria-labelledby=\"recently-added-title\">\n");
    page.raw("<h2 id=\"recently-added-title\">");
    page.words(strings.get(Key::recently_added));
    page.raw("</h2>\n<ul class=\"entries\">\n");
    for entry in catalogue.entries.iter().take(RECENT) {
        page.raw("<li><time datetime=\"");
        let date = page.date(entry.added_day);
        page.raw("\">");
        page.buf.extend_from_within(date);
        page.raw("</time> <a href=\"");
        page.text(&catalogue.entry_link(entry));
        page.raw("\">");
        page.text(&entry.title);
        page.raw("</a> <span class=\"meta\">");
        page.words(strings.get(Key::in_category));
        page.raw(" <a href=\"#");
        let category = catalogue.category_of(entry);
        page.text(&category.slug);
        page.raw("\">");
        page.text(&category.title);
        page.raw("</a></span></li>\n");
    }
    page.raw("</ul>\n</section>\n");
}

/// A section's heading, description, links to its `feed` and, with the
/// digest's sender `address`, the link asking for its digest.
pub(super) fn section_start(
    catalogue: &Catalogue,
    (category, feed): (&Category, &Subscription),
    depth: usize,
    address: Option<&str>,
    page: &mut Page<'_>,
) {
    let slug = &category.slug;
    let level = if depth < 2 { depth + 2 } else { 4 }.to_string();
    page.raw("<section id=\"");
    page.text(slug);
    page.raw("\" class=\"category\" aria-labelledby=\"");
    page.text(slug);
    page.raw("-title\">\n<h");
    page.raw(&level);
    page.raw(" id=\"");
    page.text(slug);
    page.raw("-title\">");
    page.text(&category.title);
    page.raw("</h");
    page.raw(&level);
    page.raw(">\n<p class=\"meta\">");
    if let Some(description) = truthy(category.description.as_ref()) {
        page.text(description);
        page.raw(" · ");
    }
    page.words(catalogue.strings.get(Key::follow));
    page.raw(" ");
    let urls: Vec<(String, &str)> = (feed.formats.iter())
        .map(|format| (feed.url(catalogue, *format), format.name()))
        .collect();
    page.links(urls.iter().map(|(href, name)| (href.as_str(), *name)));
    by_email(&catalogue.strings, address, Some(slug), page);
    page.raw("</p>\n");
}

/// " · By email: " and a link asking `address` (the digest's sender) for
/// the digest of category `slug`, or of everything; nothing without an
/// address (no `[digest]`).
pub(super) fn by_email(
    strings: &Strings,
    address: Option<&str>,
    slug: Option<&str>,
    page: &mut Page<'_>,
) {
    let Some(address) = address else {
        return;
    };
    page.raw(" · ");
    page.words(strings.get(Key::by_email));
    page.raw(" <a href=\"");
    page.text(&subscribe::link(address, slug));
    page.raw("\">");
    page.words(strings.get(match slug {
        Some(_) => Key::subscribe_category,
        None => Key::subscribe_digest,
    }));
    page.raw("</a>");
}

/// One entry on one line: title, authors, credits and summary (the page's
/// style cuts it to one line on wide screens, two on narrow ones).
pub(super) fn entry_line(catalogue: &Catalogue, entry: &Entry, page: &mut Page<'_>) {
    page.raw("<li id=\"");
    page.text(&entry.id);
    page.raw("\"");
    let language = truthy(entry.language.as_ref());
    if let Some(language) = language.filter(|&l| l != catalogue.site.language) {
        page.raw(" lang=\"");
        page.text(language);
        page.raw("\"");
    }
    page.raw(">");
    match &entry.url {
        Some(url) => {
            page.raw("<a href=\"");
            page.text(url.as_str());
            page.raw("\">");
            page.text(&entry.title);
            page.raw("</a>");
        }
        None => page.text(&entry.title),
    }
    if !entry.authors.is_empty() {
        page.raw(" <span class=\"meta\">");
        page.words(catalogue.strings.get(Key::by));
        page.raw(" ");
        page.joined(&entry.authors);
        page.raw("</span>");
    }
    credit_links(catalogue, &entry.by, page);
    if let Some(html) = truthy(entry.summary.as_ref().map(|s| &s.html)) {
        page.raw(" <div class=\"summary\">");
        page.raw(html);
        page.raw("</div>");
    }
    page.raw("</li>\n");
}

/// "suggested by @a, @b", each handle linked to the contributor's URI, or
/// else to their line in the page's list of contributors.
fn credit_links(catalogue: &Catalogue, handles: &[String], page: &mut Page<'_>) {
    if handles.is_empty() {
        return;
    }
    page.raw(" <span class=\"credits\">");
    page.words(catalogue.strings.get(Key::suggested_by));
    page.raw(" ");
    for (index, handle) in handles.iter().enumerate() {
        if index > 0 {
            page.raw(", ");
        }
        let known = catalogue.contributors.get(handle);
        page.raw("<a href=\"");
        match known.and_then(|k| truthy(k.uri.as_ref())) {
            Some(uri) => page.text(uri),
            None => {
                page.raw("#@");
                page.text(handle);
            }
        }
        page.raw("\">@");
        page.text(handle);
        page.raw("</a>");
    }
    page.raw("</span>");
}

/// The update log, when there is one.
pub(super) fn updates(catalogue: &Catalogue, page: &mut Page<'_>) -> io::Result<()> {
    let (updates, strings) = (&catalogue.updates, &catalogue.strings);
    if updates.is_empty() {
        return Ok(());
    }
    page.raw("<section id=\"updates\" aria-labelledby=\"updates-title\">\n");
    page.raw("<h2 id=\"updates-title\">");
    page.words(strings.get(Key::updates));
    page.raw("</h2>\n<ul>\n");
    for update in updates {
        page.raw("<li id=\"");
        page.text(&update.id);
        page.raw("\"><time datetime=\"");
        let date = page.date(update.day);
        page.raw("\">");
        page.buf.extend_from_within(date);
        page.raw("</time> ");
        page.raw(&update.note.html);
        if !update.announces.is_empty() {
            page.raw(" <span class=\"meta\">");
            page.words(&strings.count(Key::new_count_one, update.announces.len()));
            page.raw("</span>");
        }
        page.raw("</li>\n");
        page.spill()?;
    }
    page.raw("</ul>\n</section>\n");
    Ok(())
}

/// The list of everyone credited, each line the anchor their handles link to.
pub(super) fn contributor_list(
    catalogue: &Catalogue,
    credited: &[tree::Credited<'_>],
    page: &mut Page<'_>,
) {
    if credited.is_empty() {
        return;
    }
    page.raw("<section id=\"contributors\" aria-labelledby=\"contributors-title\">\n");
    page.raw("<h2 id=\"contributors-title\">");
    page.words(catalogue.strings.get(Key::contributors));
    page.raw("</h2>\n<ul class=\"contributors\">\n");
    for credit in credited {
        page.raw("<li id=\"@");
        page.text(credit.handle);
        page.raw("\">");
        match credit.uri {
            Some(uri) => {
                page.raw("<a href=\"");
                page.text(uri);
                page.raw("\">@");
                page.text(credit.handle);
                page.raw("</a>");
            }
            None => {
                page.raw("@");
                page.text(credit.handle);
            }
        }
        if let Some(name) = credit.name.filter(|name| !name.is_empty()) {
            page.raw(" ");
            page.text(name);
        }
        page.raw(" <span class=\"meta\">(");
        page.raw(&credit.count.to_string());
        page.raw(")</span>");
        if credit.first_time {
            page.raw(" <span class=\"first\">");
            page.words(catalogue.strings.get(Key::first_time));
            page.raw("</span>");
        }
        page.raw("</li>\n");
    }
    page.raw("</ul>\n</section>\n");
}
