//! Security review of the outputs (issue 6.5): a catalogue with hostile
//! text in every field that reaches an output. Nothing may become markup or
//! script anywhere (`support::hazards` on every file); names and titles
//! must survive as the exact text written (escaped, not stripped), and
//! summaries come out as the exact sanitised HTML.

use feed_rs::model::Feed;

use crate::case::Case;
use crate::support::{hazards, parse_feed};

const TITLE: &str = "\"><script>alert('title')</script>";
const ALICE: &str = "<a href=\"javascript:alert(1)\">Alice</a>";
const SUMMARY_HTML: &str = "<p>Hello  world.</p>\n\
    <p><img src=\"https://example.org/list/x\"> </p>\n\n\
    [click](javascript:alert(5)) [data](data:text/html,)\n \
    <a rel=\"noopener noreferrer\">enc</a>\n\
    <a href=\"https://ok.example/\" rel=\"noopener noreferrer\">ok</a>";

fn published() -> Case {
    let case = Case::fixture("hostile");
    let run = case.run(&["publish"]).ok();
    let count = case.tree("public").len();
    assert_eq!(
        run.stdout,
        format!("published 1 entry to ./public: {count} files written, 0 unchanged\n")
    );
    case
}

#[test]
fn no_output_carries_executable_content() {
    let case = published();
    let files = case.tree("public");
    // Feeds, category feeds, updates feeds and the page, at least.
    assert!(files.len() >= 8, "{} files", files.len());
    let found: Vec<String> = files
        .iter()
        .flat_map(|(path, bytes)| hazards(path, bytes))
        .collect();
    assert_eq!(found, Vec::<String>::new());
}

fn check_entry_text(feed: &Feed, file: &str) {
    let entry = &feed.entries[0];
    assert_eq!(
        entry.title.as_ref().map(|t| t.content.as_str()),
        Some(TITLE),
        "{file}"
    );
    let authors: Vec<&str> = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    assert_eq!(authors, ["<b onmouseover=alert(1)>Mallory</b>"], "{file}");
    let terms: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(
        terms,
        ["talks", "\" onfocus=\"alert(1)", "<script>"],
        "{file}"
    );
    let links: Vec<&str> = entry.links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(
        links,
        ["https://example.org/talk?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&x=1"],
        "{file}"
    );
}

#[test]
fn hostile_text_survives_as_exact_text_in_every_feed() {
    let case = published();
    for file in [
        "atom.xml",
        "rss.xml",
        "feed.json",
        "categories/talks/atom.xml",
    ] {
        let feed = parse_feed(&case.path().join("public").join(file));
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.as_str()),
            Some(if file.starts_with("categories") {
                "<script>alert('site')</script> & \"list\": <svg onload=alert(1)>Talks"
            } else {
                "<script>alert('site')</script> & \"list\""
            }),
            "{file}"
        );
        check_entry_text(&feed, file);
    }
    let atom = parse_feed(&case.path().join("public/atom.xml"));
    let contributors: Vec<&str> = atom.entries[0]
        .contributors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .collect();
    assert_eq!(contributors, [ALICE]);
}

#[test]
fn hostile_summary_becomes_exactly_this_sanitised_html() {
    let case = published();
    let atom = parse_feed(&case.path().join("public/atom.xml"));
    let body = atom.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref());
    assert_eq!(body, Some(SUMMARY_HTML));
    let rss = parse_feed(&case.path().join("public/rss.xml"));
    assert_eq!(
        rss.entries[0].summary.as_ref().map(|s| s.content.as_str()),
        Some(SUMMARY_HTML)
    );
    let json: serde_json::Value =
        serde_json::from_str(&case.read("public/feed.json")).expect("json");
    assert_eq!(json["items"][0]["content_html"], SUMMARY_HTML);
}

#[test]
fn hostile_update_note_is_sanitised_in_the_updates_feed() {
    let case = published();
    let feed = parse_feed(&case.path().join("public/updates/atom.xml"));
    let body = feed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .expect("content");
    let first_line = body.lines().next();
    assert_eq!(
        first_line,
        Some(
            "<p>Thanks  <a rel=\"noopener noreferrer\">x</a> <img src=\"https://example.org/list/x\"></p>"
        )
    );
}

#[test]
fn the_catalogue_page_prints_hostile_fields_as_text() {
    let case = published();
    let page = case.read("public/index.html");
    // One line an entry (issue 11); the credit links the handle, and the
    // contributor's name is printed in the list of contributors (counting
    // the entry and the update-log record that credit her, issue 23 §6).
    let line = |start: &str| {
        let from = page.find(start).expect(start);
        let to = from + page[from..].find("</li>\n").expect("end of line");
        page[from..to].to_owned()
    };
    let expected = [
        "<li id=\"hostile\">",
        "<a href=\"https://example.org/talk?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&amp;x=1\">&quot;&gt;&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;</a>",
        " <span class=\"meta\">by &lt;b onmouseover=alert(1)&gt;Mallory&lt;/b&gt;</span>",
        " <span class=\"credits\">suggested by <a href=\"https://example.org/alice?x=%22%3E%3Cscript%3E\">@alice</a></span>",
        " <div class=\"summary\">",
        SUMMARY_HTML,
        "</div>",
    ]
    .concat();
    assert_eq!(line("<li id=\"hostile\">"), expected);
    assert_eq!(
        line("<li id=\"@alice\">"),
        "<li id=\"@alice\"><a href=\"https://example.org/alice?x=%22%3E%3Cscript%3E\">@alice</a> \
         &lt;a href=&quot;javascript:alert(1)&quot;&gt;Alice&lt;/a&gt; <span class=\"meta\">(2)</span>"
    );
}
