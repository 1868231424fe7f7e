//! A real SMTP server on 127.0.0.1 for the digest tests (mailin-embedded),
//! with scripted faults: 451 or 421-and-close on chosen DATA commands, 550
//! for chosen recipients, and a "hold" that keeps one DATA unanswered until
//! the test releases it (so a test can kill the sender mid-transaction),
//! and a "pause" that stops the server at a chosen step of the N-th
//! transaction (EHLO, MAIL, RCPT, inside the data, after the final dot).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;

use mailin_embedded::response::{NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server};

/// One message the server accepted.
#[derive(Debug, Clone)]
pub(crate) struct Mail {
    /// The envelope sender (MAIL FROM).
    pub(crate) from: String,
    pub(crate) to: Vec<String>,
    pub(crate) data: Vec<u8>,
}

impl Mail {
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.data.clone()).expect("mail is UTF-8")
    }
}

/// Faults, by the 1-based number of the DATA command across all sessions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    pub(crate) tempfail: Vec<usize>,
    pub(crate) close: Vec<usize>,
    pub(crate) reject: Vec<String>,
    /// Recipients refused at RCPT with this code and text.
    pub(crate) reject_with: Vec<(String, u16, String)>,
    pub(crate) hold: Option<usize>,
    /// Answer 550 to every MAIL FROM.
    pub(crate) refuse_sender: bool,
    /// Stop at the N-th (1-based) occurrence of a step, unanswered, until
    /// [`SmtpServer::release`]; [`SmtpServer::wait_until_holding`] waits for it.
    pub(crate) pause: Option<(Step, usize)>,
}

/// A step of an SMTP session at which the server can pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    /// The EHLO of a new connection: the client is still connecting.
    Ehlo,
    /// MAIL FROM, unanswered: nothing of the message has left the client.
    Mail,
    /// RCPT TO, unanswered.
    Rcpt,
    /// The first line of the message data has arrived; the rest is not read.
    Data,
    /// The final dot has arrived and the message is stored; no reply yet.
    Dot,
}

#[derive(Default)]
struct Inner {
    faults: Faults,
    received: Vec<Mail>,
    data_ends: usize,
    holding: bool,
    released: bool,
    steps: BTreeMap<Step, usize>,
}

struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts `step`; when it is the chosen pause, waits for the release.
    fn step(&self, step: Step) {
        let mut inner = self.lock();
        let count = inner.steps.entry(step).or_default();
        *count += 1;
        let count = *count;
        if inner.faults.pause != Some((step, count)) {
            return;
        }
        inner.holding = true;
        self.changed.notify_all();
        while !inner.released {
            inner = self.changed.wait(inner).unwrap_or_else(|p| p.into_inner());
        }
    }
}

#[derive(Clone)]
struct Session {
    shared: Arc<Shared>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
    first_line: bool,
}

impl Handler for Session {
    fn helo(&mut self, _ip: std::net::IpAddr, _domain: &str) -> Response {
        self.shared.step(Step::Ehlo);
        OK
    }

    fn mail(&mut self, _ip: std::net::IpAddr, _domain: &str, _from: &str) -> Response {
        self.shared.step(Step::Mail);
        if self.shared.lock().faults.refuse_sender {
            Response::custom(550, "5.7.1 sender not allowed".into())
        } else {
            OK
        }
    }

    fn rcpt(&mut self, to: &str) -> Response {
        self.shared.step(Step::Rcpt);
        let faults = self.shared.lock().faults.clone();
        if let Some((_, code, text)) = faults.reject_with.iter().find(|(r, _, _)| r == to) {
            return Response::custom(*code, text.clone());
        }
        if faults.reject.iter().any(|r| r == to) {
            NO_MAILBOX
        } else {
            OK
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_owned();
        self.to = to.to_vec();
        self.data.clear();
        self.first_line = true;
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if std::mem::take(&mut self.first_line) {
            self.shared.step(Step::Data);
        }
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mut inner = self.shared.lock();
        inner.data_ends += 1;
        let n = inner.data_ends;
        if inner.faults.tempfail.contains(&n) {
            self.shared.changed.notify_all();
            return Response::custom(451, "4.3.0 try again later".into());
        }
        if inner.faults.close.contains(&n) {
            self.shared.changed.notify_all();
            return Response::custom(421, "4.4.2 closing connection".into());
        }
        inner.received.push(Mail {
            from: self.from.clone(),
            to: self.to.clone(),
            data: std::mem::take(&mut self.data),
        });
        self.shared.changed.notify_all();
        drop(inner);
        self.shared.step(Step::Dot);
        let mut inner = self.shared.lock();
        if inner.faults.hold == Some(n) {
            inner.holding = true;
            self.shared.changed.notify_all();
            while !inner.released {
                inner = self
                    .shared
                    .changed
                    .wait(inner)
                    .unwrap_or_else(|p| p.into_inner());
            }
        }
        self.shared.changed.notify_all();
        OK
    }
}

/// A running server; it lives until the test process ends.
pub(crate) struct SmtpServer {
    pub(crate) port: u16,
    shared: Arc<Shared>,
}

impl SmtpServer {
    pub(crate) fn start(faults: Faults) -> Self {
        Self::start_on("127.0.0.1", faults)
    }

    /// On another loopback address (oyez treats only 127.0.0.1, ::1 and
    /// localhost as this machine).
    pub(crate) fn start_on(ip: &str, faults: Faults) -> Self {
        let listener = TcpListener::bind((ip, 0)).expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                faults,
                ..Inner::default()
            }),
            changed: Condvar::new(),
        });
        let session = Session {
            shared: Arc::clone(&shared),
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
            first_line: false,
        };
        let mut server = Server::new(session);
        server
            .with_name("test.localhost")
            .with_tcp_listener(listener)
            .with_num_threads(4);
        thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, shared }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub(crate) fn received(&self) -> Vec<Mail> {
        self.shared.lock().received.clone()
    }

    /// Blocks until the held DATA has arrived (it is stored, unanswered).
    pub(crate) fn wait_until_holding(&self) {
        let mut inner = self.shared.lock();
        while !inner.holding {
            inner = self
                .shared
                .changed
                .wait(inner)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Blocks until the pause (or hold) is reached, checking `alive` now
    /// and then so that a sender that ends without reaching it fails the
    /// test instead of hanging it. Returns false if `alive` said no.
    pub(crate) fn wait_until_holding_while(&self, mut alive: impl FnMut() -> bool) -> bool {
        let mut inner = self.shared.lock();
        while !inner.holding {
            if !alive() {
                return false;
            }
            inner = self
                .shared
                .changed
                .wait_timeout(inner, std::time::Duration::from_millis(50))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        true
    }

    /// Blocks until the server has stored at least `count` messages.
    pub(crate) fn wait_for(&self, count: usize) {
        let mut inner = self.shared.lock();
        while inner.received.len() < count {
            inner = self
                .shared
                .changed
                .wait(inner)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// How many sessions (EHLO or HELO) clients opened.
    pub(crate) fn sessions(&self) -> usize {
        self.shared
            .lock()
            .steps
            .get(&Step::Ehlo)
            .copied()
            .unwrap_or(0)
    }

    /// Lets the held DATA be answered (250).
    pub(crate) fn release(&self) {
        self.shared.lock().released = true;
        self.shared.changed.notify_all();
    }
}

/// Where [`Relay`] cuts the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// On the N-th `RCPT TO`, before forwarding it: nothing can be delivered.
    BeforeData(usize),
    /// After the server answered the N-th message's final dot: the server
    /// has it, the client never hears so.
    AfterData(usize),
}

/// A TCP relay in front of an [`SmtpServer`] that drops the client's
/// connection without a reply at one chosen point, as a broken network does.
pub(crate) struct Relay {
    pub(crate) port: u16,
}

impl Relay {
    pub(crate) fn start(upstream: u16, cut: Cut) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind relay");
        let port = listener.local_addr().expect("relay addr").port();
        let counts = Arc::new(Mutex::new((0usize, 0usize)));
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let counts = Arc::clone(&counts);
                thread::spawn(move || {
                    let _ = relay(client, upstream, cut, &counts);
                });
            }
        });
        Self { port }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }
}

/// SMTP without pipelining: one reply per command, one per message.
fn relay(
    client: std::net::TcpStream,
    upstream: u16,
    cut: Cut,
    counts: &Mutex<(usize, usize)>,
) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    let server = std::net::TcpStream::connect(("127.0.0.1", upstream))?;
    let mut to_server = server.try_clone()?;
    let mut from_server = BufReader::new(server);
    let mut to_client = client.try_clone()?;
    let mut from_client = BufReader::new(client);
    let mut reply = |to_client: &mut std::net::TcpStream, send: bool| -> std::io::Result<()> {
        loop {
            let mut line = Vec::new();
            if from_server.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            if send {
                to_client.write_all(&line)?;
            }
            if line.get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    };
    reply(&mut to_client, true)?;
    let mut in_data = false;
    loop {
        let mut line = Vec::new();
        if from_client.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let upper = String::from_utf8_lossy(&line).to_ascii_uppercase();
        if !in_data && upper.starts_with("RCPT TO") {
            let mut counts = counts.lock().unwrap_or_else(|p| p.into_inner());
            counts.0 += 1;
            if cut == Cut::BeforeData(counts.0) {
                return to_client.shutdown(std::net::Shutdown::Both);
            }
        }
        to_server.write_all(&line)?;
        if in_data && line == b".\r\n" {
            in_data = false;
            let mut counts = counts.lock().unwrap_or_else(|p| p.into_inner());
            counts.1 += 1;
            if cut == Cut::AfterData(counts.1) {
                reply(&mut to_client, false)?;
                return to_client.shutdown(std::net::Shutdown::Both);
            }
            reply(&mut to_client, true)?;
        } else if !in_data {
            reply(&mut to_client, true)?;
            in_data = upper.starts_with("DATA");
        }
    }
}
