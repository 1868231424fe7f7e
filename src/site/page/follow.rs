//! The page header's ways to follow the list: the site's feeds and the
//! digest, the OPML files, and a row each for the tag and language feeds.

use super::sections::by_email;
use super::sink::Page;
use crate::catalogue::Catalogue;
use crate::site::view::{self, FeedLink};
use crate::strings::Key;

/// Every follow row of the header, in the page's order.
pub(super) fn rows(catalogue: &Catalogue, address: Option<&str>, page: &mut Page<'_>) {
    let strings = &catalogue.strings;
    follow(catalogue, address, page);
    page.raw("<p>");
    page.words(strings.get(Key::every_feed));
    page.raw(" ");
    page.links([(view::opml_url(catalogue).as_str(), "OPML")]);
    page.raw("</p>\n");
    if let Some(url) = view::entries_opml_url(catalogue) {
        page.raw("<p>");
        page.words(strings.get(Key::entries_opml));
        page.raw(" ");
        page.links([(url.as_str(), "OPML")]);
        page.raw("</p>\n");
    }
    follow_rows(
        strings.get(Key::follow_tag),
        &view::tag_links(catalogue),
        page,
    );
    let languages = view::language_links(catalogue);
    follow_rows(strings.get(Key::follow_language), &languages, page);
}

/// The entry count, the site's feed links and, with the digest's sender
/// `address`, the link asking for the whole digest.
fn follow(catalogue: &Catalogue, address: Option<&str>, page: &mut Page<'_>) {
    let strings = &catalogue.strings;
    page.raw("<p>");
    page.words(&strings.count(Key::resources_one, catalogue.entries.len()));
    page.raw(" ");
    page.words(strings.get(Key::follow));
    page.raw(" ");
    let links = view::follow_links(catalogue);
    page.links(
        links
            .iter()
            .map(|link| (link.href.as_str(), link.name.as_str())),
    );
    by_email(strings, address, None, page);
    page.raw("</p>\n");
}

/// `lead` ("Follow a tag:") and a link to each of `links`; nothing
/// without links.
fn follow_rows(lead: &str, links: &[FeedLink], page: &mut Page<'_>) {
    if links.is_empty() {
        return;
    }
    page.raw("<p>");
    page.words(lead);
    page.raw(" ");
    page.links(
        links
            .iter()
            .map(|link| (link.href.as_str(), link.title.as_str())),
    );
    page.raw("</p>\n");
}
