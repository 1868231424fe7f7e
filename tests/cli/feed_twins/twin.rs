//! The feeds as the atom_syndication and rss crates write them: the twins
//! that the native writers (`src/feed/atom.rs`, `src/feed/rss.rs`) must
//! equal byte for byte (issues 5 and 12), and [`differences`], which
//! compares every Atom and RSS document a publish writes with its twin.
//! Shared by `tests/cli/feed_twins.rs` and the fuzz target `feed_twins`.

use std::collections::BTreeMap;
use std::sync::Arc;

use oyez::catalogue::Catalogue;
use oyez::feed::archive::Archive;
use oyez::feed::map::{FeedMap, Format, Selection};
use oyez::feed::{self, Channel, Item, Stamps};
use oyez::template::Templates;

/// Every Atom and RSS document `oyez publish` writes for `catalogue` (the
/// digests' feed aside) that differs from its twin, with both texts; the
/// twin's path when one side lacks a document. Empty when all are equal.
pub fn differences(catalogue: &Arc<Catalogue>, templates: &Templates) -> Vec<String> {
    let mut native = BTreeMap::new();
    let rendered = oyez::publish::render(catalogue, templates, &[]).expect("publish renders");
    let archives = oyez::publish::Archives::new(catalogue);
    let pages = (1..=archives.pages()).flat_map(|n| archives.render(n).expect("archive page"));
    for file in rendered.into_iter().chain(pages) {
        let path = file.path.to_string_lossy().into_owned();
        if path.ends_with(Format::Atom.file()) || path.ends_with(Format::Rss.file()) {
            let bytes = without_stylesheet(catalogue, &path, file.bytes);
            native.insert(path, bytes);
        }
    }
    let mut differences = Vec::new();
    for (path, twin) in documents(catalogue, templates) {
        let twin = String::from_utf8(twin).expect("the crates write UTF-8");
        match native.remove(&path) {
            Some(Ok(native)) if native == twin => {}
            Some(Ok(native)) => {
                differences.push(format!(
                    "{path}:
--- native:
{native}--- twin:
{twin}"
                ));
            }
            Some(Err(problem)) => differences.push(format!("{path}: {problem}")),
            None => differences.push(format!("{path}: not written by publish")),
        }
    }
    differences.extend(native.into_keys().map(|path| format!("{path}: no twin")));
    differences
}

/// Every Atom and RSS document of `catalogue` as the crates write them,
/// by path: the channels `publish` renders, built the same way.
pub fn documents(catalogue: &Catalogue, templates: &Templates) -> Vec<(String, Vec<u8>)> {
    let stamps = Stamps::new(catalogue);
    let selected = feed::Selected::new(catalogue);
    let mut channels = Vec::new();
    let mut entries = None;
    // Every feed of the map that `publish` renders, as it renders them.
    for row in FeedMap::new(catalogue).published() {
        match row.selection {
            Selection::Updates => {
                let contents: Vec<String> = (catalogue.updates.iter().take(catalogue.feed_limit))
                    .map(|update| oyez::site::page::update(catalogue, templates, update))
                    .collect::<Result<_, _>>()
                    .expect("update items render");
                channels.push(feed::updates_channel(catalogue, &contents));
            }
            Selection::Entries => entries = Some(feed::entries_channel(catalogue, &stamps)),
            Selection::Category(i) => {
                channels.push(feed::category_channel(catalogue, &stamps, &selected, i));
            }
            Selection::Tag(_) | Selection::Language(_) => {
                channels.push(feed::selected_channel(
                    catalogue,
                    &stamps,
                    &selected,
                    row.clone(),
                ));
            }
            Selection::Digests => {}
        }
    }
    let entries = entries.expect("the map has the site's feed");
    let oldest = feed::oldest_first(catalogue);
    let archive = Archive::new("", oldest.len());
    for number in 1..=archive.pages() {
        let on_page = oldest.get(archive.range(number)).unwrap_or_default();
        let items: Vec<Item> = (on_page.iter().rev())
            .map(|entry| feed::entry_item(catalogue, entry, stamps.of(catalogue, entry)))
            .collect();
        let newest = items.iter().map(|item| item.updated).max();
        let page = archive.page(
            &Channel {
                items: Vec::new(),
                ..entries.clone()
            },
            number,
            newest,
        );
        channels.push(Channel { items, ..page });
    }
    channels.push(entries);
    channels
        .iter()
        .flat_map(|channel| {
            [
                (
                    format!("{}{}", channel.dir, Format::Atom.file()),
                    atom::render(catalogue, channel),
                ),
                (
                    format!("{}{}", channel.dir, Format::Rss.file()),
                    rss::render(catalogue, channel),
                ),
            ]
        })
        .collect()
}

/// The crates cannot write processing instructions: a native document is
/// compared without its `xml-stylesheet` lines, which must be the second
/// and third when `[feeds] stylesheet` is on, naming `feed.xsl` and
/// `feed.css` relative to the document at `path` under the site.
pub fn without_stylesheet(
    catalogue: &Catalogue,
    path: &str,
    bytes: Vec<u8>,
) -> Result<String, String> {
    let text = String::from_utf8(bytes).map_err(|err| err.to_string())?;
    if !catalogue.stylesheet {
        return Ok(text);
    }
    let up = "../".repeat(path.matches('/').count());
    let pi = format!(
        "\n<?xml-stylesheet type=\"text/xsl\" href=\"{up}feed.xsl\"?>\n\
         <?xml-stylesheet type=\"text/css\" href=\"{up}feed.css\"?>"
    );
    let first_line = text.find('\n').unwrap_or(text.len());
    if text.get(first_line..first_line + pi.len()) != Some(pi.as_str()) {
        return Err(format!("no stylesheet line after the first:\n{text}"));
    }
    Ok(format!(
        "{}{}",
        &text[..first_line],
        &text[first_line + pi.len()..]
    ))
}

/// The WebSub hubs a channel names: none for archive pages.
fn hubs<'a>(catalogue: &'a Catalogue, channel: &Channel) -> &'a [String] {
    if channel.is_archive_page() {
        &[]
    } else {
        &catalogue.hubs
    }
}

/// quick-xml's escape of `&`, `<`, `>`, `'` and `"`.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

/// The HTML of an item's full text (`content`).
fn content(item: &Item) -> Option<String> {
    Some(item.extras.as_ref()?.content.as_ref()?.html.clone())
}

/// Whether an item of `channel` has an image or an enclosure.
fn any_media(channel: &Channel) -> bool {
    (channel.items.iter()).any(|item| {
        (item.extras.as_ref()).is_some_and(|e| e.image.is_some() || e.enclosure.is_some())
    })
}

/// An item's Media RSS `content` (the enclosure, else the image) and
/// `thumbnail` (the image), as the rss crate's extensions (the Atom twin
/// copies their names and attributes).
fn media(item: &Item) -> ::rss::extension::ExtensionMap {
    let Some(extras) = item.extras.as_ref() else {
        return BTreeMap::new();
    };
    let element = |name: &str, attrs: &[(&str, &str)]| ::rss::extension::Extension {
        name: format!("media:{name}"),
        attrs: (attrs.iter())
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect(),
        ..Default::default()
    };
    let mut elements = BTreeMap::new();
    let image = extras.image.as_deref();
    let content = match (&extras.enclosure, image) {
        (Some(enclosure), _) => Some(element(
            "content",
            &[
                ("fileSize", &enclosure.length.to_string()),
                ("type", &enclosure.mime),
                ("url", &enclosure.url),
            ],
        )),
        (None, Some(image)) => Some(element("content", &[("medium", "image"), ("url", image)])),
        (None, None) => None,
    };
    elements.extend(content.map(|content| ("content".to_owned(), vec![content])));
    let thumbnail = image.map(|image| element("thumbnail", &[("url", image)]));
    elements.extend(thumbnail.map(|thumbnail| ("thumbnail".to_owned(), vec![thumbnail])));
    if elements.is_empty() {
        return BTreeMap::new();
    }
    BTreeMap::from([("media".into(), elements)])
}

/// The text of an item without content: `{title}, in {category}: {link}`,
/// `in` the catalogue's `in_category`.
fn fallback_summary(item: &Item, in_category: &str) -> Option<String> {
    if item.content_html.is_some() || content(item).is_some() {
        return None;
    }
    let category = item
        .categories
        .first()
        .map(|(term, label)| label.as_ref().unwrap_or(term));
    Some(match category {
        Some(category) => format!("{}, {in_category} {category}: {}", item.title, item.link),
        None => format!("{}: {}", item.title, item.link),
    })
}

pub mod atom {
    use std::collections::BTreeMap;

    use atom_syndication::{
        Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
    };
    use chrono::{DateTime, Utc};

    use oyez::catalogue::{Catalogue, Credit};
    use oyez::feed::atom::FILE;
    use oyez::feed::{Channel, Item, archive};
    use oyez::strings::Key;

    /// `channel` as the atom_syndication crate writes it.
    pub fn render(catalogue: &Catalogue, channel: &Channel) -> Vec<u8> {
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
                version: Some(oyez::feed::VERSION.into()),
            }),
            lang: Some(channel.language(catalogue).to_owned()),
            icon: catalogue.site.icon.clone(),
            logo: catalogue.site.logo.clone(),
            entries: (channel.items.iter())
                .map(|item| entry(item, catalogue.strings.get(Key::in_category)))
                .collect(),
            namespaces: namespaces(channel),
            ..Feed::default()
        };
        let config = WriteConfig {
            write_document_declaration: true,
            indent_size: Some(2),
        };
        let mut bytes = feed
            .write_with_config(Vec::new(), config)
            .expect("atom_syndication writes");
        bytes.push(b'\n');
        if channel.is_archive() {
            bytes = mark_archive(bytes);
        }
        mark_languages(bytes, channel, channel.language(catalogue))
    }

    /// atom_syndication writes no `xml:lang` on an entry: the twin adds
    /// one to each entry whose language is not the feed's `language`.
    fn mark_languages(bytes: Vec<u8>, channel: &Channel, language: &str) -> Vec<u8> {
        let text = String::from_utf8(bytes).expect("atom_syndication writes UTF-8");
        let mut parts = text.split("<entry>");
        let mut out = parts.next().unwrap_or_default().to_owned();
        for (part, item) in parts.zip(&channel.items) {
            let own = (item.language.as_deref()).filter(|own| !own.eq_ignore_ascii_case(language));
            match own {
                Some(own) => out.push_str(&format!("<entry xml:lang=\"{}\">", super::escape(own))),
                None => out.push_str("<entry>"),
            }
            out.push_str(part);
        }
        out.into_bytes()
    }

    fn namespaces(channel: &Channel) -> BTreeMap<String, String> {
        let mut namespaces = BTreeMap::new();
        if channel.is_archive() {
            namespaces.insert("fh".into(), archive::NAMESPACE.into());
        }
        if super::any_media(channel) {
            namespaces.insert("media".into(), oyez::feed::MEDIA.into());
        }
        namespaces
    }

    fn channel_links(catalogue: &Catalogue, channel: &Channel) -> Vec<Link> {
        let mut links = vec![link(
            "self",
            channel.url(catalogue, FILE),
            Some("application/atom+xml"),
        )];
        let hubs = super::hubs(catalogue, channel);
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

    fn entry(item: &Item, in_category: &str) -> Entry {
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
            links: entry_links(item),
            categories: item
                .categories
                .iter()
                .map(|(term, label)| Category {
                    term: term.clone(),
                    scheme: None,
                    label: label.clone(),
                })
                .collect(),
            // With a `content`, the summary is HTML and the content the full text.
            summary: match super::content(item) {
                Some(_) => item.content_html.clone().map(Text::html),
                None => super::fallback_summary(item, in_category).map(Text::plain),
            },
            content: super::content(item)
                .or_else(|| item.content_html.clone())
                .map(|html| Content {
                    value: Some(html),
                    content_type: Some("html".into()),
                    lang: item.language.clone(),
                    ..Content::default()
                }),
            extensions: super::media(item)
                .into_iter()
                .map(|(prefix, elements)| {
                    let elements = elements.into_iter().map(|(name, list)| {
                        let list = list.into_iter().map(|element| {
                            // atom_syndication writes extension attributes
                            // as given, unescaped: the twin escapes them.
                            let attrs = (element.attrs.into_iter())
                                .map(|(key, value)| (key, super::escape(&value)))
                                .collect();
                            atom_syndication::extension::Extension {
                                name: element.name,
                                attrs,
                                ..Default::default()
                            }
                        });
                        (name, list.collect())
                    });
                    (prefix, elements.collect())
                })
                .collect(),
            ..Entry::default()
        }
    }

    /// The alternate link, then the enclosure's.
    fn entry_links(item: &Item) -> Vec<Link> {
        let mut links = vec![link("alternate", item.link.clone(), None)];
        let enclosure = item.extras.as_ref().and_then(|e| e.enclosure.as_ref());
        links.extend(enclosure.map(|enclosure| Link {
            href: enclosure.url.clone(),
            rel: "enclosure".into(),
            mime_type: Some(enclosure.mime.clone()),
            length: Some(enclosure.length.to_string()),
            ..Link::default()
        }));
        links
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

pub mod rss {
    use std::collections::BTreeMap;

    use chrono::{DateTime, Utc};
    use rss::extension::atom::{AtomExtension, Link};
    use rss::extension::dublincore::DublinCoreExtension;
    use rss::extension::syndication::SyndicationExtension;
    use rss::extension::{Extension, ExtensionMap};
    use rss::{Category, Channel as RssChannel, Guid, Item as RssItem};

    use oyez::catalogue::{Catalogue, UpdatePeriod};
    use oyez::feed::rss::FILE;
    use oyez::feed::{Channel, Item, archive};

    /// `channel` as the rss crate writes it.
    pub fn render(catalogue: &Catalogue, channel: &Channel) -> Vec<u8> {
        let mut links = vec![atom_link("self", channel.url(catalogue, FILE))];
        let hubs = super::hubs(catalogue, channel);
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
        if super::any_media(channel) {
            namespaces.insert("media".into(), oyez::feed::MEDIA.into());
        }
        let period = catalogue
            .update_period
            .filter(|_| !channel.is_archive_page());
        if period.is_some() {
            namespaces.insert("sy".into(), oyez::feed::rss::SYNDICATION.into());
        }
        let rss = RssChannel {
            title: channel.title.clone(),
            link: channel.home.clone(),
            description: channel
                .subtitle
                .clone()
                .unwrap_or_else(|| channel.title.clone()),
            language: Some(channel.language(catalogue).to_owned()),
            last_build_date: Some(rfc2822(channel.updated)),
            generator: Some(format!("oyez {}", oyez::feed::VERSION)),
            docs: Some("https://www.rssboard.org/rss-specification".into()),
            image: (catalogue.site.logo.clone())
                .or_else(|| catalogue.site.icon.clone())
                .map(|url| rss::Image {
                    url,
                    title: channel.title.clone(),
                    link: channel.home.clone(),
                    ..rss::Image::default()
                }),
            items: channel.items.iter().map(item).collect(),
            atom_ext: Some(AtomExtension { links }),
            ttl: period.map(|period| period.minutes().to_string()),
            syndication_ext: period.map(|period| SyndicationExtension {
                period: match period {
                    UpdatePeriod::Hourly => rss::extension::syndication::UpdatePeriod::Hourly,
                    UpdatePeriod::Daily => rss::extension::syndication::UpdatePeriod::Daily,
                    UpdatePeriod::Weekly => rss::extension::syndication::UpdatePeriod::Weekly,
                    UpdatePeriod::Monthly => rss::extension::syndication::UpdatePeriod::Monthly,
                },
                frequency: 1,
                base: oyez::feed::rss::UPDATE_BASE.into(),
            }),
            namespaces,
            extensions,
            ..RssChannel::default()
        };
        let mut bytes = rss
            .pretty_write_to(Vec::new(), b' ', 2)
            .expect("rss writes");
        bytes.push(b'\n');
        bytes
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
            content: super::content(item),
            enclosure: (item.extras.as_ref())
                .and_then(|extras| extras.enclosure.as_ref())
                .map(|enclosure| rss::Enclosure {
                    url: enclosure.url.clone(),
                    length: enclosure.length.to_string(),
                    mime_type: enclosure.mime.clone(),
                }),
            extensions: super::media(item),
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
