//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>) with serde_json.
//! Credited contributors travel in the `_oyez` extension object.
//! No twin: serde_json itself writes it (no native fast path); its fields
//! are checked by `tests/cli/jsonfeed.rs`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::{Channel, FeedError, Item};
use crate::catalogue::{Catalogue, Credit};

pub const FILE: &str = "feed.json";
const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    language: &'a str,
    authors: Vec<Author>,
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
struct Author {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct FeedItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(rename = "_oyez")]
    oyez: Extension<'a>,
}

#[derive(Serialize)]
struct Extension<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    contributors: &'a [Credit],
}

pub fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
    let site_author = super::atom::site_author(catalogue);
    let feed = Feed {
        version: VERSION,
        title: &channel.title,
        home_page_url: &channel.home,
        feed_url: channel.url(catalogue, FILE),
        description: channel.subtitle.as_deref(),
        language: channel.language(catalogue),
        authors: vec![Author {
            name: site_author.name,
            url: site_author.uri,
        }],
        hubs: super::hubs(catalogue, channel)
            .iter()
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .collect(),
        items: channel.items.iter().map(item).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&feed).map_err(|err| FeedError(err.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn item(item: &Item) -> FeedItem<'_> {
    // JSON Feed requires content_html or content_text: fall back to the title.
    let content_text = match (&item.content_html, &item.content_text) {
        (Some(_), text) => text.as_deref(),
        (None, _) => Some(item.title.as_str()),
    };
    FeedItem {
        id: &item.id,
        url: &item.link,
        title: &item.title,
        content_html: item.content_html.as_deref(),
        content_text,
        date_published: rfc3339(item.published),
        date_modified: rfc3339(item.updated),
        authors: item
            .authors
            .iter()
            .map(|name| Author {
                name: name.clone(),
                url: None,
            })
            .collect(),
        tags: item
            .categories
            .iter()
            .map(|(term, _)| term.as_str())
            .collect(),
        language: item.language.as_deref(),
        oyez: Extension {
            contributors: &item.contributors,
        },
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
