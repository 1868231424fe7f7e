//! `oyez remove`: takes one entry's `[[entry]]` table out of its entries
//! file, keeping every other byte (comments and order included), and says
//! what the tombstone records (issue 19).

use std::path::Path;

use toml_edit::DocumentMut;

use crate::input::{self, Kind};

/// Why an entry could not be taken out of its file.
#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    #[error(transparent)]
    Input(#[from] input::InputError),
    #[error("{file}: {reason}; take the entry out by hand, then run `oyez remove` again")]
    Edit { file: String, reason: String },
    #[error("cannot write {file}")]
    Write {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

/// Removes the `index`th `[[entry]]` (from 0) of the entries file `file`
/// (relative to the catalogue `root`).
pub fn entry(root: &Path, file: &Path, index: usize) -> Result<(), RemoveError> {
    let shown = file.display().to_string();
    let edit = |reason: &str| RemoveError::Edit {
        file: shown.clone(),
        reason: reason.to_owned(),
    };
    let bytes =
        input::read(root, file, Kind::Catalogue)?.ok_or_else(|| edit("the file is gone"))?;
    let text = String::from_utf8(bytes).map_err(|_| edit("not UTF-8"))?;
    let mut document: DocumentMut = text.parse().map_err(|_| edit("not TOML"))?;
    let tables = document
        .get_mut("entry")
        .and_then(|e| e.as_array_of_tables_mut());
    let tables = tables
        .filter(|t| index < t.len())
        .ok_or_else(|| edit("the entry is not there"))?;
    tables.remove(index);
    crate::output::replace(&root.join(file), document.to_string().as_bytes()).map_err(|source| {
        RemoveError::Write {
            file: shown,
            source,
        }
    })
}
