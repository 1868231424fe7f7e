//! Escaping shared by the HTML and XML writers: both replace `&`, `<`, `>`,
//! `"` and `'` (they differ only in the entity for `'`). Most text has none
//! of them, so the scan looks at eight bytes at a time first.

/// HTML-escapes `text` by the template formatter's rule (`&`, `<`, `>`,
/// `"` and `'`; `/` stays), handing `push` the unchanged runs and the
/// entities in order: no copy of the text is made.
pub(crate) fn escape_html<E>(text: &str, push: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    escape_with(text, "&#x27;", push)
}

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
    while let Some(index) = next_special(bytes, start) {
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

/// The first special byte from `from` on.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut offset = from;
    for word in bytes.get(from..)?.chunks_exact(8) {
        match <[u8; 8]>::try_from(word) {
            Ok(word) if !has_special(u64::from_ne_bytes(word)) => offset += 8,
            _ => break,
        }
    }
    let rest = bytes.get(offset..)?;
    rest.iter()
        .position(|&byte| is_special(byte))
        .map(|index| offset + index)
}

/// Whether any of the eight bytes in `word` is special: for each special
/// byte, a byte of `word ^ splat(special)` is zero, which the classic
/// `(x - 0x01…) & !x & 0x80…` test detects exactly.
fn has_special(word: u64) -> bool {
    const fn splat(byte: u8) -> u64 {
        u64::from_ne_bytes([byte; 8])
    }
    let has_zero = |x: u64| x.wrapping_sub(splat(1)) & !x & splat(0x80);
    let found = has_zero(word ^ splat(b'&'))
        | has_zero(word ^ splat(b'<'))
        | has_zero(word ^ splat(b'>'))
        | has_zero(word ^ splat(b'"'))
        | has_zero(word ^ splat(b'\''));
    found != 0
}

#[cfg(test)]
mod tests {
    use super::{has_special, is_special};

    #[test]
    fn the_word_test_agrees_with_the_byte_test() {
        for filler in [0x00, b'a', 0x7f, 0x80, 0xa9, 0xff] {
            for byte in 0..=u8::MAX {
                for at in 0..8 {
                    let mut word = [filler; 8];
                    word[at] = byte;
                    let expected = word.iter().any(|&b| is_special(b));
                    assert_eq!(has_special(u64::from_ne_bytes(word)), expected, "{word:?}");
                }
            }
        }
    }
}
