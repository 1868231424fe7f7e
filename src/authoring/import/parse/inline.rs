//! The inline content of one list item, heading or paragraph, gathered
//! from pulldown-cmark events as Markdown (re-escaped, links resolved),
//! as plain text, and as the list of its links; and the text shaping the
//! reader shares (one line, printable characters, separators).

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::site::list::{escape_inline_after, escape_url};

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
    /// Where code spans are in `plain`: no `@handle` there is a credit.
    pub(crate) codes: Vec<std::ops::Range<usize>>,
    /// The badges (links around an image only, images outside links) as
    /// Markdown, in order, apart as they were written.
    pub(crate) badges: String,
    /// Where `md` ended after the last badge was taken out of it.
    badge_end: Option<usize>,
    /// The image being read: its alt text and source.
    image: (String, String),
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
                let start = self.plain.len();
                self.plain.push_str(&code);
                self.codes.push(start..self.plain.len());
            }
            Event::SoftBreak | Event::HardBreak => self.space(),
            Event::InlineHtml(html) => self.md.push_str(&html),
            Event::Start(Tag::Emphasis) => self.md.push('*'),
            Event::End(TagEnd::Emphasis) => self.md.push('*'),
            Event::Start(Tag::Strong) => self.md.push_str("**"),
            Event::End(TagEnd::Strong) => self.md.push_str("**"),
            Event::Start(Tag::Strikethrough) => self.md.push_str("~~"),
            Event::End(TagEnd::Strikethrough) => self.md.push_str("~~"),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.images += 1;
                self.image = (String::new(), dest_url.trim().to_owned());
            }
            Event::Text(alt) => self.image.0.push_str(&alt),
            Event::End(TagEnd::Image) => self.close_image(),
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

    fn close_image(&mut self) {
        if self.images == 1 && self.open.is_empty() {
            // An image outside any link: a badge without a target.
            self.images = 0;
            let (alt, src) = std::mem::take(&mut self.image);
            let alt = escape_inline_after(None, &printable(&alt));
            self.push_badge(self.md.len(), &format!("![{alt}]({})", escape_url(&src)));
            return;
        }
        self.images = self.images.saturating_sub(1);
        if let Some(&open) = self.open.last()
            && let Some(link) = self.links.get_mut(open)
        {
            link.image_only = true;
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

    /// Adds `badge`, which stood at `at` in `md`: right after the last
    /// badge, without a space, as written.
    fn push_badge(&mut self, at: usize, badge: &str) {
        if !self.badges.is_empty() && self.badge_end != Some(at) {
            self.badges.push(' ');
        }
        self.badges.push_str(badge);
        self.badge_end = Some(self.md.len());
    }

    /// The plain text on one line, spaces collapsed.
    pub(crate) fn plain_line(&self) -> String {
        one_line(&self.plain)
    }

    /// Drops the Markdown of an image-only link (a badge), so no empty
    /// `[](url)` is left in a summary.
    fn drop_badge(&mut self, index: usize) {
        let Some(link) = self.links.get(index) else {
            return;
        };
        if link.image_only && link.md_end == self.md.len() && link.md_start <= self.md.len() {
            let (alt, src) = &self.image;
            let alt = escape_inline_after(None, &printable(alt));
            let badge = format!("[![{alt}]({})]({})", escape_url(src), escape_url(&link.url));
            let md_start = link.md_start;
            self.md.truncate(md_start);
            self.push_badge(md_start, &badge);
            if let Some(link) = self.links.get_mut(index) {
                link.md_end = md_start;
            }
        }
    }
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

/// An absolute `http(s)://` URL that parses.
pub(super) fn is_web(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && url::Url::parse(url).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_dropped() {
        assert_eq!(strip_separator(" - A tool"), "A tool");
        assert_eq!(strip_separator("** — A tool"), "A tool");
        assert_eq!(strip_separator(": A tool"), "A tool");
        assert_eq!(strip_separator(" (Spanish)"), "(Spanish)");
        assert_eq!(strip_separator(" *(opt)* — x"), "*(opt)* — x");
    }
}
