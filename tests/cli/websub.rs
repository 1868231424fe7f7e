//! WebSub (issue 13): hub links in every subscription feed, and `oyez
//! ping` telling a real hub on 127.0.0.1 which feeds each publish changed.

use std::collections::BTreeSet;
use std::fs;

use crate::case::{CONFIG, Case};
use crate::http::{Reply, Seen, Server};
use crate::support::{expect, parse_feed};

const TALKS: &str = r#"category = "talks"

[[entry]]
title = "First talk"
url   = "https://example.org/first"
added = 2024-01-02
"#;

fn hub(seen: &Seen, before: usize) -> Reply {
    match seen.path.as_str() {
        "/hub" => Reply::status(204),
        // Unavailable once, then fine.
        "/flaky" if before == 0 => Reply::status(503),
        "/flaky" => Reply::status(202),
        _ => Reply::status(503),
    }
}

fn with_hubs(hubs: &[String]) -> Case {
    let list: Vec<String> = hubs.iter().map(|hub| format!("{hub:?}")).collect();
    let config = format!("{CONFIG}\n[feeds]\nhub = [{}]\n", list.join(", "));
    Case::new()
        .file("oyez.toml", config)
        .file("entries/talks.toml", TALKS)
        .file(
            "entries/log.toml",
            "[[update]]\ndate = 2026-01-02\nnote = \"Two talks.\"\n",
        )
}

/// The (hub path, feed URL) of each POST in `seen`, checking its form.
fn pings(seen: &[Seen]) -> BTreeSet<(String, String)> {
    seen.iter()
        .map(|seen| {
            assert_eq!(seen.method, "POST");
            assert_eq!(
                seen.content_type.as_deref(),
                Some("application/x-www-form-urlencoded")
            );
            let body = seen.body.replace("%3A", ":").replace("%2F", "/");
            let feed = body
                .strip_prefix("hub.mode=publish&hub.url=")
                .unwrap_or_else(|| panic!("{body}"));
            (seen.path.clone(), feed.to_owned())
        })
        .collect()
}

const BOOKS: &str = r#"category = "books"

[[entry]]
title = "A book"
url   = "https://example.org/book"
added = 2024-01-01
"#;

const FEEDS: [&str; 9] = [
    "atom.xml",
    "categories/books/atom.xml",
    "categories/books/feed.json",
    "categories/books/rss.xml",
    "categories/talks/atom.xml",
    "categories/talks/feed.json",
    "categories/talks/rss.xml",
    "feed.json",
    "rss.xml",
];

#[test]
fn every_subscription_feed_names_its_hubs_and_itself() {
    let hubs = [
        "https://hub.example/".to_owned(),
        "https://other.example/hub".to_owned(),
    ];
    let case = with_hubs(&hubs);
    case.run(&["publish"]).ok();
    for path in [
        "atom.xml",
        "rss.xml",
        "categories/talks/atom.xml",
        "updates/rss.xml",
    ] {
        let feed = parse_feed(&case.path().join("public").join(path));
        let links: Vec<(Option<String>, String)> = feed
            .links
            .into_iter()
            .filter(|link| matches!(link.rel.as_deref(), Some("hub" | "self")))
            .map(|link| (link.rel, link.href))
            .collect();
        let own = format!("https://example.org/list/{path}");
        let expected = [("self", own.as_str()), ("hub", &hubs[0]), ("hub", &hubs[1])];
        let expected: Vec<(Option<String>, String)> = expected
            .iter()
            .map(|(rel, href)| (Some((*rel).to_owned()), (*href).to_owned()))
            .collect();
        assert_eq!(links, expected, "{path}");
    }
    let json: serde_json::Value = serde_json::from_str(&case.read("public/feed.json")).unwrap();
    assert_eq!(
        json["hubs"],
        serde_json::json!([{"type": "WebSub", "url": hubs[0]}, {"type": "WebSub", "url": hubs[1]}])
    );
    let archive = case.read("public/archive/1/atom.xml");
    assert!(
        !archive.contains("rel=\"hub\""),
        "archive pages are not subscribed to"
    );
}

#[test]
fn ping_tells_the_hub_of_each_changed_feed_once() {
    let server = Server::start(hub);
    let case = with_hubs(&[format!("{}/hub", server.base)]).file("entries/books.toml", BOOKS);
    case.run(&["publish"]).ok();
    let run = case.run(&["ping"]).ok();
    let all: BTreeSet<(String, String)> = FEEDS
        .iter()
        .chain(&["updates/atom.xml", "updates/feed.json", "updates/rss.xml"])
        .map(|path| {
            (
                "/hub".to_owned(),
                format!("https://example.org/list/{path}"),
            )
        })
        .collect();
    assert_eq!(pings(&server.seen()), all);
    assert_eq!(server.seen().len(), all.len(), "one POST per feed");
    assert_eq!(
        server.seen()[0].body,
        "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Flist%2Fatom.xml"
    );
    assert!(
        run.stdout.ends_with("12 of 12 pings sent; 0 left\n"),
        "{}",
        run.stdout
    );
    // Nothing changed: a second ping, and a publish of the same catalogue, send nothing.
    let run = case.run(&["ping"]).ok();
    assert_eq!(
        run.stdout,
        "nothing to ping: no feed changed since the last ping\n"
    );
    case.run(&["publish"]).ok();
    case.run(&["ping"]).ok();
    assert_eq!(server.seen().len(), all.len());
    // A new talk changes some feeds (not the books feeds): only those are pinged.
    let talk = "\n[[entry]]\ntitle = \"Second talk\"\nurl = \"https://example.org/second\"\nadded = 2024-01-03\n";
    fs::write(
        case.path().join("entries/talks.toml"),
        format!("{TALKS}{talk}"),
    )
    .unwrap();
    let before = case.tree("public");
    case.run(&["publish"]).ok();
    let changed: BTreeSet<(String, String)> = case
        .tree("public")
        .into_iter()
        .filter(|(path, _)| {
            all.iter()
                .any(|(_, url)| url.ends_with(&format!("/list/{path}")))
        })
        .filter(|file| !before.contains(file))
        .map(|(path, _)| {
            (
                "/hub".to_owned(),
                format!("https://example.org/list/{path}"),
            )
        })
        .collect();
    assert!(changed.contains(&(
        "/hub".to_owned(),
        "https://example.org/list/categories/talks/atom.xml".to_owned()
    )));
    assert!(
        !changed.iter().any(|(_, url)| url.contains("/books/")),
        "{changed:?}"
    );
    case.run(&["ping"]).ok();
    assert_eq!(pings(&server.seen()[all.len()..]), changed);
    assert_eq!(server.seen().len(), all.len() + changed.len());
}

#[test]
fn a_failing_hub_is_retried_reported_and_kept_for_the_next_run() {
    let server = Server::start(hub);
    let flaky = format!("{}/flaky", server.base);
    let down = format!("{}/down", server.base);
    let config = format!("{CONFIG}\n[feeds]\nhub = [{flaky:?}, {down:?}]\n");
    let case = Case::new()
        .file("oyez.toml", config)
        .file("entries/talks.toml", TALKS);
    case.run(&["publish"]).ok();
    // Only the entries feeds are asked about here: keep the others sent.
    let pending = case.read(".oyez/pings");
    let atom = "https://example.org/list/atom.xml";
    let kept: String = pending
        .lines()
        .filter(|line| line.ends_with(&format!(" {atom}")))
        .map(|line| format!("{line}\n"))
        .collect();
    fs::write(case.path().join(".oyez/pings"), &kept).unwrap();
    let run = case.run(&["ping"]);
    expect(
        &run,
        1,
        &format!(
            "failed: {down} for {atom}: HTTP 503 Service Unavailable after 3 tries\n\
             error: 1 ping did not get a 2xx answer; they stay in .oyez/pings for the next `oyez ping`\n"
        ),
    );
    assert_eq!(
        run.stdout,
        format!("pinged {flaky} for {atom}: HTTP 202\n1 of 2 pings sent; 1 left\n")
    );
    assert_eq!(server.count("/flaky"), 2, "retried after the 503");
    assert_eq!(server.count("/down"), 3, "three tries, then kept");
    assert_eq!(case.read(".oyez/pings"), format!("{down} {atom}\n"));
    assert_eq!(case.run(&["ping"]).code, 1);
    assert_eq!(server.count("/down"), 6, "the next run tries again");
    assert_eq!(server.count("/flaky"), 2, "what was sent is not sent again");
}

// Issue 19: CI publishes into a fresh folder on every run; the feeds that
// changed are those whose bytes differ from the last committed publish
// (.oyez/feeds), not from whatever the output folder holds.
#[test]
fn a_fresh_output_folder_pings_nothing_that_did_not_change() {
    let server = Server::start(hub);
    let case = with_hubs(&[format!("{}/hub", server.base)]);
    case.run(&["publish"]).ok();
    case.run(&["ping"]).ok();
    let first = server.seen().len();
    assert!(first > 0);
    fs::remove_dir_all(case.path().join("public")).unwrap();
    case.run(&["publish", "--out", "fresh"]).ok();
    let run = case.run(&["ping"]).ok();
    assert_eq!(
        run.stdout,
        "nothing to ping: no feed changed since the last ping\n"
    );
    assert_eq!(server.seen().len(), first);
}
