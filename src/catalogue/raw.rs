//! A serde mirror of `FORMAT.md`: what the TOML files say, before validation.
//! Unknown keys are errors (`deny_unknown_fields`), so typos are caught.
//! Fields that later checks point at keep their span (`Spanned`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    pub(crate) site: Site,
    #[serde(default)]
    pub(crate) category: Vec<Category>,
    #[serde(default)]
    pub(crate) contributors: BTreeMap<Spanned<String>, Contributor>,
    #[serde(default)]
    pub(crate) feeds: Feeds,
    pub(crate) digest: Option<Spanned<Digest>>,
    #[serde(default)]
    pub(crate) list: List,
}

/// `[list]`: Markdown the README keeps as written (issue 22).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct List {
    pub(crate) header: Option<Spanned<String>>,
    pub(crate) intro: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) section: Vec<ListSection>,
}

/// `[[list.section]]`: a section that is no list of entries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListSection {
    pub(crate) title: Spanned<String>,
    pub(crate) text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Site {
    pub(crate) title: Spanned<String>,
    pub(crate) base_url: Spanned<String>,
    pub(crate) description: Option<Spanned<String>>,
    pub(crate) language: Option<Spanned<String>>,
    pub(crate) timezone: Option<Spanned<String>>,
    pub(crate) author: Option<Spanned<Person>>,
    /// No entries, on purpose (issue 15): without it, a catalogue with no
    /// entries files is refused rather than published as empty feeds.
    #[serde(default)]
    pub(crate) empty: bool,
    /// An awesome list (issue 22): the README carries the Awesome badge
    /// and keeps awesome-lint's rules; `oyez check` warns on them.
    #[serde(default)]
    pub(crate) awesome: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Person {
    pub(crate) name: Spanned<String>,
    pub(crate) email: Option<Spanned<String>>,
    pub(crate) uri: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Category {
    pub(crate) slug: Spanned<String>,
    pub(crate) title: Spanned<String>,
    pub(crate) description: Option<Spanned<String>>,
    pub(crate) parent: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contributor {
    pub(crate) name: Spanned<String>,
    pub(crate) uri: Option<Spanned<String>>,
    /// Names and e-mail addresses that are this contributor (like git's `.mailmap`).
    #[serde(default)]
    pub(crate) aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Feeds {
    #[serde(default = "default_limit")]
    pub(crate) limit: Spanned<i64>,
    /// WebSub hubs (issue 13): one URL or a list.
    pub(crate) hub: Option<Spanned<OneOrMany>>,
    /// Whether Atom and RSS name `feed.xsl` (issue 13); default true.
    pub(crate) stylesheet: Option<bool>,
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
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Digest {
    pub(crate) from: Spanned<String>,
    pub(crate) to: Option<Spanned<String>>,
    pub(crate) subscribers: Option<Spanned<String>>,
    pub(crate) list_id: Option<Spanned<String>>,
    pub(crate) unsubscribe: Option<Spanned<OneOrMany>>,
    pub(crate) subject: Option<Spanned<String>>,
    pub(crate) ledger: Option<Spanned<String>>,
    pub(crate) every: Option<Spanned<String>>,
    pub(crate) per_connection: Option<Spanned<i64>>,
}

/// A string or an array of strings (`unsubscribe` takes a mailto, an https URL, or both).
#[derive(Debug, Deserialize)]
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
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) title: Spanned<String>,
    pub(crate) url: Option<Spanned<String>>,
    pub(crate) added: Spanned<Datetime>,
    #[serde(default)]
    pub(crate) by: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) authors: Vec<Spanned<String>>,
    pub(crate) language: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) tags: Vec<Spanned<String>>,
    pub(crate) summary: Option<Spanned<String>>,
    pub(crate) updated: Option<Spanned<Datetime>>,
    pub(crate) id: Option<Spanned<String>>,
    pub(crate) category: Option<Spanned<String>>,
    /// Other categories that list it too, on purpose (issue 22).
    #[serde(default)]
    pub(crate) also: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Update {
    pub(crate) date: Spanned<Datetime>,
    pub(crate) note: Spanned<String>,
    #[serde(default)]
    pub(crate) by: Vec<Spanned<String>>,
}
