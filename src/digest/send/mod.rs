//! Sending over SMTP with lettre's client connection, one transaction per
//! recipient on a reused connection. Each transaction is classified by
//! where it ended, because that decides whether a retry could duplicate:
//!
//! - 2xx after the message: `accepted`;
//! - 5xx to RCPT or to the message: `failed` for that recipient, and the
//!   run goes on; 5xx to MAIL or DATA refuses the sender or the session,
//!   so the recipient is `deferred` and the run stops;
//! - 4xx anywhere, or the connection breaking *before* the message data was
//!   sent: not delivered; retried on a new connection with bounded backoff,
//!   then `deferred` (a later run tries again);
//! - the connection breaking *after* the message data was sent: nobody
//!   knows; the recipient stays `attempting` (unconfirmed) and is not retried.
//!
//! Settings come from `OYEZ_SMTP_URL`, read in `cli/digest.rs`; the URL's
//! credentials are never shown, only `scheme://host:port`.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, MailBodyParameter, MailParameter};

use super::DigestError;

mod session;
mod settings;

use session::{Failure, Session};
use settings::OpenError;
pub(crate) use settings::percent_decode;
pub use settings::{Settings, TlsMode};

/// Attempts per recipient (and per connection) before giving up for this run.
pub const MAX_TRIES: u32 = 4;
/// Transactions in a row without an answer (timeouts, lost connections)
/// after which a run stops and leaves the rest for the next (issue 20).
pub const MAX_STALLS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const TIMEOUT: Duration = Duration::from_secs(60);

/// Whether `err` is the server not answering in time: a socket timeout
/// shows as `WouldBlock` on Linux (lettre's `is_timeout` looks only for
/// `TimedOut`).
fn timed_out(err: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            );
        }
        source = cause.source();
    }
    false
}

/// How one SMTP transaction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted(String),
    /// A permanent refusal (5xx).
    Failed(String),
    /// Not delivered (4xx, or broken before the data): try again.
    Deferred(String),
    /// Broken after the data was sent: may or may not have arrived.
    Unknown(String),
    /// A permanent refusal of the sender or session (5xx to MAIL or DATA):
    /// not delivered, and the run must stop.
    Refused(String),
}

/// A send-rate cap shared by every connection of a run: transactions
/// start at most `rate` per second in all.
#[derive(Debug, Default)]
pub struct Pace {
    interval: Option<Duration>,
    next: Mutex<Option<Instant>>,
}

impl Pace {
    /// `rate`: at most this many messages per second (`None`: no cap).
    pub fn new(rate: Option<f64>) -> Self {
        Self {
            interval: rate
                .filter(|r| *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next: Mutex::new(None),
        }
    }

    /// Waits for this transaction's turn.
    fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let turn = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let turn = next.map_or_else(Instant::now, |at| at.max(Instant::now()));
            *next = Some(turn + interval);
            turn
        };
        thread::sleep(turn.saturating_duration_since(Instant::now()));
    }
}

/// A reusable SMTP session with reconnection and a send-rate cap.
pub struct Mailer {
    settings: Settings,
    hello: ClientId,
    conn: Option<Session>,
    pace: Arc<Pace>,
    /// `[digest] per_connection`: transactions before a new connection.
    per_connection: Option<usize>,
    /// Transactions on the open connection.
    used: usize,
    /// Transactions in a row that met silence or a lost connection.
    stalls: u32,
}

impl Mailer {
    /// One connection's mailer; `pace` is shared with the run's other connections.
    pub fn new(settings: Settings, pace: Arc<Pace>) -> Self {
        Self {
            settings,
            hello: ClientId::default(),
            conn: None,
            pace,
            per_connection: None,
            used: 0,
            stalls: 0,
        }
    }

    /// Transactions in a row that had no answer in time or lost the
    /// connection: a stalled server (issue 20).
    pub fn stalls(&self) -> u32 {
        self.stalls
    }

    /// At most `limit` messages per connection, then QUIT and reconnect
    /// (a provider's limit; issue 14).
    pub fn with_per_connection(mut self, limit: Option<usize>) -> Self {
        self.per_connection = limit.filter(|n| *n > 0);
        self
    }

    /// Makes sure a session is open, reconnecting with bounded backoff.
    /// Fails (stopping the run) only when the server cannot be reached or
    /// refuses the session; no recipient is `attempting` at that point.
    pub fn ready(&mut self) -> Result<(), DigestError> {
        if self.per_connection.is_some_and(|limit| self.used >= limit) {
            self.quit();
        }
        if self.conn.is_some() {
            return Ok(());
        }
        self.used = 0;
        let mut delay = FIRST_BACKOFF;
        for attempt in 1..=MAX_TRIES {
            match Session::open(&self.settings, &self.hello) {
                Ok(conn) => {
                    self.conn = Some(conn);
                    return Ok(());
                }
                Err(OpenError::Insecure) => {
                    return Err(DigestError::Smtp(format!(
                        "refusing to send the SMTP password unencrypted to {}: the server offers \
                         no STARTTLS; use smtps:// or a server that offers STARTTLS",
                        self.settings.shown()
                    )));
                }
                Err(OpenError::Smtp(err)) if err.is_permanent() || attempt == MAX_TRIES => {
                    let why = if timed_out(&err) {
                        let seconds = self.settings.timeout.as_secs();
                        format!("no answer within {seconds} s, {MAX_TRIES} times")
                    } else {
                        err.to_string()
                    };
                    return Err(DigestError::Smtp(format!(
                        "cannot open an SMTP session with {}: {why}; check OYEZ_SMTP_URL and the server",
                        self.settings.shown()
                    )));
                }
                Err(OpenError::Silent) if attempt == MAX_TRIES => {
                    let seconds = self.settings.timeout.as_secs() * u64::from(session::OPEN_STEPS);
                    return Err(DigestError::Smtp(format!(
                        "cannot open an SMTP session with {}: no complete answer within \
                         {seconds} s, {MAX_TRIES} times; check OYEZ_SMTP_URL and the server",
                        self.settings.shown()
                    )));
                }
                Err(OpenError::Smtp(_) | OpenError::Silent) => {
                    thread::sleep(delay);
                    delay *= 2;
                }
            }
        }
        Ok(())
    }

    /// One transaction on the open session (call [`Mailer::ready`] first).
    pub fn transact(&mut self, message: &Message) -> Outcome {
        self.pace.wait();
        let Some(conn) = self.conn.as_mut() else {
            return Outcome::Deferred("no SMTP session".into());
        };
        let result = transaction(conn, message.envelope(), &message.formatted());
        let seconds = self.settings.timeout.as_secs();
        self.used += 1;
        self.stalls = match &result {
            Err((_, Failure::Smtp(err))) if timed_out(err) || err.status().is_none() => {
                self.stalls + 1
            }
            Err((_, Failure::Silent)) => self.stalls + 1,
            _ => 0,
        };
        if result.is_err() {
            // Close without QUIT: after a failure the session's state is
            // uncertain (some servers even stay in DATA after a 451), and
            // waiting for a QUIT reply could hang until the timeout.
            self.conn = None;
        }
        match result {
            Ok(reply) => Outcome::Accepted(reply),
            Err((phase, Failure::Smtp(err))) if !timed_out(&err) => classify(phase, &err),
            Err((_, Failure::NotReady(reply))) => Outcome::Refused(format!(
                "the server answered DATA with `{reply}` instead of 354, so the message was not \
                 sent; this server does not follow SMTP"
            )),
            // A timeout, whether lettre's socket met it (one silent read)
            // or the session's deadline did (a whole reply too slow).
            Err((Phase::Sender | Phase::Recipient, _)) => Outcome::Deferred(format!(
                "no answer within {seconds} s, before the message was sent"
            )),
            Err((Phase::Content, _)) => Outcome::Unknown(format!(
                "no answer within {seconds} s after the message was sent"
            )),
        }
    }

    /// Ends the session politely.
    pub fn quit(&mut self) {
        if let Some(conn) = self.conn.take() {
            conn.quit();
        }
    }
}

/// The bounded backoff before retry `attempt` (1-based) of a transaction.
pub fn backoff(attempt: u32) -> Duration {
    FIRST_BACKOFF * 2u32.saturating_pow(attempt.saturating_sub(1).min(4))
}

/// Where a transaction ended; before `Content` nothing can have been delivered.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// MAIL FROM and the DATA command: about the sender and the session.
    Sender,
    /// RCPT TO: about this recipient.
    Recipient,
    /// The message data and its final dot.
    Content,
}

/// How an SMTP error ends a transaction, by where it came.
fn classify(phase: Phase, err: &SmtpError) -> Outcome {
    match phase {
        // A 5xx to MAIL or DATA refuses the sender or the session, not
        // this recipient: every later message would meet it too.
        Phase::Sender if err.is_permanent() => Outcome::Refused(err.to_string()),
        _ if err.is_permanent() => Outcome::Failed(err.to_string()),
        _ if err.is_transient() => Outcome::Deferred(err.to_string()),
        Phase::Sender | Phase::Recipient => Outcome::Deferred(format!(
            "connection lost before the message was sent: {err}"
        )),
        Phase::Content => {
            Outcome::Unknown(format!("connection lost after the message was sent: {err}"))
        }
    }
}

fn transaction(
    conn: &mut Session,
    envelope: &Envelope,
    bytes: &[u8],
) -> Result<String, (Phase, Failure)> {
    let sender_err = |err| (Phase::Sender, err);
    let mut options = Vec::new();
    if !bytes.is_ascii() && conn.eight_bit() {
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    conn.command(Mail::new(envelope.from().cloned(), options))
        .map_err(sender_err)?;
    for to in envelope.to() {
        conn.command(Rcpt::new(to.clone(), Vec::new()))
            .map_err(|err| (Phase::Recipient, err))?;
    }
    let ready = conn.command(Data).map_err(sender_err)?;
    // lettre takes any 2xx or 3xx; only 354 invites the data (issue 15: a
    // 250 here used to be followed by the message anyway).
    if !ready.has_code(354) {
        return Err(sender_err(Failure::NotReady(reply_text(&ready))));
    }
    let reply = match std::str::from_utf8(bytes)
        .ok()
        .filter(|text| text.is_ascii())
    {
        // One write for data and final dot: two writes would wait on Nagle
        // and delayed ACKs (~40 ms per message on Linux).
        Some(text) => conn.command(Stuffed(text)),
        None => conn.message(bytes),
    }
    .map_err(|err| (Phase::Content, err))?;
    Ok(reply_text(&reply))
}

/// `250 text`: a reply's code and its lines, on one line.
fn reply_text(reply: &lettre::transport::smtp::response::Response) -> String {
    let text: Vec<&str> = reply.message().collect();
    format!("{} {}", reply.code(), text.join(" "))
}

/// Message data as sent after DATA: lines starting with `.` get another
/// (RFC 5321 4.5.2), then the final `.` line.
struct Stuffed<'a>(&'a str);

impl std::fmt::Display for Stuffed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (index, line) in self.0.split("\r\n").enumerate() {
            if index > 0 {
                f.write_str("\r\n")?;
            }
            if line.starts_with('.') {
                f.write_str(".")?;
            }
            f.write_str(line)?;
        }
        if self.0.ends_with("\r\n") {
            f.write_str(".\r\n")
        } else {
            f.write_str("\r\n.\r\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_data_is_dot_stuffed_and_terminated_once() {
        assert_eq!(
            Stuffed(".a\r\nb\r\n..c\r\n").to_string(),
            "..a\r\nb\r\n...c\r\n.\r\n"
        );
        assert_eq!(Stuffed("a\r\n.").to_string(), "a\r\n..\r\n.\r\n");
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        assert_eq!(backoff(1), Duration::from_millis(200));
        assert_eq!(backoff(3), Duration::from_millis(800));
        assert_eq!(backoff(50), Duration::from_millis(3200));
    }
}
