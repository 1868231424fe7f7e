//! RSS 2.0 with `atom:link` self and archive links and Dublin Core creators
//! and contributors, written by a streaming writer (`xml.rs`).
//! Twin: must equal the rss crate's output byte for byte, proved by
//! `tests/cli/feed_twins.rs` and the fuzz target `feed_twins`.

use super::date::rfc2822;
use super::view::ItemView;
use super::xml::Xml;
use super::{Channel, FeedError, archive};
use crate::catalogue::{Catalogue, UpdatePeriod};

pub const FILE: &str = "rss.xml";
const MIME: &str = "application/rss+xml";
/// The namespace of `sy:updatePeriod` (RSS 1.0's syndication module).
pub const SYNDICATION: &str = "http://purl.org/rss/1.0/modules/syndication/";
/// `sy:updateBase`: the periods are counted from here.
pub const UPDATE_BASE: &str = "1970-01-01T00:00+00:00";
/// The namespace of `content:encoded`, an item's full text.
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";

pub fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
    let items: Vec<ItemView<'_>> = channel.items.iter().map(ItemView::from).collect();
    Ok(write(catalogue, channel, &items))
}

/// The document of `channel` holding `items` (not `channel.items`).
pub(crate) fn write(catalogue: &Catalogue, channel: &Channel, items: &[ItemView<'_>]) -> Vec<u8> {
    let capacity = 2048 + items.len() * 1280;
    let prolog = super::prolog(
        catalogue,
        r#"<?xml version="1.0" encoding="utf-8"?>"#,
        &channel.dir,
    );
    let mut xml = Xml::new(&prolog, capacity);
    let period = update_period(catalogue, channel);
    let namespaces = namespaces(channel, items, period.is_some());
    xml.open("rss", &namespaces);
    xml.open("channel", &[]);
    head(&mut xml, catalogue, channel);
    if channel.is_archive() {
        // RFC 5005 section 4.
        xml.open("fh:archive", &[]);
        xml.close("fh:archive");
    }
    let own = channel.url(catalogue, FILE);
    xml.empty(
        "atom:link",
        &[("href", &own), ("rel", "self"), ("type", MIME)],
    );
    for hub in super::hubs(catalogue, channel) {
        xml.empty("atom:link", &[("href", hub), ("rel", "hub")]);
    }
    for (rel, dir) in &channel.links {
        let href = catalogue.site.url(&format!("{dir}{FILE}")).joined();
        xml.empty(
            "atom:link",
            &[("href", &href), ("rel", rel), ("type", MIME)],
        );
    }
    if let Some(period) = period {
        xml.text("sy:updatePeriod", &[], period.name());
        xml.text("sy:updateFrequency", &[], "1");
        xml.text("sy:updateBase", &[], UPDATE_BASE);
    }
    for item in items {
        write_item(&mut xml, item);
    }
    xml.close("channel");
    xml.close("rss");
    xml.finish()
}

/// The `rss` element's attributes: the version, then the namespaces the
/// document uses, in name order, as the rss crate writes them.
fn namespaces(
    channel: &Channel,
    items: &[ItemView<'_>],
    syndication: bool,
) -> Vec<(&'static str, &'static str)> {
    let mut namespaces = vec![
        ("version", "2.0"),
        ("xmlns:atom", "http://www.w3.org/2005/Atom"),
    ];
    if items.iter().any(|item| item.content().is_some()) {
        namespaces.push(("xmlns:content", CONTENT));
    }
    namespaces.push(("xmlns:dc", "http://purl.org/dc/elements/1.1/"));
    if channel.is_archive() {
        namespaces.push(("xmlns:fh", archive::NAMESPACE));
    }
    if super::view::any_media(items) {
        namespaces.push(("xmlns:media", super::MEDIA));
    }
    if syndication {
        namespaces.push(("xmlns:sy", SYNDICATION));
    }
    namespaces
}

/// The channel's own elements, from `title` to `image`.
fn head(xml: &mut Xml, catalogue: &Catalogue, channel: &Channel) {
    xml.text("title", &[], &channel.title);
    xml.text("link", &[], &channel.home);
    let description = channel.subtitle.as_ref().unwrap_or(&channel.title);
    xml.text("description", &[], description);
    xml.text("language", &[], channel.language(catalogue));
    xml.date("lastBuildDate", &rfc2822(channel.updated));
    let generator = concat!("oyez ", env!("CARGO_PKG_VERSION"));
    xml.text("generator", &[], generator);
    xml.text("docs", &[], "https://www.rssboard.org/rss-specification");
    if let Some(period) = update_period(catalogue, channel) {
        xml.text("ttl", &[], &period.minutes().to_string());
    }
    if let Some(image) = catalogue
        .site
        .logo
        .as_ref()
        .or(catalogue.site.icon.as_ref())
    {
        xml.open("image", &[]);
        xml.text("url", &[], image);
        xml.text("title", &[], &channel.title);
        xml.text("link", &[], &channel.home);
        xml.close("image");
    }
}

/// The polling hint of a subscription feed (`ttl`, `sy:updatePeriod`):
/// none for archive pages, which are not polled.
fn update_period(catalogue: &Catalogue, channel: &Channel) -> Option<UpdatePeriod> {
    catalogue
        .update_period
        .filter(|_| !channel.is_archive_page())
}

fn write_item(xml: &mut Xml, item: &ItemView<'_>) {
    xml.open("item", &[]);
    xml.text("title", &[], item.title);
    xml.text("link", &[], &item.link);
    if let Some(html) = item.content_html {
        xml.cdata("description", html);
    }
    for (term, _) in item.categories.iter() {
        xml.text("category", &[], term);
    }
    if let Some(enclosure) = item.enclosure() {
        let length = enclosure.length.to_string();
        let attributes = [
            ("url", enclosure.url.as_str()),
            ("length", length.as_str()),
            ("type", enclosure.mime.as_str()),
        ];
        xml.empty("enclosure", &attributes);
    }
    xml.text_parts("guid", &[("isPermaLink", "false")], &item.id.0);
    xml.date("pubDate", &rfc2822(item.published));
    if let Some(content) = item.content() {
        xml.cdata("content:encoded", content);
    }
    super::atom::media(xml, item);
    for (name, _) in item.contributors.iter() {
        xml.text("dc:contributor", &[], &name);
    }
    for name in item.authors {
        xml.text("dc:creator", &[], name);
    }
    xml.close("item");
}
