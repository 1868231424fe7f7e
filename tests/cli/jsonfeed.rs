//! `feed.json` against the JSON Feed 1.1 specification
//! (<https://www.jsonfeed.org/version/1.1/>), key by key, for the example
//! catalogue and the `feeds` fixture.

use chrono::DateTime;
use serde_json::{Map, Value};

use crate::case::Case;

const TOP_LEVEL: &[&str] = &[
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
];
const ITEM: &[&str] = &[
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
];

/// Every problem with `feed` as a JSON Feed 1.1 document.
fn violations(feed: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let Some(top) = feed.as_object() else {
        return vec!["the document is not an object".into()];
    };
    unknown_keys(top, TOP_LEVEL, "feed", &mut found);
    if top.get("version").and_then(Value::as_str) != Some("https://jsonfeed.org/version/1.1") {
        found.push(format!("version is {:?}", top.get("version")));
    }
    if top
        .get("title")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        found.push("title is missing or empty".into());
    }
    for key in ["home_page_url", "feed_url"] {
        if !top
            .get(key)
            .and_then(Value::as_str)
            .is_some_and(|u| u.starts_with("https://"))
        {
            found.push(format!("{key} is not an https URL"));
        }
    }
    if top.contains_key("author") {
        found.push("deprecated `author` (1.0) instead of `authors`".into());
    }
    authors(top.get("authors"), "feed", &mut found);
    let Some(items) = top.get("items").and_then(Value::as_array) else {
        found.push("items is not an array".into());
        return found;
    };
    for (index, item) in items.iter().enumerate() {
        item_violations(item, &format!("items[{index}]"), &mut found);
    }
    found
}

fn item_violations(item: &Value, at: &str, found: &mut Vec<String>) {
    let Some(item) = item.as_object() else {
        found.push(format!("{at} is not an object"));
        return;
    };
    unknown_keys(item, ITEM, at, found);
    if item
        .get("id")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        found.push(format!("{at}.id is not a non-empty string"));
    }
    let html = item.get("content_html").map(Value::is_string);
    let text = item.get("content_text").map(Value::is_string);
    if html != Some(true) && text != Some(true) {
        found.push(format!(
            "{at} has neither content_html nor content_text as a string"
        ));
    }
    for key in ["date_published", "date_modified"] {
        match item.get(key).and_then(Value::as_str) {
            Some(date) if DateTime::parse_from_rfc3339(date).is_ok() => {}
            other => found.push(format!("{at}.{key} is not RFC 3339: {other:?}")),
        }
    }
    if let Some(tags) = item.get("tags")
        && !tags
            .as_array()
            .is_some_and(|t| t.iter().all(Value::is_string))
    {
        found.push(format!("{at}.tags is not an array of strings"));
    }
    if item.contains_key("author") {
        found.push(format!("{at} uses deprecated `author`"));
    }
    authors(item.get("authors"), at, found);
}

/// `authors`, when present, is a non-empty array of objects that each have
/// a name, url or avatar, all strings.
fn authors(value: Option<&Value>, at: &str, found: &mut Vec<String>) {
    let Some(value) = value else { return };
    let Some(list) = value.as_array().filter(|list| !list.is_empty()) else {
        found.push(format!("{at}.authors is not a non-empty array"));
        return;
    };
    for author in list {
        let fields = author.as_object().map(|a| {
            ["name", "url", "avatar"]
                .iter()
                .filter_map(|key| a.get(*key))
                .collect::<Vec<_>>()
        });
        match fields {
            Some(fields) if !fields.is_empty() && fields.iter().all(|v| v.is_string()) => {}
            _ => found.push(format!("{at}.authors has a bad author: {author}")),
        }
    }
}

fn unknown_keys(object: &Map<String, Value>, known: &[&str], at: &str, found: &mut Vec<String>) {
    for key in object.keys() {
        // Extensions start with an underscore.
        if !known.contains(&key.as_str()) && !key.starts_with('_') {
            found.push(format!("{at} has unknown key `{key}`"));
        }
    }
}

fn feed_of(case: &Case) -> Value {
    case.run(&["publish"]).ok();
    serde_json::from_str(&case.read("public/feed.json")).expect("feed.json is JSON")
}

#[test]
fn example_feed_json_follows_json_feed_1_1() {
    let feed = feed_of(&Case::example());
    assert_eq!(violations(&feed), Vec::<String>::new());
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(32));
    assert_eq!(
        feed["feed_url"],
        "https://example.org/platform-as-a-product/feed.json"
    );
}

#[test]
fn fixture_feed_json_follows_json_feed_1_1() {
    let feed = feed_of(&Case::fixture("feeds"));
    assert_eq!(violations(&feed), Vec::<String>::new());
    assert_eq!(feed["feed_url"], "https://example.org/list/feed.json");
    assert_eq!(feed["home_page_url"], "https://example.org/list/");
    assert_eq!(
        feed["authors"],
        serde_json::json!([{"name": "Jane & Co", "url": "https://example.org/jane"}])
    );
    // An item without a summary still has content: its title as text.
    assert_eq!(feed["items"][1]["content_text"], "Same day, id a");
    assert!(feed["items"][1].get("content_html").is_none());
}

#[test]
fn the_json_feed_check_catches_violations() {
    let bad = serde_json::json!({
        "version": "https://jsonfeed.org/version/1",
        "title": "",
        "home_page_url": "https://e.org/",
        "feed_url": "https://e.org/feed.json",
        "author": {"name": "x"},
        "authors": [],
        "items": [{"id": 7, "date_published": "2021-01-01 00:00", "tags": [1], "surprise": true}],
    });
    assert_eq!(
        violations(&bad),
        [
            "feed has unknown key `author`",
            "version is Some(String(\"https://jsonfeed.org/version/1\"))",
            "title is missing or empty",
            "deprecated `author` (1.0) instead of `authors`",
            "feed.authors is not a non-empty array",
            "items[0] has unknown key `surprise`",
            "items[0].id is not a non-empty string",
            "items[0] has neither content_html nor content_text as a string",
            "items[0].date_published is not RFC 3339: Some(\"2021-01-01 00:00\")",
            "items[0].date_modified is not RFC 3339: None",
            "items[0].tags is not an array of strings",
        ]
    );
}

// Issue 23: every feed of the map has a JSON Feed (the updates and each
// category too), which follows the spec and carries what its Atom twin does.
#[test]
fn every_feed_has_a_json_feed_with_its_atom_feeds_items() {
    let case = Case::example();
    case.run(&["publish"]).ok();
    let public = case.path().join("public");
    let mut folders = vec!["".to_owned(), "updates/".to_owned()];
    for entry in std::fs::read_dir(public.join("categories")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        folders.push(format!("categories/{name}/"));
    }
    assert!(folders.len() >= 5, "{folders:?}");
    for folder in folders {
        let json: Value =
            serde_json::from_str(&case.read(&format!("public/{folder}feed.json"))).unwrap();
        assert_eq!(violations(&json), Vec::<String>::new(), "{folder}feed.json");
        let parsed = crate::support::parse_feed(&public.join(format!("{folder}feed.json")));
        let atom = crate::support::parse_feed(&public.join(format!("{folder}atom.xml")));
        let ids = |feed: &feed_rs::model::Feed| {
            feed.entries
                .iter()
                .map(|e| e.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&parsed), ids(&atom), "{folder}");
        assert!(!parsed.entries.is_empty(), "{folder}");
    }
}

// Issue 23 §2: the archive pages have JSON Feeds too, chained by `next_url`
// from `feed.json` (newest page first), each carrying its Atom page's items.
#[test]
fn next_url_walks_the_json_archive_pages_to_every_entry() {
    let mut entries = String::from("category = \"talks\"\n");
    for n in 0..230 {
        let summary = if n % 2 == 0 {
            "summary = \"About *it*.\"\n"
        } else {
            ""
        };
        entries.push_str(&format!(
            "\n[[entry]]\nid = \"e{n}\"\ntitle = \"Entry {n}\"\nadded = 2020-01-{:02}\n\
             by = [\"@alice\"]\n{summary}",
            1 + n % 28
        ));
    }
    let case = Case::empty()
        .file("oyez.toml", crate::case::CONFIG)
        .file("entries/talks.toml", entries);
    case.run(&["publish"]).ok();
    let public = case.path().join("public");
    let base = "https://example.org/list/";
    let mut next = feed_of_path(&case, "feed.json")["next_url"].clone();
    let (mut pages, mut ids) = (Vec::new(), Vec::new());
    while let Some(url) = next.as_str() {
        let path = url
            .strip_prefix(base)
            .expect("a page of the site")
            .to_owned();
        assert!(pages.len() < 10, "next_url loops");
        let page = feed_of_path(&case, &path);
        assert_eq!(violations(&page), Vec::<String>::new(), "{path}");
        assert_eq!(page["feed_url"], url);
        // Archive pages are written compact: one line.
        assert_eq!(
            case.read(&format!("public/{path}")).lines().count(),
            1,
            "{path}"
        );
        let parsed = crate::support::parse_feed(&public.join(&path));
        let atom = crate::support::parse_feed(&public.join(path.replace("feed.json", "atom.xml")));
        let page_ids: Vec<String> = parsed.entries.iter().map(|e| e.id.clone()).collect();
        let atom_ids: Vec<String> = atom.entries.iter().map(|e| e.id.clone()).collect();
        assert_eq!(page_ids, atom_ids, "{path}");
        assert_eq!(
            page["items"][0]["_oyez"]["contributors"][0]["name"],
            "Alice Example"
        );
        ids.extend(page_ids);
        next = page["next_url"].clone();
        pages.push(path);
    }
    assert_eq!(
        pages,
        [
            "archive/3/feed.json",
            "archive/2/feed.json",
            "archive/1/feed.json"
        ]
    );
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (230, 230));
}

fn feed_of_path(case: &Case, path: &str) -> Value {
    serde_json::from_str(&case.read(&format!("public/{path}"))).expect("JSON")
}
