//! `feed.xsl` for `oyez publish`: the catalogue's `templates/feed.xsl`
//! when it has one, else the built-in one ([`crate::feed::stylesheet`]).

use std::path::Path;

use crate::catalogue::Catalogue;
use crate::feed::stylesheet::{BUILTIN, FILE};
use crate::output::Rendered;
use crate::template::TemplateError;

/// The stylesheet to publish, or none with `[feeds] stylesheet = false`.
pub(super) fn render(dir: &Path, catalogue: &Catalogue) -> Result<Option<Rendered>, TemplateError> {
    if !catalogue.stylesheet {
        return Ok(None);
    }
    let path = dir.join("templates").join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => BUILTIN.as_bytes().to_vec(),
        Err(source) => return Err(TemplateError::Read { path, source }),
    };
    Ok(Some(Rendered::new(FILE, bytes)))
}
