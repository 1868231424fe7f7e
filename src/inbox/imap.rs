//! The list's mailbox over IMAP (`imaps://user:password@host[:port]/INBOX`,
//! or `imap://…` upgraded with STARTTLS, which must then be offered):
//! TLS with rustls, certificates checked against the Web PKI roots and
//! the certificates of `OYEZ_INBOX_CA` (a private CA). Messages are read
//! with `BODY.PEEK[]` (not marked seen); one applied is flagged `\Deleted`
//! and expunged when the run ends.

use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use url::Url;

use super::{InboxError, Mailbox};
use crate::digest::send::percent_decode;
use crate::input::{self, Kind};

type Stream = StreamOwned<ClientConnection, TcpStream>;

const TIMEOUT: Duration = Duration::from_secs(60);

/// An open IMAP session on the selected folder.
pub struct Imap {
    session: imap::Session<Stream>,
    shown: String,
    folder: String,
}

impl Imap {
    /// Connects, logs in and selects the folder `url` names.
    pub fn connect(url: &str, ca: Option<&Path>) -> Result<Self, InboxError> {
        let bad = |what: &str| {
            InboxError::Config(format!(
                "OYEZ_INBOX_URL {what}; write imaps://user:password@host/INBOX (the value is \
                 not shown because it may hold a password)"
            ))
        };
        let url = Url::parse(url).map_err(|_| bad("is not a URL"))?;
        let starttls = match url.scheme() {
            "imaps" => false,
            "imap" => true,
            _ => return Err(bad("has a scheme other than imaps, imap or maildir")),
        };
        let host = url.host_str().ok_or_else(|| bad("has no host"))?;
        let host = host.trim_matches(['[', ']']).to_owned();
        let port = url.port().unwrap_or(if starttls { 143 } else { 993 });
        let decode = |s: &str| {
            percent_decode(s).ok_or_else(|| bad("has a user or password that is not UTF-8"))
        };
        let user = decode(url.username())?;
        let password = decode(url.password().ok_or_else(|| bad("has no password"))?)?;
        let folder = decode(url.path().trim_start_matches('/'))?;
        let folder = if folder.is_empty() {
            "INBOX".to_owned()
        } else {
            folder
        };
        let shown = format!("{}://{host}:{port}/{folder}", url.scheme());
        let fail = |reason: String| InboxError::Mailbox {
            mailbox: shown.clone(),
            reason,
        };
        let config = tls_config(ca)?;
        let stream = open(&host, port, starttls, config).map_err(fail)?;
        let mut client = imap::Client::new(stream);
        if !starttls {
            client.read_greeting().map_err(|e| fail(e.to_string()))?;
        }
        let mut session = client.login(user, password).map_err(|(err, _)| {
            fail(format!("cannot log in: {err}; check the user and password"))
        })?;
        session
            .select(&folder)
            .map_err(|e| fail(format!("cannot open {folder}: {e}")))?;
        Ok(Self {
            session,
            shown,
            folder,
        })
    }

    fn error(&self, reason: String) -> InboxError {
        InboxError::Mailbox {
            mailbox: self.shown.clone(),
            reason,
        }
    }
}

/// The TCP connection, with TLS from the first byte or after STARTTLS.
fn open(
    host: &str,
    port: u16,
    starttls: bool,
    config: Arc<ClientConfig>,
) -> Result<Stream, String> {
    let tcp = TcpStream::connect((host, port)).map_err(|e| format!("cannot connect: {e}"))?;
    let _ = tcp.set_read_timeout(Some(TIMEOUT));
    let _ = tcp.set_write_timeout(Some(TIMEOUT));
    let tcp = match starttls {
        false => tcp,
        true => starttls_on(tcp)?,
    };
    let name = ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    let conn = ClientConnection::new(config, name).map_err(|e| e.to_string())?;
    let mut stream = StreamOwned::new(conn, tcp);
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|e| format!("TLS: {e}; a private CA is trusted with OYEZ_INBOX_CA=ca.pem"))?;
    }
    Ok(stream)
}

/// Reads the greeting and asks for STARTTLS (RFC 3501 6.2.1), by hand:
/// the exchange is three lines, and nothing may be read past it.
fn starttls_on(mut tcp: TcpStream) -> Result<TcpStream, String> {
    use std::io::{Read, Write};
    let line = |tcp: &mut TcpStream| -> Result<String, String> {
        let mut bytes = Vec::new();
        let mut byte = [0u8; 1];
        while bytes.last() != Some(&b'\n') && bytes.len() < 8192 {
            match tcp.read(&mut byte) {
                Ok(1) => bytes.push(byte[0]),
                Ok(_) => return Err("the server closed the connection".into()),
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(String::from_utf8_lossy(&bytes).trim_end().to_owned())
    };
    line(&mut tcp)?;
    tcp.write_all(b"s1 STARTTLS\r\n")
        .map_err(|e| e.to_string())?;
    loop {
        let reply = line(&mut tcp)?;
        if reply.starts_with("s1 OK") {
            return Ok(tcp);
        }
        if reply.starts_with("s1 ") {
            return Err(format!(
                "the server refused STARTTLS ({reply}); use imaps://"
            ));
        }
    }
}

/// The Web PKI roots, and the certificates of the PEM file `ca`.
fn tls_config(ca: Option<&Path>) -> Result<Arc<ClientConfig>, InboxError> {
    let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca {
        let bad =
            |why: String| InboxError::Config(format!("OYEZ_INBOX_CA {}: {why}", path.display()));
        let mut file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
        let pem =
            input::read_all(&mut file, path, Kind::Mail).map_err(|e| bad(e.problem.to_string()))?;
        let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|e| bad(format!("not PEM certificates ({e})")))?;
        if certificates.is_empty() {
            return Err(bad("holds no certificate".into()));
        }
        for certificate in certificates {
            roots.add(certificate).map_err(|e| bad(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| InboxError::Config(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

impl Mailbox for Imap {
    fn shown(&self) -> String {
        self.shown.clone()
    }

    fn list(&mut self) -> Result<Vec<String>, InboxError> {
        let found = self.session.uid_search("ALL");
        let mut uids: Vec<u32> = found
            .map_err(|e| self.error(format!("cannot search {}: {e}", self.folder)))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        Ok(uids.iter().map(u32::to_string).collect())
    }

    fn fetch(&mut self, id: &str) -> Result<Vec<u8>, String> {
        let sizes = self
            .session
            .uid_fetch(id, "RFC822.SIZE")
            .map_err(|e| e.to_string())?;
        let size = sizes.iter().next().and_then(|f| f.size).unwrap_or(0);
        if u64::from(size) > Kind::Mail.limit() {
            return Err(format!("larger than {} MiB", Kind::Mail.limit() >> 20));
        }
        let fetched = self
            .session
            .uid_fetch(id, "BODY.PEEK[]")
            .map_err(|e| e.to_string())?;
        let body = fetched
            .iter()
            .next()
            .and_then(|f| f.body().map(<[u8]>::to_vec));
        body.ok_or_else(|| "the server sent no body".to_owned())
    }

    fn delete(&mut self, id: &str) -> Result<(), InboxError> {
        let stored = self.session.uid_store(id, "+FLAGS.SILENT (\\Deleted)");
        stored
            .map(drop)
            .map_err(|e| self.error(format!("cannot delete message {id}: {e}")))
    }

    fn finish(&mut self) -> Result<(), InboxError> {
        let expunged = self.session.expunge();
        expunged.map_err(|e| self.error(format!("cannot expunge: {e}")))?;
        let _ = self.session.logout();
        Ok(())
    }
}
