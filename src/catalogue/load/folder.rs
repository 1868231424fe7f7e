//! Listing the entries files under `entries/`: each folder that cannot be
//! listed, or nests too deep, is a diagnostic naming it (issue 15); a
//! linked folder is read when it resolves inside the catalogue (issue 20).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{CONFIG_FILE, ENTRIES_DIR};
use crate::catalogue::location::Diagnostic;

/// The `*.toml` paths under `dir`, for tests.
#[cfg(test)]
pub(crate) fn collect_toml_files(dir: &Path, paths: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    Listing {
        root: dir,
        paths,
        diagnostics: &mut diagnostics,
    }
    .collect(dir, 0);
    match diagnostics.first() {
        Some(problem) => Err(io::Error::other(problem.to_string())),
        None => Ok(()),
    }
}

/// The catalogue has no entries files, and does not say it is empty on
/// purpose: a missing or misplaced `entries/` would otherwise publish
/// every feed empty (issue 15).
pub(crate) fn no_entries() -> Diagnostic {
    Diagnostic {
        location: None,
        message: format!(
            "no entries: {ENTRIES_DIR}/ is missing, not a folder, or holds no .toml file"
        ),
        help: format!(
            "add entries under {ENTRIES_DIR}/ (`oyez add`), or, if the catalogue is empty on \
             purpose, write `empty = true` under [site] in {CONFIG_FILE}"
        ),
    }
}

/// Folders under `entries/` nest at most this deep.
const MAX_FOLDER_DEPTH: usize = 32;

/// Collects the `*.toml` paths under `entries/`, reporting each folder it
/// cannot list by name (issue 15: a mode-000 folder or a tree too deep used
/// to fail the whole load with a bare `No such file or directory`).
pub(super) struct Listing<'a> {
    pub(super) root: &'a Path,
    pub(super) paths: &'a mut Vec<PathBuf>,
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
}

impl Listing<'_> {
    pub(super) fn collect(&mut self, dir: &Path, depth: usize) {
        if depth > MAX_FOLDER_DEPTH {
            self.report(
                dir,
                format!("folders nest more than {MAX_FOLDER_DEPTH} levels deep here"),
                "keep entries in a shallower tree",
            );
            return;
        }
        let items = match fs::read_dir(dir) {
            Ok(items) => items,
            Err(err) => return self.unreadable(dir, &err),
        };
        let mut listed = Vec::new();
        for item in items {
            match item {
                Ok(item) => listed.push(item),
                Err(err) => return self.unreadable(dir, &err),
            }
        }
        // In name order, so problems are reported in the same order everywhere.
        listed.sort_by_key(fs::DirEntry::file_name);
        for item in listed {
            let path = item.path();
            match item.file_type() {
                Ok(kind) if kind.is_dir() => self.collect(&path, depth + 1),
                Ok(kind) if kind.is_symlink() && path.is_dir() => self.linked(&path, depth),
                _ if path.extension().is_some_and(|ext| ext == "toml") => self.paths.push(path),
                _ => {}
            }
        }
    }

    /// A symbolic link to a folder: read like a folder when it resolves
    /// inside the catalogue (outside `.git/`) and is not one of the folders
    /// it sits in; refused by name otherwise (issue 20: such a folder was
    /// skipped without a word, and its entries left every feed).
    fn linked(&mut self, link: &Path, depth: usize) {
        let (Ok(root), Ok(target)) = (fs::canonicalize(self.root), fs::canonicalize(link)) else {
            return self.report(
                link,
                "this link cannot be resolved".into(),
                "check the link",
            );
        };
        if !target.starts_with(&root) || target.starts_with(root.join(".git")) {
            let problem = "this link leads to a folder outside the catalogue folder".into();
            return self.report(link, problem, "copy the folder in, or move its files here");
        }
        let holder = link.parent().and_then(|p| fs::canonicalize(p).ok());
        if holder.is_some_and(|holder| holder.starts_with(&target)) {
            let problem = "this link leads to a folder it sits in".into();
            return self.report(link, problem, "remove the link: its entries are read once");
        }
        self.collect(link, depth + 1);
    }

    fn unreadable(&mut self, dir: &Path, err: &io::Error) {
        let help = if err.kind() == io::ErrorKind::PermissionDenied {
            "give oyez permission to read it"
        } else {
            "check the folder"
        };
        self.report(dir, format!("this folder cannot be listed ({err})"), help);
    }

    fn report(&mut self, dir: &Path, problem: String, help: &str) {
        let shown = dir.strip_prefix(self.root).unwrap_or(dir);
        self.diagnostics.push(Diagnostic {
            location: None,
            message: format!("{}: {problem}", shown.display()),
            help: help.into(),
        });
    }
}
