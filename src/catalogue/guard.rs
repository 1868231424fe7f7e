//! The id-change guard (issue 13): `oyez.lock` records, per entry, the id
//! it was last published with, its file, its place in that file and its
//! title. An entry without an explicit `id` whose derived id is new, but
//! which has the title or the place of a recorded entry whose id is gone,
//! is the same entry under a new id: feed readers would show it twice.
//! Removing an entry is not an id change. Pure: records and catalogue in,
//! diagnostics and bytes out; `cli` reads and writes the file.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::model::{Catalogue, Entry};
use super::validate::Origin;
use super::{Diagnostic, Location};

/// The record's file name, beside `oyez.toml`.
pub const LOCK_FILE: &str = "oyez.lock";

const HEADER: &str = "# oyez.lock: the entry ids of the last `oyez publish`, which writes it; commit it.\n\
# One JSON array per entry, in file order: id, file, place in the file (from 0), title.\n";

/// Where each entry is written: the entries files and, by
/// [`Entry::position`], each entry's file, line, column and explicit id.
#[derive(Debug, Default)]
pub struct Origins {
    paths: Vec<PathBuf>,
    /// `paths` as the lock writes them (`/` between folders).
    files: Vec<String>,
    at: Vec<Origin>,
}

/// Where one entry is written.
struct Place<'a> {
    file: &'a str,
    /// Counted from 0 in its file.
    index: usize,
    location: Location,
    id_given: bool,
}

/// One published entry, as `oyez.lock` records it: id, file, place in
/// the file, title. Borrowed from the catalogue or the lock's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record<'a>(
    #[serde(borrow)] pub Cow<'a, str>,
    #[serde(borrow)] pub Cow<'a, str>,
    pub usize,
    #[serde(borrow)] pub Cow<'a, str>,
);

#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error(
        "{LOCK_FILE}:{line}: not an entry record: {reason}; fix the line, or delete the file and publish to write it again"
    )]
    Lock { line: usize, reason: String },
    #[error("cannot read or write {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render_changes(.changes))]
    IdChanges { changes: Vec<Diagnostic> },
}

fn render_changes(changes: &[Diagnostic]) -> String {
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    let noun = if changes.len() == 1 {
        "entry"
    } else {
        "entries"
    };
    format!(
        "{}\n{} {noun} would change id; add the ids, or run `oyez publish --accept-id-changes` to give them new ids",
        lines.join("\n"),
        changes.len()
    )
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
        self.of(entry).map(|place| place.location)
    }

    fn of(&self, entry: &Entry) -> Option<Place<'_>> {
        let origin = self.at.get(entry.position)?;
        // Origins are in file order: the file's first entry starts its run.
        let first = self.at.partition_point(|other| other.file < origin.file);
        Some(Place {
            file: self.files.get(origin.file)?,
            index: entry.position - first,
            location: Location {
                path: self.paths.get(origin.file)?.clone(),
                line: origin.line,
                column: origin.column,
            },
            id_given: origin.id_given,
        })
    }
}

/// The records of `catalogue` as published now, in file order.
pub fn records<'a>(catalogue: &'a Catalogue, origins: &'a Origins) -> Vec<Record<'a>> {
    let entries = catalogue.entries_in_file_order().into_iter();
    entries.filter_map(|entry| record(entry, origins)).collect()
}

fn record<'a>(entry: &'a Entry, origins: &'a Origins) -> Option<Record<'a>> {
    let place = origins.of(entry)?;
    let (id, title) = (
        Cow::from(entry.id.as_str()),
        Cow::from(entry.title.as_str()),
    );
    Some(Record(id, Cow::from(place.file), place.index, title))
}

/// `oyez.lock`'s bytes for `records`.
pub fn render(records: &[Record<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER.len() + records.len() * 100);
    out.extend_from_slice(HEADER.as_bytes());
    for record in records {
        push(&mut out, record);
    }
    out
}

/// `oyez.lock`'s bytes for `catalogue` as published now: [`render`] of
/// [`records`], without holding the records.
pub fn render_catalogue(catalogue: &Catalogue, origins: &Origins) -> Vec<u8> {
    let entries = catalogue.entries_in_file_order();
    let mut out = Vec::with_capacity(HEADER.len() + entries.len() * 100);
    out.extend_from_slice(HEADER.as_bytes());
    for entry in entries {
        if let Some(record) = record(entry, origins) {
            push(&mut out, &record);
        }
    }
    out
}

fn push(out: &mut Vec<u8>, record: &Record<'_>) {
    // A record of strings and a number always serialises.
    if serde_json::to_writer(&mut *out, record).is_ok() {
        out.push(b'\n');
    }
}

/// The records in `text`, an `oyez.lock`.
pub fn parse(text: &str) -> Result<Vec<Record<'_>>, GuardError> {
    let lines = text.lines().enumerate();
    let records = lines.filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
    records
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|err| GuardError::Lock {
                line: index + 1,
                reason: err.to_string(),
            })
        })
        .collect()
}

/// Every entry whose id would change since `published`, as a diagnostic
/// at the entry with the id to add.
pub fn id_changes(
    catalogue: &Catalogue,
    origins: &Origins,
    published: &[Record<'_>],
) -> Vec<Diagnostic> {
    let known: HashSet<&str> = published.iter().map(|record| record.0.as_ref()).collect();
    // Usually none: only entries without an id whose id was never published.
    let mut candidates: Vec<(&Entry, Place<'_>)> = catalogue
        .entries
        .iter()
        .filter(|entry| !known.contains(entry.id.as_str()))
        .filter_map(|entry| Some((entry, origins.of(entry)?)))
        .filter(|(_, place)| !place.id_given)
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    candidates.sort_by_key(|(entry, _)| entry.position);
    let current: HashSet<&str> = catalogue.entries.iter().map(|e| e.id.as_str()).collect();
    let gone = |record: &&Record<'_>| !current.contains(record.0.as_ref());
    let mut by_title: HashMap<&str, &Record<'_>> = HashMap::new();
    let mut by_place: HashMap<(&str, usize), &Record<'_>> = HashMap::new();
    for record in published {
        by_title.entry(&record.3).or_insert(record);
        by_place.entry((&record.1, record.2)).or_insert(record);
    }
    let mut claimed: HashSet<&str> = HashSet::new();
    let mut changes = Vec::new();
    for (entry, place) in candidates {
        let same = (by_title.get(entry.title.as_str()).copied().filter(gone)).or_else(|| {
            by_place
                .get(&(place.file, place.index))
                .copied()
                .filter(gone)
        });
        if let Some(record) = same
            && claimed.insert(&record.0)
        {
            changes.push(change(entry, record, place.location));
        }
    }
    changes
}

fn change(entry: &Entry, record: &Record<'_>, location: Location) -> Diagnostic {
    Diagnostic {
        location: Some(location),
        message: format!(
            "the id of {:?} would change from `{}` to `{}` since the last publish ({LOCK_FILE})",
            entry.title, record.0, entry.id
        ),
        help: format!("add id = \"{}\" to keep its identity", record.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_a_round_trip_through_the_lock_file() {
        let records = vec![
            Record(
                "u-1".into(),
                "entries/a.toml".into(),
                0,
                "Tab\t\"quoted\" é".into(),
            ),
            Record("b".into(), "entries/b.toml".into(), 3, "B".into()),
        ];
        let text = String::from_utf8(render(&records)).unwrap();
        assert_eq!(parse(&text).unwrap(), records);
        let example =
            crate::catalogue::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (catalogue, origins) = (&example.catalogue, &example.origins);
        assert_eq!(
            render_catalogue(catalogue, origins),
            render(&super::records(catalogue, origins))
        );
    }

    #[test]
    fn a_line_that_is_not_a_record_is_reported_with_its_number() {
        let err = parse("# header\n[\"a\", \"f\", 0, \"t\"]\nnot json\n").unwrap_err();
        assert!(matches!(err, GuardError::Lock { line: 3, .. }), "{err}");
    }
}
