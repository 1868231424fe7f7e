//! `feeds.opml` (issue 23 §2): every feed of the catalogue in one OPML 2.0
//! document, one outline per feed of the [`FeedMap`] (in its first
//! format), so that a reader subscribes to all of them in one import.

use super::map::{FeedMap, Selection};
use super::xml::Xml;
use crate::catalogue::Catalogue;

/// The document's path under the site.
pub const FILE: &str = "feeds.opml";

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
