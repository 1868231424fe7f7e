//! `[list]` (issue 22): the README's introduction and the sections that
//! are no list of entries, Markdown kept as written. Checked as text that
//! a file can carry; a section needs a one-line title.

use crate::catalogue::model::ListText;
use crate::catalogue::raw;

use super::checker::Checker;

pub(super) fn list_text(check: &mut Checker<'_>, raw: raw::List) -> ListText {
    let mut block = |value: Option<&toml::Spanned<String>>, field: &str| {
        value
            .and_then(|text| check.text(text, field, false))
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
    };
    let header = block(raw.header.as_ref(), "header");
    let intro = block(raw.intro.as_ref(), "intro");
    let sections = raw
        .section
        .iter()
        .filter_map(|section| {
            let title = check.required_line(&section.title, "title");
            let text = check.text(&section.text, "text", false);
            Some((title?, text?.trim_end().to_owned()))
        })
        .collect();
    ListText {
        header,
        intro,
        sections,
    }
}
