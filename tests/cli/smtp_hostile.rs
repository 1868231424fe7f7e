//! Issue 15: SMTP servers that misbehave in ways mailin-embedded cannot,
//! played by a small std::net server on 127.0.0.1: one that answers a byte
//! a second, one that answers DATA with 250, one silent after the data.
//! Every run is bounded by the client's timeout and by `run_bounded`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::case::Case;
use crate::digest_kill::with_subscribers;

const NOW: &str = "2026-11-27T00:00:00Z";

/// How the server misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Misbehaviour {
    /// Answers MAIL one byte a second.
    SlowMailReply,
    /// Answers DATA with 250 instead of 354.
    DataWith250,
    /// Reads the message to its final dot, then says nothing.
    SilentAfterDot,
    /// Refuses every recipient with a reply full of terminal controls.
    ControlsInReply,
    /// Answers the greeting and EHLO, then nothing.
    SilentAfterEhlo,
    /// Follows SMTP.
    Behaves,
}

/// What the server saw: the bytes a client sent after DATA was answered.
#[derive(Debug, Default)]
struct Seen {
    after_data: Vec<u8>,
    connections: usize,
    /// Messages answered with 250 at the final dot.
    queued: usize,
}

struct Server {
    port: u16,
    seen: Arc<Mutex<Seen>>,
}

impl Server {
    fn start(misbehaviour: Misbehaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let shared = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                shared.lock().unwrap().connections += 1;
                let shared = Arc::clone(&shared);
                thread::spawn(move || session(stream, misbehaviour, &shared));
            }
        });
        Self { port, seen }
    }

    /// `OYEZ_SMTP_URL` for it, with `timeout` seconds.
    fn url(&self, timeout: u64) -> String {
        format!("smtp://127.0.0.1:{}?tls=none&timeout={timeout}", self.port)
    }
}

/// One connection; ends when the client goes away.
fn session(stream: TcpStream, misbehaviour: Misbehaviour, seen: &Mutex<Seen>) {
    // Bounded: a client that stops talking ends the session.
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let _ = writer.write_all(b"220 hostile ESMTP\r\n");
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        line.clear();
        let ok = match verb.as_str() {
            "EHLO" => writer.write_all(b"250-hostile\r\n250 8BITMIME\r\n"),
            _ if misbehaviour == Misbehaviour::SilentAfterEhlo => {
                let _ = reader.read_to_end(&mut Vec::new());
                return;
            }
            "RCPT" if misbehaviour == Misbehaviour::ControlsInReply => {
                writer.write_all(b"550 \x1b]0;owned\x07\x1b[2Jno such user\rerror: forged\r\n")
            }
            "MAIL" if misbehaviour == Misbehaviour::SlowMailReply => {
                slowly(&mut writer, b"250 ok\r\n")
            }
            "DATA" if misbehaviour == Misbehaviour::DataWith250 => {
                let _ = writer.write_all(b"250 ok\r\n");
                let mut rest = Vec::new();
                let _ = reader.read_to_end(&mut rest);
                seen.lock().unwrap().after_data.extend(rest);
                return;
            }
            "DATA" => {
                let _ = writer.write_all(b"354 go ahead\r\n");
                read_to_dot(&mut reader);
                if misbehaviour == Misbehaviour::SilentAfterDot {
                    let _ = reader.read_to_end(&mut Vec::new());
                    return;
                }
                seen.lock().unwrap().queued += 1;
                writer.write_all(b"250 queued\r\n")
            }
            "QUIT" => {
                let _ = writer.write_all(b"221 bye\r\n");
                return;
            }
            _ => writer.write_all(b"250 ok\r\n"),
        };
        if ok.is_err() {
            return;
        }
    }
}

/// Writes `reply` one byte a second, as long as the client listens.
fn slowly(writer: &mut TcpStream, reply: &[u8]) -> std::io::Result<()> {
    for byte in reply {
        writer.write_all(&[*byte])?;
        thread::sleep(Duration::from_secs(1));
    }
    Ok(())
}

fn read_to_dot(reader: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        if line == ".\r\n" {
            return;
        }
        line.clear();
    }
}

fn send(case: &Case, url: &str) -> crate::case::Run {
    let args = ["digest", "--since", "2020-01-01", "--now", NOW, "--send"];
    crate::corpus::run_bounded_with(case, &args, &[("OYEZ_SMTP_URL", url)]).expect("no hang")
}

// Issue 15: with timeout=3 a server answering a byte a second took 120 s
// for one message; the timeout bounded each read, not each reply.
#[test]
fn a_reply_one_byte_a_second_meets_the_timeout() {
    let server = Server::start(Misbehaviour::SlowMailReply);
    let case = with_subscribers(1);
    // Each byte comes well within 2 s: only a bound on the whole reply
    // (8 bytes, 8 s) stops it.
    let run = send(&case, &server.url(2));
    assert_eq!(run.code, 1, "{run:?}");
    crate::support::expect(
        &run,
        1,
        "deferred: reader001@example.net: no answer within 2 s, before the message was sent; \
         the next run tries again\n\
         error: the SMTP server stopped answering (3 transactions in a row met silence or a \
         lost connection); nothing more is sent: run again later, and the rest are mailed then\n",
    );
    // One per try, until the third slow reply in a row stops the run (issue 20).
    assert_eq!(server.seen.lock().unwrap().connections, 3, "one per try");
}

// Issue 15: lettre takes any positive reply to DATA; a 250 was followed by
// the message anyway.
#[test]
fn data_answered_with_250_sends_no_message_data() {
    let server = Server::start(Misbehaviour::DataWith250);
    let case = with_subscribers(2);
    let run = send(&case, &server.url(5));
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(
            "the server answered DATA with `250 ok` instead of 354, so the message was not sent"
        ),
        "{}",
        run.stderr
    );
    let seen = server.seen.lock().unwrap();
    assert_eq!(String::from_utf8_lossy(&seen.after_data), "");
}

// Issue 15: this used to read `connection lost … Resource temporarily
// unavailable (os error 11)`.
#[test]
fn silence_after_the_data_is_no_answer_within_the_timeout() {
    let server = Server::start(Misbehaviour::SilentAfterDot);
    let case = with_subscribers(1);
    let run = send(&case, &server.url(1));
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(
            "unconfirmed: reader001@example.net: no answer within 1 s after the message was sent"
        ),
        "{}",
        run.stderr
    );
}

// Issue 20: an SMTP reply reached the terminal raw: an OSC sequence set
// the window title, ESC[2J cleared the screen, CR forged an `error:` line.
#[test]
fn control_sequences_in_a_server_reply_are_printed_escaped() {
    let server = Server::start(Misbehaviour::ControlsInReply);
    let case = with_subscribers(1);
    let run = send(&case, &server.url(5));
    crate::support::expect(
        &run,
        1,
        "failed: reader001@example.net: permanent error (550): \\u{1b}]0;owned\\u{7}\\u{1b}[2Jno such user\\rerror: \
         forged\n\
         error: 1 recipient of digest 2026-11-27 was not confirmed as reached; see above\n",
    );
}

// Issue 20: a server that stalls after EHLO or after the data cost every
// recipient several timeouts; 10,000 subscribers would have taken days.
#[test]
fn a_stalled_server_stops_the_run_and_the_next_run_mails_the_rest() {
    for (misbehaviour, left) in [
        (
            Misbehaviour::SilentAfterEhlo,
            "deferred: reader001@example.net: no answer within 1 s, \
          before the message was sent; the next run tries again\n",
        ),
        (
            Misbehaviour::SilentAfterDot,
            "unconfirmed: reader001@example.net: no answer within 1 \
          s after the message was sent; not mailed again unless you run with \
          --resend-unconfirmed\nunconfirmed: reader002@example.net: no answer within 1 s after \
          the message was sent; not mailed again unless you run with --resend-unconfirmed\n\
          unconfirmed: reader003@example.net: no answer within 1 s after the message was sent; \
          not mailed again unless you run with --resend-unconfirmed\n",
        ),
    ] {
        let server = Server::start(misbehaviour);
        let case = with_subscribers(10);
        let run = send(&case, &server.url(1));
        crate::support::expect(
            &run,
            1,
            &format!(
                "{left}error: the SMTP server stopped answering (3 transactions in a row met \
                 silence or a lost connection); nothing more is sent: run again later, and the \
                 rest are mailed then\n"
            ),
        );
        assert_eq!(
            server.seen.lock().unwrap().connections,
            3,
            "{misbehaviour:?}"
        );
        let good = Server::start(Misbehaviour::Behaves);
        let run = send(&case, &good.url(5));
        // The unconfirmed may have their copy: they wait for --resend-unconfirmed.
        let expected = if misbehaviour == Misbehaviour::SilentAfterDot {
            (1, 7)
        } else {
            (0, 10)
        };
        assert_eq!(
            (run.code, good.seen.lock().unwrap().queued),
            expected,
            "{run:?}"
        );
    }
}
