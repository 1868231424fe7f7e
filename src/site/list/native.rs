//! The built-in `list.md` (`templates/list.md`) written without the
//! template engine (issue 5), in a fraction of the time. Must equal its
//! twin, the template rendered through [`super::context`], byte for byte:
//! `the_native_list_is_the_built_in_template_byte_for_byte` below proves it
//! over every test catalogue. A change to the template must be made here
//! too; the fields are escaped by the functions the template's variables
//! are made with.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

use rayon::prelude::*;

use super::content::{NoteLinks, list_credits, push_thanks, update_note};
use super::escape::{push_text_escaped, push_url_escaped};
use super::line::Summaries;
use super::{frame, layout};
use crate::catalogue::{Catalogue, Entry, Update};
use crate::strings::Key;

/// Bytes gathered before they are handed to the writer.
const CHUNK: usize = 64 * 1024;

/// Entries each parallel task writes, at most; a section with fewer than
/// that for each thread is split evenly between them, in tasks of at
/// least [`FEWEST_PER_TASK`].
const ENTRIES_PER_TASK: usize = 2048;
/// Entries each parallel task writes, at least.
const FEWEST_PER_TASK: usize = 128;

/// Writes the built-in list into `out`, a chunk at a time.
pub(super) fn write(catalogue: &Catalogue, out: &mut impl Write) -> io::Result<()> {
    let sections = layout::sections(catalogue, &catalogue.file_order());
    let credits = list_credits(catalogue);
    let mut page = Page {
        buf: String::with_capacity(2 * CHUNK),
        parts: Vec::new(),
        links: Links::new(catalogue),
        out,
    };
    frame::head(catalogue, &sections, &credits, &mut page.buf);
    for section in &sections {
        frame::section_start(section, &mut page.buf);
        entries(catalogue, section, &mut page)?;
    }
    updates(catalogue, &mut page)?;
    frame::credits(catalogue, &credits, &mut page.buf);
    frame::kept(catalogue, &mut page.buf);
    page.buf.push('\n');
    page.finish()
}

/// Where the list goes: gathered in `buf`, handed to `out` by [`CHUNK`]s.
struct Page<'w, W: Write> {
    buf: String,
    /// What the parallel tasks of a batch of entries wrote.
    parts: Vec<Part>,
    links: Links,
    out: &'w mut W,
}

impl<W: Write> Page<'_, W> {
    /// Hands the gathered text to the writer once there is enough.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes the lines of the [`Self::parts`] after what is gathered and
    /// keeps their links.
    fn write_parts(&mut self) -> io::Result<()> {
        self.out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        for part in &self.parts {
            self.out.write_all(part.lines.as_bytes())?;
            self.links.keep(part);
        }
        Ok(())
    }

    fn finish(self) -> io::Result<()> {
        self.out.write_all(self.buf.as_bytes())?;
        self.out.flush()
    }
}

/// The lines one task wrote, and the links of their entries.
#[derive(Default)]
struct Part {
    lines: String,
    links: String,
    /// Where each entry's link is in `links`, by entry index.
    spans: Vec<(usize, Range<usize>)>,
}

/// Each entry's link (`[Title](url)`, or the title when it has no URL),
/// kept from its section line for the update log. The log lists the
/// entries in date order, and reading each entry's strings again there,
/// scattered in memory, takes longer than keeping its link (about 80
/// bytes an entry).
struct Links {
    text: String,
    /// Where each entry's link is in `text`, by index into `Catalogue::entries`.
    spans: Vec<Option<Range<usize>>>,
}

impl Links {
    fn new(catalogue: &Catalogue) -> Self {
        Self {
            text: String::new(),
            spans: vec![None; catalogue.entries.len()],
        }
    }

    fn keep(&mut self, part: &Part) {
        if self.text.capacity() == 0 && !part.spans.is_empty() {
            // Room for every entry's link at the first part's average
            // length and an eighth more: the text (about 8 MB at 100,000
            // entries) is then not moved, nor its pages touched twice,
            // each time it would outgrow its room.
            let average = part.links.len() / part.spans.len() + 1;
            self.text.reserve(average * self.spans.len() * 9 / 8);
        }
        let offset = self.text.len();
        self.text.push_str(&part.links);
        for (index, span) in &part.spans {
            if let Some(slot) = self.spans.get_mut(*index) {
                *slot = Some(offset + span.start..offset + span.end);
            }
        }
    }

    /// The link of entry `index` onto the end of `out`.
    fn push(&self, catalogue: &Catalogue, index: usize, out: &mut String) {
        let kept = self.spans.get(index).cloned().flatten();
        match kept.and_then(|span| self.text.get(span)) {
            Some(link) => out.push_str(link),
            // An entry of no section (never so in a loaded catalogue).
            None => {
                if let Some(entry) = catalogue.entries.get(index) {
                    push_link(entry, out);
                }
            }
        }
    }
}

/// The entries `indices` of one section, one line each. Tasks of up to
/// [`ENTRIES_PER_TASK`] entries write in parallel, a batch of them at a
/// time into buffers reused from batch to batch, so that the list is
/// never whole in memory.
fn entries<W: Write>(
    catalogue: &Catalogue,
    section: &layout::Section<'_>,
    page: &mut Page<'_, W>,
) -> io::Result<()> {
    let indices = &section.indices;
    let tasks = rayon::current_num_threads().max(1);
    let per_task = indices
        .len()
        .div_ceil(tasks)
        .clamp(FEWEST_PER_TASK, ENTRIES_PER_TASK);
    let per_batch = per_task.saturating_mul(tasks);
    for (batch_at, batch) in indices.chunks(per_batch).enumerate() {
        let tasks = batch.par_chunks(per_task);
        page.parts.resize_with(tasks.len(), Part::default);
        page.parts
            .par_iter_mut()
            .zip(tasks)
            .enumerate()
            .for_each(|(task_at, (part, task))| {
                part.lines.clear();
                part.links.clear();
                part.spans.clear();
                let mut summaries = Summaries::new(catalogue);
                // The entry before the task's first, in the section.
                let start = batch_at * per_batch + task_at * per_task;
                let mut previous = start
                    .checked_sub(1)
                    .and_then(|at| catalogue.entries.get(*indices.get(at)?));
                for (at, (index, entry)) in read_ahead(catalogue, task).enumerate() {
                    let lead = (previous, entry, section.nested(start + at));
                    entry_line((lead, index, catalogue), &mut summaries, part);
                    previous = Some(entry);
                }
            });
        page.write_parts()?;
    }
    Ok(())
}

/// The entries `indices` lists, with their indices, read ahead. Sections
/// list entries in file order, scattered in memory: each would be a cache
/// miss, then its strings another. So every [`GROUP`] entries, the strings
/// of the next group are read, and the fields of the group after: the
/// processor fetches them together while it writes the entries before.
fn read_ahead<'c>(
    catalogue: &'c Catalogue,
    indices: &'c [usize],
) -> impl Iterator<Item = (usize, &'c Entry)> {
    let entry = |at: usize| indices.get(at).and_then(|&i| catalogue.entries.get(i));
    (0..indices.len()).filter_map(move |at| {
        if at % GROUP == 0 {
            for ahead in at + GROUP..at + 2 * GROUP {
                if let Some(near) = entry(ahead) {
                    std::hint::black_box(first_bytes(near));
                }
                if let Some(far) = entry(ahead + GROUP) {
                    std::hint::black_box(lengths(far));
                }
            }
        }
        Some((*indices.get(at)?, entry(at)?))
    })
}

/// How many entries [`read_ahead`] reads ahead at once.
const GROUP: usize = 4;

/// The lengths of the strings an entry's line reads (its own fields).
fn lengths(entry: &Entry) -> [usize; 4] {
    [
        entry.title.len(),
        entry.url.as_ref().map_or(0, |url| url.as_str().len()),
        entry.summary.as_ref().map_or(0, |s| s.markdown.len()),
        entry.by.len(),
    ]
}

/// The first byte of each string an entry's line reads.
fn first_bytes(entry: &Entry) -> [Option<u8>; 4] {
    let first = |text: &str| text.as_bytes().first().copied();
    [
        first(&entry.title),
        entry.url.as_ref().and_then(|url| first(url.as_str())),
        entry.summary.as_ref().and_then(|s| first(&s.markdown)),
        entry.by.first().and_then(|handle| first(handle)),
    ]
}

/// `- [Title](url) - summary (thanks @handle)`, as the template writes it,
/// and the entry's link.
fn entry_line(
    ((previous, entry, nested), index, catalogue): (
        (Option<&Entry>, &Entry, usize),
        usize,
        &Catalogue,
    ),
    summaries: &mut Summaries<'_>,
    part: &mut Part,
) {
    let awesome = catalogue.site.awesome;
    let start = part.links.len();
    push_link(entry, &mut part.links);
    let link = part.links.get(start..).unwrap_or_default();
    part.spans.push((index, start..part.links.len()));
    let summary = summaries.line(entry);
    let out = &mut part.lines;
    layout::push_lead(&catalogue.list, (previous, entry, nested), out);
    match (&entry.url, summary) {
        (Some(_), _) | (None, None) => out.push_str(link),
        // Without URL, the link is the title; bold but in an awesome
        // list, where awesome-lint takes a bold start for a broken link.
        (None, Some(_)) if awesome => out.push_str(link),
        (None, Some(_)) => {
            out.push_str("**");
            out.push_str(link);
            out.push_str("**");
        }
    }
    if let Some(summary) = summary {
        out.push_str(layout::separator(summary));
        out.push_str(summary);
    }
    if catalogue.list.thanks() {
        push_thanks(
            out,
            catalogue.strings.get(Key::list_thanks),
            summary.unwrap_or_default(),
            &entry.by,
        );
    }
    if let Some(badges) = entry.layout.as_ref().and_then(|l| l.badges.as_deref()) {
        out.push(' ');
        out.push_str(badges);
    }
    out.push('\n');
}

/// `[Title](url)`, or the title alone when the entry has no URL.
fn push_link(entry: &Entry, out: &mut String) {
    match &entry.url {
        Some(url) => {
            out.push('[');
            push_text_escaped(out, &entry.title);
            out.push_str("](");
            push_url_escaped(out, url.as_str());
            out.push(')');
        }
        None => push_text_escaped(out, &entry.title),
    }
}

/// Updates each parallel task of the update log writes, at most.
const UPDATES_PER_TASK: usize = 16;

/// The update log, each update with the entries its note does not link
/// to: written a batch of updates at a time by parallel tasks (a log lists
/// every entry: it used to end the publish on one thread).
fn updates<W: Write>(catalogue: &Catalogue, page: &mut Page<'_, W>) -> io::Result<()> {
    if catalogue.updates.is_empty() {
        return Ok(());
    }
    let _ = write!(page.buf, "\n## {}\n", catalogue.strings.get(Key::updates));
    let per_batch = UPDATES_PER_TASK * 2 * rayon::current_num_threads().max(1);
    for batch in catalogue.updates.chunks(per_batch) {
        let links = &page.links;
        let parts: Vec<String> = batch
            .par_chunks(UPDATES_PER_TASK)
            .map(|task| {
                let mut out = String::new();
                for update in task {
                    update_lines(catalogue, links, update, &mut out);
                }
                out
            })
            .collect();
        for part in &parts {
            page.buf.push_str(part);
            page.spill()?;
        }
    }
    page.buf.push('\n');
    Ok(())
}

/// An update's line and the lines of the entries listed under it.
fn update_lines(catalogue: &Catalogue, links: &Links, update: &Update, out: &mut String) {
    let note = update_note(catalogue, update);
    let _ = write!(out, "\n- {} {note}", update.day);
    push_thanks(
        out,
        catalogue.strings.get(Key::list_thanks),
        &note,
        &update.by,
    );
    // Every URL has a `:`: a note without one links to no entry, and the
    // entries need not be read.
    let may_link = update.note.markdown.contains(':');
    let links_in_note = NoteLinks::of(update);
    for &index in &update.announces {
        let listed = catalogue
            .entries
            .get(index)
            .is_some_and(|entry| !may_link || links_in_note.lists(entry));
        if listed {
            out.push_str("\n  - ");
            announced(catalogue, links, index, out);
        }
    }
}

/// An announced entry under its update: its link, or in an awesome list
/// its title alone, since awesome-lint refuses a link listed twice.
fn announced(catalogue: &Catalogue, links: &Links, index: usize, out: &mut String) {
    if !catalogue.site.awesome {
        links.push(catalogue, index, out);
    } else if let Some(entry) = catalogue.entries.get(index) {
        push_text_escaped(out, &entry.title);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io;
    use std::path::Path;

    use crate::site::list;
    use crate::site::testing::{Full, assert_same, catalogues, list_varied};
    use crate::template::{TemplateError, Templates};

    /// The list as `list::write` writes it, natively or by the template.
    fn render(catalogue: &crate::catalogue::Catalogue, native: bool) -> String {
        let templates = Templates::builtin().unwrap();
        let mut out = Vec::new();
        if native {
            super::write(catalogue, &mut out).unwrap();
        } else {
            super::super::context::write_template(catalogue, &templates, &mut out).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_native_list_is_the_built_in_template_byte_for_byte() {
        let scratch = tempfile::tempdir().unwrap();
        let mut catalogues = catalogues(&scratch.path().join("html"));
        assert!(catalogues.len() >= 15, "{} catalogues", catalogues.len());
        let own = scratch.path().join("list");
        list_varied(&own);
        let loaded = crate::catalogue::load(&own).unwrap();
        assert!(
            loaded
                .catalogue
                .updates
                .iter()
                .all(|u| !u.announces.is_empty())
        );
        catalogues.push((own, std::sync::Arc::new(loaded.catalogue)));
        for (dir, catalogue) in &catalogues {
            assert_same(dir, &render(catalogue, true), &render(catalogue, false));
        }
        let own = render(&catalogues.last().unwrap().1, true);
        for sign in [
            "# \\# Varied \\[list\\] \\#\n",
            "- **\\- dash 0** - Thanks @alice for *this*",
            "- [C# 1](<https://example.org/x)y/1>) (thanks @alice)\n",
            "(thanks @bob, @dave, @alice)\n",
            "\n- 2021-04-15 Month 4: see [one](https://example.org/3) thanks to @alice (thanks @bob)\n  - ",
            // Bob's quotes that do not close are left out (issue 22).
            "[Alice \\[A\\]](https://example.org/a_(b)) (@alice), \
             Herbert TheBracket \\[x\\] (y \\*z_ \\`w\\` q (@bob), @dave.\n",
        ] {
            assert!(own.contains(sign), "{sign}");
        }
        // Entry 3, which the note of its update links to, is listed once.
        assert_eq!(own.matches(" 3](https://example.org/3)").count(), 1);
    }

    /// An awesome list keeps the category tree and passes awesome-lint's
    /// shapes: badge, nested contents with Contributors, no link twice.
    #[test]
    fn an_awesome_list_keeps_its_tree_and_lists_no_link_twice() {
        let dir = tempfile::tempdir().unwrap();
        let config = "[site]\ntitle = \"Awesome Things\"\nbase_url = \"https://example.org/\"\n\
            awesome = true\n\n\
            [[category]]\nslug = \"tools\"\ntitle = \"Tools\"\n\n\
            [[category]]\nslug = \"cli\"\ntitle = \"Command Line\"\nparent = \"tools\"\n\n\
            [[category]]\nslug = \"deep\"\ntitle = \"Deep\"\nparent = \"cli\"\n\n\
            [[category]]\nslug = \"unused\"\ntitle = \"Unused\"\n\n\
            [contributors.alice]\nname = \"Alice\"\n\n\
            [list]\nintro = \"\"\"\n<!--lint disable double-link-->\nAn intro.\n\"\"\"\n\n\
            [[list.section]]\ntitle = \"Contributing\"\ntext = \"Read [the guide](contributing.md).\"\n\n\
            [[list.section]]\ntitle = \"License\"\ntext = \"CC0.\\n\"\n";
        let entries = "[[entry]]\ncategory = \"cli\"\ntitle = \"Grep\"\nurl = \"https://example.org/grep\"\n\
            added = 2021-01-02\nsummary = \"Search text.\"\nby = [\"@alice\"]\n\n\
            [[entry]]\ncategory = \"deep\"\ntitle = \"Notes\"\nadded = 2021-01-02\nsummary = \"No link.\"\n\n\
            [[update]]\ndate = 2021-01-03\nnote = \"Two tools\"\n";
        std::fs::write(dir.path().join("oyez.toml"), config).unwrap();
        std::fs::create_dir(dir.path().join("entries")).unwrap();
        std::fs::write(dir.path().join("entries/a.toml"), entries).unwrap();
        let catalogue = crate::catalogue::load(dir.path()).unwrap().catalogue;
        let native = render(&catalogue, true);
        assert_same(dir.path(), &native, &render(&catalogue, false));
        let expected = "# Awesome Things [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n\
            <!--lint disable double-link-->\nAn intro.\n\n\
            Follow the additions: [Atom](https://example.org/atom.xml) · [RSS](https://example.org/rss.xml) · \
            [JSON Feed](https://example.org/feed.json) · [updates only](https://example.org/updates/atom.xml)\n\n\
            ## Contents\n\n- [Tools](#tools)\n  - [Command Line](#command-line)\n- [Updates](#updates)\n\
            - [Contributors](#contributors)\n- [License](#license)\n\n## Tools\n\n\n### Command Line\n\n\
            - [Grep](https://example.org/grep) - Search text. (thanks @alice)\n\n#### Deep\n\n\
            - Notes - No link.\n\n## Updates\n\n- 2021-01-03 Two tools\n  - Notes\n  - Grep\n\n\
            ## Contributors\n\nThanks to Alice (@alice).\n\n## Contributing\n\n\
            Read [the guide](contributing.md).\n\n## License\n\nCC0.\n\n";
        assert_eq!(native, expected);
        // An HTML header stands for the title line.
        let header = config.replace(
            "[list]\n",
            "[list]\nheader = \"<h1 align=center>Things</h1>\"\n",
        );
        std::fs::write(dir.path().join("oyez.toml"), header).unwrap();
        let catalogue = crate::catalogue::load(dir.path()).unwrap().catalogue;
        let native = render(&catalogue, true);
        assert_same(dir.path(), &native, &render(&catalogue, false));
        assert!(
            native.starts_with("<h1 align=center>Things</h1>\n\n<!--lint"),
            "{native}"
        );
    }

    #[test]
    fn an_own_template_is_rendered_by_it_and_write_errors_are_reported() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = crate::catalogue::load(root).unwrap().catalogue;
        let own = "{% for s in sections %}{{ s.title }}:{% for e in s.entries %} {{ e.id }}{% endfor %}\n{% endfor %}";
        let templates = Templates::new(BTreeMap::from([(
            list::TEMPLATE.to_owned(),
            own.to_owned(),
        )]))
        .unwrap();
        assert!(!templates.is_builtin(list::TEMPLATE));
        let mut out = Vec::new();
        list::write(&catalogue, &templates, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let first = &catalogue.categories[0].title;
        assert!(out.starts_with(&format!("{first}: ")), "{out}");
        assert_eq!(out.lines().count(), catalogue.categories.len());
        let err = list::write(
            &catalogue,
            &Templates::builtin().unwrap(),
            &mut Full { room: 10 },
        );
        match err.unwrap_err() {
            TemplateError::Write(err) => assert_eq!(err.kind(), io::ErrorKind::StorageFull),
            other => panic!("{other}"),
        }
    }
}
