//! Who an unsubscribe token names (issue 21 §2): the `{{ token }}` of a
//! subscriber's https unsubscribe link (64 hex digits), or of a
//! `leave+TOKEN@` address (its first 32), checked with the secret it was
//! made with ([`crate::digest::unsubscribe::token`]). For maintainers who
//! run an https endpoint: it passes the token on to
//! `oyez subscribers remove --token`, which needs no address to trust.

use hmac::Mac;

use super::SubscribersError;
use crate::digest::unsubscribe::{self, SHORT_TOKEN};

/// A token as given: the bytes of its hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token(Vec<u8>);

impl Token {
    /// Reads 64 hex digits (a link's token) or 32 (a `mailto:` token).
    pub fn parse(text: &str) -> Result<Self, SubscribersError> {
        let text = text.trim();
        let digits = text.len();
        let bytes = (0..digits)
            .step_by(2)
            .map(|i| {
                text.get(i..i + 2)
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            })
            .collect::<Option<Vec<u8>>>();
        match bytes {
            Some(bytes)
                if (digits == 64 || digits == SHORT_TOKEN)
                    && text.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                Ok(Self(bytes))
            }
            _ => Err(SubscribersError::Refused(format!(
                "--token is not a token: give the 64 hex digits of the unsubscribe link's {{{{ token }}}} \
                 (or the {SHORT_TOKEN} of a leave+TOKEN address)"
            ))),
        }
    }

    /// Whether this is `address`'s token under `secret`, compared in
    /// constant time.
    pub fn names(&self, secret: &[u8], address: &str) -> bool {
        unsubscribe::mac(secret, address)
            .is_some_and(|mac| mac.verify_truncated_left(&self.0).is_ok())
    }

    /// The first of `addresses` this token names.
    pub fn holder<'a>(
        &self,
        secret: &[u8],
        mut addresses: impl Iterator<Item = &'a str>,
    ) -> Option<&'a str> {
        addresses.find(|address| self.names(secret, address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::unsubscribe::token;

    #[test]
    fn a_link_token_and_its_short_form_name_their_address_only() {
        let full = token(b"s3cret", "Ann@Example.net");
        let long = Token::parse(&full).unwrap();
        let short = Token::parse(&full[..SHORT_TOKEN]).unwrap();
        for given in [&long, &short] {
            assert!(given.names(b"s3cret", "ann@example.net"));
            assert!(!given.names(b"s3cret", "bob@example.net"));
            assert!(!given.names(b"other", "ann@example.net"));
        }
        let addresses = ["bob@example.net", "ANN@example.net"];
        assert_eq!(
            long.holder(b"s3cret", addresses.into_iter()),
            Some("ANN@example.net")
        );
        let upper = Token::parse(&full.to_uppercase()).unwrap();
        assert_eq!(upper, long);
    }

    #[test]
    fn text_that_is_not_a_token_is_refused() {
        for bad in [
            "",
            "abc",
            &"+f".repeat(16),
            &"g".repeat(64),
            &"0".repeat(63),
            &"é".repeat(32),
        ] {
            let err = Token::parse(bad).unwrap_err().to_string();
            assert!(err.contains("not a token"), "{bad}: {err}");
        }
    }
}
