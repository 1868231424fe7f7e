//! Checks of `oyez.toml`'s `[[category]]` tables: slugs, titles and
//! parents, each parent declared above its children.

use toml::Spanned;

use crate::catalogue::location::Diagnostic;
use crate::catalogue::model::Category;
use crate::catalogue::raw;

use super::checker::Checker;

/// The declared categories, in order; at least one is required.
pub(super) fn categories(check: &mut Checker<'_>, raw: Vec<raw::Category>) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::with_capacity(raw.len());
    let all: Vec<&str> = raw.iter().map(|c| c.slug.get_ref().as_str()).collect();
    for category in &raw {
        let slug = category.slug.get_ref();
        if slug.is_empty()
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            check.error(
                &category.slug.span(),
                format!("invalid category slug {slug:?}"),
                "use lowercase letters, digits and `-`, such as `presentations`",
            );
            continue;
        }
        if categories.iter().any(|known| &known.slug == slug) {
            check.error(
                &category.slug.span(),
                format!("duplicate category `{slug}`"),
                "give each category its own slug",
            );
            continue;
        }
        let title = check.required_line(&category.title, "title");
        let description = category
            .description
            .as_ref()
            .and_then(|d| check.required_line(d, "description"));
        let parent = category
            .parent
            .as_ref()
            .and_then(|parent| parent_index(check, &categories, &all, slug, parent));
        if let Some(title) = title {
            categories.push(Category {
                slug: slug.clone(),
                title,
                description,
                parent,
            });
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

/// The index of a category's `parent`, which must be declared above it
/// (`all` lists every declared slug, for the message when it is not).
fn parent_index(
    check: &mut Checker<'_>,
    earlier: &[Category],
    all: &[&str],
    child: &str,
    parent: &Spanned<String>,
) -> Option<usize> {
    let slug = parent.get_ref();
    let found = earlier.iter().position(|known| &known.slug == slug);
    if found.is_some() {
        return found;
    }
    let (message, help) = if slug == child {
        (
            format!("category `{child}` is its own parent"),
            "name another category, or remove `parent`".to_owned(),
        )
    } else if all.contains(&slug.as_str()) {
        (
            format!("parent category `{slug}` is declared below `{child}`"),
            format!("move category `{slug}` above `{child}` in oyez.toml: a parent comes first"),
        )
    } else {
        (
            format!(
                "unknown parent category `{slug}`; known: {}",
                all.join(", ")
            ),
            "name the slug of a category declared above this one".to_owned(),
        )
    };
    check.error(&parent.span(), message, &help);
    None
}
