//! Every feed of the `feeds` fixture parsed back by feed-rs (an independent
//! parser) and compared field by field with what the catalogue says: ids,
//! titles, links, dates, authors, contributors, categories, content, order.
//! The fixture's text is full of `& < > " ]]>` and non-ASCII, so every
//! comparison is also an escaping check.

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, FeedType};
use serde_json::Value;

use crate::case::Case;
use crate::support::parse_feed;

const BASE: &str = "https://example.org/list/";
const FISH_TITLE: &str = "Fish & <Chips> \"quoted\" ]]> ÄÖÜ 日本語 🎉";
const FISH_HTML: &str = "<p>A <em>bold</em> claim &amp; <b>raw</b> ]]&gt; text with \
    <a href=\"https://example.org/x?a=1&amp;b=2\" rel=\"noopener noreferrer\">a link</a>.</p>";
const ALICE: &str = "Alice <Ämber> & \"Co\"";

/// What the catalogue says about one entry, in feed order.
struct Expected {
    id: &'static str,
    title: &'static str,
    link: &'static str,
    published: &'static str,
    updated: &'static str,
    authors: &'static [&'static str],
    /// (name, uri) of the credited contributors.
    contributors: &'static [(&'static str, Option<&'static str>)],
    categories: &'static [&'static str],
    html: Option<&'static str>,
}

/// Newest first; the two entries of 2021-02-07 in id order (a before b).
const ENTRIES: &[Expected] = &[
    Expected {
        id: "https://example.org/list/#u-11e9ea877142806e",
        title: FISH_TITLE,
        link: "https://example.org/talks/fish?a=1&b=2",
        published: "2021-03-04T08:30:00Z",
        updated: "2021-05-06T00:00:00Z",
        authors: &["Zoë <Z> & Co", "Li Wei 李伟"],
        contributors: &[(ALICE, Some("https://example.org/alice")), ("@carol", None)],
        categories: &["talks", "a&b", "naïve"],
        html: Some(FISH_HTML),
    },
    Expected {
        id: "https://example.org/list/#a-same-day",
        title: "Same day, id a",
        link: "https://example.org/list/#a-same-day",
        published: "2021-02-07T00:00:00Z",
        // A second after b, written before it in the file: entries of
        // one day have distinct `updated` in file order (issue 11).
        updated: "2021-02-07T00:00:01Z",
        authors: &[],
        contributors: &[],
        categories: &["talks"],
        html: None,
    },
    Expected {
        id: "https://example.org/list/#b-same-day",
        title: "Same day, id b",
        link: "https://example.org/list/#b-same-day",
        published: "2021-02-07T00:00:00Z",
        updated: "2021-02-07T00:00:00Z",
        authors: &[],
        contributors: &[],
        categories: &["talks"],
        html: Some("<p>Second</p>"),
    },
    Expected {
        id: "https://example.org/list/#no-link",
        title: "A book without a link",
        link: "https://example.org/list/#no-link",
        published: "2021-01-01T12:00:00Z",
        updated: "2021-01-01T12:00:00Z",
        authors: &[],
        contributors: &[],
        categories: &["books"],
        html: None,
    },
    Expected {
        id: "https://example.org/list/#u-7fcea0ebd06cf47f",
        title: "Oldest book",
        link: "https://example.org/books/old",
        published: "2020-08-17T00:00:00Z",
        updated: "2020-08-17T00:00:00Z",
        authors: &["Old Author"],
        contributors: &[("Bob", None)],
        categories: &["books"],
        html: None,
    },
];

fn published() -> Case {
    let case = Case::fixture("feeds");
    case.run(&["publish"]).ok();
    case
}

/// (rel, href) of a feed's links, without RFC 5005 archive links (tested
/// in their own module).
fn links(feed: &Feed) -> Vec<(Option<&str>, &str)> {
    feed.links
        .iter()
        .filter(|l| {
            !matches!(
                l.rel.as_deref(),
                Some("prev-archive" | "next-archive" | "current")
            )
        })
        .map(|l| (l.rel.as_deref(), l.href.as_str()))
        .collect()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap_or_else(|err| panic!("{text}: {err}"))
}

fn title(entry: &Entry) -> &str {
    entry.title.as_ref().map_or("", |t| t.content.as_str())
}

fn names(people: &[feed_rs::model::Person]) -> Vec<&str> {
    people
        .iter()
        .map(|p| p.name.as_deref().unwrap_or(""))
        .collect()
}

fn terms(entry: &Entry) -> Vec<&str> {
    entry.categories.iter().map(|c| c.term.as_str()).collect()
}

/// The fields every format carries the same way.
#[track_caller]
fn check_common(feed: &Feed, expected: &[&Expected]) {
    check_with_inherited_author(feed, expected, None);
}

/// `inherited`: the feed author that a format hands down to items without
/// authors (JSON Feed 1.1 says so, and feed-rs applies it).
#[track_caller]
fn check_with_inherited_author(feed: &Feed, expected: &[&Expected], inherited: Option<&str>) {
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    let wanted: Vec<&str> = expected.iter().map(|e| e.id).collect();
    assert_eq!(ids, wanted, "ids and order");
    for (entry, want) in feed.entries.iter().zip(expected) {
        assert_eq!(title(entry), want.title, "title of {}", want.id);
        let links: Vec<&str> = entry.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(links, [want.link], "link of {}", want.id);
        assert_eq!(
            entry.published,
            Some(at(want.published)),
            "published of {}",
            want.id
        );
        let authors: Vec<&str> = match (want.authors.is_empty(), inherited) {
            (true, Some(site)) => vec![site],
            _ => want.authors.to_vec(),
        };
        assert_eq!(names(&entry.authors), authors, "authors of {}", want.id);
        assert_eq!(terms(entry), want.categories, "categories of {}", want.id);
    }
}

#[test]
fn atom_entries_feed_round_trips_field_by_field() {
    let case = published();
    let feed = parse_feed(&case.path().join("public/atom.xml"));
    assert_eq!(feed.feed_type, FeedType::Atom);
    assert_eq!(feed.id, "https://example.org/list/atom.xml");
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("Ünïcode & <Friends> \"list\" ]]>")
    );
    assert_eq!(
        feed.description.as_ref().map(|t| t.content.as_str()),
        Some("Résumés & <notes> \"quoted\" ]]> 日本")
    );
    assert_eq!(feed.language.as_deref(), Some("fr"));
    // The newest date in the data (the 2021-06-01 update), never the clock.
    assert_eq!(feed.updated, Some(at("2021-06-01T00:00:00Z")));
    assert_eq!(
        links(&feed),
        [
            (Some("self"), "https://example.org/list/atom.xml"),
            (Some("alternate"), BASE)
        ]
    );
    assert_eq!(names(&feed.authors), ["Jane & Co"]);
    assert_eq!(feed.authors[0].email.as_deref(), Some("jane@example.org"));
    let expected: Vec<&Expected> = ENTRIES.iter().collect();
    check_common(&feed, &expected);
    for (entry, want) in feed.entries.iter().zip(ENTRIES) {
        assert_eq!(
            entry.updated,
            Some(at(want.updated)),
            "updated of {}",
            want.id
        );
        let contributors: Vec<(&str, Option<&str>)> = entry
            .contributors
            .iter()
            .map(|p| (p.name.as_deref().unwrap_or(""), p.uri.as_deref()))
            .collect();
        assert_eq!(
            contributors, want.contributors,
            "contributors of {}",
            want.id
        );
        let body = entry.content.as_ref().and_then(|c| c.body.as_deref());
        assert_eq!(body, want.html, "content of {}", want.id);
    }
    let fish = &feed.entries[0];
    assert_eq!(
        fish.categories[0].label.as_deref(),
        Some("Talks & <Slides>")
    );
    assert_eq!(fish.language.as_deref(), Some("de"));
}

#[test]
fn rss_entries_feed_round_trips_field_by_field() {
    let case = published();
    let path = case.path().join("public/rss.xml");
    let feed = parse_feed(&path);
    assert_eq!(feed.feed_type, FeedType::RSS2);
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("Ünïcode & <Friends> \"list\" ]]>")
    );
    assert_eq!(feed.language.as_deref(), Some("fr"));
    assert_eq!(
        feed.updated,
        Some(at("2021-06-01T00:00:00Z")),
        "lastBuildDate"
    );
    assert_eq!(
        links(&feed),
        [
            (None, BASE),
            (Some("self"), "https://example.org/list/rss.xml")
        ]
    );
    let expected: Vec<&Expected> = ENTRIES.iter().collect();
    check_common(&feed, &expected);
    for (entry, want) in feed.entries.iter().zip(ENTRIES) {
        // RSS has no per-item updated date: readers see pubDate.
        assert_eq!(
            entry.updated,
            Some(at(want.published)),
            "pubDate of {}",
            want.id
        );
        let description = entry.summary.as_ref().map(|s| s.content.as_str());
        assert_eq!(description, want.html, "description of {}", want.id);
    }
    // feed-rs ignores Dublin Core contributors; read them with the rss crate's parser.
    let channel =
        rss::Channel::read_from(std::fs::read(&path).expect("rss.xml").as_slice()).expect("rss");
    for (item, want) in channel.items.iter().zip(ENTRIES) {
        let dc = item.dublin_core_ext.as_ref();
        let contributors: Vec<&str> = dc
            .map(|dc| dc.contributors.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let wanted: Vec<&str> = want.contributors.iter().map(|(name, _)| *name).collect();
        assert_eq!(contributors, wanted, "dc:contributor of {}", want.id);
        let guid = item.guid.as_ref().expect("guid");
        assert!(
            !guid.permalink,
            "guid of {} is an id, not a permalink",
            want.id
        );
    }
}

#[test]
fn json_feed_round_trips_field_by_field() {
    let case = published();
    let path = case.path().join("public/feed.json");
    let feed = parse_feed(&path);
    assert_eq!(feed.feed_type, FeedType::JSON);
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("Ünïcode & <Friends> \"list\" ]]>")
    );
    assert_eq!(feed.language.as_deref(), Some("fr"));
    assert_eq!(names(&feed.authors), ["Jane & Co"]);
    let expected: Vec<&Expected> = ENTRIES.iter().collect();
    check_with_inherited_author(&feed, &expected, Some("Jane & Co"));
    let json: Value = serde_json::from_str(&case.read("public/feed.json")).expect("json");
    for ((entry, item), want) in feed
        .entries
        .iter()
        .zip(json["items"].as_array().expect("items"))
        .zip(ENTRIES)
    {
        assert_eq!(
            entry.updated,
            Some(at(want.updated)),
            "date_modified of {}",
            want.id
        );
        assert_eq!(
            item["content_html"].as_str(),
            want.html,
            "content_html of {}",
            want.id
        );
        let contributors: Vec<(&str, Option<&str>)> = item["_oyez"]["contributors"]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|c| (c["name"].as_str().unwrap_or(""), c["uri"].as_str()))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            contributors, want.contributors,
            "_oyez.contributors of {}",
            want.id
        );
    }
    assert_eq!(json["items"][0]["language"], "de");
    assert_eq!(
        json["items"][0]["content_text"],
        "A bold claim & raw ]]> text with a link <https://example.org/x?a=1&b=2>."
    );
}

#[test]
fn category_feeds_hold_their_own_entries_in_order() {
    let case = published();
    for (slug, format) in [
        ("talks", "atom.xml"),
        ("talks", "rss.xml"),
        ("books", "atom.xml"),
        ("books", "rss.xml"),
    ] {
        let feed = parse_feed(
            &case
                .path()
                .join(format!("public/categories/{slug}/{format}")),
        );
        let expected: Vec<&Expected> = ENTRIES.iter().filter(|e| e.categories[0] == slug).collect();
        check_common(&feed, &expected);
        let self_link = feed
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("self"))
            .map(|l| l.href.as_str());
        assert_eq!(
            self_link,
            Some(format!("{BASE}categories/{slug}/{format}").as_str())
        );
    }
    let talks = parse_feed(&case.path().join("public/categories/talks/atom.xml"));
    assert_eq!(
        talks.title.as_ref().map(|t| t.content.as_str()),
        Some("Ünïcode & <Friends> \"list\" ]]>: Talks & <Slides>")
    );
    // A category's updated date is its newest entry's, not the site's.
    assert_eq!(talks.updated, Some(at("2021-05-06T00:00:00Z")));
    let books = parse_feed(&case.path().join("public/categories/books/atom.xml"));
    assert_eq!(books.updated, Some(at("2021-01-01T12:00:00Z")));
}

#[test]
fn updates_feeds_list_what_each_update_announces_with_credits() {
    let case = published();
    for format in ["atom.xml", "rss.xml"] {
        let feed = parse_feed(&case.path().join(format!("public/updates/{format}")));
        let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                format!("{BASE}#update-2021-06-01"),
                format!("{BASE}#update-2021-02-07")
            ]
        );
        let titles: Vec<&str> = feed.entries.iter().map(title).collect();
        assert_eq!(
            titles,
            [
                // The fixture's catalogue is in French (issue 23 §5).
                "Mise à jour du 2021-06-01 : 1 nouvelle ressource",
                "Mise à jour du 2021-02-07 : 4 nouvelles ressources"
            ]
        );
        assert_eq!(feed.entries[0].published, Some(at("2021-06-01T00:00:00Z")));
    }
    let atom = parse_feed(&case.path().join("public/updates/atom.xml"));
    let newest = &atom.entries[0];
    let contributors: Vec<&str> = names(&newest.contributors);
    assert_eq!(contributors, ["Bob", ALICE]);
    let body = newest
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .expect("content");
    assert_eq!(
        body,
        "<p>Second update</p>\n<h3>Talks &amp; &lt;Slides&gt;</h3>\n<ul>\n\
         <li><a href=\"https://example.org/talks/fish?a=1&amp;b=2\">\
         Fish &amp; &lt;Chips&gt; &quot;quoted&quot; ]]&gt; ÄÖÜ 日本語 🎉</a> par Zoë &lt;Z&gt; &amp; Co, Li Wei 李伟</li>\n</ul>\n\
         <p>Merci à Bob, <a href=\"https://example.org/alice\">Alice &lt;Ämber&gt; &amp; &quot;Co&quot;</a>.</p>"
    );
}

#[test]
fn feeds_limit_keeps_the_newest_items_of_every_feed() {
    let mut entries = String::from("category = \"talks\"\n");
    for day in 1..=9 {
        entries.push_str(&format!(
            "\n[[entry]]\ntitle = \"Day {day}\"\nid = \"day-{day}\"\nadded = 2021-01-0{day}\n"
        ));
    }
    for day in [2, 4, 6, 8] {
        entries.push_str(&format!(
            "\n[[update]]\ndate = 2021-01-0{day}\nnote = \"Update {day}\"\n"
        ));
    }
    let case = Case::new()
        .file(
            "oyez.toml",
            format!("{}\n[feeds]\nlimit = 3\n", crate::case::CONFIG),
        )
        .file("entries/talks.toml", entries);
    case.run(&["publish"]).ok();
    let newest = ["day-9", "day-8", "day-7"].map(|id| format!("{BASE}#{id}"));
    for file in [
        "atom.xml",
        "rss.xml",
        "feed.json",
        "categories/talks/atom.xml",
        "categories/talks/rss.xml",
    ] {
        let feed = parse_feed(&case.path().join("public").join(file));
        let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, newest, "{file}");
    }
    for file in ["updates/atom.xml", "updates/rss.xml"] {
        let feed = parse_feed(&case.path().join("public").join(file));
        let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        let wanted = [8, 6, 4].map(|day| format!("{BASE}#update-2021-01-0{day}"));
        assert_eq!(ids, wanted, "{file}");
    }
    assert!(
        parse_feed(&case.path().join("public/categories/books/atom.xml"))
            .entries
            .is_empty()
    );
    // The catalogue page is not a feed: it lists all nine.
    assert_eq!(
        case.read("public/index.html")
            .matches("<li id=\"day-")
            .count(),
        9
    );
}

#[test]
fn default_limit_is_fifty() {
    let mut entries = String::from("category = \"books\"\n");
    for n in 0..60 {
        entries.push_str(&format!(
            "\n[[entry]]\ntitle = \"N{n}\"\nid = \"n{n:02}\"\nadded = 2021-01-01\n"
        ));
    }
    let case = Case::new().file("entries/books.toml", entries);
    case.run(&["publish"]).ok();
    let feed = parse_feed(&case.path().join("public/atom.xml"));
    let ids: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.id.replace(BASE, ""))
        .collect();
    // All on one day: the id decides, ascending.
    let wanted: Vec<String> = (0..50).map(|n| format!("#n{n:02}")).collect();
    assert_eq!(ids, wanted);
}
