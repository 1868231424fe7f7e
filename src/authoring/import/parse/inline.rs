//! The inline content of one list item, heading or paragraph, gathered
//! from pulldown-cmark events as Markdown (re-escaped, links resolved),
//! as plain text, and as the list of its links; and how an item's content
//! splits into title, link and summary.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Skipped;
use crate::catalogue::is_handle;
use crate::site::list::{escape_inline, escape_inline_after, escape_url};

/// Inline content as it is gathered.
#[derive(Debug, Default)]
pub(crate) struct Acc {
    /// Markdown, re-written from the events (reference links resolved).
    pub(crate) md: String,
    /// Plain text: link text and code included, images left out.
    pub(crate) plain: String,
    pub(crate) links: Vec<Link>,
    /// Open links: index into `links`.
    open: Vec<usize>,
    /// Depth of images being read (their alt text is not content).
    images: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) url: String,
    pub(crate) line: usize,
    pub(crate) md_start: usize,
    pub(crate) md_end: usize,
    pub(crate) plain_start: usize,
    pub(crate) plain_end: usize,
    /// A link around an image and nothing else: a badge.
    pub(crate) image_only: bool,
}

impl Acc {
    /// A word break (a new paragraph in the same item).
    pub(crate) fn space(&mut self) {
        if !self.plain.is_empty() && !self.plain.ends_with(' ') {
            self.plain.push(' ');
            self.md.push(' ');
        }
    }

    pub(crate) fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Text(text) if self.images == 0 => {
                // Control characters cannot go into feeds or mail: `oyez check` refuses them.
                let text: String = text.chars().filter(|&c| is_printable(c)).collect();
                self.md
                    .push_str(&escape_inline_after(self.plain.chars().next_back(), &text));
                self.plain.push_str(&text);
            }
            Event::Code(code) if self.images == 0 => {
                let code: String = code.chars().filter(|&c| is_printable(c)).collect();
                let fence = if code.contains('`') { "`` " } else { "`" };
                let close = if code.contains('`') { " ``" } else { "`" };
                self.md.push_str(&format!("{fence}{code}{close}"));
                self.plain.push_str(&code);
            }
            Event::SoftBreak | Event::HardBreak => self.space(),
            Event::InlineHtml(html) => self.md.push_str(&html),
            Event::Start(Tag::Emphasis) => self.md.push('*'),
            Event::End(TagEnd::Emphasis) => self.md.push('*'),
            Event::Start(Tag::Strong) => self.md.push_str("**"),
            Event::End(TagEnd::Strong) => self.md.push_str("**"),
            Event::Start(Tag::Strikethrough) => self.md.push_str("~~"),
            Event::End(TagEnd::Strikethrough) => self.md.push_str("~~"),
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => {
                self.images = self.images.saturating_sub(1);
                if let Some(&open) = self.open.last()
                    && let Some(link) = self.links.get_mut(open)
                {
                    link.image_only = true;
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if self.images == 0 => {
                self.md.push('[');
                self.open.push(self.links.len());
                self.links.push(Link {
                    url: dest_url.trim().to_owned(),
                    line,
                    md_start: self.md.len() - 1,
                    md_end: 0,
                    plain_start: self.plain.len(),
                    plain_end: 0,
                    image_only: false,
                });
            }
            Event::End(TagEnd::Link) if self.images == 0 => self.close_link(),
            _ => {}
        }
    }

    fn close_link(&mut self) {
        let Some(index) = self.open.pop() else {
            return;
        };
        let Some(link) = self.links.get_mut(index) else {
            return;
        };
        let text = self.plain.get(link.plain_start..).unwrap_or_default();
        if !text.trim().is_empty() {
            link.image_only = false;
        }
        self.md.push_str(&format!("]({})", escape_url(&link.url)));
        link.md_end = self.md.len();
        link.plain_end = self.plain.len();
        self.drop_badge(index);
    }

    /// The plain text on one line, spaces collapsed.
    pub(crate) fn plain_line(&self) -> String {
        one_line(&self.plain)
    }

    /// Credited `@handles` in the plain text outside link texts, without
    /// `@`, first occurrence first.
    pub(crate) fn handles(&self) -> Vec<String> {
        let mut text = self.plain.clone();
        for link in &self.links {
            let range = link.plain_start..link.plain_end.max(link.plain_start);
            if text.get(range.clone()).is_some() {
                text.replace_range(range.clone(), &" ".repeat(range.len()));
            }
        }
        handles(&text)
    }

    /// Drops the Markdown of an image-only link (a badge), so no empty
    /// `[](url)` is left in a summary.
    fn drop_badge(&mut self, index: usize) {
        let Some(link) = self.links.get(index) else {
            return;
        };
        if link.image_only && link.md_end == self.md.len() && link.md_start <= self.md.len() {
            self.md.truncate(link.md_start);
            let md_start = link.md_start;
            if let Some(link) = self.links.get_mut(index) {
                link.md_end = md_start;
            }
        }
    }
}

/// A candidate `@handle`: where it starts and ends in the text.
struct Mention<'t> {
    start: usize,
    end: usize,
    handle: &'t str,
}

/// `@handles` in `text` credited in the forms the README documents, without
/// `@`: after `by` or `thanks` (`thanks to @a, @b and @c`), or trailing the
/// text. Never inside a word, an e-mail address, a path (`hex/@tag`) or a
/// package name (`@parcel/css`).
pub(crate) fn handles(text: &str) -> Vec<String> {
    let mentions = mentions(text);
    let mut credited = vec![false; mentions.len()];
    for (index, mention) in mentions.iter().enumerate() {
        let before = &text[..mention.start];
        credited[index] = follows_credit_word(before)
            || index.checked_sub(1).is_some_and(|previous| {
                credited[previous] && only_separators(&text[mentions[previous].end..mention.start])
            });
    }
    // A trailing run: `… @a`, `… @a @b.`, `… (@a, @b)`.
    let mut tail = text.len();
    for (index, mention) in mentions.iter().enumerate().rev() {
        let after = &text[mention.end..tail];
        let ends = after
            .chars()
            .all(|c| c.is_whitespace() || ".,;:!)&".contains(c))
            || only_separators(after);
        if !ends {
            break;
        }
        credited[index] = true;
        tail = mention.start;
    }
    let mut found: Vec<String> = Vec::new();
    for (mention, credited) in mentions.iter().zip(credited) {
        if credited && !found.iter().any(|known| known == mention.handle) {
            found.push(mention.handle.to_owned());
        }
    }
    found
}

fn mentions(text: &str) -> Vec<Mention<'_>> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| !(c.is_whitespace() || c == '(' || c == ',')) {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(rest.len());
        let handle = rest[..end].trim_end_matches(['.', '-']);
        let next = rest[handle.len()..].chars().next();
        let continues = next.is_some_and(|c| c.is_alphanumeric() || "/@\\".contains(c));
        if is_handle(handle) && !continues {
            found.push(Mention {
                start: at,
                end: at + 1 + handle.len(),
                handle,
            });
        }
    }
    found
}

/// Whether `before` ends with `by`, `thanks`, `thanks to` or `thank you`.
fn follows_credit_word(before: &str) -> bool {
    let lower = before.trim_end_matches([' ', '(', ':']).to_lowercase();
    ["by", "thanks", "thanks to", "thank you", "thank you to"]
        .iter()
        .any(|word| {
            lower.strip_suffix(word).is_some_and(|head| {
                head.chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        })
}

/// Only what separates handles in a list of credits: spaces, commas, `&`, `and`.
fn only_separators(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '&')
        .all(|word| word.is_empty() || word == "and")
}

/// `text` without the characters feeds and mail cannot carry.
pub(super) fn printable(text: &str) -> String {
    text.chars().filter(|&c| is_printable(c)).collect()
}

/// Whitespace (folded later) or a character feeds and mail can carry.
fn is_printable(c: char) -> bool {
    let noncharacter = matches!(c, '\u{fffe}' | '\u{ffff}');
    (!c.is_control() || c.is_whitespace()) && !noncharacter
}

/// Drops emphasis markers that close at the end (`…**`), not escaped ones (`\*`).
fn trim_closing(md: &str) -> &str {
    let trimmed = md.trim_end_matches(['*', '_']);
    if trimmed.ends_with('\\') { md } else { trimmed }
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops what separates a title from its description: closing emphasis
/// markers, then `-`, `—`, `–`, `:` or `|`.
pub(crate) fn strip_separator(text: &str) -> String {
    // Emphasis markers right after the title close it (`**[T](u)** - …`);
    // after a space they open the description and stay.
    let text = text.trim_start_matches(['*', '_']).trim_start();
    let text = text.strip_prefix(['-', '—', '–', ':', '|']).unwrap_or(text);
    one_line(text)
}

/// `text` without a trailing credit, `(thanks @a, @b and @c)`, which the
/// item's `by` carries; `None` when there is none. The regenerated list
/// writes credits this way.
pub(crate) fn strip_thanks(text: &str) -> Option<String> {
    let body = text.trim_end().strip_suffix(')')?;
    let open = body.rfind('(')?;
    let credit = body[open + 1..].strip_prefix("thanks ")?;
    let only_handles = credit
        .split([',', ' '])
        .filter(|word| !word.is_empty() && *word != "and")
        .all(|word| word.strip_prefix('@').is_some_and(is_handle));
    only_handles.then(|| body[..open].trim_end().to_owned())
}

/// `Name (@handle)` credits in a paragraph or item, the name maybe a link:
/// what the regenerated list's "Contributors" section says.
pub(crate) fn credits(acc: &Acc) -> Vec<super::Contributor> {
    let plain = &acc.plain;
    let mut found = Vec::new();
    let mut start = 0;
    for (at, _) in plain.match_indices("(@") {
        let Some(close) = plain[at..].find(')').map(|c| at + c) else {
            break;
        };
        let handle = &plain[at + 2..close];
        let before = plain.get(start..at).unwrap_or_default();
        let name = before
            .trim()
            .trim_start_matches("Thanks to")
            .trim_start_matches([',', ' '])
            .trim_start_matches("and ")
            .trim();
        if is_handle(handle) && !name.is_empty() {
            let uri = acc
                .links
                .iter()
                .find(|l| l.plain_start >= start && l.plain_end <= at && is_web(&l.url));
            found.push(super::Contributor {
                handle: handle.to_owned(),
                name: one_line(name),
                uri: uri.map(|l| l.url.clone()),
            });
        }
        start = close + 1;
    }
    found
}

/// An item's content as an entry.
#[derive(Debug)]
pub(crate) struct ParsedItem {
    pub(crate) title: String,
    pub(crate) url: Option<String>,
    pub(crate) summary: Option<String>,
    /// Links that are not the entry's own and not kept in the summary.
    dropped: Vec<(usize, String, &'static str)>,
}

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

fn is_web(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && url::Url::parse(url).is_ok()
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
    let mut dropped = Vec::new();
    let mut first = None;
    for link in &acc.links {
        if link.image_only {
            dropped.push((link.line, link.url.clone(), "a badge"));
        } else if first.is_none() && is_web(&link.url) {
            first = Some(link);
        }
    }
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
    Ok(ParsedItem {
        title,
        url: Some(link.url.clone()),
        summary: (!summary.is_empty()).then_some(summary),
        dropped,
    })
}

fn without_link(acc: &Acc, plain: &str, dropped: Vec<(usize, String, &'static str)>) -> ParsedItem {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_skip_mail_addresses() {
        assert_eq!(
            handles("thanks to @alice, @bob_2. and jane@example.org (@alice)"),
            ["alice", "bob_2"]
        );
    }

    #[test]
    fn trailing_credits_are_taken_out() {
        assert_eq!(
            strip_thanks("A talk (thanks @a, @b and @c_d)").as_deref(),
            Some("A talk")
        );
        assert_eq!(strip_thanks("(thanks @a)").as_deref(), Some(""));
        assert_eq!(strip_thanks("A talk (thanks to the team)"), None);
        assert_eq!(strip_thanks("A talk (slides)"), None);
    }

    #[test]
    fn separators_are_dropped() {
        assert_eq!(strip_separator(" - A tool"), "A tool");
        assert_eq!(strip_separator("** — A tool"), "A tool");
        assert_eq!(strip_separator(": A tool"), "A tool");
        assert_eq!(strip_separator(" (Spanish)"), "(Spanish)");
        assert_eq!(strip_separator(" *(opt)* — x"), "*(opt)* — x");
    }
}
