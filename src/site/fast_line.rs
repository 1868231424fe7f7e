//! A fast path for [`super::inline::safe_line`] (issue 5). Summaries that
//! the one-scan reader takes (`catalogue/scan.rs`: lines of text,
//! `*emphasis*`, `**strong**`, code spans, inline links and http(s)
//! autolinks) become their safe line without pulldown-cmark, exactly as the
//! parser path writes them; for anything else the caller parses. The
//! `summary_line` fuzz target checks the two agree.

use crate::catalogue::scan::{Sink, scan};

pub(super) use crate::catalogue::targets::Targets;

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

    fn emphasis(&mut self, marker: &str, inner: &str) {
        self.line.raw(marker);
        self.line.text(inner);
        self.line.raw(marker);
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
}

#[cfg(test)]
mod tests {
    use url::Url;

    use crate::catalogue::scan::samples;

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
}
