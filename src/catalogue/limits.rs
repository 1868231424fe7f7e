//! Limits on the Markdown oyez renders (summaries, update notes), checked
//! before rendering: the sanitiser (ammonia on html5ever) takes time that
//! grows with the square of the nesting depth and of the number of `&`, so
//! unbounded input could stall a publish for hours (issue 6).

use pulldown_cmark::{Options, Parser, html};

/// Longest Markdown text (summary or note) oyez renders, in characters.
pub(crate) const MAX_MARKDOWN_CHARS: usize = 10_000;
/// Deepest element nesting oyez renders.
pub(crate) const MAX_NESTING: usize = 100;

/// Refuses Markdown that the sanitiser would take minutes on: its cost
/// grows with the square of the nesting depth (100,000 `> ` took longer
/// than two minutes) and of the number of `&` (issue 6). Returns what is wrong.
pub(crate) fn check(markdown: &str) -> Result<(), String> {
    let chars = markdown.chars().count();
    if chars > MAX_MARKDOWN_CHARS {
        return Err(format!(
            "is {chars} characters long, more than {MAX_MARKDOWN_CHARS}"
        ));
    }
    // The same options as `text::render`.
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    if nested_deeper_than(&unsafe_html, MAX_NESTING) {
        return Err(format!("nests more than {MAX_NESTING} levels deep"));
    }
    Ok(())
}

/// HTML elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Whether elements in `html` nest deeper than `limit`. Like an HTML parser,
/// an end tag closes the nearest open element of its name and a stray one
/// is ignored, so stray end tags cannot hide depth. Stops at `limit`, so it
/// is linear.
fn nested_deeper_than(html: &str, limit: usize) -> bool {
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let closing = rest.starts_with('/');
        let tag = rest.trim_start_matches('/');
        let name_len = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        let name = tag[..name_len].to_ascii_lowercase();
        let end = rest.find('>').map_or(rest.len(), |end| end + 1);
        let self_closing = rest[..end].ends_with("/>");
        rest = &rest[end..];
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            if let Some(index) = open.iter().rposition(|n| *n == name) {
                open.truncate(index);
            }
        } else if !self_closing {
            open.push(name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_and_huge_text_are_refused_before_sanitising() {
        assert_eq!(
            check("A *fine* summary with [a link](https://e.org)."),
            Ok(())
        );
        let deep = "> ".repeat(100_000) + "x";
        assert_eq!(
            check(&deep),
            Err("is 200001 characters long, more than 10000".into())
        );
        let deep = "- ".repeat(2_000) + "x";
        assert_eq!(check(&deep), Err("nests more than 100 levels deep".into()));
        // Stray end tags do not hide depth.
        let sneaky = "<div></span>".repeat(150);
        assert_eq!(
            check(&sneaky),
            Err("nests more than 100 levels deep".into())
        );
        let flat = "<b>x</b> <br> <img src=x>".repeat(300);
        assert_eq!(check(&flat), Ok(()));
        assert_eq!(check(&"> ".repeat(49)), Ok(()));
        assert!(check(&"&".repeat(MAX_MARKDOWN_CHARS)).is_ok());
    }
}
