//! Reading a Markdown list with pulldown-cmark's event stream (no regular
//! expressions over Markdown): the document's title and description, its
//! headings as sections, its list items as candidate entries, the dated
//! items of an "Updates"-like section as update-log lines, and every link
//! that is not an entry as skipped, with its line. Pure: text in, data out.
//!
//! Here: the walk over the block structure (headings, paragraphs, tables,
//! list items, HTML and quotes). How each block ends is in `sections`,
//! `paragraphs`, `items` and `log`; an item's inline content is gathered
//! by `inline`, split into an entry by `entry`, its credits read by
//! `handles`; the data it yields is in `document`.

mod dates;
mod document;
mod entry;
mod handles;
mod header;
pub(super) mod inline;
mod items;
mod kept;
mod log;
mod paragraphs;
mod sections;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub use document::{Contributor, Document, Item, LogLine, Section, SectionKind, Skipped};
use inline::Acc;
use sections::{CONTRIBUTORS, heading_level};

/// Parses `markdown`.
pub fn parse(markdown: &str) -> Document {
    let mut walker = Walker::new(markdown);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        walker.event(event, range.start);
    }
    let mut doc = walker.doc;
    if let Some((line, quoted)) = walker.description_from {
        let what = if quoted {
            "quoted paragraph"
        } else {
            "paragraph"
        };
        doc.guessed
            .push(format!("description from the {what} on line {line}"));
    }
    let mut html_header = None;
    if doc.title.is_none()
        && let Some((title, how, line)) = walker.html_title
    {
        let guess = format!("title {title:?} from {how} (line {line})");
        doc.guessed.insert(0, guess);
        doc.title = Some(title);
        html_header = Some(line);
    }
    doc.awesome = header::has_awesome_badge(markdown);
    let starts = &walker.line_starts;
    let line_of = |offset| starts.partition_point(|&start| start <= offset);
    let description = walker.description_from.map(|(line, _)| line);
    kept::keep(markdown, &mut doc, line_of, (description, html_header));
    doc.items.sort_by_key(|item| item.line);
    kept::list_style(markdown, &mut doc);
    log::undated_log_items(&mut doc);
    doc
}

/// What the inline events currently go into.
#[derive(Debug)]
enum FrameKind {
    Heading(u8),
    Paragraph,
    Table,
    Item(Box<ItemFrame>),
}

#[derive(Debug, Default)]
struct ItemFrame {
    has_children: bool,
    /// Links and text of nested items (update-log lines use them).
    child_links: Vec<String>,
    child_text: String,
}

#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    acc: Acc,
    line: usize,
}

struct Walker {
    line_starts: Vec<usize>,
    frames: Vec<Frame>,
    doc: Document,
    /// Whether a list has been seen since the current section started.
    section_has_list: bool,
    /// The raw HTML block being read before any section, and its line.
    html: Option<(String, usize)>,
    /// A title read from an HTML header, how, and its line.
    html_title: Option<(String, &'static str, usize)>,
    /// Depth of block quotes being read.
    quotes: usize,
    /// The line of the paragraph taken as the description, and whether it
    /// was quoted (`> A curated list of…`, which wins over a plain one).
    description_from: Option<(usize, bool)>,
}

impl Walker {
    fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            line_starts,
            frames: Vec::new(),
            doc: Document::default(),
            section_has_list: false,
            html: None,
            html_title: None,
            quotes: 0,
            description_from: None,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn in_item(&self) -> bool {
        self.frames
            .iter()
            .any(|frame| matches!(frame.kind, FrameKind::Item(_)))
    }

    fn push(&mut self, kind: FrameKind, offset: usize) {
        // An item indented with a tab may start at the line break before it.
        let at_break = self.line_starts.binary_search(&(offset + 1)).is_ok();
        let line = self.line_of(offset + usize::from(at_break));
        self.frames.push(Frame {
            kind,
            acc: Acc::default(),
            line,
        });
    }

    fn event(&mut self, event: Event<'_>, offset: usize) {
        let line = self.line_of(offset);
        match event {
            Event::Start(Tag::Heading { level, .. }) if !self.in_item() => {
                self.push(FrameKind::Heading(heading_level(level)), offset);
            }
            Event::Start(Tag::Paragraph) if !self.in_item() && self.frames.is_empty() => {
                self.push(FrameKind::Paragraph, offset);
            }
            Event::Start(Tag::Table(_)) if !self.in_item() => self.push(FrameKind::Table, offset),
            Event::Start(Tag::List(_)) => self.section_has_list = true,
            Event::Start(Tag::Item) => {
                if let Some(FrameKind::Item(parent)) = self.frames.last_mut().map(|f| &mut f.kind) {
                    parent.has_children = true;
                }
                self.push(FrameKind::Item(Box::default()), offset);
            }
            Event::Start(Tag::Paragraph) => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.acc.space();
                }
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::End(TagEnd::Paragraph) if self.top_is(|k| matches!(k, FrameKind::Paragraph)) => {
                self.end_paragraph();
            }
            Event::End(TagEnd::Table) if self.top_is(|k| matches!(k, FrameKind::Table)) => {
                if let Some(frame) = self.frames.pop() {
                    self.skip_links(&frame.acc, "a link in a table");
                }
            }
            Event::End(TagEnd::Item) => self.end_item(),
            Event::Start(Tag::HtmlBlock)
                if self.frames.is_empty() && self.doc.sections.is_empty() =>
            {
                self.html = Some((String::new(), line));
            }
            Event::Html(html) if self.html.is_some() => {
                if let Some((text, _)) = &mut self.html {
                    text.push_str(&html);
                }
            }
            Event::End(TagEnd::HtmlBlock) => self.end_html(),
            Event::Start(Tag::BlockQuote(_)) => self.quotes += 1,
            Event::End(TagEnd::BlockQuote(_)) => self.quotes = self.quotes.saturating_sub(1),
            other => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.acc.event(other, line);
                }
            }
        }
    }

    fn top_is(&self, test: impl Fn(&FrameKind) -> bool) -> bool {
        self.frames.last().is_some_and(|frame| test(&frame.kind))
    }

    fn skip_links(&mut self, acc: &Acc, reason: &str) {
        for link in &acc.links {
            let reason = if link.image_only { "a badge" } else { reason };
            self.doc.skipped.push(Skipped {
                line: link.line,
                what: link.url.clone(),
                reason: reason.to_owned(),
            });
        }
    }

    /// In a "Contributors" section, each `Name (@handle)`, the name maybe a link.
    fn read_contributors(&mut self, acc: &Acc) {
        let in_credits = self
            .doc
            .sections
            .last()
            .is_some_and(|s| s.kind == SectionKind::Ignored(CONTRIBUTORS));
        if in_credits {
            self.doc.contributors.extend(handles::credits(acc));
        }
    }

    /// An HTML block before any section: a header whose `<h1>` (or
    /// centred `<p>` logo) may give the title the Markdown lacks.
    fn end_html(&mut self) {
        let Some((html, line)) = self.html.take() else {
            return;
        };
        if self.html_title.is_none()
            && let Some((title, how)) = header::html_title(&html)
        {
            self.html_title = Some((title, how, line));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_description_and_sections() {
        let doc = parse(
            "# My list\n\nWhat it is.\n\n## Tools\n\nSmall tools.\n\n- [A](https://a.example) - Does a.\n\n## License\n\n- [CC0](https://cc.example)\n",
        );
        assert_eq!(doc.title.as_deref(), Some("My list"));
        assert_eq!(doc.description.as_deref(), Some("What it is."));
        assert_eq!(doc.sections.len(), 2);
        assert_eq!(doc.sections[0].description.as_deref(), Some("Small tools."));
        assert_eq!(
            doc.sections[1].kind,
            SectionKind::Ignored("license or contributing")
        );
        assert_eq!(doc.items.len(), 1);
        assert_eq!(doc.items[0].summary.as_deref(), Some("Does a."));
        assert_eq!(doc.items[0].line, 9);
        assert_eq!(doc.skipped[0].line, 13);
    }

    #[test]
    fn nested_headings_know_their_parent() {
        let doc = parse("## Tools\n### Build\n- [B](https://b.example)\n## Reading\n");
        assert_eq!(doc.sections[1].parent, Some(0));
        assert_eq!(doc.sections[2].parent, None);
        assert_eq!(doc.items[0].section, Some(1));
    }

    #[test]
    fn update_lines_credit_every_handle() {
        let doc = parse(
            "## Changelog\n\n- 2021-02-07: Added [X](https://x.example) thanks to @a and @b-c.\n  - [Y](https://y.example)\n",
        );
        assert_eq!(doc.log.len(), 1);
        let line = &doc.log[0];
        assert_eq!(line.date.to_string(), "2021-02-07");
        assert_eq!(
            line.note,
            "Added [X](https://x.example) thanks to @a and @b-c."
        );
        assert_eq!(line.by, ["a", "b-c"]);
        assert_eq!(line.links, ["https://x.example", "https://y.example"]);
        assert!(doc.items.is_empty());
    }

    #[test]
    // Issue 11: a research list's dated news lines became entries titled "Paper".
    fn a_dated_item_is_news_in_any_section_and_undated_ones_stay_entries() {
        let doc = parse(
            "## Tools\n\n- **[2026.05.27]** [Paper](https://x.example) New.\n- [Y](https://y.example)\n\n### 2021-02-07\n\n- Added [Z](https://z.example)\n\nAnd more, by @ann.\n",
        );
        let items: Vec<&str> = doc.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(items, ["Y"]);
        let log: Vec<(String, &str, &[String])> = doc
            .log
            .iter()
            .map(|l| (l.date.to_string(), l.note.as_str(), l.by.as_slice()))
            .collect();
        assert_eq!(
            log,
            [
                (
                    "2026-05-27".to_owned(),
                    "[Paper](https://x.example) New.",
                    &[][..]
                ),
                (
                    "2021-02-07".to_owned(),
                    "Added [Z](https://z.example)",
                    &[][..]
                ),
                (
                    "2021-02-07".to_owned(),
                    "And more, by @ann.",
                    &["ann".to_owned()][..]
                ),
            ]
        );
        assert!(doc.skipped.is_empty(), "{:?}", doc.skipped);
    }

    #[test]
    fn a_news_section_without_dates_holds_entries() {
        let doc = parse("## News\n\n- [Launch post](https://n.example) - We launched.\n");
        assert!(doc.log.is_empty());
        assert_eq!(doc.items.len(), 1);
    }

    #[test]
    // Found by fuzzing: both made `oyez check` refuse the imported catalogue.
    fn empty_headings_and_control_characters_are_dropped() {
        let doc = parse(
            "# \n\n## ![logo](https://b.example/l.png)\n\n- [A\u{1}](https://a.example) - x\u{b}y\n",
        );
        assert_eq!(doc.title, None);
        assert!(doc.sections.is_empty());
        assert_eq!(doc.items[0].title, "A");
        assert_eq!(doc.items[0].summary.as_deref(), Some("x y"));
    }

    #[test]
    // Found by `cargo fuzz run import_markdown`: an item of only control
    // characters and a colon left an empty title, which `oyez check` refuses.
    fn items_with_nothing_printable_are_not_entries() {
        // Also found by fuzzing: a NUL inside raw Markdown reached the summary.
        let doc = parse("## S\n\n- [A](https://a.example) - x <?\0?> y\n");
        assert_eq!(doc.items[0].summary.as_deref(), Some("x <??> y"));
        let doc = parse("## S\n\n-\t\u{1a}\0\0:\0\0\n- [B](https://b.example)\n");
        assert_eq!(doc.items.len(), 1);
        assert_eq!(doc.items[0].title, "B");
    }

    #[test]
    fn contents_lists_are_not_entries() {
        let doc = parse("# L\n\n- [Tools](#tools)\n\n## Tools\n\n- [T](https://t.example)\n");
        assert_eq!(doc.items.len(), 1);
        assert_eq!(
            doc.skipped[0].reason,
            "a link within the page (table of contents)"
        );
        assert_eq!(doc.skipped[0].line, 3);
    }
}
