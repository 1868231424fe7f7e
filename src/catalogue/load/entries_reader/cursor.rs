//! The reader's position in the text, and the values it reads there.

use toml::Spanned;
use toml::value::Datetime;

use crate::byte_set::ByteSet;

/// A position in the text; every method returns `None` on anything it
/// does not handle, leaving the decision to the full parser.
pub(super) struct Cursor<'t> {
    pub(super) text: &'t str,
    pub(super) pos: usize,
}

impl<'t> Cursor<'t> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &'t [u8] {
        self.text.as_bytes().get(self.pos..).unwrap_or_default()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    /// Skips spaces and tabs, TOML's only whitespace within a line.
    pub(super) fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// Whitespace, an optional comment, then a newline or the end.
    pub(super) fn line_end(&mut self) -> Option<()> {
        self.skip_whitespace();
        if self.peek() == Some(b'#') {
            let comment = self.rest();
            let length = memchr::memchr2(b'\n', b'\r', comment).unwrap_or(comment.len());
            let body = comment.get(1..length).unwrap_or_default();
            if NOT_TEXT.find(body).is_some() {
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

    /// Steps over `word` when the text continues with it.
    pub(super) fn skip(&mut self, word: &str) -> bool {
        let found = self.rest().starts_with(word.as_bytes());
        if found {
            self.pos += word.len();
        }
        found
    }

    /// A bare key and the `=` after it; the cursor is left on the value.
    pub(super) fn key(&mut self) -> Option<&'t str> {
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
    pub(super) fn string(&mut self) -> Option<Spanned<String>> {
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
        if NOT_TEXT.find(body).is_some() {
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
            if NOT_TEXT.find(rest.get(..length)?).is_some() {
                return None;
            }
            let run = self.text.get(self.pos..self.pos + length)?;
            self.pos += length;
            if self.eat(b'"').is_some() {
                value.push_str(run);
                return Some(value);
            }
            if !sized {
                // At the first escape, room for the rest of the line, made
                // before the first run is copied: a summary of many lines
                // is neither moved nor kept at up to twice its length.
                let line = memchr::memchr(b'\n', self.rest()).unwrap_or(self.rest().len());
                value.reserve_exact(run.len() + line);
                sized = true;
            }
            value.push_str(run);
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
    pub(super) fn strings(&mut self) -> Option<Vec<Spanned<String>>> {
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
    pub(super) fn date(&mut self) -> Option<Spanned<Datetime>> {
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

/// The bytes TOML refuses in comments and one-line strings: ASCII
/// controls but tab (it allows the visible ASCII characters and anything
/// non-ASCII).
const NOT_TEXT: ByteSet = ByteSet::ascii_controls_but(b"\t");

#[cfg(test)]
mod tests {
    use super::Cursor;

    fn read(text: &str) -> String {
        let mut cursor = Cursor { text, pos: 0 };
        let value = cursor.string().expect("a string").into_inner();
        assert_eq!(cursor.pos, text.find(" next").unwrap_or(text.len()));
        value
    }

    #[test]
    fn a_string_with_escapes_is_sized_once_for_its_line() {
        let line = "\"one\\n\\ntwo \\\"three\\\" \\u00e9\" next\nsummary = \"more\"";
        let value = read(line);
        assert_eq!(value, "one\n\ntwo \"three\" \u{e9}");
        // Room for the rest of its line at most: not the next line, nor
        // twice its length.
        let rest_of_line = line.find('\n').unwrap();
        assert!(value.capacity() <= rest_of_line, "{}", value.capacity());
        // An escape first, and none at all.
        assert_eq!(read("\"\\tx\" next"), "\tx");
        assert_eq!(read("\"plain\" next"), "plain");
    }
}
