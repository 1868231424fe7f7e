//! The identity guard (issues 13 and 19): `.oyez/ids` remembers what was
//! published; an entry that is a published one (same URL or title) under
//! another id is refused by every command that announces, until it keeps
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
    error: entries/talks.toml:9:9: the id of "Second talk" would change from `u-c1de26483e6daa25` to `u-2ab6c47b775a0c33` since the last publish (.oyez/ids); add id = "u-c1de26483e6daa25" to keep its identity
    1 entry would change id; give the old ids, or run with --accept-id-changes to give them new ids
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

// Issue 19: a different entry in the place of a removed one was taken for
// the removed one under a new id, and the suggested fix hid the new entry.
#[test]
fn a_different_entry_in_the_place_of_a_removed_one_is_new_and_the_removal_is_reported() {
    let case = published();
    edit(
        &case,
        "First talk\"\nurl   = \"https://example.org/first",
        "Opening talk\"\nurl   = \"https://example.org/opening",
    );
    let run = case.run(&["check"]).ok();
    assert!(
        run.stderr.starts_with(
            "warning: entries/talks.toml: published entry \"First talk\" (`u-a010fd0f6e1e1229`) \
             is no longer in the catalogue"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "the new entry is no id change"
    );
    case.run(&["publish"]).ok();
}

// Issue 19: the same URL written with http, a capital host or a final slash
// is the same entry.
#[test]
fn a_url_rewritten_with_another_scheme_or_slash_is_the_same_entry() {
    let case = published();
    edit(
        &case,
        "https://example.org/second",
        "http://Example.org/second/",
    );
    edit(&case, "\"Second talk\"", "\"The second talk\"");
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("add id = \"u-c1de26483e6daa25\""),
        "{}",
        run.stderr
    );
}

// Issue 19: an explicit id unlike the published one changed the feed id
// silently.
#[test]
fn an_explicit_id_unlike_the_published_one_is_refused_with_the_old_id() {
    let case = published();
    edit(
        &case,
        "title = \"Second talk\"",
        "id = \"second\"\ntitle = \"Second talk\"",
    );
    let run = case.run(&["publish"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "would change from `u-c1de26483e6daa25` to `second` since the last publish \
             (.oyez/ids); write id = \"u-c1de26483e6daa25\" instead"
        ),
        "{}",
        run.stderr
    );
}

// Issue 19: a new base_url changed every id without a word.
#[test]
fn a_new_base_url_is_refused_unless_accepted() {
    let case = published();
    let config = case.read("oyez.toml").replace(
        "https://example.org/list/",
        "https://lists.example.net/talks/",
    );
    fs::write(case.path().join("oyez.toml"), config).unwrap();
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: oyez.toml: `base_url` changed from https://example.org/list/ to \
             https://lists.example.net/talks/ since the last publish (.oyez/ids)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(case.run(&["publish"]).code, 1);
    case.run(&["publish", "--accept-id-changes"]).ok();
    case.run(&["check"]).ok();
}

// Issue 19: a second record inserted above the first of a published day
// took the first one's id.
#[test]
fn an_update_inserted_above_another_of_its_day_leaves_both_ids_alone() {
    let first = "[[update]]\ndate = 2024-01-03\nnote = \"First note.\"\n";
    let case = Case::new()
        .file("entries/talks.toml", TALKS)
        .file("entries/updates.toml", first);
    case.run(&["publish"]).ok();
    let second = "[[update]]\ndate = 2024-01-03\nnote = \"Second note.\"\n\n";
    fs::write(
        case.path().join("entries/updates.toml"),
        format!("{second}{first}"),
    )
    .unwrap();
    case.run(&["publish"]).ok();
    let feed = parse_feed(&case.path().join("public/updates/atom.xml"));
    let by_id = |suffix: &str| {
        let entry = feed.entries.iter().find(|e| e.id.ends_with(suffix));
        let content = entry.and_then(|e| e.content.as_ref());
        content.and_then(|c| c.body.clone()).unwrap_or_default()
    };
    assert!(
        by_id("#update-2024-01-03").contains("First note."),
        "{feed:?}"
    );
    assert!(
        by_id("#update-2024-01-03-2").contains("Second note."),
        "{feed:?}"
    );
}

// Issue 19: every command that announces reads the one record; a fresh
// output folder (CI) changes nothing.
#[test]
fn the_record_is_the_state_and_leaves_the_published_bytes_alone() {
    let case = published();
    let first = case.tree("public");
    fs::remove_dir_all(case.path().join("public")).unwrap();
    case.run(&["publish", "--out", "again"]).ok();
    assert_eq!(case.tree("again"), first);
    let ids = case.read(".oyez/ids");
    assert_eq!(
        ids.lines()
            .filter(|line| !line.starts_with('#'))
            .collect::<Vec<_>>(),
        [
            r#"{"base_url":"https://example.org/list/"}"#,
            r#"{"entry":"u-a010fd0f6e1e1229","url":"https://example.org/first","title":"First talk","file":"entries/talks.toml"}"#,
            r#"{"entry":"u-c1de26483e6daa25","url":"https://example.org/second","title":"Second talk","file":"entries/talks.toml"}"#,
        ]
    );
}

// The record of an older oyez, `oyez.lock`, still guards, and the next
// publish replaces it with `.oyez/ids`.
#[test]
fn an_old_oyez_lock_is_read_and_replaced() {
    let case = Case::new().file("entries/talks.toml", TALKS).file(
        "oyez.lock",
        "# oyez.lock: the entry ids of the last `oyez publish`, which writes it; commit it.\n\
         [\"u-a010fd0f6e1e1229\",\"entries/talks.toml\",0,\"First talk\"]\n\
         [\"u-c1de26483e6daa25\",\"entries/talks.toml\",1,\"Second talk\"]\n",
    );
    edit(
        &case,
        "https://example.org/second",
        "https://example.org/second-moved",
    );
    expect(&case.run(&["check"]), 1, REFUSAL);
    edit(
        &case,
        "https://example.org/second-moved",
        "https://example.org/second",
    );
    case.run(&["publish"]).ok();
    assert!(!case.path().join("oyez.lock").exists());
    assert!(case.read(".oyez/ids").contains("\"Second talk\""));
}

// Issue 19: `digest --send` mailed again, as new, an entry whose id line
// was deleted, while check and publish refused the change.
#[test]
fn the_digest_refuses_an_id_change_as_check_and_publish_do() {
    use crate::smtp::{Faults, SmtpServer};
    let server = SmtpServer::start(Faults::default());
    let case = Case::example();
    let send = |case: &Case| {
        let args = [
            "digest",
            "--since",
            "2020-01-01",
            "--now",
            "2026-11-27T00:00:00Z",
            "--send",
        ];
        case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
    };
    case.run(&["publish"]).ok();
    send(&case).ok();
    assert_eq!(server.received().len(), 1);
    let path = case.path().join("entries/articles.toml");
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replacen("id       = \"product-for-internal-platforms\"\n", "", 1);
    assert_ne!(edited, text);
    fs::write(&path, edited).unwrap();
    for run in [case.run(&["check"]), send(&case)] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("add id = \"product-for-internal-platforms\""),
            "{}",
            run.stderr
        );
    }
    assert_eq!(server.received().len(), 1, "nothing mailed again");
}

// Issue 19: deleting an announced entry was silent everywhere.
#[test]
fn a_removed_entry_is_reported_until_its_removal_is_recorded_and_then_announced() {
    let case = published();
    let header = &TALKS[..TALKS.find("[[entry]]").unwrap()];
    let second = &TALKS[TALKS.rfind("[[entry]]").unwrap()..];
    fs::write(
        case.path().join("entries/talks.toml"),
        format!("{header}{second}"),
    )
    .unwrap();
    let warning = "warning: entries/talks.toml: published entry \"First talk\" \
                   (`u-a010fd0f6e1e1229`) is no longer in the catalogue; tell readers why with \
                   `oyez remove u-a010fd0f6e1e1229 --reason \"…\"`, or restore it\n";
    assert_eq!(case.run(&["check"]).ok().stderr, warning);
    case.run(&["publish"]).ok();
    assert_eq!(case.run(&["check"]).ok().stderr, warning, "until recorded");
    let run = case
        .run(&[
            "remove",
            "u-a010fd0f6e1e1229",
            "--reason",
            "The talk was withdrawn.",
            "--date",
            "2024-02-01",
        ])
        .ok();
    assert!(
        run.stdout
            .starts_with("removed u-a010fd0f6e1e1229 on 2024-02-01")
    );
    assert_eq!(case.run(&["check"]).ok().stderr, "");
    case.run(&["publish"]).ok();
    let feed = parse_feed(&case.path().join("public/updates/atom.xml"));
    let removal = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with("#removed-u-a010fd0f6e1e1229"))
        .expect("the removal in the updates feed");
    let body = removal
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap();
    assert!(
        body.contains("Removed from the list: <em>First talk</em>")
            && body.contains("The talk was withdrawn."),
        "{body}"
    );
    assert!(
        case.read("public/README.md")
            .contains("Why: The talk was withdrawn.")
    );
}

#[test]
fn remove_takes_a_present_entry_out_of_its_file_and_keeps_the_rest() {
    let case = published();
    case.run(&[
        "remove",
        "u-c1de26483e6daa25",
        "--reason",
        "Gone.",
        "--date",
        "2024-02-01",
    ])
    .ok();
    let text = case.read("entries/talks.toml");
    assert_eq!(
        text.trim_end(),
        TALKS[..TALKS.rfind("\n[[entry]]").unwrap()].trim_end()
    );
    assert_eq!(case.run(&["check"]).ok().stderr, "");
    let unknown = case.run(&["remove", "no-such-id", "--reason", "x"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("no entry has the id `no-such-id`"),
        "{}",
        unknown.stderr
    );
}

// Issue 19: an entry whose `updated` date moves is announced as revised,
// once, and stays in the log.
#[test]
fn a_moved_updated_date_is_announced_once_as_a_revision() {
    let case = published();
    edit(
        &case,
        "added = 2024-01-03",
        "added = 2024-01-03\nupdated = 2024-03-01",
    );
    let revisions = |case: &Case| {
        let feed = parse_feed(&case.path().join("public/updates/atom.xml"));
        let revised = feed.entries.iter().filter(|e| e.id.contains("#revised-"));
        let bodies = revised.map(|e| e.content.as_ref().and_then(|c| c.body.clone()).unwrap());
        bodies.collect::<Vec<_>>()
    };
    case.run(&["publish"]).ok();
    let first = revisions(&case);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(
        first[0].contains("Revised: <a href=\"https://example.org/second\""),
        "{first:?}"
    );
    case.run(&["publish"]).ok();
    assert_eq!(revisions(&case), first, "once");
    edit(&case, "updated = 2024-03-01", "updated = 2024-04-01");
    case.run(&["publish"]).ok();
    assert_eq!(revisions(&case).len(), 2, "a later revision is news again");
    assert!(
        case.read(".oyez/revised")
            .contains("revised-u-c1de26483e6daa25-2024-03-01")
    );
}

// Issue 19: the advice for an entry without id or URL named a slug, which
// once the entry is published would change its id; it names its id now.
#[test]
fn the_advice_for_an_entry_without_id_or_url_keeps_its_published_id() {
    let untitled = "\n[[entry]]\ntitle = \"No link\"\nadded = 2024-01-04\n";
    let case = Case::new().file("entries/talks.toml", format!("{TALKS}{untitled}"));
    case.run(&["publish"]).ok();
    let run = case.run(&["check"]).ok();
    let id = "t-5bed95ffd4e14426";
    assert!(
        run.stderr
            .contains(&format!("add `id = \"{id}\"` (its id now)")),
        "{}",
        run.stderr
    );
    assert!(
        case.read(".oyez/ids")
            .contains(&format!("\"entry\":\"{id}\""))
    );
    edit(
        &case,
        "title = \"No link\"",
        &format!("id = \"{id}\"\ntitle = \"No link\""),
    );
    case.run(&["check"]).ok();
}
