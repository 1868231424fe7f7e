//! Checks of `oyez.toml`'s `[[category]]` tables: slugs, titles and
//! parents, each parent declared above its children. Linear in the number
//! of categories, which is bounded, and so is their nesting (issue 20: a
//! 12,000-deep chain overflowed the stack of `publish`, and 80,000
//! categories took 22 s to check).

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use crate::catalogue::location::Diagnostic;
use crate::catalogue::model::Category;
use crate::catalogue::raw;

use super::checker::Checker;

/// Most categories a catalogue may declare: each has a feed pair and a
/// section of the page, and real lists have a few hundred at most.
pub(crate) const MAX_CATEGORIES: usize = 1_000;
/// Most levels a category may sit under top-level ones (`parent` chains).
pub(crate) const MAX_DEPTH: usize = 8;
/// Slugs a "known: …" list names before it says how many more there are.
const KNOWN_SHOWN: usize = 20;

/// The declared categories, in order; at least one is required.
pub(super) fn categories(check: &mut Checker<'_>, mut raw: Vec<raw::Category>) -> Vec<Category> {
    if let Some(first_too_many) = raw.get(MAX_CATEGORIES) {
        check.error(
            &first_too_many.slug.span(),
            format!(
                "{} categories are declared, more than {MAX_CATEGORIES}",
                raw.len()
            ),
            "merge categories, or use tags for finer groups",
        );
        raw.truncate(MAX_CATEGORIES);
    }
    let all: Vec<&str> = raw.iter().map(|c| c.slug.get_ref().as_str()).collect();
    let mut tree = Tree {
        declared: all.iter().copied().collect(),
        all: &all,
        index: HashMap::with_capacity(raw.len()),
        depth: Vec::with_capacity(raw.len()),
    };
    let mut categories: Vec<Category> = Vec::with_capacity(raw.len());
    for category in &raw {
        if let Some(category) = one(check, &mut tree, category, categories.len()) {
            categories.push(category);
        }
    }
    if categories.is_empty() && check.errors.is_empty() {
        check.errors.push(Diagnostic {
            location: Some(check.source.location(&(0..0))),
            message: "no `[[category]]` is declared".into(),
            help: "declare at least one with a slug and a title".into(),
        });
    }
    categories
}

/// What is known of the categories so far, for linear checks.
struct Tree<'a> {
    /// Every declared slug, valid or not.
    declared: HashSet<&'a str>,
    all: &'a [&'a str],
    /// Slug → index of the categories accepted so far.
    index: HashMap<&'a str, usize>,
    /// Depth of each accepted category (0: top level).
    depth: Vec<usize>,
}

/// Checks one category, which would be number `next`; `None` if it is not
/// accepted (each problem is reported).
fn one<'a>(
    check: &mut Checker<'_>,
    tree: &mut Tree<'a>,
    category: &'a raw::Category,
    next: usize,
) -> Option<Category> {
    let slug = category.slug.get_ref();
    let valid = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if slug.is_empty() || !slug.chars().all(valid) {
        check.error(
            &category.slug.span(),
            format!("invalid category slug {slug:?}"),
            "use lowercase letters, digits and `-`, such as `presentations`",
        );
        return None;
    }
    if tree.index.contains_key(slug.as_str()) {
        check.error(
            &category.slug.span(),
            format!("duplicate category `{slug}`"),
            "give each category its own slug",
        );
        return None;
    }
    let title = check.required_line(&category.title, "title");
    let description = category
        .description
        .as_ref()
        .and_then(|d| check.required_line(d, "description"));
    let parent = category
        .parent
        .as_ref()
        .and_then(|parent| parent_index(check, tree, slug, parent));
    let title = title?;
    tree.index.insert(slug, next);
    let depth = parent.and_then(|p| tree.depth.get(p)).map_or(0, |d| d + 1);
    tree.depth.push(depth);
    // Reported where a chain first goes too deep, not again for each
    // category under it.
    if depth == MAX_DEPTH + 1
        && let Some(parent) = &category.parent
    {
        check.error(
            &parent.span(),
            format!("category `{slug}` would sit {depth} levels deep, more than {MAX_DEPTH}"),
            &format!("put `{slug}` under a category nearer the top"),
        );
    }
    let parent = parent.filter(|_| depth <= MAX_DEPTH);
    Some(Category {
        slug: slug.clone(),
        title,
        description,
        parent,
        intro: intro(check, category),
    })
}

/// A category's `intro` (issue 22): Markdown kept as written, trimmed.
fn intro(check: &mut Checker<'_>, category: &raw::Category) -> Option<String> {
    let intro = category.intro.as_ref()?;
    let text = check.text(intro, "intro", false)?;
    Some(text.trim().to_owned()).filter(|text| !text.is_empty())
}

/// The index of a category's `parent`, which must be declared above it.
fn parent_index(
    check: &mut Checker<'_>,
    tree: &Tree<'_>,
    child: &str,
    parent: &Spanned<String>,
) -> Option<usize> {
    let slug = parent.get_ref();
    if let Some(&found) = tree.index.get(slug.as_str()) {
        return Some(found);
    }
    let (message, help) = if slug == child {
        (
            format!("category `{child}` is its own parent"),
            "name another category, or remove `parent`".to_owned(),
        )
    } else if tree.declared.contains(slug.as_str()) {
        (
            format!("parent category `{slug}` is declared below `{child}`"),
            format!("move category `{slug}` above `{child}` in oyez.toml: a parent comes first"),
        )
    } else {
        (
            format!(
                "unknown parent category `{slug}`; known: {}",
                known(tree.all)
            ),
            "name the slug of a category declared above this one".to_owned(),
        )
    };
    check.error(&parent.span(), message, &help);
    None
}

/// `a, b, c` for a "known: …" list, the first [`KNOWN_SHOWN`] slugs and
/// how many more there are: a message stays short however many there are.
pub(super) fn known(slugs: &[&str]) -> String {
    let shown = slugs.get(..KNOWN_SHOWN).unwrap_or(slugs).join(", ");
    match slugs.len().checked_sub(KNOWN_SHOWN) {
        Some(more) if more > 0 => format!("{shown} and {more} more"),
        _ => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::known;

    #[test]
    fn a_known_list_names_twenty_and_counts_the_rest() {
        assert_eq!(known(&["a", "b"]), "a, b");
        let many: Vec<String> = (0..25).map(|i| format!("c{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            known(&many),
            "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, \
             c18, c19 and 5 more"
        );
    }
}
