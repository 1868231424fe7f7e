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
    // Every invisible character's UTF-8 starts with 0xE2 (U+2000–U+2FFF)
    // or 0xEF (U+FEFF), bytes that only ever start a character: look at
    // those alone rather than decoding the whole file.
    let found = memchr::memchr2_iter(0xE2, 0xEF, file.text.as_bytes()).filter_map(|offset| {
        let c = file.text.get(offset..)?.chars().next()?;
        is_invisible(c).then_some((offset, c))
    });
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::OnceLock;

    use super::*;

    fn warnings(text: &str) -> Vec<String> {
        let file = SourceFile {
            path: PathBuf::from("entries/a.toml"),
            text: text.to_owned(),
            lines: OnceLock::new(),
        };
        let mut found = Vec::new();
        warn_invisible(&file, &mut found);
        found.iter().map(|d| format!("{d:?}")).collect()
    }

    #[test]
    fn each_invisible_character_is_found_where_a_full_decode_finds_it() {
        // Near misses share the lead bytes: an em dash (E2 80 94), U+FEFE,
        // the joiners scripts need (U+200D), an emoji, CJK (E4..), U+FFFD.
        let text = "a\u{2014}b\u{202e}c\u{feff}\u{fefe}d\u{200d}\u{1f600}\u{200b}\n\
                    é\u{2066}日本\u{fffd}\u{2069}\u{2060}";
        let expected: Vec<usize> = text
            .char_indices()
            .filter(|(_, c)| is_invisible(*c))
            .map(|(offset, _)| offset)
            .collect();
        let found = warnings(text);
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        assert_eq!(expected.len(), 6);
        for (warning, offset) in found.iter().zip(&expected) {
            let c = text[*offset..].chars().next().unwrap();
            let code = format!("U+{:04X}", u32::from(c));
            assert!(warning.contains(&code), "{warning} should name {code}");
        }
    }

    #[test]
    fn text_without_invisible_characters_warns_nothing() {
        assert!(warnings("title = \"Café — 日本 \u{200d}\u{1f469}\"\n").is_empty());
    }
}
