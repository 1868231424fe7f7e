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

mod cursor;
mod drafts;

use self::cursor::Cursor;
use self::drafts::{EntryDraft, UpdateDraft, set};
use super::EntriesFile;

/// Reads `text` when it has the usual shape; `None` sends the caller to
/// the full parser.
pub(super) fn read(text: &str) -> Option<EntriesFile> {
    let mut cursor = Cursor { text, pos: 0 };
    let mut file = EntriesFile::default();
    // Sized once: an entry is large, and doubling would copy each file's
    // entries about twice into fresh memory.
    file.entries
        .reserve_exact(memchr::memmem::find_iter(text.as_bytes(), b"[[entry]]").count());
    let mut table = Table::Top;
    loop {
        cursor.skip_whitespace();
        match cursor.peek() {
            None => break,
            Some(b'[') => {
                table.finish(&mut file)?;
                table = Table::header(&mut cursor)?;
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
    /// `[[entry]]` or `[[update]]`, nothing else.
    fn header(cursor: &mut Cursor<'_>) -> Option<Self> {
        if cursor.skip("[[entry]]") {
            Some(Self::Entry(Box::default()))
        } else if cursor.skip("[[update]]") {
            Some(Self::Update(UpdateDraft::default()))
        } else {
            None
        }
    }

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

    #[test]
    fn controls_anywhere_in_a_long_string_are_left_to_the_full_parser() {
        for byte in [0x00_u8, 0x01, 0x08, 0x09, 0x0b, 0x1f, 0x7f] {
            for at in 0..20 {
                let mut title: Vec<u8> = b"a long enough title, caf\xc3\xa9".to_vec();
                title.insert(at, byte);
                let title = String::from_utf8(title).unwrap_or_default();
                for quote in ['"', '\''] {
                    let text =
                        format!("[[entry]]\ntitle = {quote}{title}{quote}\nadded = 2020-01-01\n");
                    // Tab is the one control TOML strings may hold.
                    assert_eq!(taken(&text), byte == b'\t', "{text:?}");
                }
            }
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
