//! Paragraphs outside list items: the list's description, a section's
//! description, dated news paragraphs, and links that are no entry.

use super::Walker;
use super::document::SectionKind;
use super::header;
use super::inline::Acc;
use super::log::log_line;

impl Walker {
    pub(super) fn end_paragraph(&mut self) {
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
                    && !matches!(section.kind, SectionKind::Ignored(_))
                    && !is_in_page_only(&frame.acc) =>
            {
                section.description = Some(text);
            }
            _ => {}
        }
    }
}

/// Whether a paragraph says nothing but in-page links (`[⬆ back to
/// top](#contents)`, `^ [back to top](#top) ^`): never a description (issue 22).
fn is_in_page_only(acc: &Acc) -> bool {
    let outside: String = acc
        .plain
        .char_indices()
        .filter(|(at, _)| {
            !acc.links
                .iter()
                .any(|link| (link.plain_start..link.plain_end).contains(at))
        })
        .map(|(_, c)| c)
        .collect();
    !acc.links.is_empty()
        && acc.links.iter().all(|link| link.url.starts_with('#'))
        && !outside.chars().any(char::is_alphanumeric)
}

impl Walker {
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
}
