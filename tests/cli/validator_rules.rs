//! The W3C Feed Validation Service's warnings that real lists raised
//! (issue 11, point 9), checked as the validator's rules state them on
//! every Atom document a publish writes: `DuplicateUpdated` (two entries
//! of a feed share `atom:updated`), `MissingTextualContent` (an entry with
//! neither summary nor content) and `ArchiveIncomplete` (an
//! `<fh:archive/>` document without `prev-archive` or `next-archive`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use feed_rs::model::Feed;

use crate::case::{CONFIG, Case};

/// What the three rules find in one Atom document.
fn findings(path: &str, bytes: &[u8]) -> Vec<String> {
    let feed: Feed = feed_rs::parser::parse(bytes).unwrap_or_else(|err| panic!("{path}: {err}"));
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in &feed.entries {
        let updated = entry.updated.expect("every entry has updated");
        if !seen.insert(updated) {
            found.push(format!("{path}: DuplicateUpdated {updated} ({})", entry.id));
        }
        if entry.summary.is_none() && entry.content.is_none() {
            found.push(format!("{path}: MissingTextualContent ({})", entry.id));
        }
    }
    let rels: Vec<&str> = feed.links.iter().filter_map(|l| l.rel.as_deref()).collect();
    let neighbour = rels
        .iter()
        .any(|&r| r == "prev-archive" || r == "next-archive");
    if archive_marked(bytes) && !neighbour {
        found.push(format!("{path}: ArchiveIncomplete"));
    }
    if archive_marked(bytes) && !rels.contains(&"current") {
        found.push(format!("{path}: MissingCurrentInArchive"));
    }
    found
}

/// Whether `<fh:archive/>` is among the feed's own elements, before the
/// first entry, where the validator looks for it.
fn archive_marked(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let head = text.split("<entry>").next().unwrap_or_default();
    head.contains("<fh:archive/>")
}

/// Publishes `case` and returns every finding in its Atom documents, and
/// how many documents were checked.
fn publish_and_check(case: &Case) -> (Vec<String>, usize) {
    case.run(&["publish"]).ok();
    let atom: Vec<_> = case
        .tree("public")
        .into_iter()
        .filter(|(path, _)| path.ends_with("atom.xml") && !path.starts_with("digests/"))
        .collect();
    let found = atom.iter().flat_map(|(p, b)| findings(p, b)).collect();
    (found, atom.len())
}

/// `count` entries over two categories, fifty a day, every other one
/// without a summary, in two files: as an imported list looks.
fn imported_list(count: usize) -> Case {
    let mut files = [String::from("category = \"talks\"\n"), String::new()];
    for n in 0..count {
        let text = &mut files[n % 2];
        let day = 1 + (n / 50) % 28;
        let month = 1 + n / (50 * 28);
        let _ = write!(
            text,
            "\n[[entry]]\ntitle = \"Link {n}\"\nurl = \"https://example.com/{n}\"\n\
             added = 2024-{month:02}-{day:02}\ncategory = \"{}\"\n",
            ["talks", "books"][n % 3 % 2]
        );
        if n % 2 == 0 {
            let _ = writeln!(text, "summary = \"About link {n}.\"");
        }
    }
    // Three updates of one day: the updates feed's items too.
    for note in ["First", "Second", "Third"] {
        let _ = write!(
            files[1],
            "\n[[update]]\ndate = 2024-01-05\nnote = \"{note}\"\n"
        );
    }
    let [a, b] = files;
    Case::new()
        .file("oyez.toml", format!("{CONFIG}\n[feeds]\nlimit = 500\n"))
        .file("entries/a.toml", a)
        .file("entries/b.toml", b)
}

#[test]
fn the_example_feeds_raise_none_of_the_validator_warnings() {
    let (found, checked) = publish_and_check(&Case::example());
    assert!(checked >= 5, "only {checked} Atom documents");
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_three_thousand_entry_list_raises_none_of_the_validator_warnings() {
    let case = imported_list(3000);
    let (found, checked) = publish_and_check(&case);
    // The feeds, two categories and 31 archive pages.
    assert!(checked >= 35, "only {checked} Atom documents");
    assert_eq!(found, Vec::<String>::new());
    // Every archive page but none of the subscription feeds is marked.
    for number in 1..=31 {
        let page = case.read(&format!("public/archive/{number}/atom.xml"));
        assert!(archive_marked(page.as_bytes()), "archive/{number}");
    }
    assert!(!archive_marked(case.read("public/atom.xml").as_bytes()));
}

#[test]
fn an_entry_without_summary_is_summarised_by_its_title_category_and_link() {
    let case = Case::new().file(
        "entries/a.toml",
        "[[entry]]\ntitle = \"Bare & plain\"\nurl = \"https://example.com/b\"\n\
         added = 2024-01-02\ncategory = \"books\"\n",
    );
    case.run(&["publish"]).ok();
    let feed = feed_rs::parser::parse(case.read("public/atom.xml").as_bytes()).unwrap();
    let summary = feed.entries[0].summary.as_ref().expect("a summary");
    assert_eq!(
        summary.content,
        "Bare & plain, in Books: https://example.com/b"
    );
    assert!(feed.entries[0].content.is_none());
}

#[test]
fn entries_of_one_day_are_updated_a_second_apart_in_file_order() {
    let mut text = String::from("category = \"talks\"\n");
    for name in ["c", "a", "b"] {
        let _ = write!(
            text,
            "\n[[entry]]\ntitle = \"{name}\"\nid = \"{name}\"\nadded = 2024-03-04\n"
        );
    }
    let case = Case::new().file("entries/a.toml", text);
    case.run(&["publish"]).ok();
    let feed = feed_rs::parser::parse(case.read("public/atom.xml").as_bytes()).unwrap();
    let mut stamps: Vec<(String, String)> = feed
        .entries
        .iter()
        .map(|e| {
            (
                e.title.as_ref().unwrap().content.clone(),
                e.updated.unwrap().to_rfc3339(),
            )
        })
        .collect();
    stamps.sort();
    let expected = [
        ("a", "2024-03-04T00:00:01+00:00"),
        ("b", "2024-03-04T00:00:02+00:00"),
        ("c", "2024-03-04T00:00:00+00:00"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, s)| ((*t).to_owned(), (*s).to_owned()))
        .collect();
    assert_eq!(stamps, expected);
}
