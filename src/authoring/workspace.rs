//! The catalogue's files as text, with staged edits. Edits only append, so
//! every existing byte stays; before anything is written, the would-be
//! catalogue is loaded and validated exactly as `oyez check` would (same
//! messages, same `path:line:col`), from a scratch copy. Then each changed
//! file is replaced atomically.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;

use super::records;
use crate::catalogue::{self, CONFIG_FILE, CatalogueError, ENTRIES_DIR, Loaded};
use crate::output;

/// Where updates go when no entries file holds any yet.
pub const UPDATES_FILE: &str = "entries/updates.toml";

#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    /// Relative path → text: `oyez.toml` and every `entries/**/*.toml`.
    files: BTreeMap<PathBuf, String>,
    changed: BTreeSet<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("nothing was written: the catalogue would not be valid")]
    Invalid(#[source] CatalogueError),
}

impl Workspace {
    /// Reads the catalogue's files (none yet is fine: `oyez import` starts one).
    pub fn open(root: &Path) -> Result<Self, WorkspaceError> {
        let mut paths = Vec::new();
        let read_error = |path: &Path, source| WorkspaceError::Read {
            path: path.to_path_buf(),
            source,
        };
        let entries = root.join(ENTRIES_DIR);
        if entries.is_dir() {
            collect(&entries, &mut paths).map_err(|err| read_error(&entries, err))?;
        }
        paths.sort();
        let config = root.join(CONFIG_FILE);
        let mut files = BTreeMap::new();
        for path in std::iter::once(config).chain(paths) {
            let text = match fs::read_to_string(&path) {
                Ok(text) => text,
                Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                Err(err) => return Err(read_error(&path, err)),
            };
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            files.insert(relative, text);
        }
        Ok(Self {
            root: root.to_path_buf(),
            files,
            changed: BTreeSet::new(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn has_config(&self) -> bool {
        self.files.contains_key(Path::new(CONFIG_FILE))
    }

    pub fn text(&self, relative: &Path) -> Option<&str> {
        self.files.get(relative).map(String::as_str)
    }

    /// The entries file whose top-level `category` is `slug` (first in path
    /// order), else `entries/<slug>.toml`.
    pub fn category_file(&self, slug: &str) -> PathBuf {
        self.entry_files()
            .find(|(_, doc)| doc.get("category").and_then(|c| c.as_str()) == Some(slug))
            .map_or_else(
                || Path::new(ENTRIES_DIR).join(format!("{slug}.toml")),
                |(path, _)| path.to_path_buf(),
            )
    }

    /// The first entries file holding `[[update]]` records, else `entries/updates.toml`.
    pub fn updates_file(&self) -> PathBuf {
        self.entry_files()
            .find(|(_, doc)| doc.get("update").is_some_and(|u| u.is_array_of_tables()))
            .map_or_else(
                || PathBuf::from(UPDATES_FILE),
                |(path, _)| path.to_path_buf(),
            )
    }

    fn entry_files(&self) -> impl Iterator<Item = (&Path, DocumentMut)> {
        self.files
            .iter()
            .filter(|(path, _)| path.starts_with(ENTRIES_DIR))
            .filter_map(|(path, text)| Some((path.as_path(), text.parse::<DocumentMut>().ok()?)))
    }

    /// Appends whole tables to `relative`; a new file starts with `preamble`.
    pub fn append(&mut self, relative: &Path, preamble: &str, tables: &str) {
        let text = self
            .files
            .entry(relative.to_path_buf())
            .or_insert_with(|| preamble.to_owned());
        *text = records::append(text, tables);
        self.changed.insert(relative.to_path_buf());
    }

    /// Sets a whole file (a new `oyez.toml`).
    pub fn set(&mut self, relative: &Path, text: String) {
        self.files.insert(relative.to_path_buf(), text);
        self.changed.insert(relative.to_path_buf());
    }

    /// The files this workspace would write, in path order.
    pub fn changed(&self) -> impl Iterator<Item = &Path> {
        self.changed.iter().map(PathBuf::as_path)
    }

    /// Loads the would-be catalogue from a scratch copy of its files.
    pub fn validate(&self) -> Result<Loaded, WorkspaceError> {
        let scratch = tempfile::tempdir().map_err(|source| WorkspaceError::Write {
            path: std::env::temp_dir(),
            source,
        })?;
        for (relative, text) in &self.files {
            let path = scratch.path().join(relative);
            let written = path
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::write(&path, text));
            written.map_err(|source| WorkspaceError::Write { path, source })?;
        }
        catalogue::load(scratch.path()).map_err(WorkspaceError::Invalid)
    }

    /// Validates, then replaces each changed file atomically.
    pub fn commit(&self) -> Result<Loaded, WorkspaceError> {
        let loaded = self.validate()?;
        for relative in &self.changed {
            let text = self.files.get(relative).map_or("", String::as_str);
            let path = self.root.join(relative);
            output::replace(&path, text.as_bytes())
                .map_err(|source| WorkspaceError::Write { path, source })?;
        }
        Ok(loaded)
    }
}

fn collect(dir: &Path, paths: &mut Vec<PathBuf>) -> io::Result<()> {
    for item in fs::read_dir(dir)? {
        let item = item?;
        let path = item.path();
        if item.file_type()?.is_dir() {
            collect(&path, paths)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            paths.push(path);
        }
    }
    Ok(())
}
