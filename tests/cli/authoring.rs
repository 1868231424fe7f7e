//! Issue 4: `oyez init`, `oyez add`, `oyez import markdown` and the
//! regenerated `public/README.md`.
// Helpers below are test code too: a failed read is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::case::{Case, repo_root};

pub fn fixture(name: &str) -> String {
    fs::read_to_string(repo_root().join("tests/fixtures/import").join(name)).expect("fixture")
}

/// Every `[[entry]]` of a catalogue folder, by id, as TOML values
/// (the file's `category` filled in).
pub fn entries(dir: &Path) -> BTreeMap<String, toml::Table> {
    let mut found = BTreeMap::new();
    for file in fs::read_dir(dir.join("entries")).expect("entries folder") {
        let text = fs::read_to_string(file.expect("file").path()).expect("read");
        let table: toml::Table = toml::from_str(&text).expect("valid TOML");
        let category = table.get("category").cloned();
        for entry in table
            .get("entry")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            let mut entry = entry.as_table().expect("table").clone();
            if let Some(category) = &category {
                entry.entry("category").or_insert(category.clone());
            }
            let id = entry["id"].as_str().expect("id").to_owned();
            found.insert(id, entry);
        }
    }
    found
}

/// Every `[[update]]`, oldest first, as (date, note, by).
pub fn updates(dir: &Path) -> Vec<(String, String, Vec<String>)> {
    let text = fs::read_to_string(dir.join("entries/updates.toml")).expect("updates file");
    let table: toml::Table = toml::from_str(&text).expect("valid TOML");
    let mut updates: Vec<_> = table["update"]
        .as_array()
        .expect("updates")
        .iter()
        .map(|u| {
            let by = u.get("by").and_then(|b| b.as_array()).into_iter().flatten();
            (
                u["date"].to_string(),
                u["note"].as_str().expect("note").to_owned(),
                by.map(|h| h.as_str().expect("handle").to_owned()).collect(),
            )
        })
        .collect();
    updates.sort();
    updates
}

fn categories(dir: &Path) -> Vec<(String, String)> {
    let text = fs::read_to_string(dir.join("oyez.toml")).expect("oyez.toml");
    let table: toml::Table = toml::from_str(&text).expect("valid TOML");
    table["category"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["slug"].as_str().unwrap().to_owned(),
                c["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn field<'a>(
    entries: &'a BTreeMap<String, toml::Table>,
    id: &str,
    key: &str,
) -> Option<&'a str> {
    entries
        .get(id)
        .unwrap_or_else(|| panic!("no entry {id}"))
        .get(key)
        .and_then(|v| v.as_str())
}

pub fn added(entries: &BTreeMap<String, toml::Table>, id: &str) -> String {
    entries[id]["added"].to_string()
}

/// The seed post as Markdown: short lines without an item marker become
/// `## ` headings ("Updates:" too), other lines paragraphs, items stay.
fn seed_markdown() -> String {
    let seed = fs::read_to_string("/work/shared/seed-post.txt")
        .or_else(|_| fs::read_to_string(repo_root().join("../shared/seed-post.txt")))
        .expect("seed post");
    let mut markdown = String::from("# Resources for Product Management for Internal Platform\n");
    let mut in_list = false;
    for line in seed.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        let is_item = line.starts_with("- ");
        if !is_item || !in_list {
            markdown.push('\n');
        }
        if is_item {
            markdown.push_str(line);
        } else if line.split_whitespace().count() < 6 && !line.contains('.') {
            markdown.push_str("## ");
            markdown.push_str(line.trim_end_matches(':'));
        } else {
            markdown.push_str(line);
        }
        markdown.push('\n');
        in_list = is_item;
    }
    markdown
}

// ---------------------------------------------------------------- init

/// What `check` says of a catalogue fresh from `oyez init mylist`.
pub const PLACEHOLDERS: &str = "warning: mylist/oyez.toml:7:15: `base_url` is still the example `oyez init` wrote; \
         set it to where public/ will be served, such as https://you.github.io/list/\n\
         warning: mylist/entries/resources.toml:14:9: entry \"The oyez catalogue format\" is the \
         example `oyez init` wrote; replace it with your first resource, or delete it\n";

#[test]
fn init_writes_a_catalogue_that_checks_and_publishes() {
    let case = Case::empty();
    let run = case.run(&["init", "mylist", "--date", "2024-05-01"]).ok();
    assert!(
        run.stdout.contains("created mylist/oyez.toml\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("next steps:"), "{}", run.stdout);
    let check = case.run(&["check", "mylist"]).ok();
    // Issue 24: the placeholders are warned about until replaced.
    assert_eq!(
        check.stdout,
        "ok: 1 entry in 1 category, 1 update, 2 warnings\n"
    );
    assert_eq!(check.stderr, PLACEHOLDERS);
    case.run(&["publish", "mylist"]).ok();
    let list = case.read("mylist/public/README.md");
    assert!(
        list.contains(
            "- [The oyez catalogue format](https://example.org/oyez/format) - An example entry"
        ),
        "{list}"
    );
    assert!(
        list.contains("- 2024-05-01 Started the catalogue thanks to @jane\n"),
        "{list}"
    );
}

#[test]
fn init_refuses_to_overwrite_anything() {
    let case = Case::empty().file("oyez.toml", "# mine\n");
    let run = case.run(&["init"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: refusing to overwrite ./oyez.toml; run `oyez init` in a new folder, or move these files away\n"
    );
    assert_eq!(case.read("oyez.toml"), "# mine\n");
    assert!(!case.path().join("entries").exists());
}

#[test]
fn init_templates_writes_the_builtins_for_editing() {
    let case = Case::empty();
    case.run(&["init", "--templates", "--date", "2024-05-01"])
        .ok();
    for name in ["index.html", "update.html", "list.md"] {
        let builtin = fs::read_to_string(repo_root().join("templates").join(name)).unwrap();
        assert_eq!(case.read(&format!("templates/{name}")), builtin, "{name}");
    }
    case.run(&["publish"]).ok();
}

// ---------------------------------------------------------------- add

const TALKS: &str = "# Talks I liked   (hand-written, odd spacing kept)\ncategory   =   'talks'\n\n[[entry]]\ntitle='First talk'   # trailing comment\nurl = \"https://example.org/first\"\nadded = 2024-01-02\n\n# a comment at the end, no final newline";

#[test]
fn add_appends_an_entry_and_keeps_every_byte_of_the_file() {
    let case = Case::new().file("entries/talks.toml", TALKS);
    let run = case
        .run(&[
            "add",
            "--title",
            "Second talk",
            "--url",
            "https://example.org/second",
            "--category",
            "talks",
            "--by",
            "@alice",
            "--author",
            "Bob Speaker",
            "--tag",
            "ops",
            "--summary",
            "A *good* one",
            "--date",
            "2024-03-01",
        ])
        .ok();
    assert_eq!(
        run.stdout,
        "added entry `second-talk` to entries/talks.toml\n"
    );
    let expected = format!(
        "{TALKS}\n\n[[entry]]\nid = \"second-talk\"\ntitle = \"Second talk\"\nurl = \"https://example.org/second\"\n\
         added = 2024-03-01\nby = [\"@alice\"]\nauthors = [\"Bob Speaker\"]\ntags = [\"ops\"]\nsummary = \"A *good* one\"\n"
    );
    assert_eq!(case.read("entries/talks.toml"), expected);
    assert_eq!(
        case.run(&["check"]).ok().stdout,
        "ok: 2 entries in 2 categories, 0 updates\n"
    );
}

#[test]
fn add_makes_the_category_file_and_unique_ids() {
    let case = Case::new();
    for url in ["https://example.org/b1", "https://example.org/b2"] {
        case.run(&[
            "add",
            "--title",
            "A Book",
            "--url",
            url,
            "--category",
            "books",
            "--date",
            "2024-03-01",
        ])
        .ok();
    }
    let text = case.read("entries/books.toml");
    assert!(
        text.starts_with("category = \"books\"\n\n[[entry]]\nid = \"a-book\"\n"),
        "{text}"
    );
    assert!(text.contains("\n[[entry]]\nid = \"a-book-2\"\n"), "{text}");
}

#[test]
fn add_refuses_a_duplicate_url_with_the_same_error_as_check() {
    let case = Case::new().file("entries/talks.toml", TALKS);
    let args = [
        "add",
        "--title",
        "Again",
        "--url",
        "https://example.org/first",
        "--category",
        "talks",
        "--date",
        "2024-03-01",
    ];
    let run = case.run(&args);
    assert_eq!(run.code, 1);
    assert_eq!(case.read("entries/talks.toml"), TALKS, "nothing is written");
    // The same file written by hand: `oyez check` says the same thing.
    let by_hand = format!(
        "{TALKS}\n\n[[entry]]\nid = \"again\"\ntitle = \"Again\"\nurl = \"https://example.org/first\"\nadded = 2024-03-01\n"
    );
    let check = Case::new()
        .file("entries/talks.toml", by_hand)
        .run(&["check"]);
    assert_eq!(check.code, 1);
    assert_eq!(run.stderr, check.stderr);
    assert!(
        run.stderr.contains("entries/talks.toml:13:9: the URL https://example.org/first is already listed at entries/talks.toml:5:7; list each resource once"),
        "{}",
        run.stderr
    );
}

#[test]
fn add_refuses_a_duplicate_id() {
    let case = Case::new().file(
        "entries/talks.toml",
        "category = \"talks\"\n\n[[entry]]\nid = \"x\"\ntitle = \"X\"\nadded = 2024-01-01\n",
    );
    let run = case.run(&[
        "add",
        "--title",
        "Y",
        "--id",
        "x",
        "--category",
        "talks",
        "--date",
        "2024-03-01",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("duplicate id `x`, first used at entries/talks.toml:5:9"),
        "{}",
        run.stderr
    );
}

#[test]
fn add_names_the_known_categories_when_the_slug_is_unknown() {
    let run = Case::new().run(&[
        "add",
        "--title",
        "Y",
        "--category",
        "talk",
        "--date",
        "2024-03-01",
    ]);
    assert_eq!(
        run.stderr,
        "error: unknown category `talk`; known: talks, books; pick a known one, or create it with --new-category \"Title\" instead of --category\n"
    );
}

// Issue 11: a new `--by` handle is registered in `[contributors]` rather
// than warned about.
#[test]
fn add_registers_an_unknown_handle_as_a_contributor() {
    let case = Case::new();
    let run = case
        .run(&[
            "add",
            "--title",
            "T",
            "--url",
            "https://example.org/t",
            "--category",
            "talks",
            "--by",
            "carol",
            "--date",
            "2024-03-01",
        ])
        .ok();
    assert_eq!(run.stderr, "");
    assert!(
        case.read("oyez.toml")
            .ends_with("\n\n[contributors.carol]\nname = \"@carol\"\n")
    );
}

#[test]
fn add_update_appends_to_the_update_log() {
    let case = Case::new().file(
        "entries/log.toml",
        "# log\n[[update]]\ndate = 2024-01-01\nnote = \"Start\"\n",
    );
    let run = case
        .run(&[
            "add",
            "--update",
            "--note",
            "Added talks thanks to @alice",
            "--by",
            "alice",
            "--date",
            "2024-02-01",
        ])
        .ok();
    assert_eq!(
        run.stdout,
        "added update of 2024-02-01 to entries/log.toml\n"
    );
    assert_eq!(
        case.read("entries/log.toml"),
        "# log\n[[update]]\ndate = 2024-01-01\nnote = \"Start\"\n\n[[update]]\ndate = 2024-02-01\nnote = \"Added talks thanks to @alice\"\nby = [\"@alice\"]\n"
    );
}

// ---------------------------------------------------------------- import

#[test]
fn seed_post_imports_with_its_sections_and_update_log() {
    let case = Case::empty().file("seed.md", seed_markdown());
    let run = case
        .run(&[
            "import",
            "markdown",
            "seed.md",
            "--into",
            "list",
            "--date",
            "2020-08-17",
        ])
        .ok();
    assert!(
        run.stdout
            .starts_with("imported seed.md: 34 entries, 3 updates, 3 categories\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("nothing new under \"Projects\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("nothing new under \"Books\""),
        "{}",
        run.stdout
    );
    let dir = case.path().join("list");
    assert_eq!(
        categories(&dir),
        [
            (
                "interesting-presentations".into(),
                "Interesting presentations".into()
            ),
            (
                "articles-and-blog-posts".into(),
                "Articles and blog posts".into()
            ),
            ("other-resources".into(), "Other resources".into()),
        ]
    );
    let entries = entries(&dir);
    assert_eq!(entries.len(), 34);
    assert_eq!(
        field(
            &entries,
            "how-stripe-invests-in-technical-infrastructure",
            "category"
        ),
        Some("interesting-presentations")
    );
    assert_eq!(
        field(&entries, "production-excellence", "title"),
        Some("Production excellence")
    );
    assert_eq!(
        field(&entries, "production-excellence-2", "category"),
        Some("articles-and-blog-posts")
    );
    assert_eq!(
        field(&entries, "github-com-teamtopologies", "url"),
        Some("https://github.com/teamtopologies")
    );
    assert_eq!(
        field(&entries, "github-com-teamtopologies", "summary"),
        Some("(Team-API-template, Thin Platform template, Team Dependencies Tracking, ...)")
    );
    assert_eq!(added(&entries, "personas"), "2020-08-17");
    assert_eq!(
        updates(&dir),
        [
            (
                "2020-08-17".into(),
                "Initial updates thanks to @manupaisable".into(),
                vec!["@manupaisable".into()]
            ),
            (
                "2020-12-11".into(),
                "Added few resources thanks to @connonm and @jpgcc_".into(),
                vec!["@connonm".into(), "@jpgcc_".into()]
            ),
            (
                "2021-02-07".into(),
                "Added few resources thanks to @matthewpskelton and further research".into(),
                vec!["@matthewpskelton".into()]
            ),
        ]
    );
    assert_eq!(
        case.run(&["check", "list"]).ok().stdout,
        "ok: 34 entries in 3 categories, 3 updates, 4 warnings\n"
    );
}

#[test]
fn awesome_list_skips_badges_contents_and_license_and_says_where() {
    let case = Case::empty().file("README.md", fixture("awesome.md"));
    let run = case
        .run(&[
            "import",
            "markdown",
            "README.md",
            "--into",
            "aw",
            "--date",
            "2024-01-15",
        ])
        .ok();
    assert!(
        run.stdout
            // "Tools" and "Reading" hold only sub-headings: kept as their parents (issue 22).
            .starts_with("imported README.md: 10 entries, 0 updates, 6 categories\n  tools: \"Tools\", 0 entries (new category)\n"),
        "{}",
        run.stdout
    );
    for line in [
        "  README.md:1: https://awesome.re: a badge\n",
        "  README.md:3: https://example.org/ci: a badge\n",
        "  README.md:9: #tools: in a table of contents section\n",
        // Listed again under another heading: on purpose (issue 22).
        "guessed: line 30: the link of line 21 again, under another heading: listed there too (`also`)\n",
        "  README.md:43: docs/notes.md: not an absolute http(s) link\n",
        "  README.md:47: CONTRIBUTING.md: in a license or contributing section\n",
        "  README.md:49: https://example.org/conduct: in a license or contributing section\n",
        "  README.md:53: https://creativecommons.org/publicdomain/zero/1.0/: a badge\n",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
    let dir = case.path().join("aw");
    assert_eq!(
        categories(&dir),
        [
            ("tools".into(), "Tools".into()),
            ("portals".into(), "Portals".into()),
            ("infrastructure".into(), "Infrastructure".into()),
            ("other".into(), "Other".into()),
            ("reading".into(), "Reading".into()),
            ("reading-other".into(), "Other".into()),
        ]
    );
    let config = fs::read_to_string(dir.join("oyez.toml")).unwrap();
    assert!(
        config.contains("title       = \"Awesome Platform Engineering\"\n"),
        "{config}"
    );
    assert!(config.contains("description = \"A curated list of resources on platform engineering and internal developer platforms.\"\n"), "{config}");
    assert!(
        config.contains("description = \"Developer portals and service catalogues.\"\n"),
        "{config}"
    );
    let entries = entries(&dir);
    assert_eq!(
        entries["backstage"]["also"].as_array().unwrap()[0].as_str(),
        Some("infrastructure")
    );
    assert_eq!(
        field(&entries, "backstage", "summary"),
        Some("An open platform for building developer portals.")
    );
    assert_eq!(
        field(&entries, "port", "summary"),
        Some("A developer portal with a software catalogue.")
    );
    assert_eq!(
        field(&entries, "cortex", "summary"),
        Some("Service catalogue and scorecards.")
    );
    assert_eq!(
        field(&entries, "opslevel", "summary"),
        Some("Service ownership, see also [the docs](https://docs.opslevel.com).")
    );
    assert_eq!(
        field(&entries, "crossplane", "summary"),
        Some("Build control planes with `kubectl`.")
    );
    assert_eq!(
        field(&entries, "platform-engineering-on-wikipedia", "url"),
        Some("https://en.wikipedia.org/wiki/Platform_engineering_(software)")
    );
    assert!(!entries.contains_key("local-notes"));
    case.run(&["check", "aw"]).ok();
}

#[test]
fn blog_list_dates_entries_from_its_update_log_and_credits_handles() {
    let case = Case::empty().file("post.md", fixture("blog.md"));
    let run = case
        .run(&[
            "import",
            "markdown",
            "post.md",
            "--into",
            "blog",
            "--date",
            "2024-01-15",
        ])
        .ok();
    assert!(
        run.stdout
            .starts_with("imported post.md: 6 entries, 3 updates, 2 categories\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  post.md:26: Some undated remark about the list: an update-log item that does not start with a date (such as 2021-02-07)\n"),
        "{}",
        run.stdout
    );
    let dir = case.path().join("blog");
    let entries = entries(&dir);
    // Linked from the 2021-02-07 line.
    assert_eq!(added(&entries, "mobile-platform-teams"), "2021-02-07");
    // Named by title in the 2020-12-11 line.
    assert_eq!(
        added(&entries, "minimum-viable-product-for-platforms"),
        "2020-12-11"
    );
    // Linked from an item nested under the 2020-12-11 line.
    assert_eq!(
        added(&entries, "product-for-internal-platforms"),
        "2020-12-11"
    );
    // Not named by the log: --date.
    assert_eq!(
        added(&entries, "the-engineering-manager-s-dilemma"),
        "2024-01-15"
    );
    assert_eq!(
        entries["minimum-viable-product-for-platforms"]["by"]
            .as_array()
            .unwrap()[0]
            .as_str(),
        Some("@jpgcc_")
    );
    assert_eq!(
        field(&entries, "product-for-internal-platforms", "summary"),
        Some("what a product mindset means for a platform.")
    );
    assert_eq!(
        field(&entries, "mobile-platform-teams", "summary"),
        Some("how mobile teams share a platform.")
    );
    assert_eq!(
        field(&entries, "the-engineering-manager-s-dilemma", "summary"),
        None
    );
    let updates = updates(&dir);
    assert_eq!(updates.len(), 3);
    assert_eq!(
        updates[1].1,
        "Added Minimum Viable Product for Platforms thanks to @connonm and @jpgcc_"
    );
    assert_eq!(updates[1].2, ["@connonm", "@jpgcc_"]);
    assert_eq!(updates[2].2, ["@matthewpskelton"]);
}

#[test]
fn nested_items_items_without_links_and_several_links() {
    let case = Case::empty().file("nested.md", fixture("nested.md"));
    let run = case
        .run(&[
            "import",
            "markdown",
            "nested.md",
            "--into",
            "n",
            "--date",
            "2024-01-15",
        ])
        .ok();
    assert!(
        run.stdout
            .starts_with("imported nested.md: 14 entries, 0 updates, 2 categories\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  nested.md:30: https://example.org/table: a link in a table\n"),
        "{}",
        run.stdout
    );
    let entries = entries(&case.path().join("n"));
    // A link-less item with nested items groups them: a tag, not an entry.
    assert!(!entries.contains_key("production-excellence"));
    assert_eq!(
        entries["part-1-slos"]["tags"].as_array().unwrap()[0].as_str(),
        Some("Production excellence")
    );
    assert_eq!(field(&entries, "observability-basics", "url"), None);
    assert_eq!(
        field(
            &entries,
            "reading-group-notes-no-link-yet-to-be-written",
            "title"
        ),
        Some("Reading group notes, no link yet — to be written")
    );
    assert_eq!(
        field(&entries, "honeycomb-blog", "summary"),
        Some(
            "See also [the guide](https://example.org/guide) and [the talk](https://example.org/talk)."
        )
    );
    assert_eq!(
        field(&entries, "chapter-3-of-the-sre-book", "summary"),
        Some("Monitoring distributed systems.")
    );
    assert_eq!(
        field(&entries, "personas", "summary"),
        Some("Who uses the platform, and how.")
    );
    assert_eq!(field(&entries, "foo-beta", "title"), Some("Foo [beta]"));
    assert_eq!(
        field(&entries, "foo-beta", "summary"),
        Some("A title with *brackets* and snake_case_name.")
    );
    assert_eq!(
        field(&entries, "reference-link", "url"),
        Some("https://example.org/reference")
    );
    assert_eq!(
        field(&entries, "example-org-autolink", "url"),
        Some("https://example.org/autolink")
    );
    assert_eq!(
        field(&entries, "a-task-list-tool", "summary"),
        Some("Not yet reviewed.")
    );
    assert_eq!(
        entries["reviewed-tool"]["by"].as_array().unwrap()[0].as_str(),
        Some("@alice")
    );
}

#[test]
fn importing_twice_adds_nothing_twice() {
    let case = Case::empty().file("post.md", fixture("blog.md"));
    let args = [
        "import",
        "markdown",
        "post.md",
        "--into",
        "blog",
        "--date",
        "2024-01-15",
    ];
    case.run(&args).ok();
    let before = case.tree("blog");
    let run = case.run(&args).ok();
    assert!(
        run.stdout
            .starts_with("imported post.md: 0 entries, 0 updates, 0 categories\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("nothing new: the catalogue already has everything in this list\n"),
        "{}",
        run.stdout
    );
    assert_eq!(case.tree("blog"), before);
}

#[test]
fn the_example_list_imports_back_into_the_example_as_nothing_new() {
    let case = Case::example();
    case.run(&["publish"]).ok();
    let before = case.tree("entries");
    let run = case
        .run(&[
            "import",
            "markdown",
            "public/README.md",
            "--date",
            "2030-01-01",
        ])
        .ok();
    assert!(
        run.stdout
            .starts_with("imported public/README.md: 0 entries, 0 updates, 0 categories\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("nothing new: the catalogue already has everything in this list\n"),
        "{}",
        run.stdout
    );
    assert_eq!(case.tree("entries"), before);
}

#[test]
fn importing_into_an_existing_catalogue_adds_categories_and_entries() {
    let case = Case::new()
        .file("entries/talks.toml", TALKS)
        .file("list.md", "## Talks\n\n- [First talk](https://example.org/first) - Already here.\n- [New talk](https://example.org/new)\n\n## Podcasts\n\n- [A podcast](https://example.org/pod)\n");
    let run = case
        .run(&["import", "markdown", "list.md", "--date", "2024-06-01"])
        .ok();
    assert!(
        run.stdout
            .contains("  list.md:3: https://example.org/first: already in the catalogue\n"),
        "{}",
        run.stdout
    );
    assert!(case.read("entries/talks.toml").starts_with(TALKS));
    assert!(case.read("oyez.toml").starts_with(crate::case::CONFIG));
    assert!(
        case.read("oyez.toml")
            .ends_with("\n[[category]]\nslug = \"podcasts\"\ntitle = \"Podcasts\"\n")
    );
    assert_eq!(
        case.run(&["check"]).ok().stdout,
        "ok: 3 entries in 3 categories, 0 updates\n"
    );
}

/// Import → publish → import the published README.md into a new folder:
/// the same categories, entries (ids, titles, links, summaries, dates,
/// credits) and updates. Tags are the one thing a Markdown list does not carry.
fn round_trip(markdown: &str) {
    let case = Case::empty().file("list.md", markdown);
    case.run(&[
        "import",
        "markdown",
        "list.md",
        "--into",
        "one",
        "--date",
        "2024-01-15",
    ])
    .ok();
    case.run(&["publish", "one"]).ok();
    case.run(&[
        "import",
        "markdown",
        "one/public/README.md",
        "--into",
        "two",
        "--date",
        "2024-01-15",
    ])
    .ok();
    let (one, two) = (case.path().join("one"), case.path().join("two"));
    assert_eq!(categories(&one), categories(&two));
    let strip = |mut entries: BTreeMap<String, toml::Table>| {
        for entry in entries.values_mut() {
            entry.remove("tags");
        }
        entries
    };
    assert_eq!(strip(entries(&one)), strip(entries(&two)));
    if one.join("entries/updates.toml").exists() {
        assert_eq!(updates(&one), updates(&two));
    }
    // And back into the first catalogue: nothing new.
    let again = case
        .run(&[
            "import",
            "markdown",
            "one/public/README.md",
            "--into",
            "one",
            "--date",
            "2024-01-15",
        ])
        .ok();
    assert!(again.stdout.contains("nothing new"), "{}", again.stdout);
}

#[test]
fn round_trip_seed_post() {
    round_trip(&seed_markdown());
}

#[test]
fn round_trip_awesome_list() {
    round_trip(&fixture("awesome.md"));
}

#[test]
fn round_trip_blog_list() {
    round_trip(&fixture("blog.md"));
}

#[test]
fn round_trip_nested_list() {
    round_trip(&fixture("nested.md"));
}

// ---------------------------------------------------------------- git

fn git(dir: &Path, args: &[&str], date: &str) {
    let dates = [("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)];
    crate::support::git(dir, args, &dates);
}

fn commit(dir: &Path, text: &str, author: &str, date: &str) {
    fs::write(dir.join("README.md"), text).unwrap();
    git(dir, &["add", "README.md"], date);
    git(
        dir,
        &[
            "-c",
            &format!("user.name={author}"),
            "commit",
            "-q",
            "-m",
            "list",
        ],
        date,
    );
}

#[test]
fn dates_and_authors_come_from_git_history() {
    let case = Case::empty();
    let repo = case.path().join("repo");
    fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"], "2020-01-01T10:00:00+00:00");
    git(
        &repo,
        &["config", "user.name", "Ann Author"],
        "2020-01-01T10:00:00+00:00",
    );
    git(
        &repo,
        &["config", "user.email", "ann@example.org"],
        "2020-01-01T10:00:00+00:00",
    );
    let v1 = "# Tools\n\n## Build\n\n- [Make](https://example.org/make) - Old.\n";
    commit(&repo, v1, "Ann Author", "2020-01-01T10:00:00+00:00");
    let v2 = format!(
        "{v1}- [Ninja](https://example.org/ninja) - Fast. Thanks @carol\n- [Bazel](https://example.org/bazel)\n"
    );
    commit(&repo, &v2, "Bob Builder", "2021-06-15T09:30:00+02:00");
    // Editing Make's line later does not change when it was added.
    let v3 = v2.replace("- Old.", "- Classic.");
    commit(&repo, &v3, "Dee Editor", "2022-03-03T12:00:00+00:00");
    let run = case
        .run(
            &[
                &crate::authoring_lists::FROM_GIT[..],
                &["--date", "2030-01-01"],
            ]
            .concat(),
        )
        .ok();
    assert!(
        run.stdout
            .contains("dates: 0 entries dated by the update log, 3 by git history\n"),
        "{}",
        run.stdout
    );
    // Issue 11: no handle is made up from a name; the names stay names.
    assert!(
        run.stdout.contains("credits from git: 2 entries, 0 handles, 2 names without a known handle\n  kept as names (map them with `aliases` under [contributors.<handle>] in oyez.toml): Ann Author (1), Bob Builder (1)\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("contributors added"), "{}", run.stdout);
    let dir = case.path().join("cat");
    let entries = entries(&dir);
    assert_eq!(added(&entries, "make"), "2020-01-01");
    assert_eq!(added(&entries, "ninja"), "2021-06-15");
    assert_eq!(added(&entries, "bazel"), "2021-06-15");
    assert_eq!(field(&entries, "make", "summary"), Some("Classic."));
    let by = |id: &str| entries[id].get("by").map(|by| by.to_string());
    assert_eq!(by("make"), None);
    assert_eq!(
        by("ninja").as_deref(),
        Some("[\"@carol\"]"),
        "a handle in the item wins over the commit author"
    );
    assert_eq!(by("bazel"), None);
    let build = fs::read_to_string(dir.join("entries/build.toml")).unwrap();
    assert!(
        build.contains("# added in git by Bob Builder\n[[entry]]\nid = \"bazel\"\n"),
        "{build}"
    );
    let config = fs::read_to_string(dir.join("oyez.toml")).unwrap();
    assert!(!config.contains("[contributors."), "{config}");
    case.run(&["check", "cat"]).ok();
}

#[test]
fn dates_from_git_outside_a_repository_is_an_error() {
    let case = Case::empty().file("list.md", "- [A](https://example.org/a)\n");
    let run = case.run_with(
        &[
            "import",
            "markdown",
            "list.md",
            "--into",
            "c",
            "--dates-from-git",
        ],
        &[(
            "GIT_CEILING_DIRECTORIES",
            case.path().parent().unwrap().to_str().unwrap(),
        )],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: git cannot read the history of list.md: "),
        "{}",
        run.stderr
    );
    assert!(!case.path().join("c").exists());
}

// ---------------------------------------------------------------- the list

#[test]
fn publish_writes_the_list_in_file_order_with_the_update_log() {
    let case = Case::example();
    case.run(&["publish"]).ok();
    let list = case.read("public/README.md");
    assert!(
        // The example is an awesome list (issue 22): the badge follows the title.
        list.starts_with("# Platform as a Product [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\nResources on product management"),
        "{list}"
    );
    assert!(list.contains("\n## Contents\n\n- [Interesting presentations](#interesting-presentations)\n- [Articles and blog posts](#articles-and-blog-posts)\n- [Other resources](#other-resources)\n- [Updates](#updates)\n- [Contributors](#contributors)\n"), "{list}");
    assert!(list.contains("\n## Interesting presentations\n\nTalks, videos and slides\n\n- [How Stripe Invests in Technical Infrastructure](https://www.usenix.org/conference/srecon19emea/presentation/larson) - SREcon19 EMEA (USENIX), 2019.\n- [Platforms at Twilio"), "{list}");
    assert!(list.contains("\n## Updates\n\n- 2021-02-07 Added few resources thanks to @matthewpskelton and further research\n"), "{list}");
    assert!(
        list.contains("[Matthew Skelton](https://twitter.com/matthewpskelton) (@matthewpskelton)"),
        "{list}"
    );
}

#[test]
fn the_list_escapes_titles_and_links() {
    let case = Case::new().file(
        "entries/talks.toml",
        "category = \"talks\"\n[[entry]]\nid = \"x\"\ntitle = \"Arrays [1] and *stars*\"\nurl = \"https://example.org/a_(b)c)\"\nadded = 2024-01-01\n",
    );
    case.run(&["publish"]).ok();
    let list = case.read("public/README.md");
    assert!(
        list.contains("- [Arrays \\[1\\] and \\*stars\\*](<https://example.org/a_(b)c)>)\n"),
        "{list}"
    );
    case.run(&[
        "import",
        "markdown",
        "public/README.md",
        "--into",
        "back",
        "--date",
        "2024-01-01",
    ])
    .ok();
    let entries = entries(&case.path().join("back"));
    assert_eq!(
        field(&entries, "arrays-1-and-stars", "title"),
        Some("Arrays [1] and *stars*")
    );
    assert_eq!(
        field(&entries, "arrays-1-and-stars", "url"),
        Some("https://example.org/a_(b)c)")
    );
}

#[test]
fn credits_and_contributors_survive_the_list() {
    let case = Case::new();
    case.run(&[
        "add",
        "--title",
        "A talk",
        "--url",
        "https://example.org/t",
        "--category",
        "talks",
        "--by",
        "@alice",
        "--by",
        "@bob",
        "--summary",
        "Good.",
        "--date",
        "2024-03-01",
    ])
    .ok();
    case.run(&["publish"]).ok();
    let list = case.read("public/README.md");
    assert!(
        list.contains("- [A talk](https://example.org/t) - Good. (thanks @alice, @bob)\n"),
        "{list}"
    );
    assert!(
        list.contains("Thanks to [Alice Example](https://example.org/alice) (@alice), @bob.\n"),
        "{list}"
    );
    let run = case
        .run(&[
            "import",
            "markdown",
            "public/README.md",
            "--into",
            "back",
            "--date",
            "2024-03-01",
        ])
        .ok();
    assert!(
        run.stdout.contains("contributors added: alice\n"),
        "{}",
        run.stdout
    );
    let entries = entries(&case.path().join("back"));
    assert_eq!(field(&entries, "a-talk", "summary"), Some("Good."));
    let by: Vec<&str> = entries["a-talk"]["by"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h.as_str())
        .collect();
    assert_eq!(by, ["@alice", "@bob"]);
    let config = case.read("back/oyez.toml");
    assert!(
        config.contains(
            "[contributors.alice]\nname = \"Alice Example\"\nuri = \"https://example.org/alice\"\n"
        ),
        "{config}"
    );
}
