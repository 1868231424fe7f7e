//! Sanitised HTML for summaries and update notes written without the
//! sanitiser (issue 5). Twin: pulldown-cmark's HTML cleaned by ammonia
//! (`text.rs`), which both writers here must equal byte for byte (up to
//! trailing whitespace); proved by `text.rs`'s tests and the
//! `summary_fast_path` fuzz target.
//!
//! Two writers share the escaping and the link targets here:
//! [`push_scanned_html`], the HTML of what the one-scan reader (`scan.rs`)
//! reads, without parsing; and [`to_html`], the middle tier, from
//! pulldown-cmark's events for summaries that use only paragraphs, bullet
//! lists, emphasis, strikethrough, code spans and links, which cannot carry
//! anything the sanitiser removes. Any other construct (raw HTML, images,
//! headings, tables, titles on links, unusual link targets...) returns
//! `None`, and the caller sanitises.
//!
//! Why the middle tier stays (issue 12): the one scan does not cover it.
//! It refuses bullet lists, `~~strikethrough~~`, `_emphasis_`, nested
//! emphasis, entities, backslash escapes and link targets that need
//! percent-encoding, which the middle tier writes. Without it those
//! summaries would go to ammonia: the same bytes, but, measured per
//! summary on one thread, 3.1 µs instead of 0.7 µs for the example's
//! one-line update note ending in `@jpgcc_`, 42 µs instead of 5 µs for a
//! short summary with a list, and 8.2 ms instead of 0.17 ms for the
//! corpus's 10,000 `&` (ammonia's cost grows with the square of the `&`,
//! `limits.rs`). The generated benchmark catalogue does not show it (the
//! one scan takes all its summaries); hand-written ones do.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use url::Url;

use crate::byte_set::ByteSet;

use super::scan::{Sink, scan};
use super::targets::Targets;

/// The `rel` the sanitiser puts on every link.
pub(super) const LINK_REL: &str = "noopener noreferrer";

/// Sanitised HTML for `events`, the events of `markdown`, or `None` when
/// they need the sanitiser or would nest elements `max_depth` deep (each
/// start event opens one element, a code span one more inside it).
pub(super) fn to_html<'a>(
    markdown: &str,
    events: impl Iterator<Item = Event<'a>>,
    base: &Url,
    max_depth: usize,
) -> Option<String> {
    if markdown.contains(['\r', '\0']) {
        return None;
    }
    let mut html = Html {
        out: String::with_capacity(markdown.len() * 3 / 2),
        end_newline: true,
        in_link: false,
        depth: 0,
        targets: Targets::new(base),
    };
    for event in events {
        match event {
            Event::Start(tag) => {
                html.depth += 1;
                if html.depth + 1 >= max_depth {
                    return None;
                }
                html.start(tag)?;
            }
            Event::End(tag) => {
                html.depth = html.depth.saturating_sub(1);
                html.end(tag)?;
            }
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

/// Appends to `out` what [`to_html`] writes for `markdown` when the
/// one-scan reader ([`scan`]) takes it all and every link has a web
/// target; otherwise `None`, with `out` part-written.
pub(super) fn push_scanned_html(out: &mut String, markdown: &str, base: &Url) -> Option<()> {
    let blank = markdown.trim_start_matches('\n').is_empty();
    if !blank {
        out.push_str("<p>");
    }
    let mut html = ScannedHtml {
        out,
        targets: Targets::new(base),
        in_list: false,
    };
    scan(markdown, &mut html)?;
    let end = if html.in_list {
        "</li>\n</ul>\n"
    } else {
        "</p>\n"
    };
    if !blank {
        out.push_str(end);
    }
    Some(())
}

/// HTML from what [`scan`] reads: one paragraph per run of lines.
struct ScannedHtml<'o, 'b> {
    out: &'o mut String,
    targets: Targets<'b>,
    /// Inside the closing bullet list.
    in_list: bool,
}

impl ScannedHtml<'_, '_> {
    /// `<a href="target" rel="…">text</a>`, `None` unless `dest` has a
    /// web target as [`href`] has it (the characters of `dest` need no
    /// percent-encoding, so the target is `dest` or joins it to `base`).
    fn link(&mut self, text: &str, dest: &str) -> Option<()> {
        let target = self
            .targets
            .resolve_with(dest, |dest, base| href(dest, false, base))?;
        self.out.push_str("<a href=\"");
        escape(self.out, target, true);
        self.out.push_str("\" rel=\"");
        self.out.push_str(LINK_REL);
        self.out.push_str("\">");
        escape(self.out, text, false);
        self.out.push_str("</a>");
        Some(())
    }
}

impl Sink for ScannedHtml<'_, '_> {
    fn text(&mut self, text: &str) {
        escape(self.out, text, false);
    }

    fn emphasis(&mut self, strong: bool, opening: bool) {
        self.out.push_str(match (strong, opening) {
            (true, true) => "<strong>",
            (true, false) => "</strong>",
            (false, true) => "<em>",
            (false, false) => "</em>",
        });
    }

    fn code(&mut self, code: &str) {
        self.out.push_str("<code>");
        escape(self.out, code, false);
        self.out.push_str("</code>");
    }

    fn link(&mut self, text: &str, dest: &str) -> Option<()> {
        ScannedHtml::link(self, text, dest)
    }

    fn autolink(&mut self, dest: &str) -> Option<()> {
        ScannedHtml::link(self, dest, dest)
    }

    fn line_break(&mut self, paragraph: bool) {
        self.out
            .push_str(if paragraph { "</p>\n<p>" } else { "\n" });
    }

    fn list_item(&mut self, first: bool) {
        self.in_list = true;
        self.out.push_str(if first {
            "</p>\n<ul>\n<li>"
        } else {
            "</li>\n<li>"
        });
    }
}

/// The HTML so far, whether it ends a line (as pulldown-cmark tracks it),
/// and whether a link is open: an autolink inside link text would nest
/// `<a>`, which HTML parsers (and so the sanitiser) split up; found by the
/// `summary_fast_path` fuzz target.
struct Html<'b> {
    out: String,
    end_newline: bool,
    in_link: bool,
    /// Elements open.
    depth: usize,
    targets: Targets<'b>,
}

impl Html<'_> {
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

    fn start(&mut self, tag: Tag<'_>) -> Option<()> {
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
                let email = link_type == LinkType::Email;
                let href = if email {
                    &href(&dest_url, true, self.targets.base())?
                } else {
                    self.targets
                        .resolve_with(&dest_url, |dest, base| href(dest, false, base))?
                };
                self.out.push_str("<a href=\"");
                escape(&mut self.out, href, true);
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
/// Skips to the next byte that may need escaping (every special character
/// but the no-break space is ASCII; it is the UTF-8 pair C2 A0) and copies
/// the runs between them.
fn escape(out: &mut String, text: &str, attribute: bool) {
    let special = if attribute {
        &SPECIAL_IN_ATTRIBUTE
    } else {
        &SPECIAL_IN_TEXT
    };
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(|rest| special.find(rest)) {
        at += found;
        let (entity, len) = match bytes.get(at..at + 2) {
            Some([0xc2, 0xa0]) => ("&nbsp;", 2),
            _ => match bytes.get(at) {
                Some(b'&') => ("&amp;", 1),
                Some(b'<') => ("&lt;", 1),
                Some(b'>') => ("&gt;", 1),
                Some(b'"') => ("&quot;", 1),
                _ => {
                    at += 1; // a C2 that starts another character
                    continue;
                }
            },
        };
        out.push_str(text.get(run..at).unwrap_or_default());
        out.push_str(entity);
        at += len;
        run = at;
    }
    out.push_str(text.get(run..).unwrap_or_default());
}

/// Bytes that may start something [`escape`] replaces.
const SPECIAL_IN_TEXT: ByteSet = ByteSet::of(b"&<>\xc2");
const SPECIAL_IN_ATTRIBUTE: ByteSet = ByteSet::of(b"&<>\"\xc2");
