//! What the list says beyond its fields, shared by the template's context
//! and the native writer: an update's note as a line, which announced
//! entries the log lists under it, whom a line thanks, and every credited
//! contributor.

use serde::Serialize;

use super::escape::{escape_text, escape_url};
use super::{line, punctuation};
use crate::catalogue::{Catalogue, Credit, Entry, Update};
use crate::site::view;

#[derive(Serialize)]
pub(super) struct ListCredit {
    pub(super) handle: String,
    pub(super) name: String,
    pub(super) uri: Option<String>,
}

/// An update's note as one line of safe Markdown (empty when nothing is left).
pub(super) fn update_note(catalogue: &Catalogue, update: &Update) -> String {
    line::safe_line(&update.note.markdown, &catalogue.site.base_url).unwrap_or_default()
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

/// Every contributor credited by an entry or update, as [`view::credits`]
/// gives them, escaped for Markdown.
pub(super) fn list_credits(catalogue: &Catalogue) -> Vec<ListCredit> {
    view::credits(catalogue, &catalogue.entries, &catalogue.updates)
        .into_iter()
        .map(list_credit)
        .collect()
}

fn list_credit(credit: Credit) -> ListCredit {
    ListCredit {
        name: escape_text(&punctuation::balanced(&credit.name)),
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
/// onto the end of `out` (nothing when it mentions them all); `thanks`
/// is the word, in the catalogue's language.
pub(super) fn push_thanks(out: &mut String, thanks: &str, text: &str, handles: &[String]) {
    let mut thanked = false;
    for handle in unmentioned(text, handles) {
        if thanked {
            out.push_str(", @");
        } else {
            out.push_str(" (");
            out.push_str(thanks);
            out.push_str(" @");
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_match_whole_handles() {
        assert!(mentions("thanks to @alice and @bob", "alice"));
        assert!(!mentions("thanks to @alice2", "alice"));
    }
}
