//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>) with serde_json.
//! Credited contributors travel in the `_oyez` extension object. A feed
//! with RFC 5005 archive pages names the newest page in `next_url`, and
//! each page the one before it (JSON Feed's pagination, oldest last).
//! serde_json writes the subscription feeds (indented). The archive pages,
//! which together hold every entry, are written compact by `Compact`,
//! whose twin is `serde_json::to_vec` of the same `Feed` (`json/compact.rs`
//! tests); the fields are checked by `tests/cli/jsonfeed.rs`.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

mod compact;

use self::compact::Compact;
use super::view::{Credits, ItemView, Parts};
use super::{Channel, FeedError, archive};
use crate::catalogue::Catalogue;

pub const FILE: &str = "feed.json";
const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    /// The older items: the archive page before this document.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// `[site] logo`, else `icon`.
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    /// `[site] icon`.
    #[serde(skip_serializing_if = "Option::is_none")]
    favicon: Option<&'a str>,
    language: &'a str,
    authors: Vec<Author<'a>>,
    /// WebSub hubs (JSON Feed 1.1 `hubs`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<FeedItem<'a>>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct FeedItem<'a> {
    id: Joined<'a>,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    /// The summary as plain text, when the content is the full text.
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    /// The thumbnail (`image`).
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    /// The enclosure, as an attachment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
    #[serde(rename = "_oyez")]
    oyez: Extension<'a>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    size_in_bytes: u64,
}

/// A text in [`Parts`], serialized as one string.
struct Joined<'a>(Parts<'a>);

impl Serialize for Joined<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.0.iter().try_for_each(|part| f.write_str(part))
    }
}

#[derive(Serialize)]
struct Extension<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contributors: Vec<Contributor<'a>>,
}

/// A credit: its handle when the item has it, name and uri.
#[derive(Serialize)]
struct Contributor<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    handle: Option<&'a str>,
    name: &'a str,
    uri: Option<&'a str>,
}

pub fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
    let items: Vec<ItemView<'_>> = channel.items.iter().map(ItemView::from).collect();
    write(catalogue, channel, &items)
}

/// The document of `channel` holding `items` (not `channel.items`).
pub(crate) fn write(
    catalogue: &Catalogue,
    channel: &Channel,
    items: &[ItemView<'_>],
) -> Result<Vec<u8>, FeedError> {
    let site_author = super::atom::site_author(catalogue);
    let older = channel.links.iter().find(|(rel, _)| rel == archive::PREV);
    let feed = Feed {
        version: VERSION,
        title: &channel.title,
        home_page_url: &channel.home,
        feed_url: channel.url(catalogue, FILE),
        next_url: older.map(|(_, dir)| catalogue.site_url(&format!("{dir}{FILE}"))),
        description: channel.subtitle.as_deref(),
        icon: (catalogue.site.logo.as_deref()).or(catalogue.site.icon.as_deref()),
        favicon: catalogue.site.icon.as_deref(),
        language: channel.language(catalogue),
        authors: vec![Author {
            name: &site_author.name,
            url: site_author.uri.as_deref(),
        }],
        hubs: super::hubs(catalogue, channel)
            .iter()
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .collect(),
        items: items.iter().map(item).collect(),
    };
    // The archive pages, which together hold every entry, are written
    // compact (a fifth smaller); the subscription feeds, indented.
    let mut bytes = match channel.is_archive_page() {
        true => Compact::feed(&feed),
        false => serde_json::to_vec_pretty(&feed).map_err(|err| FeedError(err.to_string()))?,
    };
    bytes.push(b'\n');
    Ok(bytes)
}

fn item<'a>(item: &'a ItemView<'a>) -> FeedItem<'a> {
    // JSON Feed requires content_html or content_text: the full text, else
    // the summary, else the title.
    let (content_html, content_text, summary) = match (item.content(), item.content_html) {
        (Some(content), _) => (Some(content), None, item.content_text),
        (None, Some(html)) => (Some(html), item.content_text, None),
        (None, None) => (None, Some(item.title), None),
    };
    FeedItem {
        id: Joined(item.id),
        url: &item.link,
        title: item.title,
        content_html,
        content_text,
        summary,
        date_published: rfc3339(item.published),
        date_modified: rfc3339(item.updated),
        authors: (item.authors.iter())
            .map(|name| Author { name, url: None })
            .collect(),
        tags: item.categories.iter().map(|(term, _)| term).collect(),
        language: item.language,
        image: item.image(),
        attachments: (item.enclosure().into_iter())
            .map(|enclosure| Attachment {
                url: &enclosure.url,
                mime_type: &enclosure.mime,
                size_in_bytes: enclosure.length,
            })
            .collect(),
        oyez: Extension {
            contributors: contributors(item.contributors),
        },
    }
}

fn contributors(credits: Credits<'_>) -> Vec<Contributor<'_>> {
    match credits {
        Credits::Resolved(credits) => (credits.iter())
            .map(|credit| Contributor {
                handle: Some(&credit.handle),
                name: &credit.name,
                uri: credit.uri.as_deref(),
            })
            .collect(),
        Credits::Named(named) => (named.iter())
            .map(|(name, uri)| Contributor {
                handle: None,
                name,
                uri: uri.as_deref(),
            })
            .collect(),
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
