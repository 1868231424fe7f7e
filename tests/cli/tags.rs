//! Per-tag feeds (issue 23 §2): `[feeds] tags = true` gives every tag an
//! Atom and an RSS feed under `tags/<folder>/` with exactly the entries
//! that carry it, newest first; a list gives the tags listed. Each feed is
//! parsed back by feed-rs and the `rss` crate; the page links them and
//! announces them for autodiscovery; `.oyez/feeds` hashes them.

use feed_rs::model::Feed;

use crate::case::{CONFIG, Case};
use crate::support::parse_feed;

const ENTRIES: &str = r#"category = "talks"

[[entry]]
id = "one"
title = "One"
url = "https://example.org/1"
added = 2024-01-01
tags = ["Rust", "C++"]

[[entry]]
id = "two"
title = "Two & more"
url = "https://example.org/2"
added = 2024-02-01
tags = ["Rust"]

[[entry]]
id = "three"
title = "Three"
url = "https://example.org/3"
added = 2024-03-01
"#;

fn published(tags: &str) -> Case {
    let config = format!("{CONFIG}\n[feeds]\ntags = {tags}\n");
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/talks.toml", ENTRIES);
    case.run(&["publish"]).ok();
    case
}

fn ids(feed: &Feed) -> Vec<String> {
    feed.entries.iter().map(|entry| entry.id.clone()).collect()
}

const ONE: &str = "https://example.org/list/#one";
const TWO: &str = "https://example.org/list/#two";

#[test]
fn every_tag_gets_a_feed_of_exactly_its_entries() {
    let case = published("true");
    let rust = parse_feed(&case.path().join("public/tags/rust/atom.xml"));
    assert_eq!(ids(&rust), [TWO, ONE]);
    assert_eq!(
        rust.title.map(|title| title.content).as_deref(),
        Some("Test list: tagged Rust")
    );
    let self_link = rust
        .links
        .iter()
        .find(|link| link.rel.as_deref() == Some("self"));
    assert_eq!(
        self_link.map(|link| link.href.as_str()),
        Some("https://example.org/list/tags/rust/atom.xml")
    );
    let cpp = parse_feed(&case.path().join("public/tags/c/atom.xml"));
    assert_eq!(ids(&cpp), [ONE]);
    let rss = case.read("public/tags/rust/rss.xml");
    let channel = rss::Channel::read_from(rss.as_bytes()).expect("rss parses");
    let links: Vec<&str> = channel
        .items()
        .iter()
        .filter_map(|item| item.link())
        .collect();
    assert_eq!(links, ["https://example.org/2", "https://example.org/1"]);
    let hashed = case.read(".oyez/feeds");
    for path in [
        "tags/rust/atom.xml",
        "tags/rust/rss.xml",
        "tags/c/atom.xml",
        "tags/c/rss.xml",
    ] {
        assert!(hashed.contains(&format!(" {path}\n")), "{path} in {hashed}");
    }
}

#[test]
fn a_list_gives_only_the_tags_listed() {
    let case = published(r#"["C++"]"#);
    assert_eq!(
        ids(&parse_feed(&case.path().join("public/tags/c/atom.xml"))),
        [ONE]
    );
    assert!(!case.path().join("public/tags/rust").exists());
}

#[test]
fn the_page_links_and_announces_each_tag_feed() {
    let case = published("true");
    let page = case.read("public/index.html");
    let follow = "<p>Follow a tag: <a href=\"https://example.org/list/tags/c/atom.xml\">C++</a> \
                  · <a href=\"https://example.org/list/tags/rust/atom.xml\">Rust</a></p>\n";
    assert!(page.contains(follow), "{page}");
    for (title, path) in [
        ("tagged C++ (Atom)", "tags/c/atom.xml"),
        ("tagged C++ (RSS)", "tags/c/rss.xml"),
        ("tagged Rust (Atom)", "tags/rust/atom.xml"),
        ("tagged Rust (RSS)", "tags/rust/rss.xml"),
    ] {
        let mime = if path.ends_with("atom.xml") {
            "atom"
        } else {
            "rss"
        };
        let link = format!(
            "<link rel=\"alternate\" type=\"application/{mime}+xml\" title=\"Test list: {title}\" \
             href=\"https://example.org/list/{path}\">"
        );
        assert!(page.contains(&link), "{link}");
    }
}

#[test]
fn without_the_key_there_is_no_tag_feed_and_no_tag_line() {
    let case = Case::new().file("entries/talks.toml", ENTRIES);
    case.run(&["publish"]).ok();
    assert!(!case.path().join("public/tags").exists());
    assert!(!case.read("public/index.html").contains("Follow a tag"));
}
