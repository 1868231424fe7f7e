//! Atom 1.0 (RFC 4287) through the atom_syndication crate.

use std::collections::BTreeMap;

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use chrono::{DateTime, Utc};

use super::{Channel, FeedError, Item, archive};
use crate::catalogue::{Catalogue, Credit};

pub const FILE: &str = "atom.xml";

pub fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
    let feed = Feed {
        title: Text::plain(channel.title.clone()),
        id: channel.url(catalogue, FILE),
        updated: fixed(channel.updated),
        authors: vec![site_author(catalogue)],
        links: channel_links(catalogue, channel),
        subtitle: channel.subtitle.clone().map(Text::plain),
        generator: Some(Generator {
            value: "oyez".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        lang: Some(catalogue.site.language.clone()),
        entries: channel.items.iter().map(entry).collect(),
        namespaces: if channel.is_archive() {
            BTreeMap::from([("fh".into(), archive::NAMESPACE.into())])
        } else {
            BTreeMap::new()
        },
        ..Feed::default()
    };
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    let mut bytes = feed
        .write_with_config(Vec::new(), config)
        .map_err(|err| FeedError(err.to_string()))?;
    bytes.push(b'\n');
    if channel.is_archive() {
        bytes = mark_archive(bytes);
    }
    Ok(bytes)
}

fn channel_links(catalogue: &Catalogue, channel: &Channel) -> Vec<Link> {
    let mut links = vec![
        link(
            "self",
            channel.url(catalogue, FILE),
            Some("application/atom+xml"),
        ),
        link("alternate", channel.home.clone(), Some("text/html")),
    ];
    links.extend(channel.links.iter().map(|(rel, dir)| {
        link(
            rel,
            catalogue.site_url(&format!("{dir}{FILE}")),
            Some("application/atom+xml"),
        )
    }));
    links
}

/// RFC 5005 section 4: `<fh:archive/>` marks an archive document. RFC
/// 4287's schema wants extension elements before the entries, and the
/// crate writes them after, so the marker goes in before the first
/// `<entry>` tag (text is escaped, so the first such bytes are the tag).
fn mark_archive(bytes: Vec<u8>) -> Vec<u8> {
    const MARKER: &[u8] = b"  <fh:archive/>\n";
    let at = bytes
        .windows(ENTRY.len())
        .position(|window| window == ENTRY)
        .map_or_else(|| bytes.len().saturating_sub(CLOSE.len()), |at| at + 1);
    let mut marked = Vec::with_capacity(bytes.len() + MARKER.len());
    marked.extend_from_slice(&bytes[..at]);
    marked.extend_from_slice(MARKER);
    marked.extend_from_slice(&bytes[at..]);
    marked
}

const ENTRY: &[u8] = b"\n  <entry>";
const CLOSE: &[u8] = b"</feed>\n";

fn entry(item: &Item) -> Entry {
    Entry {
        title: Text::plain(item.title.clone()),
        id: item.id.clone(),
        updated: fixed(item.updated),
        published: Some(fixed(item.published)),
        authors: item
            .authors
            .iter()
            .map(|name| person(name.clone(), None))
            .collect(),
        contributors: item.contributors.iter().map(contributor).collect(),
        links: vec![link("alternate", item.link.clone(), None)],
        categories: item
            .categories
            .iter()
            .map(|(term, label)| Category {
                term: term.clone(),
                scheme: None,
                label: label.clone(),
            })
            .collect(),
        content: item.content_html.as_ref().map(|html| Content {
            value: Some(html.clone()),
            content_type: Some("html".into()),
            lang: item.language.clone(),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

pub(crate) fn site_author(catalogue: &Catalogue) -> Person {
    match &catalogue.site.author {
        Some(author) => Person {
            name: author.name.clone(),
            email: author.email.clone(),
            uri: author.uri.clone(),
            ..Person::default()
        },
        None => person(
            catalogue.site.title.clone(),
            Some(catalogue.site.base_url.to_string()),
        ),
    }
}

fn contributor(credit: &Credit) -> Person {
    person(credit.name.clone(), credit.uri.clone())
}

fn person(name: String, uri: Option<String>) -> Person {
    Person {
        name,
        email: None,
        uri,
        ..Person::default()
    }
}

fn link(rel: &str, href: String, mime_type: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.into(),
        mime_type: mime_type.map(Into::into),
        ..Link::default()
    }
}

fn fixed(at: DateTime<Utc>) -> FixedDateTime {
    at.fixed_offset()
}
