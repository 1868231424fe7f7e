//! Issue 22: awesome lists keep their shape. `[site] awesome = true`
//! writes a README in awesome-lint's shapes, `oyez check` warns on its
//! rules in the data, and an imported list comes back with its heading
//! tree and every link under the same headings. (awesome-lint itself runs
//! in `.ci/awesome`; these tests need nothing installed.)

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::authoring::fixture;
use crate::case::Case;
use crate::support::expect;

const AWESOME: &str = "[site]\ntitle = \"Awesome Tools\"\nbase_url = \"https://example.org/\"\n\
    awesome = true\n\n[[category]]\nslug = \"tools\"\ntitle = \"Tools\"\n";

#[test]
fn check_warns_where_the_data_breaks_awesome_lint_rules() {
    let case = Case::empty().file("oyez.toml", AWESOME).file(
        "entries/tools.toml",
        "category = \"tools\"\n\n\
         [[entry]]\ntitle = \"Grep\"\nurl = \"https://example.org/grep/\"\nadded = 2021-01-01\nsummary = \"search text\"\n\n\
         [[entry]]\ntitle = \"See https://example.org/grep\"\nurl = \"http://www.example.org/grep\"\nadded = 2021-01-01\nsummary = \"The same link.\"\n\n\
         [[entry]]\ntitle = \"Sed\"\nurl = \"https://example.org/sed\"\nadded = 2021-01-01\nsummary = \"iOS and macOS (beta).\"\n",
    );
    let run = case.run(&["check"]);
    expect(
        &run,
        0,
        "
        warning: entries/tools.toml:7:11: the summary starts in lower case, which awesome-lint refuses; start it with a capital, a number or a name as it is written (`iOS`)
        warning: entries/tools.toml:7:11: the summary does not end with `.`, `!`, `?` or `…`, which awesome-lint refuses; end it as a sentence
        warning: entries/tools.toml:10:9: the title holds a URL, which awesome-lint reads as a second link; name the resource instead
        warning: entries/tools.toml:10:9: awesome-lint takes this link for the one of the entry at entries/tools.toml:4; keep one of the two entries
        ",
    );
    assert_eq!(
        run.stdout,
        "ok: 3 entries in 1 category, 0 updates, 4 warnings\n"
    );
    // The same data in a catalogue that is no awesome list: no warning.
    let plain = AWESOME.replace("awesome = true\n", "");
    let case = Case::empty()
        .file("oyez.toml", &plain)
        .file("entries/tools.toml", case.read("entries/tools.toml"));
    expect(&case.run(&["check"]), 0, "");
}

#[test]
fn the_example_readme_is_in_awesome_lint_shapes() {
    let case = Case::example();
    case.run(&["publish"]).ok();
    let list = case.read("public/README.md");
    let first = list.lines().next().unwrap();
    assert!(
        first.ends_with(" [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"),
        "{first}"
    );
    // Every section after the contents is in them, Contributors included.
    let headings: Vec<String> = sections(&list).into_keys().collect();
    let contents: Vec<&str> = list
        .split("\n## Contents\n\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|line| line.starts_with("- ["))
        .map(|line| line.trim_start_matches("- [").split("](").next().unwrap())
        .collect();
    let expected: Vec<&str> = list
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .filter(|title| *title != "Contents")
        .collect();
    assert_eq!(contents, expected, "{headings:?}");
    assert!(expected.contains(&"Contributors"), "{expected:?}");
    // No link twice: the update log names its entries by title.
    let links = links(&list);
    let mut seen = std::collections::BTreeSet::new();
    for link in &links {
        assert!(seen.insert(link.as_str()), "{link} is listed twice");
    }
    assert!(links.len() > 30, "{links:?}");
}

/// The `(heading path, link)` of every list item's first link, outside the
/// sections oyez writes itself (contents, updates, contributors).
fn sections(markdown: &str) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut path: Vec<(HeadingLevel, String)> = Vec::new();
    let (mut heading, mut item_link) = (None::<(HeadingLevel, String)>, false);
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::Text(text) if heading.is_some() => {
                if let Some((_, title)) = heading.as_mut() {
                    title.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, title) = heading.take().unwrap();
                path.retain(|(at, _)| *at < level);
                path.push((level, title.trim().to_owned()));
                let key = path
                    .iter()
                    .skip(1)
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>();
                found.entry(key.join(" > ")).or_default();
            }
            Event::Start(Tag::Item) => item_link = true,
            Event::Start(Tag::Link { dest_url, .. }) if item_link => {
                item_link = false;
                let key = path
                    .iter()
                    .skip(1)
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>();
                found
                    .entry(key.join(" > "))
                    .or_default()
                    .push(dest_url.to_string());
            }
            _ => {}
        }
    }
    found.retain(|key, _| {
        ![
            "Contents",
            "Updates",
            "Contributors",
            "Contributing",
            "License",
        ]
        .contains(&key.as_str())
    });
    found
}

/// Every link of the document, in order.
fn links(markdown: &str) -> Vec<String> {
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Imports the case's `README.md` into `c`; its `oyez.toml`.
fn import(case: &Case) -> String {
    let args = ["import", "markdown", "README.md", "--into", "c"];
    case.run(&[&args[..], &["--date", "2024-01-01"]].concat())
        .ok();
    case.read("c/oyez.toml")
}

#[test]
fn an_imported_awesome_list_keeps_its_tree_and_every_link_under_its_heading() {
    let original = fixture("tree-shape.md");
    let case = Case::empty().file("README.md", original.clone());
    let config = import(&case);
    assert!(config.contains("\nawesome     = true"), "{config}");
    assert!(
        config.contains("slug = \"data\"\ntitle = \"Data\"\n\n[[category]]\nslug = \"registers\"\ntitle = \"Registers\"\ndescription = \"Official and community registers of lights.\"\nparent = \"data\"\n"),
        "{config}"
    );
    // The introduction and the sections that are no list, as written.
    assert!(
        config.contains("\n[list]\nintro = \"Lighthouses guide ships along dangerous coasts. This list gathers the projects, data and writing about them.\"\n"),
        "{config}"
    );
    assert!(
        config.contains("\n[[list.section]]\ntitle = \"Contributing\"\n"),
        "{config}"
    );
    case.run(&["publish", "c"]).ok();
    let list = case.read("c/public/README.md");
    for kept in [
        "\n\nLighthouses guide ships along dangerous coasts. This list gathers the projects, data and writing about them.\n\n",
        "\n## Contributing\n\nContributions welcome! Read the [contribution guidelines](contributing.md) first.\n",
        "\n## License\n\n[![CC0](https://licensebuttons.example.org/cc0.svg)](https://creativecommons.org/publicdomain/zero/1.0/)\n",
        "\n- [Writing](#writing)\n- [License](#license)\n\n",
    ] {
        assert!(list.contains(kept), "{kept:?} in\n{list}");
    }
    assert!(list.contains("\n## Data\n\n\n### Registers\n"), "{list}");
    assert!(
        list.contains("\n- [Data](#data)\n  - [Registers](#registers)\n  - [Maps](#maps)\n"),
        "{list}"
    );
    // Host-only links come back as written (`https://openlights.example.org`).
    let before = sections(&original);
    let after = sections(&list);
    assert_eq!(after, before);
    assert_eq!(before.values().map(Vec::len).sum::<usize>(), 10);
}

#[test]
fn a_bare_host_is_kept_as_written_and_the_same_link_with_its_slash() {
    let entry = |url: &str| {
        format!(
            "[[entry]]\ncategory = \"tools\"\ntitle = \"T\"\nurl = \"{url}\"\nadded = 2021-01-01\n\n"
        )
    };
    let case = Case::empty()
        .file("oyez.toml", AWESOME)
        .file("entries/a.toml", entry("https://a.example.org"));
    case.run(&["publish"]).ok();
    assert!(
        case.read("public/README.md")
            .contains("- [T](https://a.example.org)\n")
    );
    let twice = format!(
        "{}{}",
        entry("https://a.example.org"),
        entry("https://a.example.org/")
    );
    let case = Case::empty()
        .file("oyez.toml", AWESOME)
        .file("entries/a.toml", twice);
    expect(
        &case.run(&["check"]),
        1,
        "
        error: entries/a.toml:9:9: the URL https://a.example.org/ is already listed at entries/a.toml:3:9; list each resource once (remove or merge the duplicate)
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn an_entry_listed_in_two_categories_on_purpose_says_also() {
    let config = format!("{AWESOME}\n[[category]]\nslug = \"cli\"\ntitle = \"Command Line\"\n");
    let entry = "[[entry]]\ncategory = \"tools\"\ntitle = \"Grep\"\nurl = \"https://example.org/grep\"\n\
        added = 2021-01-01\nsummary = \"Search text.\"\nalso = [\"cli\"";
    let case = Case::empty()
        .file("oyez.toml", config.clone())
        .file("entries/a.toml", format!("{entry}]\n"));
    case.run(&["publish"]).ok();
    let line = "- [Grep](https://example.org/grep) - Search text.\n";
    assert_eq!(
        case.read("public/README.md")
            .split("\n## ")
            .filter(|section| section.contains(line))
            .map(|section| section.lines().next().unwrap())
            .collect::<Vec<_>>(),
        ["Tools", "Command Line"]
    );
    // Its feeds and page still have it once.
    assert_eq!(
        crate::support::parse_feed(&case.path().join("public/atom.xml"))
            .entries
            .len(),
        1
    );
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/a.toml", format!("{entry}, \"clli\"]\n"));
    expect(
        &case.run(&["check"]),
        1,
        "
        error: entries/a.toml:7:16: unknown category `clli`; known: tools, cli; add it to oyez.toml or fix the entry
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn a_back_to_top_line_is_no_category_description() {
    let list = "# Awesome Bells\n\n## Ringing\n\n^ [back to top](#awesome-bells) ^\n\n\
        - [Peals](https://example.org/peals) - Change ringing.\n\n## Casting\n\n\
        Foundries and [their](#ringing) history.\n\n- [Foundry](https://example.org/foundry) - Bell founders.\n";
    let case = Case::empty().file("README.md", list);
    let config = import(&case);
    // Kept as written above the list, but no description.
    assert!(
        config.contains("slug = \"ringing\"\ntitle = \"Ringing\"\nintro = \"^ [back to top](#awesome-bells) ^\"\n\n"),
        "{config}"
    );
    // A paragraph with words of its own besides an in-page link still is one.
    assert!(
        config.contains("description = \"Foundries and their history.\"\nintro = \"Foundries and [their](#ringing) history.\"\n"),
        "{config}"
    );
}

#[test]
fn legends_and_licence_texts_are_no_entries() {
    let list = "# Awesome Fonts\n\n## Legend\n\n- ⭐ - Popular.\n- [OFL](https://example.org/ofl) - Open font.\n\n\
        ## Fonts\n\n- [Inter](https://example.org/inter) - Sans serif. \
        ([OFL](https://spdx.org/licenses/OFL-1.1.html))\n\n## Abbreviations\n\n\
        - [MIT](https://spdx.org/licenses/MIT.html) - MIT License.\n\
        - [GPL-3.0](https://www.gnu.org/licenses/gpl-3.0.html) - GNU GPL.\n";
    let case = Case::empty().file("README.md", list);
    let args = ["import", "markdown", "README.md", "--into", "c"];
    let run = case
        .run(&[&args[..], &["--date", "2024-01-01"]].concat())
        .ok();
    assert!(
        run.stdout
            .starts_with("imported README.md: 1 entry, 0 updates, 1 category\n"),
        "{}",
        run.stdout
    );
    for line in [
        "  README.md:6: https://example.org/ofl: in a legend section\n",
        "  README.md:14: https://spdx.org/licenses/MIT.html: a licence text (a legend of the list), not an entry\n",
        "  README.md:15: https://www.gnu.org/licenses/gpl-3.0.html: a licence text (a legend of the list), not an entry\n",
    ] {
        assert!(run.stdout.contains(line), "{line:?} in\n{}", run.stdout);
    }
}

#[test]
// Issue 22 §1: `*` markers, tab indents, link-less group items with their
// items under them, a link in brackets before the summary and badges at
// the end of items come back as written.
fn an_imported_list_keeps_its_markers_groups_and_badges() {
    let original = fixture("kites-shape.md");
    let case = Case::empty().file("README.md", original.clone());
    let config = import(&case);
    assert!(
        config.contains("\n[list]\nheader = \"# Awesome Kites [![Lint](https://ci.example.org/lint.svg)](https://ci.example.org/lint)\"\nmarker = \"*\"\nindent = \"\\t\"\nthanks = false"),
        "{config}"
    );
    // A lint directive and a link above a category's list stay there.
    assert!(
        config.contains("intro = \"\"\"\n<!--lint disable awesome-list-item-->\n\nSee also [the kite map](https://map.example.org).\"\"\"\n"),
        "{config}"
    );
    let entries = case.read("c/entries/making.toml");
    assert!(
        entries.contains("group = \"Fabrics\"\nsummary = \"Weights and weaves of ripstop nylon.\"\nbadges = \"[![Docs](https://docs.example.org/badge.svg)](https://docs.example.org/ripstop)\"\n"),
        "{entries}"
    );
    case.run(&["publish", "c"]).ok();
    let list = case.read("c/public/README.md");
    // The title line keeps its badges; every line of the sections is the original's.
    assert_eq!(list.lines().next(), original.lines().next());
    let from_making = |text: &str| {
        text.split("\n## Making\n")
            .nth(1)
            .unwrap()
            .trim_end()
            .to_owned()
    };
    assert_eq!(from_making(&list), from_making(&original));
    assert_eq!(sections(&list), sections(&original));
    // Importing the regenerated list again gives the same catalogue.
    let again = Case::empty().file("README.md", list);
    assert_eq!(import(&again), config);
    assert_eq!(again.read("c/entries/making.toml"), entries);
}

#[test]
// Issue 22: a list whose lines thank nobody keeps them so, even when its
// entries are credited (from git); two sections may share a title, each
// with GitHub's anchor in the contents.
fn thanks_false_and_twice_the_same_heading() {
    let config = format!(
        "{AWESOME}\n[[category]]\nslug = \"more\"\ntitle = \"More\"\n\n\
         [[category]]\nslug = \"more-tools\"\ntitle = \"Tools\"\nparent = \"more\"\n\n\
         [list]\nthanks = false\n"
    );
    let entries = "[[entry]]\ncategory = \"tools\"\ntitle = \"Grep\"\nurl = \"https://example.org/grep\"\n\
        added = 2021-01-01\nsummary = \"Search text.\"\nby = [\"@alice\"]\n\n\
        [[entry]]\ncategory = \"more-tools\"\ntitle = \"Sed\"\nurl = \"https://example.org/sed\"\n\
        added = 2021-01-01\nsummary = \"Edit streams.\"\n";
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/a.toml", entries);
    case.run(&["publish"]).ok();
    let list = case.read("public/README.md");
    assert!(
        list.contains("\n- [Grep](https://example.org/grep) - Search text.\n"),
        "{list}"
    );
    assert!(
        list.contains("\n- [Tools](#tools)\n- [More](#more)\n  - [Tools](#tools-1)\n"),
        "{list}"
    );
    assert!(list.contains("\n## More\n\n\n### Tools\n"), "{list}");
}
