//! Headings: which become sections, their nesting, their date, and what
//! kind of section a title names (entries, an update log, or ignored).

use crate::strings::{self, Key};
use pulldown_cmark::HeadingLevel;

use super::dates;
use super::document::{Section, SectionKind};
use super::{Frame, FrameKind, Walker};

/// The reason given for links of a "Contributors" section, whose
/// `Name (@handle)` credits are read.
pub(super) const CONTRIBUTORS: &str = "contributors";

impl Walker {
    pub(super) fn end_heading(&mut self) {
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
            intro: None,
            date,
            line,
        });
        self.section_has_list = false;
    }
}

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
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
    // The headings oyez writes in the other languages it speaks (issue 23).
    let written = |key| {
        strings::every_language(key)
            .iter()
            .any(|t| t.to_lowercase() == name)
    };
    if matches!(
        name.as_str(),
        "contents" | "table of contents" | "toc" | "index"
    ) || name.starts_with("table of contents")
        || written(Key::contents)
    {
        SectionKind::Ignored("table of contents")
    } else if name == "contributors" || name == "thanks" || written(Key::contributors) {
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
    } else if starts(&["legend"]) {
        // What the list's symbols mean (issue 22).
        SectionKind::Ignored("legend")
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
    ]) || written(Key::updates)
    {
        SectionKind::Log
    } else {
        SectionKind::Entries
    }
}
