//! Permanent identities. An entry is known by its `id` when given, else by
//! its URL; an entry with neither is known by its title (and `oyez check`
//! says to give it an `id`). Title, summary, tags, dates and file location
//! never enter an identity, so editing them keeps every feed reader's state.

/// Whether `id` may be written as an explicit id: it becomes a URL fragment.
pub(crate) fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && id.len() <= 128
}

/// The id of an entry without one: `u-` and a hash of its URL.
pub(crate) fn from_url(url: &str) -> String {
    format!("u-{:016x}", fnv1a(url.as_bytes()))
}

/// The id of an entry with neither id nor URL: `t-` and a hash of its title.
pub(crate) fn from_title(title: &str) -> String {
    format!("t-{:016x}", fnv1a(title.as_bytes()))
}

/// A readable id for a new entry (`oyez add`, `oyez import`): its title as a slug.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let cut = slug.char_indices().nth(64).map_or(slug.len(), |(i, _)| i);
    slug[..cut].trim_end_matches('-').to_owned()
}

/// FNV-1a, 64 bits: stable across versions and platforms, unlike `Hash`.
/// The one copy: derived ids here, Message-IDs and MIME boundaries in
/// `digest/render.rs`; a change re-identifies every entry and every mail.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // Pinned (computed independently): a change here would re-identify every entry.
    fn derived_ids_are_stable() {
        assert_eq!(from_url("https://example.org/"), "u-03e0e6ad14aa088d");
        assert_eq!(from_title("Personas"), from_title("Personas"));
    }

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert_eq!(
            slug("How Stripe Invests — in Infra!"),
            "how-stripe-invests-in-infra"
        );
        assert_eq!(slug("¿Qué?"), "qu");
    }

    #[test]
    fn explicit_ids_must_be_fragment_safe() {
        assert!(is_valid_id("stripe-infra_2.0"));
        assert!(!is_valid_id("-leading"));
        assert!(!is_valid_id("has space"));
        assert!(!is_valid_id(""));
    }
}
