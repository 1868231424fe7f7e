//! Invisible characters in catalogue files: warned at `path:line:col`
//! (issue 15).

use super::SourceFile;
use crate::catalogue::location::Diagnostic;

/// Whether `c` reorders or hides text without showing itself: the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069, the "Trojan Source" characters), zero-width space
/// (U+200B), word joiner (U+2060) and a BOM inside text (U+FEFF). The
/// joiners and marks scripts and emoji need (U+200C, U+200D, U+200E,
/// U+200F) are not among them.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// Warnings listed per file; the rest are counted.
const MAX_INVISIBLE_WARNINGS: usize = 10;

/// Warns at `path:line:col` of each invisible character ([`is_invisible`])
/// in a catalogue file: a title could read differently from what the
/// feeds and mails carry (issue 15).
pub(crate) fn warn_invisible(file: &SourceFile, warnings: &mut Vec<Diagnostic>) {
    let found = file.text.char_indices().filter(|(_, c)| is_invisible(*c));
    let mut count = 0usize;
    for (offset, c) in found {
        count += 1;
        if count <= MAX_INVISIBLE_WARNINGS {
            warnings.push(file.source().diagnostic(
                &(offset..offset),
                format!("invisible character U+{:04X} here", u32::from(c)),
                "it can make text read differently from what it says; remove it",
            ));
        }
    }
    if count > MAX_INVISIBLE_WARNINGS {
        warnings.push(Diagnostic {
            location: None,
            message: format!(
                "{}: {} more invisible characters",
                file.path.display(),
                count - MAX_INVISIBLE_WARNINGS
            ),
            help: "remove them".into(),
        });
    }
}
