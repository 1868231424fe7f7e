//! `[list]` (issue 22): the README's introduction and the sections that
//! are no list of entries, Markdown kept as written. Checked as text that
//! a file can carry; a section needs a one-line title.

use crate::catalogue::model::{EntryLayout, ListText};
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
        marker: choice(check, raw.marker.as_ref(), "marker", MARKERS),
        indent: choice(check, raw.indent.as_ref(), "indent", INDENTS),
        thanks: raw.thanks,
    }
}

/// The list markers `[list] marker` may name.
const MARKERS: &[&str] = &["-", "*", "+"];

/// The indents `[list] indent` may name: two or four spaces, or a tab.
const INDENTS: &[&str] = &["  ", "    ", "\t"];

/// `value` when it is one of `allowed` (written as TOML shows them).
fn choice(
    check: &mut Checker<'_>,
    value: Option<&toml::Spanned<String>>,
    field: &str,
    allowed: &[&str],
) -> Option<String> {
    let value = value?;
    let text = value.get_ref();
    if allowed.contains(&text.as_str()) {
        return Some(text.clone());
    }
    let shown: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
    check.error(
        &value.span(),
        format!("`[list] {field}` is {text:?}"),
        &format!("give one of {}", shown.join(", ")),
    );
    None
}

/// An entry's `group` (one line) and `badges` (Markdown kept as written).
pub(super) fn entry_layout(check: &mut Checker<'_>, raw: &raw::Entry) -> Option<Box<EntryLayout>> {
    let group = raw
        .group
        .as_ref()
        .and_then(|group| check.required_line(group, "group"));
    let under = raw
        .under
        .as_ref()
        .and_then(|under| check.required_line(under, "under"));
    let badges = raw
        .badges
        .as_ref()
        .and_then(|badges| check.text(badges, "badges", true))
        .map(|badges| badges.trim().to_owned())
        .filter(|badges| !badges.is_empty());
    let layout = EntryLayout {
        group,
        under,
        badges,
    };
    (layout != EntryLayout::default()).then(|| Box::new(layout))
}
