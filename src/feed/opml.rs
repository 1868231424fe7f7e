//! `feeds.opml` (issue 23 §2): every feed of the catalogue in one OPML 2.0
//! document, one outline per feed of the [`FeedMap`] (in its first
//! format), so that a reader subscribes to all of them in one import.
//! And `entries.opml`: the entries' own feeds (`feed = "URL"` on an
//! entry: the blogs and podcasts a list lists), one folder per category.

use super::map::{FeedMap, Selection};
use super::xml::Xml;
use crate::catalogue::{Catalogue, Entry};

/// The document's path under the site.
pub const FILE: &str = "feeds.opml";

/// The path of the entries' feeds' document under the site.
pub const ENTRIES_FILE: &str = "entries.opml";

/// The OPML document of `map`'s feeds; the digests' only when `digests`
/// (a digest was sent, so its feed is published).
pub fn render(catalogue: &Catalogue, map: &FeedMap, digests: bool) -> Vec<u8> {
    let mut xml = Xml::new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 4096);
    xml.open("opml", &[("version", "2.0")]);
    xml.open("head", &[]);
    xml.text("title", &[], &format!("{}: feeds", catalogue.site.title));
    xml.close("head");
    xml.open("body", &[]);
    let home = catalogue.site_url("");
    for row in map.rows() {
        if row.selection == Selection::Digests && !digests {
            continue;
        }
        let Some(format) = row.formats.first() else {
            continue;
        };
        let url = row.url(catalogue, *format);
        let title = row.title.as_str();
        let attributes = [
            ("type", "rss"),
            ("text", title),
            ("title", title),
            ("xmlUrl", url.as_str()),
            ("htmlUrl", home.as_str()),
        ];
        xml.empty("outline", &attributes);
    }
    xml.close("body");
    xml.close("opml");
    xml.finish()
}

/// The OPML document of the entries' own feeds, an outline per category
/// that has any (its entries in file order); `None` when no entry has one.
pub fn render_entries(catalogue: &Catalogue) -> Option<Vec<u8>> {
    let mut listed: Vec<(&Entry, &str)> = (catalogue.entries.iter())
        .filter_map(|entry| Some((entry, entry.extras.as_ref()?.feed.as_deref()?)))
        .collect();
    if listed.is_empty() {
        return None;
    }
    listed.sort_by_key(|(entry, _)| (entry.category, entry.position));
    let mut xml = Xml::new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 4096);
    xml.open("opml", &[("version", "2.0")]);
    xml.open("head", &[]);
    let title = format!("{}: the feeds it lists", catalogue.site.title);
    xml.text("title", &[], &title);
    xml.close("head");
    xml.open("body", &[]);
    for group in listed.chunk_by(|(a, _), (b, _)| a.category == b.category) {
        let category = group.first().map(|(entry, _)| catalogue.category_of(entry));
        let name = category.map_or("", |category| category.title.as_str());
        xml.open("outline", &[("text", name), ("title", name)]);
        for (entry, feed) in group {
            let page = entry.url.as_deref().unwrap_or(feed);
            let attributes = [
                ("type", "rss"),
                ("text", entry.title.as_str()),
                ("title", entry.title.as_str()),
                ("xmlUrl", feed),
                ("htmlUrl", page),
            ];
            xml.empty("outline", &attributes);
        }
        xml.close("outline");
    }
    xml.close("body");
    xml.close("opml");
    Some(xml.finish())
}
