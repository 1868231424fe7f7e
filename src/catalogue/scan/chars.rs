//! What characters mean to the one-scan reader (`scan.rs`): text that is
//! inert wherever it stands, the bytes of link targets, and what may
//! follow an emphasis closer.

use crate::byte_set::ByteSet;

/// Whether an emphasis closer followed by `next` (inside other text, so
/// not the end) cannot also open: a space or punctuation follows.
pub(super) fn closes(next: Option<char>) -> bool {
    matches!(next, Some(' ' | '.' | ',' | ';' | ':' | '?' | '!' | ')'))
}

/// Characters that are text wherever they stand: not markup (ASCII
/// punctuation the parser reads), not whitespace, not control.
pub(super) fn inert(c: char) -> bool {
    match u8::try_from(c) {
        Ok(byte) if byte.is_ascii() => ascii_class(byte) & INERT != 0,
        _ => !(c.is_whitespace() || c.is_control()),
    }
}

/// The length of the run of spaces and [`inert`] characters that starts
/// `text`.
pub(super) fn inert_len(text: &str) -> usize {
    let mut at = 0;
    loop {
        at += inert_run(text.as_bytes().get(at..).unwrap_or_default());
        match text.get(at..).and_then(|rest| rest.chars().next()) {
            Some(c) if !c.is_ascii() && inert(c) => at += c.len_utf8(),
            _ => return at,
        }
    }
}

/// The length of the run of spaces and [`INERT`] bytes that starts
/// `bytes`.
pub(super) fn inert_run(bytes: &[u8]) -> usize {
    RUN_ENDS.find_or_end(bytes)
}

/// The bytes that end an [`inert_run`].
const RUN_ENDS: ByteSet = ByteSet::from_members(outside(RUN));
/// The bytes that end a run of plain target bytes ([`target_len`]).
const PLAIN_TARGET_ENDS: ByteSet = ByteSet::from_members(outside(PLAIN_TARGET));

/// The bytes of no class in `classes`.
const fn outside(classes: u8) -> [bool; 256] {
    let mut outside = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        outside[byte] = ASCII_CLASSES[byte] & classes == 0;
        byte += 1;
    }
    outside
}

/// Bytes of a link target the scan accepts: no spaces, brackets, quotes
/// or escapes, so (with no entity and parentheses balanced, [`target_len`])
/// the parser reads it verbatim, and nothing pulldown-cmark
/// percent-encodes in an `href` (its `&amp;` for `&` is decoded again).
/// No byte of a non-ASCII character is one.
pub(crate) fn target_byte(byte: u8) -> bool {
    ascii_class(byte) & TARGET != 0
}

/// The length of the link target at the start of `text`: [`target_byte`]s
/// and characters past ASCII but whitespace and controls, up to the first
/// other byte (an autolink's `>`), or, in an `inline`
/// link, with parentheses balanced (at most 8 deep) up to the `)` that
/// closes the link. `None` when a `&` in it starts an entity, which the
/// parser would decode (`?a=1&amp;b=2`; `?a=1&b=2` is as written), or an
/// inline link's target does not end with its `)`.
pub(super) fn target_len(text: &str, inline: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0_u8;
    let mut at = 0;
    loop {
        let rest = bytes.get(at..)?;
        at += PLAIN_TARGET_ENDS.find_or_end(rest);
        match bytes.get(at) {
            Some(0x80..) => {
                // A character past ASCII, as written (the HTML's `href`
                // percent-encodes it), but for whitespace and controls.
                let c = text.get(at..)?.chars().next()?;
                if c.is_whitespace() || c.is_control() {
                    return (!inline).then_some(at);
                }
                at += c.len_utf8();
                continue;
            }
            Some(b'&') if entity_like(text.get(at + 1..)?) => return None,
            Some(b'&') => {}
            Some(b'(' | b')') if !inline => {}
            Some(b'(') if depth < 8 => depth += 1,
            Some(b')') if depth == 0 => return Some(at),
            Some(b')') => depth -= 1,
            _ => return (!inline).then_some(at),
        }
        at += 1;
    }
}

/// Whether the text after a `&` could make it an entity: `#` or not, then
/// letters and digits, then `;` (`&amp;`, `&#38;`, `&#x26;`).
pub(super) fn entity_like(after: &str) -> bool {
    let name = after.strip_prefix('#').unwrap_or(after);
    let len = name.len()
        - name
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
            .len();
    len > 0 && name.get(len..).is_some_and(|rest| rest.starts_with(';'))
}

/// [`inert`] ASCII.
pub(super) const INERT: u8 = 1;
/// Spaces and [`INERT`] bytes: the runs [`inert_run`] passes.
const RUN: u8 = 8;
/// [`target_byte`]s.
const TARGET: u8 = 2;
/// [`target_byte`]s but `&`, `(` and `)`.
const PLAIN_TARGET: u8 = 4;

/// The classes of a byte: of an ASCII character, or, past ASCII, whether
/// it is surely part of an inert character ([`ASCII_CLASSES`]).
pub(super) fn ascii_class(byte: u8) -> u8 {
    ASCII_CLASSES.get(usize::from(byte)).copied().unwrap_or(0)
}

/// By byte: 256 entries, so a lookup needs no bounds check. Past ASCII,
/// [`INERT`] marks the bytes that neither start nor continue whitespace or
/// a control character: all but the lead bytes C2, E1, E2 and E3 (U+0080
/// to U+00A0, U+1680, U+2000 to U+205F and U+3000 start with them), so
/// text scans byte by byte and decodes only after those.
const ASCII_CLASSES: [u8; 256] = ascii_classes();

const fn ascii_classes() -> [u8; 256] {
    let mut classes = [0; 256];
    let mut high = 128;
    while high < 256 {
        if !matches!(high, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            classes[high] = INERT | RUN;
        }
        high += 1;
    }
    let mut byte: u8 = 0;
    while byte < 128 {
        let alphanumeric = byte.is_ascii_alphanumeric();
        let mut class = 0;
        if alphanumeric || holds(INERT_PUNCTUATION, byte) {
            class |= INERT | RUN;
        }
        if byte == b' ' {
            class |= RUN;
        }
        if alphanumeric || holds(TARGET_PUNCTUATION, byte) {
            class |= TARGET;
            if !matches!(byte, b'&' | b'(' | b')') {
                class |= PLAIN_TARGET;
            }
        }
        classes[byte as usize] = class;
        byte += 1;
    }
    classes
}

/// ASCII punctuation that is [`inert`].
const INERT_PUNCTUATION: &[u8] = b"\"#$%'()+,-./:;=?@^{|}";
/// ASCII punctuation that is a [`target_byte`].
const TARGET_PUNCTUATION: &[u8] = b"-._&()~:/?#@!$+,;=%";

const fn holds(set: &[u8], byte: u8) -> bool {
    let mut at = 0;
    while at < set.len() {
        if set[at] == byte {
            return true;
        }
        at += 1;
    }
    false
}
