//! RSS 2.0 through the rss crate, with `atom:link` self and archive links
//! and Dublin Core creators and contributors.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel as RssChannel, Guid, Item as RssItem};

use super::{Channel, FeedError, Item, archive};
use crate::catalogue::Catalogue;

pub const FILE: &str = "rss.xml";

pub fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
    let mut links = vec![atom_link("self", channel.url(catalogue, FILE))];
    links.extend(
        channel
            .links
            .iter()
            .map(|(rel, dir)| atom_link(rel, catalogue.site_url(&format!("{dir}{FILE}")))),
    );
    let mut namespaces = BTreeMap::from([
        ("atom".into(), "http://www.w3.org/2005/Atom".into()),
        ("dc".into(), "http://purl.org/dc/elements/1.1/".into()),
    ]);
    let mut extensions = ExtensionMap::new();
    if channel.is_archive() {
        namespaces.insert("fh".into(), archive::NAMESPACE.into());
        extensions.insert("fh".into(), archive_marker());
    }
    let rss = RssChannel {
        title: channel.title.clone(),
        link: channel.home.clone(),
        description: channel
            .subtitle
            .clone()
            .unwrap_or_else(|| channel.title.clone()),
        language: Some(catalogue.site.language.clone()),
        last_build_date: Some(rfc2822(channel.updated)),
        generator: Some(format!("oyez {}", env!("CARGO_PKG_VERSION"))),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        items: channel.items.iter().map(item).collect(),
        atom_ext: Some(AtomExtension { links }),
        namespaces,
        extensions,
        ..RssChannel::default()
    };
    let mut bytes = rss
        .pretty_write_to(Vec::new(), b' ', 2)
        .map_err(|err| FeedError(err.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn item(item: &Item) -> RssItem {
    let dublin_core = DublinCoreExtension {
        creators: item.authors.clone(),
        contributors: item
            .contributors
            .iter()
            .map(|credit| credit.name.clone())
            .collect(),
        ..DublinCoreExtension::default()
    };
    let has_dublin_core = !dublin_core.creators.is_empty() || !dublin_core.contributors.is_empty();
    RssItem {
        title: Some(item.title.clone()),
        link: Some(item.link.clone()),
        description: item.content_html.clone(),
        categories: item
            .categories
            .iter()
            .map(|(term, _)| Category {
                name: term.clone(),
                domain: None,
            })
            .collect(),
        guid: Some(Guid {
            value: item.id.clone(),
            permalink: false,
        }),
        pub_date: Some(rfc2822(item.published)),
        dublin_core_ext: has_dublin_core.then_some(dublin_core),
        ..RssItem::default()
    }
}

/// RFC 5005 section 4: `<fh:archive/>` marks an archive document.
fn archive_marker() -> BTreeMap<String, Vec<Extension>> {
    let marker = Extension {
        name: "fh:archive".into(),
        ..Extension::default()
    };
    BTreeMap::from([("archive".into(), vec![marker])])
}

fn atom_link(rel: &str, href: String) -> Link {
    Link {
        href,
        rel: rel.into(),
        mime_type: Some("application/rss+xml".into()),
        ..Link::default()
    }
}

/// RFC 2822 with `+0000`, as RSS 2.0 expects.
pub(crate) fn rfc2822(at: DateTime<Utc>) -> String {
    at.to_rfc2822()
}
