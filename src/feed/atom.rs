//! Atom 1.0 (RFC 4287), written by a streaming writer (`xml.rs`) in
//! the layout the atom_syndication crate uses; `reference.rs` holds the
//! crate-built version the tests compare with, byte for byte.

use atom_syndication::Person;
use chrono::{DateTime, Utc};

use super::xml::Xml;
use super::{Channel, FeedError, Item, archive};
use crate::catalogue::Catalogue;

pub const FILE: &str = "atom.xml";
const NAMESPACE: &str = "http://www.w3.org/2005/Atom";
const MIME: &str = "application/atom+xml";

pub fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
    let capacity = 2048 + channel.items.len() * 1536;
    let mut xml = Xml::new(r#"<?xml version="1.0"?>"#, capacity);
    let language = catalogue.site.language.as_str();
    if channel.is_archive() {
        let attributes = [
            ("xmlns", NAMESPACE),
            ("xmlns:fh", archive::NAMESPACE),
            ("xml:lang", language),
        ];
        xml.open("feed", &attributes);
    } else {
        xml.open("feed", &[("xmlns", NAMESPACE), ("xml:lang", language)]);
    }
    xml.text("title", &[], &channel.title);
    xml.text("id", &[], &channel.url(catalogue, FILE));
    xml.text("updated", &[], &rfc3339(channel.updated));
    person(&mut xml, "author", &site_author(catalogue));
    let version = env!("CARGO_PKG_VERSION");
    xml.text("generator", &[("version", version)], "oyez");
    let own = channel.url(catalogue, FILE);
    xml.empty("link", &[("href", &own), ("rel", "self"), ("type", MIME)]);
    let home = [
        ("href", channel.home.as_str()),
        ("rel", "alternate"),
        ("type", "text/html"),
    ];
    xml.empty("link", &home);
    for (rel, dir) in &channel.links {
        let href = catalogue.site_url(&format!("{dir}{FILE}"));
        xml.empty("link", &[("href", &href), ("rel", rel), ("type", MIME)]);
    }
    if let Some(subtitle) = &channel.subtitle {
        xml.text("subtitle", &[], subtitle);
    }
    if channel.is_archive() {
        // RFC 5005 section 4; RFC 4287 wants extensions before the entries.
        xml.empty("fh:archive", &[]);
    }
    for item in &channel.items {
        entry(&mut xml, item);
    }
    xml.close("feed");
    Ok(xml.finish())
}

fn entry(xml: &mut Xml, item: &Item) {
    xml.open("entry", &[]);
    xml.text("title", &[], &item.title);
    xml.text("id", &[], &item.id);
    xml.text("updated", &[], &rfc3339(item.updated));
    for name in &item.authors {
        xml.open("author", &[]);
        xml.text("name", &[], name);
        xml.close("author");
    }
    for (term, label) in &item.categories {
        match label {
            Some(label) => xml.empty("category", &[("term", term), ("label", label)]),
            None => xml.empty("category", &[("term", term)]),
        }
    }
    for credit in &item.contributors {
        xml.open("contributor", &[]);
        xml.text("name", &[], &credit.name);
        if let Some(uri) = &credit.uri {
            xml.text("uri", &[], uri);
        }
        xml.close("contributor");
    }
    xml.empty("link", &[("href", &item.link), ("rel", "alternate")]);
    xml.text("published", &[], &rfc3339(item.published));
    if let Some(html) = &item.content_html {
        match &item.language {
            Some(language) => {
                xml.text("content", &[("xml:lang", language), ("type", "html")], html)
            }
            None => xml.text("content", &[("type", "html")], html),
        }
    }
    xml.close("entry");
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
        Some(author) => Person {
            name: author.name.clone(),
            email: author.email.clone(),
            uri: author.uri.clone(),
            ..Person::default()
        },
        None => Person {
            name: catalogue.site.title.clone(),
            email: None,
            uri: Some(catalogue.site.base_url.to_string()),
            ..Person::default()
        },
    }
}

/// RFC 3339 as atom_syndication writes it (`+00:00`, fractions kept).
fn rfc3339(at: DateTime<Utc>) -> String {
    at.fixed_offset().to_rfc3339()
}
