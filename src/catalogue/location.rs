//! Where something is in a catalogue file, and the diagnostics that point there.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A 1-based line and column (in characters) inside a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `text`, a file at `path`.
    pub fn at(path: &Path, text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Self {
            path: path.to_path_buf(),
            line,
            column,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// One problem found in a catalogue: where, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Option<Location>,
    pub message: String,
    pub help: String,
}

impl Diagnostic {
    /// A problem already phrased whole (`file:line: …; what to do`).
    pub(crate) fn plain(message: String) -> Self {
        Self {
            location: None,
            message,
            help: String::new(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "{}", self.message)?;
        if !self.help.is_empty() {
            write!(f, "; {}", self.help)?;
        }
        Ok(())
    }
}

/// A file's text with its catalogue-relative path, to turn spans into locations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// Line starts of `text`, filled on first use: every entry records
    /// where it is, so lines are counted once per file, not once per entry.
    pub lines: &'a OnceLock<Vec<usize>>,
}

impl Source<'_> {
    pub(crate) fn location(&self, span: &Range<usize>) -> Location {
        let (line, column) = self.line_and_column(span);
        Location {
            path: self.path.to_path_buf(),
            line,
            column,
        }
    }

    /// The 1-based line and column (in characters) where `span` starts.
    pub(crate) fn line_and_column(&self, span: &Range<usize>) -> (usize, usize) {
        let lines = self.lines.get_or_init(|| {
            let breaks = memchr::memchr_iter(b'\n', self.text.as_bytes());
            std::iter::once(0).chain(breaks.map(|i| i + 1)).collect()
        });
        let offset = floor_char_boundary(self.text, span.start.min(self.text.len()));
        let line = lines.partition_point(|&start| start <= offset).max(1);
        let start = lines.get(line - 1).copied().unwrap_or(0).min(offset);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, column)
    }

    pub(crate) fn diagnostic(
        &self,
        span: &Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            location: Some(self.location(span)),
            message: message.into(),
            help: help.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "a = 1\nb = \"é\" x\n";
        let location = Location::at(Path::new("f.toml"), text, text.find('x').unwrap());
        assert_eq!(location.to_string(), "f.toml:2:9");
        let lines = OnceLock::new();
        let source = Source {
            path: Path::new("f.toml"),
            text,
            lines: &lines,
        };
        for offset in 0..=text.len() + 2 {
            let expected = Location::at(source.path, text, offset);
            assert_eq!(source.location(&(offset..offset)), expected, "at {offset}");
        }
    }
}
