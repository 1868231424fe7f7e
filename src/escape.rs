//! Escaping shared by the HTML and XML writers: both replace `&`, `<`, `>`,
//! `"` and `'` (they differ only in the entity for `'`). And JSON strings'
//! escaping, for the archive pages' JSON Feed. Most text has none of the
//! special bytes, so each scan looks at eight bytes at a time first.

/// HTML-escapes `text` by the template formatter's rule (`&`, `<`, `>`,
/// `"` and `'`; `/` stays), handing `push` the unchanged runs and the
/// entities in order: no copy of the text is made.
pub(crate) fn escape_html<E>(text: &str, push: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    escape_with(text, HTML_APOSTROPHE, push)
}

/// The entity for `'` in HTML, as the template formatter writes it.
pub(crate) const HTML_APOSTROPHE: &str = "&#x27;";

/// Hands `push` the runs of `text` between the five special bytes and, in
/// place of each special byte, its entity (`apostrophe` for `'`), in
/// order: no copy of the text is made.
pub(crate) fn escape_with<E>(
    text: &str,
    apostrophe: &'static str,
    mut push: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(index) = next_where(bytes, start, has_special, is_special) {
        // Special bytes are ASCII, so the run ends on a character boundary.
        if let Some(run) = text.get(start..index).filter(|run| !run.is_empty()) {
            push(run)?;
        }
        push(
            bytes
                .get(index)
                .map_or("", |&byte| entity(byte, apostrophe)),
        )?;
        start = index + 1;
    }
    match text.get(start..) {
        Some(rest) if !rest.is_empty() => push(rest),
        _ => Ok(()),
    }
}

/// The bytes an escaper replaces: `marks` marks them in a word (read
/// little end first), the first of them exactly; `is` tells one.
struct Specials {
    marks: fn(u64) -> u64,
    is: fn(u8) -> bool,
}

const SPECIAL: Specials = Specials {
    marks: special_marks,
    is: is_special,
};
const JSON_SPECIAL: Specials = Specials {
    marks: json_marks,
    is: is_json_special,
};

/// [`escape_with`] onto the end of `out` ([`push_marked`]).
pub(crate) fn push_escaped(out: &mut Vec<u8>, text: &str, apostrophe: &'static str) {
    push_marked(out, text.as_bytes(), &SPECIAL, |out, byte| {
        out.extend_from_slice(entity(byte, apostrophe).as_bytes());
    });
}

/// Appends `bytes` to `out`, each of the `specials` replaced by what
/// `escape` writes. Eight bytes at a time: each word is copied whole, then
/// cut back to its first special byte, if any, which is escaped, and the
/// next word starts after it. No call to `memcpy` for the runs between
/// special bytes: summary HTML escaped for Atom, or put in JSON, has one
/// every few bytes.
fn push_marked(
    out: &mut Vec<u8>,
    bytes: &[u8],
    specials: &Specials,
    escape: impl Fn(&mut Vec<u8>, u8),
) {
    out.reserve(bytes.len());
    let mut at = 0;
    while let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
        out.extend_from_slice(&word);
        let marked = (specials.marks)(u64::from_le_bytes(word));
        if marked == 0 {
            at += 8;
            continue;
        }
        let first = (marked.trailing_zeros() / 8) as usize;
        out.truncate(out.len() - (8 - first));
        escape(out, word.get(first).copied().unwrap_or_default());
        at += first + 1;
    }
    for &byte in bytes.get(at..).unwrap_or_default() {
        if (specials.is)(byte) {
            escape(out, byte);
        } else {
            out.push(byte);
        }
    }
}

/// The entity in place of a special byte.
fn entity(byte: u8, apostrophe: &'static str) -> &'static str {
    match byte {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        _ => apostrophe,
    }
}

fn is_special(byte: u8) -> bool {
    matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\'')
}

/// The first byte from `from` on for which `is` holds; `word_has` tells
/// whether any of eight bytes (a native-endian word) is one.
fn next_where(
    bytes: &[u8],
    from: usize,
    word_has: fn(u64) -> bool,
    is: fn(u8) -> bool,
) -> Option<usize> {
    let mut offset = from;
    for word in bytes.get(from..)?.chunks_exact(8) {
        match <[u8; 8]>::try_from(word) {
            Ok(word) if !word_has(u64::from_ne_bytes(word)) => offset += 8,
            _ => break,
        }
    }
    let rest = bytes.get(offset..)?;
    rest.iter()
        .position(|&byte| is(byte))
        .map(|index| offset + index)
}

/// Whether any of the eight bytes in `word` is special.
fn has_special(word: u64) -> bool {
    special_marks(word) != 0
}

/// The special bytes of `word` marked (their top bit set): for each
/// special byte, a byte of `word ^ splat(special)` is zero, which the
/// classic `(x - 0x01…) & !x & 0x80…` test marks. A borrow may also mark a
/// byte above a marked one, never below: the lowest mark is exact.
fn special_marks(word: u64) -> u64 {
    has_zero(word ^ splat(b'&'))
        | has_zero(word ^ splat(b'<'))
        | has_zero(word ^ splat(b'>'))
        | has_zero(word ^ splat(b'"'))
        | has_zero(word ^ splat(b'\''))
}

/// Appends `text` as the inside of a JSON string, escaped byte for byte as
/// serde_json escapes it: `"`, `\` and the control characters below
/// U+0020, as `\b \t \n \f \r` or else `\u00xx`.
pub(crate) fn push_json_escaped(out: &mut Vec<u8>, text: &str) {
    push_marked(
        out,
        text.as_bytes(),
        &JSON_SPECIAL,
        |out, byte| match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let digit = |at: u8| HEX.get(usize::from(at)).copied().unwrap_or_default();
                let (high, low) = (digit(byte >> 4), digit(byte & 0xf));
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
            }
        },
    );
}

fn is_json_special(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The bytes of `word` a JSON string escapes, marked as by
/// [`special_marks`] (the lowest mark exact): a quote or backslash, or a
/// byte below 0x20, which `(x - 0x20…) & !x & 0x80…` marks (bytes of 0x80
/// and above have the top bit that `!x` clears).
fn json_marks(word: u64) -> u64 {
    let below_space = word.wrapping_sub(splat(0x20)) & !word & splat(0x80);
    below_space | has_zero(word ^ splat(b'"')) | has_zero(word ^ splat(b'\\'))
}

const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// Non-zero when a byte of `x` is zero (exact, as a whole).
fn has_zero(x: u64) -> u64 {
    x.wrapping_sub(splat(1)) & !x & splat(0x80)
}

#[cfg(test)]
mod tests {
    use super::{is_json_special, is_special, json_marks, push_json_escaped, special_marks};

    /// Whether the lowest byte `marks` marks is the first byte `is` holds
    /// for (and none is marked when there is none), in every word of two
    /// bytes side by side among fillers, at every place: a borrow from the
    /// first may mark the second.
    fn word_test_agrees(marks: fn(u64) -> u64, is: fn(u8) -> bool) {
        for filler in [0x00, b'a', 0x7f, 0x80, 0xa9, 0xff] {
            for (first, second) in (0..=u8::MAX).flat_map(|a| (0..=u8::MAX).map(move |b| (a, b))) {
                for at in 0..7 {
                    let mut word = [filler; 8];
                    word[at] = first;
                    word[at + 1] = second;
                    let expected = word.iter().position(|&b| is(b));
                    let marked = marks(u64::from_le_bytes(word));
                    let found = (marked != 0).then(|| (marked.trailing_zeros() / 8) as usize);
                    assert_eq!(found, expected, "{word:?}");
                }
            }
        }
    }

    #[test]
    fn the_word_tests_find_the_first_byte_the_byte_tests_find() {
        word_test_agrees(special_marks, is_special);
        word_test_agrees(json_marks, is_json_special);
    }

    #[test]
    fn dense_text_is_escaped_as_byte_by_byte() {
        const ALPHABET: [char; 11] = [
            'a', '&', '<', '>', '"', '\'', '\\', '\n', '\u{1}', 'é', '日',
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let text: String = (0..len)
                .map(|at| ALPHABET[((seed >> (at % 60)) as usize + at * 7) % ALPHABET.len()])
                .collect();
            let mut html = Vec::new();
            super::push_escaped(&mut html, &text, "&#x27;");
            let mut expected = String::new();
            let mut ours_by_closure = String::new();
            let _: Result<(), ()> = super::escape_html(&text, |piece| {
                ours_by_closure.push_str(piece);
                Ok(())
            });
            for c in text.chars() {
                match c {
                    '&' => expected.push_str("&amp;"),
                    '<' => expected.push_str("&lt;"),
                    '>' => expected.push_str("&gt;"),
                    '"' => expected.push_str("&quot;"),
                    '\'' => expected.push_str("&#x27;"),
                    c => expected.push(c),
                }
            }
            assert_eq!(String::from_utf8_lossy(&html), expected, "{text:?}");
            assert_eq!(ours_by_closure, expected, "{text:?}");
            assert_json_as_serde(&text);
        }
    }

    /// `text` escaped for JSON exactly as serde_json escapes it.
    fn assert_json_as_serde(text: &str) {
        let mut ours = vec![b'"'];
        push_json_escaped(&mut ours, text);
        ours.push(b'"');
        let serde = serde_json::to_vec(text).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&serde)
        );
    }

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0..=0x7f_u8)
            .map(|byte| format!("ab{}cdefghij\"k", char::from(byte)))
            .collect();
        texts.extend(
            [
                "",
                "plain text longer than a word",
                "<a href=\"https://e.org/?a=1&b=2\">caf\u{e9} \u{65e5}\u{672c}</a>\n",
                "\u{7f}\u{80}\u{2028}\u{2029}\u{feff}\\\\\"\"\u{1}\u{1f}",
                "</script><!-- \u{1F600}",
            ]
            .map(str::to_owned),
        );
        texts.iter().for_each(|text| assert_json_as_serde(text));
    }
}
