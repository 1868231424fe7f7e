//! Mail details (issue 11, point 6): per-subscriber one-click unsubscribe,
//! what the digest says it carries, singular and plural, whole seconds,
//! and thanks said once.

use std::fs;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::case::Case;
use crate::digest::{header, parse};
use crate::smtp::{Faults, SmtpServer};

const NOW: &str = "2026-11-27T00:00:00Z";

/// The example, mailed to `readers` one by one, with `unsubscribe` (TOML).
fn subscribers_with(readers: &[&str], unsubscribe: &str) -> Case {
    let config = fs::read_to_string(crate::case::repo_root().join("oyez.toml")).unwrap();
    let start = config.find("unsubscribe = [").unwrap();
    let end = start + config[start..].find('\n').unwrap();
    let config = format!(
        "{}unsubscribe = {unsubscribe}{}",
        &config[..start],
        &config[end..]
    )
    .replace(
        "to          = \"platform-digest@lists.example.org\"",
        "subscribers = \"subscribers.txt\"",
    );
    let list: String = readers.iter().map(|r| format!("{r}\n")).collect();
    Case::example()
        .file("oyez.toml", config)
        .file("subscribers.txt", list)
}

fn hex_hmac(secret: &[u8], text: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(text.as_bytes());
    let bytes = mac.finalize().into_bytes();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sends the first digest with `s3cret` as the unsubscribe secret.
fn send_with_secret(case: &Case, server: &SmtpServer) -> crate::case::Run {
    let env = [
        ("OYEZ_SMTP_URL", server.url()),
        ("OYEZ_UNSUBSCRIBE_SECRET", "s3cret".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    case.run_with(
        &["digest", "--since", "2020-01-01", "--now", NOW, "--send"],
        &env,
    )
}

#[test]
fn each_subscriber_gets_their_own_one_click_unsubscribe_link() {
    let server = SmtpServer::start(Faults::default());
    let case = subscribers_with(
        &["Ann+news@example.net", "bob@example.net"],
        r#"["mailto:leave@example.org", "https://example.org/leave?a={{ address }}&t={{token}}"]"#,
    );
    let run = send_with_secret(&case, &server);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "no warning: the https target is personal");
    let received = server.received();
    assert_eq!(received.len(), 2);
    for (mail, (address, encoded)) in received.iter().zip([
        ("ann+news@example.net", "Ann%2Bnews%40example.net"),
        ("bob@example.net", "bob%40example.net"),
    ]) {
        let parsed = parse(mail);
        let token = hex_hmac(b"s3cret", address);
        let url = format!("https://example.org/leave?a={encoded}&t={token}");
        let h = &parsed.headers;
        let unfolded = h.replace("\r\n ", " ");
        assert_eq!(
            header(&unfolded, "List-Unsubscribe"),
            [format!("<mailto:leave@example.org>, <{url}>")]
        );
        assert_eq!(
            header(h, "List-Unsubscribe-Post"),
            ["List-Unsubscribe=One-Click"]
        );
        assert!(parsed.text.contains(&url), "{}", parsed.text);
        let html_query = format!("a={encoded}&amp;t={token}");
        assert!(parsed.html.contains(&html_query), "{}", parsed.html);
    }
}

#[test]
fn a_mailto_leave_address_carries_a_token_its_local_part_can_hold() {
    let server = SmtpServer::start(Faults::default());
    let case = subscribers_with(
        &["Ann+news@example.net"],
        r#"["mailto:leave+{{ token }}@example.org?subject=unsubscribe", "https://example.org/leave?t={{ token }}"]"#,
    );
    let run = send_with_secret(&case, &server);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let received = server.received();
    assert_eq!(received.len(), 1);
    let parsed = parse(&received[0]);
    let token = hex_hmac(b"s3cret", "ann+news@example.net");
    let mailto = format!(
        "mailto:leave+{}@example.org?subject=unsubscribe",
        &token[..32]
    );
    let unfolded = parsed.headers.replace("\r\n ", " ");
    assert_eq!(
        header(&unfolded, "List-Unsubscribe"),
        [format!("<{mailto}>, <https://example.org/leave?t={token}>")]
    );
    assert!(parsed.text.contains(&mailto), "{}", parsed.text);
}

#[test]
fn a_url_shared_by_every_subscriber_gets_no_one_click_and_one_warning() {
    let server = SmtpServer::start(Faults::default());
    let case = subscribers_with(
        &["a@example.net", "b@example.net", "c@example.net"],
        r#""https://example.org/leave""#,
    );
    let run = case.run_with(
        &["digest", "--since", "2020-01-01", "--now", NOW, "--send"],
        &[("OYEZ_SMTP_URL", &server.url())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: an https `[digest] unsubscribe` URL is the same for every subscriber, so it \
         cannot tell who leaves and one-click unsubscribe (List-Unsubscribe-Post) is not \
         offered; put {{ address }} or {{ token }} in it (see docs/digest-mail.md)\n"
    );
    let received = server.received();
    assert_eq!(received.len(), 3);
    for mail in &received {
        let parsed = parse(mail);
        assert_eq!(
            header(&parsed.headers, "List-Unsubscribe"),
            ["<https://example.org/leave>"]
        );
        assert_eq!(
            header(&parsed.headers, "List-Unsubscribe-Post"),
            Vec::<&str>::new()
        );
    }
}

#[test]
fn a_token_without_its_secret_stops_before_anything_is_sent() {
    let case = subscribers_with(
        &["a@example.net"],
        r#""https://example.org/leave?t={{ token }}""#,
    );
    let run = case.run(&["digest", "--since", "2020-01-01", "--now", NOW]);
    crate::support::expect(
        &run,
        1,
        "error: `[digest] unsubscribe` uses {{ token }} but OYEZ_UNSUBSCRIBE_SECRET is not set; \
         set it to the secret your unsubscribe page checks tokens with\n",
    );
}

#[test]
fn a_placeholder_outside_a_url_is_still_checked() {
    let case = subscribers_with(&["a@example.net"], r#""ftp://example.org/{{ address }}""#);
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`unsubscribe` target \"ftp://example.org/{{ address }}\" is not a mailto: or https: URL"),
        "{}",
        run.stderr
    );
}

/// The first digest after `--since 2020-12-01` says which days its items
/// carry, not the whole window; one item says "1 addition".
#[test]
fn the_digest_says_what_it_carries_in_words_that_agree_in_number() {
    let case = Case::example();
    let run = case
        .run(&[
            "digest",
            "--since",
            "2020-12-01",
            "--now",
            NOW,
            "--out",
            "eml",
        ])
        .ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "digest 2026-11-27: 2020-12-01T00:00:00Z to 2026-11-27T00:00:00Z",
            "subject: Platform as a Product: 1 new resource",
            "1 addition, 2 update-log notes, 3 contributors thanked (3 first-time)",
        ]
    );
    let raw = fs::read(case.path().join("eml/2026-11-27.eml")).unwrap();
    let mail = parse(&crate::smtp::Mail {
        from: String::new(),
        to: Vec::new(),
        data: raw,
    });
    let text: Vec<&str> = mail.text.lines().collect();
    assert_eq!(
        text[..2],
        [
            "Platform as a Product",
            "1 new resource and 2 update-log notes, dated 2020-12-11 to 2021-02-07"
        ]
    );
    assert!(
        mail.html.contains(
            "<p>1 new resource and 2 update-log notes, dated 2020-12-11 to 2021-02-07.</p>"
        )
    );
    // Both notes already thank all three by handle: no thank-you line
    // repeats them, and the welcome names each once.
    assert!(!mail.text.contains("Thank you"), "{}", mail.text);
    assert_eq!(mail.text.matches("Welcome to").count(), 1, "{}", mail.text);
    assert_eq!(mail.text.matches("Matthew Skelton").count(), 1);
}

#[test]
fn the_clock_is_shown_and_recorded_in_whole_seconds() {
    let server = SmtpServer::start(Faults::default());
    let case = Case::example();
    let run = case
        .run_with(
            &["digest", "--since", "2020-01-01", "--send"],
            &[("OYEZ_SMTP_URL", &server.url())],
        )
        .ok();
    let first = run.stdout.lines().next().unwrap();
    let end = first.rsplit(' ').next().unwrap();
    assert!(
        end.len() == "2026-11-27T00:00:00Z".len() && end.ends_with('Z'),
        "{first}"
    );
    let ledger = fs::read_to_string(case.path().join(".oyez/digests.ledger")).unwrap();
    let digest: serde_json::Value = serde_json::from_str(ledger.lines().next().unwrap()).unwrap();
    assert_eq!(digest["end"].as_str(), Some(end));
}
