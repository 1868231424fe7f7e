//! One scan over the Markdown most summaries are made of (issue 5).
//! Twin: pulldown-cmark + ammonia, which what each [`Sink`] writes must
//! equal byte for byte; proved by the tests in `text.rs` and the site's
//! list writer, and the `summary_fast_path` (HTML, straight against
//! ammonia) and `summary_line` (the list's line) fuzz targets.
//!
//! It reads paragraphs of text, soft line breaks, `*emphasis*`,
//! `**strong**`, code spans, inline links and http(s) autolinks, and hands
//! them to a [`Sink`] (the summary's HTML in `summary_html.rs`, the
//! Markdown list's line in `site/`) exactly as pulldown-cmark parses them,
//! without building events. Anything else (HTML, images, backslash
//! escapes, entities, block syntax, `_` or nested emphasis, link titles,
//! tabs, Unicode spaces, hard breaks...) stops the scan with `None`, and
//! the caller parses.

/// What [`scan`] reads, in order. Text comes as written (not escaped).
pub(crate) trait Sink {
    /// Literal text; spaces (never other whitespace) included.
    fn text(&mut self, text: &str);
    /// `*inner*` (`marker` is `*`) or `**inner**` (`**`); `inner` is text
    /// that starts and ends with a letter or digit.
    fn emphasis(&mut self, marker: &str, inner: &str);
    /// A code span's content: no line break, no space at either end.
    fn code(&mut self, code: &str);
    /// `[text](dest)`: `text` is text with no space at either end, `dest`
    /// [`dest_char`]s only (nothing to escape or decode). `None` stops the
    /// scan.
    fn link(&mut self, text: &str, dest: &str) -> Option<()>;
    /// `<dest>`, `dest` an `http://` or `https://` URL of [`dest_char`]s.
    /// `None` stops the scan.
    fn autolink(&mut self, dest: &str) -> Option<()>;
    /// Between two lines of text: a soft break, or, when blank lines
    /// separate them, the end of a paragraph and the start of the next.
    fn line_break(&mut self, paragraph: bool);
}

/// Reads all of `markdown` into `sink`; `None` (with `sink` part-written)
/// as soon as something needs the parser. Blank lines before the first
/// line of text and after the last are skipped.
pub(crate) fn scan(markdown: &str, sink: &mut impl Sink) -> Option<()> {
    let mut scan = Scan {
        src: markdown,
        at: markdown.len() - markdown.trim_start_matches('\n').len(),
        sink,
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
        (first.is_alphanumeric() || matches!(first, '*' | '`' | '[')).then_some(())
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
                        self.sink.line_break(breaks > 1);
                    }
                    return Some(());
                }
                b'*' => self.emphasis()?,
                b'`' => self.code_span()?,
                b'[' => self.link()?,
                b'<' => self.angle()?,
                _ => self.plain()?,
            }
        }
        // Trailing spaces at the very end, likewise.
        (self.char_before(self.at) != Some(' ')).then_some(())
    }

    /// A run of plain text (spaces and literal characters).
    fn plain(&mut self) -> Option<()> {
        let start = self.at;
        let mut end = start;
        while let Some(byte) = self.byte(end) {
            let len = if byte.is_ascii() {
                let plain = ascii_class(byte) & INERT != 0
                    || byte == b' '
                    || self.literal(end, char::from(byte));
                usize::from(plain)
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
            // Not the start of an entity (`&amp;`, `&#38;`).
            '&' => !self
                .byte(at + 1)
                .is_some_and(|b| b == b'#' || b.is_ascii_alphanumeric()),
            '!' => self.byte(at + 1) != Some(b'['),
            '>' => true,
            _ => inert(c),
        }
    }

    /// `*em*` or `**strong**` around plain words: the opener follows a
    /// space, `(` or the line start and precedes a letter or digit, the
    /// closer follows a letter or digit and precedes a space, the line end
    /// or punctuation; so each run can only open, or only close.
    fn emphasis(&mut self) -> Option<()> {
        let rest = self.rest();
        let run = rest.len() - rest.trim_start_matches('*').len();
        let marker = rest.get(..run).filter(|_| run <= 2)?;
        let before = self.char_before(self.at);
        if !matches!(before, None | Some(' ' | '\n' | '(')) {
            return None;
        }
        let inner_and_after = rest.get(run..)?;
        let inner_len = inner_and_after.find(|c: char| !(c == ' ' || inert(c)))?;
        let inner = inner_and_after.get(..inner_len)?;
        let after_inner = inner_and_after.get(inner_len..)?;
        let starts = inner.chars().next().is_some_and(char::is_alphanumeric);
        let ends = inner.chars().next_back().is_some_and(char::is_alphanumeric);
        let closer = after_inner.strip_prefix(marker)?;
        let next = closer.chars().next();
        let closes = matches!(
            next,
            None | Some(' ' | '\n' | '.' | ',' | ';' | ':' | '?' | '!' | ')')
        );
        if !(starts && ends && closes) {
            return None;
        }
        self.sink.emphasis(marker, inner);
        self.at += run + inner_len + run;
        Some(())
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

    /// `[plain words](target)`.
    fn link(&mut self) -> Option<()> {
        let rest = self.rest().get(1..)?;
        let text_len = rest.find(|c: char| !(c == ' ' || inert(c)))?;
        let text = rest.get(..text_len)?;
        let after = rest.get(text_len..)?.strip_prefix("](")?;
        let dest_len = after.find(|c: char| !dest_char(c))?;
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
        let len = rest.find(|c: char| !dest_char(c))?;
        let dest = rest.get(..len)?;
        if !rest.get(len..)?.starts_with('>') {
            return None;
        }
        self.sink.autolink(dest)?;
        self.at += 1 + len + 1;
        Some(())
    }
}

/// Characters that are text wherever they stand: not markup (ASCII
/// punctuation the parser reads), not whitespace, not control.
fn inert(c: char) -> bool {
    match u8::try_from(c) {
        Ok(byte) if byte.is_ascii() => ascii_class(byte) & INERT != 0,
        _ => !(c.is_whitespace() || c.is_control()),
    }
}

/// Characters of a link target the scan accepts: no spaces, brackets,
/// quotes, escapes or entities, so the parser reads it verbatim, and
/// nothing pulldown-cmark percent-encodes or HTML escapes in an `href`.
pub(crate) fn dest_char(c: char) -> bool {
    u8::try_from(c).is_ok_and(|byte| ascii_class(byte) & DEST != 0)
}

/// [`inert`] ASCII.
const INERT: u8 = 1;
/// [`dest_char`]s.
const DEST: u8 = 2;

/// The classes of an ASCII byte (none for other bytes).
fn ascii_class(byte: u8) -> u8 {
    ASCII_CLASSES.get(usize::from(byte)).copied().unwrap_or(0)
}

const ASCII_CLASSES: [u8; 128] = ascii_classes();

const fn ascii_classes() -> [u8; 128] {
    let mut classes = [0; 128];
    let mut byte: u8 = 0;
    while byte < 128 {
        let alphanumeric = byte.is_ascii_alphanumeric();
        let inert = matches!(
            byte,
            b'"' | b'#'
                | b'$'
                | b'%'
                | b'\''
                | b'('
                | b')'
                | b'+'
                | b','
                | b'-'
                | b'.'
                | b'/'
                | b':'
                | b';'
                | b'='
                | b'?'
                | b'@'
                | b'^'
                | b'{'
                | b'|'
                | b'}'
        );
        let dest = matches!(
            byte,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b':'
                | b'/'
                | b'?'
                | b'#'
                | b'@'
                | b'!'
                | b'$'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'%'
        );
        let mut class = 0;
        if alphanumeric || inert {
            class |= INERT;
        }
        if alphanumeric || dest {
            class |= DEST;
        }
        classes[byte as usize] = class;
        byte += 1;
    }
    classes
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
        "_em_ __strong__",
        "a_ _b",
        "***both***",
        "*a **b** c*",
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
        "[parens](https://e.org/a(b)) <https://e.org/x_(y>",
        "x <mailto:a@b.org> <a@b.org>",
        "see <https://1.2.3.999/> <https:/:j>",
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
