//! `README.md`, the catalogue as the Markdown list readers know: title,
//! description, contents, one section of `- [Title](url) - summary` items
//! per category (the maintainer's file order), then the dated update log.
//! Fields are escaped (`escape`) so that titles and URLs survive as
//! Markdown; `oyez import markdown` reads the result back into the same
//! catalogue. The built-in template is written natively (`native`), an
//! overridden one through the template engine (`context`).

mod content;
mod context;
mod escape;
mod frame;
mod items;
mod layout;
mod line;
mod native;
mod punctuation;

use crate::catalogue::Catalogue;
use crate::template::{TemplateError, Templates};

pub use escape::{
    anchor, bracketed_note, escape_inline, escape_inline_after, escape_text, escape_url,
};
#[doc(hidden)]
pub use line::fast_and_parsed;

pub const FILE: &str = "README.md";
/// The template's name, as a catalogue's `templates/` may override it.
pub const TEMPLATE: &str = "list.md";

/// Bytes the built-in list spends per entry, rounded up (about 400 with
/// the generated benchmark catalogue): the buffer starts that large.
const BYTES_PER_ENTRY: usize = 512;

/// Renders `README.md` through the `list.md` template.
pub fn render(catalogue: &Catalogue, templates: &Templates) -> Result<Vec<u8>, TemplateError> {
    let capacity = catalogue
        .entries
        .len()
        .saturating_mul(BYTES_PER_ENTRY)
        .saturating_add(64 * 1024);
    let mut list = Vec::with_capacity(capacity);
    write(catalogue, templates, &mut list)?;
    Ok(list)
}

/// Writes `README.md` into `out` as it renders: the list is never held
/// whole in memory. The built-in template is written natively
/// (`native`), an overridden one through the template engine.
pub fn write(
    catalogue: &Catalogue,
    templates: &Templates,
    out: &mut impl std::io::Write,
) -> Result<(), TemplateError> {
    if templates.is_builtin(TEMPLATE) {
        return native::write(catalogue, out).map_err(TemplateError::Write);
    }
    context::write_template(catalogue, templates, out)
}
