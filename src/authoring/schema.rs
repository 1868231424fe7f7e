//! The JSON Schemas a new catalogue carries (issue 24): `schema/` holds
//! the ones of this version of oyez (generated from the loader's types,
//! see `src/catalogue/schema.rs`), and each TOML file names its own with
//! the `#:schema` directive that taplo and the editors built on it (VS
//! Code's Even Better TOML, Helix, Zed) read, so a typo is underlined as
//! it is typed.

use std::path::Path;

use super::workspace::Workspace;

/// The schema of `oyez.toml`.
pub const CONFIG_SCHEMA: &str = include_str!("../../schema/oyez.schema.json");
/// The schema of an entries file.
pub const ENTRIES_SCHEMA: &str = include_str!("../../schema/entries.schema.json");

/// Adds the schemas to the files of a new catalogue and the `#:schema`
/// line to the top of its `oyez.toml` and entries files; leaves `files`
/// alone when they hold no `oyez.toml` (only a workflow, say).
pub fn add_to(files: &mut Vec<(String, String)>) {
    if !files.iter().any(|(path, _)| path == "oyez.toml") {
        return;
    }
    for (path, text) in files.iter_mut() {
        let schema = if path == "oyez.toml" {
            "./schema/oyez.schema.json"
        } else if path.starts_with("entries/") && path.ends_with(".toml") {
            "../schema/entries.schema.json"
        } else {
            continue;
        };
        text.insert_str(0, &format!("#:schema {schema}\n"));
    }
    files.push(("schema/oyez.schema.json".into(), CONFIG_SCHEMA.into()));
    files.push(("schema/entries.schema.json".into(), ENTRIES_SCHEMA.into()));
}

/// [`add_to`] for a new catalogue staged in `workspace` (`oyez import
/// markdown --into` a new folder).
pub fn add_to_workspace(workspace: &mut Workspace) {
    let mut files: Vec<(String, String)> = workspace
        .changed()
        .filter_map(|path| Some((path.to_str()?.to_owned(), workspace.text(path)?.to_owned())))
        .collect();
    add_to(&mut files);
    for (path, text) in files {
        workspace.set(Path::new(&path), text);
    }
}
