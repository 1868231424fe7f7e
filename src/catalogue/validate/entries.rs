//! Checks of entries files: each entry and update, then the cross-file
//! checks (duplicate ids and URLs) and the update log's announcements.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::PathBuf;

use foldhash::fast::RandomState;

use rayon::slice::ParallelSliceMut;
use toml::Spanned;

use crate::catalogue::date::day_in;
use crate::catalogue::identity;
use crate::catalogue::load::{EntriesFile, SourceFile};
use crate::catalogue::location::{Diagnostic, Location};
use crate::catalogue::model::{Catalogue, Entry, Update};
use crate::catalogue::raw;

use super::checker::{Checker, is_handle};

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

    /// Moves `other`'s entries to the end of these.
    pub(crate) fn append(&mut self, mut other: Self) {
        self.entries.append(&mut other.entries);
        self.origins.append(&mut other.origins);
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
) -> (
    CheckedEntries,
    Vec<(Update, crate::catalogue::location::Location)>,
) {
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
                known.join(", ")
            ),
            "add it to oyez.toml or fix the entry",
        );
    }
    found
}

fn entry(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    raw: raw::Entry,
    default_category: Result<usize, bool>,
) -> Option<(Entry, Origin)> {
    let before = check.errors.len();
    let zone = catalogue.site.timezone;
    let title = check.required_line(&raw.title, "title");
    let url = raw
        .url
        .as_ref()
        .and_then(|url| check.web_url(url, "url"))
        .map(String::from);
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
    let by = check.handles(&raw.by);
    warn_unknown_handles(check, catalogue, &raw.by);
    let authors = check.lines(&raw.authors, "authors");
    let tags = check.lines(&raw.tags, "tags");
    let language = raw
        .language
        .as_ref()
        .and_then(|l| check.language(l, "language"));
    let base = &catalogue.site.base_url;
    let summary = raw
        .summary
        .as_ref()
        .and_then(|s| check.markdown(s, "summary", base));
    let category = match &raw.category {
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
    };
    let explicit_id = raw.id.as_ref().and_then(|id| {
        if identity::is_valid_id(id.get_ref()) {
            Some(id.get_ref().clone())
        } else {
            check.error(
                &id.span(),
                format!("invalid id {:?}", id.get_ref()),
                "use letters, digits, `-`, `_` and `.`, starting with a letter or digit",
            );
            None
        }
    });
    if check.errors.len() > before {
        return None;
    }
    let (title, added, category) = (title?, added?, category?);
    let id_given = explicit_id.is_some();
    let id = explicit_id.unwrap_or_else(|| match &url {
        Some(url) => identity::from_url(url.as_str()),
        None => identity::from_title(&title),
    });
    if !id_given && url.is_none() {
        check.warnings.push(check.source.diagnostic(&raw.title.span(), format!("entry {title:?} has neither `id` nor `url`, so editing its title changes its identity"), format!("add `id = \"{}\"`", identity::slug(&title))));
    }
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
        position: 0,
    };
    let (line, column) = check.source.line_and_column(&raw.title.span());
    let origin = Origin {
        file: 0,
        line,
        column,
        id_given,
    };
    Some((entry, origin))
}

fn warn_unknown_handles(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    values: &[Spanned<String>],
) {
    for value in values {
        let handle = value.get_ref().strip_prefix('@').unwrap_or(value.get_ref());
        if is_handle(handle) && !catalogue.contributors.contains_key(handle) {
            check.warnings.push(check.source.diagnostic(&value.span(), format!("unknown contributor `@{handle}`"), format!("credited as written; add [contributors.{handle}] to oyez.toml to give a name and link")));
        }
    }
}

fn update(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    raw: raw::Update,
) -> Option<(Update, crate::catalogue::location::Location)> {
    let zone = catalogue.site.timezone;
    let date = check.date(&raw.date, "date", zone);
    let note = check.markdown(&raw.note, "note", &catalogue.site.base_url);
    let by = check.handles(&raw.by);
    warn_unknown_handles(check, catalogue, &raw.by);
    let (date, note) = (date?, note?);
    let update = Update {
        id: String::new(),
        date,
        day: day_in(date, zone),
        note: note.unwrap_or_default(),
        by,
        announces: Vec::new(),
    };
    Some((update, check.source.location(&raw.date.span())))
}

/// Cross-file checks: duplicate ids and URLs. Returns the entries, sorted.
/// `paths` are the entries files, which [`Origin`]s point into.
pub(crate) fn unique_entries(
    checked: CheckedEntries,
    paths: &[PathBuf],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    // The duplicate checks and the sort are independent: they run side by side.
    let (keep, order) = rayon::join(
        || first_of_each(&checked, paths, errors),
        || newest_first(&checked.entries),
    );
    // In place (the vector is reused): a catalogue of 100,000 entries is
    // tens of MB of them, and a copy would be held beside the original.
    let mut entries: Vec<Option<Entry>> = checked
        .entries
        .into_iter()
        .zip(keep)
        .enumerate()
        .map(|(position, (entry, keep))| keep.then_some(Entry { position, ..entry }))
        .collect();
    permute(&mut entries, &order);
    // `filter_map` collects into the same allocation; `flatten` would copy.
    #[allow(clippy::filter_map_identity)]
    entries.into_iter().filter_map(|entry| entry).collect()
}

/// The indices of `entries` newest first: `added` descending, then id,
/// then index (duplicates, dropped later, share ids), so the order is
/// total and the parallel sort deterministic. Sorting compact keys moves
/// and compares far less than sorting the entries would.
fn newest_first(entries: &[Entry]) -> Vec<usize> {
    let mut keys: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(index, e)| (Reverse(e.added), e.id.as_str(), index))
        .collect();
    keys.par_sort_unstable();
    keys.into_iter().map(|(.., index)| index).collect()
}

/// Reorders `items` in place so that `items[k]` is what was at `order[k]`
/// (`order` is a permutation of the indices), each one moved once.
fn permute<T>(items: &mut [T], order: &[usize]) {
    // Where each item goes; every swap puts one item in its place for good.
    let mut destination = vec![0; order.len()];
    for (to, &from) in order.iter().enumerate() {
        if let Some(slot) = destination.get_mut(from) {
            *slot = to;
        }
    }
    for at in 0..items.len() {
        while let Some(&to) = destination.get(at)
            && to != at
            && to < items.len()
        {
            items.swap(at, to);
            destination.swap(at, to);
        }
    }
}

/// Which entries to keep: each URL and each id the first time it is seen,
/// in file order; every later one is reported where it is.
fn first_of_each(
    checked: &CheckedEntries,
    paths: &[PathBuf],
    errors: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    let location = |index: usize| {
        let origin = checked.origins.get(index)?;
        Some(Location {
            path: paths.get(origin.file)?.clone(),
            line: origin.line,
            column: origin.column,
        })
    };
    let at = |index: usize| location(index).map_or_else(String::new, |l| l.to_string());
    // Only looked up, never iterated: the hasher cannot change the output.
    let count = checked.entries.len();
    let lookup = || HashMap::with_capacity_and_hasher(count, RandomState::default());
    let mut ids: HashMap<&str, usize, _> = lookup();
    let mut urls: HashMap<&str, usize, _> = lookup();
    let mut keep = vec![false; count];
    for (index, (entry, origin)) in checked.entries.iter().zip(&checked.origins).enumerate() {
        // The URL first: a derived id repeats because the URL does, and
        // "already listed" says what to fix.
        if let Some(url) = &entry.url
            && let Some(&first) = urls.get(url.as_str())
        {
            errors.push(Diagnostic {
                location: location(index),
                message: format!("the URL {url} is already listed at {}", at(first)),
                help: "list each resource once (remove or merge the duplicate)".into(),
            });
            continue;
        }
        if let Some(&first) = ids.get(entry.id.as_str()) {
            let message = if origin.id_given {
                format!("duplicate id `{}`, first used at {}", entry.id, at(first))
            } else {
                format!(
                    "this entry's derived id `{}` is already used at {}",
                    entry.id,
                    at(first)
                )
            };
            errors.push(Diagnostic {
                location: location(index),
                message,
                help: "give each entry its own `id` (or remove the duplicate)".into(),
            });
            continue;
        }
        if let Some(url) = &entry.url {
            urls.insert(url.as_str(), index);
        }
        ids.insert(entry.id.as_str(), index);
        if let Some(slot) = keep.get_mut(index) {
            *slot = true;
        }
    }
    keep
}

/// Names updates (`update-DAY`, `-2` for a second one that day, in file
/// order), sorts them newest first and works out what each announces.
pub(crate) fn order_updates(mut updates: Vec<Update>, entries: &[Entry]) -> Vec<Update> {
    let mut seen: HashMap<chrono::NaiveDate, usize> = HashMap::new();
    for update in &mut updates {
        let count = seen.entry(update.day).or_insert(0);
        *count += 1;
        update.id = match *count {
            1 => format!("update-{}", update.day),
            n => format!("update-{}-{n}", update.day),
        };
    }
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let days: Vec<chrono::NaiveDate> = updates.iter().map(|u| u.day).collect();
    for (index, update) in updates.iter_mut().enumerate() {
        let previous = days
            .get(index + 1..)
            .unwrap_or_default()
            .iter()
            .find(|&&day| day < update.day)
            .copied();
        // Entries are sorted newest first, so their days never increase:
        // the ones added after `previous`, up to this update's day, are a run.
        let first = entries.partition_point(|e| e.added_day > update.day);
        let end = entries.partition_point(|e| previous.is_none_or(|p| e.added_day > p));
        update.announces = (first..end.max(first)).collect();
    }
    updates
}

#[cfg(test)]
mod tests {
    #[test]
    fn permute_moves_each_item_where_the_order_says() {
        let order = [3, 0, 4, 1, 2];
        let mut items = ['a', 'b', 'c', 'd', 'e'];
        super::permute(&mut items, &order);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c']);
    }
}
