//! The built-in `index.html` (`templates/index.html`) without the template
//! engine: the same bytes in a fraction of the time, as a test checks
//! against minijinja over every test catalogue. A change to the template
//! must be made here too; its fixed style and script are read from the
//! template itself, so they cannot drift.

use std::io;

use super::html::{GENERATOR, Page, RECENT, truthy};
use super::tree::{self, Tree};
use super::{borrowed, view};
use crate::catalogue::{Catalogue, Category, Entry, Update};

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
    head(catalogue, page);
    header(catalogue, &tree, !credited.is_empty(), page);
    page.raw("<main>\n");
    recent(catalogue, page);
    for index in tree.order() {
        let (Some(category), Some(indices)) = (catalogue.categories.get(index), groups.get(index))
        else {
            continue;
        };
        section_start(catalogue, category, tree.depth(index), page);
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
fn header(catalogue: &Catalogue, tree: &Tree, credits: bool, page: &mut Page<'_>) {
    let site = &catalogue.site;
    let base = site.base_url.as_str();
    page.raw("<h1>");
    page.text(&site.title);
    page.raw("</h1>\n");
    if let Some(description) = truthy(site.description.as_ref()) {
        page.raw("<p>");
        page.text(description);
        page.raw("</p>\n");
    }
    page.raw("<p>");
    page.raw(&catalogue.entries.len().to_string());
    page.raw(" resources. Follow: ");
    let feeds = [
        ("atom.xml", "Atom"),
        ("rss.xml", "RSS"),
        ("feed.json", "JSON Feed"),
        ("updates/atom.xml", "updates only"),
    ];
    for (index, (path, name)) in feeds.into_iter().enumerate() {
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
    page.raw("</p>\n");
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

/// "Recently added": the [`RECENT`] newest entries, one line each.
fn recent(catalogue: &Catalogue, page: &mut Page<'_>) {
    if catalogue.entries.is_empty() {
        return;
    }
    page.raw("<section id=\"recently-added\" aria-labelledby=\"recently-added-title\">\n");
    page.raw("<h2 id=\"recently-added-title\">Recently added</h2>\n<ul class=\"entries\">\n");
    for entry in catalogue.entries.iter().take(RECENT) {
        page.raw("<li><time datetime=\"");
        let date = page.date(entry.added_day);
        page.raw("\">");
        page.buf.extend_from_within(date);
        page.raw("</time> <a href=\"");
        page.text(&catalogue.entry_link(entry));
        page.raw("\">");
        page.text(&entry.title);
        page.raw("</a> <span class=\"meta\">in <a href=\"#");
        let category = catalogue.category_of(entry);
        page.text(&category.slug);
        page.raw("\">");
        page.text(&category.title);
        page.raw("</a></span></li>\n");
    }
    page.raw("</ul>\n</section>\n");
}

/// A section's heading, description and feed links.
fn section_start(catalogue: &Catalogue, category: &Category, depth: usize, page: &mut Page<'_>) {
    let (base, slug) = (catalogue.site.base_url.as_str(), &category.slug);
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
    page.raw("Follow: ");
    for (index, (name, feed)) in [("Atom", "atom.xml"), ("RSS", "rss.xml")]
        .into_iter()
        .enumerate()
    {
        if index > 0 {
            page.raw(" · ");
        }
        page.raw("<a href=\"");
        page.text(base);
        page.raw("categories/");
        page.text(slug);
        page.raw("/");
        page.raw(feed);
        page.raw("\">");
        page.raw(name);
        page.raw("</a>");
    }
    page.raw("</p>\n");
}

/// One entry on one line: title, authors, credits and summary (the page's
/// style cuts it to one line on wide screens, two on narrow ones).
fn entry_line(catalogue: &Catalogue, entry: &Entry, page: &mut Page<'_>) {
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
        page.raw(" <span class=\"meta\">by ");
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
    page.raw(" <span class=\"credits\">suggested by ");
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
fn updates(updates: &[Update], page: &mut Page<'_>) -> io::Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    page.raw("<section id=\"updates\" aria-labelledby=\"updates-title\">\n");
    page.raw("<h2 id=\"updates-title\">Updates</h2>\n<ul>\n");
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
            page.raw(" <span class=\"meta\">(");
            page.raw(&update.announces.len().to_string());
            page.raw(" new)</span>");
        }
        page.raw("</li>\n");
        page.spill()?;
    }
    page.raw("</ul>\n</section>\n");
    Ok(())
}

/// The list of everyone credited, each line the anchor their handles link to.
fn contributor_list(credited: &[tree::Credited<'_>], page: &mut Page<'_>) {
    if credited.is_empty() {
        return;
    }
    page.raw("<section id=\"contributors\" aria-labelledby=\"contributors-title\">\n");
    page.raw("<h2 id=\"contributors-title\">Contributors</h2>\n<ul class=\"contributors\">\n");
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
        page.raw(")</span></li>\n");
    }
    page.raw("</ul>\n</section>\n");
}
