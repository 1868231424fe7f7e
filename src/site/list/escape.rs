//! Escaping for the Markdown list, a leaf: plain text as inline Markdown
//! text (titles, headings, names), text that follows other text (summary
//! pieces), and URLs as link destinations. `oyez import markdown` reads
//! what these write back to the same strings.

use crate::byte_set::ByteSet;

/// Plain text made safe as Markdown inline text (link text, headings, items).
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    push_text_escaped(&mut escaped, text);
    escaped
}

/// [`escape_text`], onto the end of `out`.
pub(crate) fn push_text_escaped(out: &mut String, text: &str) {
    let start = out.len();
    if is_plain_text(text) {
        out.push_str(text);
    } else {
        push_words_escaped(out, text);
    }
    if out
        .get(start..)
        .is_some_and(|field| field.starts_with(['-', '+', '#', '>', '=']))
    {
        out.insert(start, '\\');
    }
    // A heading's trailing `#`s would be read as its closing sequence.
    let field = out.get(start..).unwrap_or_default();
    let hashes = field.len() - field.trim_end_matches('#').len();
    if hashes > 0 && field.len() > hashes {
        out.insert(out.len() - hashes, '\\');
    }
}

/// The words of `text`, each escaped, joined by single spaces (as
/// `split_whitespace` + `join`).
fn push_words_escaped(out: &mut String, text: &str) {
    for (index, word) in text.split_whitespace().enumerate() {
        let prev = (index > 0).then_some(' ');
        if prev.is_some() {
            out.push(' ');
        }
        push_escaped(out, prev, word);
    }
}

/// Whether the words of `text` need no escape and are joined by single
/// spaces, with none at either end: then it is its own [`push_escaped`]
/// words, as `split_whitespace` + `join` gives them.
fn is_plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut notable = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &byte)| NOTABLE_IN_TEXT.get(usize::from(byte)) == Some(&true));
    notable.all(|(at, &byte)| match byte {
        b' ' => bytes.get(at + 1) != Some(&b' '),
        b'_' => text
            .get(..at)
            .and_then(|before| before.chars().next_back())
            .is_some_and(char::is_alphanumeric),
        b'&' => !starts_entity(text.get(at + 1..).unwrap_or_default()),
        // The first bytes of the non-ASCII whitespace characters.
        0xC2 | 0xE1 | 0xE2 | 0xE3 => !text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace),
        // Markup and other whitespace.
        _ => false,
    })
}

/// The bytes [`is_plain_text`] looks at: space, other ASCII whitespace,
/// markup, and the first bytes of the non-ASCII whitespace characters.
const NOTABLE_IN_TEXT: [bool; 256] = {
    let mut notable = [false; 256];
    let bytes = b" \t\n\x0b\x0c\r\\[]*`<_&\xc2\xe1\xe2\xe3";
    let mut at = 0;
    while at < bytes.len() {
        notable[bytes[at] as usize] = true;
        at += 1;
    }
    notable
};

/// Escapes the characters that would start inline Markdown (links,
/// emphasis, code, HTML); `_` after a letter (snake_case, `jpgcc_`) is left alone.
pub fn escape_inline(text: &str) -> String {
    escape_inline_after(None, text)
}

/// [`escape_inline`] for text that follows `prev` (text arrives in pieces).
pub fn escape_inline_after(prev: Option<char>, text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    push_escaped(&mut escaped, prev, text);
    escaped
}

/// [`escape_inline_after`], onto the end of `out`.
pub(crate) fn push_escaped(out: &mut String, prev: Option<char>, text: &str) {
    // Runs without markup are copied whole; markup is ASCII, so every
    // index found here is a character boundary.
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(|rest| MARKUP.find(rest)) {
        at += found;
        let escape = match bytes.get(at) {
            Some(b'\\' | b'[' | b']' | b'*' | b'`' | b'<') => true,
            // A `_` after a letter cannot open emphasis, and closers need an opener.
            Some(b'_') => {
                let before = text.get(..at).and_then(|t| t.chars().next_back());
                !before.or(prev).is_some_and(char::is_alphanumeric)
            }
            Some(b'&') => starts_entity(text.get(at + 1..).unwrap_or_default()),
            _ => false,
        };
        if escape {
            out.push_str(text.get(copied..at).unwrap_or_default());
            out.push('\\');
            copied = at;
        }
        at += 1;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
}

/// The bytes [`push_escaped`] may escape.
const MARKUP: ByteSet = ByteSet::of(b"\\[]*`<_&");

/// Whether text after a `&` would make it an entity (`&amp;`, `&#38;`).
fn starts_entity(rest: &str) -> bool {
    let name = rest.strip_prefix('#').unwrap_or(rest);
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    end > 0 && name[end..].starts_with(';')
}

/// A URL as a Markdown link destination: as it is when its parentheses
/// balance (Wikipedia's `Foo_(bar)`), else in `<…>`; spaces and angle
/// brackets, which a parsed URL never holds, are encoded.
pub fn escape_url(url: &str) -> String {
    let mut escaped = String::with_capacity(url.len() + 2);
    push_url_escaped(&mut escaped, url);
    escaped
}

/// [`escape_url`], onto the end of `out`.
pub(crate) fn push_url_escaped(out: &mut String, url: &str) {
    if !url
        .bytes()
        .any(|b| matches!(b, b'(' | b')' | b' ' | b'<' | b'>'))
    {
        out.push_str(url);
        return;
    }
    let mut depth: i64 = 0;
    let mut balanced = true;
    let mut encode = false;
    for byte in url.bytes() {
        match byte {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                balanced &= depth >= 0;
            }
            b' ' | b'<' | b'>' => encode = true,
            _ => {}
        }
    }
    let bare = balanced && depth == 0;
    if !bare {
        out.push('<');
    }
    if encode {
        for c in url.chars() {
            match c {
                ' ' => out.push_str("%20"),
                '<' => out.push_str("%3C"),
                '>' => out.push_str("%3E"),
                c => out.push(c),
            }
        }
    } else {
        out.push_str(url);
    }
    if !bare {
        out.push('>');
    }
}

/// The anchor GitHub gives a heading: lowercase, spaces to `-`, other
/// punctuation dropped.
pub fn anchor(title: &str) -> String {
    title
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// A line that starts with a link in brackets, escaped (`\\[[crate](url)\\]
/// - …`), with its brackets as lists write them (issue 22): brackets
/// cannot make a link of their own around a link, so they need no escape.
/// `None` when the line does not start so.
pub fn bracketed_note(line: &str) -> Option<String> {
    let inner = line.strip_prefix("\\[[")?;
    let end = inner.find("\\]")?;
    let link = inner.get(..end)?;
    let one_link = link.ends_with(')') && !link.contains('[');
    one_link.then(|| format!("[[{link}]{}", inner.get(end + 2..).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_text_and_targets_are_escaped() {
        assert_eq!(
            escape_text("Arrays [1] *and* _x_ a_b_"),
            r"Arrays \[1\] \*and\* \_x_ a_b_"
        );
        assert_eq!(escape_text("- not a list"), r"\- not a list");
        assert_eq!(escape_text("C#"), r"C\#");
        assert_eq!(
            escape_text("Tools & more &amp; &#38;"),
            r"Tools & more \&amp; \&#38;"
        );
        assert_eq!(
            escape_text("Tools & more &amp; &#38;"),
            r"Tools & more \&amp; \&#38;"
        );
        assert_eq!(
            escape_url("https://en.wikipedia.org/wiki/Foo_(bar)"),
            "https://en.wikipedia.org/wiki/Foo_(bar)"
        );
        assert_eq!(
            escape_url("https://example.org/a)b"),
            "<https://example.org/a)b>"
        );
    }

    #[test]
    fn plain_text_is_its_own_escaped_words() {
        let texts = [
            "",
            "plain words",
            "Zürich «façade» — 日本語 #1",
            "a_b snake_case é_x",
            "_lead",
            "x _y",
            "(_x)",
            "Tom & Jerry &x &; &#x",
            "&amp; &#38;",
            "two  spaces",
            " lead",
            "trail ",
            "tab\there",
            "line\nbreak",
            "vt\u{b}ff\u{c}cr\r",
            "nbsp\u{a0}x",
            "nel\u{85}x",
            "ogham\u{1680}x",
            "em\u{2003}x",
            "ideographic\u{3000}x",
            "narrow\u{202f}x",
            "[x] *y* `z` <w> \\v",
            "5 > 3 = 2 + 1 - 0",
        ];
        let mut plain = 0;
        for text in texts {
            if is_plain_text(text) {
                plain += 1;
                let mut words = String::new();
                push_words_escaped(&mut words, text);
                assert_eq!(words, text);
            }
        }
        assert_eq!(plain, 6);
    }

    #[test]
    fn anchors_follow_github() {
        assert_eq!(anchor("Articles and blog posts"), "articles-and-blog-posts");
        assert_eq!(anchor("Tools & Libraries!"), "tools--libraries");
    }

    #[test]
    fn a_bracketed_link_before_a_summary_keeps_its_brackets() {
        assert_eq!(
            bracketed_note("\\[[woxi](https://crates.io/crates/woxi)\\] - A tool.").as_deref(),
            Some("[[woxi](https://crates.io/crates/woxi)] - A tool.")
        );
        assert_eq!(bracketed_note("\\[beta\\] A tool."), None);
        assert_eq!(bracketed_note("\\[[a](u) [b](v)\\] x"), None);
        assert_eq!(bracketed_note("A \\[tool\\]."), None);
    }
}
