//! Cross-file checks of entries: each id and each URL listed once, the
//! first one kept and every later one reported where it is; the entries
//! kept, sorted newest first.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::collections::hash_map::Entry as Place;
use std::path::PathBuf;

use foldhash::fast::RandomState;
use rayon::prelude::*;

use crate::catalogue::link::with_host_slash;
use crate::catalogue::location::{Diagnostic, Location};
use crate::catalogue::model::Entry;

use super::entries::{AllEntries, Origin};

/// Cross-file checks: duplicate ids and URLs. Returns the entries kept,
/// sorted, and every entry's origin (in file order, as `Entry::position`
/// numbers them). `paths` are the entries files, which origins point into.
pub(crate) fn unique_entries(
    checked: AllEntries,
    paths: &[PathBuf],
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Entry>, Vec<Origin>) {
    let entries = checked.in_file_order();
    // The duplicate checks and the sort are independent: they run side by side.
    let (keep, order) = rayon::join(
        || first_of_each(&entries, &checked.origins, paths, errors),
        || newest_first(&entries),
    );
    drop(entries);
    let AllEntries { files, origins } = checked;
    // The maps of the duplicate checks and the sort's keys, freed, go back
    // to the system before the entries' new list takes as much.
    crate::memory::release_freed();
    // The entries kept, newest first, then the others, dropped once moved.
    let kept = |index: &usize| keep.get(*index) == Some(&true);
    let mut order = order;
    order.retain(kept);
    let count = order.len();
    order.extend((0..keep.len()).filter(|index| !kept(index)));
    let mut gathered = gather(files, &order);
    gathered.truncate(count);
    (gathered, origins)
}

/// The indices of `entries` newest first: `added` descending, then id,
/// then index (duplicates, dropped later, share ids), so the order is
/// total and the parallel sort deterministic. Sorting compact keys moves
/// and compares far less than sorting the entries would.
fn newest_first(entries: &[&Entry]) -> Vec<usize> {
    let mut keys: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(index, e)| (Reverse(e.added), head(&e.id), e.id.as_str(), index))
        .collect();
    keys.par_sort_unstable();
    // A list of its own: the keys' would stay five times its size.
    keys.iter().map(|&(.., index)| index).collect()
}

/// The first eight bytes of `id` as a number that orders as they do (a
/// shorter id padded with zeros): most ids are told apart by it, without
/// reading the id, far away in memory, at each comparison.
fn head(id: &str) -> u64 {
    let mut bytes = [0; 8];
    for (to, from) in bytes.iter_mut().zip(id.as_bytes()) {
        *to = *from;
    }
    u64::from_be_bytes(bytes)
}

/// The entries of `files`, numbered in file order from 0, moved into one
/// list in `order` (every number once), each with its number as
/// `Entry::position`. Each entry is moved once, on every thread: joining
/// the files' lists and then reordering the joined one (issue 23 §7) moved
/// each twice, on one thread, into fresh memory both times.
fn gather(mut files: Vec<Vec<Entry>>, order: &[usize]) -> Vec<Entry> {
    let count = files.iter().map(Vec::len).sum();
    if !is_permutation(order, count) {
        // Never so: the callers number every entry once.
        return gather_safely(files, order);
    }
    let mut gathered: Vec<Entry> = Vec::with_capacity(count);
    {
        let Some(slots) = gathered.spare_capacity_mut().get_mut(..count) else {
            return gather_safely(files, order);
        };
        let sources: Vec<&Entry> = files.iter().flatten().collect();
        let runs = slots.par_chunks_mut(RUN).zip(order.par_chunks(RUN));
        runs.for_each(|(slots, positions)| {
            for (slot, &position) in slots.iter_mut().zip(positions) {
                if let Some(&source) = sources.get(position) {
                    // SAFETY: a bitwise copy, made once per entry (`order`
                    // is a permutation); the files' lists give up their
                    // entries below, so each is dropped once, by
                    // `gathered`. Until then, `gathered` owns none of its
                    // copies: a panic leaks them and the files drop theirs.
                    let entry = unsafe { std::ptr::read(source) };
                    slot.write(Entry { position, ..entry });
                }
            }
        });
    }
    for file in &mut files {
        // SAFETY: length 0 is within capacity; the entries were moved out
        // above and must not be dropped here.
        unsafe { file.set_len(0) };
    }
    // SAFETY: the first `count` slots were each written once above, since
    // `order` holds `count` numbers, each below `count`.
    unsafe { gathered.set_len(count) };
    gathered
}

/// [`gather`] on one thread, without `unsafe`, for any `order`: each
/// number taken once, numbers past the entries skipped.
fn gather_safely(files: Vec<Vec<Entry>>, order: &[usize]) -> Vec<Entry> {
    let numbered = files.into_iter().flatten().enumerate();
    let mut slots: Vec<_> = numbered
        .map(|(position, entry)| Some(Entry { position, ..entry }))
        .collect();
    order
        .iter()
        .filter_map(|&index| slots.get_mut(index)?.take())
        .collect()
}

/// Entries a task of [`gather`] moves.
const RUN: usize = 4096;

/// Whether `order` holds each of `0..count` once.
fn is_permutation(order: &[usize], count: usize) -> bool {
    let mut seen = vec![false; count];
    order.len() == count
        && order.iter().all(|&index| {
            seen.get_mut(index)
                .is_some_and(|seen| !std::mem::replace(seen, true))
        })
}

/// A map for `count` keys, only looked up.
fn lookup<K>(count: usize) -> HashMap<K, usize, RandomState> {
    HashMap::with_capacity_and_hasher(count, RandomState::default())
}

/// Which entries to keep: each URL and each id the first time it is seen,
/// in file order; every later one is reported where it is.
fn first_of_each(
    entries: &[&Entry],
    origins: &[Origin],
    paths: &[PathBuf],
    errors: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    if all_distinct(entries) {
        return vec![true; entries.len()];
    }
    let location = |index: usize| {
        let origin = origins.get(index)?;
        Some(Location {
            path: paths.get(origin.file)?.clone(),
            line: origin.line,
            column: origin.column,
        })
    };
    let at = |index: usize| location(index).map_or_else(String::new, |l| l.to_string());
    // Only looked up, never iterated: the hasher cannot change the output.
    let count = entries.len();
    let mut ids: HashMap<&str, usize, _> = lookup(count);
    let mut urls: HashMap<Cow<'_, str>, usize, _> = lookup(count);
    let mut keep = vec![false; count];
    for (index, (entry, origin)) in entries.iter().zip(origins).enumerate() {
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

/// Whether no two entries share an id and no two share a URL: then each
/// is kept (the usual case). The ids and the URLs are checked side by
/// side; [`first_of_each`] checks them one entry at a time, in turn.
fn all_distinct(entries: &[&Entry]) -> bool {
    let (ids, urls) = rayon::join(
        || distinct(entries.iter().map(|e| Cow::Borrowed(e.id.as_str()))),
        || {
            distinct(
                entries
                    .iter()
                    .filter_map(|e| e.url.as_deref().map(with_host_slash)),
            )
        },
    );
    ids && urls
}

/// Whether `keys` are distinct.
fn distinct<'a>(keys: impl Iterator<Item = Cow<'a, str>>) -> bool {
    let mut seen = std::collections::HashSet::with_capacity_and_hasher(
        keys.size_hint().1.unwrap_or_default(),
        RandomState::default(),
    );
    keys.into_iter().all(|key| seen.insert(key))
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
    use super::*;

    fn entry(id: &str) -> Entry {
        Entry {
            id: id.into(),
            title: format!("Title of {id}"),
            url: Some(format!("https://example.org/{id}")),
            added: chrono::DateTime::default(),
            added_day: chrono::NaiveDate::default(),
            updated: None,
            by: vec![id.into()],
            authors: Vec::new(),
            language: None,
            tags: vec![id.into()],
            summary: None,
            category: 0,
            also: Vec::new(),
            layout: None,
            position: usize::MAX,
            extras: None,
        }
    }

    #[test]
    fn gather_moves_each_entry_where_the_order_says_once() {
        let files = vec![
            vec![entry("a"), entry("b")],
            vec![],
            vec![entry("c"), entry("d"), entry("e")],
        ];
        let gathered = gather(files, &[3, 0, 4, 1, 2]);
        let got: Vec<(&str, usize)> = gathered
            .iter()
            .map(|e| (e.id.as_str(), e.position))
            .collect();
        assert_eq!(got, [("d", 3), ("a", 0), ("e", 4), ("b", 1), ("c", 2)]);
    }

    #[test]
    fn the_head_of_an_id_orders_as_the_id_does() {
        let ids = [
            "",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh-2",
            "abcdefgi",
            "b",
            "\u{e9}t\u{e9}",
        ];
        for a in ids {
            for b in ids {
                if head(a) != head(b) {
                    assert_eq!(head(a) < head(b), a < b, "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn ids_or_urls_listed_twice_are_not_all_distinct() {
        let (a, b, c) = (entry("a"), entry("b"), entry("c"));
        assert!(all_distinct(&[&a, &b, &c]));
        let same_id = Entry {
            url: None,
            ..entry("a")
        };
        assert!(!all_distinct(&[&a, &b, &same_id]));
        let same_url = Entry {
            url: a.url.clone(),
            ..entry("d")
        };
        assert!(!all_distinct(&[&a, &b, &same_url]));
        // A host with and without its slash is one URL.
        let host = |id: &str, url: &str| Entry {
            url: Some(url.into()),
            ..entry(id)
        };
        let (bare, slashed) = (
            host("x", "https://example.org"),
            host("y", "https://example.org/"),
        );
        assert!(!all_distinct(&[&bare, &slashed]));
    }

    #[test]
    fn an_order_that_is_not_a_permutation_is_gathered_safely() {
        let cases: [(&[usize], &[&str]); 4] = [
            (&[0, 0, 1], &["a", "b"]),
            (&[2, 1], &["c", "b"]),
            (&[0, 1, 3], &["a", "b"]),
            (&[2, 1, 0, 0], &["c", "b", "a"]),
        ];
        for (order, expected) in cases {
            let files = vec![vec![entry("a"), entry("b")], vec![entry("c")]];
            let gathered = gather(files, order);
            let ids: Vec<&str> = gathered.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(ids, expected, "{order:?}");
        }
        assert!(is_permutation(&[2, 0, 1], 3));
        assert!(is_permutation(&[], 0));
        assert!(!is_permutation(&[1, 1], 2));
    }
}
