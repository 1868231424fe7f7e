//! `public/feeds.opml` (issue 23 §2): every feed of the catalogue in one
//! OPML file, read back with quick-xml (an independent parser; oyez's own
//! XML writer is not used to read), each outline pointing at a feed that
//! feed-rs parses, and the page linking it.

use crate::case::{CONFIG, Case};
use crate::support::parse_feed;

const ENTRIES: &str = r#"category = "talks"

[[entry]]
title = "One & <two>"
url = "https://example.org/1"
added = 2024-01-01
tags = ["Rust"]

[[update]]
date = 2024-01-02
note = "First"
"#;

/// The `(text, xmlUrl)` of every outline of `opml`.
fn outlines(opml: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(opml);
    let mut found = Vec::new();
    let mut in_body = false;
    loop {
        match reader.read_event().expect("the OPML is well-formed XML") {
            quick_xml::events::Event::Start(tag) if tag.name().as_ref() == "body" => in_body = true,
            quick_xml::events::Event::Empty(tag) if tag.name().as_ref() == "outline" => {
                assert!(in_body, "an outline outside <body>");
                let value = |key: &str| {
                    let attribute = tag.try_get_attribute(key).unwrap().expect("attribute");
                    let version = quick_xml::XmlVersion::Implicit1_0;
                    attribute.normalized_value(version).unwrap().into_owned()
                };
                assert_eq!(value("type"), "rss");
                assert_eq!(value("text"), value("title"));
                found.push((value("text"), value("xmlUrl")));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    found
}

#[test]
fn the_opml_lists_every_feed_once_and_each_parses() {
    let config = format!("{CONFIG}\n[feeds]\ntags = true\n");
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/talks.toml", ENTRIES);
    case.run(&["publish"]).ok();
    let opml = case.read("public/feeds.opml");
    assert!(opml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    let base = "https://example.org/list/";
    let expected = [
        ("Test list", "atom.xml"),
        ("Test list: updates", "updates/atom.xml"),
        ("Test list: Talks", "categories/talks/atom.xml"),
        ("Test list: Books", "categories/books/atom.xml"),
        ("Test list: tagged Rust", "tags/rust/atom.xml"),
    ]
    .map(|(title, path)| (title.to_owned(), format!("{base}{path}")));
    let found = outlines(&opml);
    assert_eq!(found, expected);
    for (_, url) in &found {
        let path = case
            .path()
            .join("public")
            .join(url.strip_prefix(base).unwrap());
        parse_feed(&path);
    }
    let page = case.read("public/index.html");
    let link = format!(
        "<p>Every feed in one file, for a feed reader: <a href=\"{base}feeds.opml\">OPML</a></p>\n"
    );
    assert!(page.contains(&link), "{page}");
}

// Issue 23 §2 ★: `feed = "URL"` on an entry lists the resource's own feed
// in `entries.opml`, one folder per category, linked from the page; with no
// such entry there is neither the file nor the link.
#[test]
fn the_entries_own_feeds_are_one_opml_file() {
    let entries = r#"category = "talks"

[[entry]]
title = "A podcast & more"
url = "https://pod.example/"
feed = "https://pod.example/feed.xml?a=1&b=2"
added = 2024-01-01

[[entry]]
title = "No feed"
url = "https://example.org/none"
added = 2024-01-02

[[entry]]
title = "A blog"
url = "https://blog.example/"
feed = "https://blog.example/atom.xml"
category = "books"
added = 2024-01-03
"#;
    let case = Case::empty()
        .file("oyez.toml", CONFIG)
        .file("entries/talks.toml", entries);
    case.run(&["publish"]).ok();
    let opml = case.read("public/entries.opml");
    assert_eq!(
        outlines(&opml),
        [
            (
                "A podcast & more".to_owned(),
                "https://pod.example/feed.xml?a=1&b=2".to_owned()
            ),
            (
                "A blog".to_owned(),
                "https://blog.example/atom.xml".to_owned()
            ),
        ]
    );
    assert!(
        opml.contains("<outline text=\"Talks\" title=\"Talks\">"),
        "{opml}"
    );
    let page = case.read("public/index.html");
    let link = "<p>The feeds of the resources listed, in one file: \
                <a href=\"https://example.org/list/entries.opml\">OPML</a></p>\n";
    assert!(page.contains(link), "{page}");

    let bad = entries.replace("https://blog.example/atom.xml", "ftp://blog.example/");
    std::fs::write(case.path().join("entries/talks.toml"), bad).unwrap();
    let run = case.run(&["check"]);
    assert!(
        run.stderr.contains("`feed` has scheme `ftp:`"),
        "{}",
        run.stderr
    );

    let none = entries.replace("feed = ", "# feed = ");
    std::fs::write(case.path().join("entries/talks.toml"), none).unwrap();
    case.run(&["publish"]).ok();
    assert!(!case.read("public/index.html").contains("entries.opml"));
    let fresh = Case::example();
    fresh.run(&["publish"]).ok();
    assert!(!fresh.path().join("public/entries.opml").exists());
}
