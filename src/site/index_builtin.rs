//! The built-in `index.html` (`templates/index.html`) without the template
//! engine: the same bytes in a fraction of the time, as a test checks
//! against minijinja over every test catalogue. A change to the template
//! must be made here too (the sections are in `index_sections`); its fixed
//! style and script are read from the template itself, so they cannot drift.

use std::io;

use super::html::{GENERATOR, Page, truthy};
use super::index_sections::{
    by_email, contributor_list, entry_line, recent, section_start, updates,
};
use super::tree::{self, Tree};
use super::{borrowed, subscribe, view};
use crate::catalogue::Catalogue;

const TEMPLATE: &str = include_str!("../../templates/index.html");

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

/// From `<style>` to `<header>`.
fn style() -> &'static str {
    fixed("<style>\n", "<body>\n<header>\n")
}

/// The filter box and the start of the table of contents.
fn filter() -> &'static str {
    fixed(
        "<form class=\"filter\"",
        "aria-label=\"Categories\">\n<ul>\n",
    )
}

/// The filter's script to the end.
fn script() -> &'static str {
    fixed("<script>\n", "</html>\n")
}

pub(super) fn builtin_page(catalogue: &Catalogue, page: &mut Page<'_>) -> io::Result<()> {
    let groups = borrowed::entries_by_category(catalogue);
    let own: Vec<usize> = groups.iter().map(Vec::len).collect();
    let tree = Tree::new(catalogue, &own);
    let credited = tree::credited(catalogue);
    let address = subscribe::digest_address(catalogue);
    let address = address.as_deref();
    head(catalogue, page);
    header(catalogue, &tree, !credited.is_empty(), address, page);
    page.raw("<main>\n");
    recent(catalogue, page);
    for index in tree.order() {
        let (Some(category), Some(indices)) = (catalogue.categories.get(index), groups.get(index))
        else {
            continue;
        };
        section_start(catalogue, category, tree.depth(index), address, page);
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
    updates(&catalogue.updates, page)?;
    contributor_list(&credited, page);
    page.raw("</main>\n<footer class=\"meta\"><p>Published with ");
    page.text(GENERATOR);
    page.raw(".</p></footer>\n");
    page.raw(script());
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
    page.text(site.base_url.as_str());
    page.raw("\">\n");
    for feed in view::feed_links(catalogue) {
        page.raw("<link rel=\"alternate\" type=\"");
        page.text(feed.mime);
        page.raw("\" title=\"");
        page.text(&feed.title);
        page.raw("\" href=\"");
        page.text(&feed.href);
        page.raw("\">\n");
    }
    page.raw(style());
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
    page.raw("<h1>");
    page.text(&site.title);
    page.raw("</h1>\n");
    if let Some(description) = truthy(site.description.as_ref()) {
        page.raw("<p>");
        page.text(description);
        page.raw("</p>\n");
    }
    follow(catalogue, address, page);
    page.raw(filter());
    toc(catalogue, tree, tree.roots(), page);
    let extra = [
        (
            !catalogue.entries.is_empty(),
            "recently-added",
            "Recently added",
        ),
        (!catalogue.updates.is_empty(), "updates", "Updates"),
        (credits, "contributors", "Contributors"),
    ];
    for (_, id, title) in extra.into_iter().filter(|(shown, ..)| *shown) {
        page.raw("<li><a href=\"#");
        page.raw(id);
        page.raw("\">");
        page.raw(title);
        page.raw("</a></li>\n");
    }
    page.raw("</ul>\n</nav>\n</header>\n");
}

/// The entry count, the site's feed links and, with the digest's sender
/// `address`, the link asking for the whole digest.
fn follow(catalogue: &Catalogue, address: Option<&str>, page: &mut Page<'_>) {
    let base = catalogue.site.base_url.as_str();
    page.raw("<p>");
    page.raw(&catalogue.entries.len().to_string());
    page.raw(" resources. Follow: ");
    let feeds = [
        ("atom.xml", "Atom"),
        ("rss.xml", "RSS"),
        ("feed.json", "JSON Feed"),
        ("updates/atom.xml", "updates only"),
    ];
    let updates = usize::from(!catalogue.updates.is_empty());
    for (index, (path, name)) in feeds.into_iter().take(3 + updates).enumerate() {
        if index > 0 {
            page.raw(" · ");
        }
        page.raw("<a href=\"");
        page.text(base);
        page.raw(path);
        page.raw("\">");
        page.raw(name);
        page.raw("</a>");
    }
    by_email(address, None, page);
    page.raw("</p>\n");
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
