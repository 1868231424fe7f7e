//! Cross-file checks of entries: each id and each URL listed once, the
//! first one kept and every later one reported where it is; the entries
//! kept, sorted newest first.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::collections::hash_map::Entry as Place;
use std::path::PathBuf;

use foldhash::fast::RandomState;
use rayon::slice::ParallelSliceMut;

use crate::catalogue::link::with_host_slash;
use crate::catalogue::location::{Diagnostic, Location};
use crate::catalogue::model::Entry;

use super::entries::{CheckedEntries, Origin};

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

/// A map for `count` keys, only looked up.
fn lookup<K>(count: usize) -> HashMap<K, usize, RandomState> {
    HashMap::with_capacity_and_hasher(count, RandomState::default())
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
    let mut ids: HashMap<&str, usize, _> = lookup(count);
    let mut urls: HashMap<Cow<'_, str>, usize, _> = lookup(count);
    let mut keep = vec![false; count];
    for (index, (entry, origin)) in checked.entries.iter().zip(&checked.origins).enumerate() {
        // The URL first: a derived id repeats because the URL does, and
        // "already listed" says what to fix. Each map is searched once: a
        // vacant place dropped unfilled leaves the map as it was.
        let url = match entry
            .url
            .as_deref()
            .map(|url| urls.entry(with_host_slash(url)))
        {
            Some(Place::Occupied(first)) => {
                errors.push(url_listed(entry, location(index), &at(*first.get())));
                continue;
            }
            Some(Place::Vacant(place)) => Some(place),
            None => None,
        };
        match ids.entry(entry.id.as_str()) {
            Place::Occupied(first) => {
                errors.push(id_used(entry, origin, location(index), &at(*first.get())));
            }
            Place::Vacant(place) => {
                place.insert(index);
                if let Some(url) = url {
                    url.insert(index);
                }
                if let Some(slot) = keep.get_mut(index) {
                    *slot = true;
                }
            }
        }
    }
    keep
}

/// An entry whose URL is already listed at `first`.
fn url_listed(entry: &Entry, location: Option<Location>, first: &str) -> Diagnostic {
    let url = entry.url.as_deref().unwrap_or_default();
    Diagnostic {
        location,
        message: format!("the URL {url} is already listed at {first}"),
        help: "list each resource once (remove or merge the duplicate)".into(),
    }
}

/// An entry whose id is already used at `first`.
fn id_used(entry: &Entry, origin: &Origin, location: Option<Location>, first: &str) -> Diagnostic {
    let message = if origin.id_given {
        format!("duplicate id `{}`, first used at {first}", entry.id)
    } else {
        format!(
            "this entry's derived id `{}` is already used at {first}",
            entry.id
        )
    };
    Diagnostic {
        location,
        message,
        help: "give each entry its own `id` (or remove the duplicate)".into(),
    }
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
