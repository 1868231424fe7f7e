//! Which category each section's new entries go into: a category of the
//! catalogue with the same title, else a slug made from the heading, made
//! unique (with its parent's title first when that is free); the title
//! is the heading's, as written.

use std::collections::{BTreeMap, BTreeSet};

use super::{Document, SectionKind};
use crate::authoring::records;
use crate::catalogue::{Catalogue, identity};

/// The category of items that come before any heading.
const LOOSE: (&str, &str) = ("links", "Links");

/// The headings around `section`, nearest first, up to the first that is
/// not a plain section of entries (a news or ignored one ends the tree).
fn enclosing(doc: &Document, section: usize) -> Vec<usize> {
    let mut found = Vec::new();
    let mut current = doc.sections.get(section).and_then(|s| s.parent);
    while let Some(index) = current {
        let Some(heading) = doc.sections.get(index) else {
            break;
        };
        if heading.kind != SectionKind::Entries || heading.date.is_some() || found.contains(&index)
        {
            break;
        }
        found.push(index);
        current = heading.parent;
    }
    found
}

/// Section index (None: before any heading) → (slug, title) of its
/// category, for the sections that hold entries.
pub(super) fn section_slugs(
    doc: &Document,
    existing: Option<&Catalogue>,
    used: impl Iterator<Item = Option<usize>>,
) -> BTreeMap<Option<usize>, (String, String)> {
    let mut used: BTreeSet<Option<usize>> = used.collect();
    // A heading that holds only sub-headings is kept, as their parent (issue 22).
    let ancestors: Vec<usize> = used
        .iter()
        .flatten()
        .flat_map(|&section| enclosing(doc, section))
        .collect();
    used.extend(ancestors.into_iter().map(Some));
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut slugs = BTreeMap::new();
    let categories = existing
        .map(|c| c.categories.as_slice())
        .unwrap_or_default();
    for section in used {
        let heading = section.and_then(|i| doc.sections.get(i));
        // A heading titled like a category of the catalogue is that category.
        let same_title = heading.and_then(|h| {
            categories
                .iter()
                .find(|c| c.title.eq_ignore_ascii_case(&h.title) && !taken.contains(&c.slug))
        });
        if let Some(category) = same_title {
            taken.insert(category.slug.clone());
            slugs.insert(section, (category.slug.clone(), category.title.clone()));
            continue;
        }
        let (base, title, parent) = match heading {
            Some(s) => (identity::slug(&s.title), s.title.clone(), s.parent),
            None => (LOOSE.0.to_owned(), LOOSE.1.to_owned(), None),
        };
        let base = if base.is_empty() {
            "section".to_owned()
        } else {
            base
        };
        let nested = parent
            .and_then(|p| doc.sections.get(p))
            .map(|p| identity::slug(&format!("{} {title}", p.title)))
            .filter(|slug| !slug.is_empty() && !taken.contains(slug));
        // "Other" under "Reading", when "other" is taken: "reading-other",
        // still titled "Other" as written (issue 22: the README keeps its
        // headings; the tree tells the two apart).
        let slug = match (taken.contains(&base), nested) {
            (false, _) => base,
            (true, Some(slug)) => slug,
            (true, None) => records::unique(&base, |s| taken.contains(s)),
        };
        taken.insert(slug.clone());
        slugs.insert(section, (slug, title));
    }
    slugs
}
