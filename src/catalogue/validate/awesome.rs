//! awesome-lint's rules on the data of an awesome catalogue (`[site]
//! awesome = true`, issue 22), as warnings: the README oyez writes keeps
//! the rules of its own making, but a summary that starts in lower case or
//! ends without punctuation, a title that holds a URL and two entries with
//! the same link as awesome-lint compares them are in the data.

use crate::catalogue::model::Catalogue;
use crate::catalogue::raw;

use super::checker::Checker;

/// The warnings on one entry of an awesome catalogue (none for another).
pub(super) fn entry(check: &mut Checker<'_>, catalogue: &Catalogue, raw: &raw::Entry) {
    if !catalogue.site.awesome {
        return;
    }
    if let Some(summary) = &raw.summary {
        let text = summary.get_ref().trim();
        if !starts_well(text) {
            warn(
                check,
                &summary.span(),
                "the summary starts in lower case, which awesome-lint refuses",
                "start it with a capital, a number or a name as it is written (`iOS`)",
            );
        }
        if !text.is_empty() && !ends_well(text) {
            warn(
                check,
                &summary.span(),
                "the summary does not end with `.`, `!`, `?` or `…`, which awesome-lint refuses",
                "end it as a sentence",
            );
        }
    }
    let title = raw.title.get_ref();
    if ["http://", "https://", "www."]
        .iter()
        .any(|start| title.contains(start))
    {
        warn(
            check,
            &raw.title.span(),
            "the title holds a URL, which awesome-lint reads as a second link",
            "name the resource instead",
        );
    }
}

fn warn(check: &mut Checker<'_>, span: &std::ops::Range<usize>, message: &str, help: &str) {
    let diagnostic = check.source.diagnostic(span, message, help);
    check.warnings.push(diagnostic);
}

/// Whether a summary starts as awesome-lint wants: its first word (up to
/// a space, `-`, `;`, `.`, `/` or `'`) has a capital, or starts with a
/// digit, a quote, a bracket or a symbol; words in scripts without case,
/// Markdown and `npm` pass.
fn starts_well(text: &str) -> bool {
    let word = text
        .split([' ', '-', ';', '.', '/', '\''])
        .find(|word| !word.is_empty())
        .unwrap_or_default();
    let Some(first) = word.chars().next() else {
        return true;
    };
    if !first.is_ascii_alphabetic() || word == "npm" {
        return true;
    }
    word.chars().any(|c| c.is_ascii_uppercase())
}

/// Whether a summary ends as awesome-lint wants: with `.`, `!`, `?` or
/// `…` (a closing quote may follow), or with a bracket or a link after
/// punctuation somewhere before it.
fn ends_well(text: &str) -> bool {
    let punctuation = ['.', '!', '?', '…'];
    let bare = text.trim_end_matches(['"', '”']);
    if bare.ends_with(punctuation) {
        return true;
    }
    text.ends_with(')') && text.contains(punctuation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_start_and_end_as_awesome_lint_reads_them() {
        for good in [
            "Fast.",
            "iOS app.",
            "2D engine.",
            "\"Quoted\" tool.",
            "npm tool.",
            "日本語",
        ] {
            assert!(starts_well(good), "{good}");
        }
        for bad in ["martinfowler.com, 2018.", "personal blog.", "a tool."] {
            assert!(!starts_well(bad), "{bad}");
        }
        for good in [
            "A tool.",
            "Is it?",
            "Said \"so.\"",
            "A tool (see [x](https://x.org)).",
        ] {
            assert!(ends_well(good), "{good}");
        }
        for bad in ["A tool", "A tool (beta)", "A tool,"] {
            assert!(!ends_well(bad), "{bad}");
        }
    }
}
