//! Atom 1.0 (RFC 4287) through the atom_syndication crate.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use chrono::{DateTime, Utc};

use super::{Channel, FeedError, Item};
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
    links.extend(
        channel
            .links
            .iter()
            .map(|(rel, href)| link(rel, href.clone(), Some("application/atom+xml"))),
    );
    links
}

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
