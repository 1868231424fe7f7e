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
    for name in ["digests.ledger"] {
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

const EXPECTED_HEADERS: [&str; 10] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
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
        assert!(!case.path().join("digests.ledger").exists());
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
