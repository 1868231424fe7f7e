//! The feeds as the atom_syndication and rss crates write them: the
//! reference that the streaming writers in `atom.rs` and `rss.rs` must
//! match byte for byte (issue 5). Test-only.

#![allow(clippy::unwrap_used)]

pub(super) mod atom {

    use std::collections::BTreeMap;

    use atom_syndication::{
        Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
    };
    use chrono::{DateTime, Utc};

    use super::super::atom::FILE;
    use super::super::{Channel, FeedError, Item, archive};
    use crate::catalogue::{Catalogue, Credit};

    pub(super) fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
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
        let mut links = vec![link(
            "self",
            channel.url(catalogue, FILE),
            Some("application/atom+xml"),
        )];
        let hubs = super::super::hubs(catalogue, channel);
        links.extend(hubs.iter().map(|hub| link("hub", hub.clone(), None)));
        links.push(link("alternate", channel.home.clone(), Some("text/html")));
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
            summary: super::super::view::ItemView::from(item)
                .fallback_summary()
                .map(|parts| Text::plain(parts.concat())),
            content: item.content_html.as_ref().map(|html| Content {
                value: Some(html.clone()),
                content_type: Some("html".into()),
                lang: item.language.clone(),
                ..Content::default()
            }),
            ..Entry::default()
        }
    }

    fn site_author(catalogue: &Catalogue) -> Person {
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
}

pub(super) mod rss {

    use std::collections::BTreeMap;

    use chrono::{DateTime, Utc};
    use rss::extension::atom::{AtomExtension, Link};
    use rss::extension::dublincore::DublinCoreExtension;
    use rss::extension::{Extension, ExtensionMap};
    use rss::{Category, Channel as RssChannel, Guid, Item as RssItem};

    use super::super::rss::FILE;
    use super::super::{Channel, FeedError, Item, archive};
    use crate::catalogue::Catalogue;

    pub(super) fn render(catalogue: &Catalogue, channel: &Channel) -> Result<Vec<u8>, FeedError> {
        let mut links = vec![atom_link("self", channel.url(catalogue, FILE))];
        let hubs = super::super::hubs(catalogue, channel);
        links.extend(hubs.iter().map(|hub| Link {
            href: hub.clone(),
            rel: "hub".into(),
            ..Link::default()
        }));
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
        let has_dublin_core =
            !dublin_core.creators.is_empty() || !dublin_core.contributors.is_empty();
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
    fn rfc2822(at: DateTime<Utc>) -> String {
        at.to_rfc2822()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::super::archive::Archive;
    use super::super::view;
    use super::super::{self as feed, Channel, Item};
    use crate::catalogue::{self, Catalogue, Credit};

    fn example() -> Catalogue {
        catalogue::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .catalogue
    }

    /// The crates cannot write processing instructions: the streamed
    /// feeds are compared without the `xml-stylesheet` line, which must be
    /// the second line when `[feeds] stylesheet` is on.
    #[track_caller]
    fn without_stylesheet(catalogue: &Catalogue, bytes: Vec<u8>) -> String {
        let text = String::from_utf8(bytes).unwrap();
        if !catalogue.stylesheet {
            return text;
        }
        let pi = format!(
            "\n<?xml-stylesheet type=\"text/xsl\" href=\"{}feed.xsl\"?>",
            catalogue.site.base_url
        );
        let first_line = text.find('\n').unwrap();
        assert_eq!(
            text.get(first_line..first_line + pi.len()),
            Some(pi.as_str())
        );
        format!("{}{}", &text[..first_line], &text[first_line + pi.len()..])
    }

    #[track_caller]
    fn same_bytes(catalogue: &Catalogue, channel: &Channel) {
        let streamed = feed::atom::render(catalogue, channel).unwrap();
        let reference = super::atom::render(catalogue, channel).unwrap();
        assert_eq!(
            without_stylesheet(catalogue, streamed),
            String::from_utf8(reference).unwrap()
        );
        let streamed = feed::rss::render(catalogue, channel).unwrap();
        let reference = super::rss::render(catalogue, channel).unwrap();
        assert_eq!(
            without_stylesheet(catalogue, streamed),
            String::from_utf8(reference).unwrap()
        );
    }

    #[test]
    fn streamed_feeds_match_the_crates_for_the_example() {
        let catalogue = example();
        let stamps = feed::Stamps::new(&catalogue);
        let entries = feed::entries_channel(&catalogue, &stamps);
        same_bytes(&catalogue, &entries);
        for index in 0..catalogue.categories.len() {
            same_bytes(
                &catalogue,
                &feed::category_channel(&catalogue, &stamps, index),
            );
        }
        let contents: Vec<String> = catalogue
            .updates
            .iter()
            .map(|u| u.note.html.clone())
            .collect();
        same_bytes(&catalogue, &feed::updates_channel(&catalogue, &contents));
        let oldest = feed::oldest_first(&catalogue);
        let archive = Archive::new("", oldest.len());
        let items: Vec<Item> = oldest
            .iter()
            .rev()
            .map(|e| feed::entry_item(&catalogue, e, stamps.of(&catalogue, e)))
            .collect();
        let newest = items.iter().map(|item| item.updated).max();
        let page = archive.page(&entries, 1, newest);
        // The archive pages' writers read the entries in place.
        let credits = view::credits(&catalogue, &oldest);
        let views = view::items(&catalogue, &stamps, &oldest, &credits);
        let page = Channel { items, ..page };
        let streamed = feed::atom::write(&catalogue, &page, &views);
        let reference = super::atom::render(&catalogue, &page).unwrap();
        assert_eq!(
            without_stylesheet(&catalogue, streamed),
            String::from_utf8(reference).unwrap()
        );
        let streamed = feed::rss::write(&catalogue, &page, &views);
        let reference = super::rss::render(&catalogue, &page).unwrap();
        assert_eq!(
            without_stylesheet(&catalogue, streamed),
            String::from_utf8(reference).unwrap()
        );
        same_bytes(&catalogue, &page);
        same_bytes(&catalogue, &archive.page(&entries, 2, None));
    }

    #[test]
    // Issue 13: WebSub hub links in the subscription feeds, none in archive pages.
    fn streamed_feeds_match_the_crates_with_hubs_and_without_a_stylesheet() {
        let mut catalogue = example();
        catalogue.hubs = vec![
            "https://hub.example/".into(),
            "https://pubsubhubbub.appspot.com/?a=1&b=2".into(),
        ];
        let entries = feed::entries_channel(&catalogue, &crate::feed::Stamps::new(&catalogue));
        same_bytes(&catalogue, &entries);
        same_bytes(&catalogue, &Archive::new("", 150).page(&entries, 1, None));
        catalogue.stylesheet = false;
        same_bytes(&catalogue, &entries);
        let atom = String::from_utf8(feed::atom::render(&catalogue, &entries).unwrap()).unwrap();
        assert!(atom.starts_with("<?xml version=\"1.0\"?>\n<feed "));
        let parsed = atom_syndication::Feed::read_from(atom.as_bytes()).unwrap();
        let links: Vec<(&str, &str)> = parsed
            .links
            .iter()
            .map(|link| (link.rel.as_str(), link.href.as_str()))
            .collect();
        assert_eq!(
            links[..3],
            [
                ("self", "https://example.org/platform-as-a-product/atom.xml"),
                ("hub", "https://hub.example/"),
                ("hub", "https://pubsubhubbub.appspot.com/?a=1&b=2"),
            ]
        );
    }

    #[test]
    fn streamed_feeds_match_the_crates_on_awkward_text() {
        let mut catalogue = example();
        catalogue.site.author = None;
        let at = Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 58).unwrap();
        let item = Item {
            id: "https://example.org/#a'b\"c".into(),
            title: "<T> & 'q' \"Q\" ]]> é 日本".into(),
            link: "https://example.org/?a=1&b=2".into(),
            published: at,
            updated: at + chrono::Duration::milliseconds(1500),
            authors: vec!["A & B".into(), String::new()],
            contributors: vec![Credit {
                handle: "x".into(),
                name: "X <x>".into(),
                uri: None,
            }],
            categories: vec![("t&g".into(), None), ("c".into(), Some("L'abel".into()))],
            content_html: Some("<p>a]]>b]]]>c</p>\n<p>\"&amp;\"</p>".into()),
            content_text: None,
            language: Some("fr".into()),
        };
        let bare = Item {
            content_html: None,
            language: None,
            authors: Vec::new(),
            contributors: Vec::new(),
            categories: Vec::new(),
            ..item.clone()
        };
        let channel = Channel {
            title: "Odd & 'quoted'".into(),
            subtitle: None,
            dir: "x/".into(),
            home: "https://example.org/?h=1&i=2".into(),
            updated: at,
            items: vec![item, bare],
            links: vec![
                ("current".into(), String::new()),
                ("next-archive".into(), "a/".into()),
            ],
        };
        same_bytes(&catalogue, &channel);
    }
}
