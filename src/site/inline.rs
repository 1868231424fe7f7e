//! Catalogue Markdown made safe to republish as Markdown, on one line:
//! the summary's inline formatting and web links survive; raw HTML,
//! images and links with other schemes (`javascript:`, `data:`) do not,
//! so a viewer that renders the list (GitHub, an editor) runs nothing.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use url::Url;

use super::fast_line::{self, Targets};
use super::list::{escape_url, push_escaped};
use crate::catalogue::targets::web_target;

/// `markdown` as one line of safe inline Markdown; relative links resolve
/// against `base`. `None` when nothing is left.
pub fn safe_line(markdown: &str, base: &Url) -> Option<String> {
    let mut line = String::with_capacity(markdown.len());
    push_safe_line(&mut line, markdown, &mut Targets::new(base));
    (!line.is_empty()).then_some(line)
}

/// [`safe_line`] for many summaries of one catalogue, appended to `out`
/// (nothing when nothing is left); `targets` remembers what it learnt
/// about link targets. Summaries of plain words, emphasis, code and links
/// take the fast path ([`fast_line`]); the rest are parsed.
pub(super) fn push_safe_line(out: &mut String, markdown: &str, targets: &mut Targets<'_>) {
    if fast_line::push_safe_line(out, markdown, targets).is_none()
        && let Some(line) = parsed_line(markdown, targets.base())
    {
        out.push_str(&line);
    }
}

/// Both ways to the safe line of `markdown`: the fast path's (`None` when
/// it leaves the summary to the parser) and the parser's. For the
/// differential fuzz target (`fuzz/`), which checks that they never differ.
#[doc(hidden)]
pub fn fast_and_parsed(markdown: &str, base: &Url) -> (Option<Option<String>>, Option<String>) {
    let mut line = String::new();
    let fast = fast_line::push_safe_line(&mut line, markdown, &mut Targets::new(base));
    let fast = fast.map(|()| (!line.is_empty()).then_some(line));
    (fast, parsed_line(markdown, base))
}

/// The safe line by pulldown-cmark's events: the reference.
fn parsed_line(markdown: &str, base: &Url) -> Option<String> {
    let mut out = String::with_capacity(markdown.len());
    let mut links: Vec<Option<String>> = Vec::new();
    // Inside an image (dropped) or a kept autolink (written whole at its start).
    let mut skipping = 0usize;
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Image { .. }) => skipping += 1,
            Event::End(TagEnd::Image) => skipping = skipping.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url,
                ..
            }) if web_target(&dest_url, base).is_some() => {
                out.push_str(&format!("<{dest_url}>"));
                links.push(None);
                skipping += 1;
            }
            Event::End(TagEnd::Link) if skipping > 0 => {
                links.pop();
                skipping -= 1;
            }
            _ if skipping > 0 => {}
            Event::Text(text) => push_text(&mut out, &text),
            Event::Code(code) => push_code(&mut out, &code),
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => out.push('*'),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => out.push_str("**"),
            Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => {
                out.push_str("~~");
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let target = web_target(&dest_url, base);
                if target.is_some() {
                    out.push('[');
                }
                links.push(target);
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(target)) = links.pop() {
                    out.push_str("](");
                    out.push_str(&escape_url(&target));
                    out.push(')');
                }
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push(' '),
            _ => {}
        }
    }
    let line = out.split_whitespace().collect::<Vec<_>>().join(" ");
    (!line.is_empty()).then_some(line)
}

fn push_text(out: &mut String, text: &str) {
    let prev = out.chars().next_back();
    push_escaped(out, prev, text);
}

/// Inline code with a fence longer than any backtick run inside it.
fn push_code(out: &mut String, code: &str) {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    out.push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(markdown: &str) -> String {
        safe_line(markdown, &Url::parse("https://example.org/list/").unwrap()).unwrap_or_default()
    }

    #[test]
    fn inline_formatting_and_web_links_survive() {
        assert_eq!(
            line("A *talk* by [Will](https://w.org/x) and `co*de`.\n\nSee [more](more.html)."),
            "A *talk* by [Will](https://w.org/x) and `co*de`. See [more](https://example.org/list/more.html)."
        );
    }

    #[test]
    fn html_images_and_script_links_are_dropped() {
        assert_eq!(
            line(
                "x <script>alert(1)</script> [js](javascript:alert(1)) ![i](data:x) <iframe src=y></iframe> <b>b</b>"
            ),
            "x alert(1) js b"
        );
    }

    #[test]
    fn autolinks_stay_autolinks_only_for_web_schemes() {
        assert_eq!(line("see <https://e.org/a>."), "see <https://e.org/a>.");
        assert_eq!(line("<javascript:alert(1)>"), "javascript:alert(1)");
    }
}
