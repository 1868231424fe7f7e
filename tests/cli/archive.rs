//! RFC 5005 archived feeds (issue 5): archive pages hold every entry once,
//! link to their neighbours, and keep their bytes once full; a republish
//! rewrites only the files whose bytes change.

#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::MetadataExt;

use chrono::{Days, NaiveDate};
use feed_rs::model::Feed;

use crate::case::{CONFIG, Case};

const BASE: &str = "https://example.org/list/";

/// `count` entries numbered from `first`, one a day from 2001-01-01, in
/// alternating categories, with an update log record that predates them.
fn entries(first: usize, count: usize) -> String {
    let start = NaiveDate::from_ymd_opt(2001, 1, 1).expect("date");
    let mut text = String::new();
    for n in first..first + count {
        let day = start + Days::new(n as u64);
        let category = if n % 3 == 0 { "books" } else { "talks" };
        text.push_str(&format!(
            "[[entry]]\ntitle = \"Entry {n} & <more>\"\nid = \"e{n}\"\nadded = {day}\n\
             category = \"{category}\"\nsummary = \"About *{n}*.\"\n\n"
        ));
    }
    text
}

fn catalogue(count: usize) -> Case {
    Case::new()
        .file("oyez.toml", format!("{CONFIG}\n[feeds]\nlimit = 20\n"))
        .file("entries/a.toml", entries(0, count))
        .file(
            "entries/log.toml",
            "[[update]]\ndate = 2000-06-01\nnote = \"Started.\"\n",
        )
}

fn parse(case: &Case, relative: &str) -> Feed {
    let bytes = fs::read(case.path().join(relative)).expect("read feed");
    feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|err| panic!("{relative}: {err}"))
}

/// The href of the link `rel`, as a path under `public/`.
fn link(feed: &Feed, rel: &str) -> Option<String> {
    let link = feed.links.iter().find(|l| l.rel.as_deref() == Some(rel))?;
    let path = link.href.strip_prefix(BASE).expect("link under the site");
    Some(format!("public/{path}"))
}

/// Follows `prev-archive` from `start`; returns each page visited and its entry ids.
fn walk(case: &Case, start: &str) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut next = link(&parse(case, start), "prev-archive");
    while let Some(page) = next {
        assert!(pages.len() < 100, "prev-archive loops");
        let feed = parse(case, &page);
        assert_eq!(link(&feed, "current").as_deref(), Some(start), "{page}");
        let ids = feed.entries.iter().map(|e| e.id.clone()).collect();
        next = link(&feed, "prev-archive");
        pages.push((page, ids));
    }
    pages
}

fn all_ids(count: usize) -> BTreeSet<String> {
    (0..count).map(|n| format!("{BASE}#e{n}")).collect()
}

#[test]
fn following_prev_archive_from_atom_xml_reaches_every_entry_exactly_once() {
    let case = catalogue(250);
    case.run(&["publish"]).ok();
    assert_eq!(parse(&case, "public/atom.xml").entries.len(), 20);
    for start in ["public/atom.xml", "public/rss.xml"] {
        let pages = walk(&case, start);
        let names: Vec<&str> = pages.iter().map(|(page, _)| page.as_str()).collect();
        let file = &start["public/".len()..];
        assert_eq!(
            names,
            [3, 2, 1].map(|n| format!("public/archive/{n}/{file}"))
        );
        let sizes: Vec<usize> = pages.iter().map(|(_, ids)| ids.len()).collect();
        assert_eq!(sizes, [50, 100, 100]);
        let ids: Vec<&String> = pages.iter().flat_map(|(_, ids)| ids).collect();
        let unique: BTreeSet<String> = ids.iter().map(|id| (*id).clone()).collect();
        assert_eq!(unique.len(), ids.len(), "an entry is in two pages");
        assert_eq!(unique, all_ids(250));
    }
}

#[test]
fn archive_pages_link_their_neighbours_and_carry_fh_archive() {
    let case = catalogue(250);
    case.run(&["publish"]).ok();
    let page = parse(&case, "public/archive/2/atom.xml");
    assert_eq!(
        link(&page, "prev-archive").as_deref(),
        Some("public/archive/1/atom.xml")
    );
    assert_eq!(
        link(&page, "next-archive").as_deref(),
        Some("public/archive/3/atom.xml")
    );
    assert_eq!(
        link(&parse(&case, "public/archive/1/rss.xml"), "prev-archive"),
        None
    );
    assert_eq!(
        link(&parse(&case, "public/archive/3/rss.xml"), "next-archive"),
        None
    );
    for page in ["archive/1/atom.xml", "archive/3/rss.xml"] {
        let text = case.read(&format!("public/{page}"));
        assert!(
            text.contains("xmlns:fh=\"http://purl.org/syndication/history/1.0\""),
            "{page}"
        );
        assert_eq!(text.matches("<fh:archive").count(), 1, "{page}");
    }
    assert!(!case.read("public/atom.xml").contains("fh:archive"));
    // Category feeds keep their newest items only; the main archive has all.
    assert!(walk(&case, "public/categories/books/atom.xml").is_empty());
}

/// (inode, bytes) of every published file: a rename gives a new inode.
fn snapshot(case: &Case) -> BTreeMap<String, (u64, Vec<u8>)> {
    case.tree("public")
        .into_iter()
        .map(|(path, bytes)| {
            let meta = fs::metadata(case.path().join("public").join(&path)).expect("metadata");
            (path, (meta.ino(), bytes))
        })
        .collect()
}

/// Paths that are new or were replaced between two snapshots.
fn rewritten(
    before: &BTreeMap<String, (u64, Vec<u8>)>,
    after: &BTreeMap<String, (u64, Vec<u8>)>,
) -> BTreeSet<String> {
    after
        .iter()
        .filter(|(path, (ino, _))| before.get(*path).is_none_or(|(old, _)| old != ino))
        .map(|(path, _)| path.clone())
        .collect()
}

#[test]
fn full_archive_pages_keep_their_bytes_when_entries_are_added() {
    let case = catalogue(250);
    case.run(&["publish"]).ok();
    let before = snapshot(&case);
    let case = case.file("entries/b.toml", entries(250, 60));
    let run = case.run(&["publish"]).ok();
    let after = snapshot(&case);
    for page in [
        "archive/1/atom.xml",
        "archive/1/rss.xml",
        "archive/2/atom.xml",
        "archive/2/rss.xml",
    ] {
        assert_eq!(before[page], after[page], "{page} changed");
    }
    let changed = rewritten(&before, &after);
    assert!(changed.contains("archive/3/atom.xml") && changed.contains("archive/4/rss.xml"));
    assert_eq!(walk(&case, "public/atom.xml").len(), 4);
    assert!(
        run.stdout
            .contains(&format!("{} files written", changed.len())),
        "{}",
        run.stdout
    );
}

#[test]
fn a_single_added_entry_rewrites_only_the_files_it_appears_in() {
    let case = catalogue(250);
    case.run(&["publish"]).ok();
    let before = snapshot(&case);
    // Entry 250 is a talk, the newest entry of all.
    let case = case.file("entries/b.toml", entries(250, 1));
    let run = case.run(&["publish"]).ok();
    let changed = rewritten(&before, &snapshot(&case));
    let expected: BTreeSet<String> = [
        "atom.xml",
        "rss.xml",
        "feed.json",
        "index.html",
        "README.md",
        "categories/talks/atom.xml",
        "categories/talks/rss.xml",
        "categories/talks/feed.json",
        "archive/3/atom.xml",
        "archive/3/rss.xml",
        "archive/3/feed.json",
    ]
    .map(String::from)
    .into();
    assert_eq!(changed, expected);
    assert!(run.stdout.contains("11 files written"), "{}", run.stdout);
}

#[test]
fn an_unchanged_republish_writes_no_file() {
    let case = catalogue(250);
    case.run(&["publish"]).ok();
    let before = snapshot(&case);
    let mtimes = |case: &Case| -> Vec<std::time::SystemTime> {
        before
            .keys()
            .map(|path| {
                let meta = fs::metadata(case.path().join("public").join(path)).expect("metadata");
                meta.modified().expect("mtime")
            })
            .collect()
    };
    let first = mtimes(&case);
    let run = case.run(&["publish"]).ok();
    let summary = format!(": 0 files written, {} unchanged\n", before.len());
    assert!(run.stdout.ends_with(&summary), "{}", run.stdout);
    assert_eq!(snapshot(&case), before);
    assert_eq!(mtimes(&case), first);
}
