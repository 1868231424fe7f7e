//! A contributor's name as the README's Contributors line writes it
//! (issue 22 §1): awesome-lint's balanced-punctuation rule reads the whole
//! line as one text, so a name whose quote or bracket never closes
//! (`Herbert "TheBracket`) fails the list. Such a character is left out of
//! the line; pairs that close are kept, and so is an apostrophe.

use std::borrow::Cow;

/// The pairs the rule checks: straight double quotes, curly quotes and
/// the CJK brackets.
const PAIRS: [(char, char); 8] = [
    ('"', '"'),
    ('\u{201C}', '\u{201D}'),
    ('\u{2018}', '\u{2019}'),
    ('\u{300E}', '\u{300F}'),
    ('\u{FF08}', '\u{FF09}'),
    ('\u{300A}', '\u{300B}'),
    ('\u{300C}', '\u{300D}'),
    ('\u{3010}', '\u{3011}'),
];

/// `name` without the quotes and brackets of [`PAIRS`] that do not close,
/// read as the rule reads them; `name` itself when every one closes.
pub(super) fn balanced(name: &str) -> Cow<'_, str> {
    let mut chars: Vec<char> = name.chars().collect();
    loop {
        let unmatched = unmatched(&chars);
        if unmatched.is_empty() {
            break;
        }
        let mut at = 0;
        chars.retain(|_| {
            at += 1;
            !unmatched.contains(&(at - 1))
        });
    }
    if chars.len() == name.chars().count() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(chars.into_iter().collect())
    }
}

/// The indexes of the characters of `chars` the rule reports: a closing
/// one without its opening, an opening one never closed.
fn unmatched(chars: &[char]) -> Vec<usize> {
    let mut reported = Vec::new();
    // The open pairs: (index, pair), innermost last.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut quote_open = false;
    for (at, &c) in chars.iter().enumerate() {
        if matches!(c, '\'' | '\u{2019}') && is_apostrophe(chars, at) {
            continue;
        }
        if c == '"' {
            if !quote_open {
                open.push((at, 0));
            } else if open.last().is_some_and(|&(_, pair)| pair == 0) {
                open.pop();
            } else {
                reported.push(at);
            }
            quote_open = !quote_open;
        } else if let Some(pair) = PAIRS.iter().position(|&(left, _)| left == c) {
            open.push((at, pair));
        } else if let Some(pair) = PAIRS.iter().position(|&(_, right)| right == c) {
            match open.iter().rposition(|&(_, p)| p == pair) {
                Some(index) => {
                    open.remove(index);
                }
                None => reported.push(at),
            }
        }
    }
    reported.extend(open.into_iter().map(|(at, _)| at));
    reported
}

/// Whether the quote at `at` is an apostrophe to the rule (`don't`,
/// `students'`): after a word character, before one, the end or punctuation.
fn is_apostrophe(chars: &[char], at: usize) -> bool {
    let word = |c: &char| c.is_alphabetic() || c.is_numeric() || *c == '_';
    let before = at.checked_sub(1).and_then(|b| chars.get(b));
    let after = chars.get(at + 1);
    before.is_some_and(word)
        && after.is_none_or(|c| word(c) || c.is_whitespace() || ".,;:!?()[]{}\"'—–".contains(*c))
}

#[cfg(test)]
mod tests {
    use super::balanced;

    #[test]
    fn a_quote_or_bracket_that_does_not_close_is_left_out() {
        for (name, written) in [
            ("Herbert \"TheBracket", "Herbert TheBracket"),
            ("Ana \"la\" Pérez", "Ana \"la\" Pérez"),
            ("\"a\" \"b", "\"a\" b"),
            ("O\u{2019}Brien", "O\u{2019}Brien"),
            ("\u{2018}Bob", "Bob"),
            ("Bob\u{201D}", "Bob"),
            ("\u{201C}x\u{201D} \u{300C}y", "\u{201C}x\u{201D} y"),
            ("\u{201C}a \"b\u{201D}\"", "\u{201C}a \"b\u{201D}\""),
            // A quote closed inside an open curly quote is out of order.
            ("\" \u{201C} \"", "  "),
            ("[x (y *z_ `w", "[x (y *z_ `w"),
        ] {
            assert_eq!(balanced(name), written, "{name}");
        }
    }
}
