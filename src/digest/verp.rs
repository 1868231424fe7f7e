//! Tagged addresses (issue 21): `local+TAG-TOKEN@domain`, made from the
//! `[digest] from` address. Each subscriber's copy goes out with the
//! envelope sender `local+bounce-TOKEN@domain` (VERP), so a bounce that
//! arrives later names its recipient; a subscribe request is answered
//! from `local+confirm-TOKEN@domain`, which confirms when written to.
//! TOKEN is the 32-digit token of the `mailto:` unsubscribe targets
//! ([`super::unsubscribe::SHORT_TOKEN`]); with its tag the local part
//! must stay within RFC 5321's 64 octets, or nothing is tagged.

use lettre::Address;

/// The tag of a copy's return path.
pub const BOUNCE: &str = "bounce";
/// The tag of a confirmation's reply address.
pub const CONFIRM: &str = "confirm";

/// Longest local part of an address (RFC 5321, 4.5.3.1.1).
pub const LOCAL_PART: usize = 64;

/// `local+TAG-TOKEN@domain` from `from`; an error (for the user) when its
/// local part would exceed [`LOCAL_PART`] octets.
pub fn tagged(from: &Address, tag: &str, token: &str) -> Result<Address, String> {
    let local = format!("{}+{tag}-{token}", from.user());
    if local.len() > LOCAL_PART {
        return Err(format!(
            "`[digest] from` {from}: its tagged form {local}@{} has {} octets before @, over \
             the {LOCAL_PART} that mail servers accept; use a from address whose part before @ \
             is at most {} octets",
            from.domain(),
            local.len(),
            LOCAL_PART + from.user().len() - local.len()
        ));
    }
    Address::new(local, from.domain()).map_err(|err| format!("`[digest] from` {from}: {err}"))
}

/// The (tag, token) of `address` when it is `from` tagged: same domain,
/// `local+TAG-TOKEN` (any case).
pub fn untag<'a>(from: &Address, address: &'a str) -> Option<(String, &'a str)> {
    let (local, domain) = address.trim().rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case(from.domain()) {
        return None;
    }
    let (user, rest) = local.split_once('+')?;
    if !user.eq_ignore_ascii_case(from.user()) {
        return None;
    }
    let (tag, token) = rest.split_once('-')?;
    Some((tag.to_ascii_lowercase(), token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tagged_address_names_its_token_and_stays_within_64_octets() {
        let from: Address = "digest@example.org".parse().unwrap();
        let token = "0123456789abcdef0123456789abcdef";
        let bounce = tagged(&from, BOUNCE, token).unwrap();
        assert_eq!(
            bounce.to_string(),
            format!("digest+bounce-{token}@example.org")
        );
        assert_eq!(
            untag(&from, &bounce.to_string().to_uppercase()),
            Some((BOUNCE.to_owned(), token.to_uppercase().as_str()))
        );
        assert_eq!(untag(&from, "other+bounce-x@example.org"), None);
        assert_eq!(untag(&from, "digest+bounce-x@example.com"), None);
        let long: Address = format!("{}@example.org", "x".repeat(24)).parse().unwrap();
        assert_eq!(tagged(&long, BOUNCE, token).unwrap().user().len(), 64);
        let longer: Address = format!("{}@example.org", "x".repeat(25)).parse().unwrap();
        let err = tagged(&longer, BOUNCE, token).unwrap_err();
        assert!(err.contains("65 octets before @"), "{err}");
        assert!(err.contains("at most 24 octets"), "{err}");
    }
}
