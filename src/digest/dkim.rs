//! DKIM signatures (RFC 6376; Ed25519: RFC 8463) on the copies a digest
//! sends. `[digest] dkim` names the selector and the signing domain; the
//! private key comes from `OYEZ_DKIM_KEY` (read in `cli/digest`), as PEM:
//! RSA in PKCS #1 or PKCS #8, or Ed25519 in PKCS #8. lettre signs, with
//! relaxed canonicalization of headers and body.
//!
//! A subscriber's copy signs its `List-*` headers too: RFC 8058 asks that
//! `List-Unsubscribe` and `List-Unsubscribe-Post` be covered, and naming
//! them when absent keeps anyone from adding them. A copy to a mailing
//! list does not sign them, so the list may put its own without breaking
//! the signature. `--out` previews are never signed (no key, no clock).

use lettre::Message;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use rsa::RsaPrivateKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::{DecodePrivateKey, ObjectIdentifier, PrivateKeyInfo, SecretDocument};
use rsa::traits::PublicKeyParts;

use super::DigestError;
use crate::catalogue::Dkim;

/// The environment variable holding the DKIM private key.
pub const KEY_VARIABLE: &str = "OYEZ_DKIM_KEY";

/// Headers every copy's signature covers. Not `Content-Type`: lettre
/// writes a multipart's with the body, after signing, so it cannot sign it
/// (the body hash covers the parts and their boundaries).
const SIGNED: [&str; 6] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
];

/// Headers a subscriber's own copy signs as well, present or not.
const SIGNED_PERSONAL: [&str; 3] = ["List-Id", "List-Unsubscribe", "List-Unsubscribe-Post"];

/// Smallest RSA key signed with (RFC 8301: at least 1024 bits).
const MIN_RSA_BITS: usize = 1024;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// Signs copies for one selector and domain with one key.
pub struct Signer {
    /// For a subscriber's copy: also the `List-*` headers.
    personal: DkimConfig,
    /// For a mailing list's copy.
    list: DkimConfig,
    algorithm: &'static str,
    /// Where receivers find the public key: `SELECTOR._domainkey.DOMAIN`.
    record: String,
}

impl Signer {
    /// A signer for `dkim` with the key `pem` (the value of
    /// [`KEY_VARIABLE`]); a clear error when it is not a usable key.
    pub fn new(dkim: &Dkim, pem: Option<&str>) -> Result<Self, DigestError> {
        let record = format!("{}._domainkey.{}", dkim.selector, dkim.domain);
        let Some(pem) = pem.filter(|p| !p.trim().is_empty()) else {
            return Err(DigestError::Config(format!(
                "`[digest] dkim` is set, so every copy is signed, but {KEY_VARIABLE} is not set; \
                 set it to the PEM private key whose public half is published in DNS at {record} \
                 (see docs/sending.md, \"DKIM\")"
            )));
        };
        let (key, algorithm) = signing_key(pem).map_err(|why| {
            DigestError::Config(format!(
                "{KEY_VARIABLE} is not a private key oyez can sign with: {why}; give an RSA key \
                 of 2048 bits (`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`) \
                 or an Ed25519 key (`openssl genpkey -algorithm ed25519`), as PEM"
            ))
        })?;
        let config = |headers: &[&'static str]| -> Result<DkimConfig, DigestError> {
            let signing = DkimSigningKey::new(&key, algorithm)
                .map_err(|err| DigestError::Config(format!("{KEY_VARIABLE} cannot sign: {err}")))?;
            Ok(DkimConfig::new(
                dkim.selector.clone(),
                dkim.domain.clone(),
                signing,
                headers
                    .iter()
                    .copied()
                    .map(HeaderName::new_from_ascii_str)
                    .collect(),
                DkimCanonicalization {
                    header: DkimCanonicalizationType::Relaxed,
                    body: DkimCanonicalizationType::Relaxed,
                },
            ))
        };
        let personal: Vec<&'static str> = SIGNED.iter().chain(&SIGNED_PERSONAL).copied().collect();
        Ok(Self {
            record,
            personal: config(&personal)?,
            list: config(&SIGNED)?,
            algorithm: match algorithm {
                DkimSigningAlgorithm::Rsa => "rsa-sha256",
                DkimSigningAlgorithm::Ed25519 => "ed25519-sha256",
            },
        })
    }

    /// Adds a `DKIM-Signature` to `message`, a subscriber's own copy
    /// (`personal`) or a mailing list's.
    pub fn sign(&self, message: &mut Message, personal: bool) {
        message.sign(if personal { &self.personal } else { &self.list });
    }

    /// `rsa-sha256` or `ed25519-sha256`.
    pub fn algorithm(&self) -> &'static str {
        self.algorithm
    }

    /// The DNS name of the public key receivers check signatures with.
    pub fn record(&self) -> &str {
        &self.record
    }
}

/// The key as lettre takes it (PKCS #1 PEM for RSA, the base64 seed for
/// Ed25519), or why it cannot be used. Never repeats the key.
fn signing_key(pem: &str) -> Result<(String, DkimSigningAlgorithm), String> {
    // A key pasted into one line with `\n` escapes (as some secret stores keep it).
    let pem = match pem.contains('\n') {
        true => pem.trim().to_owned(),
        false => pem.trim().replace("\\n", "\n"),
    };
    let (label, document) =
        SecretDocument::from_pem(&pem).map_err(|_| "it is not PEM text".to_owned())?;
    let der = document.as_bytes();
    match label {
        "RSA PRIVATE KEY" => {
            rsa_key(RsaPrivateKey::from_pkcs1_der(der).map_err(|e| e.to_string())?)
        }
        "PRIVATE KEY" => {
            let info = PrivateKeyInfo::try_from(der).map_err(|e| e.to_string())?;
            match info.algorithm.oid {
                RSA => rsa_key(RsaPrivateKey::from_pkcs8_der(der).map_err(|e| e.to_string())?),
                ED25519 => ed25519_seed(info.private_key),
                other => Err(format!(
                    "it is a key of algorithm {other}, and DKIM signs with RSA or Ed25519"
                )),
            }
        }
        "ENCRYPTED PRIVATE KEY" => Err("it is encrypted; decrypt it first \
             (`openssl pkey -in key.pem -out plain.pem`)"
            .into()),
        other => Err(format!("it is a PEM {other}, not a private key")),
    }
}

fn rsa_key(key: RsaPrivateKey) -> Result<(String, DkimSigningAlgorithm), String> {
    let bits = key.size() * 8;
    if bits < MIN_RSA_BITS {
        return Err(format!(
            "its {bits} bits are too few (receivers ignore RSA signatures under {MIN_RSA_BITS} bits)"
        ));
    }
    let pem = key
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| e.to_string())?;
    Ok((pem.to_string(), DkimSigningAlgorithm::Rsa))
}

/// The seed inside a PKCS #8 Ed25519 key (RFC 8410: an OCTET STRING of 32
/// bytes), base64-encoded.
fn ed25519_seed(private_key: &[u8]) -> Result<(String, DkimSigningAlgorithm), String> {
    use base64::Engine as _;
    match private_key {
        [0x04, 0x20, seed @ ..] if seed.len() == 32 => Ok((
            base64::engine::general_purpose::STANDARD.encode(seed),
            DkimSigningAlgorithm::Ed25519,
        )),
        _ => Err("its Ed25519 key is not 32 bytes".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dkim() -> Dkim {
        Dkim {
            selector: "oyez".into(),
            domain: "example.org".into(),
        }
    }

    fn error(pem: Option<&str>) -> String {
        match Signer::new(&dkim(), pem) {
            Ok(_) => String::from("accepted"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn a_missing_key_names_the_variable_and_the_dns_record() {
        let err = error(None);
        assert!(err.contains("OYEZ_DKIM_KEY is not set"), "{err}");
        assert!(err.contains("oyez._domainkey.example.org"), "{err}");
        assert_eq!(error(Some("  \n")), err);
    }

    #[test]
    fn a_malformed_key_is_refused_without_being_repeated() {
        let err = error(Some("not-a-key-s3cret"));
        assert!(err.contains("it is not PEM text"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        let public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        assert!(error(Some(public)).contains("a PEM PUBLIC KEY, not a private key"));
    }

    // RFC 8410, section 10.3: an Ed25519 private key in PKCS #8.
    const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";

    #[test]
    fn an_ed25519_key_in_pkcs8_gives_its_seed() {
        let (seed, algorithm) = signing_key(ED25519_PEM).unwrap();
        assert_eq!(seed, "1O5y2/kTWErVttjx92n4rTr+fCjL8dT74Jeoj0R1WEI=");
        assert!(matches!(algorithm, DkimSigningAlgorithm::Ed25519));
        let one_line = ED25519_PEM.replace('\n', "\\n");
        assert_eq!(signing_key(&one_line).unwrap().0, seed);
        let signer = Signer::new(&dkim(), Some(ED25519_PEM)).unwrap();
        assert_eq!(signer.algorithm(), "ed25519-sha256");
    }
}
