//! The identity guard (issues 13 and 19): every command that announces
//! (`check`, `publish`, `digest`, `ping`) compares the catalogue with the
//! identity record ([`super::ids`]) first. An entry is the same entry as a
//! published one when its normalised URL or its title is the same, never
//! by its place: such an entry under another id would reach readers
//! twice, so the change is refused at the entry with the right fix (its
//! old id) unless accepted. A new `base_url` changes every feed id and is
//! refused the same way. Published entries that are gone are reported.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::Path;

use super::ids::{Announced, Record, normalise, render_of};
use super::{IDS, StateError};
use crate::catalogue::origins::Origins;
use crate::catalogue::{Catalogue, Diagnostic, Entry};

#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error("{}", render_changes(.changes))]
    IdChanges { changes: Vec<Diagnostic> },
    #[error(
        "oyez.toml: `base_url` changed from {from} to {to} since the last publish ({}): every \
         entry's feed id would change and readers would see every entry again; restore it, or \
         run with --accept-id-changes if the site has moved",
        IDS.shown()
    )]
    BaseUrl { from: String, to: String },
    #[error(transparent)]
    State(#[from] StateError),
}

fn render_changes(changes: &[Diagnostic]) -> String {
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    let noun = if changes.len() == 1 {
        "entry"
    } else {
        "entries"
    };
    format!(
        "{}\n{} {noun} would change id; give the old ids, or run with --accept-id-changes to give them new ids",
        lines.join("\n"),
        changes.len()
    )
}

/// The identity record as this catalogue would write it, once checked.
/// A changed record is rendered again to be written, after the output:
/// kept from the check, its 20 MB (at 100,000 entries) would add to the
/// publish's peak.
#[derive(Debug)]
pub struct Checked {
    unchanged: bool,
    /// Published entries no longer in the catalogue.
    pub removed: Vec<Announced>,
    /// Revisions to announce: published entries whose `updated` moved.
    pub revised: Vec<super::revised::Revision>,
}

/// Fails with every entry whose id would change since the last publish
/// (and with a changed `base_url`), unless `accept`.
pub fn check(
    root: &Path,
    catalogue: &Catalogue,
    origins: &Origins,
    accept: bool,
) -> Result<Checked, GuardError> {
    let parts = render_of(catalogue, origins, &[]);
    if super::holds(root, IDS, &parts)? {
        // Nothing to write: the record (about 20 MB at 100,000 entries)
        // need not stay in memory for the whole publish.
        drop(parts);
        crate::memory::release_freed();
        return Ok(Checked {
            unchanged: true,
            removed: Vec::new(),
            revised: Vec::new(),
        });
    }
    drop(parts);
    // The record is read while the catalogue's ids are gathered.
    let (published, current) = rayon::join(|| Record::read(root), || Ids::current(catalogue));
    let published = published?;
    let ids = Ids::of(&published, current);
    let gone = Gone::new(&published, &ids);
    if !accept {
        refuse_changes(catalogue, origins, &published, (&ids, &gone))?;
    }
    // Until `oyez remove` records why, a removed entry stays in the record:
    // reported on every run, still guarded against id changes.
    let tombstones = super::removed::read(root)?;
    let recorded: HashSet<&str> = tombstones.iter().map(|t| t.id.as_str()).collect();
    let mut removed = removed(catalogue, &published, (&ids, &gone));
    removed.retain(|gone| !recorded.contains(gone.id.as_str()));
    // The record without the removed entries was compared above: only a
    // record that keeps them can be what the file holds.
    let unchanged = match removed.is_empty() {
        true => false,
        false => super::holds(root, IDS, &render_of(catalogue, origins, &removed))?,
    };
    // An old `oyez.lock` knows no dates: no revision then.
    let dated = published.base_url.is_some().then_some(&ids.published);
    let revised = super::revised::moved(catalogue, dated);
    drop((gone, ids));
    drop(published);
    // The record read (about 30 MB at 100,000 entries) goes back to the
    // system before the pages are written.
    crate::memory::release_freed();
    Ok(Checked {
        unchanged,
        removed,
        revised,
    })
}

/// The ids on both sides, each gathered once: the catalogue's, and the
/// record's with their `updated` dates.
struct Ids<'c, 'r> {
    current: HashSet<&'c str>,
    published: HashMap<&'r str, Option<&'r str>>,
}

impl<'c, 'r> Ids<'c, 'r> {
    fn current(catalogue: &'c Catalogue) -> HashSet<&'c str> {
        catalogue.entries.iter().map(|e| e.id.as_str()).collect()
    }

    fn of(published: &'r Record, current: HashSet<&'c str>) -> Self {
        let published = published
            .entries
            .iter()
            .map(|a| (a.id.as_str(), a.updated.as_deref()))
            .collect();
        Self { current, published }
    }
}

fn refuse_changes(
    catalogue: &Catalogue,
    origins: &Origins,
    published: &Record,
    sides: (&Ids<'_, '_>, &Gone<'_>),
) -> Result<(), GuardError> {
    let to = catalogue.site.base_url.to_string();
    if let Some(from) = published.base_url.as_ref().filter(|from| **from != to) {
        let from = from.clone();
        return Err(GuardError::BaseUrl { from, to });
    }
    let changes = id_changes(catalogue, origins, sides);
    if changes.is_empty() {
        Ok(())
    } else {
        Err(GuardError::IdChanges { changes })
    }
}

impl Checked {
    /// Writes the record of `catalogue` when it changed (`publish`, after
    /// the output).
    pub fn write(
        self,
        root: &Path,
        catalogue: &Catalogue,
        origins: &Origins,
    ) -> Result<(), StateError> {
        if self.unchanged {
            return Ok(());
        }
        let parts = render_of(catalogue, origins, &self.removed);
        super::write(root, IDS, &parts.concat())
    }
}

/// Published entries matched by URL, then by title, among those whose id
/// is gone from the catalogue.
struct Gone<'r> {
    /// By normalised URL.
    by_url: HashMap<String, &'r Announced>,
    by_title: HashMap<&'r str, &'r Announced>,
}

impl<'r> Gone<'r> {
    fn new(published: &'r Record, ids: &Ids<'_, '_>) -> Self {
        let gone = published
            .entries
            .iter()
            .filter(|a| !ids.current.contains(a.id.as_str()));
        let mut by_url = HashMap::new();
        let mut by_title = HashMap::new();
        for announced in gone {
            if !announced.url.is_empty() {
                by_url.entry(normalise(&announced.url)).or_insert(announced);
            }
            by_title
                .entry(announced.title.as_str())
                .or_insert(announced);
        }
        Self { by_url, by_title }
    }

    fn is_empty(&self) -> bool {
        self.by_title.is_empty()
    }

    fn same_as(&self, entry: &Entry) -> Option<&'r Announced> {
        let url = entry.url.as_deref().map(normalise);
        let by_url = url.and_then(|url| self.by_url.get(&url).copied());
        by_url.or_else(|| self.by_title.get(entry.title.as_str()).copied())
    }
}

/// Every entry that is a published entry under another id, as a
/// diagnostic at the entry with the id to give it back.
fn id_changes(
    catalogue: &Catalogue,
    origins: &Origins,
    (ids, gone): (&Ids<'_, '_>, &Gone<'_>),
) -> Vec<Diagnostic> {
    let mut fresh: Vec<&Entry> = catalogue
        .entries
        .iter()
        .filter(|entry| !ids.published.contains_key(entry.id.as_str()))
        .collect();
    if fresh.is_empty() || gone.is_empty() {
        // No new id, or nothing published gone: no entry is one under a new id.
        return Vec::new();
    }
    fresh.sort_by_key(|entry| entry.position);
    let mut claimed: HashSet<&str> = HashSet::new();
    let mut changes = Vec::new();
    for entry in fresh {
        if let Some(announced) = gone.same_as(entry)
            && claimed.insert(&announced.id)
        {
            changes.push(change(entry, announced, origins));
        }
    }
    changes
}

/// Published entries that are no longer in the catalogue under any id.
fn removed(
    catalogue: &Catalogue,
    published: &Record,
    (ids, gone): (&Ids<'_, '_>, &Gone<'_>),
) -> Vec<Announced> {
    if gone.is_empty() {
        return Vec::new();
    }
    let current = &ids.current;
    let renamed: HashSet<&str> = catalogue
        .entries
        .iter()
        .filter_map(|entry| gone.same_as(entry))
        .map(|a| a.id.as_str())
        .collect();
    let removed = published
        .entries
        .iter()
        .filter(|a| !current.contains(a.id.as_str()) && !renamed.contains(a.id.as_str()));
    removed.cloned().collect()
}

fn change(entry: &Entry, announced: &Announced, origins: &Origins) -> Diagnostic {
    let help = if origins.id_given(entry) {
        format!(
            "write id = \"{}\" instead to keep its identity",
            announced.id
        )
    } else {
        format!("add id = \"{}\" to keep its identity", announced.id)
    };
    Diagnostic {
        location: origins.location(entry),
        message: format!(
            "the id of {:?} would change from `{}` to `{}` since the last publish ({})",
            entry.title,
            announced.id,
            entry.id,
            IDS.shown()
        ),
        help,
    }
}

/// The warnings for published entries that are gone, until their removal
/// is recorded: readers trusted them.
pub fn removal_warnings(removed: &[Announced]) -> Vec<Diagnostic> {
    removed
        .iter()
        .map(|a| {
            Diagnostic::plain(format!(
                "{}: published entry {:?} (`{}`) is no longer in the catalogue; tell readers why \
                 with `oyez remove {} --reason \"…\"`, or restore it",
                a.file, a.title, a.id, a.id
            ))
        })
        .collect()
}
