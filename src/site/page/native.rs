//! The built-in `index.html` and `update.html` (`templates/`) written
//! without the template engine, in a fraction of the time. Must equal its
//! twin, the templates rendered through [`super::context`], byte for byte:
//! `the_native_page_is_the_built_in_template_byte_for_byte` and
//! `the_native_update_is_the_built_in_template_byte_for_byte` (in
//! `page/mod.rs`) prove it over every test catalogue. A change to a
//! template must be made here too (the page's sections are in
//! [`super::sections`]); the page's fixed style and script are read from
//! the template itself, so they cannot drift.

use std::io;
use std::sync::LazyLock;

use super::context::GENERATOR;
use super::sections::{contributor_list, entry_line, recent, section_start, truthy, updates};
use super::sink::Page;
use crate::catalogue::{Catalogue, Entry, Update};
use crate::feed::map::FeedMap;
use crate::site::tree::{self, Tree};
use crate::site::{subscribe, view};
use crate::strings::{Key, Strings};

/// The built-in page's text outside any template syntax, found once.
struct Fixed {
    /// From `<style>` to `<header>`: the page's CSS.
    style: &'static str,
    /// The filter's script, up to the word between the counts.
    script: &'static str,
    /// The script after that word, to the end.
    end: &'static str,
}

static FIXED: LazyLock<Fixed> = LazyLock::new(|| Fixed {
    style: fixed("<style>\n", "<body>\n<header>\n"),
    script: fixed("<script>\n", "shown + "),
    end: fixed(" + items.length", "</html>\n"),
});

const TEMPLATE: &str = include_str!("../../../templates/index.html");

/// The template's text from `from` up to and including `to`: its fixed
/// parts, which hold no template syntax.
fn fixed(from: &str, to: &str) -> &'static str {
    let Some(start) = TEMPLATE.find(from) else {
        return "";
    };
    TEMPLATE
        .get(start..)
        .and_then(|rest| rest.find(to).and_then(|end| rest.get(..end + to.len())))
        .unwrap_or_default()
}

/// The built-in catalogue page.
pub(super) fn catalogue_page(catalogue: &Catalogue, page: &mut Page<'_>) -> io::Result<()> {
    let groups = view::by_category(catalogue, &catalogue.file_order());
    let own: Vec<usize> = groups.iter().map(Vec::len).collect();
    let tree = Tree::new(catalogue, &own);
    let credited = tree::credited(catalogue);
    let address = subscribe::digest_address(catalogue);
    let address = address.as_deref();
    head(catalogue, page);
    header(catalogue, &tree, !credited.is_empty(), address, page);
    page.raw("<main>\n");
    recent(catalogue, page);
    let feeds = FeedMap::new(catalogue);
    for index in tree.order() {
        let (Some(category), Some(indices), Some(feed)) = (
            catalogue.categories.get(index),
            groups.get(index),
            feeds.category(index),
        ) else {
            continue;
        };
        section_start(
            catalogue,
            (category, feed),
            tree.depth(index),
            address,
            page,
        );
        if !indices.is_empty() {
            page.raw("<ul class=\"entries\">\n");
            for entry in indices.iter().filter_map(|&i| catalogue.entries.get(i)) {
                entry_line(catalogue, entry, page);
                page.spill()?;
            }
            page.raw("</ul>\n");
        }
        page.raw("</section>\n");
    }
    updates(catalogue, page)?;
    contributor_list(catalogue, &credited, page);
    let strings = &catalogue.strings;
    page.raw("</main>\n<footer class=\"meta\"><p>");
    page.words(&strings.fill(Key::published_with, &[("generator", GENERATOR)]));
    page.raw("</p></footer>\n");
    page.raw(FIXED.script);
    page.raw(&crate::strings::js(&format!(
        " {} ",
        strings.get(Key::filter_of)
    )));
    page.raw(FIXED.end);
    Ok(())
}

/// From the doctype to `<header>`.
fn head(catalogue: &Catalogue, page: &mut Page<'_>) {
    let site = &catalogue.site;
    page.raw("<!DOCTYPE html>\n<html lang=\"");
    page.text(&site.language);
    page.raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.raw("<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    page.text(&site.title);
    page.raw("</title>\n");
    if let Some(description) = truthy(site.description.as_ref()) {
        page.raw("<meta name=\"description\" content=\"");
        page.text(description);
        page.raw("\">\n");
    }
    page.raw("<meta name=\"generator\" content=\"");
    page.text(GENERATOR);
    page.raw("\">\n<link rel=\"canonical\" href=\"");
    page.url(site.url(""));
    page.raw("\">\n");
    if let Some(icon) = &site.icon {
        page.raw("<link rel=\"icon\" href=\"");
        page.text(icon);
        page.raw("\">\n");
    }
    for feed in view::feed_links(catalogue) {
        page.raw("<link rel=\"alternate\" type=\"");
        page.text(feed.mime);
        page.raw("\" title=\"");
        page.text(&feed.title);
        page.raw("\" href=\"");
        page.text(&feed.href);
        page.raw("\">\n");
    }
    page.raw(FIXED.style);
}

/// The header's title, feed links, filter box and table of contents.
fn header(
    catalogue: &Catalogue,
    tree: &Tree,
    credits: bool,
    address: Option<&str>,
    page: &mut Page<'_>,
) {
    let site = &catalogue.site;
    let strings = &catalogue.strings;
    page.raw("<h1>");
    page.text(&site.title);
    page.raw("</h1>\n");
    if let Some(description) = truthy(site.description.as_ref()) {
        page.raw("<p>");
        page.text(description);
        page.raw("</p>\n");
    }
    super::follow::rows(catalogue, address, page);
    filter(strings, page);
    toc(catalogue, tree, tree.roots(), page);
    let extra = [
        (
            !catalogue.entries.is_empty(),
            "recently-added",
            Key::recently_added,
        ),
        (!catalogue.updates.is_empty(), "updates", Key::updates),
        (credits, "contributors", Key::contributors),
    ];
    for (_, id, title) in extra.into_iter().filter(|(shown, ..)| *shown) {
        page.raw("<li><a href=\"#");
        page.raw(id);
        page.raw("\">");
        page.words(strings.get(title));
        page.raw("</a></li>\n");
    }
    page.raw("</ul>\n</nav>\n</header>\n");
}

/// The filter box (shown by the script) and the start of the table of contents.
fn filter(strings: &Strings, page: &mut Page<'_>) {
    page.raw("<form class=\"filter\" role=\"search\" hidden><label for=\"filter\">");
    page.words(strings.get(Key::filter));
    page.raw("</label> <input id=\"filter\" type=\"search\" placeholder=\"");
    page.words(strings.get(Key::filter_placeholder));
    page.raw(
        "\" autocomplete=\"off\"> <output id=\"filter-count\" for=\"filter\"></output></form>\n",
    );
    page.raw("<nav class=\"toc\" aria-label=\"");
    page.words(strings.get(Key::categories));
    page.raw("\">\n<ul>\n");
}

/// The table of contents' items for `indices`, each with its subcategories.
fn toc(catalogue: &Catalogue, tree: &Tree, indices: &[usize], page: &mut Page<'_>) {
    for &index in indices {
        let Some(category) = catalogue.categories.get(index) else {
            continue;
        };
        page.raw("<li><a href=\"#");
        page.text(&category.slug);
        page.raw("\">");
        page.text(&category.title);
        page.raw("</a> (");
        page.raw(&tree.total(index).to_string());
        page.raw(")");
        let children = tree.children(index);
        if !children.is_empty() {
            page.raw("\n<ul>\n");
            toc(catalogue, tree, children, page);
            page.raw("</ul>\n");
        }
        page.raw("</li>\n");
    }
}

/// The credited `handles` joined by ", ", each linked where it has a URI.
fn contributors(catalogue: &Catalogue, handles: &[String], page: &mut Page<'_>) {
    for (index, handle) in handles.iter().enumerate() {
        if index > 0 {
            page.raw(", ");
        }
        // As `Catalogue::credit`, without copying the strings.
        let Some(known) = catalogue.contributors.get(handle) else {
            page.text("@");
            page.text(handle);
            continue;
        };
        match truthy(known.uri.as_ref()) {
            Some(uri) => {
                page.raw("<a href=\"");
                page.text(uri);
                page.raw("\">");
                page.text(&known.name);
                page.raw("</a>");
            }
            None => page.text(&known.name),
        }
    }
}

/// The built-in `update.html`: the note, the entries it announces by
/// category, and the thanks.
pub(super) fn update_item(catalogue: &Catalogue, update: &Update) -> String {
    let mut page = Page::new(Vec::new(), None);
    page.raw(&update.note.html);
    page.raw("\n");
    let mut groups: Vec<Vec<&Entry>> = vec![Vec::new(); catalogue.categories.len()];
    for entry in update
        .announces
        .iter()
        .filter_map(|&i| catalogue.entries.get(i))
    {
        if let Some(group) = groups.get_mut(entry.category) {
            group.push(entry);
        }
    }
    for (category, entries) in catalogue.categories.iter().zip(groups) {
        if entries.is_empty() {
            continue;
        }
        page.raw("<h3>");
        page.text(&category.title);
        page.raw("</h3>\n<ul>\n");
        for entry in entries {
            page.raw("<li><a href=\"");
            page.text(&catalogue.entry_link(entry));
            page.raw("\">");
            page.text(&entry.title);
            page.raw("</a>");
            if !entry.authors.is_empty() {
                page.raw(" ");
                page.words(catalogue.strings.get(Key::by));
                page.raw(" ");
                page.joined(&entry.authors);
            }
            page.raw("</li>\n");
        }
        page.raw("</ul>\n");
    }
    if !update.by.is_empty() {
        let mut names = Page::new(Vec::new(), None);
        contributors(catalogue, &update.by, &mut names);
        let names = String::from_utf8_lossy(&names.buf);
        let thanks = crate::strings::html(catalogue.strings.get(Key::thanks_to));
        page.raw("<p>");
        page.raw(&crate::strings::fill(&thanks, &[("names", &names)]));
        page.raw("</p>\n");
    }
    String::from_utf8(page.buf)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}
