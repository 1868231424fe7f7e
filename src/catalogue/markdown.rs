//! A fast path for sanitised Markdown (issue 5): summaries that use only
//! paragraphs, bullet lists, emphasis, code spans and links cannot carry
//! anything the sanitiser removes, so their HTML is written directly from
//! the Markdown events, byte for byte as pulldown-cmark followed by ammonia
//! (and html5ever's serialiser) would write it, without parsing HTML. Any
//! other construct (raw HTML, images, headings, tables, titles on links,
//! unusual link targets...) returns `None`, and the caller sanitises.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use url::Url;

/// The `rel` the sanitiser puts on every link.
pub(super) const LINK_REL: &str = "noopener noreferrer";

/// Sanitised HTML for `events`, the events of `markdown`, or `None` when
/// they need the sanitiser.
pub(super) fn to_html<'a>(
    markdown: &str,
    events: impl Iterator<Item = Event<'a>>,
    base: &Url,
) -> Option<String> {
    if markdown.contains(['\r', '\0']) {
        return None;
    }
    let mut html = Html {
        out: String::with_capacity(markdown.len() * 3 / 2),
        end_newline: true,
        in_link: false,
    };
    for event in events {
        match event {
            Event::Start(tag) => html.start(tag, base)?,
            Event::End(tag) => html.end(tag)?,
            Event::Text(text) => {
                escape(&mut html.out, &text, false);
                html.end_newline = text.ends_with('\n');
            }
            Event::Code(text) => {
                html.write("<code>");
                escape(&mut html.out, &text, false);
                html.write("</code>");
            }
            Event::SoftBreak => html.write("\n"),
            _ => return None,
        }
    }
    Some(html.out)
}

/// The HTML so far, whether it ends a line (as pulldown-cmark tracks it),
/// and whether a link is open: an autolink inside link text would nest
/// `<a>`, which HTML parsers (and so the sanitiser) split up; found by the
/// `summary_fast_path` fuzz target.
struct Html {
    out: String,
    end_newline: bool,
    in_link: bool,
}

impl Html {
    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        if !text.is_empty() {
            self.end_newline = text.ends_with('\n');
        }
    }

    /// A block start: on a line of its own.
    fn block(&mut self, tag: &str) {
        if !self.end_newline {
            self.write("\n");
        }
        self.write(tag);
    }

    fn start(&mut self, tag: Tag<'_>, base: &Url) -> Option<()> {
        match tag {
            Tag::Paragraph => self.block("<p>"),
            Tag::List(None) => self.block("<ul>\n"),
            Tag::Item => self.block("<li>"),
            Tag::Emphasis => self.write("<em>"),
            Tag::Strong => self.write("<strong>"),
            Tag::Strikethrough => self.write("<del>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } if title.is_empty() && !self.in_link => {
                self.in_link = true;
                let href = href(&dest_url, link_type == LinkType::Email, base)?;
                self.write("<a href=\"");
                escape(&mut self.out, &href, true);
                self.write("\" rel=\"");
                self.write(LINK_REL);
                self.write("\">");
            }
            _ => return None,
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        let text = match tag {
            TagEnd::Paragraph => "</p>\n",
            TagEnd::List(false) => "</ul>\n",
            TagEnd::Item => "</li>\n",
            TagEnd::Emphasis => "</em>",
            TagEnd::Strong => "</strong>",
            TagEnd::Strikethrough => "</del>",
            TagEnd::Link => {
                self.in_link = false;
                "</a>"
            }
            _ => return None,
        };
        self.write(text);
        Some(())
    }
}

/// The link target the sanitiser would keep: pulldown-cmark's
/// percent-encoding of the destination, kept when absolute with an allowed
/// scheme, joined to `base` when relative; `None` for anything else.
fn href(dest: &str, email: bool, base: &Url) -> Option<String> {
    let mut encoded = String::with_capacity(dest.len() + 8);
    if email {
        encoded.push_str("mailto:");
    }
    pulldown_cmark_escape::escape_href(&mut encoded, dest).ok()?;
    let value = decode(&encoded);
    match Url::parse(&value) {
        Ok(url) if matches!(url.scheme(), "http" | "https" | "mailto") => Some(value),
        Err(url::ParseError::RelativeUrlWithoutBase) => base.join(&value).ok().map(String::from),
        _ => None,
    }
}

/// escape_href writes `&` and `'` as `&amp;` and `&#x27;` and leaves no
/// other `&`: decodes them as the HTML parser would.
fn decode(encoded: &str) -> String {
    let mut value = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(at) = rest.find('&') {
        value.push_str(&rest[..at]);
        let entity = &rest[at..];
        let (c, skip) = if entity.starts_with("&#x27;") {
            ('\'', 6)
        } else if entity.starts_with("&amp;") {
            ('&', 5)
        } else {
            ('&', 1)
        };
        value.push(c);
        rest = &entity[skip..];
    }
    value.push_str(rest);
    value
}

/// html5ever's escaping: `&`, no-break space, `<`, `>`, and `"` in attributes.
fn escape(out: &mut String, text: &str, attribute: bool) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\u{a0}']) {
        let (plain, special) = rest.split_at(at);
        out.push_str(plain);
        let mut chars = special.chars();
        match chars.next() {
            Some('&') => out.push_str("&amp;"),
            Some('<') => out.push_str("&lt;"),
            Some('>') => out.push_str("&gt;"),
            Some('"') if attribute => out.push_str("&quot;"),
            Some('\u{a0}') => out.push_str("&nbsp;"),
            Some(c) => out.push(c),
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}
