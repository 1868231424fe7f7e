//! `oyez subscribers remove --token T` (issue 21 §2): the token of a
//! subscriber's https unsubscribe link, taken from a digest really sent,
//! removes and suppresses that subscriber; a second click changes
//! nothing; a forged token, a token of another address, a missing secret
//! or text that is no token change nothing.

use crate::case::{Case, Run};
use crate::digest::header;
use crate::smtp::{Faults, SmtpServer};

const FILE: &str = "# readers\nreader001@example.net\nReader Two <reader002@example.net>\n\
    reader003@example.net\n";
const SECRET: (&str, &str) = ("OYEZ_UNSUBSCRIBE_SECRET", "s3cret");

fn case() -> Case {
    let leave = (
        "https://example.org/platform-as-a-product/unsubscribe?address={{ address }}",
        "https://example.org/leave?t={{ token }}",
    );
    Case::example_with_subscribers(FILE, &[leave])
}

/// The token in reader002's `List-Unsubscribe` of a digest sent to all three.
fn link_token(case: &Case) -> String {
    let server = SmtpServer::start(Faults::default());
    let url = server.url();
    let env = [("OYEZ_SMTP_URL", url.as_str()), SECRET];
    let args: Vec<&str> = "digest --since 2020-01-01 --now 2026-11-27T00:00:00Z --send"
        .split(' ')
        .collect();
    case.run_with(&args, &env).ok();
    let received = server.received();
    let mail = received
        .iter()
        .find(|m| m.to == ["reader002@example.net"])
        .unwrap();
    let text = mail.text();
    let headers = text.split_once("\r\n\r\n").unwrap().0.replace("\r\n ", " ");
    let value = header(&headers, "List-Unsubscribe")[0];
    let token = value
        .split("?t=")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert_eq!(token.len(), 64, "{value}");
    token.to_owned()
}

fn remove(case: &Case, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["subscribers", "remove"];
    all.extend_from_slice(args);
    case.run_with(&all, env)
}

#[test]
fn the_token_of_a_link_mailed_removes_and_suppresses_its_subscriber_once() {
    let case = case();
    let token = link_token(&case);
    let run = remove(
        &case,
        &["--token", &token, "--date", "2026-11-28"],
        &[SECRET],
    )
    .ok();
    assert_eq!(
        run.stdout,
        "removed reader002@example.net from subscribers.txt (line 3) and suppressed it \
         (unsubscribed): commit both\n"
    );
    assert_eq!(
        case.read("subscribers.txt"),
        "# readers\nreader001@example.net\nreader003@example.net\n"
    );
    let suppressed = case.read(".oyez/suppressed");
    assert!(
        suppressed.contains(
            r#"{"address":"reader002@example.net","reason":"unsubscribed","date":"2026-11-28","evidence":"oyez subscribers remove --token (the address's own unsubscribe link)"}"#
        ),
        "{suppressed}"
    );
    let again = remove(&case, &["--token", &token], &[SECRET]).ok();
    assert_eq!(
        again.stdout,
        "reader002@example.net already left (unsubscribed since 2026-11-28): nothing to change\n"
    );
    assert_eq!(case.read(".oyez/suppressed"), suppressed);
}

/// Arguments, environment, and what the error must say.
type Attempt<'a> = (Vec<&'a str>, &'a [(&'a str, &'a str)], &'a str);

#[test]
fn a_token_that_is_not_the_subscribers_changes_nothing() {
    let case = case();
    let token = link_token(&case);
    let forged = oyez::digest::unsubscribe::token(b"guess", "reader002@example.net");
    let attempts: [Attempt<'_>; 5] = [
        (
            vec!["--token", &forged],
            &[SECRET],
            "no address in subscribers.txt or .oyez/suppressed has this token",
        ),
        (
            vec!["reader001@example.net", "--token", &token],
            &[SECRET],
            "the token is not reader001@example.net's",
        ),
        (
            vec!["--token", &token],
            &[],
            "--token needs OYEZ_UNSUBSCRIBE_SECRET",
        ),
        (
            vec!["--token", &token],
            &[("OYEZ_UNSUBSCRIBE_SECRET", "")],
            "--token needs OYEZ_UNSUBSCRIBE_SECRET",
        ),
        (
            vec!["--token", "reader002@example.net"],
            &[SECRET],
            "--token is not a token",
        ),
    ];
    for (args, env, why) in attempts {
        let run = remove(&case, &args, env);
        assert_ne!(run.code, 0, "{args:?}");
        assert!(run.stderr.contains(why), "{args:?}: {}", run.stderr);
        assert_eq!(case.read("subscribers.txt"), FILE);
        assert!(!case.path().join(".oyez/suppressed").exists());
    }
    let run = remove(
        &case,
        &["reader002@example.net", "--token", &token[..32]],
        &[SECRET],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!case.read("subscribers.txt").contains("reader002"));
    // suppress --token keeps the line and stops the mail.
    let third = oyez::digest::unsubscribe::token(b"s3cret", "reader003@example.net");
    let args = ["subscribers", "suppress", "--token", &third];
    let run = case.run_with(&args, &[SECRET]).ok();
    assert_eq!(
        run.stdout,
        "suppressed reader003@example.net: no digest mails it; commit .oyez/suppressed\n"
    );
    assert!(
        case.read("subscribers.txt")
            .contains("reader003@example.net")
    );
}
