//! Each entry's `updated` in the feeds, distinct across the catalogue
//! (issue 11): entries added the same day share their date, and the W3C
//! Feed Validation Service warns (`DuplicateUpdated`) when two entries of a
//! feed share `atom:updated`.
//!
//! The rule, deterministic and documented in `docs/page-and-feeds.md`:
//! entries are taken by their own date (`updated`, else `added`), then by
//! their place in the catalogue files; each gets its own date, or one
//! second after the entry before it when that is not earlier. So the
//! entries of one bare date become 00:00:00, 00:00:01, … in file order, and
//! an entry appended to the files takes the next second, leaving the
//! others as they were. Since every entry's stamp is distinct, every feed
//! (a subset of the entries) has distinct `updated` values too.

use std::cmp::Reverse;

use chrono::{DateTime, TimeDelta, Utc};
use rayon::prelude::*;

use crate::catalogue::{Catalogue, Entry};

/// The stamps of a catalogue's entries, by index into `Catalogue::entries`.
#[derive(Debug, Clone, Default)]
pub struct Stamps(Vec<DateTime<Utc>>);

impl Stamps {
    pub fn new(catalogue: &Catalogue) -> Self {
        let entries = &catalogue.entries;
        // The keys side by side, read once in order: sorting them in place
        // is several times faster than reaching into 100,000 entries.
        let mut keys: Vec<(DateTime<Utc>, usize, usize)> = entries
            .par_iter()
            .enumerate()
            .map(|(index, entry)| (entry.modified(), entry.position, index))
            .collect();
        keys.par_sort_unstable();
        let dated = keys.iter().map(|&(date, _, index)| (index, date));
        Self(sweep(entries.len(), dated))
    }

    /// The stamps of the update log, by index into `Catalogue::updates`,
    /// by the same rule: updates of one day (`update-…`, `update-…-2`, …)
    /// take successive seconds in the order of their ids.
    pub fn updates(catalogue: &Catalogue) -> Self {
        let updates = &catalogue.updates;
        let mut order: Vec<usize> = (0..updates.len()).collect();
        order.sort_unstable_by_key(|&index| {
            let update = updates.get(index);
            let id = update.map_or("", |u| u.id.as_str());
            (update.map(|u| u.date), id.len(), id)
        });
        let dated = order
            .iter()
            .filter_map(|&index| Some((index, updates.get(index)?.date)));
        Self(sweep(updates.len(), dated))
    }

    /// The stamp of `catalogue.entries[index]`.
    pub fn at(&self, index: usize) -> Option<DateTime<Utc>> {
        self.0.get(index).copied()
    }

    /// The stamp of `entry`, one of `catalogue.entries`; its own date if
    /// it is not one of them.
    pub fn of(&self, catalogue: &Catalogue, entry: &Entry) -> DateTime<Utc> {
        index_of(catalogue, entry)
            .and_then(|index| self.at(index))
            .unwrap_or_else(|| entry.modified())
    }
}

/// Where `entry` is in `catalogue.entries`: from its address when it is
/// borrowed from there (checked), else by the catalogue's order (`added`
/// descending, then id).
fn index_of(catalogue: &Catalogue, entry: &Entry) -> Option<usize> {
    let entries = &catalogue.entries;
    let offset = (std::ptr::from_ref(entry) as usize).checked_sub(entries.as_ptr() as usize);
    let by_address = offset.map(|offset| offset / std::mem::size_of::<Entry>().max(1));
    let borrowed = |&index: &usize| entries.get(index).is_some_and(|e| std::ptr::eq(e, entry));
    if let Some(index) = by_address.filter(borrowed) {
        return Some(index);
    }
    let key = (Reverse(entry.added), entry.id.as_str());
    entries
        .binary_search_by(|e| (Reverse(e.added), e.id.as_str()).cmp(&key))
        .ok()
}

const SECOND: TimeDelta = TimeDelta::seconds(1);

/// Stamps for `count` items taken in order (`dated`: each index and its
/// own date), each its own date or a second after the item before,
/// whichever is later; by item index.
fn sweep(count: usize, dated: impl Iterator<Item = (usize, DateTime<Utc>)>) -> Vec<DateTime<Utc>> {
    let mut stamps = vec![DateTime::<Utc>::default(); count];
    let mut last: Option<DateTime<Utc>> = None;
    for (index, own) in dated {
        let stamp = match last {
            Some(last) if last >= own => last.checked_add_signed(SECOND).unwrap_or(own),
            _ => own,
        };
        if let Some(slot) = stamps.get_mut(index) {
            *slot = stamp;
        }
        last = Some(stamp);
    }
    stamps
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn example() -> Catalogue {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::catalogue::load(dir).unwrap().catalogue
    }

    #[test]
    fn entries_of_one_day_take_successive_seconds_in_file_order() {
        let mut catalogue = example();
        let day = catalogue.entries[0].added;
        for entry in &mut catalogue.entries {
            entry.added = day;
            entry.updated = None;
        }
        catalogue.entries.sort_by(|a, b| a.id.cmp(&b.id));
        let stamps = Stamps::new(&catalogue);
        let mut by_position: Vec<(usize, DateTime<Utc>)> = catalogue
            .entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.position, stamps.at(index).unwrap()))
            .collect();
        by_position.sort();
        for (offset, (_, stamp)) in by_position.iter().enumerate() {
            assert_eq!(*stamp, day + TimeDelta::seconds(offset as i64));
        }
    }

    #[test]
    fn every_stamp_is_distinct_and_not_before_the_entry_date() {
        let catalogue = example();
        let stamps = Stamps::new(&catalogue);
        let mut seen = HashSet::new();
        for (index, entry) in catalogue.entries.iter().enumerate() {
            let stamp = stamps.at(index).unwrap();
            assert!(stamp >= entry.modified());
            assert!(seen.insert(stamp), "{stamp} twice");
            assert_eq!(stamps.of(&catalogue, entry), stamp);
            assert_eq!(stamps.of(&catalogue, &entry.clone()), stamp);
        }
    }
}
