//! The maintainer's order of the entries (file by file, as written), which
//! the list, the page's sections and the identity record follow; the
//! catalogue itself keeps them newest first.

use rayon::prelude::*;

use super::model::{Catalogue, Entry};

impl Catalogue {
    /// The entries in the maintainer's order (file by file, as written).
    pub fn entries_in_file_order(&self) -> Vec<&Entry> {
        let order = self.file_order();
        order
            .iter()
            .filter_map(|&index| self.entries.get(index))
            .collect()
    }

    /// Indices into [`Self::entries`] in the maintainer's file order.
    pub(crate) fn file_order(&self) -> Vec<usize> {
        self.by_position().unwrap_or_else(|| {
            // With the index as tie-break the unstable sort orders as the
            // stable one would.
            let mut order: Vec<(usize, usize)> = self
                .entries
                .iter()
                .enumerate()
                .map(|(index, entry)| (entry.position, index))
                .collect();
            order.sort_unstable();
            order.into_iter().map(|(_, index)| index).collect()
        })
    }

    /// [`Self::file_order`] without sorting, by placing each entry at its
    /// position: a loaded catalogue numbers the entries it read, so
    /// positions are unique and below twice the number kept. `None` when
    /// they are not.
    fn by_position(&self) -> Option<Vec<usize>> {
        // Read on every thread: each entry's position is far in memory from
        // the next one's, and a publish asks for the order three times.
        let positions: Vec<usize> = self.entries.par_iter().map(|e| e.position).collect();
        let mut slots: Vec<Option<usize>> = vec![None; self.entries.len().saturating_mul(2)];
        for (index, &position) in positions.iter().enumerate() {
            if slots.get_mut(position)?.replace(index).is_some() {
                return None;
            }
        }
        Some(slots.into_iter().flatten().collect())
    }
}
