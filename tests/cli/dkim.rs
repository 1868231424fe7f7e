//! DKIM signing (issue 21 §3): with `[digest] dkim` and a key in
//! `OYEZ_DKIM_KEY`, every copy sent carries a signature that an
//! independent verifier (mail-auth, with the DNS record fed from the test,
//! no network) accepts, for RSA keys in PKCS #1 and PKCS #8 and for
//! Ed25519; a subscriber's copy signs its one-click headers, a mailing
//! list's copy leaves the list free to add its own; a missing or malformed
//! key stops the run before anything is sent.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fs;
use std::hash::Hash;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::{
    AuthenticatedMessage, DkimResult, MessageAuthenticator, Parameters, ResolverCache, Txt,
};

use crate::case::{Case, repo_root};
use crate::digest::header;
use crate::smtp::{Faults, Mail, SmtpServer};

const NOW: &str = "2026-11-27T00:00:00Z";
const LIST: &str = "platform-digest@lists.example.org";

/// DNS as the verifier sees it: TXT records the test publishes.
struct Dns(Mutex<HashMap<String, Txt>>);

impl ResolverCache<String, Txt> for Dns {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        String: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0.lock().unwrap().get(name).cloned()
    }

    fn remove<Q>(&self, name: &Q) -> Option<Txt>
    where
        String: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0.lock().unwrap().remove(name)
    }

    fn insert(&self, key: String, value: Txt, _: Instant) {
        self.0.lock().unwrap().insert(key, value);
    }
}

fn fixture(name: &str) -> String {
    fs::read_to_string(repo_root().join("tests/fixtures/dkim").join(name)).unwrap()
}

/// The verifier's results for `message`, with `record` (the TXT of
/// `oyez._domainkey.example.org`) as the only DNS it may read.
fn verify(message: &[u8], record: &str) -> Vec<DkimResult> {
    let key = DomainKey::parse(record.trim().as_bytes()).unwrap();
    let dns = Dns(Mutex::new(HashMap::from([(
        "oyez._domainkey.example.org.".to_owned(),
        Txt::from(key),
    )])));
    let authenticator = MessageAuthenticator::new_cloudflare().unwrap();
    let parsed = AuthenticatedMessage::parse(message).unwrap();
    let params = Parameters::new(&parsed).with_txt_cache(&dns);
    let mut future = pin!(authenticator.verify_dkim(params));
    // Every record is in the cache, so the verifier never waits on the network.
    let Poll::Ready(outputs) = future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    else {
        panic!("the verifier tried to query DNS");
    };
    outputs.iter().map(|o| o.result().clone()).collect()
}

/// The example, mailed to its list and to two subscribers, signed as `dkim`.
fn signed_case(dkim: &str) -> Case {
    let config = fs::read_to_string(repo_root().join("oyez.toml")).unwrap();
    let config = config.replace(
        "list_id     = \"platform.example.org\"",
        &format!(
            "list_id     = \"platform.example.org\"\nsubscribers = \"subscribers.txt\"\ndkim = {dkim}"
        ),
    );
    Case::example()
        .file("oyez.toml", config)
        .file("subscribers.txt", "ann@example.net\nbob@example.net\n")
}

fn send(case: &Case, server: &SmtpServer, key: Option<&str>) -> crate::case::Run {
    let url = server.url();
    let mut env = vec![("OYEZ_SMTP_URL", url.as_str())];
    env.extend(key.map(|key| ("OYEZ_DKIM_KEY", key)));
    let args = ["digest", "--since", "2020-01-01", "--now", NOW, "--send"];
    case.run_with(&args, &env)
}

fn headers(mail: &Mail) -> String {
    let text = mail.text();
    text.split_once("\r\n\r\n").unwrap().0.to_owned()
}

/// The `DKIM-Signature` of `mail`, unfolded.
fn signature(mail: &Mail) -> String {
    let headers = headers(mail).replace("\r\n ", " ").replace("\r\n\t", " ");
    let found = header(&headers, "DKIM-Signature");
    assert_eq!(found.len(), 1, "one signature: {headers}");
    found[0].split_whitespace().collect::<Vec<_>>().join(" ")
}

fn signed_headers(signature: &str) -> Vec<String> {
    let list = signature
        .split("h=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    list.split(':').map(|h| h.trim().to_owned()).collect()
}

#[test]
fn every_copy_carries_a_signature_an_independent_verifier_accepts() {
    let rsa = fixture("rsa.txt");
    let keys = [
        ("rsa-pkcs1.pem", &rsa, "rsa-sha256"),
        ("rsa.pem", &rsa, "rsa-sha256"),
        ("ed25519.pem", &fixture("ed25519.txt"), "ed25519-sha256"),
    ];
    for (key, record, algorithm) in keys {
        let server = SmtpServer::start(Faults::default());
        let case = signed_case("{ selector = \"oyez\" }");
        let run = send(&case, &server, Some(&fixture(key))).ok();
        let said = format!(
            "DKIM: each copy sent is signed ({algorithm}), public key at oyez._domainkey.example.org\n"
        );
        assert!(run.stdout.contains(&said), "{}", run.stdout);
        let received = server.received();
        assert_eq!(received.len(), 3, "{key}: the list and two subscribers");
        for mail in &received {
            let signature = signature(mail);
            assert!(
                signature.contains(&format!("a={algorithm};")),
                "{signature}"
            );
            // The domain is the From address's: the signature aligns (DMARC).
            assert!(signature.contains("d=example.org;"), "{signature}");
            assert!(signature.contains("s=oyez;"), "{signature}");
            assert!(signature.contains("c=relaxed/relaxed;"), "{signature}");
            assert_eq!(verify(&mail.data, record), [DkimResult::Pass], "{key}");
            let list_headers: Vec<String> = signed_headers(&signature)
                .into_iter()
                .filter(|h| h.starts_with("list-"))
                .collect();
            if mail.to == [LIST] {
                assert_eq!(list_headers, Vec::<String>::new(), "{signature}");
            } else {
                let one_click = ["list-id", "list-unsubscribe", "list-unsubscribe-post"];
                assert_eq!(list_headers, one_click, "{signature}");
                assert!(headers(mail).contains("List-Unsubscribe-Post: "));
            }
        }
    }
}

#[test]
fn a_changed_copy_fails_and_a_list_may_add_its_own_headers() {
    let server = SmtpServer::start(Faults::default());
    let case = signed_case("{ selector = \"oyez\", domain = \"example.org\" }");
    send(&case, &server, Some(&fixture("ed25519.pem"))).ok();
    let record = fixture("ed25519.txt");
    let received = server.received();
    let list = received.iter().find(|m| m.to == [LIST]).unwrap();
    let subscriber = received.iter().find(|m| m.to != [LIST]).unwrap();
    let text = list.text();
    let retitled = text.replacen("Subject: Platform", "Subject: Pwned", 1);
    assert_ne!(retitled, text);
    assert_ne!(verify(retitled.as_bytes(), &record), [DkimResult::Pass]);
    let reworded = text.replacen("Welcome to", "Welcome 2", 1);
    assert_ne!(reworded, text);
    assert_ne!(verify(reworded.as_bytes(), &record), [DkimResult::Pass]);
    let listed = format!(
        "List-Unsubscribe: <mailto:leave@lists.example.org>\r\nList-Post: <mailto:{LIST}>\r\n{text}"
    );
    assert_eq!(verify(listed.as_bytes(), &record), [DkimResult::Pass]);
    // A subscriber's copy signs its one-click headers: none can be changed.
    let own = subscriber.text();
    let redirected = own.replacen("<https://example.org/", "<https://example.net/", 1);
    assert_ne!(redirected, own);
    assert_eq!(verify(own.as_bytes(), &record), [DkimResult::Pass]);
    assert_ne!(verify(redirected.as_bytes(), &record), [DkimResult::Pass]);
}

#[test]
fn a_missing_or_malformed_key_stops_the_run_before_anything_is_sent() {
    let server = SmtpServer::start(Faults::default());
    let case = signed_case("{ selector = \"oyez\" }");
    let missing = send(&case, &server, None);
    assert_ne!(missing.code, 0);
    assert!(
        missing.stderr.contains("OYEZ_DKIM_KEY is not set")
            && missing.stderr.contains("oyez._domainkey.example.org"),
        "{}",
        missing.stderr
    );
    let malformed = send(
        &case,
        &server,
        Some("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n"),
    );
    assert_ne!(malformed.code, 0);
    assert!(
        malformed
            .stderr
            .contains("OYEZ_DKIM_KEY is not a private key oyez can sign with"),
        "{}",
        malformed.stderr
    );
    assert!(
        !malformed.stderr.contains("c2VjcmV0"),
        "{}",
        malformed.stderr
    );
    assert!(server.received().is_empty());
    assert!(!case.path().join(".oyez/digests.ledger").exists());
    // A preview needs no key: nothing is signed.
    let args = ["digest", "--since", "2020-01-01", "--now", NOW];
    case.run_with(&args, &[]).ok();
}

#[test]
fn a_selector_that_is_not_a_dns_name_is_reported_where_it_is_written() {
    let case = signed_case("{ selector = \"my key\" }");
    let run = case.run(&["check"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("oyez.toml:")
            && run
                .stderr
                .contains("`dkim` selector \"my key\" is not a DNS name"),
        "{}",
        run.stderr
    );
}
