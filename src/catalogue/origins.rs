//! Where each entry is written: its file, line and column, and whether
//! it gives its `id`; the identity guard ([`crate::state::guard`]) and
//! `check --links` report there.

use std::path::PathBuf;

use super::Location;
use super::model::Entry;
use super::validate::Origin;

/// Where each entry is written: the entries files and, by
/// [`Entry::position`], each entry's file, line, column and explicit id.
#[derive(Debug, Default)]
pub struct Origins {
    paths: Vec<PathBuf>,
    /// `paths` as the identity record writes them (`/` between folders).
    files: Vec<String>,
    at: Vec<Origin>,
}

impl Origins {
    pub(crate) fn new(paths: Vec<PathBuf>, at: Vec<Origin>) -> Self {
        let files = paths
            .iter()
            .map(|path| path.to_string_lossy().replace('\\', "/"))
            .collect();
        Self { paths, files, at }
    }

    /// Where `entry` is written (its title).
    pub fn location(&self, entry: &Entry) -> Option<Location> {
        let origin = self.of(entry)?;
        Some(Location {
            path: self.paths.get(origin.file)?.clone(),
            line: origin.line,
            column: origin.column,
        })
    }

    /// The entries file holding `entry`, as the identity record writes it.
    pub fn file(&self, entry: &Entry) -> Option<&str> {
        // Read twice per entry by the identity record: nothing is copied.
        let origin = self.of(entry)?;
        self.files.get(origin.file).map(String::as_str)
    }

    /// The entries file holding `entry`, relative to the catalogue, and
    /// the entry's place among its `[[entry]]` tables (from 0).
    pub fn place_in_file(&self, entry: &Entry) -> Option<(PathBuf, usize)> {
        let origin = self.at.get(entry.position)?;
        // Origins are in file order: the file's first entry starts its run.
        let first = self.at.partition_point(|other| other.file < origin.file);
        Some((self.paths.get(origin.file)?.clone(), entry.position - first))
    }

    /// Whether `entry` gives its `id` (else it is derived).
    pub fn id_given(&self, entry: &Entry) -> bool {
        self.of(entry).is_some_and(|origin| origin.id_given)
    }

    fn of(&self, entry: &Entry) -> Option<&Origin> {
        self.at.get(entry.position)
    }
}
