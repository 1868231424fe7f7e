//! `oyez add`: one entry appended to its category's file, or one update to
//! the update log, with an explicit permanent id; a new category
//! (`--new-category`) and new credited contributors appended to `oyez.toml`,
//! whose existing bytes stay as they are. The caller validates the result as
//! a whole catalogue (duplicates are refused there, with the same messages
//! as `oyez check`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::records::{self, NewEntry, NewUpdate};
use super::workspace::Workspace;
use crate::catalogue::{CONFIG_FILE, Catalogue, identity};

/// What the user asked to add.
#[derive(Debug, Clone)]
pub struct EntryRequest {
    pub title: String,
    pub url: Option<String>,
    pub category: String,
    /// The category was just staged by [`category`], so the catalogue
    /// does not list it yet.
    pub category_is_new: bool,
    pub id: Option<String>,
    pub by: Vec<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub date: NaiveDate,
}

/// Stages the entry; returns the file it goes to and its id.
pub fn entry(
    workspace: &mut Workspace,
    catalogue: &Catalogue,
    request: EntryRequest,
) -> Result<(PathBuf, String), String> {
    if !request.category_is_new
        && !catalogue
            .categories
            .iter()
            .any(|c| c.slug == request.category)
    {
        let known: Vec<&str> = catalogue
            .categories
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        return Err(format!(
            "unknown category `{}`; known: {}; pick a known one, or create it with --new-category \"Title\" instead of --category",
            request.category,
            known.join(", ")
        ));
    }
    let id = request
        .id
        .unwrap_or_else(|| new_id(catalogue, &request.title, request.url.as_deref()));
    let entry = NewEntry {
        id: id.clone(),
        title: request.title,
        url: request.url,
        added: request.date,
        by: handles(&request.by),
        authors: request.authors,
        tags: request.tags,
        summary: request.summary.filter(|s| !s.trim().is_empty()),
        category: None,
        group: None,
        under: None,
        badges: None,
    };
    let path = workspace.category_file(&request.category);
    let preamble = records::key_toml("category", &request.category);
    workspace.append(&path, &preamble, &records::entry_toml(&entry));
    Ok((path, id))
}

/// Stages a `[[category]]` titled `title` in `oyez.toml`; returns its slug.
pub fn category(
    workspace: &mut Workspace,
    catalogue: &Catalogue,
    title: &str,
) -> Result<String, String> {
    let title = title.trim();
    let slug = identity::slug(title);
    if slug.is_empty() {
        return Err(format!(
            "--new-category {title:?} has no letter or digit to make a slug of; give a title \
             such as \"Conference talks\""
        ));
    }
    let same = |c: &&crate::catalogue::Category| c.slug == slug || c.title == title;
    if let Some(existing) = catalogue.categories.iter().find(same) {
        return Err(format!(
            "category `{}` (\"{}\") already exists; add to it with --category {}",
            existing.slug, existing.title, existing.slug
        ));
    }
    let table = records::category_toml(&slug, title, None);
    workspace.append(Path::new(CONFIG_FILE), "", &table);
    Ok(slug)
}

/// Stages `[contributors.<handle>]` in `oyez.toml` for each credited
/// handle the catalogue does not know yet, named as credited (`@bob`;
/// edit the name and add a `uri` later). Returns the handles registered.
pub fn contributors(
    workspace: &mut Workspace,
    catalogue: &Catalogue,
    by: &[String],
) -> Vec<String> {
    let mut registered: Vec<String> = Vec::new();
    for handle in handles(by) {
        let bare = handle.trim_start_matches('@').to_owned();
        if catalogue.contributors.contains_key(&bare) || registered.contains(&bare) {
            continue;
        }
        // Named as credited (`@bob`), so pages show it as before.
        let mut table = records::contributor_toml(&bare, &handle, None);
        if !table.ends_with('\n') {
            table.push('\n');
        }
        workspace.append(Path::new(CONFIG_FILE), "", &table);
        registered.push(bare);
    }
    registered
}

/// Stages an update-log record; returns the file it goes to.
pub fn update(workspace: &mut Workspace, date: NaiveDate, note: String, by: &[String]) -> PathBuf {
    let record = NewUpdate {
        date,
        note,
        by: handles(by),
    };
    let path = workspace.updates_file();
    workspace.append(&path, "", &records::update_toml(&record));
    path
}

/// A readable id from the title (or URL), unique in the catalogue.
pub fn new_id(catalogue: &Catalogue, title: &str, url: Option<&str>) -> String {
    let base = [Some(title), url]
        .into_iter()
        .flatten()
        .map(identity::slug)
        .find(|slug| !slug.is_empty())
        .unwrap_or_else(|| "entry".to_owned());
    records::unique(&base, |id| catalogue.entries.iter().any(|e| e.id == id))
}

/// Handles as `@handle`, whether typed with the `@` or not.
pub fn handles(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|value| value.trim())
        .filter(|value| !value.is_empty())
        .map(|value| format!("@{}", value.trim_start_matches('@')))
        .collect()
}
