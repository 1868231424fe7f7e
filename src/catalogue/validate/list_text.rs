//! `[list]` (issue 22): the README's introduction and the sections that
//! are no list of entries, Markdown kept as written. Checked as text that
//! a file can carry; a section needs a one-line title.

use crate::catalogue::model::ListText;
use crate::catalogue::raw;

use super::checker::Checker;

pub(super) fn list_text(check: &mut Checker<'_>, raw: raw::List) -> ListText {
    let intro = raw
        .intro
        .as_ref()
        .and_then(|intro| check.text(intro, "intro", false))
        .filter(|intro| !intro.trim().is_empty());
    let sections = raw
        .section
        .iter()
        .filter_map(|section| {
            let title = check.required_line(&section.title, "title");
            let text = check.text(&section.text, "text", false);
            Some((title?, text?.trim_end().to_owned()))
        })
        .collect();
    ListText { intro, sections }
}
