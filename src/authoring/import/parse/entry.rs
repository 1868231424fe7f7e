//! How an item's content splits into title, link and summary, and which
//! of its links go nowhere.

use super::document::Skipped;
use super::inline::{Acc, Link, is_web, one_line, strip_separator};
use crate::site::list::{bracketed_note, escape_inline};

/// An item's content as an entry.
#[derive(Debug)]
pub(crate) struct ParsedItem {
    pub(crate) title: String,
    pub(crate) url: Option<String>,
    pub(crate) summary: Option<String>,
    dropped: Dropped,
}

/// Links that are not the entry's own and not kept in the summary: line,
/// URL, why.
type Dropped = Vec<(usize, String, &'static str)>;

impl ParsedItem {
    /// Reports the links of the item that went nowhere.
    pub(crate) fn extra_links(&mut self, skipped: &mut Vec<Skipped>) {
        for (line, url, reason) in self.dropped.drain(..) {
            skipped.push(Skipped {
                line,
                what: url,
                reason: reason.to_owned(),
            });
        }
    }
}

/// Splits an item into title, URL and summary; `Err` says why it is no entry.
///
/// - `[Title](url) - description` (or `—`, `–`, `:`): the link is the entry;
///   what follows the separator, other links included, is the summary.
/// - `Text [link](url) …`: the text is the title, the first link the URL,
///   and everything from that link on the summary.
/// - no link: a bare `http(s)://` URL in the text is the link; otherwise
///   the whole text is the title (`**Title** - description` splits).
pub(crate) fn entry(acc: &Acc) -> Result<ParsedItem, &'static str> {
    let plain = acc.plain_line();
    // Badges are kept as the item's own (`Acc::badges`).
    let dropped = Vec::new();
    let first = acc.links.iter().find(|l| !l.image_only && is_web(&l.url));
    let Some(link) = first else {
        if let Some(link) = acc.links.iter().find(|l| !l.image_only) {
            return Err(if link.url.starts_with('#') {
                "a link within the page (table of contents)"
            } else {
                "not an absolute http(s) link"
            });
        }
        if plain.is_empty() {
            return Err("empty item");
        }
        return Ok(without_link(acc, &plain, dropped));
    };
    Ok(with_link(acc, link, dropped))
}

/// An item with a web link: `[Title](url) - …`, `Label: [link](url), …`
/// or `Chapter 3 of [the book](url) - …`.
fn with_link(acc: &Acc, link: &Link, dropped: Dropped) -> ParsedItem {
    let before = acc.plain.get(..link.plain_start).unwrap_or_default();
    let raw_prefix = one_line(before.trim_matches(['*', '_', ' ']));
    let mut prefix = raw_prefix
        .trim_end_matches([':', '-', '—', '–', '|', ' '])
        .to_owned();
    if !prefix.chars().any(char::is_alphanumeric) {
        // An emoji or a bullet before the link is decoration, not a title.
        prefix.clear();
    }
    let text = one_line(
        acc.plain
            .get(link.plain_start..link.plain_end)
            .unwrap_or_default(),
    );
    let text = if text.is_empty() || text == link.url {
        bare_title(&link.url).to_owned()
    } else {
        text
    };
    let rest = strip_separator(acc.md.get(link.md_end..).unwrap_or_default());
    let rest = bracketed_note(&rest).unwrap_or(rest);
    let (title, summary) = if prefix.is_empty() {
        (text, rest)
    } else if prefix.len() < raw_prefix.len() {
        // `Label: [link](url), [other](url2)`: the label is the title.
        let from_link = acc.md.get(link.md_start..).unwrap_or_default();
        (prefix, one_line(trim_closing(from_link)))
    } else {
        // `Chapter 3 of [the book](url) - …`: one sentence.
        (format!("{prefix} {text}"), rest)
    };
    ParsedItem {
        title,
        url: Some(link.url.clone()),
        summary: (!summary.is_empty()).then_some(summary),
        dropped,
    }
}

fn without_link(acc: &Acc, plain: &str, dropped: Dropped) -> ParsedItem {
    let bare = plain
        .split_whitespace()
        .map(|word| word.trim_end_matches(['.', ',', ';', ')']))
        .find(|word| is_web(word));
    if let Some(url) = bare {
        let (before, after) = plain.split_once(url).unwrap_or((plain, ""));
        let before = before.trim().trim_end_matches([':', '-', '—', '–', ' ']);
        let after = strip_separator(after);
        let title = if before.is_empty() {
            bare_title(url)
        } else {
            before
        };
        return ParsedItem {
            title: title.to_owned(),
            url: Some(url.to_owned()),
            summary: (!after.is_empty()).then(|| escape_inline(&after)),
            dropped,
        };
    }
    if let Some(rest) = acc.md.strip_prefix("**")
        && let Some(end) = rest.find("**")
    {
        let title = one_line(&unescape(&rest[..end]).replace('`', ""));
        let summary = strip_separator(&rest[end + 2..]);
        if !title.is_empty() && !summary.is_empty() {
            return ParsedItem {
                title,
                url: None,
                summary: Some(summary),
                dropped,
            };
        }
    }
    ParsedItem {
        title: plain.trim_end_matches(':').trim().to_owned(),
        url: None,
        summary: None,
        dropped,
    }
}

/// A URL shown as a title: without its scheme and trailing `/`.
fn bare_title(url: &str) -> &str {
    url.split_once("://")
        .map_or(url, |(_, rest)| rest)
        .trim_end_matches('/')
}

/// Markdown text with its backslash escapes removed.
fn unescape(md: &str) -> String {
    let mut text = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {}
            _ => text.push(c),
        }
    }
    text
}

/// Drops emphasis markers that close at the end (`…**`), not escaped ones (`\*`).
fn trim_closing(md: &str) -> &str {
    let trimmed = md.trim_end_matches(['*', '_']);
    if trimmed.ends_with('\\') { md } else { trimmed }
}
