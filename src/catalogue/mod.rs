//! The catalogue: a folder of TOML files (`oyez.toml`, `entries/**/*.toml`)
//! loaded, validated and turned into a [`Catalogue`] that everything else
//! renders from. [`load`] reports every problem at once.

mod date;
mod file_order;
pub mod identity;
mod limits;
pub(crate) mod link;
mod load;
mod location;
mod model;
pub mod origins;
pub(crate) mod placeholders;
mod raw;
pub(crate) mod scan;
#[cfg(test)]
mod schema;
mod summary_html;
pub(crate) mod targets;
pub mod text;
mod validate;

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub(crate) use date::day_start;
#[doc(hidden)]
pub use link::kept_and_parsed;
pub use location::{Diagnostic, Location};
pub(crate) use model::SiteUrl;
pub use model::{
    Catalogue, Category, Contributor, Credit, DigestConfig, Dkim, Enclosure, Entry, EntryLayout,
    Every, Extras, ListText, Person, Site, Text, Update, UpdatePeriod,
};
pub use validate::is_handle;

pub(crate) const DEFAULT_FEED_LIMIT: usize = 50;
pub use load::{CONFIG_FILE, ENTRIES_DIR, entries_both_ways, is_invisible};

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read the catalogue in {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}", render_invalid(.errors))]
    Invalid { errors: Vec<Diagnostic> },
}

fn render_invalid(errors: &[Diagnostic]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let count = errors.len();
    let noun = if count == 1 { "problem" } else { "problems" };
    format!("{}\nthe catalogue has {count} {noun}", lines.join("\n"))
}

/// A loaded catalogue and the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub catalogue: Catalogue,
    pub warnings: Vec<Diagnostic>,
    /// Set when there are no entries files and `[site] empty` does not say
    /// that is meant: `publish` refuses, `check` warns (issue 15).
    pub unintended_empty: Option<Diagnostic>,
    /// Where each entry is written, for the identity guard ([`crate::state::guard`]).
    pub origins: origins::Origins,
}

/// Loads and validates the catalogue in `root`.
pub fn load(root: &Path) -> Result<Loaded, CatalogueError> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let read_error = |source| CatalogueError::Read {
        path: root.to_path_buf(),
        source,
    };
    let (config_file, entry_paths) = load::read_folder(root, &mut errors).map_err(read_error)?;
    let Some(config_file) = config_file else {
        return Err(CatalogueError::Invalid { errors });
    };
    load::warn_invisible(&config_file, &mut warnings);
    let config = load::parse_config(&config_file, &mut errors);
    let unintended_empty = (entry_paths.is_empty()
        && config.as_ref().is_some_and(|raw| !raw.site.empty))
    .then(load::no_entries);
    let catalogue =
        config.and_then(|raw| validate::config(&config_file, raw, &mut errors, &mut warnings));
    // Without a valid configuration, syntax errors are still reported.
    // With an error in `oyez.toml`, the entries are still checked, against
    // a stand-in, for everything that does not depend on it (issue 20).
    let stand_in = catalogue.is_none().then(validate::stand_in).flatten();
    let checking = catalogue.as_ref().or(stand_in.as_ref());
    let per_file = check_files(root, checking, &entry_paths).map_err(read_error)?;
    let (checked, updates) = merge(per_file, &mut errors, &mut warnings);
    let Some(mut catalogue) = catalogue else {
        validate::unique_entries(checked, &entry_paths, &mut errors);
        return Err(CatalogueError::Invalid { errors });
    };
    if catalogue.site.awesome {
        validate::repeated_links(&checked, &entry_paths, &mut warnings);
    }
    let (entries, origins) = validate::unique_entries(checked, &entry_paths, &mut errors);
    catalogue.entries = entries;
    let origins = origins::Origins::new(entry_paths.clone(), origins);
    crate::memory::release_freed();
    catalogue.updates = validate::order_updates(updates, &catalogue.entries);
    if catalogue.every_tag_feed {
        let tags = catalogue.entries.iter().flat_map(|entry| &entry.tags);
        let tags: std::collections::BTreeSet<&String> = tags.collect();
        catalogue.tag_feeds = tags.into_iter().cloned().collect();
    }
    catalogue.language_feeds = languages(&catalogue);
    if errors.is_empty() {
        Ok(Loaded {
            catalogue,
            warnings,
            unintended_empty,
            origins,
        })
    } else {
        Err(CatalogueError::Invalid { errors })
    }
}

/// What one entries file yields: its entries and updates as checked, and
/// the problems found in it.
struct CheckedFile {
    entries: validate::CheckedEntries,
    updates: Vec<(Update, Location)>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Reads, parses and checks the entries files in parallel, one at a time
/// per thread (each text is dropped once checked); [`merge`] then joins
/// them in path order, so diagnostics and positions are the same as one
/// file at a time.
fn check_files(
    root: &Path,
    catalogue: Option<&Catalogue>,
    paths: &[std::path::PathBuf],
) -> io::Result<Vec<CheckedFile>> {
    // A file a task: split in long runs, the last run left one thread
    // idle at the end of the load.
    paths
        .par_iter()
        .enumerate()
        .with_max_len(1)
        .map(|(index, path)| check_file(root, catalogue, index, path))
        .collect()
}

/// Reads, parses and checks entries file number `index` (`path`, relative
/// to `root`); without a valid `catalogue` it is only read and parsed.
fn check_file(
    root: &Path,
    catalogue: Option<&Catalogue>,
    index: usize,
    path: &Path,
) -> io::Result<CheckedFile> {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let file = load::read_source(root, path, &mut errors)?;
    if let Some(file) = &file {
        load::warn_invisible(file, &mut warnings);
    }
    let parsed = file
        .as_ref()
        .map(|file| (file, load::parse_entries(file, &mut errors)));
    let (entries, updates) = match (catalogue, parsed) {
        (Some(catalogue), Some((file, parsed))) => {
            // Against the stand-in, warnings (unknown contributors) are moot.
            let mut moot = Vec::new();
            let warned = if catalogue.categories.is_empty() {
                &mut moot
            } else {
                &mut warnings
            };
            validate::entries_file(catalogue, (index, file), parsed, &mut errors, warned)
        }
        _ => Default::default(),
    };
    Ok(CheckedFile {
        entries,
        updates,
        errors,
        warnings,
    })
}

/// Joins the files' results in path order: their entries (each file's
/// list as it is) and updates returned, their problems appended to
/// `errors` and `warnings`.
fn merge(
    per_file: Vec<CheckedFile>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> (validate::AllEntries, Vec<Update>) {
    // What parsing freed (the files' texts) goes back to the system: held,
    // it would stay resident beside the entries (crate::memory).
    crate::memory::release_freed();
    let count = per_file.iter().map(|file| file.entries.origins.len()).sum();
    let mut checked = validate::AllEntries {
        files: Vec::with_capacity(per_file.len()),
        origins: Vec::with_capacity(count),
    };
    let mut updates = Vec::new();
    for file in per_file {
        checked.append(file.entries);
        updates.extend(file.updates.into_iter().map(|(update, _)| update));
        errors.extend(file.errors);
        warnings.extend(file.warnings);
    }
    (checked, updates)
}

/// The languages the entries are in, lower-cased and sorted (an entry
/// without `language` is in the site's), when there is more than one.
fn languages(catalogue: &Catalogue) -> Vec<String> {
    let site = catalogue.site.language.to_ascii_lowercase();
    let mut languages = std::collections::BTreeSet::from([site.as_str()]);
    let mut lowered = Vec::new();
    for language in catalogue
        .entries
        .iter()
        .filter_map(|e| e.language.as_deref())
    {
        if language.bytes().any(|b| b.is_ascii_uppercase()) {
            lowered.push(language.to_ascii_lowercase());
        } else {
            languages.insert(language);
        }
    }
    languages.extend(lowered.iter().map(String::as_str));
    if languages.len() < 2 {
        return Vec::new();
    }
    languages.into_iter().map(str::to_owned).collect()
}
