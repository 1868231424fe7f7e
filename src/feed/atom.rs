//! Atom 1.0 (RFC 4287), written by a streaming writer (`xml.rs`).
//! Twin: must equal the atom_syndication crate's output byte for byte,
//! proved by `tests/cli/feed_twins.rs` and the fuzz target `feed_twins`.

use super::date::rfc3339;
use super::view::ItemView;
use super::xml::Xml;
use super::{Channel, FeedError, archive};
use crate::catalogue::{Catalogue, Person};
use crate::strings::Key;

pub const FILE: &str = "atom.xml";
const NAMESPACE: &str = "http://www.w3.org/2005/Atom";
const MIME: &str = "application/atom+xml";

pub fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
    let items: Vec<ItemView<'_>> = channel.items.iter().map(ItemView::from).collect();
    Ok(write(catalogue, channel, &items))
}

/// The document of `channel` holding `items` (not `channel.items`).
pub(crate) fn write(catalogue: &Catalogue, channel: &Channel, items: &[ItemView<'_>]) -> Vec<u8> {
    let capacity = 2048 + items.len() * 1536;
    let prolog = super::prolog(catalogue, r#"<?xml version="1.0"?>"#, &channel.dir);
    let mut xml = Xml::new(&prolog, capacity);
    let mut attributes = vec![("xmlns", NAMESPACE)];
    if channel.is_archive() {
        attributes.push(("xmlns:fh", archive::NAMESPACE));
    }
    if super::view::any_media(items) {
        attributes.push(("xmlns:media", super::MEDIA));
    }
    attributes.push(("xml:lang", channel.language(catalogue)));
    xml.open("feed", &attributes);
    xml.text("title", &[], &channel.title);
    xml.text("id", &[], &channel.url(catalogue, FILE));
    xml.date("updated", &rfc3339(channel.updated));
    person(&mut xml, "author", &site_author(catalogue));
    xml.text("generator", &[("version", super::VERSION)], "oyez");
    if let Some(icon) = &catalogue.site.icon {
        xml.text("icon", &[], icon);
    }
    let own = channel.url(catalogue, FILE);
    xml.empty("link", &[("href", &own), ("rel", "self"), ("type", MIME)]);
    for hub in super::hubs(catalogue, channel) {
        xml.empty("link", &[("href", hub), ("rel", "hub")]);
    }
    let home = [
        ("href", channel.home.as_str()),
        ("rel", "alternate"),
        ("type", "text/html"),
    ];
    xml.empty("link", &home);
    for (rel, dir) in &channel.links {
        let href = catalogue.site.url(&format!("{dir}{FILE}")).joined();
        xml.empty("link", &[("href", &href), ("rel", rel), ("type", MIME)]);
    }
    if let Some(logo) = &catalogue.site.logo {
        xml.text("logo", &[], logo);
    }
    if let Some(subtitle) = &channel.subtitle {
        xml.text("subtitle", &[], subtitle);
    }
    if channel.is_archive() {
        // RFC 5005 section 4; RFC 4287 wants extensions before the entries.
        xml.empty("fh:archive", &[]);
    }
    let words = Words {
        language: channel.language(catalogue),
        in_category: catalogue.strings.get(Key::in_category),
    };
    for item in items {
        entry(&mut xml, item, &words);
    }
    xml.close("feed");
    xml.finish()
}

/// What an entry reads from its feed.
struct Words<'a> {
    /// The feed's `xml:lang`.
    language: &'a str,
    /// The word of a plain-text summary (`{title}, in {category}: {link}`).
    in_category: &'a str,
}

/// `item` as an `<entry>`, with an `xml:lang` of its own when its
/// language is not the feed's (issue 23 §5).
fn entry(xml: &mut Xml, item: &ItemView<'_>, words: &Words<'_>) {
    let own = (item.language).filter(|language| !language.eq_ignore_ascii_case(words.language));
    match own {
        Some(language) => xml.open("entry", &[("xml:lang", language)]),
        None => xml.open("entry", &[]),
    }
    xml.text("title", &[], item.title);
    xml.text_parts("id", &[], &item.id.0);
    xml.date("updated", &rfc3339(item.updated));
    for name in item.authors {
        xml.open("author", &[]);
        xml.text("name", &[], name);
        xml.close("author");
    }
    for (term, label) in item.categories.iter() {
        match label {
            Some(label) => xml.empty("category", &[("term", term), ("label", label)]),
            None => xml.empty("category", &[("term", term)]),
        }
    }
    for (name, uri) in item.contributors.iter() {
        xml.open("contributor", &[]);
        xml.text("name", &[], &name);
        if let Some(uri) = &uri {
            xml.text("uri", &[], uri);
        }
        xml.close("contributor");
    }
    xml.empty("link", &[("href", &item.link), ("rel", "alternate")]);
    if let Some(enclosure) = item.enclosure() {
        let length = enclosure.length.to_string();
        let attributes = [
            ("href", enclosure.url.as_str()),
            ("rel", "enclosure"),
            ("type", enclosure.mime.as_str()),
            ("length", length.as_str()),
        ];
        xml.empty("link", &attributes);
    }
    xml.date("published", &rfc3339(item.published));
    summary_and_content(xml, item, words.in_category);
    media(xml, item);
    xml.close("entry");
}

/// The entry's `<summary>` and `<content>`: the plain-text summary when it
/// has neither (its word `in_category`), else the HTML.
fn summary_and_content(xml: &mut Xml, item: &ItemView<'_>, in_category: &str) {
    if let Some(parts) = item.fallback_summary(in_category) {
        xml.text_parts("summary", &[], &parts);
    }
    // With a `content`, the summary is the summary; else it is the content.
    let content = match (item.content(), item.content_html) {
        (Some(content), summary) => {
            if let Some(summary) = summary {
                xml.text("summary", &[("type", "html")], summary);
            }
            Some(content)
        }
        (None, summary) => summary,
    };
    if let Some(html) = content {
        match item.language {
            Some(language) => {
                xml.text("content", &[("xml:lang", language), ("type", "html")], html)
            }
            None => xml.text("content", &[("type", "html")], html),
        }
    }
}

fn person(xml: &mut Xml, element: &str, person: &Person) {
    xml.open(element, &[]);
    xml.text("name", &[], &person.name);
    if let Some(email) = &person.email {
        xml.text("email", &[], email);
    }
    if let Some(uri) = &person.uri {
        xml.text("uri", &[], uri);
    }
    xml.close(element);
}

/// The feed's author: `[site] author`, else the site itself.
pub(crate) fn site_author(catalogue: &Catalogue) -> Person {
    match &catalogue.site.author {
        Some(author) => author.clone(),
        None => Person {
            name: catalogue.site.title.clone(),
            email: None,
            uri: Some(catalogue.site.url("").joined()),
        },
    }
}

/// The item's media in Media RSS: `<media:content>`, the enclosure or
/// else the image, and `<media:thumbnail>`, the image; each opened and
/// closed, attributes in name order, as the twins write an extension
/// element. Readers that show media (feed-rs among them) read the
/// content, lists show the thumbnail. Shared by Atom and RSS.
pub(crate) fn media(xml: &mut Xml, item: &ItemView<'_>) {
    match (item.enclosure(), item.image()) {
        (Some(enclosure), _) => {
            let length = enclosure.length.to_string();
            let attributes = [
                ("fileSize", length.as_str()),
                ("type", enclosure.mime.as_str()),
                ("url", enclosure.url.as_str()),
            ];
            xml.open("media:content", &attributes);
            xml.close("media:content");
        }
        (None, Some(image)) => {
            xml.open("media:content", &[("medium", "image"), ("url", image)]);
            xml.close("media:content");
        }
        (None, None) => {}
    }
    if let Some(image) = item.image() {
        xml.open("media:thumbnail", &[("url", image)]);
        xml.close("media:thumbnail");
    }
}
