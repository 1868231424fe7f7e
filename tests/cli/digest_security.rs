//! Security of the digest's outputs (issue 6.5) and its bad inputs that
//! need an environment (6.1): no script from catalogue text in any mail,
//! preview or public digest page; no header injection; no credential from
//! `OYEZ_SMTP_URL` in any output, ledger or error; TLS when the URL says
//! `smtps` or another host offers STARTTLS; malformed and dead URLs.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::case::{BIN, Case, Run};
use crate::digest::{header, parse};
use crate::smtp::{Faults, Mail, SmtpServer};
use crate::support::{expect, hazards, html_hazards};

const NOW: &str = "2026-11-27T00:00:00Z";
const SECRET: &str = "s3cret-PW";

/// Runs `oyez ARGS` with `env`; a watchdog (not a timing assertion) fails
/// the test if it has not ended in 30 s: a hang.
fn run_bounded(case: &Case, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(case.path())
        .env_remove("OYEZ_SMTP_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("oyez {} hung", args.join(" "));
        }
        thread::sleep(Duration::from_millis(20));
    }
    let run = Run::from(child.wait_with_output().unwrap());
    assert_ne!(run.code, 101, "panicked: {}", run.stderr);
    run
}

/// Every file under the case folder that oyez wrote or may have written.
fn outputs(case: &Case) -> Vec<(String, Vec<u8>)> {
    let mut all = case.tree("eml");
    for name in [".oyez/digests.ledger"] {
        if let Ok(bytes) = fs::read(case.path().join(name)) {
            all.push((name.to_owned(), bytes));
        }
    }
    all
}

fn assert_no_secret(case: &Case, run: &Run, what: &str) {
    assert!(
        !run.stdout.contains(SECRET),
        "{what}: stdout shows the password"
    );
    assert!(
        !run.stderr.contains(SECRET),
        "{what}: stderr shows the password"
    );
    for (path, bytes) in outputs(case) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(SECRET), "{what}: {path} holds the password");
    }
}

fn hostile() -> Case {
    let config =
        fs::read_to_string(crate::case::repo_root().join("tests/fixtures/hostile/oyez.toml"))
            .unwrap()
            + "\n[digest]\nfrom = \"List <list@example.org>\"\nto = \"readers@example.org\"\n\
           list_id = \"list.example.org\"\n\
           unsubscribe = [\"mailto:leave@example.org\", \"https://example.org/unsubscribe\"]\n";
    Case::fixture("hostile").file("oyez.toml", config)
}

/// The hostile fixture (script in every field) through preview, SMTP and
/// the public digest pages: nothing executable anywhere, no extra header.
#[test]
fn hostile_catalogue_text_is_inert_in_the_preview_the_mail_and_the_digest_pages() {
    let case = hostile();
    let args = ["digest", "--since", "2000-01-01", "--now", NOW];
    case.run(&[&args[..], &["--out", "eml"]].concat()).ok();
    let server = SmtpServer::start(Faults::default());
    let run = case.run_with(
        &[&args[..], &["--send"]].concat(),
        &[("OYEZ_SMTP_URL", &server.url())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut mails: Vec<(String, Mail)> = case
        .tree("eml")
        .into_iter()
        .map(|(path, data)| {
            (
                path,
                Mail {
                    from: String::new(),
                    to: Vec::new(),
                    data,
                },
            )
        })
        .collect();
    assert_eq!(mails.len(), 1);
    mails.extend(
        server
            .received()
            .into_iter()
            .map(|mail| ("sent".to_owned(), mail)),
    );
    assert_eq!(mails.len(), 2);
    for (what, mail) in &mails {
        let parsed = parse(mail);
        assert_eq!(html_hazards(&parsed.html), Vec::<String>::new(), "{what}");
        assert!(
            parsed.html.contains("&lt;script&gt;"),
            "{what}: the text survives, escaped"
        );
        assert_eq!(header_names(&parsed.headers), EXPECTED_HEADERS, "{what}");
    }
    assert_eq!(server.received()[0].to, ["readers@example.org"]);

    case.run(&["publish"]).ok();
    let pages = case.tree("public/digests");
    assert!(pages.len() >= 2, "a page and a feed: {pages:?}");
    for (path, bytes) in pages {
        assert_eq!(
            hazards(&path, &bytes),
            Vec::<String>::new(),
            "public/digests/{path}"
        );
    }
}

// No List-Unsubscribe-Post: the https target is the same for everyone (issue 11).
const EXPECTED_HEADERS: [&str; 9] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "MIME-Version",
    "Content-Type",
];

/// The header names in order (continuation lines skipped), sorted into
/// EXPECTED_HEADERS' order for comparison.
fn header_names(headers: &str) -> Vec<String> {
    let mut names: Vec<String> = headers
        .split("\r\n")
        .filter(|line| !line.starts_with([' ', '\t']))
        .map(|line| line.split(':').next().unwrap().to_owned())
        .collect();
    names.sort_by_key(|name| {
        EXPECTED_HEADERS
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .unwrap_or(usize::MAX)
    });
    names
}

/// A catalogue whose `[digest]` table has `lines` (TOML) over a default
/// that mails readers@example.org, with `title` as the site's and the
/// entry's title (TOML).
fn with_digest(site_title: &str, entry_title: &str, lines: &[(&str, &str)]) -> Case {
    let mut fields = vec![
        ("from", "\"List <list@example.org>\""),
        ("to", "\"readers@example.org\""),
        ("list_id", "\"list.example.org\""),
        (
            "unsubscribe",
            "[\"mailto:leave@example.org\", \"https://example.org/unsubscribe\"]",
        ),
    ];
    for (key, value) in lines {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value,
            None => fields.push((key, value)),
        }
    }
    let digest: String = fields.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
    let config = crate::case::CONFIG
        .replace("title = \"Test list\"", &format!("title = {site_title}"))
        + "\n[digest]\n"
        + &digest;
    Case::new().file("oyez.toml", config).file(
        "entries/talks.toml",
        format!(
            "category = \"talks\"\n[[entry]]\ntitle = {entry_title}\n\
             url = \"https://example.org/a\"\nadded = 2026-11-01\nby = [\"@alice\"]\n"
        ),
    )
}

const TITLE: &str = "\"Test list\"";
const ENTRY: &str = "\"A talk\"";
const CRLF_BCC: &str = "\\r\\nBcc: v@example.org";

/// CR/LF in every source of a header: refused where the catalogue is
/// checked, with the place and what to do, and nothing sent.
#[test]
fn line_breaks_in_header_sources_are_refused_before_anything_is_sent() {
    let quoted = |text: &str| format!("\"{text}\"");
    let cases = [
        (
            "from",
            quoted(&format!("Evil{CRLF_BCC} <list@example.org>")),
            TITLE.to_owned(),
            ENTRY.to_owned(),
            "oyez.toml:19:8: `from` contains a line break (U+000D)",
        ),
        (
            "from",
            quoted(&format!("List <list@example.org>{CRLF_BCC}")),
            TITLE.to_owned(),
            ENTRY.to_owned(),
            "oyez.toml:19:8: `from` contains a line break (U+000D)",
        ),
        (
            "to",
            quoted(&format!("readers@example.org{CRLF_BCC}")),
            TITLE.to_owned(),
            ENTRY.to_owned(),
            "oyez.toml:20:6: `to` contains a line break (U+000D)",
        ),
        (
            "list_id",
            quoted(&format!("list.example.org{CRLF_BCC}")),
            TITLE.to_owned(),
            ENTRY.to_owned(),
            "oyez.toml:21:11: `list_id` contains a line break (U+000D)",
        ),
        (
            "subject",
            quoted("{{ site.title }}"),
            quoted(&format!("Test{CRLF_BCC}")),
            ENTRY.to_owned(),
            "oyez.toml:2:9: `title` contains a line break (U+000D)",
        ),
        (
            "subject",
            quoted("{{ site.title }}"),
            TITLE.to_owned(),
            quoted(&format!("A talk{CRLF_BCC}")),
            "entries/talks.toml:3:9: `title` contains a line break (U+000D)",
        ),
    ];
    let server = SmtpServer::start(Faults::default());
    let env = [("OYEZ_SMTP_URL", server.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let args = ["digest", "--since", "2026-01-01", "--now", NOW, "--send"];
    for (key, value, title, entry, error) in &cases {
        let case = with_digest(title, entry, &[(key, value)]);
        let run = run_bounded(&case, &args, &env);
        expect(
            &run,
            1,
            &format!(
                "error: {error}; remove it; feeds and mail cannot carry it\n\
                 the catalogue has 1 problem\n"
            ),
        );
        assert!(!case.path().join(".oyez/digests.ledger").exists());
    }
    let case = with_digest(
        TITLE,
        ENTRY,
        &[(
            "unsubscribe",
            &quoted(&format!("https://example.org/u{CRLF_BCC}")),
        )],
    );
    expect(
        &run_bounded(&case, &args, &env),
        1,
        "error: oyez.toml:22:15: `unsubscribe` target \"https://example.org/u\\r\\nBcc: v@example.org\" \
         is not a mailto: or https: URL; write mailto:leave@example.org or https://example.org/unsubscribe\n\
         the catalogue has 1 problem\n",
    );
    assert!(server.received().is_empty());
}

/// Line breaks that only appear when a template runs, or that are
/// percent-encoded, and quotes in names: sent, one line per header.
#[test]
fn line_breaks_from_templates_and_quotes_in_names_stay_inside_their_header() {
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            "subject",
            "'{{ site.title }}{{ \"\\r\\n\" }}Bcc: v@example.org{{ \"\\n\\u2028\" }}X-Evil: 1'",
            "Subject",
            "Test <script>alert(1)</script> list: Bcc: x@example.org Bcc: v@example.org X-Evil: 1",
        ),
        (
            "unsubscribe",
            "[\"mailto:leave@example.org?subject=x%0D%0ABcc:v@example.org\", \"https://example.org/u?x=%0D%0ABcc:v@example.org\"]",
            "List-Unsubscribe",
            "<mailto:leave@example.org?subject=x%0D%0ABcc:v@example.org>, \
          <https://example.org/u?x=%0D%0ABcc:v@example.org>",
        ),
        (
            "from",
            "'\"Evil, \\\"Quoted\\\" Bcc: v@example.org\" <list@example.org>'",
            "From",
            // base64 of `Evil, "Quoted" Bcc: v@example.org`: one display name
            "=?utf-8?b?RXZpbCwgIlF1b3RlZCIgQmNjOiB2QGV4YW1wbGUub3Jn?= <list@example.org>",
        ),
        (
            "subject",
            "'{{ site.title }}'",
            "List-Id",
            "Test script alert 1 /script list Bcc x example org <list.example.org>",
        ),
    ];
    let title = "\"Test <script>alert(1)</script> list: Bcc: x@example.org\"";
    for (key, value, name, want) in cases {
        let server = SmtpServer::start(Faults::default());
        let case = with_digest(title, ENTRY, &[(key, value)]);
        let run = run_bounded(
            &case,
            &["digest", "--since", "2026-01-01", "--now", NOW, "--send"],
            &[("OYEZ_SMTP_URL", &server.url())],
        );
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
        let received = server.received();
        let parsed = parse(&received[0]);
        assert_eq!(header_names(&parsed.headers), EXPECTED_HEADERS, "{key}");
        assert_eq!(received[0].to, ["readers@example.org"]);
        assert_eq!(unfolded(&parsed.headers, name), [want], "{key}");
    }
}

/// The values of header `name`, continuation lines joined (RFC 5322 2.2.3).
fn unfolded(headers: &str, name: &str) -> Vec<String> {
    let joined = headers.replace("\r\n ", " ").replace("\r\n\t", "\t");
    header(&joined, name)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// A port on 127.0.0.1 where nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A port on 127.0.0.1 where a server accepts connections and never says a
/// word (not even the greeting).
fn silent_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    port
}

/// Malformed and unreachable `OYEZ_SMTP_URL`s, most with a password: each
/// a clear error naming at most `scheme://host:port`, exit 1, no hang, and
/// the password nowhere (stdout, stderr, ledger, .eml preview).
#[test]
fn bad_smtp_urls_fail_clearly_and_never_show_the_password() {
    let plain = SmtpServer::start(Faults::default());
    let other = SmtpServer::start_on("127.0.0.2", Faults::default());
    let closed = closed_port();
    let silent = silent_port();
    let check = "; check OYEZ_SMTP_URL and the server";
    let refused = format!("Connection error: Connection refused (os error 111){check}");
    let malformed = "; write smtp://host:port or smtps://user:password@host:465 (the value is not \
                     shown because it may hold a password)";
    let cases: Vec<(String, String)> = vec![
        (
            SECRET.into(),
            format!("OYEZ_SMTP_URL is not a URL{malformed}"),
        ),
        (
            format!("smtps://user:{SECRET}@"),
            format!("OYEZ_SMTP_URL is not a URL{malformed}"),
        ),
        (
            format!("smtp://user:{SECRET}@127.0.0.1:99999"),
            format!("OYEZ_SMTP_URL is not a URL{malformed}"),
        ),
        (
            format!("smtp://user:{SECRET}@[::1:25"),
            format!("OYEZ_SMTP_URL is not a URL{malformed}"),
        ),
        (
            format!("ftp://user:{SECRET}@127.0.0.1"),
            format!("OYEZ_SMTP_URL has a scheme other than smtp or smtps{malformed}"),
        ),
        (
            format!("smtp://user:{SECRET}@127.0.0.1?tls=maybe"),
            format!("OYEZ_SMTP_URL has an unknown `tls` value{malformed}"),
        ),
        (
            format!("smtp://user:{SECRET}%FF@127.0.0.1"),
            format!("OYEZ_SMTP_URL has a user or password that is not UTF-8{malformed}"),
        ),
        (
            "smtp://user@127.0.0.1".into(),
            format!("OYEZ_SMTP_URL has a user name but no password{malformed}"),
        ),
        (
            format!("smtp://user:{SECRET}@127.0.0.1?timeout=0"),
            format!(
                "OYEZ_SMTP_URL has a `timeout` that is not a number of seconds from 1 to \
                 3600{malformed}"
            ),
        ),
        // A server that never answers: each try gives up after `timeout`.
        (
            format!("smtp://user:{SECRET}@127.0.0.1:{silent}?timeout=1"),
            format!(
                "cannot open an SMTP session with smtp://127.0.0.1:{silent}: no answer within 1 s, 4 \
                 times{check}"
            ),
        ),
        (
            format!("smtp://user:{SECRET}@127.0.0.1:{closed}"),
            format!("cannot open an SMTP session with smtp://127.0.0.1:{closed}: {refused}"),
        ),
        (
            format!("smtps://user:{SECRET}@127.0.0.1:{closed}"),
            format!("cannot open an SMTP session with smtps://127.0.0.1:{closed}: {refused}"),
        ),
        // TLS from the first byte, to a server that speaks plain SMTP.
        (
            format!("smtps://user:{SECRET}@127.0.0.1:{}", plain.port),
            format!(
                "cannot open an SMTP session with smtps://127.0.0.1:{}: network error: received \
                 corrupt message of type InvalidContentType{check}",
                plain.port
            ),
        ),
        (
            format!("smtp://user:{SECRET}@127.0.0.1:{}?tls=required", plain.port),
            format!(
                "cannot open an SMTP session with smtp://127.0.0.1:{}: internal client error: \
                 STARTTLS is not supported on this server{check}",
                plain.port
            ),
        ),
        // Local, so AUTH may go in clear, but the server offers none.
        (
            format!("smtp://user:{SECRET}@127.0.0.1:{}", plain.port),
            format!(
                "cannot open an SMTP session with smtp://127.0.0.1:{}: internal client error: \
                 No compatible authentication mechanism was found{check}",
                plain.port
            ),
        ),
        // Another host (127.0.0.2 is not this machine to oyez), no STARTTLS.
        (
            format!("smtp://user:{SECRET}@127.0.0.2:{}", other.port),
            format!(
                "refusing to send the SMTP password unencrypted to smtp://127.0.0.2:{}: the server \
                 offers no STARTTLS; use smtps:// or a server that offers STARTTLS",
                other.port
            ),
        ),
    ];
    for (url, error) in &cases {
        let case = Case::example();
        let run = run_bounded(
            &case,
            &[
                "digest",
                "--since",
                "2020-01-01",
                "--now",
                NOW,
                "--out",
                "eml",
                "--send",
            ],
            &[("OYEZ_SMTP_URL", url)],
        );
        expect(&run, 1, &format!("error: {error}\n"));
        assert_no_secret(&case, &run, url);
    }
    assert!(plain.received().is_empty() && other.received().is_empty());
}

/// What a bait server saw on one connection: the plain-text command lines,
/// then the first bytes after STARTTLS (or, for `smtps`, before anything).
#[derive(Debug, Clone, Default)]
struct Seen {
    lines: Vec<String>,
    after: Vec<u8>,
}

/// A fake server on `ip` that offers STARTTLS (and AUTH) and, once the
/// client starts TLS, records the first bytes and hangs up (it has no
/// certificate). With `wrapper`, it records the client's first bytes.
fn bait(ip: &str, wrapper: bool) -> (u16, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            // Sent before the connection closes: the client cannot have
            // ended (and the test looked) before this is recorded.
            let seen = converse(&stream, wrapper).unwrap_or_default();
            if tx.send(seen).is_err() {
                return;
            }
            drop(stream);
        }
    });
    (port, rx)
}

fn converse(stream: &TcpStream, wrapper: bool) -> std::io::Result<Seen> {
    let mut stream = stream;
    let mut seen = Seen::default();
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    if wrapper {
        let mut first = [0u8; 3];
        stream.read_exact(&mut first)?;
        seen.after = first.to_vec();
        return Ok(seen);
    }
    stream.write_all(b"220 bait ESMTP\r\n")?;
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(seen);
        }
        let command = line.trim_end().to_owned();
        seen.lines.push(command.clone());
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            stream.write_all(b"250-bait\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n")?;
        } else if upper == "STARTTLS" {
            stream.write_all(b"220 2.0.0 ready to start TLS\r\n")?;
            let mut first = [0u8; 3];
            reader.read_exact(&mut first)?;
            seen.after = first.to_vec();
            return Ok(seen);
        } else {
            stream.write_all(b"250 ok\r\n")?;
        }
    }
}

/// TLS is required when the URL says `smtps`, when it says
/// `tls=required`, and when another host offers STARTTLS: the client starts
/// a TLS handshake (a handshake record, 0x16 0x03) and, when it fails,
/// stops; nothing (no MAIL, no AUTH, no password) goes in clear text.
#[test]
fn tls_is_required_for_smtps_and_used_whenever_starttls_is_offered() {
    let cases = [
        (
            "127.0.0.2",
            false,
            format!("smtp://user:{SECRET}@127.0.0.2:PORT"),
        ),
        ("127.0.0.2", false, "smtp://127.0.0.2:PORT".to_owned()),
        (
            "127.0.0.1",
            false,
            "smtp://127.0.0.1:PORT?tls=required".to_owned(),
        ),
        (
            "127.0.0.1",
            false,
            format!("smtp://user:{SECRET}@127.0.0.1:PORT"),
        ),
        (
            "127.0.0.2",
            true,
            format!("smtps://user:{SECRET}@127.0.0.2:PORT"),
        ),
    ];
    for (ip, wrapper, url) in cases {
        let (port, seen) = bait(ip, wrapper);
        let url = url.replace("PORT", &port.to_string());
        let case = Case::example();
        let run = run_bounded(
            &case,
            &["digest", "--since", "2020-01-01", "--now", NOW, "--send"],
            &[("OYEZ_SMTP_URL", &url)],
        );
        assert_eq!(run.code, 1, "{url}: {}", run.stderr);
        let scheme = if wrapper { "smtps" } else { "smtp" };
        assert!(
            run.stderr.starts_with(&format!(
                "error: cannot open an SMTP session with {scheme}://{ip}:{port}: "
            )),
            "{url}: {}",
            run.stderr
        );
        assert_no_secret(&case, &run, &url);
        let sessions: Vec<Seen> = seen.try_iter().collect();
        assert!(!sessions.is_empty(), "{url}: no connection");
        for session in sessions {
            let commands: Vec<&str> = session
                .lines
                .iter()
                .map(|l| l.split(' ').next().unwrap_or(""))
                .collect();
            let expected: &[&str] = if wrapper { &[] } else { &["EHLO", "STARTTLS"] };
            assert_eq!(commands, expected, "{url}: {:?}", session.lines);
            assert_eq!(
                session.after.get(..2),
                Some(&[0x16, 0x03][..]),
                "{url}: a TLS handshake"
            );
        }
    }
}
