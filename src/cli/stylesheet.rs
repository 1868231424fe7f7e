//! `feed.xsl` for `oyez publish`: the catalogue's `templates/feed.xsl`
//! when it has one, else the built-in one ([`crate::feed::stylesheet`]).

use std::path::Path;

use crate::catalogue::Catalogue;
use crate::feed::stylesheet::{BUILTIN, FILE};
use crate::input::{self, Kind};
use crate::output::Rendered;
use crate::template::TemplateError;

/// The stylesheet to publish, or none with `[feeds] stylesheet = false`.
pub(super) fn render(dir: &Path, catalogue: &Catalogue) -> Result<Option<Rendered>, TemplateError> {
    if !catalogue.stylesheet {
        return Ok(None);
    }
    let path = Path::new("templates").join(FILE);
    let bytes = input::read(dir, &path, Kind::Template)?;
    let bytes = bytes.unwrap_or_else(|| BUILTIN.as_bytes().to_vec());
    Ok(Some(Rendered::new(FILE, bytes)))
}
