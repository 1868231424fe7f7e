//! `README.md`, the catalogue as the Markdown list readers know: title,
//! description, contents, one section of `- [Title](url) - summary` items
//! per category (the maintainer's file order), then the dated update log.
//! Fields are escaped here so that titles and URLs survive as Markdown;
//! `oyez import markdown` reads the result back into the same catalogue.

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::inline;
use super::view::{self, FeedLink, SiteView};
use crate::catalogue::{Catalogue, Credit};
use crate::template::{TemplateError, Templates};

pub const FILE: &str = "README.md";
/// The template's name, as a catalogue's `templates/` may override it.
pub const TEMPLATE: &str = "list.md";

#[derive(Serialize)]
struct ListContext {
    site: SiteView,
    /// The title and description, escaped for Markdown.
    title: String,
    description: Option<String>,
    feeds: Vec<FeedLink>,
    sections: Vec<ListSection>,
    updates: Vec<ListUpdate>,
    credits: Vec<ListCredit>,
}

#[derive(Serialize)]
struct ListSection {
    slug: String,
    title: String,
    /// GitHub's anchor for the section heading, for the contents.
    anchor: String,
    description: Option<String>,
    /// Each [`ListEntry`] already turned into the template's value, so
    /// the list never holds its entries twice (as structs and as values).
    entries: Vec<Value>,
}

#[derive(Serialize)]
struct ListEntry {
    id: String,
    title: String,
    /// `<…>`-safe link target, or none for entries without a URL.
    url: Option<String>,
    /// One line of Markdown.
    summary: Option<String>,
    /// Credited handles the summary does not mention, as `@handle`.
    thanks: Vec<String>,
}

#[derive(Serialize)]
struct ListUpdate {
    id: String,
    date: String,
    note: String,
    /// Credited handles the note does not already mention, as `@handle`.
    thanks: Vec<String>,
    /// The entries it announces that the note does not link to, so that
    /// importing the list back dates them the same.
    added: Vec<ListEntry>,
}

#[derive(Serialize)]
struct ListCredit {
    handle: String,
    name: String,
    uri: Option<String>,
}

/// Bytes the built-in list spends per entry, rounded up (about 400 with
/// the generated benchmark catalogue): the buffer starts that large.
const BYTES_PER_ENTRY: usize = 512;

/// Renders `README.md` through the `list.md` template.
pub fn render(catalogue: &Catalogue, templates: &Templates) -> Result<Vec<u8>, TemplateError> {
    let base = &catalogue.site.base_url;
    let sections = list_sections(catalogue);
    let updates = catalogue
        .updates
        .iter()
        .map(|update| {
            let note = inline::safe_line(&update.note.markdown, base).unwrap_or_default();
            let thanks = unmentioned(&note, update.by.iter().map(String::as_str));
            let added = update
                .announces
                .iter()
                .filter_map(|&index| catalogue.entries.get(index))
                .filter(|entry| {
                    entry
                        .url
                        .as_ref()
                        .is_none_or(|url| !update.note.markdown.contains(url.as_str()))
                })
                .map(|entry| ListEntry {
                    id: entry.id.clone(),
                    title: escape_text(&entry.title),
                    url: entry.url.as_ref().map(|url| escape_url(url.as_str())),
                    summary: None,
                    thanks: Vec::new(),
                })
                .collect();
            ListUpdate {
                id: update.id.clone(),
                date: update.day.to_string(),
                note,
                thanks,
                added,
            }
        })
        .collect();
    let credits = view::credits(catalogue, &catalogue.entries, &catalogue.updates)
        .into_iter()
        .map(list_credit)
        .collect();
    let context = ListContext {
        site: SiteView::new(catalogue),
        title: escape_text(&catalogue.site.title),
        description: catalogue.site.description.as_deref().map(escape_text),
        feeds: view::feed_links(catalogue),
        sections,
        updates,
        credits,
    };
    let capacity = catalogue
        .entries
        .len()
        .saturating_mul(BYTES_PER_ENTRY)
        .saturating_add(64 * 1024);
    templates.render_sized(TEMPLATE, context, capacity)
}

/// The entries grouped by category (categories in order, empty ones left
/// out; entries in the maintainer's file order), built straight from the
/// catalogue rather than from [`view::sections`], which would first copy
/// every entry's fields (HTML and plain text included) only to drop them.
fn list_sections(catalogue: &Catalogue) -> Vec<ListSection> {
    let base = &catalogue.site.base_url;
    let mut sections: Vec<ListSection> = catalogue
        .categories
        .iter()
        .map(|category| ListSection {
            slug: category.slug.clone(),
            anchor: anchor(&category.title),
            title: escape_text(&category.title),
            description: category.description.as_deref().map(escape_text),
            entries: Vec::new(),
        })
        .collect();
    for entry in catalogue.entries_in_file_order() {
        let summary = entry
            .summary
            .as_ref()
            .and_then(|summary| inline::safe_line(&summary.markdown, base));
        let said = summary.as_deref().unwrap_or_default();
        let item = ListEntry {
            id: entry.id.clone(),
            title: escape_text(&entry.title),
            url: entry.url.as_ref().map(|url| escape_url(url.as_str())),
            thanks: unmentioned(said, entry.by.iter().map(String::as_str)),
            summary,
        };
        if let Some(section) = sections.get_mut(entry.category) {
            section.entries.push(Value::from(Serde(item)));
        }
    }
    sections.retain(|section| !section.entries.is_empty());
    sections
}

fn list_credit(credit: Credit) -> ListCredit {
    ListCredit {
        name: escape_text(&credit.name),
        uri: credit.uri.as_deref().map(escape_url),
        handle: credit.handle,
    }
}

/// `@handle` for each handle that `text` does not mention.
fn unmentioned<'a>(text: &str, handles: impl Iterator<Item = &'a str>) -> Vec<String> {
    handles
        .filter(|handle| !mentions(text, handle))
        .map(|handle| format!("@{handle}"))
        .collect()
}

/// Whether `text` mentions `@handle` as a whole handle.
fn mentions(text: &str, handle: &str) -> bool {
    let needle = format!("@{handle}");
    text.match_indices(&needle).any(|(at, _)| {
        let next = text[at + needle.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    })
}

/// Plain text made safe as Markdown inline text (link text, headings, items).
pub fn escape_text(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut escaped = escape_inline(&text);
    if escaped.starts_with(['-', '+', '#', '>', '=']) {
        escaped.insert(0, '\\');
    }
    // A heading's trailing `#`s would be read as its closing sequence.
    let hashes = escaped.len() - escaped.trim_end_matches('#').len();
    if hashes > 0 && escaped.len() > hashes {
        escaped.insert(escaped.len() - hashes, '\\');
    }
    escaped
}

/// Escapes the characters that would start inline Markdown (links,
/// emphasis, code, HTML); `_` after a letter (snake_case, `jpgcc_`) is left alone.
pub fn escape_inline(text: &str) -> String {
    escape_inline_after(None, text)
}

/// [`escape_inline`] for text that follows `prev` (text arrives in pieces).
pub fn escape_inline_after(prev: Option<char>, text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut before = prev;
    for (at, c) in text.char_indices() {
        // A `_` after a letter cannot open emphasis, and closers need an opener.
        let lone_underscore = c == '_' && !before.is_some_and(char::is_alphanumeric);
        let entity = c == '&' && starts_entity(&text[at + 1..]);
        if lone_underscore || entity || matches!(c, '\\' | '[' | ']' | '*' | '`' | '<') {
            escaped.push('\\');
        }
        escaped.push(c);
        before = Some(c);
    }
    escaped
}

/// Whether text after a `&` would make it an entity (`&amp;`, `&#38;`).
fn starts_entity(rest: &str) -> bool {
    let name = rest.strip_prefix('#').unwrap_or(rest);
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    end > 0 && name[end..].starts_with(';')
}

/// A URL as a Markdown link destination: as it is when its parentheses
/// balance (Wikipedia's `Foo_(bar)`), else in `<…>`; spaces and angle
/// brackets, which a parsed URL never holds, are encoded.
pub fn escape_url(url: &str) -> String {
    let url = url
        .replace(' ', "%20")
        .replace('<', "%3C")
        .replace('>', "%3E");
    let mut depth: i64 = 0;
    let mut balanced = true;
    for c in url.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        balanced &= depth >= 0;
    }
    if balanced && depth == 0 {
        url
    } else {
        format!("<{url}>")
    }
}

/// The anchor GitHub gives a heading: lowercase, spaces to `-`, other
/// punctuation dropped.
pub fn anchor(title: &str) -> String {
    title
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_text_and_targets_are_escaped() {
        assert_eq!(
            escape_text("Arrays [1] *and* _x_ a_b_"),
            r"Arrays \[1\] \*and\* \_x_ a_b_"
        );
        assert_eq!(escape_text("- not a list"), r"\- not a list");
        assert_eq!(escape_text("C#"), r"C\#");
        assert_eq!(
            escape_text("Tools & more &amp; &#38;"),
            r"Tools & more \&amp; \&#38;"
        );
        assert_eq!(
            escape_text("Tools & more &amp; &#38;"),
            r"Tools & more \&amp; \&#38;"
        );
        assert_eq!(
            escape_url("https://en.wikipedia.org/wiki/Foo_(bar)"),
            "https://en.wikipedia.org/wiki/Foo_(bar)"
        );
        assert_eq!(
            escape_url("https://example.org/a)b"),
            "<https://example.org/a)b>"
        );
    }

    #[test]
    fn anchors_follow_github() {
        assert_eq!(anchor("Articles and blog posts"), "articles-and-blog-posts");
        assert_eq!(anchor("Tools & Libraries!"), "tools--libraries");
    }

    #[test]
    fn mentions_match_whole_handles() {
        assert!(mentions("thanks to @alice and @bob", "alice"));
        assert!(!mentions("thanks to @alice2", "alice"));
    }
}
