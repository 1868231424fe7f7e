//! The catalogue page as readers meet it (issue 23 §6): everyone credited,
//! in entries and in the update log, with first-time contributors marked;
//! `oyez add --by @handle` credited once; summaries shown in full where
//! nothing can hover; "Recently added" before the contents on a phone.
//! Only @alice is in `[contributors]`: @bob is credited as written.
//! `.ci/page` checks the last two in Chromium.

use crate::case::Case;

const ENTRIES: &str = r#"category = "talks"

[[update]]
date = 2024-03-02
note = "Two new talks."
by = ["bob"]

[[entry]]
id = "one"
title = "One"
url = "https://example.org/1"
added = 2024-03-01
by = ["alice"]
summary = "A long summary that a phone shows in full."

[[entry]]
id = "two"
title = "Two"
url = "https://example.org/2"
added = 2024-02-01
by = ["alice"]
"#;

fn published() -> Case {
    let case = Case::new().file("entries/talks.toml", ENTRIES);
    case.run(&["publish"]).ok();
    case
}

/// The lines of the page's list of contributors.
fn contributors(page: &str) -> Vec<&str> {
    let list = page
        .split("<ul class=\"contributors\">\n")
        .nth(1)
        .unwrap_or_default();
    let list = list.split("</ul>").next().unwrap_or_default();
    list.lines().collect()
}

#[test]
fn the_contributors_are_everyone_credited_with_first_timers_marked() {
    let page = published().read("public/index.html");
    assert_eq!(
        contributors(&page),
        [
            "<li id=\"@alice\"><a href=\"https://example.org/alice\">@alice</a> Alice Example \
             <span class=\"meta\">(2)</span></li>",
            "<li id=\"@bob\">@bob <span class=\"meta\">(1)</span> \
             <span class=\"first\">first contribution</span></li>",
        ]
    );
}

#[test]
fn a_contributor_added_by_add_is_shown_once() {
    let case = published();
    case.run(&[
        "add",
        "--title",
        "Three",
        "--url",
        "https://example.org/3",
        "--category",
        "talks",
        "--by",
        "@newcomer",
    ])
    .ok();
    assert!(
        case.read("oyez.toml")
            .contains("[contributors.newcomer]\nname = \"@newcomer\"")
    );
    case.run(&["publish"]).ok();
    let page = case.read("public/index.html");
    let line = "<li id=\"@newcomer\">@newcomer <span class=\"meta\">(1)</span> \
                <span class=\"first\">first contribution</span></li>";
    assert!(contributors(&page).contains(&line), "{page}");
    assert!(!page.contains("@newcomer @newcomer"));
}

#[test]
fn summaries_need_no_hover_and_recently_added_leads_on_a_phone() {
    let page = published().read("public/index.html");
    // On a touch screen (no hover) every line shows its whole summary.
    assert!(page.contains(
        "@media (hover: none) { .entries li { display: block; -webkit-line-clamp: none; } }"
    ));
    assert!(page.contains(
        "<div class=\"summary\"><p>A long summary that a phone shows in full.</p></div>"
    ));
    // On a narrow screen the contents (in the header) come after "Recently
    // added" (the first section of <main>): the page is one column of both.
    assert!(page.contains(
        "@media (max-width: 40rem) { body { display: flex; flex-direction: column; } \
         header, main { display: contents; } header > p { margin: .5rem 0; } .toc { order: 1; } \
         main > section:not(#recently-added), footer { order: 2; } }"
    ));
    let recent = page.find("<section id=\"recently-added\"").unwrap();
    let first_category = page.find("<section id=\"talks\"").unwrap();
    assert!(recent < first_category);
}
