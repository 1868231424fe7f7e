//! The one-pass reader of entries files of the usual shape: comments,
//! blank lines, a top-level `category`, `[[entry]]` / `[[update]]` headers
//! and `key = value` lines with strings, one-line arrays of strings and dates.
//! Twin: toml's document tree + serde (`parse_entries_fully` in
//! `load/mod.rs`), which it must equal value for value and span for span;
//! proved by this file's tests and the `entries_fast_path` fuzz target.
//!
//! It builds the same `raw` structs at a fraction of the twin's cost
//! (docs/performance.md). Anything else (a syntax error, an unknown or
//! repeated key, a missing field, a wrong type, a dotted key, an inline
//! table, a multi-line string, a time of day…) makes it return `None`, and
//! the caller reads the file with the twin, so every diagnostic is the
//! full parser's.

use toml::Spanned;
use toml::value::Datetime;

use super::EntriesFile;
use crate::catalogue::raw;

/// Reads `text` when it has the usual shape; `None` sends the caller to
/// the full parser.
pub(super) fn read(text: &str) -> Option<EntriesFile> {
    let mut cursor = Cursor { text, pos: 0 };
    let mut file = EntriesFile::default();
    let mut table = Table::Top;
    loop {
        cursor.skip_whitespace();
        match cursor.peek() {
            None => break,
            Some(b'[') => {
                table.finish(&mut file)?;
                table = cursor.header()?;
            }
            Some(b'#' | b'\n' | b'\r') => {}
            Some(_) => table.key_value(&mut cursor, &mut file)?,
        }
        cursor.line_end()?;
    }
    table.finish(&mut file)?;
    Some(file)
}

/// The table that the next `key = value` line belongs to.
enum Table {
    Top,
    Entry(Box<EntryDraft>),
    Update(UpdateDraft),
}

impl Table {
    /// Reads one `key = value` into this table.
    fn key_value(&mut self, cursor: &mut Cursor<'_>, file: &mut EntriesFile) -> Option<()> {
        let key = cursor.key()?;
        match self {
            Self::Top if key == "category" => set(&mut file.category, cursor.string()?),
            Self::Top => None,
            Self::Entry(draft) => draft.read(key, cursor),
            Self::Update(draft) => draft.read(key, cursor),
        }
    }

    /// Adds a finished table to `file`; `None` when a required field is missing.
    fn finish(&mut self, file: &mut EntriesFile) -> Option<()> {
        match std::mem::replace(self, Self::Top) {
            Self::Top => {}
            Self::Entry(draft) => file.entries.push(draft.build()?),
            Self::Update(draft) => file.updates.push(draft.build()?),
        }
        Some(())
    }
}

/// An `[[entry]]` being read: each field is `None` until its key is seen.
#[derive(Default)]
struct EntryDraft {
    title: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    added: Option<Spanned<Datetime>>,
    by: Option<Vec<Spanned<String>>>,
    authors: Option<Vec<Spanned<String>>>,
    language: Option<Spanned<String>>,
    tags: Option<Vec<Spanned<String>>>,
    summary: Option<Spanned<String>>,
    updated: Option<Spanned<Datetime>>,
    id: Option<Spanned<String>>,
    category: Option<Spanned<String>>,
    also: Option<Vec<Spanned<String>>>,
}

impl EntryDraft {
    fn read(&mut self, key: &str, cursor: &mut Cursor<'_>) -> Option<()> {
        match key {
            "title" => set(&mut self.title, cursor.string()?),
            "url" => set(&mut self.url, cursor.string()?),
            "added" => set(&mut self.added, cursor.date()?),
            "by" => set(&mut self.by, cursor.strings()?),
            "authors" => set(&mut self.authors, cursor.strings()?),
            "language" => set(&mut self.language, cursor.string()?),
            "tags" => set(&mut self.tags, cursor.strings()?),
            "summary" => set(&mut self.summary, cursor.string()?),
            "updated" => set(&mut self.updated, cursor.date()?),
            "id" => set(&mut self.id, cursor.string()?),
            "category" => set(&mut self.category, cursor.string()?),
            "also" => set(&mut self.also, cursor.strings()?),
            _ => None,
        }
    }

    fn build(self) -> Option<raw::Entry> {
        Some(raw::Entry {
            title: self.title?,
            url: self.url,
            added: self.added?,
            by: self.by.unwrap_or_default(),
            authors: self.authors.unwrap_or_default(),
            language: self.language,
            tags: self.tags.unwrap_or_default(),
            summary: self.summary,
            updated: self.updated,
            id: self.id,
            category: self.category,
            also: self.also.unwrap_or_default(),
        })
    }
}

/// An `[[update]]` being read.
#[derive(Default)]
struct UpdateDraft {
    date: Option<Spanned<Datetime>>,
    note: Option<Spanned<String>>,
    by: Option<Vec<Spanned<String>>>,
}

impl UpdateDraft {
    fn read(&mut self, key: &str, cursor: &mut Cursor<'_>) -> Option<()> {
        match key {
            "date" => set(&mut self.date, cursor.date()?),
            "note" => set(&mut self.note, cursor.string()?),
            "by" => set(&mut self.by, cursor.strings()?),
            _ => None,
        }
    }

    fn build(self) -> Option<raw::Update> {
        Some(raw::Update {
            date: self.date?,
            note: self.note?,
            by: self.by.unwrap_or_default(),
        })
    }
}

/// Fills an empty slot; `None` when the key was already given.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// A position in the text; every method returns `None` on anything it
/// does not handle, leaving the decision to the full parser.
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &'t [u8] {
        self.text.as_bytes().get(self.pos..).unwrap_or_default()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    /// Skips spaces and tabs, TOML's only whitespace within a line.
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// Whitespace, an optional comment, then a newline or the end.
    fn line_end(&mut self) -> Option<()> {
        self.skip_whitespace();
        if self.peek() == Some(b'#') {
            let comment = self.rest();
            let length = memchr::memchr2(b'\n', b'\r', comment).unwrap_or(comment.len());
            let body = comment.get(1..length).unwrap_or_default();
            if !body.iter().all(|&byte| is_text(byte)) {
                return None;
            }
            self.pos += length;
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => self.eat(b'\n'),
            Some(b'\r') => self.eat(b'\r').and_then(|()| self.eat(b'\n')),
            Some(_) => None,
        }
    }

    /// `[[entry]]` or `[[update]]`, nothing else.
    fn header(&mut self) -> Option<Table> {
        let rest = self.rest();
        if rest.starts_with(b"[[entry]]") {
            self.pos += "[[entry]]".len();
            Some(Table::Entry(Box::default()))
        } else if rest.starts_with(b"[[update]]") {
            self.pos += "[[update]]".len();
            Some(Table::Update(UpdateDraft::default()))
        } else {
            None
        }
    }

    /// A bare key and the `=` after it; the cursor is left on the value.
    fn key(&mut self) -> Option<&'t str> {
        let start = self.pos;
        while let Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-') = self.peek() {
            self.pos += 1;
        }
        let key = self.text.get(start..self.pos)?;
        self.skip_whitespace();
        self.eat(b'=')?;
        self.skip_whitespace();
        Some(key)
    }

    /// A one-line string, basic or literal, spanned with its quotes.
    fn string(&mut self) -> Option<Spanned<String>> {
        let start = self.pos;
        let value = match self.peek()? {
            b'"' if !self.rest().starts_with(b"\"\"\"") => self.basic_string()?,
            b'\'' if !self.rest().starts_with(b"'''") => self.literal_string()?,
            _ => return None,
        };
        Some(Spanned::new(start..self.pos, value))
    }

    /// `'…'`: no escapes; tab and visible characters only.
    fn literal_string(&mut self) -> Option<String> {
        self.eat(b'\'')?;
        let rest = self.rest();
        let length = memchr::memchr(b'\'', rest)?;
        let body = rest.get(..length)?;
        if !body.iter().all(|&byte| is_text(byte)) {
            return None;
        }
        let value = self.text.get(self.pos..self.pos + length)?.to_owned();
        self.pos += length + 1;
        Some(value)
    }

    /// `"…"` with TOML's escapes decoded.
    fn basic_string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut value = String::new();
        let mut sized = false;
        loop {
            let rest = self.rest();
            let length = memchr::memchr2(b'"', b'\\', rest)?;
            if !rest.get(..length)?.iter().all(|&byte| is_text(byte)) {
                return None;
            }
            value.push_str(self.text.get(self.pos..self.pos + length)?);
            self.pos += length;
            if self.eat(b'"').is_some() {
                return Some(value);
            }
            if !sized {
                // At the first escape, room for the rest of the line: a
                // summary of many lines is not kept at up to twice its length.
                let line = memchr::memchr(b'\n', self.rest()).unwrap_or(self.rest().len());
                value.reserve_exact(line);
                sized = true;
            }
            self.pos += 1;
            value.push(self.escape()?);
        }
    }

    /// The character an escape (after its `\`) stands for.
    fn escape(&mut self) -> Option<char> {
        let letter = self.peek()?;
        self.pos += 1;
        let digits = match letter {
            b'b' => return Some('\u{8}'),
            b'e' => return Some('\u{1b}'),
            b'f' => return Some('\u{c}'),
            b'n' => return Some('\n'),
            b'r' => return Some('\r'),
            b't' => return Some('\t'),
            b'\\' => return Some('\\'),
            b'"' => return Some('"'),
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => return None,
        };
        let hex = self.text.get(self.pos..self.pos + digits)?;
        if !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += digits;
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)
    }

    /// `[ "a", 'b', ]` on one line; each string keeps its own span.
    fn strings(&mut self) -> Option<Vec<Spanned<String>>> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            if self.eat(b']').is_some() {
                return Some(items);
            }
            items.push(self.string()?);
            self.skip_whitespace();
            if self.eat(b',').is_none() {
                self.eat(b']')?;
                return Some(items);
            }
        }
    }

    /// A local date, `YYYY-MM-DD`, alone on its line but for a comment.
    fn date(&mut self) -> Option<Spanned<Datetime>> {
        const SHAPE: &[u8; 10] = b"0000-00-00";
        let start = self.pos;
        let end = start + SHAPE.len();
        let token = self.text.get(start..end)?;
        let shaped = token
            .bytes()
            .zip(SHAPE)
            .all(|(byte, &shape)| byte == shape || (shape == b'0' && byte.is_ascii_digit()));
        let after = self.text.as_bytes().get(end);
        if !shaped || !matches!(after, None | Some(b'\n' | b'\r' | b' ' | b'\t')) {
            return None;
        }
        self.pos = end;
        let value = token.parse().ok()?;
        Some(Spanned::new(start..end, value))
    }
}

/// TOML's characters allowed in comments and one-line strings: tab, the
/// visible ASCII characters and anything non-ASCII.
fn is_text(byte: u8) -> bool {
    byte == b'\t' || (b' '..=b'~').contains(&byte) || byte >= 0x80
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::entries_both_ways;

    /// Whether the fast reader takes `text`; when it does, it must read
    /// what the full parser reads, spans included, with no diagnostic.
    fn taken(text: &str) -> bool {
        let Some((fast, full, diagnostics)) = entries_both_ways(text) else {
            return false;
        };
        assert!(diagnostics.is_empty(), "{text:?}: {diagnostics:?}");
        assert_eq!(fast, full, "for {text:?}");
        true
    }

    const ENTRY: &str = "[[entry]]\ntitle = \"T\"\nadded = 2020-01-01\n";

    #[test]
    fn the_usual_shape_is_read_fast_and_the_same() {
        let cases = [
            "",
            "\n\n# only a comment\n",
            "category = \"talks\"\n",
            ENTRY,
            "# c\r\ncategory = 'talks' # after\r\n\r\n[[entry]] # h\r\ntitle = 'T'\r\nadded = 2020-01-01\r\n",
            "  [[entry]]\n\ttitle=\"T\"\n  added\t=\t2020-02-29 # leap\nurl = \"https://e.org/\"",
            "[[entry]]\ntitle = \"q\\\" b\\\\ n\\n t\\t u\\u00e9 U\\U0001F600 x\\x41 e\\e b\\b f\\f r\\r\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"caf\u{e9} \u{65e5}\u{672c} 'single' # not a comment\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = ''\nadded = 2020-01-01\nby = []\nauthors = [ \"A\" , 'B' , ]\ntags=[\"x\",\"y\"]\n",
            "[[entry]]\ntitle = \"T\"\nadded = 2020-01-01\nid = \"i\"\nlanguage = \"en\"\nsummary = \"S\"\nupdated = 2021-12-31\ncategory = \"books\"\n",
            "[[update]]\ndate = 2020-01-01\nnote = \"N\"\nby = [\"@a\"]\n[[entry]]\ntitle = \"T\"\nadded = 2020-01-01\n[[update]]\nnote = \"M\"\ndate = 2021-01-01\n",
        ];
        for text in cases {
            assert!(taken(text), "not taken: {text:?}");
        }
        for date in [
            "0000-01-01",
            "9999-12-31",
            "2000-02-29",
            "2020-01-01 ",
            "2020-01-01\t#",
        ] {
            let text = format!("[[update]]\ndate = {date}\nnote = ''\n");
            assert!(taken(&text), "not taken: {text:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_full_parser() {
        let cases = [
            "category = \"a\"\ncategory = \"b\"\n",
            "other = \"a\"\n",
            "category = 1\n",
            "[[entry]]\ntitle = \"T\"\n",
            "[[update]]\ndate = 2020-01-01\n",
            "[[entry]]\n",
            "[[entry]]\ntitle = \"T\"\ntitle = \"U\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitel = \"T\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\"\nadded = \"2020-01-01\"\n",
            "[[entry]]\ntitle = 2020-01-01\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = [\"T\"]\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\"\nadded = 2020-01-01\ntags = \"x\"\n",
            "[[entry]]\ntitle = \"T\"\nadded = 2020-01-01T10:00:00Z\n",
            "[[entry]]\ntitle = \"T\"\nadded = 2020-01-01 10:00:00\n",
            "[[entry]]\ntitle = \"T\"\nadded = 2020-02-30\n",
            "[[entry]]\ntitle = \"\"\"T\"\"\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = '''T'''\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\\q\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\\uD800\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\\u00\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\u{7}\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\"\nadded = 2020-01-01\ntags = [\"a\",\n\"b\"]\n",
            "[[entry]]\ntitle = \"T\"\nadded = 2020-01-01\ntags = [,]\n",
            "[[entry]]\ntitle.x = \"T\"\nadded = 2020-01-01\n",
            "[[entry]]\n\"title\" = \"T\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = { a = 1 }\nadded = 2020-01-01\n",
            "[entry]\ntitle = \"T\"\nadded = 2020-01-01\n",
            "[[ entry ]]\ntitle = \"T\"\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\" x\nadded = 2020-01-01\n",
            "[[entry]]\ntitle = \"T\"\radded = 2020-01-01\n",
            "# bell \u{7}\n",
            "[[entry]]\ntitle = \"unterminated\nadded = 2020-01-01\n",
        ];
        for text in cases {
            assert!(!taken(text), "taken: {text:?}");
        }
        for date in [
            "2020-13-01",
            "2020-00-10",
            "2020-01-00",
            "2021-02-29",
            "2020-1-01",
            "2020-01-01x",
        ] {
            let text = format!("[[update]]\ndate = {date}\nnote = ''\n");
            assert!(!taken(&text), "taken: {text:?}");
        }
    }

    /// Every entries file under `dir` is read fast, and the same.
    fn all_taken(dir: &Path) {
        let mut files = Vec::new();
        super::super::collect_toml_files(dir, &mut files).expect("list entries");
        assert!(!files.is_empty(), "no entries files in {}", dir.display());
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read entries");
            assert!(taken(&text), "not taken: {}", path.display());
        }
    }

    #[test]
    fn the_example_catalogue_is_read_fast_and_the_same() {
        all_taken(&Path::new(env!("CARGO_MANIFEST_DIR")).join("entries"));
    }

    #[test]
    #[ignore = "needs target/bench/10000 (RUNS=1 NO_HUGO=1 bench/run 10000)"]
    fn the_benchmark_catalogue_is_read_fast_and_the_same() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        all_taken(&root.join("target/bench/10000/catalogue/entries"));
    }
}
