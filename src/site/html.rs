//! `index.html`, the catalogue page, and the HTML body of update items.

use chrono::NaiveDate;
use serde::Serialize;

use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;

use minijinja::Value;

use super::borrowed::{self, SharedSection, UpdateObject, UpdateRef};
use super::index_builtin::builtin_page;
use super::tree::{self, Credited, Node, Tree};
use super::view::{self, FeedLink, SiteView};
use crate::catalogue::{Catalogue, Entry, Update};
use crate::template::{TemplateError, Templates, push_escaped_html};

pub const INDEX: &str = "index.html";

#[derive(Serialize)]
struct IndexContext<'a> {
    site: SiteView,
    feeds: Vec<FeedLink>,
    /// The categories as a tree, for the table of contents.
    tree: Vec<Node<'a>>,
    /// The [`RECENT`] newest entries.
    recent: Vec<Value>,
    /// Every category with its entries, depth first.
    sections: Vec<SharedSection<'a>>,
    updates: Vec<Value>,
    /// Everyone the entries credit, most credited first.
    contributors: Vec<Credited<'a>>,
    entry_count: usize,
    /// A `mailto:` link asking for the whole digest; `None` without `[digest]`.
    subscribe: Option<String>,
    generator: &'static str,
}

pub(super) const GENERATOR: &str = concat!("oyez ", env!("CARGO_PKG_VERSION"));

/// How many of the newest entries the page shows first, "Recently added".
pub(super) const RECENT: usize = 10;

impl<'a> IndexContext<'a> {
    fn new(catalogue: &'a Arc<Catalogue>) -> Self {
        let groups = borrowed::entries_by_category(catalogue);
        let own: Vec<usize> = groups.iter().map(Vec::len).collect();
        let tree = Tree::new(catalogue, &own);
        Self {
            site: SiteView::new(catalogue),
            feeds: view::feed_links(catalogue),
            tree: tree.nodes(catalogue),
            recent: (0..catalogue.entries.len().min(RECENT))
                .map(|index| borrowed::entry_value(catalogue, index))
                .collect(),
            sections: borrowed::shared_sections(catalogue, groups, &tree.order()),
            updates: (0..catalogue.updates.len())
                .map(|index| UpdateObject::value(catalogue, index))
                .collect(),
            contributors: tree::credited(catalogue),
            entry_count: catalogue.entries.len(),
            subscribe: super::subscribe::digest_address(catalogue)
                .map(|address| super::subscribe::link(&address, None)),
            generator: GENERATOR,
        }
    }
}

/// Bytes the built-in catalogue page spends per entry, rounded up (about
/// 800 with the generated benchmark catalogue): the page's buffer starts
/// that large, so that tens of MB grow without a chain of doublings.
const INDEX_BYTES_PER_ENTRY: usize = 1024;

/// Bytes a streamed page gathers before handing them to its writer.
pub(super) const CHUNK: usize = 64 * 1024;

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
        return builtin_page(catalogue, page).map_err(TemplateError::Write);
    }
    let rendered = templates.render_to_write(INDEX, IndexContext::new(catalogue), &mut *page);
    match (rendered, page.failed.take()) {
        (_, Some(err)) => Err(TemplateError::Write(err)),
        (rendered, None) => rendered,
    }
}

/// Where a page goes: gathered in `buf` and, when streaming, handed to
/// `sink` each time a [`CHUNK`] has gathered.
pub(super) struct Page<'w> {
    pub(super) buf: Vec<u8>,
    sink: Option<&'w mut dyn Write>,
    /// The sink's error, kept whole while minijinja reports its own.
    failed: Option<io::Error>,
}

impl<'w> Page<'w> {
    fn new(buf: Vec<u8>, sink: Option<&'w mut dyn Write>) -> Self {
        Self {
            buf,
            sink,
            failed: None,
        }
    }

    /// Hands the gathered bytes to the sink once there are enough.
    pub(super) fn spill(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Some(sink) if self.buf.len() >= CHUNK => {
                sink.write_all(&self.buf)?;
                self.buf.clear();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn finish(mut self) -> io::Result<()> {
        if let Some(sink) = &mut self.sink {
            sink.write_all(&self.buf)?;
            self.buf.clear();
            sink.flush()?;
        }
        Ok(())
    }

    pub(super) fn raw(&mut self, html: &str) {
        self.buf.extend_from_slice(html.as_bytes());
    }

    pub(super) fn text(&mut self, text: &str) {
        push_escaped_html(&mut self.buf, text);
    }

    /// Writes `day` as `YYYY-MM-DD` (digits and dashes: nothing to escape)
    /// and returns where it is, for writing it again.
    pub(super) fn date(&mut self, day: NaiveDate) -> Range<usize> {
        let start = self.buf.len();
        // Writing to a `Vec` cannot fail.
        let _ = write!(self.buf, "{day}");
        start..self.buf.len()
    }

    /// `items` escaped and joined by ", " (the template's `|join(", ")`).
    pub(super) fn joined(&mut self, items: &[String]) {
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                self.raw(", ");
            }
            self.text(item);
        }
    }
}

impl Write for Page<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if let Err(err) = self.spill() {
            let message = err.to_string();
            self.failed = Some(err);
            return Err(io::Error::other(message));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Jinja's truth of an optional string: present and not empty.
pub(super) fn truthy(text: Option<&String>) -> Option<&str> {
    text.map(String::as_str).filter(|text| !text.is_empty())
}

/// The credited `handles` joined by ", ", each linked where it has a URI.
pub(super) fn contributors(catalogue: &Catalogue, handles: &[String], page: &mut Page<'_>) {
    for (index, handle) in handles.iter().enumerate() {
        if index > 0 {
            page.raw(", ");
        }
        // As `Catalogue::credit`, without copying the strings.
        let Some(known) = catalogue.contributors.get(handle) else {
            page.text("@");
            page.text(handle);
            continue;
        };
        match truthy(known.uri.as_ref()) {
            Some(uri) => {
                page.raw("<a href=\"");
                page.text(uri);
                page.raw("\">");
                page.text(&known.name);
                page.raw("</a>");
            }
            None => page.text(&known.name),
        }
    }
}

#[derive(Serialize)]
struct UpdateContext<'a> {
    site: SiteView,
    update: UpdateRef<'a>,
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
        return Ok(builtin_update(catalogue, update).trim().to_owned());
    }
    let context = UpdateContext {
        site: SiteView::new(catalogue),
        update: UpdateRef::new(catalogue, update),
    };
    Ok(templates.render(UPDATE, context)?.trim().to_owned())
}

/// The built-in `update.html` without the template engine, as
/// [`builtin_page`] is for the catalogue page (a test checks they agree):
/// the note, the entries it announces by category, and the thanks.
fn builtin_update(catalogue: &Catalogue, update: &Update) -> String {
    let mut page = Page::new(Vec::new(), None);
    page.raw(&update.note.html);
    page.raw("\n");
    let mut groups: Vec<Vec<&Entry>> = vec![Vec::new(); catalogue.categories.len()];
    for entry in update
        .announces
        .iter()
        .filter_map(|&i| catalogue.entries.get(i))
    {
        if let Some(group) = groups.get_mut(entry.category) {
            group.push(entry);
        }
    }
    for (category, entries) in catalogue.categories.iter().zip(groups) {
        if entries.is_empty() {
            continue;
        }
        page.raw("<h3>");
        page.text(&category.title);
        page.raw("</h3>\n<ul>\n");
        for entry in entries {
            page.raw("<li><a href=\"");
            page.text(&catalogue.entry_link(entry));
            page.raw("\">");
            page.text(&entry.title);
            page.raw("</a>");
            if !entry.authors.is_empty() {
                page.raw(" by ");
                page.joined(&entry.authors);
            }
            page.raw("</li>\n");
        }
        page.raw("</ul>\n");
    }
    if !update.by.is_empty() {
        page.raw("<p>Thanks to ");
        contributors(catalogue, &update.by, &mut page);
        page.raw(".</p>\n");
    }
    String::from_utf8(page.buf)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::fs;
    use std::io;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::{INDEX, Page, render_index};
    use crate::catalogue::{self, Catalogue};
    use crate::template::{TemplateError, Templates};

    fn load(root: &Path) -> Option<Arc<Catalogue>> {
        catalogue::load(root)
            .ok()
            .map(|loaded| Arc::new(loaded.catalogue))
    }

    fn render(catalogue: &Arc<Catalogue>, templates: &Templates, native: bool) -> String {
        let mut page = Page::new(Vec::new(), None);
        render_index(catalogue, templates, &mut page, native).unwrap();
        String::from_utf8(page.buf).unwrap()
    }

    /// A catalogue with what the example lacks: entries in another
    /// language, without a URL or credits, crediting unknown handles, an
    /// empty category, a site without description, and a page longer than
    /// a streaming chunk.
    fn varied(dir: &Path) {
        let config = "[site]\ntitle = \"Varied & 'quoted'\"\nbase_url = \"https://example.org/v&w/\"\n\
            language = \"de\"\n\n[[category]]\nslug = \"a\"\ntitle = \"A <1>\"\n\n\
            [[category]]\nslug = \"empty\"\ntitle = \"Empty\"\nparent = \"a\"\n\n\
            [[category]]\nslug = \"b\"\ntitle = \"B\"\ndescription = \"Bees & <wasps>\"\n\n\
            [[category]]\nslug = \"c\"\ntitle = \"C under empty\"\nparent = \"empty\"\n\n\
            [[category]]\nslug = \"d\"\ntitle = \"D under c\"\nparent = \"c\"\n\n\
            [contributors.alice]\nname = \"Alice O'Neil\"\nuri = \"https://example.org/a?x=1&y=2\"\n\n\
            [contributors.bob]\nname = \"Bob\"\n\n\
            [digest]\nfrom = \"\\\"Varied & Co\\\" <v+d&x@example.org>\"\nto = \"list@example.org\"\nsubscribers = \"subscribers.txt\"\n";
        let mut entries = String::new();
        for n in 0..300 {
            let category = ["b", "a", "a", "b", "c", "d"][n % 6];
            let _ = writeln!(
                entries,
                "[[entry]]\ncategory = \"{category}\"\ntitle = \"Entry {n} <i>&</i> \\\"q\\\"\"\nadded = 2020-0{}-1{}",
                1 + n % 9,
                n % 10
            );
            if n % 4 != 0 {
                let _ = writeln!(entries, "url = \"https://example.org/{n}?x='1'&y=2\"");
            }
            let language = ["de", "fr", "en"][n % 3];
            if n % 5 != 0 {
                let _ = writeln!(entries, "language = \"{language}\"");
            }
            let by = ["[]", "[\"@alice\"]", "[\"@bob\", \"@carol\", \"@alice\"]"][n % 3];
            let _ = writeln!(entries, "by = {by}");
            if n % 2 == 0 {
                entries.push_str("authors = [\"Ann & Co\", \"<Bert>\"]\ntags = [\"x\", \"y'z\"]\n");
            }
            if n % 7 != 0 {
                let _ = writeln!(
                    entries,
                    "summary = \"\"\"A *summary* with [a link](https://example.org/{n}) & more, \
                     long enough that three hundred of them fill more than a chunk: \
                     {}\"\"\"",
                    "padding ".repeat(40)
                );
            }
            entries.push('\n');
        }
        entries.push_str("[[update]]\ndate = 2020-01-10\nnote = \"First <b>batch</b> & co\"\nby = [\"@carol\"]\n");
        fs::create_dir_all(dir.join("entries")).unwrap();
        fs::write(dir.join("oyez.toml"), config).unwrap();
        fs::write(dir.join("entries/all.toml"), entries).unwrap();
    }

    /// Every catalogue the tests have that loads: the example, the
    /// fixtures, the bad-input corpus and the varied one above.
    pub(in crate::site) fn catalogues(scratch: &Path) -> Vec<(PathBuf, Arc<Catalogue>)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.to_path_buf(),
            root.join("tests/fixtures/feeds"),
            root.join("tests/fixtures/hostile"),
        ];
        let mut corpus: Vec<PathBuf> = fs::read_dir(root.join("tests/corpus"))
            .unwrap()
            .map(|item| item.unwrap().path())
            .collect();
        corpus.sort();
        dirs.extend(corpus);
        varied(scratch);
        dirs.push(scratch.to_path_buf());
        dirs.into_iter()
            .filter_map(|dir| load(&dir).map(|catalogue| (dir, catalogue)))
            .collect()
    }

    /// Fails, showing where they part, unless the document written
    /// natively is the template's byte for byte.
    pub(in crate::site) fn assert_same(dir: &Path, native: &str, template: &str) {
        if let Some(at) = native
            .bytes()
            .zip(template.bytes())
            .position(|(n, t)| n != t)
        {
            let from = |page: &str| -> String {
                String::from_utf8_lossy(&page.as_bytes()[at..])
                    .chars()
                    .take(200)
                    .collect()
            };
            let (n, t) = (from(native), from(template));
            panic!(
                "{}: byte {at}, native:\n{n}\n\ntemplate:\n{t}",
                dir.display()
            );
        }
        assert_eq!(native.len(), template.len(), "{}", dir.display());
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
            "<h2 id=\"recently-added-title\">Recently added</h2>",
            "Bees &amp; &lt;wasps&gt; · Follow: <a href=\"https://example.org/v&amp;w/categories/b/atom.xml\">Atom</a> \
             · <a href=\"https://example.org/v&amp;w/categories/b/rss.xml\">RSS</a> · By email: \
             <a href=\"mailto:v%2Bd%26x@example.org?subject=subscribe%20categories%3Db\">subscribe to this category's digest</a></p>",
            "updates only</a> · By email: <a href=\"mailto:v%2Bd%26x@example.org?subject=subscribe\">subscribe to the digest</a></p>",
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

    /// A writer that accepts `room` bytes, then fails.
    pub(in crate::site) struct Full {
        pub(in crate::site) room: usize,
    }

    impl io::Write for Full {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if bytes.len() > self.room {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            self.room -= bytes.len();
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
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
