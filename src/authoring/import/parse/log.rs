//! Update-log lines: a dated item or paragraph, or any under a dated
//! heading, read as date, note, credits and links; and the undated items
//! of an update log, which are skipped rather than taken as entries.

use chrono::NaiveDate;

use super::dates;
use super::document::{Document, Item, LogLine, SectionKind, Skipped};
use super::inline::{Acc, one_line, strip_separator};

/// In a section that holds dated update lines, an undated item is not an
/// entry but a log line that could not be read.
pub(super) fn undated_log_items(doc: &mut Document) {
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

/// An update-log line from an item or paragraph that starts with a date,
/// or any under a dated heading (`section_date`).
pub(super) fn log_line(
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
        note: one_line(&note),
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
