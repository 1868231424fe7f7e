//! Reading a Markdown list with pulldown-cmark's event stream (no regular
//! expressions over Markdown): the document's title and description, its
//! headings as sections, its list items as candidate entries, the dated
//! items of an "Updates"-like section as update-log lines, and every link
//! that is not an entry as skipped, with its line. Pure: text in, data out.

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

mod dates;
mod header;
pub(super) mod inline;

use inline::{Acc, strip_separator};

/// What a Markdown list holds, before it is matched against a catalogue.
#[derive(Debug, Default)]
pub struct Document {
    /// The first level-1 heading, before any section.
    pub title: Option<String>,
    /// The first paragraph under the title.
    pub description: Option<String>,
    pub sections: Vec<Section>,
    /// In document order.
    pub items: Vec<Item>,
    pub log: Vec<LogLine>,
    pub skipped: Vec<Skipped>,
    /// `Name (@handle)` credits of a "Contributors" section.
    pub contributors: Vec<Contributor>,
    /// What was guessed rather than read, said in the import summary.
    pub guessed: Vec<String>,
}

/// A contributor named in a "Contributors" section: `[Name](uri) (@handle)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    pub handle: String,
    pub name: String,
    pub uri: Option<String>,
}

/// The reason given for links of a "Contributors" section, whose
/// `Name (@handle)` credits are read.
const CONTRIBUTORS: &str = "contributors";

#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub level: u8,
    /// The nearest enclosing section (a heading of a lower level).
    pub parent: Option<usize>,
    pub kind: SectionKind,
    /// The section's first paragraph, when it comes before any list.
    pub description: Option<String>,
    /// A heading that is a date (`### 2021-02-07`): what is under it is
    /// that day's update.
    pub date: Option<NaiveDate>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// Items are entries.
    Entries,
    /// "Updates", "Changelog", "News"…: dated items are update-log lines,
    /// other items are entries.
    Log,
    /// Contents, license, contributing…: nothing here is an entry.
    Ignored(&'static str),
}

/// A list item that becomes an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub section: Option<usize>,
    pub title: String,
    /// The link as written in the list.
    pub url: Option<String>,
    /// Markdown, one line.
    pub summary: Option<String>,
    /// `@handles` in the item, without the `@`.
    pub handles: Vec<String>,
    /// The text of a link-less parent item that groups it, if any.
    pub group: Option<String>,
    pub line: usize,
}

/// A dated item of an update-log section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub section: Option<usize>,
    pub date: NaiveDate,
    /// Markdown after the date.
    pub note: String,
    /// Everything the line and its nested items say, as plain text.
    pub text: String,
    /// Handles the line credits, without `@`, in order of appearance.
    pub by: Vec<String>,
    /// Links in the line and its nested items.
    pub links: Vec<String>,
    pub line: usize,
}

/// Something in the list that is not an entry, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub what: String,
    pub reason: String,
}

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
    if doc.title.is_none()
        && let Some((title, how, line)) = walker.html_title
    {
        let guess = format!("title {title:?} from {how} (line {line})");
        doc.guessed.insert(0, guess);
        doc.title = Some(title);
    }
    doc.items.sort_by_key(|item| item.line);
    undated_log_items(&mut doc);
    doc
}

/// In a section that holds dated update lines, an undated item is not an
/// entry but a log line that could not be read.
fn undated_log_items(doc: &mut Document) {
    let is_log = |section: &Option<usize>| {
        section
            .and_then(|i| doc.sections.get(i))
            .is_some_and(|s| s.kind == SectionKind::Log)
    };
    let dated: Vec<Option<usize>> = doc
        .log
        .iter()
        .map(|line| line.section)
        .filter(is_log)
        .collect();
    let (undated, items): (Vec<Item>, Vec<Item>) = std::mem::take(&mut doc.items)
        .into_iter()
        .partition(|item| item.section.is_some() && dated.contains(&item.section));
    doc.items = items;
    doc.skipped.extend(undated.into_iter().map(|item| Skipped {
        line: item.line,
        what: item.url.unwrap_or(item.title),
        reason: "an update-log item that does not start with a date (such as 2021-02-07)".into(),
    }));
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
        let line = self.line_of(offset);
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
            self.doc.contributors.extend(inline::credits(acc));
        }
    }

    /// A paragraph before any section: the description unless it is a chat
    /// invitation or a sponsor's note; a quoted one replaces a plain one.
    fn offer_description(&mut self, text: String, acc: &Acc, line: usize) {
        let quoted = self.quotes > 0;
        let open = match self.description_from {
            None => true,
            Some((_, was_quoted)) => quoted && !was_quoted,
        };
        if !open {
            return;
        }
        if header::is_invitation(&text, acc.links.iter().map(|l| l.url.as_str())) {
            self.doc.guessed.push(format!(
                "line {line}: a chat invitation or sponsor note, not taken as the description"
            ));
            return;
        }
        self.doc.description = Some(text);
        self.description_from = Some((line, quoted));
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

    fn end_heading(&mut self) {
        let Some(Frame {
            kind: FrameKind::Heading(level),
            acc,
            line,
        }) = self.frames.pop()
        else {
            return;
        };
        self.skip_links(&acc, "a link in a heading");
        let title = acc.plain_line();
        if title.is_empty() {
            // A heading of only a logo or badges: its items stay in the section above.
            return;
        }
        let is_title = level == 1 && self.doc.title.is_none() && self.doc.sections.is_empty();
        if is_title && self.doc.items.is_empty() {
            self.doc.title = Some(title);
            return;
        }
        let parent = self
            .doc
            .sections
            .iter()
            .rposition(|section| section.level < level);
        let date = dates::leading(&title).map(|(date, _)| date);
        let parent_kind = parent
            .and_then(|p| self.doc.sections.get(p))
            .map(|p| p.kind);
        let kind = match classify(&title) {
            // Under "News", "Week Papers" is news too; a dated heading is one day's update.
            SectionKind::Entries if date.is_some() || parent_kind == Some(SectionKind::Log) => {
                SectionKind::Log
            }
            kind => kind,
        };
        let date = date.or_else(|| {
            parent
                .and_then(|p| self.doc.sections.get(p))
                .filter(|p| kind == SectionKind::Log && p.kind == SectionKind::Log)
                .and_then(|p| p.date)
        });
        self.doc.sections.push(Section {
            title,
            level,
            parent,
            kind,
            description: None,
            date,
            line,
        });
        self.section_has_list = false;
    }

    fn end_paragraph(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let text = frame.acc.plain_line();
        let reason = match self.doc.sections.last() {
            Some(section) => match section.kind {
                SectionKind::Ignored(reason) => &format!("in a {reason} section"),
                _ => "a link outside a list item",
            },
            None => "a link outside a list item",
        };
        let section_index = self.doc.sections.len().checked_sub(1);
        if let Some(section) = self.doc.sections.last()
            && section.kind == SectionKind::Log
            && let Some(log) =
                log_line(&frame.acc, &[], "", frame.line, section_index, section.date)
        {
            // `## News` with dated paragraphs, or a paragraph under `### 2021-02-07`.
            self.doc.log.push(log);
            return;
        }
        self.skip_links(&frame.acc, reason);
        self.read_contributors(&frame.acc);
        if text.is_empty() {
            return;
        }
        match self.doc.sections.last_mut() {
            None if self.doc.title.is_some() || self.html_title.is_some() => {
                self.offer_description(text, &frame.acc, frame.line);
            }
            Some(section)
                if section.description.is_none()
                    && !self.section_has_list
                    && !matches!(section.kind, SectionKind::Ignored(_)) =>
            {
                section.description = Some(text);
            }
            _ => {}
        }
    }

    fn end_item(&mut self) {
        let Some(Frame {
            kind: FrameKind::Item(item),
            acc,
            line,
        }) = self.frames.pop()
        else {
            return;
        };
        let section_index = self.doc.sections.len().checked_sub(1);
        let section_date = self.doc.sections.last().and_then(|s| s.date);
        let dated = section_date.is_some() || dates::leading(&acc.plain).is_some();
        let kind = self.item_kind(dated);
        let parent = self
            .frames
            .last_mut()
            .and_then(|frame| match &mut frame.kind {
                FrameKind::Item(parent) => Some((parent, &frame.acc)),
                _ => None,
            });
        match kind {
            SectionKind::Ignored(reason) => {
                let reason = format!("in a {reason} section");
                self.skip_links(&acc, &reason);
                self.read_contributors(&acc);
            }
            SectionKind::Log if parent.is_some() || dated => {
                if let Some((parent, _)) = parent {
                    // A nested item under an update line names what it added.
                    parent
                        .child_links
                        .extend(acc.links.iter().map(|l| l.url.clone()));
                    parent.child_text.push_str(&acc.plain);
                    parent.child_text.push('\n');
                    return;
                }
                let log = log_line(
                    &acc,
                    &item.child_links,
                    &item.child_text,
                    line,
                    section_index,
                    section_date,
                );
                self.doc.log.extend(log);
            }
            SectionKind::Entries | SectionKind::Log => {
                let group = parent
                    .filter(|(_, parent_acc)| parent_acc.links.is_empty())
                    .map(|(_, parent_acc)| parent_acc.plain_line())
                    .map(|text| text.trim_end_matches(':').trim().to_owned())
                    .filter(|text| !text.is_empty());
                self.item(&acc, &item, line, section_index, group);
            }
        }
    }

    /// What an item closing now is: its section's kind, but a dated
    /// top-level item is news wherever it is, never an entry (issue 11).
    fn item_kind(&self, dated: bool) -> SectionKind {
        let kind = self
            .doc
            .sections
            .last()
            .map_or(SectionKind::Entries, |s| s.kind);
        let top_level = !self
            .frames
            .iter()
            .any(|f| matches!(f.kind, FrameKind::Item(_)));
        if kind == SectionKind::Entries && dated && top_level {
            SectionKind::Log
        } else {
            kind
        }
    }

    fn item(
        &mut self,
        acc: &Acc,
        frame: &ItemFrame,
        line: usize,
        section: Option<usize>,
        group: Option<String>,
    ) {
        match inline::entry(acc) {
            Ok(mut parsed) => {
                let linkless_label = parsed.url.is_none() && frame.has_children;
                if linkless_label || (parsed.url.is_none() && section.is_none()) {
                    // A link-less item that groups others, or prose before any section.
                    return;
                }
                let title =
                    inline::strip_thanks(&parsed.title).unwrap_or_else(|| parsed.title.clone());
                if title.trim().is_empty() {
                    // Nothing printable is left of it (only punctuation or control characters).
                    return;
                }
                parsed.extra_links(&mut self.doc.skipped);
                self.doc.items.push(Item {
                    section,
                    title,
                    url: parsed.url,
                    summary: parsed
                        .summary
                        .and_then(|s| inline::strip_thanks(&s).or(Some(s)))
                        .map(|s| inline::printable(&s))
                        .filter(|s| !s.trim().is_empty()),
                    handles: acc.handles(),
                    group,
                    line,
                });
            }
            Err(reason) => {
                if acc.links.is_empty() {
                    return;
                }
                self.skip_links(acc, reason);
            }
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// What a heading's title says its section is.
fn classify(title: &str) -> SectionKind {
    let words: String = title
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '\'')
        .collect::<String>()
        .to_lowercase();
    let name = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if matches!(
        name.as_str(),
        "contents" | "table of contents" | "toc" | "index"
    ) || name.starts_with("table of contents")
    {
        SectionKind::Ignored("table of contents")
    } else if name == "contributors" || name == "thanks" {
        SectionKind::Ignored(CONTRIBUTORS)
    } else if starts(&[
        "licen",
        "contribut",
        "code of conduct",
        "footnote",
        "sponsor",
        "backer",
    ]) {
        SectionKind::Ignored("license or contributing")
    } else if starts(&[
        "update",
        "changelog",
        "change log",
        "changes",
        "news",
        "what's new",
        "whats new",
        "history",
        "release notes",
    ]) {
        SectionKind::Log
    } else {
        SectionKind::Entries
    }
}

/// An update-log line from an item or paragraph that starts with a date,
/// or any under a dated heading (`section_date`).
fn log_line(
    acc: &Acc,
    child_links: &[String],
    child_text: &str,
    line: usize,
    section: Option<usize>,
    section_date: Option<NaiveDate>,
) -> Option<LogLine> {
    let (date, note) = match dates::leading(&acc.plain) {
        Some((date, token)) => {
            let note = acc
                .md
                .find(token)
                .map(|at| strip_separator(after_date(&acc.md[at + token.len()..])))
                .unwrap_or_default();
            (date, note)
        }
        None => (section_date?, strip_separator(&acc.md)),
    };
    let mut links: Vec<String> = acc.links.iter().map(|l| l.url.clone()).collect();
    links.extend(child_links.iter().cloned());
    Some(LogLine {
        section,
        date,
        note: note.split_whitespace().collect::<Vec<_>>().join(" "),
        text: format!("{}\n{child_text}", acc.plain),
        by: acc.handles(),
        links,
        line,
    })
}

/// What follows a date in Markdown, without the brackets and emphasis
/// that closed around it (`**[2026.05.27]**`).
fn after_date(md: &str) -> &str {
    md.trim_start_matches(|c: char| matches!(c, ']' | ')' | '*' | '_' | '\\') || c.is_whitespace())
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
