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

/// An update's note, asked which of the entries it announces it already
/// links: the log lists the others under it.
pub(super) struct NoteLinks<'u> {
    note: &'u str,
    /// Where `http` starts in the note: where an entry's address can.
    http: Vec<usize>,
}

impl<'u> NoteLinks<'u> {
    pub(super) fn of(update: &'u Update) -> Self {
        let note = update.note.markdown.as_str();
        let http = memchr::memmem::find_iter(note.as_bytes(), b"http").collect();
        Self { note, http }
    }

    /// Whether the log lists `entry`, which the update announces, under
    /// it: when the note does not already link to it.
    pub(super) fn lists(&self, entry: &Entry) -> bool {
        entry.url.as_ref().is_none_or(|url| !self.holds(url))
    }

    /// Whether the note holds `url`. An update announces hundreds of
    /// entries: the note is searched once for where addresses can start,
    /// not once per entry.
    fn holds(&self, url: &str) -> bool {
        if !url.starts_with("http") {
            return self.note.contains(url);
        }
        let here = |&at: &usize| {
            self.note
                .get(at..)
                .is_some_and(|rest| rest.starts_with(url))
        };
        self.http.iter().any(here)
    }
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
    fn a_note_holds_an_address_exactly_where_the_text_does() {
        let notes = [
            "",
            "no link",
            "Added [a](https://example.org/a) and [b](http://example.org/b).",
            "hhttps://example.org/a?q=1 then https://example.org/ab",
            "Ελληνικά https://example.org/ä, thanks to @user",
            "ftp://example.org/x and mailto:a@example.org",
        ];
        let urls = [
            "https://example.org/a",
            "https://example.org/a?q=1",
            "http://example.org/b",
            "https://example.org/ä",
            "https://example.org/c",
            "ftp://example.org/x",
            "h",
            "",
        ];
        for markdown in notes {
            let update = Update {
                id: String::new(),
                date: Default::default(),
                day: Default::default(),
                note: crate::catalogue::Text {
                    markdown: markdown.into(),
                    html: String::new(),
                },
                by: Vec::new(),
                announces: Vec::new(),
            };
            let links = NoteLinks::of(&update);
            for url in urls {
                assert_eq!(
                    links.holds(url),
                    markdown.contains(url),
                    "{markdown:?} {url:?}"
                );
            }
        }
    }

    #[test]
    fn mentions_match_whole_handles() {
        assert!(mentions("thanks to @alice and @bob", "alice"));
        assert!(!mentions("thanks to @alice2", "alice"));
    }
}
