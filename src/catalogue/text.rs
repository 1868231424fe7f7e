//! Markdown from the catalogue, rendered once into sanitised HTML that
//! feeds and pages share; plain text is derived when a mail or a JSON feed
//! asks for it ([`Text::plain`]).

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use url::Url;

use super::limits;
use super::model::Text;
use super::summary_html;

/// Renders `markdown`; relative links resolve against `base`. For Markdown
/// already within the catalogue's limits (`catalogue/limits.rs`), as loaded
/// catalogues are.
pub fn render(markdown: &str, base: &Url) -> Text {
    let html = scanned(markdown, base).unwrap_or_else(|| {
        trimmed(fast_html(markdown, base).unwrap_or_else(|| clean(&unsafe_html(markdown), base)))
    });
    Text {
        markdown: markdown.to_owned(),
        html,
    }
}

/// Renders `markdown` if it is within [`limits`]; otherwise says what is
/// wrong. Most summaries are read in one scan ([`scanned`]); the rest are
/// parsed once when the middle tier ([`fast_html`]) takes them, twice when
/// they need the sanitiser.
pub(crate) fn render_checked(markdown: String, base: &Url) -> Result<Text, String> {
    limits::check_length(&markdown)?;
    if let Some(html) = scanned(&markdown, base) {
        return Ok(Text { markdown, html });
    }
    let html = match fast_html(&markdown, base) {
        Some(html) => html,
        None => {
            let unsafe_html = unsafe_html(&markdown);
            limits::check_nesting(&unsafe_html)?;
            clean(&unsafe_html, base)
        }
    };
    Ok(Text {
        markdown,
        html: trimmed(html),
    })
}

thread_local! {
    /// Where [`scanned`] writes, reused: the HTML kept is copied out at
    /// its final length, in one allocation.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The HTML of `markdown`, without trailing whitespace, when the one-scan
/// reader takes it (nesting two deep at most, well within the limits):
/// byte for byte what [`fast_html`] writes, without parsing.
fn scanned(markdown: &str, base: &Url) -> Option<String> {
    SCRATCH.with_borrow_mut(|html| {
        html.clear();
        summary_html::push_scanned_html(html, markdown, base)?;
        Some(html.trim_end().to_owned())
    })
}

/// `html` without trailing whitespace, holding no spare capacity: a
/// catalogue keeps one per entry for the whole publish.
fn trimmed(mut html: String) -> String {
    html.truncate(html.trim_end().len());
    html.shrink_to_fit();
    html
}

impl Text {
    /// Readable plain text for mail and JSON: paragraphs separated by
    /// blank lines, list items with "- ", links as `text <url>`.
    pub fn plain(&self) -> String {
        to_plain(Parser::new_ext(&self.markdown, options()))
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The middle tier's HTML (`summary_html.rs`), when it takes `markdown`
/// and its nesting is well within [`limits::MAX_NESTING`] (so the limit
/// needs no HTML to check).
fn fast_html(markdown: &str, base: &Url) -> Option<String> {
    let events = Parser::new_ext(markdown, options());
    summary_html::to_html(markdown, events, base, limits::MAX_NESTING)
}

/// pulldown-cmark's HTML, before sanitising.
fn unsafe_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options()));
    out
}

/// Both renderings of `markdown` as HTML: the middle tier's (`None` when
/// the summary needs the sanitiser) and ammonia's. For the differential fuzz
/// target (`fuzz/`), which checks that they never differ.
#[doc(hidden)]
pub fn fast_and_sanitised(markdown: &str, base: &Url) -> (Option<String>, String) {
    (
        fast_html(markdown, base),
        clean(&unsafe_html(markdown), base),
    )
}

/// The one-scan reader's HTML of `markdown`, untrimmed (`None` when it
/// leaves the summary to the parser). For the differential fuzz target,
/// which checks it is ammonia's HTML and the middle tier's
/// ([`fast_and_sanitised`]).
#[doc(hidden)]
pub fn scanned_html(markdown: &str, base: &Url) -> Option<String> {
    let mut html = String::new();
    summary_html::push_scanned_html(&mut html, markdown, base).map(|()| html)
}

thread_local! {
    /// The sanitiser for the last base URL used on this thread: building
    /// one costs more than cleaning a summary, and a catalogue has one base.
    static SANITISER: RefCell<Option<(Url, Builder<'static>)>> = const { RefCell::new(None) };
}

fn clean(html: &str, base: &Url) -> String {
    SANITISER.with_borrow_mut(|cached| {
        let builder = match cached {
            Some((url, builder)) if url == base => builder,
            _ => &mut cached.insert((base.clone(), sanitiser(base))).1,
        };
        builder.clean(html).to_string()
    })
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
        .link_rel(Some(summary_html::LINK_REL));
    builder
}

/// Plain text from Markdown events (see [`Text::plain`]). Raw HTML is dropped.
fn to_plain<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    let mut links: Vec<String> = Vec::new();
    for event in events {
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
    use crate::catalogue::scan::samples;

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

    /// The fast path's HTML for `markdown`, checked against ammonia's.
    fn same_as_sanitiser(markdown: &str) -> bool {
        let (fast, slow) = fast_and_sanitised(markdown, &base());
        if let Some(fast) = &fast {
            assert_eq!(fast.trim_end(), slow.trim_end(), "for {markdown:?}");
        }
        fast.is_some()
    }

    #[test]
    fn the_fast_path_writes_what_the_sanitiser_writes() {
        let taken = [
            "plain",
            "A **bold** and *em* and ~~del~~ with `co<de> & \"q\"`.",
            "Tom & Jerry < \"quotes\" > 'single' caf\u{e9} \u{a0}nbsp \u{65e5}\u{672c}",
            "[rel](more.html) [abs](https://e.org/a?b=1&c='2'#f) [up](../x) [root](/y)",
            "<https://example.net/4> and <me@example.org> and [m](mailto:a@b.org)",
            "[sp](<a b.html>) [uni](https://e.org/caf\u{e9}) [q](https://e.org/?q=\"x\")",
            "[amp](https://e.org/?a=&amp;b&#x27;) [lit](https://e.org/&amp;amp;)",
            "one\ntwo\n\nthree\n\n- a\n- b *c*\n\n* loose\n\n* list\n",
            "- [x](y.html)\n  - nested\n- `z`\n\ntrailing   ",
            "&copy; &amp; &lt;b&gt; &#65; &nbsp;",
            "A **Zürich** take on *façade* by [path](https://example.com/people/55) with `code` & notes.\n\nSee also [the path notes](notes/talks-4.html) and <https://example.net/4>.",
        ];
        for markdown in taken {
            assert!(
                same_as_sanitiser(markdown),
                "fast path not taken for {markdown:?}"
            );
        }
        let sanitised_only = [
            // Found by fuzzing: an autolink inside link text would nest <a>.
            "[a <me@example.org> b](c.html)",
            "<b>raw</b>",
            "x <script>alert(1)</script>",
            "[js](javascript:alert(1))",
            "[t](https://e.org \"title\")",
            "![img](a.png)",
            "# heading",
            "1. one\n2. two",
            "> quote",
            "line  \nbreak",
            "```\ncode\n```",
            "a | b\n--|--\n1 | 2",
            "[ftp](ftp://e.org/)",
            "crlf\r\nline",
        ];
        for markdown in sanitised_only {
            assert!(
                !same_as_sanitiser(markdown),
                "fast path taken for {markdown:?}"
            );
        }
    }

    #[test]
    fn the_example_catalogue_renders_the_same_either_way() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("entries");
        let mut checked = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let value: toml::Table = toml::from_str(&text).unwrap();
            for table in ["entry", "update"] {
                let items = value.get(table).and_then(|v| v.as_array());
                for item in items.into_iter().flatten() {
                    for key in ["summary", "note"] {
                        if let Some(markdown) = item.get(key).and_then(|v| v.as_str()) {
                            checked += usize::from(same_as_sanitiser(markdown));
                        }
                    }
                }
            }
        }
        assert!(checked > 10, "only {checked} summaries took the fast path");
    }

    /// Whether the one-scan reader took `markdown`; when it did, its HTML
    /// must be the fast path's, byte for byte (and so the sanitiser's).
    fn scanned_as_parsed(markdown: &str) -> bool {
        let scanned = scanned_html(markdown, &base());
        if let Some(scanned) = &scanned {
            let (fast, slow) = fast_and_sanitised(markdown, &base());
            assert_eq!(Some(scanned), fast.as_ref(), "for {markdown:?}");
            assert_eq!(scanned.trim_end(), slow.trim_end(), "for {markdown:?}");
        }
        scanned.is_some()
    }

    #[test]
    fn the_one_scan_html_is_the_fast_paths() {
        for markdown in samples::SCANNED {
            assert!(
                scanned_as_parsed(markdown),
                "one scan did not take {markdown:?}"
            );
        }
        for markdown in [samples::NO_WEB_TARGET, samples::REFUSED].concat() {
            assert!(!scanned_as_parsed(markdown), "one scan took {markdown:?}");
        }
    }

    #[test]
    fn every_example_summary_renders_the_same_either_way() {
        let example = samples::example();
        let mut taken = 0;
        for markdown in &example {
            taken += usize::from(scanned_as_parsed(markdown));
            let parsed = fast_html(markdown, &base())
                .unwrap_or_else(|| clean(&unsafe_html(markdown), &base()));
            assert_eq!(render(markdown, &base()).html, trimmed(parsed));
        }
        let all = example.len();
        assert!(taken * 4 > all * 3, "one scan took only {taken} of {all}");
    }

    #[test]
    fn plain_text_writes_links_out() {
        let text = render(
            "A *talk* by [Will](https://w.org).\n\n- one\n- two",
            &base(),
        )
        .plain();
        assert_eq!(text, "A talk by Will <https://w.org>.\n\n- one\n- two");
    }
}
