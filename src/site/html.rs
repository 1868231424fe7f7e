//! `index.html`, the catalogue page, and the HTML body of update items.

use chrono::NaiveDate;
use serde::Serialize;

use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;

use minijinja::Value;

use super::borrowed::{self, SharedSection, UpdateObject, UpdateRef};
use super::view::{self, FeedLink, SiteView};
use crate::catalogue::{Catalogue, Category, Entry, Update};
use crate::template::{TemplateError, Templates, push_escaped_html};

pub const INDEX: &str = "index.html";

#[derive(Serialize)]
struct IndexContext<'a> {
    site: SiteView,
    feeds: Vec<FeedLink>,
    sections: Vec<SharedSection<'a>>,
    updates: Vec<Value>,
    entry_count: usize,
    generator: &'static str,
}

const GENERATOR: &str = concat!("oyez ", env!("CARGO_PKG_VERSION"));

impl<'a> IndexContext<'a> {
    fn new(catalogue: &'a Arc<Catalogue>) -> Self {
        Self {
            site: SiteView::new(catalogue),
            feeds: view::feed_links(catalogue),
            sections: borrowed::shared_sections(catalogue),
            updates: (0..catalogue.updates.len())
                .map(|index| UpdateObject::value(catalogue, index))
                .collect(),
            entry_count: catalogue.entries.len(),
            generator: GENERATOR,
        }
    }
}

/// Bytes the built-in catalogue page spends per entry, rounded up (about
/// 800 with the generated benchmark catalogue): the page's buffer starts
/// that large, so that tens of MB grow without a chain of doublings.
const INDEX_BYTES_PER_ENTRY: usize = 1024;

/// Bytes a streamed page gathers before handing them to its writer.
const CHUNK: usize = 64 * 1024;

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
struct Page<'w> {
    buf: Vec<u8>,
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
    fn spill(&mut self) -> io::Result<()> {
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

    fn raw(&mut self, html: &str) {
        self.buf.extend_from_slice(html.as_bytes());
    }

    fn text(&mut self, text: &str) {
        push_escaped_html(&mut self.buf, text);
    }

    /// Writes `day` as `YYYY-MM-DD` (digits and dashes: nothing to escape)
    /// and returns where it is, for writing it again.
    fn date(&mut self, day: NaiveDate) -> Range<usize> {
        let start = self.buf.len();
        // Writing to a `Vec` cannot fail.
        let _ = write!(self.buf, "{day}");
        start..self.buf.len()
    }

    /// `items` escaped and joined by ", " (the template's `|join(", ")`).
    fn joined(&mut self, items: &[String]) {
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
fn truthy(text: Option<&String>) -> Option<&str> {
    text.map(String::as_str).filter(|text| !text.is_empty())
}

/// The built-in `index.html` (`templates/index.html`) without the template
/// engine: the same bytes in a fraction of the time, as a test checks
/// against minijinja. A change to the template must be made here too.
fn builtin_page(catalogue: &Catalogue, page: &mut Page<'_>) -> io::Result<()> {
    let groups = borrowed::entries_by_category(catalogue);
    head(catalogue, page);
    header(catalogue, &groups, page);
    page.raw("<main>\n");
    for (category, indices) in catalogue.categories.iter().zip(&groups) {
        section_start(catalogue, category, page);
        for entry in indices.iter().filter_map(|&i| catalogue.entries.get(i)) {
            article(catalogue, entry, page);
            page.spill()?;
        }
        page.raw("</section>\n");
    }
    updates(&catalogue.updates, page)?;
    page.raw("</main>\n<footer class=\"meta\"><p>Published with ");
    page.text(GENERATOR);
    page.raw(".</p></footer>\n</body>\n</html>\n");
    Ok(())
}

/// The template's fixed text from `<style>` to `<header>`.
const STYLE: &str = "<style>
body { font: 1rem/1.5 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; background: #fff; }
a { color: #0645ad; }
.meta, .credits { color: #555; font-size: .9rem; }
nav ul, .feeds { padding-left: 1.2rem; }
article { margin: 1rem 0; }
article h3 { font-size: 1.05rem; margin: 0; }
</style>
</head>
<body>
<header>
";

/// From the doctype to `<header>`.
fn head(catalogue: &Catalogue, page: &mut Page<'_>) {
    let site = &catalogue.site;
    page.raw("<!DOCTYPE html>\n<html lang=\"");
    page.text(&site.language);
    page.raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    page.text(&site.title);
    page.raw("</title>\n");
    if let Some(description) = truthy(site.description.as_ref()) {
        page.raw("<meta name=\"description\" content=\"");
        page.text(description);
        page.raw("\">\n");
    }
    page.raw("<meta name=\"generator\" content=\"");
    page.text(GENERATOR);
    page.raw("\">\n<link rel=\"canonical\" href=\"");
    page.text(site.base_url.as_str());
    page.raw("\">\n");
    for feed in view::feed_links(catalogue) {
        page.raw("<link rel=\"alternate\" type=\"");
        page.text(feed.mime);
        page.raw("\" title=\"");
        page.text(&feed.title);
        page.raw("\" href=\"");
        page.text(&feed.href);
        page.raw("\">\n");
    }
    page.raw(STYLE);
}

/// The header's title, feed links and the sections' table of contents.
fn header(catalogue: &Catalogue, groups: &[Vec<usize>], page: &mut Page<'_>) {
    let site = &catalogue.site;
    let base = site.base_url.as_str();
    page.raw("<h1>");
    page.text(&site.title);
    page.raw("</h1>\n");
    if let Some(description) = truthy(site.description.as_ref()) {
        page.raw("<p>");
        page.text(description);
        page.raw("</p>\n");
    }
    page.raw("<p>");
    page.raw(&catalogue.entries.len().to_string());
    page.raw(" resources. Follow: ");
    let feeds = [
        ("atom.xml", "Atom"),
        ("rss.xml", "RSS"),
        ("feed.json", "JSON Feed"),
        ("updates/atom.xml", "updates only"),
    ];
    let updates = usize::from(!catalogue.updates.is_empty());
    for (index, (path, name)) in feeds.into_iter().take(3 + updates).enumerate() {
        if index > 0 {
            page.raw(" · ");
        }
        page.raw("<a href=\"");
        page.text(base);
        page.raw(path);
        page.raw("\">");
        page.raw(name);
        page.raw("</a>");
    }
    page.raw("</p>\n<nav aria-label=\"Sections\">\n<ul>\n");
    for (category, indices) in catalogue.categories.iter().zip(groups) {
        page.raw("<li><a href=\"#");
        page.text(&category.slug);
        page.raw("\">");
        page.text(&category.title);
        page.raw("</a> (");
        page.raw(&indices.len().to_string());
        page.raw(")</li>\n");
    }
    if !catalogue.updates.is_empty() {
        page.raw("<li><a href=\"#updates\">Updates</a></li>\n");
    }
    page.raw("</ul>\n</nav>\n</header>\n");
}

/// A section's heading, description and feed links.
fn section_start(catalogue: &Catalogue, category: &Category, page: &mut Page<'_>) {
    let (base, slug) = (catalogue.site.base_url.as_str(), &category.slug);
    page.raw("<section id=\"");
    page.text(slug);
    page.raw("\" aria-labelledby=\"");
    page.text(slug);
    page.raw("-title\">\n<h2 id=\"");
    page.text(slug);
    page.raw("-title\">");
    page.text(&category.title);
    page.raw("</h2>\n");
    if let Some(description) = truthy(category.description.as_ref()) {
        page.raw("<p>");
        page.text(description);
        page.raw("</p>\n");
    }
    page.raw("<p class=\"meta\">Follow this section: ");
    for (index, (name, feed)) in [("Atom", "atom.xml"), ("RSS", "rss.xml")]
        .into_iter()
        .enumerate()
    {
        if index > 0 {
            page.raw(" · ");
        }
        page.raw("<a href=\"");
        page.text(base);
        page.raw("categories/");
        page.text(slug);
        page.raw("/");
        page.raw(feed);
        page.raw("\">");
        page.raw(name);
        page.raw("</a>");
    }
    page.raw("</p>\n");
}

/// One entry's `<article>`.
fn article(catalogue: &Catalogue, entry: &Entry, page: &mut Page<'_>) {
    page.raw("<article id=\"");
    page.text(&entry.id);
    page.raw("\"");
    let language = truthy(entry.language.as_ref());
    if let Some(language) = language.filter(|&l| l != catalogue.site.language) {
        page.raw(" lang=\"");
        page.text(language);
        page.raw("\"");
    }
    page.raw(">\n<h3>");
    match &entry.url {
        Some(url) => {
            page.raw("<a href=\"");
            page.text(url.as_str());
            page.raw("\">");
            page.text(&entry.title);
            page.raw("</a>");
        }
        None => page.text(&entry.title),
    }
    page.raw("</h3>\n<p class=\"meta\">");
    if !entry.authors.is_empty() {
        page.raw("By ");
        page.joined(&entry.authors);
        page.raw(" · ");
    }
    page.raw("added <time datetime=\"");
    let date = page.date(entry.added_day);
    page.raw("\">");
    page.buf.extend_from_within(date);
    page.raw("</time>");
    if !entry.tags.is_empty() {
        page.raw(" · ");
        page.joined(&entry.tags);
    }
    page.raw("</p>\n");
    if let Some(html) = truthy(entry.summary.as_ref().map(|s| &s.html)) {
        page.raw(html);
        page.raw("\n");
    }
    credits(catalogue, &entry.by, page);
    page.raw("</article>\n");
}

/// "Suggested by …" with each contributor linked where they have a URI.
fn credits(catalogue: &Catalogue, handles: &[String], page: &mut Page<'_>) {
    if handles.is_empty() {
        return;
    }
    page.raw("<p class=\"credits\">Suggested by ");
    contributors(catalogue, handles, page);
    page.raw("</p>\n");
}

/// The credited `handles` joined by ", ", each linked where it has a URI.
fn contributors(catalogue: &Catalogue, handles: &[String], page: &mut Page<'_>) {
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

/// The update log, when there is one.
fn updates(updates: &[Update], page: &mut Page<'_>) -> io::Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    page.raw("<section id=\"updates\" aria-labelledby=\"updates-title\">\n");
    page.raw("<h2 id=\"updates-title\">Updates</h2>\n<ul>\n");
    for update in updates {
        page.raw("<li id=\"");
        page.text(&update.id);
        page.raw("\"><time datetime=\"");
        let date = page.date(update.day);
        page.raw("\">");
        page.buf.extend_from_within(date);
        page.raw("</time> ");
        page.raw(&update.note.html);
        if !update.announces.is_empty() {
            page.raw(" <span class=\"meta\">(");
            page.raw(&update.announces.len().to_string());
            page.raw(" new)</span>");
        }
        page.raw("</li>\n");
        page.spill()?;
    }
    page.raw("</ul>\n</section>\n");
    Ok(())
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
            [[category]]\nslug = \"empty\"\ntitle = \"Empty\"\n\n\
            [[category]]\nslug = \"b\"\ntitle = \"B\"\ndescription = \"Bees & <wasps>\"\n\n\
            [contributors.alice]\nname = \"Alice O'Neil\"\nuri = \"https://example.org/a?x=1&y=2\"\n\n\
            [contributors.bob]\nname = \"Bob\"\n";
        let mut entries = String::new();
        for n in 0..300 {
            let category = if n % 3 == 0 { "b" } else { "a" };
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
            "@carol",
            "Alice O&#x27;Neil",
            "Bees &amp; &lt;wasps&gt;",
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
