//! Who an item credits: its `@handles` (after `by` or `thanks`, or
//! trailing), a trailing `(thanks @a and @b)` to take out of its title,
//! and the `Name (@handle)` lines of a "Contributors" section.

use super::document::Contributor;
use super::inline::{Acc, is_web, one_line};
use crate::catalogue::is_handle;
use crate::strings::{self, Key};

impl Acc {
    /// Credited `@handles` in the plain text outside link texts, without
    /// `@`, first occurrence first.
    pub(crate) fn handles(&self) -> Vec<String> {
        let mut text = self.plain.clone();
        let links = self
            .links
            .iter()
            .map(|link| link.plain_start..link.plain_end.max(link.plain_start));
        // Code (`@define`) credits nobody either (issue 22).
        for range in links.chain(self.codes.iter().cloned()) {
            if text.get(range.clone()).is_some() {
                text.replace_range(range.clone(), &" ".repeat(range.len()));
            }
        }
        handles(&text)
    }
}

/// A candidate `@handle`: where it starts and ends in the text.
struct Mention<'t> {
    start: usize,
    end: usize,
    handle: &'t str,
}

/// `@handles` in `text` credited in the forms docs/import.md documents, without
/// `@`: after `by` or `thanks` (`thanks to @a, @b and @c`), or trailing the
/// text. Never inside a word, an e-mail address, a path (`hex/@tag`) or a
/// package name (`@parcel/css`).
pub(crate) fn handles(text: &str) -> Vec<String> {
    let mentions = mentions(text);
    let mut credited = vec![false; mentions.len()];
    // A resource's own account (`Twitter: @x`) is no credit (issue 22).
    let own = |mention: &Mention<'_>| names_an_account(&text[..mention.start]);
    for (index, mention) in mentions.iter().enumerate() {
        let before = &text[..mention.start];
        credited[index] = !own(mention) && follows_credit_word(before)
            || !own(mention)
                && index.checked_sub(1).is_some_and(|previous| {
                    credited[previous]
                        && only_separators(&text[mentions[previous].end..mention.start])
                });
    }
    // A trailing run: `… @a`, `… @a @b.`, `… (@a, @b)`.
    let mut tail = text.len();
    for (index, mention) in mentions.iter().enumerate().rev() {
        let after = &text[mention.end..tail];
        let ends = after
            .chars()
            .all(|c| c.is_whitespace() || ".,;:!)&".contains(c))
            || only_separators(after);
        if !ends || own(mention) {
            break;
        }
        credited[index] = true;
        tail = mention.start;
    }
    let mut found: Vec<String> = Vec::new();
    for (mention, credited) in mentions.iter().zip(credited) {
        if credited && !found.iter().any(|known| known == mention.handle) {
            found.push(mention.handle.to_owned());
        }
    }
    found
}

fn mentions(text: &str) -> Vec<Mention<'_>> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| !(c.is_whitespace() || c == '(' || c == ',')) {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(rest.len());
        let handle = rest[..end].trim_end_matches(['.', '-']);
        // A dotted name (`@app.route`) is code: GitHub handles have no dot.
        if handle.contains('.') {
            continue;
        }
        let next = rest[handle.len()..].chars().next();
        let continues = next.is_some_and(|c| c.is_alphanumeric() || "/@\\".contains(c));
        if is_handle(handle) && !continues {
            found.push(Mention {
                start: at,
                end: at + 1 + handle.len(),
                handle,
            });
        }
    }
    found
}

/// Whether `before` ends with the name of a social network (`Twitter:`,
/// `on Mastodon`): the `@handle` after it is an account, not a credit.
fn names_an_account(before: &str) -> bool {
    let lower = before.trim_end_matches([' ', '(', ':', '-']).to_lowercase();
    let word = lower
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    [
        "twitter",
        "x",
        "mastodon",
        "bluesky",
        "telegram",
        "instagram",
        "threads",
        "discord",
    ]
    .contains(&word)
}

/// Whether `before` ends with `by`, `thanks`, `thanks to` or `thank you`.
fn follows_credit_word(before: &str) -> bool {
    let lower = before.trim_end_matches([' ', '(', ':']).to_lowercase();
    ["by", "thanks", "thanks to", "thank you", "thank you to"]
        .iter()
        .any(|word| {
            lower.strip_suffix(word).is_some_and(|head| {
                head.chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        })
}

/// Only what separates handles in a list of credits: spaces, commas, `&`, `and`.
fn only_separators(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '&')
        .all(|word| word.is_empty() || word == "and")
}

/// `text` without a trailing credit, `(thanks @a, @b and @c)`, which the
/// item's `by` carries; `None` when there is none. The regenerated list
/// writes credits this way.
pub(crate) fn strip_thanks(text: &str) -> Option<String> {
    let body = text.trim_end().strip_suffix(')')?;
    let open = body.rfind('(')?;
    // `thanks`, or the word of another language oyez writes (issue 23).
    let inside = &body[open + 1..];
    let credit = strings::every_language(Key::list_thanks)
        .into_iter()
        .find_map(|word| inside.strip_prefix(word)?.strip_prefix(' '))?;
    let only_handles = credit
        .split([',', ' '])
        .filter(|word| !word.is_empty() && *word != "and")
        .all(|word| word.strip_prefix('@').is_some_and(is_handle));
    only_handles.then(|| body[..open].trim_end().to_owned())
}

/// What the list's "Contributors" paragraph starts with, in every
/// language oyez writes it (`Thanks to`, `Gracias a`…).
fn thanks_to_prefixes() -> Vec<&'static str> {
    let texts = strings::every_language(Key::thanks_to).into_iter();
    texts
        .filter_map(|text| text.split("{names}").next())
        .map(str::trim_end)
        .collect()
}

/// `Name (@handle)` credits in a paragraph or item, the name maybe a link:
/// what the regenerated list's "Contributors" section says.
pub(crate) fn credits(acc: &Acc) -> Vec<Contributor> {
    let plain = &acc.plain;
    let mut found = Vec::new();
    let mut start = 0;
    for (at, _) in plain.match_indices("(@") {
        let Some(close) = plain[at..].find(')').map(|c| at + c) else {
            break;
        };
        let handle = &plain[at + 2..close];
        let before = plain.get(start..at).unwrap_or_default();
        let before = before.trim();
        let name = thanks_to_prefixes()
            .iter()
            .find_map(|prefix| before.strip_prefix(prefix))
            .unwrap_or(before)
            .trim_start_matches([',', ' '])
            .trim_start_matches("and ")
            .trim();
        if is_handle(handle) && !name.is_empty() {
            let uri = acc
                .links
                .iter()
                .find(|l| l.plain_start >= start && l.plain_end <= at && is_web(&l.url));
            found.push(Contributor {
                handle: handle.to_owned(),
                name: one_line(name),
                uri: uri.map(|l| l.url.clone()),
            });
        }
        start = close + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_skip_mail_addresses() {
        assert_eq!(
            handles("thanks to @alice, @bob_2. and jane@example.org (@alice)"),
            ["alice", "bob_2"]
        );
    }

    // Issue 22: code, dotted names and a resource's own account are no credits.
    #[test]
    fn code_dotted_names_and_accounts_credit_nobody() {
        assert!(handles("Decorators such as @app.route").is_empty());
        assert!(handles("A chat bot. Twitter: @chatbot").is_empty());
        assert_eq!(handles("News on Mastodon @news, thanks @alice"), ["alice"]);
        assert_eq!(handles("A tool by @bob"), ["bob"]);
        let doc = super::super::parse(
            "# L\n\n## A\n\n- [Flask](https://flask.example.org/x) - Routes with `@define`\n",
        );
        assert_eq!(doc.items.len(), 1);
        assert!(doc.items[0].handles.is_empty(), "{:?}", doc.items[0]);
    }

    #[test]
    fn trailing_credits_are_taken_out() {
        assert_eq!(
            strip_thanks("A talk (thanks @a, @b and @c_d)").as_deref(),
            Some("A talk")
        );
        assert_eq!(strip_thanks("(thanks @a)").as_deref(), Some(""));
        assert_eq!(strip_thanks("A talk (thanks to the team)"), None);
        assert_eq!(strip_thanks("A talk (slides)"), None);
    }
}
