//! List items: an entry, a line of the update log (with what its nested
//! items name), a link of an ignored section, or a group of entries.

use super::dates;
use super::document::{Item, SectionKind};
use super::entry;
use super::handles::strip_thanks;
use super::inline::{Acc, printable};
use super::log::log_line;
use super::{Frame, FrameKind, ItemFrame, Walker};

impl Walker {
    pub(super) fn end_item(&mut self) {
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
        let nesting = self.nesting();
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
                self.item(&acc, &item, line, section_index, nesting);
            }
        }
    }

    /// Where an item closing now is nested (issue 22): the text of the
    /// nearest enclosing item without a link (its group), and the line of
    /// the enclosing item when that one has a link (the item it is under).
    fn nesting(&self) -> (Option<String>, Option<usize>) {
        let items = (self.frames.iter().rev()).filter(|f| matches!(f.kind, FrameKind::Item(_)));
        let mut items = items.peekable();
        let under = items
            .peek()
            .filter(|parent| !parent.acc.links.is_empty())
            .map(|parent| parent.line);
        let group = items
            .find(|frame| frame.acc.links.is_empty())
            .map(|frame| frame.acc.plain_line())
            .map(|text| text.trim_end_matches(':').trim().to_owned())
            .filter(|text| !text.is_empty());
        (group, under)
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
        (group, under): (Option<String>, Option<usize>),
    ) {
        match entry::entry(acc) {
            Ok(mut parsed) => {
                let linkless_label = parsed.url.is_none() && frame.has_children;
                if linkless_label || (parsed.url.is_none() && section.is_none()) {
                    // A link-less item that groups others, or prose before any section.
                    return;
                }
                let title = strip_thanks(&parsed.title).unwrap_or_else(|| parsed.title.clone());
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
                        .and_then(|s| strip_thanks(&s).or(Some(s)))
                        .map(|s| printable(&s))
                        .filter(|s| !s.trim().is_empty()),
                    handles: acc.handles(),
                    group,
                    under,
                    badges: (!acc.badges.is_empty()).then(|| acc.badges.clone()),
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
