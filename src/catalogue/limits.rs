//! Limits on the Markdown oyez renders (summaries, update notes), checked
//! before rendering: the sanitiser (ammonia on html5ever) takes time that
//! grows with the square of the nesting depth and of the number of `&`, so
//! unbounded input could stall a publish for hours (issue 6).

/// Longest Markdown text (summary or note) oyez renders, in characters.
pub(crate) const MAX_MARKDOWN_CHARS: usize = 10_000;
/// Deepest element nesting oyez renders.
pub(crate) const MAX_NESTING: usize = 100;

/// At most [`MAX_MARKDOWN_CHARS`] characters.
pub(crate) fn check_length(markdown: &str) -> Result<(), String> {
    // A character takes at least one byte: short texts need no counting.
    if markdown.len() <= MAX_MARKDOWN_CHARS {
        return Ok(());
    }
    let chars = markdown.chars().count();
    if chars > MAX_MARKDOWN_CHARS {
        return Err(format!(
            "is {chars} characters long, more than {MAX_MARKDOWN_CHARS}"
        ));
    }
    Ok(())
}

/// At most [`MAX_NESTING`] elements deep in pulldown-cmark's HTML.
pub(crate) fn check_nesting(unsafe_html: &str) -> Result<(), String> {
    if nested_deeper_than(unsafe_html, MAX_NESTING) {
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

    /// The limits as the catalogue applies them: while rendering.
    fn check(markdown: &str) -> Result<(), String> {
        let base = url::Url::parse("https://example.org/").unwrap();
        crate::catalogue::text::render_checked(markdown.to_owned(), &base).map(drop)
    }

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
