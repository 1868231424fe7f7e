//! Unsubscribe targets per recipient (RFC 2369, RFC 8058). A `[digest]
//! unsubscribe` URL may hold `{{ address }}` (the recipient's address,
//! URL-encoded) and `{{ token }}` (HMAC-SHA256 of the lower-cased address
//! under a secret, hex): then every subscriber gets a link that says who
//! leaves, and only then is one-click (`List-Unsubscribe-Post`) offered.
//! In: the configured targets and the secret; out: each copy's targets.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::DigestError;

use crate::catalogue::placeholders::{ADDRESS, TOKEN, has_token, is_template};

/// The configured targets and the secret behind `{{ token }}`.
#[derive(Debug, Clone)]
pub struct Unsubscribe {
    targets: Vec<String>,
    secret: Option<Vec<u8>>,
}

impl Unsubscribe {
    /// Fails when a target uses `{{ token }}` and no secret is given.
    pub fn new(targets: &[String], secret: Option<Vec<u8>>) -> Result<Self, DigestError> {
        let secret = secret.filter(|s| !s.is_empty());
        if secret.is_none() && targets.iter().any(|t| has_token(t)) {
            return Err(DigestError::Config(
                "`[digest] unsubscribe` uses {{ token }} but OYEZ_UNSUBSCRIBE_SECRET is not set; \
                 set it to the secret your unsubscribe page checks tokens with"
                    .into(),
            ));
        }
        if let Some(problem) = targets.iter().find_map(|t| too_long(t)) {
            return Err(DigestError::Config(problem));
        }
        Ok(Self {
            targets: targets.to_vec(),
            secret,
        })
    }

    /// Whether some target differs from one recipient to the next.
    pub fn is_personal(&self) -> bool {
        self.targets.iter().any(|t| is_template(t))
    }

    /// An https target the same for everyone: it cannot say who leaves, so
    /// no copy offers one-click unsubscribe through it.
    pub fn shared_https(&self) -> bool {
        self.targets
            .iter()
            .any(|t| t.starts_with("https:") && !is_template(t))
    }

    /// The targets of a copy sent to a mailing list: per-recipient targets
    /// would name the list, so only the shared ones.
    pub fn for_list(&self) -> Targets {
        Targets {
            urls: self
                .targets
                .iter()
                .filter(|t| !is_template(t))
                .cloned()
                .collect(),
            one_click: false,
        }
    }

    /// The targets of `address`'s own copy.
    pub fn for_address(&self, address: &str) -> Targets {
        let urls: Vec<String> = self.targets.iter().map(|t| self.fill(t, address)).collect();
        let one_click = self
            .targets
            .iter()
            .any(|t| t.starts_with("https:") && is_template(t));
        Targets { urls, one_click }
    }

    /// Every target, with marks where the address and token go: bodies
    /// are rendered once with these, then [`Self::personalise`]d per copy.
    pub fn marked(&self) -> Vec<String> {
        self.targets
            .iter()
            .map(|t| match is_mailto(t) {
                true => fill(t, MARK_ADDRESS, MARK_SHORT),
                false => fill(t, MARK_ADDRESS, MARK_TOKEN),
            })
            .collect()
    }

    /// `text` rendered with [`Self::marked`] targets, made `address`'s own.
    pub fn personalise(&self, text: &str, address: &str) -> String {
        let token = self.token_of(address);
        let short = token.get(..SHORT_TOKEN).unwrap_or_default();
        text.replace(MARK_ADDRESS, &encode(address))
            .replace(MARK_SHORT, short)
            .replace(MARK_TOKEN, &token)
    }

    fn fill(&self, target: &str, address: &str) -> String {
        let token = self.token_of(address);
        let token = match is_mailto(target) {
            true => token.get(..SHORT_TOKEN).unwrap_or_default(),
            false => &token,
        };
        fill(target, &encode(address), token)
    }

    /// The 32-digit token of `address` (as `mailto:` targets carry it),
    /// when a secret is set.
    pub fn short_token(&self, address: &str) -> Option<String> {
        let secret = self.secret.as_deref()?;
        Some(short_token(secret, address))
    }

    fn token_of(&self, address: &str) -> String {
        self.secret
            .as_deref()
            .map(|secret| token(secret, address))
            .unwrap_or_default()
    }
}

/// Marks no catalogue text holds by chance; HTML and quoted-printable leave
/// them intact.
const MARK_ADDRESS: &str = "oyez-unsubscribe-address-5e1c0d";
const MARK_TOKEN: &str = "oyez-unsubscribe-token-5e1c0d";
const MARK_SHORT: &str = "oyez-unsubscribe-short-5e1c0d";

/// Hex digits of `{{ token }}` in a `mailto:` target (128 bits of the
/// HMAC): `leave+TOKEN@example.org` keeps its local part within the 64
/// octets of RFC 5321 (issue 21).
pub const SHORT_TOKEN: usize = 32;

/// Longest local part of an address (RFC 5321, 4.5.3.1.1).
const LOCAL_PART: usize = 64;

fn is_mailto(target: &str) -> bool {
    target
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
}

/// Why a `mailto:` target whose token makes its local part too long is refused.
fn too_long(target: &str) -> Option<String> {
    if !is_mailto(target) || !has_token(target) {
        return None;
    }
    let filled = fill(target, "", &"0".repeat(SHORT_TOKEN));
    let address = filled.get(7..)?.split('?').next()?;
    let local = address.rsplit_once('@').map_or(address, |(local, _)| local);
    (local.len() > LOCAL_PART).then(|| {
        format!(
            "`[digest] unsubscribe` target {target:?}: with its {SHORT_TOKEN}-digit token the \
             part before @ is {} octets, over the {LOCAL_PART} that mail servers accept; \
             shorten the text around {{{{ token }}}}",
            local.len()
        )
    })
}

fn fill(target: &str, address: &str, token: &str) -> String {
    let mut url = target.to_owned();
    for placeholder in ADDRESS {
        url = url.replace(placeholder, address);
    }
    for placeholder in TOKEN {
        url = url.replace(placeholder, token);
    }
    url
}

/// One copy's unsubscribe targets, and whether to offer one-click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    pub urls: Vec<String>,
    pub one_click: bool,
}

/// HMAC-SHA256 of the lower-cased address, as lower-case hex: what an
/// unsubscribe page recomputes to check the link was ours.
pub fn token(secret: &[u8], address: &str) -> String {
    let Some(mac) = mac(secret, address) else {
        return String::new();
    };
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The HMAC-SHA256 of the lower-cased address under `secret`: what every
/// token is made from, and checked against
/// ([`crate::subscribers::token::Token::names`]). HMAC takes a key of any
/// length, so `None` cannot happen.
pub(crate) fn mac(secret: &[u8], address: &str) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    mac.update(address.to_lowercase().as_bytes());
    Some(mac)
}

/// The first [`SHORT_TOKEN`] digits of [`token`].
pub fn short_token(secret: &[u8], address: &str) -> String {
    let mut full = token(secret, address);
    full.truncate(SHORT_TOKEN);
    full
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailto_token_is_short_enough_for_a_local_part() {
        let targets = vec![
            "mailto:leave+{{ token }}@example.org?subject=unsubscribe".to_owned(),
            "https://example.org/leave?t={{ token }}".to_owned(),
        ];
        let unsubscribe = Unsubscribe::new(&targets, Some(b"secret".to_vec())).unwrap();
        let full = token(b"secret", "Ann@example.org");
        let short = &full[..SHORT_TOKEN];
        let want = vec![
            format!("mailto:leave+{short}@example.org?subject=unsubscribe"),
            format!("https://example.org/leave?t={full}"),
        ];
        assert_eq!(unsubscribe.for_address("Ann@example.org").urls, want);
        let body = unsubscribe.marked().join(" ");
        assert_eq!(
            unsubscribe.personalise(&body, "Ann@example.org"),
            want.join(" ")
        );
        assert_eq!(format!("leave+{short}").len(), 38);
        let long = vec![format!(
            "mailto:{}{{{{ token }}}}@example.org",
            "x".repeat(33)
        )];
        let err = Unsubscribe::new(&long, Some(b"s".to_vec()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("the part before @ is 65 octets"), "{err}");
    }

    fn targets() -> Vec<String> {
        vec![
            "mailto:leave@example.org".into(),
            "https://example.org/leave?who={{ address }}&t={{token}}".into(),
        ]
    }

    #[test]
    fn personal_targets_carry_the_encoded_address_and_its_token() {
        let unsubscribe = Unsubscribe::new(&targets(), Some(b"k".to_vec())).unwrap();
        let copy = unsubscribe.for_address("Ann+x@example.org");
        let token = token(b"k", "ann+x@example.org");
        assert_eq!(
            copy.urls,
            [
                "mailto:leave@example.org".to_owned(),
                format!("https://example.org/leave?who=Ann%2Bx%40example.org&t={token}")
            ]
        );
        assert!(copy.one_click);
    }

    // RFC 4231, test case 2.
    #[test]
    fn the_token_is_hmac_sha256() {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(token(b"Jefe", "WHAT do ya want for nothing?"), hex);
    }

    #[test]
    fn a_token_without_a_secret_is_refused() {
        let err = Unsubscribe::new(&targets(), None).unwrap_err();
        assert!(
            err.to_string()
                .contains("OYEZ_UNSUBSCRIBE_SECRET is not set")
        );
    }

    #[test]
    fn a_shared_url_offers_no_one_click_and_lists_keep_only_shared_targets() {
        let shared = vec!["https://example.org/leave".to_owned()];
        let unsubscribe = Unsubscribe::new(&shared, None).unwrap();
        assert!(unsubscribe.shared_https());
        assert!(!unsubscribe.for_address("a@example.org").one_click);
        let personal = Unsubscribe::new(&targets(), Some(b"k".to_vec())).unwrap();
        assert_eq!(
            personal.for_list().urls,
            ["mailto:leave@example.org".to_owned()]
        );
    }

    #[test]
    fn marked_bodies_become_each_recipients_own() {
        let unsubscribe = Unsubscribe::new(&targets(), Some(b"k".to_vec())).unwrap();
        let body = format!("leave: {}", unsubscribe.marked()[1]);
        let own = unsubscribe.personalise(&body, "b@example.org");
        let url = &unsubscribe.for_address("b@example.org").urls[1];
        assert_eq!(own, format!("leave: {url}"));
    }
}
