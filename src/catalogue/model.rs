//! The validated catalogue: what every renderer and the digest work from.
//! Built only by `validate`, so its invariants hold everywhere else:
//! ids are unique, URLs are absolute http(s), categories exist, entries and
//! updates are sorted newest first with the id as tie-break.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;
use url::Url;

use crate::strings::Strings;

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub site: Site,
    pub categories: Vec<Category>,
    /// Keyed by handle, without the leading `@`.
    pub contributors: BTreeMap<String, Contributor>,
    /// Newest items per subscription feed (`[feeds] limit`).
    pub feed_limit: usize,
    /// WebSub hubs the feeds name (`[feeds] hub`), absolute http(s).
    pub hubs: Vec<String>,
    /// Whether Atom and RSS feeds name the `feed.xsl` stylesheet (`[feeds] stylesheet`).
    pub stylesheet: bool,
    /// How often the feeds change (`[feeds] update_period`, else the
    /// digest's cadence): RSS `ttl` and `sy:updatePeriod`.
    pub update_period: Option<UpdatePeriod>,
    /// The tags that have a feed of their own (`[feeds] tags`), in order.
    pub tag_feeds: Vec<String>,
    /// `[feeds] tags = true`: [`Self::tag_feeds`] is every tag an entry
    /// carries, sorted (filled once the entries are loaded).
    pub every_tag_feed: bool,
    pub digest: Option<DigestConfig>,
    /// Newest first: `added` descending, then id ascending.
    pub entries: Vec<Entry>,
    /// Newest first: `date` descending, then id ascending.
    pub updates: Vec<Update>,
    /// `[list]`: what the README keeps as written.
    pub list: ListText,
    /// The words written around the catalogue: its language's, with
    /// `[strings]` in their place (issue 23 §5).
    pub strings: Arc<Strings>,
    /// The languages the entries are in (an entry without `language` is
    /// in the site's), sorted, when there is more than one: each has a
    /// feed of its own (filled once the entries are loaded).
    pub language_feeds: Vec<String>,
    /// Whether a digest was sent: the archive of sent digests is then
    /// linked from the page and the list (set by whoever read the ledger).
    pub digests_sent: bool,
}

/// Markdown the README keeps as written (`[list]`, issue 22): an
/// introduction after the description, and sections that are no list of
/// entries (Contributing, License, …), by title, after the entries.
#[derive(Debug, Clone, Default)]
pub struct ListText {
    /// Written instead of the `# Title` line: an HTML header, as written.
    pub header: Option<String>,
    pub intro: Option<String>,
    pub sections: Vec<(String, String)>,
    /// The entries' list marker (`[list] marker`); `-` when not given.
    pub marker: Option<String>,
    /// One level of nesting (`[list] indent`); two spaces when not given.
    pub indent: Option<String>,
    /// `[list] thanks`: whether entries' lines end with `(thanks @x)`.
    pub thanks: Option<bool>,
}

impl ListText {
    /// The entries' list marker.
    pub fn marker(&self) -> &str {
        self.marker.as_deref().unwrap_or("-")
    }

    /// One level of nesting.
    pub fn indent(&self) -> &str {
        self.indent.as_deref().unwrap_or("  ")
    }

    /// Whether entries' lines thank their contributors.
    pub fn thanks(&self) -> bool {
        self.thanks.unwrap_or(true)
    }
}

/// How the README lays an entry out beyond its own line (issue 22): the
/// link-less item it is listed under, and badges at the end of its line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryLayout {
    pub group: Option<String>,
    /// The id of the entry of its section it is listed under, one level
    /// deeper.
    pub under: Option<String>,
    pub badges: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    /// Always ends with `/`, so relative paths join under it.
    pub base_url: Url,
    pub description: Option<String>,
    pub language: String,
    pub timezone: Tz,
    pub author: Option<Person>,
    /// `[site] awesome = true`: the list is written to pass awesome-lint.
    pub awesome: bool,
    /// `[site] icon`, absolute: a small square image (Atom `icon`, JSON
    /// Feed `favicon`, the page's `<link rel="icon">`).
    pub icon: Option<String>,
    /// `[site] logo`, absolute: a larger image (Atom `logo`, RSS `image`,
    /// JSON Feed `icon`).
    pub logo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
    pub uri: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// Index into `Catalogue::categories` of the category this one is
    /// under (`parent = "slug"`); always an earlier one, so there are no cycles.
    pub parent: Option<usize>,
    /// `intro`: Markdown `public/README.md` writes under the category's
    /// heading instead of its description, as written (issue 22).
    pub intro: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Contributor {
    pub name: String,
    pub uri: Option<String>,
    /// Names and e-mail addresses `oyez import` credits to this handle.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DigestConfig {
    pub from: String,
    pub to: Option<String>,
    /// Path relative to the catalogue folder.
    pub subscribers: Option<String>,
    pub list_id: Option<String>,
    pub unsubscribe: Vec<String>,
    pub subject: Option<String>,
    /// Where `subject` is written in `oyez.toml`, for its render errors.
    pub subject_at: Option<super::Location>,
    /// Path relative to the catalogue folder; default `digests.ledger`.
    pub ledger: Option<String>,
    /// The cadence (`every`): windows end on its boundaries (issue 14).
    pub every: Option<Every>,
    /// At most this many messages per SMTP connection, then a new one.
    pub per_connection: Option<usize>,
    /// Sign each copy sent with DKIM (`[digest] dkim`).
    pub dkim: Option<Dkim>,
}

/// Where a DKIM signature's public key is published:
/// `SELECTOR._domainkey.DOMAIN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dkim {
    pub selector: String,
    /// The signing domain (`d=`); `[digest] from`'s domain unless given.
    pub domain: String,
}

/// How often the catalogue changes, as RSS readers are told (issue 23).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdatePeriod {
    Hourly,
    Daily,
    Weekly,
    Monthly,
}

impl UpdatePeriod {
    pub const ALL: [Self; 4] = [Self::Hourly, Self::Daily, Self::Weekly, Self::Monthly];

    /// Its name in `[feeds] update_period` and `sy:updatePeriod`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Hourly => "hourly",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }

    /// Its length in minutes, RSS `ttl` (a month is 30 days).
    pub fn minutes(self) -> u32 {
        match self {
            Self::Hourly => 60,
            Self::Daily => 24 * 60,
            Self::Weekly => 7 * 24 * 60,
            Self::Monthly => 30 * 24 * 60,
        }
    }
}

impl From<Every> for UpdatePeriod {
    fn from(every: Every) -> Self {
        match every {
            Every::Day => Self::Daily,
            Every::Week => Self::Weekly,
            Every::Month => Self::Monthly,
        }
    }
}

/// How often a digest goes out: `[digest] every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Day,
    /// Monday to Sunday.
    Week,
    Month,
}

impl Every {
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

/// Markdown from the catalogue with its HTML, rendered once at load; the
/// plain text is derived on demand ([`Text::plain`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub markdown: String,
    /// Sanitised HTML: no scripts, event handlers or `javascript:` links.
    pub html: String,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Permanent identity: `id` when given, else derived from the URL (see README).
    pub id: String,
    pub title: String,
    /// Absolute http(s), as the `url` crate normalises it (kept as text:
    /// a parsed `Url` would take 88 bytes per entry where text takes 24).
    pub url: Option<String>,
    pub added: DateTime<Utc>,
    /// `added` as a calendar day in the site's time zone.
    pub added_day: NaiveDate,
    pub updated: Option<DateTime<Utc>>,
    /// Credited handles, without `@`.
    pub by: Vec<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<Text>,
    /// Index into `Catalogue::categories`.
    pub category: usize,
    /// Other categories whose sections list it too, on purpose (`also`,
    /// issue 22): indices into `Catalogue::categories`.
    pub also: Vec<usize>,
    /// `group` and `badges`, for the README (issue 22); boxed, since few
    /// entries have them.
    pub layout: Option<Box<EntryLayout>>,
    /// Order in the catalogue files (sorted paths, then order in the file):
    /// the maintainer's order, which pages and lists keep.
    pub position: usize,
    /// What few entries have, behind one pointer (issue 23).
    pub extras: Option<Box<Extras>>,
}

/// The fields few entries have (issue 23), kept apart so that an entry
/// without any costs one pointer.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The resource's own feed (`feed`), for `entries.opml`.
    pub feed: Option<String>,
    /// A picture of it (`image`): the items' thumbnail.
    pub image: Option<String>,
    /// An audio or video file (`enclosure`), for podcast lists.
    pub enclosure: Option<Enclosure>,
    /// The full text (`content`), rendered and sanitised as summaries are.
    pub content: Option<Text>,
}

/// A file an item carries (RSS `enclosure`, Atom `link rel="enclosure"`,
/// a JSON Feed attachment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    pub url: String,
    /// Its size in bytes.
    pub length: u64,
    /// Its media type (`audio/mpeg`).
    pub mime: String,
}

#[derive(Debug, Clone)]
pub struct Update {
    /// `update-YYYY-MM-DD`, with `-2`, `-3`… for later updates of the same day.
    pub id: String,
    pub date: DateTime<Utc>,
    pub day: NaiveDate,
    pub note: Text,
    pub by: Vec<String>,
    /// Indices into `Catalogue::entries` of the entries this update announces.
    pub announces: Vec<usize>,
}

impl Update {
    /// The day, with ` (2)`, ` (3)`… for later updates of the same day
    /// (read from the id): how titles tell them apart (issue 11).
    pub fn label(&self) -> String {
        let day = self.day.to_string();
        let later = self
            .id
            .strip_prefix("update-")
            .and_then(|rest| rest.strip_prefix(day.as_str()))
            .and_then(|rest| rest.strip_prefix('-'))
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        match later {
            Some(n) => format!("{day} ({n})"),
            None => day,
        }
    }
}

/// Someone credited for a contribution, resolved against `[contributors]`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Credit {
    pub handle: String,
    pub name: String,
    pub uri: Option<String>,
}

impl Catalogue {
    pub fn credit(&self, handle: &str) -> Credit {
        match self.contributors.get(handle) {
            Some(known) => Credit {
                handle: handle.to_owned(),
                name: known.name.clone(),
                uri: known.uri.clone(),
            },
            None => Credit {
                handle: handle.to_owned(),
                name: format!("@{handle}"),
                uri: None,
            },
        }
    }

    pub fn category_of(&self, entry: &Entry) -> &Category {
        &self.categories[entry.category]
    }

    /// The newest date anywhere in the data; feeds use it as their `updated`.
    pub fn newest_date(&self) -> Option<DateTime<Utc>> {
        // Split between threads: every entry is read, tens of MB at 100,000.
        let entries = self.entries.par_iter().map(Entry::modified).max();
        let updates = self.updates.iter().map(|update| update.date);
        entries.into_iter().chain(updates).max()
    }

    /// The catalogue page's URL for an entry's anchor.
    pub fn entry_anchor(&self, entry: &Entry) -> String {
        self.site.anchor(&entry.id).joined()
    }

    /// Where an entry links: the resource, or its anchor on the catalogue page.
    pub fn entry_link(&self, entry: &Entry) -> String {
        entry
            .url
            .as_ref()
            .map_or_else(|| self.entry_anchor(entry), Clone::clone)
    }

    /// A URL under the site, such as a feed's (`feed::map` names them).
    pub fn site_url(&self, path: &str) -> String {
        self.site.url(path).joined()
    }
}

impl Entry {
    /// When the entry last changed meaningfully: `updated`, else `added`.
    pub fn modified(&self) -> DateTime<Utc> {
        self.updated.unwrap_or(self.added).max(self.added)
    }
}

/// A URL on the site in the parts it is joined from: the base URL (which
/// ends in `/`), then a path under it or `#` and a place on the catalogue
/// page. The one way a writer joins the base URL with a path or an id
/// (issue 12): part by part ([`SiteUrl::parts`]) or at once
/// ([`SiteUrl::joined`], or as `Display`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SiteUrl<'a>([&'a str; 3]);

impl Site {
    /// The URL of `path` under the site (a feed's document, which
    /// `feed::map` names; `""` for the site itself).
    #[inline]
    pub(crate) fn url<'a>(&'a self, path: &'a str) -> SiteUrl<'a> {
        SiteUrl([self.base_url.as_str(), path, ""])
    }

    /// The URL of the place `anchor` on the catalogue page: an entry's or
    /// update's id, a category's slug, `updates`.
    #[inline]
    pub(crate) fn anchor<'a>(&'a self, anchor: &'a str) -> SiteUrl<'a> {
        SiteUrl([self.base_url.as_str(), "#", anchor])
    }
}

impl<'a> SiteUrl<'a> {
    /// The parts, to be written one after the other.
    #[inline]
    pub(crate) fn parts(self) -> [&'a str; 3] {
        self.0
    }

    /// The URL as one string.
    pub(crate) fn joined(self) -> String {
        self.0.concat()
    }
}

impl std::fmt::Display for SiteUrl<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|part| out.write_str(part))
    }
}
