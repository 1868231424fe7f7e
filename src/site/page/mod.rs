//! `index.html`, the catalogue page, and the HTML body of update items:
//! the built-in templates are written natively (`native`), overridden
//! ones through the template engine (`context`, with the entries as
//! template `objects`); both write into a `sink::Page`.

mod context;
pub(crate) mod escape;
mod follow;
mod native;
mod objects;
mod sections;
mod sink;

use std::io::Write;
use std::sync::Arc;

use crate::catalogue::{Catalogue, Update};
use crate::template::{TemplateError, Templates};
use context::{IndexContext, UpdateContext};
use sink::{CHUNK, Page};

pub const INDEX: &str = "index.html";

/// Bytes the built-in catalogue page spends per entry, rounded up (about
/// 800 with the generated benchmark catalogue): the page's buffer starts
/// that large, so that tens of MB grow without a chain of doublings.
const INDEX_BYTES_PER_ENTRY: usize = 1024;

/// The catalogue page, in memory. [`write_index`] streams it instead.
pub fn index(catalogue: &Arc<Catalogue>, templates: &Templates) -> Result<Vec<u8>, TemplateError> {
    let capacity = catalogue
        .entries
        .len()
        .saturating_mul(INDEX_BYTES_PER_ENTRY)
        .saturating_add(64 * 1024);
    let mut page = Page::new(Vec::with_capacity(capacity), None);
    render_index(catalogue, templates, &mut page, templates.is_builtin(INDEX))?;
    Ok(page.buf)
}

/// The catalogue page, written to `out` a chunk at a time: the page is
/// never held whole in memory.
pub fn write_index(
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
    out: &mut impl Write,
) -> Result<(), TemplateError> {
    let mut page = Page::new(Vec::with_capacity(2 * CHUNK), Some(out));
    render_index(catalogue, templates, &mut page, templates.is_builtin(INDEX))?;
    page.finish().map_err(TemplateError::Write)
}

fn render_index(
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
    page: &mut Page<'_>,
    native: bool,
) -> Result<(), TemplateError> {
    if native {
        return native::catalogue_page(catalogue, page).map_err(TemplateError::Write);
    }
    let rendered = templates.render_to_write(INDEX, IndexContext::new(catalogue), &mut *page);
    match (rendered, page.failed.take()) {
        (_, Some(err)) => Err(TemplateError::Write(err)),
        (rendered, None) => rendered,
    }
}

/// The template of an update item's HTML, as a catalogue may override it.
pub const UPDATE: &str = "update.html";

/// The HTML content of an update-log item in the updates feed.
pub fn update(
    catalogue: &Catalogue,
    templates: &Templates,
    update: &Update,
) -> Result<String, TemplateError> {
    render_update(catalogue, templates, update, templates.is_builtin(UPDATE))
}

fn render_update(
    catalogue: &Catalogue,
    templates: &Templates,
    update: &Update,
    native: bool,
) -> Result<String, TemplateError> {
    if native {
        return Ok(native::update_item(catalogue, update).trim().to_owned());
    }
    let context = UpdateContext::new(catalogue, update);
    Ok(templates.render(UPDATE, context)?.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io;
    use std::sync::Arc;

    use super::{INDEX, Page, render_index};
    use crate::catalogue::Catalogue;
    use crate::site::testing::{Full, assert_same, catalogues, load, varied};
    use crate::template::{TemplateError, Templates};

    fn render(catalogue: &Arc<Catalogue>, templates: &Templates, native: bool) -> String {
        let mut page = Page::new(Vec::new(), None);
        render_index(catalogue, templates, &mut page, native).unwrap();
        String::from_utf8(page.buf).unwrap()
    }

    #[test]
    fn the_native_page_is_the_built_in_template_byte_for_byte() {
        let scratch = tempfile::tempdir().unwrap();
        let templates = Templates::builtin().unwrap();
        assert!(templates.is_builtin(INDEX));
        let catalogues = catalogues(scratch.path());
        assert!(
            catalogues.len() >= 15,
            "only {} catalogues load",
            catalogues.len()
        );
        for (dir, catalogue) in &catalogues {
            let native = render(catalogue, &templates, true);
            assert_same(dir, &native, &render(catalogue, &templates, false));
        }
        let varied = &catalogues.last().unwrap().1;
        let page = render(varied, &templates, true);
        assert!(page.len() > 2 * super::CHUNK, "{}", page.len());
        for sign in [
            " lang=\"fr\"",
            "<a href=\"#@carol\">@carol</a>",
            "<li id=\"@alice\"><a href=\"https://example.org/a?x=1&amp;y=2\">@alice</a> Alice O&#x27;Neil",
            "Bees &amp; &lt;wasps&gt;",
            "<h4 id=\"d-title\">D under c</h4>",
            "<li><a href=\"#empty\">Empty</a> (100)\n<ul>\n<li><a href=\"#c\">C under empty</a> (100)",
            "<h2 id=\"recently-added-title\">Neu hinzugefügt</h2>",
            "<link rel=\"icon\" href=\"https://example.org/v&amp;w/img/icon.png?a=1&amp;b=2\">\n",
            "<p>Die Feeds der gelisteten Ressourcen, in einer Datei: \
             <a href=\"https://example.org/v&amp;w/entries.opml\">OPML</a></p>\n",
            "<p>Einem Schlagwort folgen: <a href=\"https://example.org/v&amp;w/tags/x/atom.xml\">x</a> · \
             <a href=\"https://example.org/v&amp;w/tags/y-z/atom.xml\">y&#x27;z</a></p>\n\
             <p>Einer Sprache folgen: <a href=\"https://example.org/v&amp;w/languages/de/atom.xml\">Deutsch</a> · \
             <a href=\"https://example.org/v&amp;w/languages/en/atom.xml\">Englisch</a> · \
             <a href=\"https://example.org/v&amp;w/languages/fr/atom.xml\">Französisch</a></p>\n<form",
            "Bees &amp; &lt;wasps&gt; · Folgen: <a href=\"https://example.org/v&amp;w/categories/b/atom.xml\">Atom</a> \
             · <a href=\"https://example.org/v&amp;w/categories/b/rss.xml\">RSS</a> \
             · <a href=\"https://example.org/v&amp;w/categories/b/feed.json\">JSON Feed</a> · Per E-Mail: \
             <a href=\"mailto:v%2Bd%26x@example.org?subject=subscribe%20categories%3Db\">den Newsletter dieser Kategorie abonnieren</a></p>",
            "nur Aktualisierungen</a> · Per E-Mail: <a href=\"mailto:v%2Bd%26x@example.org?subject=subscribe\">den Newsletter abonnieren</a></p>",
        ] {
            assert!(page.contains(sign), "{sign}");
        }
    }

    #[test]
    fn the_native_update_is_the_built_in_template_byte_for_byte() {
        let scratch = tempfile::tempdir().unwrap();
        let templates = Templates::builtin().unwrap();
        assert!(templates.is_builtin(super::UPDATE));
        let mut compared = 0;
        for (dir, catalogue) in &catalogues(scratch.path()) {
            for update in &catalogue.updates {
                let native = super::render_update(catalogue, &templates, update, true).unwrap();
                let template = super::render_update(catalogue, &templates, update, false).unwrap();
                assert_same(dir, &native, &template);
                compared += usize::from(native.contains("<li>") && native.contains("Thanks to"));
            }
        }
        assert!(
            compared >= 3,
            "only {compared} updates list entries and thank someone"
        );
    }

    #[test]
    fn streaming_writes_the_page_index_returns() {
        let scratch = tempfile::tempdir().unwrap();
        varied(scratch.path());
        let catalogue = load(scratch.path()).unwrap();
        let own = BTreeMap::from([(
            INDEX.to_owned(),
            "{% for s in sections %}{% for e in s.entries %}{{ e.title }}\n{% endfor %}{% endfor %}"
                .to_owned(),
        )]);
        for templates in [Templates::builtin().unwrap(), Templates::new(own).unwrap()] {
            let whole = super::index(&catalogue, &templates).unwrap();
            let mut streamed = Vec::new();
            super::write_index(&catalogue, &templates, &mut streamed).unwrap();
            assert!(whole.len() > 1000);
            assert!(whole == streamed);
        }
    }

    #[test]
    fn a_failing_writer_is_reported_as_a_write_error() {
        let scratch = tempfile::tempdir().unwrap();
        varied(scratch.path());
        let catalogue = load(scratch.path()).unwrap();
        let own = BTreeMap::from([(INDEX.to_owned(), "{{ site.title }}\n".repeat(20_000))]);
        for templates in [Templates::builtin().unwrap(), Templates::new(own).unwrap()] {
            let err =
                super::write_index(&catalogue, &templates, &mut Full { room: 1000 }).unwrap_err();
            match err {
                TemplateError::Write(err) => assert_eq!(err.kind(), io::ErrorKind::StorageFull),
                other => panic!("{other}"),
            }
        }
    }
}
