//! The catalogue page's "By email" links (issue 14): `mailto:` links to the
//! digest's sender asking to be added to the subscribers file, for every
//! category or for one. In: the catalogue's `[digest]`; out: the links, or
//! none when there is no digest with a subscribers file.

use std::fmt::Write as _;
use std::str::FromStr;

use lettre::message::Mailbox;

use crate::catalogue::Catalogue;

/// The digest's `from` as a bare address (`Name <addr>` gives `addr`);
/// `None` without a `[digest]` that mails a subscribers file (a list
/// address alone has no per-reader selection to ask for).
pub(crate) fn digest_address(catalogue: &Catalogue) -> Option<String> {
    let digest = catalogue.digest.as_ref()?;
    digest.subscribers.as_ref()?;
    bare_address(&digest.from)
}

/// `addr` from `Name <addr>` or `addr`; `None` for what is neither
/// (validation has refused it before).
fn bare_address(from: &str) -> Option<String> {
    let mailbox = Mailbox::from_str(from).ok()?;
    Some(mailbox.email.to_string())
}

/// A request to `address` to subscribe to everything, or only to the
/// category `slug`: the subject is the subscribers-file option to add.
pub(crate) fn link(address: &str, slug: Option<&str>) -> String {
    let subject = match slug {
        Some(slug) => format!("subscribe categories={slug}"),
        None => "subscribe".to_owned(),
    };
    format!(
        "mailto:{}?subject={}",
        encode(address, b"@"),
        encode(&subject, b"")
    )
}

/// Percent-encodes every byte but the unreserved ones (RFC 3986) and
/// `keep` (RFC 6068 lets `@` stand in an address).
fn encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{bare_address, encode, link};

    #[test]
    fn the_address_is_taken_out_of_a_named_mailbox() {
        let named = bare_address("\"Platform, as a Product\" <digest@example.org>");
        assert_eq!(named.as_deref(), Some("digest@example.org"));
        let bare = bare_address("digest@example.org");
        assert_eq!(bare.as_deref(), Some("digest@example.org"));
        assert_eq!(bare_address("not an address"), None);
    }

    #[test]
    fn a_category_link_asks_for_that_category_in_the_subject() {
        assert_eq!(
            link("digest@example.org", Some("talks")),
            "mailto:digest@example.org?subject=subscribe%20categories%3Dtalks"
        );
        assert_eq!(
            link("digest@example.org", None),
            "mailto:digest@example.org?subject=subscribe"
        );
    }

    #[test]
    fn everything_but_unreserved_characters_is_percent_encoded() {
        assert_eq!(encode("a+b&c?d@é", b"@"), "a%2Bb%26c%3Fd@%C3%A9");
        assert_eq!(encode("a@b", b""), "a%40b");
    }
}
