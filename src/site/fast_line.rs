//! A fast path for [`super::inline::safe_line`] (issue 5). Summaries made
//! only of lines of text, `*emphasis*`, `**strong**`, `code` spans, inline
//! links and http(s) autolinks become their safe line in one scan, without
//! pulldown-cmark, exactly as the parser path writes them. Anything else
//! (HTML, images, backslash escapes, entities, block syntax, `_` or nested
//! emphasis, link titles, tabs, Unicode spaces...) gives `None`, and the
//! caller parses. The `summary_line` fuzz target checks the two agree.

use std::collections::HashMap;

use url::Url;

use super::inline::web_target;
use super::list::{push_escaped, push_url_escaped};

/// Appends `markdown` as one safe line, whitespace already collapsed
/// (possibly nothing), to `out`; `None`, with `out` as it was, when only
/// the parser can tell.
pub(super) fn push_safe_line(
    out: &mut String,
    markdown: &str,
    targets: &mut Targets<'_>,
) -> Option<()> {
    let start = out.len();
    let mut scan = Scan {
        src: markdown,
        at: 0,
        line: Line {
            out,
            start,
            space: false,
        },
    };
    let mut scanned = Some(());
    while scanned.is_some() && scan.at < markdown.len() {
        scanned = scan.line_start().and_then(|()| scan.rest_of_line(targets));
    }
    if scanned.is_none() {
        scan.line.out.truncate(start);
    }
    scanned
}

/// The output line, from byte `start` of `out`: whitespace is held back
/// and written as one space before the next visible character, as
/// `split_whitespace` + `join` would.
struct Line<'o> {
    out: &'o mut String,
    start: usize,
    space: bool,
}

impl Line<'_> {
    /// Markup with no whitespace in it.
    fn raw(&mut self, markup: &str) {
        if self.space && self.out.len() > self.start {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push_str(markup);
    }

    /// Text (spaces allowed), escaped as the parser path escapes text.
    /// Escaping goes character by character with the one before, and an
    /// entity name holds no space, so a run of words escapes as its words.
    fn text(&mut self, text: &str) {
        let body = text.trim_start_matches(' ');
        self.space |= body.len() < text.len();
        let words = body.trim_end_matches(' ');
        if !words.is_empty() {
            let prev = if self.space {
                Some(' ')
            } else {
                self.out
                    .get(self.start..)
                    .and_then(|line| line.chars().next_back())
            };
            self.raw("");
            if words.as_bytes().windows(2).any(|pair| pair == b"  ") {
                // Collapse runs of spaces word by word.
                for (index, word) in words.split(' ').filter(|w| !w.is_empty()).enumerate() {
                    if index > 0 {
                        self.out.push(' ');
                    }
                    push_escaped(self.out, if index > 0 { Some(' ') } else { prev }, word);
                }
            } else {
                push_escaped(self.out, prev, words);
            }
        }
        self.space |= words.len() < body.len();
    }

    /// Code span content (no backticks), its spaces collapsed.
    fn code(&mut self, code: &str) {
        self.raw("`");
        for (index, word) in code.split(' ').filter(|w| !w.is_empty()).enumerate() {
            if index > 0 {
                self.out.push(' ');
            }
            self.out.push_str(word);
        }
        self.out.push('`');
    }
}

struct Scan<'s, 'o> {
    src: &'s str,
    at: usize,
    line: Line<'o>,
}

impl<'s> Scan<'s, '_> {
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
    /// a code span or a link. Blank lines end paragraphs (a space).
    fn line_start(&mut self) -> Option<()> {
        while self.byte(self.at) == Some(b'\n') {
            self.line.space = true;
            self.at += 1;
        }
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return Some(());
        };
        if first.is_ascii_digit() {
            let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            if after.starts_with(['.', ')']) {
                return None;
            }
        }
        (first.is_alphanumeric() || matches!(first, '*' | '`' | '[')).then_some(())
    }

    /// Everything up to and including the next line break.
    fn rest_of_line(&mut self, targets: &mut Targets<'_>) -> Option<()> {
        while let Some(byte) = self.byte(self.at) {
            match byte {
                b'\n' => {
                    // Trailing spaces could make a hard break: leave them to the parser.
                    if self.char_before(self.at) == Some(' ') {
                        return None;
                    }
                    self.line.space = true;
                    self.at += 1;
                    return Some(());
                }
                b'*' => self.emphasis()?,
                b'`' => self.code_span()?,
                b'[' => self.link(targets)?,
                b'<' => self.angle(targets)?,
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
        self.line.text(self.src.get(start..end)?);
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
        self.line.raw(marker);
        self.line.text(inner);
        self.line.raw(marker);
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
        self.line.code(code);
        self.at += 1 + len + 1;
        Some(())
    }

    /// `[plain words](target)`, written as the parser path writes it: a
    /// link to a web target, or its bare text.
    fn link(&mut self, targets: &mut Targets<'_>) -> Option<()> {
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
        match targets.resolve(dest) {
            Some(target) => {
                self.line.raw("[");
                self.line.text(text);
                self.line.raw("](");
                push_url_escaped(self.line.out, target);
                self.line.raw(")");
            }
            None => self.line.text(text),
        }
        self.at += 1 + text_len + 2 + dest_len + 1;
        Some(())
    }

    /// `< ` (a literal `<`) or an `<http(s)://…>` autolink to a web target.
    fn angle(&mut self, targets: &mut Targets<'_>) -> Option<()> {
        let rest = self.rest().get(1..)?;
        if rest.starts_with(' ') {
            self.line.text("<");
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
        targets.resolve(dest)?;
        self.line.raw("<");
        self.line.raw(dest);
        self.line.raw(">");
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

/// Characters of a link target the fast path accepts: no spaces, brackets,
/// quotes, escapes or entities, so the parser reads it verbatim.
fn dest_char(c: char) -> bool {
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

/// Link targets as [`web_target`] makes them, with shortcuts for the two
/// common shapes: `http(s)://host/…` (valid exactly when the host is, which
/// is looked up once per host) and a plain relative path (the base's folder
/// followed by the path).
pub(super) struct Targets<'b> {
    base: &'b Url,
    /// `base` up to its last `/`, when it is an http(s) URL without query
    /// or fragment: then a plain relative path joins by concatenation.
    folder: Option<&'b str>,
    /// Whether `https://host/` parses, by host.
    hosts: HashMap<String, bool, foldhash::fast::RandomState>,
    /// The last target made here.
    made: String,
}

impl<'b> Targets<'b> {
    pub(super) fn new(base: &'b Url) -> Self {
        let plain = matches!(base.scheme(), "http" | "https")
            && base.query().is_none()
            && base.fragment().is_none()
            && !base.cannot_be_a_base();
        let folder = plain
            .then(|| base.as_str().rfind('/'))
            .flatten()
            .and_then(|slash| base.as_str().get(..=slash));
        Self {
            base,
            folder,
            hosts: HashMap::default(),
            made: String::new(),
        }
    }

    pub(super) fn base(&self) -> &'b Url {
        self.base
    }

    /// What [`web_target`] gives for `dest`.
    #[cfg(test)]
    pub(super) fn target(&mut self, dest: &str) -> Option<String> {
        self.resolve(dest).map(str::to_owned)
    }

    /// What [`web_target`] gives for `dest`, borrowed: `dest` itself, or
    /// the target last made here.
    fn resolve<'d>(&'d mut self, dest: &'d str) -> Option<&'d str> {
        if let Some(host) = simple_host(dest) {
            let valid = match self.hosts.get(host) {
                Some(&valid) => valid,
                None => {
                    let valid = Url::parse(&format!("https://{host}/")).is_ok();
                    self.hosts.insert(host.to_owned(), valid);
                    valid
                }
            };
            return valid.then_some(dest);
        }
        self.made.clear();
        match self.folder.filter(|_| plain_relative(dest)) {
            Some(folder) => {
                self.made.push_str(folder);
                self.made.push_str(dest);
            }
            None => self.made.push_str(&web_target(dest, self.base)?),
        }
        Some(&self.made)
    }
}

/// The host of `http(s)://host[/?#…]` when the host is lowercase ASCII
/// letters, digits, `.` and `-` and the rest only [`dest_char`]s: such a
/// URL parses exactly when `https://host/` does (no port, no user, and
/// paths, queries and fragments never fail), with or without a base.
fn simple_host(dest: &str) -> Option<&str> {
    let rest = dest
        .strip_prefix("https://")
        .or_else(|| dest.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest.get(..end)?;
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'));
    (host_ok && dest.chars().all(dest_char)).then_some(host)
}

/// A relative path of letters, digits and `-._~/` that starts with a
/// letter or digit and has no `.` or `..` segment: it has no scheme, and
/// joins onto a base without resolving or encoding anything.
fn plain_relative(dest: &str) -> bool {
    let chars_ok = dest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/'));
    let starts_ok = dest
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    chars_ok && starts_ok && !dest.split('/').any(|segment| matches!(segment, "." | ".."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.org/list/").unwrap()
    }

    /// Whether the fast path took `markdown`; when it did, its line must
    /// be the parser path's.
    fn same_as_parser(markdown: &str) -> bool {
        let (fast, parsed) = super::super::inline::fast_and_parsed(markdown, &base());
        if let Some(fast) = &fast {
            assert_eq!(fast, &parsed, "for {markdown:?}");
        }
        fast.is_some()
    }

    #[test]
    fn the_fast_path_writes_what_the_parser_path_writes() {
        let taken = [
            "",
            "\n\n",
            "plain words",
            "A **Zürich** take on *façade* by [path](https://example.com/people/55) with `code` & notes.\n\nSee also [the path notes](notes/talks-4.html) and <https://example.net/4>.",
            "snake_case and a_b_c, 5 > 3, delivery < platform, Tom & Jerry, & &; &. x&",
            "one\ntwo\n\n\nthree\n",
            "*em* **strong** (*paren*) *a b*, **c d**; *e*: *f*? *g*! *h*)",
            "`co*de` `<b>` `a  b` `&amp;` `\\` `[x](y)` `_z_`",
            "[rel](more.html) [deep](a/b/c-d_e.f~g/) [abs](https://e.org/a?b=1#f)",
            "[http](http://e.org) [host only](https://e.org) [q](https://e.org?x=1)",
            "[js](javascript:alert) [data](data:text/html,x) [mail](mailto:a@b.org)",
            "[up](../x) [dot](./x) [root](/y) [scheme-relative](//e.org/x) [q](?x) [f](#f)",
            "[bad host](https://exa_mple.org/) [port](https://e.org:8080/) [user](https://u@e.org/)",
            "[upper](https://E.ORG/x) [num](https://1.2.3.4/) [bad ip](https://1.2.3.999/)",
            "see <https://e.org/a> <http://e.org> <https://e.org?q=1#f>",
            "2021 was 1.5 times better; 10) not a list mid-line",
            "Ελληνικά 日本語 «quotes» — dash… “curly” café",
            "line with # hash and - dash + plus = equals > gt",
            "[a (b) c](x.html) [x](y_z.html) [t](https://e.org/~u/a+b,c;d=e%20f!g$h@i:j)",
        ];
        for markdown in taken {
            assert!(
                same_as_parser(markdown),
                "fast path not taken for {markdown:?}"
            );
        }
        let parsed_only = [
            "<b>raw</b>",
            "x <script>alert(1)</script>",
            "![img](a.png)",
            "# heading",
            "- item",
            "* item",
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
            "x <mailto:a@b.org> <a@b.org>",
            "tab\there",
            "nbsp\u{a0}here",
            "crlf\r\nline",
            "Title\n===",
            "Title\n---",
            "a <",
            "wow![x](y)",
            "[parens](https://e.org/a(b)) <https://e.org/x_(y>",
            "see <https://1.2.3.999/>",
        ];
        for markdown in parsed_only {
            assert!(
                !same_as_parser(markdown),
                "fast path taken for {markdown:?}"
            );
        }
    }

    #[test]
    fn targets_are_the_web_targets() {
        let bases = [
            "https://example.org/list/",
            "https://example.org/list",
            "http://example.org",
            "https://u:p@example.org:8443/a/b/",
        ];
        let dests = [
            "https://example.com/people/275",
            "http://e.org",
            "https://e.org?q#f",
            "https://exa_mple.org/",
            "https://1.2.3.999/",
            "https://xn--nxasmq6b.com/",
            "https://xn--a.com/",
            "https://a..b/",
            "https://-a-.b/",
            "https://0x1f/",
            "https://e.org:99999/",
            "notes/talks-4.html",
            "a//b",
            "a/./b",
            "a/../b",
            ".hidden",
            "../x",
            "/root",
            "//e.org/x",
            "?q",
            "#f",
            "javascript:alert(1)",
            "mailto:a@b.org",
            "https:relative",
            "https:",
            "C:/x",
        ];
        for base in bases {
            let base = Url::parse(base).unwrap();
            let mut targets = Targets::new(&base);
            for dest in dests {
                // Twice: the second answer comes from the cache.
                for _ in 0..2 {
                    assert_eq!(
                        targets.target(dest),
                        web_target(dest, &base),
                        "{dest:?} on {base}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_example_catalogue_takes_the_fast_path() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = crate::catalogue::load(root).unwrap().catalogue;
        let summaries = catalogue.entries.iter().filter_map(|e| e.summary.as_ref());
        let notes = catalogue.updates.iter().map(|u| &u.note);
        let taken = summaries
            .chain(notes)
            .filter(|text| same_as_parser(&text.markdown))
            .count();
        assert!(taken > 10, "only {taken} summaries took the fast path");
    }
}
