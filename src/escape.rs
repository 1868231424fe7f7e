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

/// [`escape_with`] onto the end of `out`, eight bytes at a time: a word
/// with no special byte is copied whole, one with some byte by byte.
/// Summary HTML escaped for Atom has a special byte every few bytes, where
/// copying the runs between them would be a call to `memcpy` each.
pub(crate) fn push_escaped(out: &mut Vec<u8>, text: &str, apostrophe: &'static str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len());
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        match <[u8; 8]>::try_from(word) {
            Ok(whole) if !has_special(u64::from_ne_bytes(whole)) => out.extend_from_slice(&whole),
            _ => word
                .iter()
                .for_each(|&byte| push_escaped_byte(out, byte, apostrophe)),
        }
    }
    for &byte in words.remainder() {
        push_escaped_byte(out, byte, apostrophe);
    }
}

fn push_escaped_byte(out: &mut Vec<u8>, byte: u8, apostrophe: &'static str) {
    if is_special(byte) {
        out.extend_from_slice(entity(byte, apostrophe).as_bytes());
    } else {
        out.push(byte);
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

/// Whether any of the eight bytes in `word` is special: for each special
/// byte, a byte of `word ^ splat(special)` is zero, which the classic
/// `(x - 0x01…) & !x & 0x80…` test detects exactly.
fn has_special(word: u64) -> bool {
    let found = has_zero(word ^ splat(b'&'))
        | has_zero(word ^ splat(b'<'))
        | has_zero(word ^ splat(b'>'))
        | has_zero(word ^ splat(b'"'))
        | has_zero(word ^ splat(b'\''));
    found != 0
}

/// Appends `text` as the inside of a JSON string, escaped byte for byte as
/// serde_json escapes it: `"`, `\` and the control characters below
/// U+0020, as `\b \t \n \f \r` or else `\u00xx`.
pub(crate) fn push_json_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(index) = next_where(bytes, start, has_json_special, is_json_special) {
        out.extend_from_slice(bytes.get(start..index).unwrap_or_default());
        let byte = bytes.get(index).copied().unwrap_or_default();
        match byte {
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
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    digit(byte >> 4),
                    digit(byte & 0xf),
                ]);
            }
        }
        start = index + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

fn is_json_special(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any of the eight bytes in `word` is one a JSON string escapes:
/// a quote or backslash ([`has_special`]'s test), or a byte below 0x20,
/// which `(x - 0x20…) & !x & 0x80…` detects (bytes of 0x80 and above
/// have the top bit that `!x` clears).
fn has_json_special(word: u64) -> bool {
    let below_space = word.wrapping_sub(splat(0x20)) & !word & splat(0x80);
    below_space | has_zero(word ^ splat(b'"')) | has_zero(word ^ splat(b'\\')) != 0
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
    use super::{has_json_special, has_special, is_json_special, is_special, push_json_escaped};

    /// Whether `word_has` finds a byte `is` holds for, in every word
    /// made of one byte among fillers, at every place.
    fn word_test_agrees(word_has: fn(u64) -> bool, is: fn(u8) -> bool) {
        for filler in [0x00, b'a', 0x7f, 0x80, 0xa9, 0xff] {
            for byte in 0..=u8::MAX {
                for at in 0..8 {
                    let mut word = [filler; 8];
                    word[at] = byte;
                    let expected = word.iter().any(|&b| is(b));
                    assert_eq!(word_has(u64::from_ne_bytes(word)), expected, "{word:?}");
                }
            }
        }
    }

    #[test]
    fn the_word_tests_agree_with_the_byte_tests() {
        word_test_agrees(has_special, is_special);
        word_test_agrees(has_json_special, is_json_special);
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
        for text in texts {
            let mut ours = vec![b'"'];
            push_json_escaped(&mut ours, &text);
            ours.push(b'"');
            let serde = serde_json::to_vec(&text).unwrap_or_default();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&serde)
            );
        }
    }
}
