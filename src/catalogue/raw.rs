//! A serde mirror of `FORMAT.md`: what the TOML files say, before validation.
//! Unknown keys are errors (`deny_unknown_fields`), so typos are caught.
//! Fields that later checks point at keep their span (`Spanned`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    pub(crate) site: Site,
    #[serde(default)]
    pub(crate) category: Vec<Category>,
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "BTreeMap<String, Contributor>"))]
    pub(crate) contributors: BTreeMap<Spanned<String>, Contributor>,
    #[serde(default)]
    pub(crate) feeds: Feeds,
    #[cfg_attr(test, schemars(with = "Option<Digest>"))]
    pub(crate) digest: Option<Spanned<Digest>>,
    #[serde(default)]
    pub(crate) list: List,
    /// The catalogue's own words in place of the built-in ones (issue 23 §5).
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "BTreeMap<String, String>"))]
    pub(crate) strings: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// `[list]`: Markdown the README keeps as written (issue 22).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct List {
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) header: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) intro: Option<Spanned<String>>,
    /// The entries' list marker: `-` (default), `*` or `+`.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) marker: Option<Spanned<String>>,
    /// One level of nesting: two spaces (default), four, or a tab.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) indent: Option<Spanned<String>>,
    /// Whether entries' lines thank their contributors (default `true`).
    pub(crate) thanks: Option<bool>,
    #[serde(default)]
    pub(crate) section: Vec<ListSection>,
}

/// `[[list.section]]`: a section that is no list of entries.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ListSection {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) title: Spanned<String>,
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Site {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) title: Spanned<String>,
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) base_url: Spanned<String>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) description: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) language: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) timezone: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<Person>"))]
    pub(crate) author: Option<Spanned<Person>>,
    /// No entries, on purpose (issue 15): without it, a catalogue with no
    /// entries files is refused rather than published as empty feeds.
    #[serde(default)]
    pub(crate) empty: bool,
    /// An awesome list (issue 22): the README carries the Awesome badge
    /// and keeps awesome-lint's rules; `oyez check` warns on them.
    #[serde(default)]
    pub(crate) awesome: bool,
    /// A small square image (issue 23): the feeds' icon, the page's favicon.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) icon: Option<Spanned<String>>,
    /// A larger image (issue 23): the feeds' logo, RSS `image`.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) logo: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Person {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) name: Spanned<String>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) email: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) uri: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Category {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) slug: Spanned<String>,
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) title: Spanned<String>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) description: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) parent: Option<Spanned<String>>,
    /// Markdown the README writes under its heading, as written (issue 22).
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) intro: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Contributor {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) name: Spanned<String>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) uri: Option<Spanned<String>>,
    /// Names and e-mail addresses that are this contributor (like git's `.mailmap`).
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "Vec<String>"))]
    pub(crate) aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Feeds {
    #[serde(default = "default_limit")]
    #[cfg_attr(test, schemars(with = "i64"))]
    pub(crate) limit: Spanned<i64>,
    /// WebSub hubs (issue 13): one URL or a list.
    #[cfg_attr(test, schemars(with = "Option<OneOrMany>"))]
    pub(crate) hub: Option<Spanned<OneOrMany>>,
    /// Whether Atom and RSS name `feed.xsl` (issue 13); default true.
    pub(crate) stylesheet: Option<bool>,
    /// Per-tag feeds (issue 23): `true` for every tag, or a list of tags.
    pub(crate) tags: Option<TagFeeds>,
    /// How often the catalogue changes (issue 23): `hourly`, `daily`,
    /// `weekly` or `monthly`; RSS readers' polling hint.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) update_period: Option<Spanned<String>>,
}

/// `[feeds] tags`: every tag, or the tags listed.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
pub(crate) enum TagFeeds {
    Every(bool),
    Listed(Vec<String>),
}

fn default_limit() -> Spanned<i64> {
    Spanned::new(0..0, crate::catalogue::DEFAULT_FEED_LIMIT as i64)
}

impl Default for Feeds {
    fn default() -> Self {
        Self {
            limit: default_limit(),
            hub: None,
            stylesheet: None,
            tags: None,
            update_period: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Digest {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) from: Spanned<String>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) to: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) subscribers: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) list_id: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<OneOrMany>"))]
    pub(crate) unsubscribe: Option<Spanned<OneOrMany>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) subject: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) ledger: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) every: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<i64>"))]
    pub(crate) per_connection: Option<Spanned<i64>>,
    #[cfg_attr(test, schemars(with = "Option<Dkim>"))]
    pub(crate) dkim: Option<Spanned<Dkim>>,
}

/// `[digest] dkim`: the DKIM selector and signing domain (the key comes
/// from the environment).
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Dkim {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) selector: Spanned<String>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) domain: Option<Spanned<String>>,
}

/// A string or an array of strings (`unsubscribe` takes a mailto, an https URL, or both).
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) title: Spanned<String>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) url: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) added: Spanned<Datetime>,
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "Vec<String>"))]
    pub(crate) by: Vec<Spanned<String>>,
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "Vec<String>"))]
    pub(crate) authors: Vec<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) language: Option<Spanned<String>>,
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "Vec<String>"))]
    pub(crate) tags: Vec<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) summary: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) updated: Option<Spanned<Datetime>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) id: Option<Spanned<String>>,
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) category: Option<Spanned<String>>,
    /// Other categories that list it too, on purpose (issue 22).
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "Vec<String>"))]
    pub(crate) also: Vec<Spanned<String>>,
    /// The resource's own feed, a blog's or a podcast's (issue 23):
    /// listed in `entries.opml`.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) feed: Option<Spanned<String>>,
    /// A picture of the resource (issue 23): the items' thumbnail.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) image: Option<Spanned<String>>,
    /// An audio or video file (issue 23): a podcast episode's.
    pub(crate) enclosure: Option<Enclosure>,
    /// The full text (issue 23), Markdown like `summary`.
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) content: Option<Spanned<String>>,
    /// The link-less item the README lists it under (issue 22).
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) group: Option<Spanned<String>>,
    /// The id of the entry the README lists it under (issue 22).
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) under: Option<Spanned<String>>,
    /// Badges the README writes at the end of its line (issue 22).
    #[cfg_attr(test, schemars(with = "Option<String>"))]
    pub(crate) badges: Option<Spanned<String>>,
}

/// `enclosure = { url, length, type }` on an entry.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Enclosure {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) url: Spanned<String>,
    /// Its size in bytes.
    #[cfg_attr(test, schemars(with = "i64"))]
    pub(crate) length: Spanned<i64>,
    /// Its media type, such as `audio/mpeg`.
    #[serde(rename = "type")]
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) mime: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct Update {
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) date: Spanned<Datetime>,
    #[cfg_attr(test, schemars(with = "String"))]
    pub(crate) note: Spanned<String>,
    #[serde(default)]
    #[cfg_attr(test, schemars(with = "Vec<String>"))]
    pub(crate) by: Vec<Spanned<String>>,
}
