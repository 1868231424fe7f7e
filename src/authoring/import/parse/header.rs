//! What a list's head says when it is not plain Markdown: a title in a raw
//! HTML header (`<h1 align="center"><img alt="Awesome X"></h1>`, a centred
//! `<p>` logo), and which paragraphs are no description (a Slack, Discord
//! or Gitter invitation, a sponsor's note).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use super::inline::one_line;

/// Whether the list carries the Awesome badge (an image from `awesome.re`,
/// as Markdown or raw HTML) before its first section heading.
pub(super) fn has_awesome_badge(markdown: &str) -> bool {
    let badge = |url: &str| url.contains("awesome.re/badge");
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H1 => return false,
            Event::Start(Tag::Image { dest_url, .. }) if badge(&dest_url) => return true,
            Event::Html(html) | Event::InlineHtml(html) if badge(&html) => return true,
            _ => {}
        }
    }
    false
}

/// A title read from an HTML block, and how it was found.
pub(super) fn html_title(html: &str) -> Option<(String, &'static str)> {
    let lower = html.to_ascii_lowercase();
    // A centred logo before any paragraph (a sponsor's note follows it in
    // awesome-nodejs's shape) names the list by its alt text (issue 22).
    let logo = lower
        .find("<img")
        .filter(|&img| lower.find("<p").is_none_or(|p| img < p));
    if element(&lower, "h1").is_none()
        && let Some(alt) = logo.and_then(|at| attribute(html.get(at..)?, "alt"))
        && !one_line(&alt).is_empty()
    {
        return Some((
            one_line(&alt),
            "the alt text of the logo in the HTML header",
        ));
    }
    let heading = element(&lower, "h1").or_else(|| element(&lower, "p"))?;
    let inner = html.get(heading.clone())?;
    let text = one_line(&strip_tags(inner));
    if !text.is_empty() {
        return Some((text, "the text of the HTML heading"));
    }
    let alt = attribute(inner, "alt").map(|a| one_line(&a))?;
    (!alt.is_empty()).then_some((alt, "the alt text of the image in the HTML heading"))
}

/// The byte range inside the first `<tag …>…</tag>` of `lower`.
fn element(lower: &str, tag: &str) -> Option<std::ops::Range<usize>> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(at) = lower.get(from..)?.find(&open).map(|i| i + from) {
        let after = lower.get(at + open.len()..)?.chars().next()?;
        if after == '>' || after.is_whitespace() {
            let start = at + lower.get(at..)?.find('>')? + 1;
            let end = lower
                .get(start..)?
                .find(&format!("</{tag}"))
                .map_or(lower.len(), |i| i + start);
            return Some(start..end);
        }
        from = at + open.len();
    }
    None
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").replace("&nbsp;", " ")
}

/// The value of the first `name="…"` (or `'…'`) attribute in `html`.
fn attribute(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let pattern = format!("{name}=");
    let mut from = 0;
    while let Some(at) = lower.get(from..)?.find(&pattern).map(|i| i + from) {
        let starts_word = lower[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let value = html.get(at + pattern.len()..)?;
        if starts_word && let Some(quote) = value.chars().next().filter(|q| *q == '"' || *q == '\'')
        {
            let rest = &value[1..];
            return rest.find(quote).map(|end| rest[..end].to_owned());
        }
        from = at + pattern.len();
    }
    None
}

/// Hosts of chat invitations and sponsorship pages.
const INVITATION_HOSTS: [&str; 9] = [
    "slack.com",
    "discord.gg",
    "discord.com",
    "gitter.im",
    "opencollective.com",
    "github.com/sponsors",
    "patreon.com",
    "ko-fi.com",
    "buymeacoffee.com",
];

/// Words of a paragraph that invites to a chat or asks for sponsors or money.
const INVITATION_WORDS: [&str; 11] = [
    "slack",
    "discord",
    "gitter",
    "sponsor",
    "join us",
    "backers",
    "supporter",
    "donat",
    "monthly fee",
    "money",
    "paypal",
];

/// Whether a paragraph (its plain text and links) is a chat invitation or
/// a sponsor's note rather than what the list is about.
pub(super) fn is_invitation<'a>(text: &str, mut links: impl Iterator<Item = &'a str>) -> bool {
    let lower = text.to_lowercase();
    INVITATION_WORDS.iter().any(|word| lower.contains(word))
        || links.any(|url| {
            let url = url.to_ascii_lowercase();
            INVITATION_HOSTS.iter().any(|host| url.contains(host))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_awesome_badge_is_found_before_the_first_section_only() {
        let badge = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)";
        assert!(has_awesome_badge(&format!(
            "# Awesome X {badge}\n\n> A list.\n"
        )));
        assert!(has_awesome_badge(&format!(
            "# Awesome X\n\n{badge}\n\n## Tools\n"
        )));
        assert!(has_awesome_badge(
            "<div align=\"center\"><a href=\"https://awesome.re\"><img src=\"https://awesome.re/badge-flat.svg\"></a></div>\n"
        ));
        assert!(!has_awesome_badge(&format!(
            "# X\n\n## Tools\n\n- {badge}\n"
        )));
        assert!(!has_awesome_badge(
            "# Awesome X\n\n- [awesome.re](https://awesome.re)\n"
        ));
    }

    #[test]
    fn titles_come_from_html_headers() {
        let html = "<h1 align=\"center\">\n\t<br>\n\t<img width=\"500\" src=\"media/logo.svg\" alt=\"Awesome Node.js\">\n\t<br>\n</h1>\n";
        assert_eq!(
            html_title(html),
            Some((
                "Awesome Node.js".to_owned(),
                "the alt text of the image in the HTML heading"
            ))
        );
        assert_eq!(
            html_title("<h1 align=\"center\">Awesome <b>Rust</b></h1>"),
            Some(("Awesome Rust".to_owned(), "the text of the HTML heading"))
        );
        assert_eq!(
            html_title("<p align='center'><img src=x.png alt='Papers'></p>").map(|t| t.0),
            Some("Papers".to_owned())
        );
        assert_eq!(html_title("<div><img src=x.png></div>"), None);
        // A logo, then a sponsor's paragraph: the logo names the list.
        assert_eq!(
            html_title(
                "<div align=\"center\">\n<img src=\"logo.svg\" alt=\"Awesome Node.js\">\n<p><a href=\"s\">My work is supported</a></p></div>"
            ),
            Some((
                "Awesome Node.js".to_owned(),
                "the alt text of the logo in the HTML header"
            ))
        );
        assert_eq!(html_title("<picture><source srcset=x></picture>"), None);
    }

    #[test]
    fn invitations_and_sponsor_notes_are_recognised() {
        assert!(is_invitation(
            "We use the Gophers Slack for instant communication, join us.",
            std::iter::empty()
        ));
        assert!(is_invitation(
            "Chat with us",
            ["https://discord.gg/x"].into_iter()
        ));
        assert!(!is_invitation(
            "A curated list of delightful Go packages.",
            ["https://golang.org"].into_iter()
        ));
    }
}
