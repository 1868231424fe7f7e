//! An SMTP connection on a thread of its own, so that every reply is
//! waited for with a deadline (issue 15). lettre's timeout is a socket
//! timeout, which bounds each *read*: a server that answers one byte a
//! second never meets it. Here the whole reply must arrive within the
//! timeout; if it does not, the session is given up (no further command
//! is ever sent on it) and its thread ends with the socket's own timeout.

use std::fmt::Display;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::Duration;

use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::client::SmtpConnection;
use lettre::transport::smtp::commands::Quit;
use lettre::transport::smtp::extension::{ClientId, Extension};
use lettre::transport::smtp::response::Response;

use super::settings::{OpenError, Settings};

/// Replies the opening of a session waits for: greeting, EHLO, STARTTLS
/// and EHLO again, AUTH. Opening must end within this many timeouts.
pub(super) const OPEN_STEPS: u32 = 5;

/// Why a command got no usable reply.
#[derive(Debug)]
pub(super) enum Failure {
    Smtp(SmtpError),
    /// No complete reply within the timeout.
    Silent,
    /// DATA answered with something other than 354 (the reply).
    NotReady(String),
}

enum Job {
    Command(String),
    Message(Vec<u8>),
}

/// An open session; dropping it closes the connection without QUIT.
pub(super) struct Session {
    jobs: Sender<Job>,
    replies: Receiver<Result<Response, SmtpError>>,
    timeout: Duration,
    eight_bit: bool,
}

impl Session {
    /// Connects and opens a session as `settings` say, on a new thread.
    pub(super) fn open(settings: &Settings, hello: &ClientId) -> Result<Self, OpenError> {
        let (jobs, job_queue) = mpsc::channel::<Job>();
        let (reply_to, replies) = mpsc::channel();
        let (opened_to, opened) = mpsc::sync_channel(1);
        let (thread_settings, hello) = (settings.clone(), hello.clone());
        thread::spawn(move || {
            let mut conn = match thread_settings.open(&hello) {
                Ok(conn) => conn,
                Err(err) => {
                    let _ = opened_to.send(Err(err));
                    return;
                }
            };
            let eight_bit = conn.server_info().supports_feature(Extension::EightBitMime);
            if opened_to.send(Ok(eight_bit)).is_err() {
                return;
            }
            serve(&mut conn, &job_queue, &reply_to);
        });
        match opened.recv_timeout(settings.timeout * OPEN_STEPS) {
            Ok(Ok(eight_bit)) => Ok(Self {
                jobs,
                replies,
                timeout: settings.timeout,
                eight_bit,
            }),
            Ok(Err(err)) => Err(err),
            Err(_) => Err(OpenError::Silent),
        }
    }

    /// Whether the server takes 8-bit message data (8BITMIME).
    pub(super) fn eight_bit(&self) -> bool {
        self.eight_bit
    }

    /// Sends a command and waits for its whole reply.
    pub(super) fn command(&mut self, command: impl Display) -> Result<Response, Failure> {
        self.ask(Job::Command(command.to_string()))
    }

    /// Sends message data (lettre dot-stuffs it) and waits for the reply.
    pub(super) fn message(&mut self, bytes: &[u8]) -> Result<Response, Failure> {
        self.ask(Job::Message(bytes.to_vec()))
    }

    /// Ends the session politely, waiting at most the timeout for the reply.
    pub(super) fn quit(mut self) {
        let _ = self.command(Quit);
    }

    fn ask(&mut self, job: Job) -> Result<Response, Failure> {
        if self.jobs.send(job).is_err() {
            return Err(Failure::Silent);
        }
        match self.replies.recv_timeout(self.timeout) {
            Ok(reply) => reply.map_err(Failure::Smtp),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => Err(Failure::Silent),
        }
    }
}

/// Runs jobs until the session is dropped or a reply can no longer be
/// handed back (the session was given up).
fn serve(
    conn: &mut SmtpConnection,
    jobs: &Receiver<Job>,
    replies: &Sender<Result<Response, SmtpError>>,
) {
    while let Ok(job) = jobs.recv() {
        let reply = match job {
            Job::Command(text) => conn.command(text),
            Job::Message(bytes) => conn.message(&bytes),
        };
        if replies.send(reply).is_err() {
            return;
        }
    }
}
