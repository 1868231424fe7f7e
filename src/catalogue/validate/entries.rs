//! Checks of one entries file: each entry's fields, dates, category and
//! id, and each update ([`super::updates`]). The cross-file checks are in
//! [`super::unique`].

use toml::Spanned;

use crate::catalogue::date::day_in;
use crate::catalogue::load::{EntriesFile, SourceFile};
use crate::catalogue::location::{Diagnostic, Location};
use crate::catalogue::model::{Catalogue, Entry, Update};
use crate::catalogue::raw;
use crate::catalogue::{identity, link};

use super::checker::Checker;
use super::updates::update;

/// Entries as checked, before the cross-file checks, each with its [`Origin`].
#[derive(Default)]
pub(crate) struct CheckedEntries {
    pub(crate) entries: Vec<Entry>,
    pub(crate) origins: Vec<Origin>,
}

/// Where a checked entry is written, for duplicate reports: its file (an
/// index into the entries files), the line and column of its title, and
/// whether it gives its id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    pub(crate) file: usize,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) id_given: bool,
}

impl CheckedEntries {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Vec::with_capacity(capacity),
            origins: Vec::with_capacity(capacity),
        }
    }
}

/// Every file's checked entries, in path order, each file's list kept as
/// it is: joined, tens of MB would be copied only to be reordered again
/// ([`super::unique_entries`] moves each entry once, into its place).
#[derive(Default)]
pub(crate) struct AllEntries {
    pub(crate) files: Vec<Vec<Entry>>,
    /// Each entry's, in file order.
    pub(crate) origins: Vec<Origin>,
}

impl AllEntries {
    /// Adds the next file's entries.
    pub(crate) fn append(&mut self, mut file: CheckedEntries) {
        self.files.push(file.entries);
        self.origins.append(&mut file.origins);
    }

    /// The entries in file order, numbered as `origins` are.
    pub(crate) fn in_file_order(&self) -> Vec<&Entry> {
        self.files.iter().flatten().collect()
    }
}

/// Checks one entries file (number `file_index` in path order) against the
/// catalogue's configuration.
pub(crate) fn entries_file(
    catalogue: &Catalogue,
    (file_index, file): (usize, &SourceFile),
    parsed: EntriesFile,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> (CheckedEntries, Vec<(Update, Location)>) {
    let mut check = Checker {
        source: file.source(),
        errors,
        warnings,
    };
    let default_category = parsed
        .category
        .as_ref()
        .and_then(|slug| category_index(&mut check, catalogue, slug));
    // An unknown file-level category is reported once, not per entry.
    let default = default_category.ok_or(parsed.category.is_some());
    // Sized exactly: the entries stay until every file is checked.
    let mut entries = CheckedEntries::with_capacity(parsed.entries.len());
    for raw in parsed.entries {
        super::awesome::entry(&mut check, catalogue, &raw);
        if let Some((entry, origin)) = entry(&mut check, catalogue, raw, default) {
            entries.entries.push(entry);
            entries.origins.push(Origin {
                file: file_index,
                ..origin
            });
        }
    }
    let updates = parsed
        .updates
        .into_iter()
        .filter_map(|raw| update(&mut check, catalogue, raw))
        .collect();
    (entries, updates)
}

fn category_index(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    slug: &Spanned<String>,
) -> Option<usize> {
    if catalogue.categories.is_empty() {
        // Only [`super::stand_in`] has none: `oyez.toml` has an error.
        return Some(0);
    }
    let found = catalogue
        .categories
        .iter()
        .position(|c| &c.slug == slug.get_ref());
    if found.is_none() {
        let known: Vec<&str> = catalogue
            .categories
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        check.error(
            &slug.span(),
            format!(
                "unknown category `{}`; known: {}",
                slug.get_ref(),
                super::categories::known(&known)
            ),
            "add it to oyez.toml or fix the entry",
        );
    }
    found
}

/// One entry, with where it is written (its `file` is set by the caller);
/// `None` when its title, URL or id has a problem, reported in `check`.
fn entry(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    mut raw: raw::Entry,
    default_category: Result<usize, bool>,
) -> Option<(Entry, Origin)> {
    let before = check.errors.len();
    let zone = catalogue.site.timezone;
    let title = check.required_line(&raw.title, "title");
    let url = raw.url.as_ref().and_then(|url| check.web_link(url, "url"));
    let (added, updated) = dates(check, &raw, catalogue);
    super::placeholders::entry(check, &raw);
    let by = check.by(&raw.by, &catalogue.contributors);
    let Prose {
        authors,
        tags,
        language,
        summary,
    } = prose(check, catalogue, &mut raw);
    let category = entry_category(check, catalogue, &raw, default_category);
    let also = also(check, catalogue, &raw);
    let explicit_id = raw.id.as_ref().and_then(|id| valid_id(check, id));
    // An entry with a problem still takes part in the duplicate checks when
    // its identity is whole: an unknown category used to hide a duplicate
    // URL (issue 20). The catalogue is never published with an error.
    let identity_whole =
        raw.url.is_some() == url.is_some() && raw.id.is_some() == explicit_id.is_some();
    if check.errors.len() > before && !identity_whole {
        return None;
    }
    let (added, category) = (added.unwrap_or_default(), category.unwrap_or_default());
    let title = title?;
    let id_given = explicit_id.is_some();
    let id = explicit_id.unwrap_or_else(|| derived_id(check, &raw.title, &title, url.as_deref()));
    let entry = Entry {
        id,
        title,
        url,
        added,
        added_day: day_in(added, zone),
        updated,
        by,
        authors,
        language,
        tags,
        summary: summary.flatten(),
        category,
        also,
        layout: super::list_text::entry_layout(check, &raw),
        position: 0,
        extras: super::extras::entry(check, &raw, &catalogue.site.base_url),
    };
    Some((entry, origin(check, &raw, id_given)))
}

/// An entry's authors, tags, language and summary.
struct Prose {
    authors: Vec<String>,
    tags: Vec<String>,
    language: Option<String>,
    summary: Option<Option<crate::catalogue::Text>>,
}

/// Takes the authors, tags and summary out of `raw`: the entry keeps
/// those strings.
fn prose(check: &mut Checker<'_>, catalogue: &Catalogue, raw: &mut raw::Entry) -> Prose {
    let base = &catalogue.site.base_url;
    Prose {
        authors: check.take_lines(&mut raw.authors, "authors"),
        tags: check.take_lines(&mut raw.tags, "tags"),
        language: raw
            .language
            .as_ref()
            .and_then(|l| check.language(l, "language")),
        summary: raw
            .summary
            .take()
            .and_then(|s| check.markdown(s, "summary", base)),
    }
}

/// Where `raw` is written: its title's line and column (the caller sets `file`).
fn origin(check: &Checker<'_>, raw: &raw::Entry, id_given: bool) -> Origin {
    let (line, column) = check.source.line_and_column(&raw.title.span());
    Origin {
        file: 0,
        line,
        column,
        id_given,
    }
}

/// The categories of `also` (issue 22), each once; an unknown one is an error.
fn also(check: &mut Checker<'_>, catalogue: &Catalogue, raw: &raw::Entry) -> Vec<usize> {
    let mut also: Vec<usize> = raw
        .also
        .iter()
        .filter_map(|slug| category_index(check, catalogue, slug))
        .collect();
    also.sort_unstable();
    also.dedup();
    also
}

/// `added` and `updated`, in UTC; `updated` may not come before `added`.
type Dates = (
    Option<chrono::DateTime<chrono::Utc>>,
    Option<chrono::DateTime<chrono::Utc>>,
);

fn dates(check: &mut Checker<'_>, raw: &raw::Entry, catalogue: &Catalogue) -> Dates {
    let zone = catalogue.site.timezone;
    let added = check.date(&raw.added, "added", zone);
    let updated = raw
        .updated
        .as_ref()
        .and_then(|u| check.date(u, "updated", zone));
    if let (Some(added), Some(updated), Some(span)) = (added, updated, raw.updated.as_ref())
        && updated < added
    {
        check.error(
            &span.span(),
            "`updated` is before `added`".into(),
            "give the date of the entry's last meaningful revision, on or after `added`",
        );
    }
    (added, updated)
}

/// The entry's own `category`, else the file's (`Err(true)` when the file
/// names one that is unknown, already reported; `Err(false)` when it has none).
fn entry_category(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    raw: &raw::Entry,
    default_category: Result<usize, bool>,
) -> Option<usize> {
    match &raw.category {
        Some(slug) => category_index(check, catalogue, slug),
        None => match default_category {
            Ok(index) => Some(index),
            Err(file_category_given) => {
                if !file_category_given {
                    check.error(
                        &raw.title.span(),
                        "this entry has no category".into(),
                        "add `category = \"slug\"` to the entry or at the top of the file",
                    );
                }
                None
            }
        },
    }
}

/// An `id` as given, when it is one.
fn valid_id(check: &mut Checker<'_>, id: &Spanned<String>) -> Option<String> {
    if identity::is_valid_id(id.get_ref()) {
        return Some(id.get_ref().clone());
    }
    check.error(
        &id.span(),
        format!("invalid id {:?}", id.get_ref()),
        "use letters, digits, `-`, `_` and `.`, starting with a letter or digit",
    );
    None
}

/// The id of an entry that gives none: from its URL, else from its title,
/// with a warning that a new title would then make a new entry.
fn derived_id(
    check: &mut Checker<'_>,
    raw_title: &Spanned<String>,
    title: &str,
    url: Option<&str>,
) -> String {
    if let Some(url) = url {
        return identity::from_url(&link::with_host_slash(url));
    }
    let id = identity::from_title(title);
    // Its id now, which readers already know once it is published (issue
    // 19); a readable one only while it was never published.
    check.warnings.push(check.source.diagnostic(
        &raw_title.span(),
        format!(
            "entry {title:?} has neither `id` nor `url`, so editing its title changes its identity"
        ),
        format!(
            "add `id = \"{id}\"` (its id now), or `id = \"{}\"` if it was never published",
            identity::slug(title)
        ),
    ));
    id
}
