//! Which sections the list has, in which order and at which heading level,
//! shared by the native writer and the template's context. The list keeps
//! the category tree (issue 22): each category that holds entries, or
//! categories that do, followed by its subcategories one heading level
//! deeper (`##`, `###`, …), in `oyez.toml` order; the contents are nested
//! as awesome-lint reads them (two levels).

use std::collections::HashMap;

use super::escape::{anchor, push_text_escaped};
use crate::catalogue::{Catalogue, Category, Entry, ListText};
use crate::site::tree::Tree;

/// The Awesome badge that follows the title of an awesome list.
pub(super) const BADGE: &str = " [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)";

/// Levels of the contents list: awesome-lint refuses a third.
const CONTENTS_DEPTH: usize = 2;

/// One section of the list.
pub(super) struct Section<'c> {
    pub(super) category: &'c Category,
    /// 0 for a top-level category, 1 under it, …
    pub(super) depth: usize,
    /// The category's own entries, in the maintainer's file order.
    pub(super) indices: Vec<usize>,
    /// GitHub's anchor for its heading: a title met before gets `-1`,
    /// `-2`… (issue 22: two sections may share a title).
    pub(super) anchor: String,
    /// Each entry's levels under the entries it is listed `under`, by
    /// its place in `indices`; empty when none is.
    pub(super) nesting: Vec<usize>,
}

impl Section<'_> {
    /// `##` for a top-level section, one `#` more per level, at most six.
    pub(super) fn heading(&self) -> &'static str {
        const HASHES: &str = "######";
        HASHES.get(..(self.depth + 2).min(6)).unwrap_or(HASHES)
    }

    /// How many levels the entry at `at` is nested under other entries.
    pub(super) fn nested(&self, at: usize) -> usize {
        self.nesting.get(at).copied().unwrap_or(0)
    }

    /// The indent of its line in the contents, when it has one: `indent`
    /// (`[list] indent`) per level.
    pub(super) fn contents_indent(&self, indent: &str) -> Option<String> {
        (self.depth < CONTENTS_DEPTH).then(|| indent.repeat(self.depth))
    }
}

/// The link-less group item `entry` is listed under, if any.
fn group(entry: &Entry) -> Option<&str> {
    entry.layout.as_ref().and_then(|l| l.group.as_deref())
}

/// What comes before an entry's link on its line (issue 22): the list
/// marker (`[list] marker`), indented once when the entry is listed under
/// a link-less group item, and that item's own line first where the
/// group starts (the `previous` entry of the section is in another).
pub(crate) fn push_lead(
    list: &ListText,
    (previous, entry, nested): (Option<&Entry>, &Entry, usize),
    out: &mut String,
) {
    let marker = list.marker();
    if let Some(label) = group(entry) {
        if previous.and_then(group) != Some(label) {
            out.push_str(marker);
            out.push(' ');
            push_text_escaped(out, label);
            out.push('\n');
        }
        out.push_str(list.indent());
    }
    for _ in 0..nested {
        out.push_str(list.indent());
    }
    out.push_str(marker);
    out.push(' ');
}

/// What separates an entry's link from its summary: ` - `, but a space
/// before a link in brackets (`[[crate](url)] - …`), as lists write it.
pub(super) fn separator(summary: &str) -> &'static str {
    if summary.starts_with("[[") {
        " "
    } else {
        " - "
    }
}

/// [`push_lead`] for each entry of a section, for the template.
pub(super) fn leads(catalogue: &Catalogue, section: &Section<'_>) -> Vec<String> {
    let indices = &section.indices;
    let entry = |at: Option<usize>| at.and_then(|at| catalogue.entries.get(*indices.get(at)?));
    (0..indices.len())
        .map(|at| {
            let mut lead = String::new();
            if let Some(this) = entry(Some(at)) {
                let previous = entry(at.checked_sub(1));
                let nested = section.nested(at);
                push_lead(&catalogue.list, (previous, this, nested), &mut lead);
            }
            lead
        })
        .collect()
}

/// The levels each entry of `indices` is nested under the entries of the
/// section it names in `under` (issue 22): one more than that entry, which
/// must come before it; empty when no entry names one.
fn nesting(catalogue: &Catalogue, indices: &[usize]) -> Vec<usize> {
    let layout = |index: usize| catalogue.entries.get(index)?.layout.as_deref();
    if !indices
        .iter()
        .any(|&i| layout(i).is_some_and(|l| l.under.is_some()))
    {
        return Vec::new();
    }
    // Each entry's depth as shown: its group's level, then its nesting.
    let mut shown: HashMap<&str, usize> = HashMap::new();
    let mut found = Vec::with_capacity(indices.len());
    for &index in indices {
        let grouped = usize::from(layout(index).is_some_and(|l| l.group.is_some()));
        let parent = layout(index).and_then(|l| shown.get(l.under.as_deref()?).copied());
        let depth = parent.map_or(grouped, |depth| (depth + 1).max(grouped));
        found.push(depth - grouped);
        if let Some(entry) = catalogue.entries.get(index) {
            shown.insert(&entry.id, depth);
        }
    }
    found
}

/// Each category's entries in file `order`: its own and those that name
/// it in `also` (listed there too, on purpose).
fn groups(catalogue: &Catalogue, order: &[usize]) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); catalogue.categories.len()];
    for &index in order {
        let Some(entry) = catalogue.entries.get(index) else {
            continue;
        };
        let also = entry.also.iter().copied().filter(|&c| c != entry.category);
        for category in std::iter::once(entry.category).chain(also) {
            if let Some(group) = groups.get_mut(category) {
                group.push(index);
            }
        }
    }
    groups
}

/// The sections of the list; `order` is the entries in file order.
pub(super) fn sections<'c>(catalogue: &'c Catalogue, order: &[usize]) -> Vec<Section<'c>> {
    let mut groups = groups(catalogue, order);
    let own: Vec<usize> = groups.iter().map(Vec::len).collect();
    let tree = Tree::new(catalogue, &own);
    // Headings met so far, by anchor: "Contents" comes first.
    let mut seen: HashMap<String, usize> = HashMap::from([("contents".to_owned(), 1)]);
    tree.order()
        .into_iter()
        .filter(|&index| tree.total(index) > 0)
        .filter_map(|index| {
            let category = catalogue.categories.get(index)?;
            let indices = std::mem::take(groups.get_mut(index)?);
            Some(Section {
                category,
                depth: tree.depth(index),
                nesting: nesting(catalogue, &indices),
                indices,
                anchor: unique_anchor(&mut seen, &category.title),
            })
        })
        .collect()
}

/// GitHub's anchor for a heading titled `title`, with `-N` when `seen`
/// has it N times already.
fn unique_anchor(seen: &mut HashMap<String, usize>, title: &str) -> String {
    let plain = anchor(title);
    let count = seen.entry(plain.clone()).or_insert(0);
    let unique = match *count {
        0 => plain,
        n => format!("{plain}-{n}"),
    };
    *count += 1;
    unique
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_deepen_with_the_tree_and_stop_at_six() {
        let category = Category {
            slug: "a".into(),
            title: "A".into(),
            description: None,
            parent: None,
            intro: None,
        };
        let at = |depth| Section {
            category: &category,
            depth,
            indices: Vec::new(),
            anchor: "a".into(),
            nesting: Vec::new(),
        };
        assert_eq!(at(0).heading(), "##");
        assert_eq!(at(1).heading(), "###");
        assert_eq!(at(9).heading(), "######");
        assert_eq!(at(0).contents_indent("  ").as_deref(), Some(""));
        assert_eq!(at(1).contents_indent("\t").as_deref(), Some("\t"));
        assert_eq!(at(2).contents_indent("  "), None);
    }

    #[test]
    fn a_title_met_again_gets_githubs_numbered_anchor() {
        let mut seen = HashMap::from([("contents".to_owned(), 1)]);
        let anchors: Vec<String> = ["Embedded", "Tools", "Embedded", "Embedded", "Contents"]
            .iter()
            .map(|title| unique_anchor(&mut seen, title))
            .collect();
        assert_eq!(
            anchors,
            [
                "embedded",
                "tools",
                "embedded-1",
                "embedded-2",
                "contents-1"
            ]
        );
    }
}
