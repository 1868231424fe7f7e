//! Issue 23 §3: an entry's `image` (a thumbnail) and `enclosure` (an audio
//! or video file) in every format, read back by feed-rs, on the
//! subscription feeds and the archive pages alike; bad values are errors
//! at their place. The twins of these documents: `feed_twins.rs`.

use crate::case::{CONFIG, Case};
use crate::support::parse_feed;

/// A podcast list: episode 1 with an image and an enclosure (URLs with
/// `&`), episode 2 with neither, 3 with an image only, 4 with a video only.
pub const EPISODES: &str = r#"category = "talks"

[[entry]]
id = "ep1"
title = "Episode 1"
url = "https://pod.example/1"
image = "https://pod.example/1.png?a=1&b=2"
enclosure = { url = "https://pod.example/1.mp3?a=1&b=2", length = 12345678, type = "audio/mpeg" }
added = 2024-01-01
summary = "The first one."
content = "The **whole** show notes ]]> & <script>alert(1)</script>[a link](https://x.example/?a=1&b=2)."

[[entry]]
id = "ep2"
title = "Episode 2"
url = "https://pod.example/2"
added = 2024-01-02

[[entry]]
id = "ep3"
title = "Episode 3"
image = "https://pod.example/3.jpg"
content = "Notes of *three*."
added = 2024-01-03

[[entry]]
id = "ep4"
title = "Episode 4"
enclosure = { url = "https://pod.example/4.mp4", length = 0, type = "video/mp4" }
added = 2024-01-04
"#;

pub fn podcast() -> Case {
    Case::empty()
        .file("oyez.toml", CONFIG)
        .file("entries/talks.toml", EPISODES)
}

#[test]
fn thumbnails_and_enclosures_reach_every_format() {
    let case = podcast();
    case.run(&["publish"]).ok();
    let image = "https://pod.example/1.png?a=1&b=2";
    let audio = "https://pod.example/1.mp3?a=1&b=2";
    for path in [
        "atom.xml",
        "rss.xml",
        "archive/1/atom.xml",
        "archive/1/rss.xml",
    ] {
        let feed = parse_feed(&case.path().join("public").join(path));
        let first = feed.entries.iter().find(|e| e.id.ends_with("#ep1"));
        let media = &first.expect(path).media;
        let thumbnails: Vec<&str> = (media.iter().flat_map(|m| &m.thumbnails))
            .map(|t| t.image.uri.as_str())
            .collect();
        assert_eq!(thumbnails, [image], "{path}");
        let second = feed.entries.iter().find(|e| e.id.ends_with("#ep2"));
        assert!(second.expect(path).media.is_empty(), "{path}");
    }
    // RSS: `<enclosure>`, which feed-rs reads as media content.
    let rss = parse_feed(&case.path().join("public/rss.xml"));
    let content: Vec<(String, Option<u64>)> = (rss.entries.iter())
        .filter(|e| e.id.ends_with("#ep1"))
        .flat_map(|e| e.media.iter().flat_map(|m| &m.content))
        .map(|c| {
            (
                c.url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                c.size,
            )
        })
        .collect();
    assert_eq!(content, [(audio.to_owned(), Some(12_345_678))]);
    // Atom: `<link rel="enclosure">` with its type and length.
    let atom = case.read("public/atom.xml");
    let link = "<link href=\"https://pod.example/1.mp3?a=1&amp;b=2\" rel=\"enclosure\" \
                type=\"audio/mpeg\" length=\"12345678\"/>";
    assert!(atom.contains(link), "{atom}");
    for path in ["feed.json", "archive/1/feed.json"] {
        let json: serde_json::Value =
            serde_json::from_str(&case.read(&format!("public/{path}"))).unwrap();
        let items = json["items"].as_array().unwrap();
        let first = items
            .iter()
            .find(|i| i["id"].as_str().unwrap().ends_with("#ep1"));
        let first = first.unwrap();
        assert_eq!(first["image"], image, "{path}");
        assert_eq!(
            first["attachments"],
            serde_json::json!([{"url": audio, "mime_type": "audio/mpeg", "size_in_bytes": 12345678}])
        );
        parse_feed(&case.path().join("public").join(path));
    }
}

#[test]
fn a_bad_enclosure_or_image_is_an_error_at_its_place() {
    let bad = EPISODES
        .replace("length = 12345678", "length = -1")
        .replace("audio/mpeg", "audio mpeg")
        .replace("https://pod.example/1.png", "pod.example/1.png");
    let case = Case::empty()
        .file("oyez.toml", CONFIG)
        .file("entries/talks.toml", bad);
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for message in [
        "entries/talks.toml:7:9: `image`",
        "entries/talks.toml:8:67: `enclosure.length` is negative",
        "`enclosure.type` is not a media type: \"audio mpeg\"",
    ] {
        assert!(run.stderr.contains(message), "{message}\n{}", run.stderr);
    }
}

/// Issue 23 §3: `content` beside `summary`, sanitised as summaries are: Atom
/// `summary` (HTML) and `content`, RSS `description` and `content:encoded`,
/// JSON Feed `summary` and `content_html`.
#[test]
fn content_is_the_full_text_beside_the_summary() {
    let case = podcast();
    case.run(&["publish"]).ok();
    let notes = "<p>The <strong>whole</strong> show notes ]]&gt; &amp; \
                 <a href=\"https://x.example/?a=1&amp;b=2\" rel=\"noopener noreferrer\">a link</a>.</p>";
    for path in [
        "atom.xml",
        "rss.xml",
        "archive/1/atom.xml",
        "archive/1/rss.xml",
        "feed.json",
    ] {
        let feed = parse_feed(&case.path().join("public").join(path));
        let entry = |id: &str| {
            feed.entries
                .iter()
                .find(|e| e.id.ends_with(id))
                .expect(path)
        };
        let body = |id: &str| entry(id).content.as_ref().and_then(|c| c.body.clone());
        assert_eq!(body("#ep1").as_deref(), Some(notes), "{path}");
        assert!(
            !body("#ep1").unwrap_or_default().contains("script"),
            "{path}"
        );
        let summary = entry("#ep1").summary.as_ref().map(|s| s.content.clone());
        assert!(
            summary.unwrap_or_default().contains("The first one."),
            "{path}"
        );
        assert_eq!(
            body("#ep3").as_deref(),
            Some("<p>Notes of <em>three</em>.</p>"),
            "{path}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&case.read("public/feed.json")).unwrap();
    let first = (json["items"].as_array().unwrap().iter())
        .find(|i| i["id"].as_str().unwrap().ends_with("#ep1"))
        .unwrap();
    assert_eq!(
        (first["content_html"].as_str(), first["summary"].as_str()),
        (Some(notes), Some("The first one."))
    );
}
