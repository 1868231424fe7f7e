//! The native Atom and RSS writers (`src/feed/atom.rs`, `src/feed/rss.rs`)
//! against their twins, the atom_syndication and rss crates (issue 12):
//! every document a publish writes, byte for byte, over every test
//! catalogue and every corpus case that publishes. The fuzz target
//! `feed_twins` runs the same comparison on generated catalogues.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use oyez::catalogue::{self, Catalogue, Credit, Enclosure, Extras, Text};
use oyez::feed::archive::Archive;
use oyez::feed::{self, Channel, Item, Stamps};
use oyez::template::{self, Templates};

use crate::case::{CONFIG, Case, repo_root};

mod twin;

/// The catalogue in `dir` and its templates.
fn load(dir: &Path) -> (Arc<Catalogue>, Templates) {
    let loaded = catalogue::load(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    let overrides = template::read_overrides(dir).expect("templates");
    (
        Arc::new(loaded.catalogue),
        Templates::new(overrides).expect("templates"),
    )
}

#[track_caller]
fn assert_twins(dir: &Path) {
    let (catalogue, templates) = load(dir);
    let differences = twin::differences(&catalogue, &templates);
    assert!(
        differences.is_empty(),
        "{}: {} documents differ from their twins:\n{}",
        dir.display(),
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn the_example_and_the_fixtures_publish_the_crates_bytes() {
    assert_twins(&repo_root());
    assert_twins(&repo_root().join("tests/fixtures/feeds"));
    assert_twins(&repo_root().join("tests/fixtures/hostile"));
}

#[test]
fn every_corpus_case_that_publishes_writes_the_crates_bytes() {
    let mut cases: Vec<_> = fs::read_dir(repo_root().join("tests/corpus"))
        .expect("tests/corpus")
        .map(|item| item.expect("corpus entry").path())
        .filter(|dir| {
            let args = fs::read_to_string(dir.join("args")).unwrap_or_default();
            let code = fs::read_to_string(dir.join("code")).unwrap_or_default();
            args.trim() == "publish" && code.trim() == "0"
        })
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 15,
        "only {} corpus cases publish",
        cases.len()
    );
    for dir in cases {
        // As `tests/cli/corpus.rs` runs it: the default `oyez.toml` unless the case has one.
        let case = Case::empty().file("oyez.toml", CONFIG);
        let copied = Command::new("cp")
            .arg("-R")
            .arg(dir.join("."))
            .arg(case.path())
            .status();
        assert!(copied.expect("cp").success(), "copy {}", dir.display());
        assert_twins(case.path());
    }
}

/// 250 entries: three archive pages, the first two full and marked
/// `<fh:archive/>`, written from the entries in place; hubs, which archive
/// pages leave out; a category with no stylesheet line.
#[test]
fn archive_pages_and_hubs_publish_the_crates_bytes() {
    let mut entries = String::from("category = \"talks\"\n");
    for n in 0..250 {
        let day = 1 + n % 28;
        let url = if n % 3 == 0 {
            String::new()
        } else {
            format!("url = \"https://example.org/{n}?a=1&b=2\"\n")
        };
        let extra = match n % 4 {
            0 => "summary = \"A *bold* <b>claim</b> ]]> & [link](https://example.org/x).\"\n",
            1 => "by = [\"@alice\", \"@nobody\"]\nauthors = [\"A & B\"]\ntags = [\"t&g\"]\n",
            2 => "language = \"fr\"\nsummary = \"Résumé\"\n",
            _ => "",
        };
        entries.push_str(&format!(
            "\n[[entry]]\nid = \"e{n}\"\ntitle = \"Entry <{n}> & 'q'\"\n{url}\
             added = 2020-{:02}-{day:02}\n{extra}",
            1 + n % 12
        ));
    }
    let config = format!("{CONFIG}\n[feeds]\nhub = [\"https://hub.example/?a=1&b=2\"]\n");
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/talks.toml", entries);
    assert_twins(case.path());
    let (catalogue, _) = load(case.path());
    assert_eq!(Archive::new("", catalogue.entries.len()).pages(), 3);
    let no_stylesheet = case.path().join("oyez.toml");
    let config = fs::read_to_string(&no_stylesheet).unwrap() + "stylesheet = false\n";
    fs::write(&no_stylesheet, config).unwrap();
    assert_twins(case.path());
}

/// Issue 23 §5: a Spanish catalogue, its entries without summary ("Title,
/// en Talks: link") and in French (`<entry xml:lang="fr">`) or in its own
/// language written otherwise (`ES`, no attribute), in every feed,
/// the per-language ones included.
#[test]
fn another_language_publishes_the_crates_bytes() {
    let config = CONFIG.replace("[site]\n", "[site]\nlanguage = \"es\"\n");
    let mut entries = String::from("category = \"talks\"\n");
    for (n, language) in ["", "language = \"fr\"\n", "language = \"ES\"\n"]
        .iter()
        .enumerate()
    {
        entries.push_str(&format!(
            "\n[[entry]]\nid = \"e{n}\"\ntitle = \"Entry {n}\"\n\
             url = \"https://example.org/{n}\"\nadded = 2020-01-0{}\n{language}",
            n + 1
        ));
    }
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/talks.toml", entries);
    assert_twins(case.path());
    case.run(&["publish"]).ok();
    let atom = case.read("public/atom.xml");
    assert!(atom.contains("<summary>Entry 0, en Talks: https://example.org/0</summary>"));
    assert_eq!(atom.matches("<entry xml:lang=\"fr\">").count(), 1, "{atom}");
    assert_eq!(atom.matches("<entry>").count(), 2, "{atom}");
    let french = case.read("public/languages/fr/atom.xml");
    assert!(french.contains("<entry>") && !french.contains("<entry xml:lang"));
}

/// Issue 23: the per-tag feeds of the escaping fixture (tags `a&b`,
/// `naïve`), every one and a list of one.
#[test]
fn tag_feeds_publish_the_crates_bytes() {
    for tags in ["true", "[\"a&b\"]"] {
        let case = Case::empty();
        let copied = Command::new("cp")
            .arg("-R")
            .arg(repo_root().join("tests/fixtures/feeds/."))
            .arg(case.path())
            .status();
        assert!(copied.expect("cp").success());
        let config = case.path().join("oyez.toml");
        let text = fs::read_to_string(&config).unwrap();
        assert!(!text.contains("[feeds]"), "the fixture gained [feeds]");
        fs::write(&config, format!("{text}\n[feeds]\ntags = {tags}\n")).unwrap();
        let (catalogue, _) = load(case.path());
        assert!(!catalogue.tag_feeds.is_empty());
        assert_twins(case.path());
    }
}

/// Checks `channel` as the native writers write it against the twins.
#[track_caller]
fn same_bytes(catalogue: &Catalogue, channel: &Channel) {
    let path = format!("{}atom.xml", channel.dir);
    let native = feed::atom::render(catalogue, channel).unwrap();
    let native = twin::without_stylesheet(catalogue, &path, native).unwrap();
    let twin_bytes = twin::atom::render(catalogue, channel);
    assert_eq!(native, String::from_utf8(twin_bytes).unwrap());
    let native = feed::rss::render(catalogue, channel).unwrap();
    let native = twin::without_stylesheet(catalogue, &path, native).unwrap();
    let twin_bytes = twin::rss::render(catalogue, channel);
    assert_eq!(native, String::from_utf8(twin_bytes).unwrap());
}

fn example() -> Catalogue {
    catalogue::load(&repo_root()).unwrap().catalogue
}

#[test]
// Issue 13: WebSub hub links in the subscription feeds, none in archive pages.
fn the_writers_match_the_crates_with_hubs_and_without_a_stylesheet() {
    let mut catalogue = example();
    catalogue.hubs = vec![
        "https://hub.example/".into(),
        "https://pubsubhubbub.appspot.com/?a=1&b=2".into(),
    ];
    let entries = feed::entries_channel(&catalogue, &Stamps::new(&catalogue));
    same_bytes(&catalogue, &entries);
    same_bytes(&catalogue, &Archive::new("", 150).page(&entries, 1, None));
    catalogue.stylesheet = false;
    same_bytes(&catalogue, &entries);
    let atom = String::from_utf8(feed::atom::render(&catalogue, &entries).unwrap()).unwrap();
    assert!(atom.starts_with("<?xml version=\"1.0\"?>\n<feed "));
    let parsed = atom_syndication::Feed::read_from(atom.as_bytes()).unwrap();
    let links: Vec<(&str, &str)> = parsed
        .links
        .iter()
        .map(|link| (link.rel.as_str(), link.href.as_str()))
        .collect();
    assert_eq!(
        links[..3],
        [
            ("self", "https://example.org/platform-as-a-product/atom.xml"),
            ("hub", "https://hub.example/"),
            ("hub", "https://pubsubhubbub.appspot.com/?a=1&b=2"),
        ]
    );
}

#[test]
fn the_writers_match_the_crates_on_awkward_text() {
    let mut catalogue = example();
    catalogue.site.author = None;
    let at = Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 58).unwrap();
    let item = Item {
        id: "https://example.org/#a'b\"c".into(),
        title: "<T> & 'q' \"Q\" ]]> é 日本".into(),
        link: "https://example.org/?a=1&b=2".into(),
        published: at,
        updated: at + chrono::Duration::milliseconds(1500),
        authors: vec!["A & B".into(), String::new()],
        contributors: vec![Credit {
            handle: "x".into(),
            name: "X <x>".into(),
            uri: None,
        }],
        categories: vec![("t&g".into(), None), ("c".into(), Some("L'abel".into()))],
        content_html: Some("<p>a]]>b]]]>c</p>\n<p>\"&amp;\"</p>".into()),
        content_text: None,
        language: Some("fr".into()),
        extras: Some(Box::new(Extras {
            image: Some("https://img.example/a.png?x=1&y='2'".into()),
            enclosure: Some(Enclosure {
                url: "https://pod.example/1.mp3?a=1&b=2".into(),
                length: 12_345_678,
                mime: "audio/mpeg".into(),
            }),
            content: Some(Text {
                markdown: String::new(),
                html: "<p>Full ]]> text &amp; \"more\"</p>".into(),
            }),
            ..Extras::default()
        })),
    };
    let bare = Item {
        content_html: None,
        language: None,
        extras: None,
        authors: Vec::new(),
        contributors: Vec::new(),
        categories: Vec::new(),
        ..item.clone()
    };
    let channel = Channel {
        title: "Odd & 'quoted'".into(),
        subtitle: None,
        dir: "x/".into(),
        home: "https://example.org/?h=1&i=2".into(),
        updated: at,
        items: vec![item, bare],
        links: vec![
            ("current".into(), String::new()),
            ("next-archive".into(), "a/".into()),
        ],
    };
    same_bytes(&catalogue, &channel);
}

/// Issue 23 §3: `[site] icon` (a path under the site) and `logo` (an
/// absolute URL) in every format: Atom `icon` and `logo`, RSS `image`,
/// JSON Feed `icon` and `favicon`, and the page's `<link rel="icon">`.
#[test]
fn icon_and_logo_publish_the_crates_bytes_and_reach_every_format() {
    let config = CONFIG.replacen(
        "[site]\n",
        "[site]\nicon = \"icon.png?v=1&w=2\"\nlogo = \"https://cdn.example/logo.png\"\n",
        1,
    );
    let entries =
        "category = \"talks\"\n\n[[entry]]\ntitle = \"One\"\nid = \"one\"\nadded = 2024-01-01\n";
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/talks.toml", entries);
    assert_twins(case.path());
    case.run(&["publish"]).ok();
    let public = case.path().join("public");
    let icon = "https://example.org/list/icon.png?v=1&w=2";
    let logo = "https://cdn.example/logo.png";
    let atom = crate::support::parse_feed(&public.join("atom.xml"));
    assert_eq!(atom.icon.map(|image| image.uri).as_deref(), Some(icon));
    assert_eq!(atom.logo.map(|image| image.uri).as_deref(), Some(logo));
    let rss = crate::support::parse_feed(&public.join("categories/talks/rss.xml"));
    assert_eq!(rss.logo.map(|image| image.uri).as_deref(), Some(logo));
    let json: serde_json::Value = serde_json::from_str(&case.read("public/feed.json")).unwrap();
    assert_eq!(
        (json["icon"].as_str(), json["favicon"].as_str()),
        (Some(logo), Some(icon))
    );
    let page = case.read("public/index.html");
    let link = "<link rel=\"icon\" href=\"https://example.org/list/icon.png?v=1&amp;w=2\">\n";
    assert!(page.contains(link), "{page}");

    let bad = fs::read_to_string(case.path().join("oyez.toml")).unwrap();
    fs::write(
        case.path().join("oyez.toml"),
        bad.replace("https://cdn", "ftp://cdn"),
    )
    .unwrap();
    let run = case.run(&["check"]);
    assert!(
        run.stderr.contains("`logo` has scheme `ftp:`"),
        "{}",
        run.stderr
    );
}

/// Issue 23 §3: thumbnails and enclosures, in the feeds and the archive
/// pages (written from the entries in place).
#[test]
fn thumbnails_and_enclosures_publish_the_crates_bytes() {
    assert_twins(crate::podcast::podcast().path());
}

/// Issue 23 §3: polling hints, RSS `ttl` and `sy:updatePeriod`, from
/// `[feeds] update_period` or else the digest's cadence; none with neither,
/// none on archive pages.
#[test]
fn polling_hints_publish_the_crates_bytes_and_follow_the_rhythm() {
    let digest = "\n[digest]\nfrom = \"a@example.org\"\nto = \"b@example.org\"\nevery = \"week\"\n";
    let cases = [
        (
            "[feeds]\nupdate_period = \"hourly\"\n",
            Some(("hourly", 60)),
        ),
        (
            "[feeds]\nupdate_period = \"monthly\"\n",
            Some(("monthly", 43_200)),
        ),
        (digest, Some(("weekly", 10_080))),
        ("", None),
    ];
    for (extra, expected) in cases {
        let case = crate::podcast::podcast();
        let config = format!("{CONFIG}\n{extra}");
        fs::write(case.path().join("oyez.toml"), config).unwrap();
        assert_twins(case.path());
        case.run(&["publish"]).ok();
        let rss = case.read("public/rss.xml");
        let parsed = crate::support::parse_feed(&case.path().join("public/rss.xml"));
        let ttl = parsed.ttl;
        match expected {
            Some((period, minutes)) => {
                assert_eq!(ttl, Some(minutes), "{extra}");
                let sy = format!(
                    "<sy:updatePeriod>{period}</sy:updatePeriod>\n    \
                                  <sy:updateFrequency>1</sy:updateFrequency>"
                );
                assert!(rss.contains(&sy), "{rss}");
            }
            None => assert!(ttl.is_none() && !rss.contains("sy:"), "{rss}"),
        }
        assert!(!case.read("public/archive/1/rss.xml").contains("<ttl>"));
    }
    let case = crate::podcast::podcast();
    let config = format!("{CONFIG}\n[feeds]\nupdate_period = \"daily-ish\"\n");
    fs::write(case.path().join("oyez.toml"), config).unwrap();
    let run = case.run(&["check"]);
    assert!(
        run.stderr.contains(
            "unknown `update_period` \"daily-ish\"; write hourly, daily, weekly or monthly"
        ),
        "{}",
        run.stderr
    );
}
