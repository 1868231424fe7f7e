//! What reading a Markdown list yields: the [`Document`] with its sections,
//! candidate entries, update-log lines, contributors and skipped links.
//! Plain data, shared by every part of the reader.

use chrono::NaiveDate;

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
    /// The list carries the Awesome badge before its first section.
    pub awesome: bool,
    /// The raw HTML header the title was read from, as written (`[list]
    /// header`).
    pub header: Option<String>,
    /// The blocks between the title and the first section, but the
    /// description, as written (`[list] intro`).
    pub intro: Option<String>,
    /// Top-level sections that are no list of entries: title, Markdown.
    pub kept: Vec<(String, String)>,
    /// The entries' list marker, when most are not `-` (`[list] marker`).
    pub marker: Option<char>,
    /// One level of nesting, when not two spaces (`[list] indent`).
    pub indent: Option<String>,
}

/// A contributor named in a "Contributors" section: `[Name](uri) (@handle)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    pub handle: String,
    pub name: String,
    pub uri: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub level: u8,
    /// The nearest enclosing section (a heading of a lower level).
    pub parent: Option<usize>,
    pub kind: SectionKind,
    /// The section's first paragraph, when it comes before any list.
    pub description: Option<String>,
    /// The blocks between its heading and its list, as written, when they
    /// are more than the description's plain text (links, notes, lint
    /// directives).
    pub intro: Option<String>,
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
    /// The line of the item with a link it is nested under, if any.
    pub under: Option<usize>,
    /// Its badges (links around images), as Markdown, for the end of its line.
    pub badges: Option<String>,
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
