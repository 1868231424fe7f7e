//! Per-recipient return paths and `oyez inbox` (issue 21 §2): every
//! subscriber's copy goes out with its own envelope sender, and the
//! requests, bounces and complaints a mailbox receives are applied once.

use std::fs;

use crate::case::{Case, Run};
use crate::smtp::{Faults, SmtpServer};

const NOW: &str = "2026-11-27T00:00:00Z";
const SECRET: &str = "s3cret";
const FILE: &str = "# readers\nreader001@example.net\nReader Two <reader002@example.net>  \
    categories=presentations\nreader003@example.net\n";

fn case() -> Case {
    let config = fs::read_to_string(crate::case::repo_root().join("oyez.toml")).unwrap();
    let config = config
        .replace(
            "to          = \"platform-digest@lists.example.org\"",
            "subscribers = \"subscribers.txt\"",
        )
        .replace(
            "\"mailto:platform-digest-leave@lists.example.org\"",
            "\"mailto:leave+{{ token }}@example.org?subject=unsubscribe\"",
        );
    Case::example()
        .file("oyez.toml", config)
        .file("subscribers.txt", FILE)
}

/// The 32-digit token of `address` under [`SECRET`].
fn token(address: &str) -> String {
    oyez::digest::unsubscribe::short_token(SECRET.as_bytes(), address)
}

fn send(case: &Case, server: &SmtpServer) -> Run {
    let args = ["digest", "--now", NOW, "--since", "2020-01-01", "--send"];
    let env = [
        ("OYEZ_SMTP_URL", server.url()),
        ("OYEZ_UNSUBSCRIBE_SECRET", SECRET.to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    case.run_with(&args, &env)
}

#[test]
fn each_copy_goes_out_with_a_return_path_that_names_its_recipient() {
    let case = case();
    let server = SmtpServer::start(Faults::default());
    let run = send(&case, &server);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let mut senders: Vec<(String, String)> = server
        .received()
        .into_iter()
        .map(|mail| (mail.to[0].clone(), mail.from))
        .collect();
    senders.sort();
    let want: Vec<(String, String)> = ["reader001", "reader002", "reader003"]
        .iter()
        .map(|who| {
            let address = format!("{who}@example.net");
            let from = format!("digest+bounce-{}@example.org", token(&address));
            (address, from)
        })
        .collect();
    assert_eq!(senders, want);
    for (_, from) in &senders {
        assert!(from.split('@').next().unwrap().len() <= 64);
    }
}

#[test]
fn without_a_secret_the_return_path_is_the_from_address() {
    let case = Case::example();
    let server = SmtpServer::start(Faults::default());
    let args = ["digest", "--now", NOW, "--since", "2020-01-01", "--send"];
    let run = case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let received = server.received();
    assert_eq!(received.len(), 1, "one copy, to the list");
    assert_eq!(received[0].from, "digest@example.org");
}
