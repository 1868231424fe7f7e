//! The id-change guard (issue 13): `oyez.lock` remembers the published
//! ids; an entry whose derived id would change is refused until it keeps
//! its old id or the change is accepted.

use std::fs;

use crate::case::Case;
use crate::support::{expect, parse_feed};

const TALKS: &str = r#"category = "talks"

[[entry]]
title = "First talk"
url   = "https://example.org/first"
added = 2024-01-02

[[entry]]
title = "Second talk"
url   = "https://example.org/second"
added = 2024-01-03
"#;

const REFUSAL: &str = r#"
    error: entries/talks.toml:9:9: the id of "Second talk" would change from `u-c1de26483e6daa25` to `u-2ab6c47b775a0c33` since the last publish (oyez.lock); add id = "u-c1de26483e6daa25" to keep its identity
    1 entry would change id; add the ids, or run `oyez publish --accept-id-changes` to give them new ids
"#;

fn published() -> Case {
    let case = Case::new().file("entries/talks.toml", TALKS);
    case.run(&["publish"]).ok();
    case
}

fn edit(case: &Case, from: &str, to: &str) {
    let path = case.path().join("entries/talks.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in the file");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn entry_ids(case: &Case) -> Vec<String> {
    let feed = parse_feed(&case.path().join("public/atom.xml"));
    feed.entries.into_iter().map(|entry| entry.id).collect()
}

#[test]
fn an_edited_url_is_refused_naming_file_line_and_old_id() {
    let case = published();
    let before = case.tree("public");
    edit(
        &case,
        "https://example.org/second",
        "https://example.org/second-moved",
    );
    expect(&case.run(&["check"]), 1, REFUSAL);
    expect(&case.run(&["publish"]), 1, REFUSAL);
    assert_eq!(
        case.tree("public"),
        before,
        "a refused publish wrote nothing"
    );
}

#[test]
fn adding_the_old_id_keeps_the_feed_item_id() {
    let case = published();
    let ids = entry_ids(&case);
    edit(
        &case,
        "https://example.org/second",
        "https://example.org/second-moved",
    );
    edit(
        &case,
        "title = \"Second talk\"",
        "id = \"u-c1de26483e6daa25\"\ntitle = \"Second talk\"",
    );
    case.run(&["check"]).ok();
    case.run(&["publish"]).ok();
    assert_eq!(entry_ids(&case), ids);
}

#[test]
fn accepted_id_changes_are_published_and_recorded() {
    let case = published();
    edit(
        &case,
        "https://example.org/second",
        "https://example.org/second-moved",
    );
    let run = case.run(&["publish", "--accept-id-changes"]).ok();
    assert!(
        run.stdout.starts_with("published 2 entries"),
        "{}",
        run.stdout
    );
    assert!(entry_ids(&case).contains(&"https://example.org/list/#u-2ab6c47b775a0c33".to_owned()));
    // The new id is the recorded one now: nothing left to refuse.
    case.run(&["check"]).ok();
    case.run(&["publish"]).ok();
}

#[test]
fn a_renamed_entry_in_the_same_place_is_an_id_change_and_a_removed_one_is_not() {
    let case = published();
    edit(
        &case,
        "First talk\"\nurl   = \"https://example.org/first",
        "Opening talk\"\nurl   = \"https://example.org/opening",
    );
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: entries/talks.toml:4:9: the id of \"Opening talk\" would change from `u-"
        ),
        "{}",
        run.stderr
    );
    // Without the first entry, the second moves to the first place.
    let header = &TALKS[..TALKS.find("[[entry]]").unwrap()];
    let second = &TALKS[TALKS.rfind("[[entry]]").unwrap()..];
    fs::write(
        case.path().join("entries/talks.toml"),
        format!("{header}{second}"),
    )
    .unwrap();
    case.run(&["check"]).ok();
    case.run(&["publish"]).ok();
}

#[test]
fn the_lock_file_leaves_the_published_bytes_alone() {
    let case = published();
    let first = case.tree("public");
    fs::remove_file(case.path().join("oyez.lock")).unwrap();
    case.run(&["publish", "--out", "again"]).ok();
    assert_eq!(case.tree("again"), first);
    let lock = case.read("oyez.lock");
    assert_eq!(
        lock.lines()
            .filter(|line| !line.starts_with('#'))
            .collect::<Vec<_>>(),
        [
            r#"["u-a010fd0f6e1e1229","entries/talks.toml",0,"First talk"]"#,
            r#"["u-c1de26483e6daa25","entries/talks.toml",1,"Second talk"]"#,
        ]
    );
}
