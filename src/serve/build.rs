//! One preview build: the catalogue published in memory, every URL under
//! the local server's address instead of `[site] base_url`. Nothing is
//! written anywhere: no `public/`, nothing in `.oyez/`, no ping record.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use url::Url;

use crate::catalogue::{self, CatalogueError, Diagnostic};
use crate::digest::{self, DigestError, ledger::Ledger};
use crate::error::Error;
use crate::output::Rendered;
use crate::publish::{self, Archives, Streamed};
use crate::template::{self, Templates};

/// Published files by their path under the site, `/`-separated.
pub(crate) type Files = HashMap<String, Vec<u8>>;

/// A published preview: the files `oyez publish` would write, by their
/// path under the site with `/` separators (`a/b/c.xml`).
#[derive(Debug, Default)]
pub(crate) struct Built {
    pub(crate) entries: usize,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) files: Files,
}

/// Loads the catalogue in `dir` and renders everything `publish` would,
/// with `base` as the base URL. Fails where `publish` would.
pub(crate) fn build(dir: &Path, base: &Url) -> Result<Built, Error> {
    let mut loaded = catalogue::load(dir)?;
    if let Some(problem) = loaded.unintended_empty.take() {
        let errors = vec![problem];
        return Err(CatalogueError::Invalid { errors }.into());
    }
    crate::state::announce(dir, &mut loaded.catalogue)?;
    loaded.catalogue.site.base_url = base.clone();
    let ledger_path = digest::ledger_path(dir, &loaded.catalogue);
    let ledger = Ledger::read_in(dir, &ledger_path).map_err(DigestError::from)?;
    let sent = digest::archive::sent(&ledger);
    loaded.catalogue.digests_sent = !sent.is_empty();
    let catalogue = Arc::new(loaded.catalogue);
    let templates = Templates::new(template::read_overrides(dir)?)?;
    let mut files = publish::render(&catalogue, &templates, &sent)?;
    files.extend(template::read_stylesheet(dir, &catalogue)?);
    for document in Streamed::ALL {
        let mut bytes = Vec::new();
        document.write(&catalogue, &templates, &mut bytes)?;
        files.push(Rendered::new(document.path(), bytes));
    }
    let archives = Archives::new(&catalogue);
    for number in 1..=archives.pages() {
        files.extend(archives.render(number)?);
    }
    let files = files
        .into_iter()
        .map(|file| (site_path(&file.path), file.bytes));
    Ok(Built {
        entries: catalogue.entries.len(),
        warnings: loaded.warnings,
        files: files.collect(),
    })
}

/// An output path as it appears in a URL: components joined by `/`.
fn site_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}
