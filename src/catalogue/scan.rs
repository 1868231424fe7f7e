//! One scan over the Markdown most summaries are made of (issue 5).
//! Twin: pulldown-cmark + ammonia, which what each [`Sink`] writes must
//! equal byte for byte; proved by the tests in `text.rs` and the site's
//! list writer, and the `summary_fast_path` (HTML, straight against
//! ammonia) and `summary_line` (the list's line) fuzz targets.
//!
//! It reads paragraphs of text, soft line breaks, `*emphasis*` and
//! `**strong**` (with the other kind nested one deep), code spans, inline
//! links and http(s) autolinks (their targets may hold characters past
//! ASCII), and a closing bullet list (after a blank line, `- ` and one
//! line an item, to the end of the text), and hands them to a [`Sink`]
//! (the summary's HTML in `summary_html.rs`, the Markdown list's line in
//! `site/`) exactly as pulldown-cmark parses them, without building
//! events. Anything else (HTML, images, backslash escapes, entities, block
//! syntax, `_` emphasis nested or holding `*`, link titles, tabs, Unicode
//! spaces, hard breaks...) stops the scan with `None`, and the caller
//! parses.

mod chars;

pub(crate) use self::chars::target_byte;
use self::chars::{closes, entity_like, inert, inert_len, inert_run, target_len};

/// What [`scan`] reads, in order. Text comes as written (not escaped).
pub(crate) trait Sink {
    /// Literal text; spaces (never other whitespace) included.
    fn text(&mut self, text: &str);
    /// The opening (`opening`) or closing `*` or `_` of emphasis, `**`
    /// or `__` of `strong` emphasis. Text between them starts and ends
    /// with a letter or digit; emphasis of the other kind may nest in it.
    fn emphasis(&mut self, strong: bool, opening: bool);
    /// A code span's content: no line break, no space at either end.
    fn code(&mut self, code: &str);
    /// `[text](dest)`: `text` is text with no space at either end, `dest`
    /// [`target_byte`]s and characters past ASCII (no whitespace or
    /// control), parentheses balanced, no entity (nothing to decode; an
    /// `href` percent-encodes the characters past ASCII). `None` stops
    /// the scan.
    fn link(&mut self, text: &str, dest: &str) -> Option<()>;
    /// `<dest>`, `dest` an `http://` or `https://` URL of the same
    /// characters as a link's. `None` stops the scan.
    fn autolink(&mut self, dest: &str) -> Option<()>;
    /// Between two lines of text: a soft break, or, when blank lines
    /// separate them, the end of a paragraph and the start of the next.
    fn line_break(&mut self, paragraph: bool);
    /// The start of a bullet list's item: the `first`, which ends the
    /// paragraph before it, or the next, which ends the one before. The
    /// list ends the text: nothing follows its last item.
    fn list_item(&mut self, first: bool);
}

/// Reads all of `markdown` into `sink`; `None` (with `sink` part-written)
/// as soon as something needs the parser. Blank lines before the first
/// line of text and after the last are skipped.
pub(crate) fn scan(markdown: &str, sink: &mut impl Sink) -> Option<()> {
    let mut scan = Scan {
        src: markdown,
        at: markdown.len() - markdown.trim_start_matches('\n').len(),
        sink,
        in_list: false,
    };
    while scan.at < markdown.len() {
        scan.line_start()?;
        scan.rest_of_line()?;
    }
    Some(())
}

struct Scan<'s, 'k, K> {
    src: &'s str,
    at: usize,
    sink: &'k mut K,
    /// Inside the closing bullet list.
    in_list: bool,
}

impl<'s, K: Sink> Scan<'s, '_, K> {
    fn rest(&self) -> &'s str {
        self.src.get(self.at..).unwrap_or_default()
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    /// The character before byte `at`, `None` at the start.
    fn char_before(&self, at: usize) -> Option<char> {
        self.src.get(..at)?.chars().next_back()
    }

    /// A line may only start with what cannot open a block: a letter or
    /// digit (but no `1.` / `1)` list marker), `*` (checked as emphasis),
    /// a code span or a link.
    fn line_start(&self) -> Option<()> {
        let rest = self.rest();
        let first = rest.chars().next()?;
        if first.is_ascii_digit() {
            let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            if after.starts_with(['.', ')']) {
                return None;
            }
        }
        (first.is_alphanumeric() || matches!(first, '*' | '_' | '`' | '[')).then_some(())
    }

    /// Everything up to the next line of text.
    fn rest_of_line(&mut self) -> Option<()> {
        while let Some(byte) = self.byte(self.at) {
            match byte {
                b'\n' => {
                    // Trailing spaces could make a hard break: leave them to the parser.
                    if self.char_before(self.at) == Some(' ') {
                        return None;
                    }
                    let rest = self.rest();
                    let breaks = rest.len() - rest.trim_start_matches('\n').len();
                    self.at += breaks;
                    if self.at < self.src.len() {
                        self.next_line(breaks > 1)?;
                    }
                    return Some(());
                }
                b'*' => self.emphasis()?,
                b'_' if !self.literal(self.at, '_') => self.emphasis()?,
                b'`' => self.code_span()?,
                b'[' => self.link()?,
                b'<' => self.angle()?,
                _ => self.plain()?,
            }
        }
        // Trailing spaces at the very end, likewise.
        (self.char_before(self.at) != Some(' ')).then_some(())
    }

    /// Between two lines (after a blank line: `paragraph`), a line break
    /// or a list item's `- `, passed. A list starts after a blank line and
    /// has no blank line between its items (else it would be loose, its
    /// items paragraphs), and every line after its start is an item's;
    /// anything else is left to the parser.
    fn next_line(&mut self, paragraph: bool) -> Option<()> {
        let item = self.rest().starts_with("- ");
        match (item, self.in_list, paragraph) {
            (false, false, _) => self.sink.line_break(paragraph),
            (true, false, true) => self.sink.list_item(true),
            (true, true, false) => self.sink.list_item(false),
            _ => return None,
        }
        if item {
            self.in_list = true;
            self.at += "- ".len();
        }
        // An item has text (`line_start` checks how it starts).
        (self.at < self.src.len()).then_some(())
    }

    /// A run of plain text (spaces and literal characters).
    fn plain(&mut self) -> Option<()> {
        let start = self.at;
        let mut end = start;
        loop {
            // Most bytes, past ASCII too, are inert whatever surrounds them.
            end += inert_run(self.src.as_bytes().get(end..)?);
            let Some(byte) = self.byte(end) else {
                break;
            };
            let len = if byte.is_ascii() {
                usize::from(self.literal(end, char::from(byte)))
            } else {
                let c = self.src.get(end..)?.chars().next()?;
                if self.literal(end, c) {
                    c.len_utf8()
                } else {
                    0
                }
            };
            if len == 0 {
                break;
            }
            end += len;
        }
        if end == start {
            return None;
        }
        self.sink.text(self.src.get(start..end)?);
        self.at = end;
        Some(())
    }

    /// Whether `c` at byte `at` is literal text that the parser passes on
    /// as it is, whatever is around it.
    fn literal(&self, at: usize, c: char) -> bool {
        match c {
            '_' => {
                // Only inside a word: such a `_` can neither open nor close.
                let before = self
                    .char_before(at)
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                let after = self.byte(at + 1).is_some_and(|b| b.is_ascii_alphanumeric());
                before && after
            }
            // Not the start of an entity (`&amp;`, `&#38;`): `R&D`, `AT&T` are text.
            '&' => !entity_like(self.src.get(at + 1..).unwrap_or_default()),
            '!' => self.byte(at + 1) != Some(b'['),
            '>' => true,
            _ => inert(c),
        }
    }

    /// `*em*` or `**strong**` (or `_em_`, `__strong__`) around plain
    /// words: the opener follows a space, `(` or the line start and
    /// precedes a letter or digit, the closer follows a letter or digit and
    /// precedes a space, the line end or punctuation; so each run can only
    /// open, or only close, with `_` as with `*` (the opener is never
    /// right-flanking, the closer never left-flanking). With `*`, the
    /// words may hold the other kind, one deep (`*a **b** c*`, `**a *b*
    /// c**`), opened after a space and closed before a space or
    /// punctuation: each run still only opens or only closes, and each
    /// closer meets its own opener first.
    fn emphasis(&mut self) -> Option<()> {
        let rest = self.rest();
        let delimiter = rest.chars().next()?;
        let run = rest.len() - rest.trim_start_matches(delimiter).len();
        if run > 2 || !matches!(self.char_before(self.at), None | Some(' ' | '\n' | '(')) {
            return None;
        }
        let strong = run == 2;
        // The length of the nested kind's runs: the other one.
        let nested = (delimiter == '*').then_some(3 - run);
        self.at += run;
        self.starts_word()?;
        self.sink.emphasis(strong, true);
        loop {
            let words = self.words();
            let rest = self.rest();
            let found = rest.len() - rest.trim_start_matches(delimiter).len();
            let after = rest.get(found..)?.chars().next();
            let ends_word = words.chars().next_back().is_some_and(char::is_alphanumeric);
            if found == run
                && ends_word
                && (after.is_none() || after == Some('\n') || closes(after))
            {
                self.sink.emphasis(strong, false);
                self.at += run;
                return Some(());
            }
            if Some(found) != nested || !words.ends_with(' ') {
                return None;
            }
            self.at += found;
            self.starts_word()?;
            self.sink.emphasis(!strong, true);
            let inner = self.words();
            let rest = self.rest();
            let closer = rest.len() - rest.trim_start_matches(delimiter).len();
            let after = rest.get(closer..)?.chars().next();
            if closer != found || !inner.ends_with(char::is_alphanumeric) || !closes(after) {
                return None;
            }
            self.sink.emphasis(!strong, false);
            self.at += closer;
        }
    }

    /// `Some` when a letter or digit comes next.
    fn starts_word(&self) -> Option<()> {
        self.rest()
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
            .then_some(())
    }

    /// The run of spaces and [`inert`] characters from here, handed to the
    /// sink as text and passed.
    fn words(&mut self) -> &'s str {
        let rest = self.rest();
        let len = inert_len(rest);
        let words = rest.get(..len).unwrap_or_default();
        if !words.is_empty() {
            self.sink.text(words);
        }
        self.at += len;
        words
    }

    /// `` `code` ``: one backtick each side, no line break, no space at
    /// either end (which the parser would strip).
    fn code_span(&mut self) -> Option<()> {
        let rest = self.rest().get(1..)?;
        let len = rest.find(['`', '\n'])?;
        let code = rest.get(..len)?;
        let after = rest.get(len..)?;
        let ok = after.starts_with('`')
            && !after.get(1..)?.starts_with('`')
            && !code.is_empty()
            && !code.starts_with(' ')
            && !code.ends_with(' ')
            && code
                .chars()
                .all(|c| c == ' ' || !(c.is_whitespace() || c.is_control()));
        if !ok {
            return None;
        }
        self.sink.code(code);
        self.at += 1 + len + 1;
        Some(())
    }

    /// `[plain words](target)`, the target's parentheses balanced.
    fn link(&mut self) -> Option<()> {
        let rest = self.rest().get(1..)?;
        let text_len = inert_len(rest);
        let text = rest.get(..text_len)?;
        let after = rest.get(text_len..)?.strip_prefix("](")?;
        let dest_len = target_len(after, true)?;
        let dest = after.get(..dest_len)?;
        let ok = after.get(dest_len..)?.starts_with(')')
            && !dest.is_empty()
            && !text.is_empty()
            && !text.starts_with(' ')
            && !text.ends_with(' ');
        if !ok {
            return None;
        }
        self.sink.link(text, dest)?;
        self.at += 1 + text_len + 2 + dest_len + 1;
        Some(())
    }

    /// `< ` (a literal `<`) or an `<http(s)://…>` autolink.
    fn angle(&mut self) -> Option<()> {
        let rest = self.rest().get(1..)?;
        if rest.starts_with(' ') {
            self.sink.text("<");
            self.at += 1;
            return Some(());
        }
        if !(rest.starts_with("https://") || rest.starts_with("http://")) {
            return None;
        }
        let len = target_len(rest, false)?;
        let dest = rest.get(..len)?;
        if !rest.get(len..)?.starts_with('>') {
            return None;
        }
        self.sink.autolink(dest)?;
        self.at += 1 + len + 1;
        Some(())
    }
}

/// Markdown for the tests of every [`Sink`]: what the scan reads, what it
/// leaves to the parser.
#[cfg(test)]
pub(crate) mod samples {
    /// Read whole; every link has a web target.
    pub(crate) const SCANNED: &[&str] = &[
        "",
        "\n\n",
        "plain words",
        "A **Überblick** take on *developer* by [façade](https://example.com/people/649) with `code` & notes.\n\nSee also [the façade notes](notes/articles-3.html) and <https://example.net/3>.",
        "snake_case and a_b_c, 5 > 3, delivery < platform, Tom & Jerry, & &; &. x&",
        "\none\ntwo\n\n\nthree\n\n",
        "*em* **strong** (*paren*) *a b*, **c d**; *e*: *f*? *g*! *h*)",
        "*a **b** c* **d *e* f** (*g **h**, i*) *j **k**. **l** m*!",
        "`co*de` `<b>` `a  b` `&amp;` `\\` `[x](y)` `_z_` `\"q\"`",
        "[rel](more.html) [deep](a/b/c-d_e.f~g/) [abs](https://e.org/a?b=1#f)",
        "[http](http://e.org) [host only](https://e.org) [q](https://e.org?x=1)",
        "[mail](mailto:a@b.org) [up](../x) [dot](./x) [root](/y) [q](?x) [f](#f)",
        "[scheme-relative](//e.org/x) [upper](https://E.ORG/x) [num](https://1.2.3.4/)",
        "[underscore](https://exa_mple.org/) [port](https://e.org:8080/) [user](https://u@e.org/)",
        "see <https://e.org/a> <http://e.org> <https://e.org?q=1#f>",
        "2021 was 1.5 times better; 10) not a list mid-line",
        "Ελληνικά 日本語 «quotes» — dash… “curly” café \"straight\" 'single'",
        "line with # hash and - dash + plus = equals > gt | pipe",
        "[a (b) c](x.html) [x](y_z.html) [t](https://e.org/~u/a+b,c;d=e%20f!g$h@i:j)",
        "wow! [x](y) and  two  spaces",
        "[é](https://e.org/café-1#sección) <https://e.org/日本語_(x)> [r](notes/ü.html?q=ß) [i](https://e.org/İ\u{301})",
        "[parens](https://e.org/a(b)) <https://e.org/x_(y> [w](https://e.org/wiki/A_(b)_c#(d)) [r](a/(b).html?c=(d)#(e)) [e](())",
        "R&D, AT&T, Q&A, P&L & &c and &#; &x y&",
        "[q](https://e.org/p?a=1&b=2#f) <https://e.org/?x=1&y=2> [r](n/a.html?x&y#z)",
        "_em_ __strong__ (_paren_) _a b_, __c d__; snake_case _e_. _f_!",
        "_lead_ word\n__strong__ start",
        "Notes:\n\n- one item\n- two *em* with [a link](https://e.org/x) and `code`\n- **three**\n",
        "A *b*.\nC:\n\n\n- [x](y.html) <https://e.org/z>\n- _u_ v\n\n",
    ];

    /// Read whole, with links that have no web target: a sink may take
    /// them (the list writes their text) or not (HTML has no `href`).
    /// `https:/:j` resolves against a base but does not parse alone (found
    /// by fuzzing).
    pub(crate) const NO_WEB_TARGET: &[&str] = &[
        "[js](javascript:alert) [data](data:text/html,x)",
        "[bad ip](https://1.2.3.999/)",
        "[t](https:/:j)",
    ];

    /// Left to the parser.
    pub(crate) const REFUSED: &[&str] = &[
        "<b>raw</b>",
        "x <script>alert(1)</script>",
        "![img](a.png)",
        "wow![x](y)",
        "# heading",
        "- item",
        "a\n- item",
        "a\n\n- one\n\n- loose",
        "a\n\n- one\nlazy",
        "a\n\n- one\n  more",
        "a\n\n- one\n\nafter",
        "a\n\n-  two spaces",
        "a\n\n-tight",
        "a\n\n- - nested",
        "a\n\n- one\n  - nested",
        "a\n\n- * x",
        "a\n\n- 1. x",
        "a\n\n- # h",
        "a\n\n- ",
        "a\n\n* star",
        "* item",
        "+ item",
        "1. one",
        "2) two",
        "> quote",
        "    code",
        " leading space",
        "line  \nbreak",
        "trailing space ",
        "back\\slash",
        "&amp; &#38; &copy",
        "[q](https://e.org/?a=1&amp;b=2)",
        "<https://e.org/?a&#38;b>",
        "x &copy; y",
        "x &#x26; y",
        "Q&A; P&L",
        "_a*_ __a_ _*a*_ *a_",
        "a_b_ c",
        "_a_b",
        "___a___",
        "__a__b",
        "word_em_ x",
        "a_ _b",
        "***both***",
        "*a **b***",
        "***a** b*",
        "*a **b**c*",
        "*a**b** c*",
        "*a *b* c*",
        "**a **b** c**",
        "_a **b** c_",
        "*a __b__ c*",
        "*a **b c*",
        "*a **b** c",
        "*a ** b** c*",
        "*a **b ** c*",
        "*a **b**\nc*",
        "*a `b` c*",
        "*a **b**)*",
        "**a *b***",
        "*unclosed",
        "word*em*",
        "*em*word",
        "* em*",
        "`` double ``",
        "`unclosed",
        "` spaced `",
        "~~strike~~",
        "[ref] [x]: y",
        "[t](https://e.org \"title\")",
        "[sp](<a b.html>)",
        "[a *b*](c)",
        "[](empty.html)",
        "[unbalanced](https://e.org/a(b) x",
        "[unclosed](b(c)",
        "[deep](a(1(2(3(4(5(6(7(8(9)))))))))) x",
        "x <mailto:a@b.org> <a@b.org>",
        "see <https://1.2.3.999/> <https:/:j>",
        "[nbsp](https://e.org/a\u{a0}b) <https://e.org/a\u{3000}b> [ls](https://e.org/\u{2028})",
        "a <",
        "tab\there",
        "nbsp\u{a0}here",
        "crlf\r\nline",
        "Title\n===",
        "Title\n---",
        "a | b\n--|--\n1 | 2",
        "```\ncode\n```",
    ];

    /// The summaries and update notes of the example catalogue.
    pub(crate) fn example() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = crate::catalogue::load(root).unwrap().catalogue;
        let summaries = catalogue.entries.iter().filter_map(|e| e.summary.as_ref());
        let notes = catalogue.updates.iter().map(|u| &u.note);
        summaries.chain(notes).map(|t| t.markdown.clone()).collect()
    }
}
