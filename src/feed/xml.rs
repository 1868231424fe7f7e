//! A small streaming XML writer for the feeds (issue 5): elements go
//! straight into one buffer, indented by two spaces, with no document tree
//! in between. It writes exactly what quick-xml's indenting writer writes
//! for the same elements (as the atom_syndication and rss crates drive
//! it), which `tests/cli/feed_twins.rs` checks byte for byte.

use super::date::Stamp;

/// A line break and the indentation of the deepest element the feeds have.
const INDENT: &[u8] = b"\n                ";

pub(crate) struct Xml {
    out: Vec<u8>,
    depth: usize,
}

impl Xml {
    /// A document starting with `declaration` (`<?xml …?>`).
    pub(crate) fn new(declaration: &str, capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity);
        out.extend_from_slice(declaration.as_bytes());
        Self { out, depth: 0 }
    }

    /// A new line, indented to the current depth.
    fn line(&mut self) {
        match INDENT.get(..1 + 2 * self.depth) {
            Some(indent) => self.out.extend_from_slice(indent),
            None => {
                self.out.push(b'\n');
                self.out.resize(self.out.len() + 2 * self.depth, b' ');
            }
        }
    }

    fn tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.line();
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        for (key, value) in attributes {
            self.out.push(b' ');
            self.out.extend_from_slice(key.as_bytes());
            self.out.extend_from_slice(b"=\"");
            escape(&mut self.out, value);
            self.out.push(b'"');
        }
    }

    /// `<name attributes>` on its own line; children follow.
    pub(crate) fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.tag(name, attributes);
        self.out.push(b'>');
        self.depth += 1;
    }

    /// `</name>` on its own line.
    pub(crate) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line();
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    /// `<name attributes/>`.
    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.tag(name, attributes);
        self.out.extend_from_slice(b"/>");
    }

    /// `<name attributes>text</name>`, the text escaped.
    pub(crate) fn text(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.tag(name, attributes);
        self.out.push(b'>');
        escape(&mut self.out, text);
        self.end(name);
    }

    /// `<name>date</name>`.
    pub(crate) fn date(&mut self, name: &str, date: &Stamp) {
        self.tag(name, &[]);
        self.out.push(b'>');
        self.out.extend_from_slice(date.as_bytes());
        self.end(name);
    }

    /// `<name attributes>text</name>`, the text given in parts, escaped.
    pub(crate) fn text_parts(&mut self, name: &str, attributes: &[(&str, &str)], parts: &[&str]) {
        self.tag(name, attributes);
        self.out.push(b'>');
        for part in parts {
            escape(&mut self.out, part);
        }
        self.end(name);
    }

    /// `<name><![CDATA[text]]></name>`, split where the text holds `]]>`.
    pub(crate) fn cdata(&mut self, name: &str, text: &str) {
        self.tag(name, &[]);
        self.out.push(b'>');
        if !text.contains("]]>") {
            self.out.extend_from_slice(b"<![CDATA[");
            self.out.extend_from_slice(text.as_bytes());
            self.out.extend_from_slice(b"]]>");
            return self.end(name);
        }
        let mut rest = text;
        while let Some(at) = rest.find("]]>") {
            self.out.extend_from_slice(b"<![CDATA[");
            self.out.extend_from_slice(&rest.as_bytes()[..at + 2]);
            self.out.extend_from_slice(b"]]>");
            rest = &rest[at + 2..];
        }
        self.out.extend_from_slice(b"<![CDATA[");
        self.out.extend_from_slice(rest.as_bytes());
        self.out.extend_from_slice(b"]]>");
        self.end(name);
    }

    fn end(&mut self, name: &str) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    /// The document, ending with a newline.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.out.push(b'\n');
        self.out
    }
}

/// quick-xml's `escape`: `<`, `>`, `&`, `'` and `"`, in text and attributes.
fn escape(out: &mut Vec<u8>, text: &str) {
    crate::escape::push_escaped(out, text, "&apos;");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_is_split_where_the_text_closes_it() {
        let mut xml = Xml::new("", 0);
        xml.cdata("d", "foo]]>bar]]>");
        assert_eq!(
            String::from_utf8(xml.finish()).unwrap(),
            "\n<d><![CDATA[foo]]]]><![CDATA[>bar]]]]><![CDATA[>]]></d>\n"
        );
    }

    /// The byte-by-byte definition of the escape, for comparison.
    fn slow(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\'', "&apos;")
            .replace('"', "&quot;")
    }

    #[test]
    fn escape_replaces_every_special_byte_wherever_it_falls() {
        let mut texts = vec![String::new(), "<>&'\"".repeat(5), "é日本<ü>".into()];
        // Every special at every offset of a word, among every other byte.
        for special in ['<', '>', '&', '\'', '"'] {
            for offset in 0..17 {
                let mut text: String = (0..offset).map(|i| char::from(b'0' + i)).collect();
                text.push(special);
                text.push_str("=?;%$#\u{80}\u{7ff}\u{ffff}x");
                texts.push(text);
            }
        }
        let everything: String = (0..=0x7f_u8).map(char::from).collect();
        texts.push(everything.repeat(3));
        for text in texts {
            let mut out = Vec::new();
            escape(&mut out, &text);
            assert_eq!(String::from_utf8(out).unwrap(), slow(&text), "{text:?}");
        }
    }
}
