//! The archive pages' JSON Feed, written compact without serde: their
//! twin is `serde_json::to_vec` of the same [`Feed`] (the tests below).

use super::{Author, Feed, FeedItem};

/// A [`Feed`] as `serde_json::to_vec` writes it, field for field and
/// byte for byte, without serde: on the archive pages, serde_json's
/// byte-at-a-time escaping of the items' HTML was most of the cost.
pub(super) struct Compact {
    out: Vec<u8>,
    /// Whether the object or array just opened has no member yet.
    first: bool,
}

impl Compact {
    pub(super) fn feed(feed: &Feed<'_>) -> Vec<u8> {
        let mut json = Self {
            out: Vec::with_capacity(1024 * (feed.items.len() + 1)),
            first: true,
        };
        json.open(b'{');
        json.string_field("version", feed.version);
        json.string_field("title", feed.title);
        json.string_field("home_page_url", feed.home_page_url);
        json.string_field("feed_url", &feed.feed_url);
        json.optional_field("next_url", feed.next_url.as_deref());
        json.optional_field("description", feed.description);
        json.optional_field("icon", feed.icon);
        json.optional_field("favicon", feed.favicon);
        json.string_field("language", feed.language);
        json.authors(&feed.authors);
        if !feed.hubs.is_empty() {
            json.list("hubs", &feed.hubs, |json, hub| {
                json.string_field("type", hub.kind);
                json.string_field("url", hub.url);
            });
        }
        json.list("items", &feed.items, Self::item);
        json.close(b'}');
        json.out
    }

    fn item(&mut self, item: &FeedItem<'_>) {
        self.key("id");
        self.out.push(b'"');
        for part in item.id.0.0 {
            crate::escape::push_json_escaped(&mut self.out, part);
        }
        self.out.push(b'"');
        self.string_field("url", item.url);
        self.string_field("title", item.title);
        self.optional_field("content_html", item.content_html);
        self.optional_field("content_text", item.content_text);
        self.optional_field("summary", item.summary);
        self.string_field("date_published", &item.date_published);
        self.string_field("date_modified", &item.date_modified);
        if !item.authors.is_empty() {
            self.authors(&item.authors);
        }
        if !item.tags.is_empty() {
            self.key("tags");
            self.open(b'[');
            for tag in &item.tags {
                self.member();
                self.string(tag);
            }
            self.close(b']');
        }
        self.optional_field("language", item.language);
        self.optional_field("image", item.image);
        if !item.attachments.is_empty() {
            self.list("attachments", &item.attachments, |json, attachment| {
                json.string_field("url", attachment.url);
                json.string_field("mime_type", attachment.mime_type);
                json.key("size_in_bytes");
                json.out
                    .extend_from_slice(attachment.size_in_bytes.to_string().as_bytes());
            });
        }
        self.key("_oyez");
        self.open(b'{');
        if !item.oyez.contributors.is_empty() {
            self.list("contributors", &item.oyez.contributors, |json, credit| {
                json.optional_field("handle", credit.handle);
                json.string_field("name", credit.name);
                json.key("uri");
                match credit.uri {
                    Some(uri) => json.string(uri),
                    None => json.out.extend_from_slice(b"null"),
                }
            });
        }
        self.close(b'}');
    }

    fn authors(&mut self, authors: &[Author<'_>]) {
        self.list("authors", authors, |json, author| {
            json.string_field("name", author.name);
            json.optional_field("url", author.url);
        });
    }

    /// `"name":[{…},…]`, each object's fields written by `fields`.
    fn list<T>(&mut self, name: &str, items: &[T], fields: impl Fn(&mut Self, &T)) {
        self.key(name);
        self.open(b'[');
        for item in items {
            self.member();
            self.open(b'{');
            fields(self, item);
            self.close(b'}');
        }
        self.close(b']');
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.first = true;
    }

    fn close(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.first = false;
    }

    /// The comma before every member but the first.
    fn member(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    /// `"name":` (field names need no escaping).
    fn key(&mut self, name: &str) {
        self.member();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn string(&mut self, text: &str) {
        self.out.push(b'"');
        crate::escape::push_json_escaped(&mut self.out, text);
        self.out.push(b'"');
    }

    fn string_field(&mut self, name: &str, text: &str) {
        self.key(name);
        self.string(text);
    }

    /// A field skipped when `None`, as `skip_serializing_if` does.
    fn optional_field(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.string_field(name, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Attachment, Author, Contributor, Extension, Feed, FeedItem, Hub, Joined};
    use super::Compact;
    use crate::feed::view::Parts;

    const TRICKY: &str =
        "\"quoted\" \\ <a href=\"x?a=1&b=2\">caf\u{e9}</a>\n\t\u{1}\u{7f} \u{65e5}";

    fn item<'a>(text: &'a str, full: bool) -> FeedItem<'a> {
        FeedItem {
            id: Joined(Parts(["https://e.org/", "#", text])),
            url: text,
            title: text,
            content_html: full.then_some(text),
            content_text: (!full).then_some(text),
            summary: full.then_some(text),
            date_published: "2026-01-02T00:00:00Z".into(),
            date_modified: "2026-01-02T00:00:01Z".into(),
            authors: match full {
                true => vec![Author {
                    name: text,
                    url: None,
                }],
                false => Vec::new(),
            },
            tags: match full {
                true => vec![text, "b"],
                false => Vec::new(),
            },
            language: full.then_some("es"),
            image: full.then_some(text),
            attachments: match full {
                true => vec![Attachment {
                    url: text,
                    mime_type: "audio/mpeg",
                    size_in_bytes: 12_345_678_901,
                }],
                false => Vec::new(),
            },
            oyez: Extension {
                contributors: match full {
                    true => vec![
                        Contributor {
                            handle: Some("@a"),
                            name: text,
                            uri: Some(text),
                        },
                        Contributor {
                            handle: None,
                            name: "B",
                            uri: None,
                        },
                    ],
                    false => Vec::new(),
                },
            },
        }
    }

    fn feed<'a>(text: &'a str, full: bool, items: Vec<FeedItem<'a>>) -> Feed<'a> {
        Feed {
            version: super::super::VERSION,
            title: text,
            home_page_url: text,
            feed_url: text.to_owned(),
            next_url: full.then(|| text.to_owned()),
            description: full.then_some(text),
            icon: full.then_some(text),
            favicon: full.then_some(text),
            language: "en",
            authors: vec![Author {
                name: text,
                url: full.then_some(text),
            }],
            hubs: match full {
                true => vec![Hub {
                    kind: "WebSub",
                    url: text,
                }],
                false => Vec::new(),
            },
            items,
        }
    }

    /// The twin: every field present and every field absent, with text
    /// that needs each kind of escape, written as serde_json writes it.
    #[test]
    fn compact_writes_what_serde_json_writes() {
        for text in [TRICKY, "", "plain"] {
            let cases = [
                feed(text, true, vec![item(text, true), item(text, false)]),
                feed(text, false, vec![item(text, false)]),
                feed(text, false, Vec::new()),
            ];
            for case in cases {
                let serde = serde_json::to_vec(&case).unwrap_or_default();
                assert_eq!(
                    String::from_utf8_lossy(&Compact::feed(&case)),
                    String::from_utf8_lossy(&serde)
                );
            }
        }
    }
}
