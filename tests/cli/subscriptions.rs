//! Digests that subscribers shape (issue 14): per-category subscriptions
//! in the subscribers file, the `[digest] every` cadence across a DST
//! change, and `[digest] per_connection`, against the real SMTP server in
//! `smtp.rs`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;

use oyez::digest::ledger::Status;

use crate::case::{Case, Run};
use crate::digest::KEEP_LINES;
use crate::digest_kill::{copies, events, parsed};
use crate::smtp::{Faults, SmtpServer};
use crate::support::expect;

const NOW: &str = "2026-11-27T00:00:00Z";

/// The example catalogue with one more category that holds nothing, mailing
/// the `subscribers` file given.
pub(crate) fn example_with(subscribers: &str) -> Case {
    let config = fs::read_to_string(crate::case::repo_root().join("oyez.toml")).unwrap();
    let config = config.replace(
        "to          = \"platform-digest@lists.example.org\"",
        "subscribers = \"subscribers.txt\"",
    );
    let config = config.replacen(
        "[digest]",
        "[[category]]\nslug = \"podcasts\"\ntitle = \"Podcasts\"\n\n[digest]",
        1,
    );
    Case::example()
        .file("oyez.toml", config)
        .file("subscribers.txt", subscribers)
}

fn send(case: &Case, server: &SmtpServer, extra: &[&str]) -> Run {
    let mut args = vec!["digest", "--since", "2020-01-01", "--now", NOW, "--send"];
    args.extend_from_slice(extra);
    case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
}

/// Each recipient's subject lines, in arrival order.
pub(crate) fn subjects(server: &SmtpServer) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for mail in server.received() {
        let text = mail.text();
        let subject = text
            .lines()
            .find_map(|line| line.strip_prefix("Subject: "))
            .unwrap_or_default()
            .to_owned();
        for to in mail.to {
            found.entry(to).or_default().push(subject.clone());
        }
    }
    found
}

pub(crate) fn subject(count: usize) -> String {
    format!("Platform as a Product: {count} new resources")
}

#[test]
fn each_subscriber_gets_only_their_categories_and_one_with_nothing_new_is_skipped() {
    let case = example_with(
        "all@example.net\n\
         talks@example.net  categories=presentations\n\
         two@example.net categories=presentations,other\n\
         quiet@example.net categories=podcasts\n",
    );
    let server = SmtpServer::start(Faults::default());
    let args = ["digest", "--since", "2020-01-01", "--now", NOW, "--send"];
    let run = case
        .run_with(&args, &[("OYEZ_SMTP_URL", &server.url()), KEEP_LINES])
        .ok();
    assert!(
        run.stdout
            .contains("3 follow some categories only (3 selections); 1 get nothing this time\n")
            && run
                .stdout
                .contains("1 subscriber skipped: nothing new in the categories they follow\n")
            && run
                .stdout
                .contains("3 accepted, 0 failed, 0 deferred, 0 unconfirmed"),
        "{}",
        run.stdout
    );
    // 9 presentations, 19 articles, 4 others: subjects count what each receives.
    let want: BTreeMap<String, Vec<String>> = [
        ("all@example.net", 32),
        ("talks@example.net", 9),
        ("two@example.net", 13),
    ]
    .into_iter()
    .map(|(to, n)| (to.to_owned(), vec![subject(n)]))
    .collect();
    assert_eq!(subjects(&server), want);
    let talks = server
        .received()
        .into_iter()
        .find(|m| m.to == ["talks@example.net"])
        .unwrap()
        .text();
    let all = server
        .received()
        .into_iter()
        .find(|m| m.to == ["all@example.net"])
        .unwrap()
        .text();
    // An article's title reaches everyone's copy but not the talks-only one.
    let article = "Mobile Platform Teams";
    assert!(all.contains(article) && !talks.contains(article));
    // Each copy, whatever its selection, carries its reader's own
    // unsubscribe link (the example's URL holds `{{ address }}`).
    for mail in server.received() {
        let own = format!("unsubscribe?address={}", mail.to[0].replace('@', "%40"));
        let text = mail.text().replace("=\r\n", "");
        assert!(text.contains(&own), "{own} missing for {:?}", mail.to);
    }
    let tail: Vec<(String, String)> = events(&case).into_iter().skip(1).collect();
    let pair = |e: &str, to: &str| (e.to_owned(), to.to_owned());
    assert_eq!(
        tail,
        [
            pair("attempting", "all@example.net"),
            pair("accepted", "all@example.net"),
            pair("attempting", "talks@example.net"),
            pair("accepted", "talks@example.net"),
            pair("attempting", "two@example.net"),
            pair("accepted", "two@example.net"),
            pair("skipped", "quiet@example.net"),
        ]
    );
    let again = send(&case, &server, &[]).ok();
    assert_eq!(
        again.stdout,
        "nothing new since 2026-11-27T00:00:00Z (the end of the last digest); nothing sent\n"
    );
    assert_eq!(server.received().len(), 3);
    // That run compacted the finished digest to one line (issue 19 §3);
    // who was skipped and who was mailed still reads the same.
    assert_eq!(events(&case).len(), 1);
    let digest = parsed(&case).last().unwrap().clone();
    assert_eq!(digest.status("quiet@example.net"), Status::Skipped);
    assert_eq!(digest.status("two@example.net"), Status::Accepted);
    assert_eq!(digest.count(Status::Accepted), 3);
}

#[test]
fn the_preview_writes_no_message_for_a_subscriber_with_nothing_new() {
    let case = example_with("a@example.net categories=other\nb@example.net categories=podcasts\n");
    let run = case
        .run(&[
            "digest",
            "--since",
            "2020-01-01",
            "--now",
            NOW,
            "--out",
            "mail",
        ])
        .ok();
    assert!(
        run.stdout.contains("wrote 1 message to mail"),
        "{}",
        run.stdout
    );
    let files: Vec<String> = case.tree("mail").into_iter().map(|(p, _)| p).collect();
    assert_eq!(files, ["2026-11-27-0001.eml"]);
    let eml = String::from_utf8(case.tree("mail").remove(0).1).unwrap();
    assert!(
        eml.contains(&format!("Subject: {}\r\n", subject(4))),
        "{eml}"
    );
}

#[test]
fn every_bad_subscribers_line_is_reported_before_anything_is_sent() {
    let case = example_with(
        "ok@example.net categories=presentations\n\
         x@example.net  categories=talks,other,books\n\
         y@example.net categories=\n\
         z@example.net colour=blue\n\
         w@example.net categories=other categories=articles\n\
         not an address categories=other\n\
         # a comment categories=nothing\n\
         v@example.net categories=,\n",
    );
    let server = SmtpServer::start(Faults::default());
    let run = send(&case, &server, &[]);
    expect(
        &run,
        1,
        "
        error: subscribers.txt:2: unknown category `talks`; known: presentations, articles, other, podcasts
        subscribers.txt:2: unknown category `books`; known: presentations, articles, other, podcasts
        subscribers.txt:3: `categories=` names no category; write categories=talks,books, or drop it to get all
        subscribers.txt:4: unknown option `colour`; the options are categories=slug,slug and consent=YYYY-MM-DD
        subscribers.txt:5: `categories=` is given twice; list every slug in one
        subscribers.txt:6: \"not an address\" is not a mail address (Invalid input); fix or remove the line
        subscribers.txt:8: `categories=` names no category; write categories=talks,books, or drop it to get all
        nothing was sent; fix the recipients first
        ",
    );
    assert!(server.received().is_empty());
    assert!(!case.path().join(".oyez/digests.ledger").exists());
}

#[test]
fn per_connection_caps_the_messages_of_each_smtp_session() {
    let list: String = (1..=5).map(|n| format!("r{n}@example.net\n")).collect();
    let capped = example_with(&list);
    let config = fs::read_to_string(capped.path().join("oyez.toml")).unwrap();
    fs::write(
        capped.path().join("oyez.toml"),
        config.replace("[digest]\n", "[digest]\nper_connection = 2\n"),
    )
    .unwrap();
    let server = SmtpServer::start(Faults::default());
    send(&capped, &server, &[]).ok();
    assert_eq!((server.received().len(), server.sessions()), (5, 3));

    let reused = SmtpServer::start(Faults::default());
    send(&example_with(&list), &reused, &[]).ok();
    assert_eq!((reused.received().len(), reused.sessions()), (5, 1));
    assert!(copies(&server).values().all(|&n| n == 1));
}

#[test]
fn a_bad_cadence_or_per_connection_is_reported_where_it_is_written() {
    let case = example_with("a@example.net\n");
    let config = fs::read_to_string(case.path().join("oyez.toml")).unwrap();
    let config = config.replace(
        "[digest]\n",
        "[digest]\nevery = \"fortnight\"\nper_connection = 0\n",
    );
    fs::write(case.path().join("oyez.toml"), &config).unwrap();
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = config.lines().position(|l| l.starts_with("every")).unwrap() + 1;
    for wanted in [
        format!("oyez.toml:{line}:9: `every` is \"fortnight\", not a cadence oyez knows"),
        format!(
            "oyez.toml:{}:18: `per_connection` must be a positive number",
            line + 1
        ),
    ] {
        assert!(run.stderr.contains(&wanted), "{wanted}\n{}", run.stderr);
    }
}

/// The catalogue page's "Follow:" lines, header first, then each category's.
fn follow_lines(case: &Case) -> Vec<String> {
    case.read("public/index.html")
        .lines()
        .filter(|line| line.contains("Follow: "))
        .map(str::to_owned)
        .collect()
}

const TALK: &str = "[[entry]]\ncategory = \"talks\"\ntitle = \"A talk\"\nurl = \"https://example.org/t\"\nadded = 2026-01-05\n";

#[test]
fn the_page_links_each_categorys_digest_by_email_only_with_a_digest() {
    // The expected lines, with the links to `address` unless it is "".
    let follow = |address: &str| {
        let feeds = |slug: &str| {
            format!(
                "<p class=\"meta\">Follow: <a href=\"https://example.org/list/categories/{slug}/atom.xml\">Atom</a> \
                 · <a href=\"https://example.org/list/categories/{slug}/rss.xml\">RSS</a> \
                 · <a href=\"https://example.org/list/categories/{slug}/feed.json\">JSON Feed</a>"
            )
        };
        let mail = |subject: &str, text: &str| match address {
            "" => String::new(),
            address => {
                format!(" · By email: <a href=\"mailto:{address}?subject={subject}\">{text}</a>")
            }
        };
        vec![
            format!(
                "<p>1 resource. Follow: <a href=\"https://example.org/list/atom.xml\">Atom</a> \
                 · <a href=\"https://example.org/list/rss.xml\">RSS</a> \
                 · <a href=\"https://example.org/list/feed.json\">JSON Feed</a>{}</p>",
                mail("subscribe", "subscribe to the digest")
            ),
            format!(
                "{}{}</p>",
                feeds("talks"),
                mail(
                    "subscribe%20categories%3Dtalks",
                    "subscribe to this category's digest"
                )
            ),
            format!(
                "{}{}</p>",
                feeds("books"),
                mail(
                    "subscribe%20categories%3Dbooks",
                    "subscribe to this category's digest"
                )
            ),
        ]
    };
    let digest = "\n[digest]\nfrom = \"Test list <news+digest@example.org>\"\n\
                  subscribers = \"subscribers.txt\"\n";
    let with = Case::empty()
        .file("oyez.toml", format!("{}{digest}", crate::case::CONFIG))
        .file("subscribers.txt", "ada@example.net\n")
        .file("entries/talks.toml", TALK);
    with.run(&["publish"]).ok();
    // `+` is encoded: some mail clients read a bare one as a space.
    assert_eq!(follow_lines(&with), follow("news%2Bdigest@example.org"));

    let without = Case::new().file("entries/talks.toml", TALK);
    without.run(&["publish"]).ok();
    assert_eq!(follow_lines(&without), follow(""));
    assert!(!without.read("public/index.html").contains("mailto:"));
}
