//! A small streaming XML writer for the feeds (issue 5): elements go
//! straight into one buffer, indented by two spaces, with no document tree
//! in between. It writes exactly what quick-xml's indenting writer writes
//! for the same elements (as the atom_syndication and rss crates drive
//! it), which the tests in `atom.rs` and `rss.rs` check byte for byte.

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

    fn line(&mut self) {
        self.out.push(b'\n');
        self.out.resize(self.out.len() + 2 * self.depth, b' ');
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

    /// `<name><![CDATA[text]]></name>`, split where the text holds `]]>`.
    pub(crate) fn cdata(&mut self, name: &str, text: &str) {
        self.tag(name, &[]);
        self.out.push(b'>');
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
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(skip) = bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|b| SPECIAL[usize::from(*b)]))
    {
        let at = start + skip;
        out.extend_from_slice(&bytes[start..at]);
        out.extend_from_slice(match bytes[at] {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            _ => b"&quot;",
        });
        start = at + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// The bytes [`escape`] replaces, as a table: one lookup per byte.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'&' as usize] = true;
    table[b'\'' as usize] = true;
    table[b'"' as usize] = true;
    table
};

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
}
