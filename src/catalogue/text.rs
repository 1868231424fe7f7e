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
    fn plain_text_writes_links_out() {
        let text = render(
            "A *talk* by [Will](https://w.org).\n\n- one\n- two",
            &base(),
        )
        .plain;
        assert_eq!(text, "A talk by Will <https://w.org>.\n\n- one\n- two");
    }
}
