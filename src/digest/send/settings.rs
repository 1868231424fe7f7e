//! Where to send: `OYEZ_SMTP_URL` parsed into [`Settings`], and opening an
//! SMTP session with them (TLS as asked, then AUTH, never in clear text to
//! another host). Credentials are never shown: only `scheme://host:port`.

use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use std::time::Duration;

use url::Url;

use super::TIMEOUT;
use crate::digest::DigestError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    None,
    /// STARTTLS when the server offers it (the default for `smtp://`).
    Opportunistic,
    /// STARTTLS or fail (`?tls=required`).
    Required,
    /// TLS from the first byte (`smtps://`).
    Wrapper,
}

/// Where and how to connect; `Debug` and [`Settings::shown`] omit credentials.
#[derive(Clone)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// How long to wait for the server at each step (`?timeout=SECONDS`).
    pub timeout: Duration,
    credentials: Option<Credentials>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Settings {
    /// Reads `smtp://[user:pass@]host[:port][?tls=none|opportunistic|required]`
    /// or `smtps://[user:pass@]host[:port]`, either with `timeout=SECONDS`
    /// (1 to 3600, default 60) among its parameters. Errors never repeat the URL.
    pub fn parse(url: &str) -> Result<Self, DigestError> {
        let bad = |what: &str| {
            DigestError::Config(format!(
                "OYEZ_SMTP_URL {what}; write smtp://host:port or smtps://user:password@host:465 \
                 (the value is not shown because it may hold a password)"
            ))
        };
        let url = Url::parse(url).map_err(|_| bad("is not a URL"))?;
        let host = url.host_str().ok_or_else(|| bad("has no host"))?.to_owned();
        let parameter = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let query = parameter("tls");
        let timeout = match parameter("timeout") {
            None => TIMEOUT,
            Some(seconds) => match seconds.parse::<u64>() {
                Ok(seconds @ 1..=3600) => Duration::from_secs(seconds),
                _ => {
                    return Err(bad(
                        "has a `timeout` that is not a number of seconds from 1 to 3600",
                    ));
                }
            },
        };
        let tls = match (url.scheme(), query.as_deref()) {
            ("smtps", None) => TlsMode::Wrapper,
            ("smtp", None | Some("opportunistic")) => TlsMode::Opportunistic,
            ("smtp", Some("required")) => TlsMode::Required,
            ("smtp", Some("none")) => TlsMode::None,
            ("smtp" | "smtps", Some(_)) => return Err(bad("has an unknown `tls` value")),
            _ => return Err(bad("has a scheme other than smtp or smtps")),
        };
        let port = url
            .port()
            .unwrap_or(if tls == TlsMode::Wrapper { 465 } else { 25 });
        let credentials = match url.password() {
            None if url.username().is_empty() => None,
            None => return Err(bad("has a user name but no password")),
            Some(password) => {
                let decode = |s: &str| {
                    percent_decode(s).ok_or_else(|| bad("has a user or password that is not UTF-8"))
                };
                Some(Credentials::new(decode(url.username())?, decode(password)?))
            }
        };
        Ok(Self {
            host: host.trim_matches(['[', ']']).to_owned(),
            port,
            tls,
            timeout,
            credentials,
        })
    }

    /// `scheme://host:port`, safe to print.
    pub fn shown(&self) -> String {
        let scheme = if self.tls == TlsMode::Wrapper {
            "smtps"
        } else {
            "smtp"
        };
        format!("{scheme}://{}:{}", self.host, self.port)
    }

    /// Whether the server is this machine (credentials may then go in clear).
    fn is_local(&self) -> bool {
        matches!(self.host.as_str(), "localhost" | "127.0.0.1" | "::1")
    }

    pub(super) fn open(&self, hello: &ClientId) -> Result<SmtpConnection, OpenError> {
        let params = match self.tls {
            TlsMode::None => None,
            _ => Some(TlsParameters::new(self.host.clone())?),
        };
        let wrapper = params.as_ref().filter(|_| self.tls == TlsMode::Wrapper);
        let address = (self.host.as_str(), self.port);
        let mut conn = SmtpConnection::connect(address, Some(self.timeout), hello, wrapper, None)?;
        match (self.tls, &params) {
            (TlsMode::Opportunistic, Some(params)) if conn.can_starttls() => {
                conn.starttls(params, hello)?;
            }
            (TlsMode::Required, Some(params)) => conn.starttls(params, hello)?,
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            if !conn.is_encrypted() && !self.is_local() {
                return Err(OpenError::Insecure);
            }
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)?;
        }
        Ok(conn)
    }
}

pub(super) enum OpenError {
    Smtp(SmtpError),
    /// Credentials would cross the network unencrypted.
    Insecure,
    /// The session did not open within [`super::session::OPEN_STEPS`] timeouts.
    Silent,
}

impl From<SmtpError> for OpenError {
    fn from(err: SmtpError) -> Self {
        Self::Smtp(err)
    }
}

/// `text` with its `%XX` escapes decoded; `None` when not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_host_port_and_tls_and_never_show_the_password() {
        let plain = Settings::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((plain.port, plain.tls), (2525, TlsMode::Opportunistic));
        let secure = Settings::parse("smtps://me%40x.org:s3cr%3At@mail.example.org").unwrap();
        assert_eq!((secure.port, secure.tls), (465, TlsMode::Wrapper));
        assert_eq!(secure.shown(), "smtps://mail.example.org:465");
        assert!(!format!("{secure:?}").contains("s3cr"));
        let required = Settings::parse("smtp://mail.example.org:587?tls=required").unwrap();
        assert_eq!(required.tls, TlsMode::Required);
        let err = Settings::parse("http://user:hunter2@x")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(
            Settings::parse("not a url hunter2")
                .unwrap_err()
                .to_string()
                .contains("not a URL")
        );
    }

    #[test]
    fn percent_decoding_handles_escapes_and_stray_percents() {
        assert_eq!(percent_decode("a%40b%3A%").as_deref(), Some("a@b:%"));
    }
}
