//! `README.md`, the catalogue as the Markdown list readers know: title,
//! description, contents, one section of `- [Title](url) - summary` items
//! per category (the maintainer's file order), then the dated update log.
//! Fields are escaped here so that titles and URLs survive as Markdown;
//! `oyez import markdown` reads the result back into the same catalogue.

use std::collections::HashSet;

use minijinja::Value;
use serde::Serialize;

use super::list_items::Items;
use super::view::{self, FeedLink, SiteView};
use super::{inline, list_builtin};
use crate::catalogue::{Catalogue, Credit, Entry, Update};
use crate::template::{TemplateError, Templates};

pub const FILE: &str = "README.md";
/// The template's name, as a catalogue's `templates/` may override it.
pub const TEMPLATE: &str = "list.md";

#[derive(Serialize)]
struct ListContext<'c> {
    site: SiteView,
    /// The title and description, escaped for Markdown.
    title: String,
    description: Option<String>,
    feeds: Vec<FeedLink>,
    sections: Vec<ListSection<'c>>,
    updates: Vec<ListUpdate<'c>>,
    credits: Vec<ListCredit>,
}

#[derive(Serialize)]
struct ListSection<'c> {
    slug: &'c str,
    title: String,
    /// GitHub's anchor for the section heading, for the contents.
    anchor: String,
    description: Option<String>,
    /// The entries, as [`ListItem`](super::list_items::ListItem) template objects.
    entries: Value,
}

#[derive(Serialize)]
struct ListUpdate<'c> {
    id: &'c str,
    date: String,
    note: String,
    /// Credited handles the note does not already mention, as `@handle`.
    thanks: Vec<String>,
    /// The entries it announces that the note does not link to, so that
    /// importing the list back dates them the same: [`ListItem`](super::list_items::ListItem)s without
    /// summary or thanks.
    added: Value,
}

#[derive(Serialize)]
pub(super) struct ListCredit {
    pub(super) handle: String,
    pub(super) name: String,
    pub(super) uri: Option<String>,
}

/// Bytes the built-in list spends per entry, rounded up (about 400 with
/// the generated benchmark catalogue): the buffer starts that large.
const BYTES_PER_ENTRY: usize = 512;

/// Renders `README.md` through the `list.md` template.
pub fn render(catalogue: &Catalogue, templates: &Templates) -> Result<Vec<u8>, TemplateError> {
    let capacity = catalogue
        .entries
        .len()
        .saturating_mul(BYTES_PER_ENTRY)
        .saturating_add(64 * 1024);
    let mut list = Vec::with_capacity(capacity);
    write(catalogue, templates, &mut list)?;
    Ok(list)
}

/// Writes `README.md` into `out` as it renders: the list is never held
/// whole in memory. The built-in template is written natively
/// (`site/list_builtin.rs`), an overridden one through the template engine.
pub fn write(
    catalogue: &Catalogue,
    templates: &Templates,
    out: &mut impl std::io::Write,
) -> Result<(), TemplateError> {
    if templates.is_builtin(TEMPLATE) {
        return list_builtin::write(catalogue, out).map_err(TemplateError::Write);
    }
    write_template(catalogue, templates, out)
}

/// [`write`] through the `list.md` template, whichever it is.
pub(super) fn write_template(
    catalogue: &Catalogue,
    templates: &Templates,
    out: &mut impl std::io::Write,
) -> Result<(), TemplateError> {
    let order = file_order(catalogue);
    let items = Items::new(catalogue, &order);
    let updates = list_updates(catalogue, &items);
    let context = ListContext {
        site: SiteView::new(catalogue),
        title: escape_text(&catalogue.site.title),
        description: catalogue.site.description.as_deref().map(escape_text),
        feeds: view::feed_links(catalogue),
        sections: list_sections(catalogue, &order, &items),
        updates,
        credits: list_credits(catalogue),
    };
    templates.render_to_write(TEMPLATE, context, out)
}

/// Indices into `Catalogue::entries` in the maintainer's file order.
pub(super) fn file_order(catalogue: &Catalogue) -> Vec<usize> {
    by_position(catalogue).unwrap_or_else(|| {
        // With the index as tie-break the unstable sort orders as the
        // stable one would.
        let mut order: Vec<(usize, usize)> = catalogue
            .entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.position, index))
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, index)| index).collect()
    })
}

/// [`file_order`] without sorting, by placing each entry at its position:
/// a loaded catalogue numbers the entries it read, so positions are
/// unique and below twice the number kept. `None` when they are not.
fn by_position(catalogue: &Catalogue) -> Option<Vec<usize>> {
    let mut slots: Vec<Option<usize>> = vec![None; catalogue.entries.len().saturating_mul(2)];
    for (index, entry) in catalogue.entries.iter().enumerate() {
        if slots.get_mut(entry.position)?.replace(index).is_some() {
            return None;
        }
    }
    Some(slots.into_iter().flatten().collect())
}

/// The entries `order` lists, by category (`Catalogue::categories`' order).
pub(super) fn by_category(catalogue: &Catalogue, order: &[usize]) -> Vec<Vec<usize>> {
    let mut groups = vec![Vec::new(); catalogue.categories.len()];
    for &index in order {
        let category = catalogue.entries.get(index).map(|entry| entry.category);
        if let Some(group) = category.and_then(|category| groups.get_mut(category)) {
            group.push(index);
        }
    }
    groups
}

/// The entries grouped by category (categories in order, empty ones left
/// out; entries in the maintainer's file `order`).
fn list_sections<'c>(
    catalogue: &'c Catalogue,
    order: &[usize],
    items: &Items,
) -> Vec<ListSection<'c>> {
    catalogue
        .categories
        .iter()
        .zip(by_category(catalogue, order))
        .filter(|(_, indices)| !indices.is_empty())
        .map(|(category, indices)| ListSection {
            slug: &category.slug,
            anchor: anchor(&category.title),
            title: escape_text(&category.title),
            description: category.description.as_deref().map(escape_text),
            entries: indices.into_iter().filter_map(|i| items.full(i)).collect(),
        })
        .collect()
}

/// The update log, each update with the entries its note does not link to.
fn list_updates<'c>(catalogue: &'c Catalogue, items: &Items) -> Vec<ListUpdate<'c>> {
    catalogue
        .updates
        .iter()
        .map(|update| {
            let note = update_note(catalogue, update);
            let thanks = unmentioned(&note, &update.by)
                .map(|handle| format!("@{handle}"))
                .collect();
            let added: Vec<Value> = added(catalogue, update)
                .filter_map(|index| items.bare(index))
                .collect();
            ListUpdate {
                id: &update.id,
                date: update.day.to_string(),
                note,
                thanks,
                added: Value::from(added),
            }
        })
        .collect()
}

/// An update's note as one line of safe Markdown (empty when nothing is left).
pub(super) fn update_note(catalogue: &Catalogue, update: &Update) -> String {
    inline::safe_line(&update.note.markdown, &catalogue.site.base_url).unwrap_or_default()
}

/// The entries `update` announces whose URL its note does not hold, by
/// index into `Catalogue::entries`: the log lists them under the update.
fn added<'c>(catalogue: &'c Catalogue, update: &'c Update) -> impl Iterator<Item = usize> + 'c {
    update.announces.iter().copied().filter(|&index| {
        catalogue
            .entries
            .get(index)
            .is_some_and(|entry| listed_under(update, entry))
    })
}

/// Whether the log lists `entry`, which `update` announces, under it: when
/// the note does not already link to it.
pub(super) fn listed_under(update: &Update, entry: &Entry) -> bool {
    entry
        .url
        .as_ref()
        .is_none_or(|url| !contains(&update.note.markdown, url.as_str()))
}

/// Whether `needle` occurs in `text`: `str::contains`, without its set-up
/// cost for the short notes the update log checks every entry against.
fn contains(text: &str, needle: &str) -> bool {
    let Some(first) = needle.chars().next() else {
        return true;
    };
    text.match_indices(first)
        .any(|(at, _)| text.get(at..).is_some_and(|rest| rest.starts_with(needle)))
}

/// As [`view::credits`] over every entry and update (update credits
/// first, then entries', each handle once), without its quadratic search.
pub(super) fn list_credits(catalogue: &Catalogue) -> Vec<ListCredit> {
    let mut seen: HashSet<&str, foldhash::fast::RandomState> = HashSet::default();
    let entry_handles = catalogue.entries.iter().flat_map(|e| e.by.iter());
    let update_handles = catalogue.updates.iter().flat_map(|u| u.by.iter());
    update_handles
        .chain(entry_handles)
        .filter(|handle| seen.insert(handle.as_str()))
        .map(|handle| list_credit(catalogue.credit(handle)))
        .collect()
}

fn list_credit(credit: Credit) -> ListCredit {
    ListCredit {
        name: escape_text(&credit.name),
        uri: credit.uri.as_deref().map(escape_url),
        handle: credit.handle,
    }
}

/// The handles that `text` does not mention, to thank after it.
pub(super) fn unmentioned<'h>(text: &str, handles: &'h [String]) -> impl Iterator<Item = &'h str> {
    handles
        .iter()
        .map(String::as_str)
        .filter(|handle| !mentions(text, handle))
}

/// ` (thanks @a, @b)` for the handles that `text` does not mention,
/// onto the end of `out` (nothing when it mentions them all).
pub(super) fn push_thanks(out: &mut String, text: &str, handles: &[String]) {
    let mut thanked = false;
    for handle in unmentioned(text, handles) {
        out.push_str(if thanked { ", @" } else { " (thanks @" });
        out.push_str(handle);
        thanked = true;
    }
    if thanked {
        out.push(')');
    }
}

/// Whether `text` mentions `@handle` as a whole handle.
fn mentions(text: &str, handle: &str) -> bool {
    let whole = |after: &str| {
        let next = after.chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    };
    if handle.contains('@') {
        // Never a valid handle; kept exact for any string.
        let needle = format!("@{handle}");
        return text
            .match_indices(&needle)
            .any(|(at, _)| whole(text.get(at + needle.len()..).unwrap_or_default()));
    }
    // Without `@` in it, occurrences of `@handle` cannot overlap: each
    // starts at an `@` of `text`.
    text.match_indices('@').any(|(at, _)| {
        let rest = text.get(at + 1..).unwrap_or_default();
        rest.strip_prefix(handle).is_some_and(whole)
    })
}

/// Plain text made safe as Markdown inline text (link text, headings, items).
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    push_text_escaped(&mut escaped, text);
    escaped
}

/// [`escape_text`], onto the end of `out`.
pub(super) fn push_text_escaped(out: &mut String, text: &str) {
    let start = out.len();
    if is_plain_text(text) {
        out.push_str(text);
    } else {
        push_words_escaped(out, text);
    }
    if out
        .get(start..)
        .is_some_and(|field| field.starts_with(['-', '+', '#', '>', '=']))
    {
        out.insert(start, '\\');
    }
    // A heading's trailing `#`s would be read as its closing sequence.
    let field = out.get(start..).unwrap_or_default();
    let hashes = field.len() - field.trim_end_matches('#').len();
    if hashes > 0 && field.len() > hashes {
        out.insert(out.len() - hashes, '\\');
    }
}

/// The words of `text`, each escaped, joined by single spaces (as
/// `split_whitespace` + `join`).
fn push_words_escaped(out: &mut String, text: &str) {
    for (index, word) in text.split_whitespace().enumerate() {
        let prev = (index > 0).then_some(' ');
        if prev.is_some() {
            out.push(' ');
        }
        push_escaped(out, prev, word);
    }
}

/// Whether the words of `text` need no escape and are joined by single
/// spaces, with none at either end: then it is its own [`push_escaped`]
/// words, as `split_whitespace` + `join` gives them.
fn is_plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut notable = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &byte)| NOTABLE_IN_TEXT.get(usize::from(byte)) == Some(&true));
    notable.all(|(at, &byte)| match byte {
        b' ' => bytes.get(at + 1) != Some(&b' '),
        b'_' => text
            .get(..at)
            .and_then(|before| before.chars().next_back())
            .is_some_and(char::is_alphanumeric),
        b'&' => !starts_entity(text.get(at + 1..).unwrap_or_default()),
        // The first bytes of the non-ASCII whitespace characters.
        0xC2 | 0xE1 | 0xE2 | 0xE3 => !text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace),
        // Markup and other whitespace.
        _ => false,
    })
}

/// The bytes [`is_plain_text`] looks at: space, other ASCII whitespace,
/// markup, and the first bytes of the non-ASCII whitespace characters.
const NOTABLE_IN_TEXT: [bool; 256] = {
    let mut notable = [false; 256];
    let bytes = b" \t\n\x0b\x0c\r\\[]*`<_&\xc2\xe1\xe2\xe3";
    let mut at = 0;
    while at < bytes.len() {
        notable[bytes[at] as usize] = true;
        at += 1;
    }
    notable
};

/// Escapes the characters that would start inline Markdown (links,
/// emphasis, code, HTML); `_` after a letter (snake_case, `jpgcc_`) is left alone.
pub fn escape_inline(text: &str) -> String {
    escape_inline_after(None, text)
}

/// [`escape_inline`] for text that follows `prev` (text arrives in pieces).
pub fn escape_inline_after(prev: Option<char>, text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    push_escaped(&mut escaped, prev, text);
    escaped
}

/// [`escape_inline_after`], onto the end of `out`.
pub(super) fn push_escaped(out: &mut String, prev: Option<char>, text: &str) {
    // Runs without markup are copied whole; markup is ASCII, so every
    // index found here is a character boundary.
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'\\' | b'[' | b']' | b'*' | b'`' | b'<' => true,
            // A `_` after a letter cannot open emphasis, and closers need an opener.
            b'_' => {
                let before = text.get(..at).and_then(|t| t.chars().next_back());
                !before.or(prev).is_some_and(char::is_alphanumeric)
            }
            b'&' => starts_entity(text.get(at + 1..).unwrap_or_default()),
            _ => false,
        };
        if escape {
            out.push_str(text.get(copied..at).unwrap_or_default());
            out.push('\\');
            copied = at;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
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
    let mut escaped = String::with_capacity(url.len() + 2);
    push_url_escaped(&mut escaped, url);
    escaped
}

/// [`escape_url`], onto the end of `out`.
pub(super) fn push_url_escaped(out: &mut String, url: &str) {
    if !url
        .bytes()
        .any(|b| matches!(b, b'(' | b')' | b' ' | b'<' | b'>'))
    {
        out.push_str(url);
        return;
    }
    let mut depth: i64 = 0;
    let mut balanced = true;
    let mut encode = false;
    for byte in url.bytes() {
        match byte {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                balanced &= depth >= 0;
            }
            b' ' | b'<' | b'>' => encode = true,
            _ => {}
        }
    }
    let bare = balanced && depth == 0;
    if !bare {
        out.push('<');
    }
    if encode {
        for c in url.chars() {
            match c {
                ' ' => out.push_str("%20"),
                '<' => out.push_str("%3C"),
                '>' => out.push_str("%3E"),
                c => out.push(c),
            }
        }
    } else {
        out.push_str(url);
    }
    if !bare {
        out.push('>');
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
    fn plain_text_is_its_own_escaped_words() {
        let texts = [
            "",
            "plain words",
            "Zürich «façade» — 日本語 #1",
            "a_b snake_case é_x",
            "_lead",
            "x _y",
            "(_x)",
            "Tom & Jerry &x &; &#x",
            "&amp; &#38;",
            "two  spaces",
            " lead",
            "trail ",
            "tab\there",
            "line\nbreak",
            "vt\u{b}ff\u{c}cr\r",
            "nbsp\u{a0}x",
            "nel\u{85}x",
            "ogham\u{1680}x",
            "em\u{2003}x",
            "ideographic\u{3000}x",
            "narrow\u{202f}x",
            "[x] *y* `z` <w> \\v",
            "5 > 3 = 2 + 1 - 0",
        ];
        let mut plain = 0;
        for text in texts {
            if is_plain_text(text) {
                plain += 1;
                let mut words = String::new();
                push_words_escaped(&mut words, text);
                assert_eq!(words, text);
            }
        }
        assert_eq!(plain, 6);
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
