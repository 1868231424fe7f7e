//! A catalogue summary or note as one line of safe Markdown for the list:
//! inline formatting and web links survive; raw HTML, images and links
//! with other schemes (`javascript:`, `data:`) do not, so a viewer that
//! renders the list (GitHub, an editor) runs nothing.
//!
//! Two ways to the same line: the one-scan reader (`catalogue/scan.rs`:
//! lines of text, `*emphasis*` and `**strong**` nested one deep, code
//! spans, inline links and http(s) autolinks) writes it without
//! pulldown-cmark (issue 5); anything else is parsed, and the parser's
//! line is the reference. The scan must
//! equal the parser wherever it answers: the `summary_line` fuzz target
//! and `the_fast_path_writes_what_the_parser_path_writes` below prove it.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use url::Url;

use super::escape::{push_escaped, push_url_escaped};
use crate::catalogue::scan::{Sink, scan};
use crate::catalogue::targets::Targets;
use crate::catalogue::{Catalogue, Entry};

/// `markdown` as one line of safe inline Markdown; relative links resolve
/// against `base`. `None` when nothing is left.
pub(super) fn safe_line(markdown: &str, base: &Url) -> Option<String> {
    let mut line = String::with_capacity(markdown.len());
    push_safe_line(&mut line, markdown, &mut Targets::new(base));
    (!line.is_empty()).then_some(line)
}

/// [`safe_line`] for many summaries of one catalogue, appended to `out`
/// (nothing when nothing is left); `targets` remembers what it learnt
/// about link targets. Summaries of plain words, emphasis, code and links
/// are scanned ([`push_scanned_line`]); the rest are parsed.
pub(super) fn push_safe_line(out: &mut String, markdown: &str, targets: &mut Targets<'_>) {
    if push_scanned_line(out, markdown, targets).is_none()
        && let Some(line) = parsed_line(markdown, targets)
    {
        out.push_str(&line);
    }
}

/// Both ways to the safe line of `markdown`: the scan's (`None` when it
/// leaves the summary to the parser) and the parser's. For the
/// differential fuzz target (`fuzz/`), which checks that they never differ.
#[doc(hidden)]
pub fn fast_and_parsed(markdown: &str, base: &Url) -> (Option<Option<String>>, Option<String>) {
    let mut line = String::new();
    let fast = push_scanned_line(&mut line, markdown, &mut Targets::new(base));
    let fast = fast.map(|()| (!line.is_empty()).then_some(line));
    (fast, parsed_line(markdown, &mut Targets::new(base)))
}

/// The safe line by pulldown-cmark's events: the reference. Link targets
/// are web targets (`targets.rs`), as `targets` makes them.
fn parsed_line(markdown: &str, targets: &mut Targets<'_>) -> Option<String> {
    let mut out = String::with_capacity(markdown.len());
    let mut links: Vec<Option<String>> = Vec::new();
    // Inside an image (dropped) or a kept autolink (written whole at its start).
    let mut skipping = 0usize;
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Image { .. }) => skipping += 1,
            Event::End(TagEnd::Image) => skipping = skipping.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url,
                ..
            }) if targets.resolve(&dest_url).is_some() => {
                out.push_str(&format!("<{dest_url}>"));
                links.push(None);
                skipping += 1;
            }
            Event::End(TagEnd::Link) if skipping > 0 => {
                links.pop();
                skipping -= 1;
            }
            _ if skipping > 0 => {}
            Event::Text(text) => push_text(&mut out, &text),
            Event::Code(code) => push_code(&mut out, &code),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => out.push('*'),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => out.push_str("**"),
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => {
                out.push_str("~~");
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let target = targets.resolve(&dest_url).map(str::to_owned);
                if target.is_some() {
                    out.push('[');
                }
                links.push(target);
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(target)) = links.pop() {
                    out.push_str("](");
                    push_url_escaped(&mut out, &target);
                    out.push(')');
                }
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push(' '),
            _ => {}
        }
    }
    let line = collapse_whitespace(&out);
    (!line.is_empty()).then_some(line)
}

/// The words of `text` (split at Unicode whitespace) joined by single
/// spaces, as `split_whitespace` + `join` give them, without decoding
/// every character: only the first bytes of the non-ASCII whitespace
/// characters (U+0085 and up) are looked at.
fn collapse_whitespace(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    let mut word = None;
    for (at, byte) in text.bytes().enumerate() {
        if (0x80..=0xbf).contains(&byte) {
            continue; // inside a character: as its first byte was
        }
        let space = match byte {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => true,
            0xc2 | 0xe1 | 0xe2 | 0xe3 => text
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_whitespace),
            _ => false,
        };
        match (space, word) {
            (false, None) => word = Some(at),
            (true, Some(start)) => {
                push_word(&mut line, text.get(start..at).unwrap_or_default());
                word = None;
            }
            _ => {}
        }
    }
    if let Some(start) = word {
        push_word(&mut line, text.get(start..).unwrap_or_default());
    }
    line
}

fn push_word(line: &mut String, word: &str) {
    if !line.is_empty() {
        line.push(' ');
    }
    line.push_str(word);
}

fn push_text(out: &mut String, text: &str) {
    let prev = out.chars().next_back();
    push_escaped(out, prev, text);
}

/// Inline code with a fence longer than any backtick run inside it.
fn push_code(out: &mut String, code: &str) {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    out.push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
}

/// Appends `markdown` as one safe line, whitespace already collapsed
/// (possibly nothing), to `out`, from the one-scan reader's events;
/// `None`, with `out` as it was, when only the parser can tell.
fn push_scanned_line(out: &mut String, markdown: &str, targets: &mut Targets<'_>) -> Option<()> {
    let start = out.len();
    let mut sink = LineSink {
        line: Line {
            out,
            start,
            space: false,
        },
        targets,
    };
    let scanned = scan(markdown, &mut sink);
    if scanned.is_none() {
        sink.line.out.truncate(start);
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
            if memchr::memmem::find(words.as_bytes(), b"  ").is_some() {
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

/// The line and the targets its links resolve to: line breaks and
/// paragraph ends become spaces, links to anything but a web target their
/// bare text.
struct LineSink<'o, 't, 'b> {
    line: Line<'o>,
    targets: &'t mut Targets<'b>,
}

impl Sink for LineSink<'_, '_, '_> {
    fn text(&mut self, text: &str) {
        self.line.text(text);
    }

    /// Written with `*`, as the parser path writes `_` emphasis too.
    fn emphasis(&mut self, strong: bool, _opening: bool) {
        self.line.raw(if strong { "**" } else { "*" });
    }

    fn code(&mut self, code: &str) {
        self.line.code(code);
    }

    fn link(&mut self, text: &str, dest: &str) -> Option<()> {
        match self.targets.resolve(dest) {
            Some(target) => {
                self.line.raw("[");
                self.line.text(text);
                self.line.raw("](");
                push_url_escaped(self.line.out, target);
                self.line.raw(")");
            }
            None => self.line.text(text),
        }
        Some(())
    }

    fn autolink(&mut self, dest: &str) -> Option<()> {
        self.targets.resolve(dest)?;
        self.line.raw("<");
        self.line.raw(dest);
        self.line.raw(">");
        Some(())
    }

    fn line_break(&mut self, _paragraph: bool) {
        self.line.space = true;
    }

    /// An item's text follows the text before it after a space, as a
    /// paragraph's does.
    fn list_item(&mut self, _first: bool) {
        self.line.space = true;
    }
}

/// Entries' summaries as the list writes them, each into one reused line.
pub(super) struct Summaries<'c> {
    targets: Targets<'c>,
    line: String,
}

impl<'c> Summaries<'c> {
    pub(super) fn new(catalogue: &'c Catalogue) -> Self {
        Self {
            targets: Targets::new(&catalogue.site.base_url),
            line: String::new(),
        }
    }

    /// `entry`'s summary as one line of safe Markdown; `None` when it has
    /// none or nothing of it is left.
    pub(super) fn line(&mut self, entry: &Entry) -> Option<&str> {
        self.line.clear();
        if let Some(summary) = &entry.summary {
            push_safe_line(&mut self.line, &summary.markdown, &mut self.targets);
        }
        if let Some(unescaped) = super::escape::bracketed_note(&self.line) {
            self.line = unescaped;
        }
        (!self.line.is_empty()).then_some(self.line.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_as_split_whitespace_joins() {
        let texts = [
            "",
            "   ",
            "a",
            " a  b\tc\n\nd\r\x0b\x0ce ",
            "x\u{85}y\u{a0}z\u{1680}w\u{2000}v\u{200a}u\u{2028}t\u{2029}s\u{202f}r\u{205f}q\u{3000}p",
            "non-space leads: \u{a9}\u{e1}\u{2014}\u{3042}\u{200b}\u{feff} café 日本語",
        ];
        for text in texts {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), joined, "{text:?}");
        }
    }
    use crate::catalogue::scan::samples;

    fn line(markdown: &str) -> String {
        safe_line(markdown, &Url::parse("https://example.org/list/").unwrap()).unwrap_or_default()
    }

    #[test]
    fn inline_formatting_and_web_links_survive() {
        assert_eq!(
            line("A *talk* by [Will](https://w.org/x) and `co*de`.\n\nSee [more](more.html)."),
            "A *talk* by [Will](https://w.org/x) and `co*de`. See [more](https://example.org/list/more.html)."
        );
    }

    #[test]
    fn html_images_and_script_links_are_dropped() {
        assert_eq!(
            line(
                "x <script>alert(1)</script> [js](javascript:alert(1)) ![i](data:x) <iframe src=y></iframe> <b>b</b>"
            ),
            "x alert(1) js b"
        );
    }

    #[test]
    fn autolinks_stay_autolinks_only_for_web_schemes() {
        assert_eq!(line("see <https://e.org/a>."), "see <https://e.org/a>.");
        assert_eq!(line("<javascript:alert(1)>"), "javascript:alert(1)");
    }

    fn base() -> Url {
        Url::parse("https://example.org/list/").unwrap()
    }

    /// Whether the fast path took `markdown`; when it did, its line must
    /// be the parser path's.
    fn same_as_parser(markdown: &str) -> bool {
        let (fast, parsed) = super::fast_and_parsed(markdown, &base());
        if let Some(fast) = &fast {
            assert_eq!(fast, &parsed, "for {markdown:?}");
        }
        fast.is_some()
    }

    #[test]
    fn the_fast_path_writes_what_the_parser_path_writes() {
        for &markdown in [samples::SCANNED, samples::NO_WEB_TARGET].concat().iter() {
            assert!(
                same_as_parser(markdown),
                "fast path not taken for {markdown:?}"
            );
        }
        for markdown in samples::REFUSED {
            assert!(
                !same_as_parser(markdown),
                "fast path taken for {markdown:?}"
            );
        }
    }

    #[test]
    fn the_example_catalogue_takes_the_fast_path() {
        let example = samples::example();
        let taken = example.iter().filter(|m| same_as_parser(m)).count();
        assert!(taken > 10, "only {taken} summaries took the fast path");
    }

    /// A fixed sequence of pseudo-random numbers (xorshift), so that the
    /// generated texts are the same on every run.
    struct Dice(u64);

    impl Dice {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % bound as u64).unwrap()
        }

        fn pick(&mut self, set: &[&'static str]) -> &'static str {
            set[self.below(set.len())]
        }
    }

    /// A text of the shapes at the edges of what the scan reads: emphasis
    /// nested or not, links whose targets hold characters past ASCII,
    /// Unicode spaces and controls, all put together at random.
    fn generated(dice: &mut Dice) -> String {
        const WORDS: &[&str] = &[
            "a", "b c", "é", "日本 d", "x_y", "R&D", "e.", "f,g", " h", "i ",
        ];
        const SPACES: &[&str] = &[" ", " ", "  ", "\u{a0}", "\u{3000}", "\u{85}", "\n", "\n\n"];
        const MARKS: &[&str] = &["*", "**", "*", "**", "_", "__", "***"];
        const AFTER: &[&str] = &["", ".", " ", ")", ",", "x", "*"];
        const TARGETS: &[&str] = &[
            "https://e.org/a",
            "https://e.org/café",
            "notes/日本.html",
            "https://e.org/x_(y)",
            "https://e.org/a\u{a0}b",
            "https://e.org/?a=1&b=2",
            "https://e.org/?a&amp;b",
            "https://é.org/",
        ];
        let mut text = String::new();
        // A third of the texts are one emphasis alone.
        let alone = dice.below(3) == 0;
        let items = if alone { 1 } else { 1 + dice.below(5) };
        for _ in 0..items {
            match if alone { 2 } else { dice.below(5) } {
                0 => text.push_str(dice.pick(WORDS)),
                1 => text.push_str(dice.pick(SPACES)),
                2 => {
                    let outer = dice.pick(MARKS);
                    // Half the time, the other kind: what may nest.
                    let inner = match (outer, dice.below(2)) {
                        ("*", 0) => "**",
                        ("**", 0) => "*",
                        _ => dice.pick(MARKS),
                    };
                    let closer = if dice.below(6) == 0 {
                        dice.pick(MARKS)
                    } else {
                        outer
                    };
                    text.push_str(&format!("{outer}{} ", dice.pick(WORDS)));
                    if dice.below(2) == 0 {
                        let (words, after) = (dice.pick(WORDS), dice.pick(AFTER));
                        let shut = if dice.below(6) == 0 {
                            dice.pick(MARKS)
                        } else {
                            inner
                        };
                        text.push_str(&format!("{inner}{words}{shut}{after}"));
                    }
                    let (words, after) = (dice.pick(WORDS), dice.pick(AFTER));
                    text.push_str(&format!("{words}{closer}{after}"));
                }
                3 => text.push_str(&format!("[{}]({})", dice.pick(WORDS), dice.pick(TARGETS))),
                _ => text.push_str(&format!("<{}>", dice.pick(TARGETS))),
            }
        }
        text
    }

    /// Wherever the scan answers for a generated text, its HTML is the
    /// sanitiser's and its line the parser's; and it answers for many.
    #[test]
    fn generated_texts_scan_as_they_parse() {
        let base = base();
        let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
        let (mut html_scanned, mut nested, mut lines_scanned) = (0, 0, 0);
        for _ in 0..40_000 {
            let markdown = generated(&mut dice);
            let (fast, sanitised) = crate::catalogue::text::fast_and_sanitised(&markdown, &base);
            if let Some(html) = crate::catalogue::text::scanned_html(&markdown, &base) {
                html_scanned += 1;
                nested += usize::from(html.contains("<em>") && html.contains("<strong>"));
                assert_eq!(html.trim_end(), sanitised.trim_end(), "for {markdown:?}");
                assert_eq!(Some(&html), fast.as_ref(), "for {markdown:?}");
            }
            if same_as_parser(&markdown) {
                lines_scanned += 1;
            }
        }
        let counts = (html_scanned, nested, lines_scanned);
        assert!(
            html_scanned > 4_000 && nested > 100 && lines_scanned > 4_000,
            "{counts:?}"
        );
    }
}
