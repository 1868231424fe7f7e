//! Markdown from the catalogue, rendered once into sanitised HTML and plain
//! text that feeds, pages and mails share.

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use url::Url;

use super::model::Text;

/// Renders `markdown`; relative links resolve against `base`.
pub fn render(markdown: &str, base: &Url) -> Text {
    Text {
        markdown: markdown.to_owned(),
        html: to_html(markdown, base),
        plain: to_plain(markdown),
    }
}

/// Longest Markdown text (summary or note) oyez renders, in characters.
pub(crate) const MAX_MARKDOWN_CHARS: usize = 10_000;
/// Deepest element nesting oyez renders.
pub(crate) const MAX_NESTING: usize = 100;

/// Refuses Markdown that the sanitiser would take minutes on: its cost
/// grows with the square of the nesting depth (100,000 `> ` took longer
/// than two minutes) and of the number of `&` (issue 6). Returns what is wrong.
pub(crate) fn check_limits(markdown: &str) -> Result<(), String> {
    let chars = markdown.chars().count();
    if chars > MAX_MARKDOWN_CHARS {
        return Err(format!(
            "is {chars} characters long, more than {MAX_MARKDOWN_CHARS}"
        ));
    }
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options()));
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

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn to_html(markdown: &str, base: &Url) -> String {
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options()));
    sanitiser(base)
        .clean(&unsafe_html)
        .to_string()
        .trim_end()
        .to_owned()
}

/// ammonia's defaults (no scripts, styles, event handlers or `javascript:`
/// URLs) restricted to web and mail links, with relative links made absolute.
fn sanitiser(base: &Url) -> Builder<'static> {
    static SCHEMES: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| ["http", "https", "mailto"].into_iter().collect());
    let mut builder = Builder::default();
    builder
        .url_schemes(SCHEMES.clone())
        .url_relative(UrlRelative::RewriteWithBase(base.clone()))
        .link_rel(Some("noopener noreferrer"));
    builder
}

/// Plain text for mail and JSON: paragraphs separated by blank lines, list
/// items with "- ", links as `text <url>`. Raw HTML is dropped.
fn to_plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut links: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.into_string()),
            Event::End(TagEnd::Link) => push_link_target(&mut out, links.pop()),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                out.push_str("\n\n");
            }
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push('\t'),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => out.push('\n'),
            _ => {}
        }
    }
    let trimmed: Vec<&str> = out.lines().map(str::trim_end).collect();
    trimmed.join("\n").trim().to_owned()
}

fn push_link_target(out: &mut String, target: Option<String>) {
    let Some(target) = target else { return };
    let scheme_ok = ["http:", "https:", "mailto:"]
        .iter()
        .any(|s| target.starts_with(s));
    if scheme_ok && !out.ends_with(&target) {
        out.push_str(" <");
        out.push_str(&target);
        out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.org/list/").unwrap()
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let hostile = "Hi <script>alert(1)</script><img src=x onerror=alert(2)> \
                       [x](javascript:alert(3)) <a href=\"JaVaScRiPt:alert(4)\">y</a> \
                       <iframe src=\"https://e.org\"></iframe><svg onload=alert(5)></svg>";
        let html = render(hostile, &base()).html;
        assert_eq!(
            html,
            "<p>Hi <img src=\"https://example.org/list/x\"> <a rel=\"noopener noreferrer\">x</a> \
             <a rel=\"noopener noreferrer\">y</a> </p>"
        );
    }

    #[test]
    fn relative_links_resolve_against_the_site() {
        let html = render("[a](more.html)", &base()).html;
        assert_eq!(
            html,
            "<p><a href=\"https://example.org/list/more.html\" rel=\"noopener noreferrer\">a</a></p>"
        );
    }

    #[test]
    fn deep_nesting_and_huge_text_are_refused_before_sanitising() {
        assert_eq!(
            check_limits("A *fine* summary with [a link](https://e.org)."),
            Ok(())
        );
        let deep = "> ".repeat(100_000) + "x";
        assert_eq!(
            check_limits(&deep),
            Err("is 200001 characters long, more than 10000".into())
        );
        let deep = "- ".repeat(2_000) + "x";
        assert_eq!(
            check_limits(&deep),
            Err("nests more than 100 levels deep".into())
        );
        // Stray end tags do not hide depth.
        let sneaky = "<div></span>".repeat(150);
        assert_eq!(
            check_limits(&sneaky),
            Err("nests more than 100 levels deep".into())
        );
        let flat = "<b>x</b> <br> <img src=x>".repeat(300);
        assert_eq!(check_limits(&flat), Ok(()));
        assert_eq!(check_limits(&"> ".repeat(49)), Ok(()));
        assert!(check_limits(&"&".repeat(MAX_MARKDOWN_CHARS)).is_ok());
    }

    #[test]
    fn plain_text_writes_links_out() {
        let text = render(
            "A *talk* by [Will](https://w.org).\n\n- one\n- two",
            &base(),
        )
        .plain;
        assert_eq!(text, "A talk by Will <https://w.org>.\n\n- one\n- two");
    }
}
