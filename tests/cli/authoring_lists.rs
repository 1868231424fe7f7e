//! Issue 11: real lists imported right. Fixtures in the shapes of
//! awesome-go, awesome-rust, awesome-nodejs and a research list with a
//! dated news section (written for these tests), and a real git history
//! with merges, noreply authors and `Co-authored-by` trailers.

use std::fs;
use std::path::Path;

use crate::authoring::{added, entries, field, fixture, updates};
use crate::case::Case;

fn import(case: &Case, file: &str, into: &str) -> String {
    let args = [
        "import",
        "markdown",
        file,
        "--into",
        into,
        "--date",
        "2024-01-15",
    ];
    let run = case.run(&args).ok();
    case.run(&["check", into]).ok();
    run.stdout
}

fn by(entries: &std::collections::BTreeMap<String, toml::Table>, id: &str) -> Vec<String> {
    let by = entries[id].get("by").and_then(|b| b.as_array());
    by.into_iter()
        .flatten()
        .map(|h| h.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn research_list_news_lines_are_updates_never_entries() {
    let case = Case::empty().file("papers.md", fixture("research-shape.md"));
    let stdout = import(&case, "papers.md", "p");
    assert!(
        // "Papers" holds only sub-headings: kept as their parent (issue 22).
        stdout.starts_with("imported papers.md: 4 entries, 10 updates, 3 categories\n"),
        "{stdout}"
    );
    let dir = case.path().join("p");
    let entries = entries(&dir);
    // Not one "Paper" entry from the news lines; the real entries are kept.
    let ids: Vec<&str> = entries.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "agents-that-learn-tools",
            "planning-with-world-models",
            "react-synergizing-reasoning-and-acting-in-language-models",
            "toolformer"
        ]
    );
    // Dated by the earliest news line that links them.
    assert_eq!(added(&entries, "planning-with-world-models"), "2026-05-20");
    assert_eq!(
        added(
            &entries,
            "react-synergizing-reasoning-and-acting-in-language-models"
        ),
        "2022-11-07"
    );
    assert_eq!(added(&entries, "toolformer"), "2024-01-15");
    let updates = updates(&dir);
    let dated: Vec<(&str, &str, Vec<&str>)> = updates
        .iter()
        .map(|(d, n, b)| {
            (
                d.as_str(),
                n.as_str(),
                b.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        dated,
        [
            ("2021-01-15", "Started the tools section.", vec![]),
            (
                "2021-02-07",
                "Added the reasoning section, thanks to @dana.",
                vec!["@dana"]
            ),
            (
                "2022-11-07",
                "First paper added: [ReAct](https://arxiv.org/abs/2210.03629).",
                vec![]
            ),
            ("2022-11-07", "The list started.", vec![]),
            ("2023-10-01", "Moved to a new layout.", vec![]),
            (
                "2023-11-07",
                "Added 30 papers on tool use by @bob and @carol_c.",
                vec!["@bob", "@carol_c"]
            ),
            (
                "2026-04-30",
                "[Paper](https://arxiv.org/abs/2604.00003) Agents that learn tools.",
                vec![]
            ),
            (
                "2026-05-13",
                "[Paper](https://arxiv.org/abs/2210.03629) ReAct, again this week.",
                vec![]
            ),
            (
                "2026-05-20",
                "[Paper](https://arxiv.org/abs/2605.00002) Planning with world models.",
                vec![]
            ),
            (
                "2026-05-27",
                "We released a survey of agent memory, see [Paper](https://arxiv.org/abs/2605.00001). Thanks @alice!",
                vec!["@alice"]
            ),
        ]
    );
    assert!(
        stdout.contains("guessed: title \"Awesome Agent Papers\" from the alt text of the image in the HTML heading (line 1)\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("nothing new under \"Week Papers\""),
        "{stdout}"
    );
}

#[test]
fn an_html_header_gives_the_title_and_the_quote_the_description() {
    let case = Case::empty().file("README.md", fixture("nodejs-shape.md"));
    let stdout = import(&case, "README.md", "n");
    let config = case.read("n/oyez.toml");
    assert!(
        config.contains("title       = \"Awesome Node Things\"\n"),
        "{config}"
    );
    assert!(
        config.contains("description = \"Delightful Node.js packages and resources\"\n"),
        "{config}"
    );
    assert!(
        stdout.contains(
            "guessed: title \"Awesome Node Things\" from the alt text of the image in the HTML heading (line 1)\n\
             guessed: description from the quoted paragraph on line 9\n"
        ),
        "{stdout}"
    );
}

#[test]
fn a_readme_without_any_title_is_named_after_its_folder() {
    let case = Case::empty().file(
        "awesome-things/README.md",
        "## Tools\n\n- [A](https://a.example)\n",
    );
    let stdout = import(&case, "awesome-things/README.md", "t");
    assert!(
        case.read("t/oyez.toml")
            .contains("title       = \"awesome-things\"\n")
    );
    assert!(
        stdout.contains("guessed: title \"awesome-things\": the list has no title heading\n"),
        "{stdout}"
    );
}

#[test]
fn handles_are_credited_only_in_the_documented_forms() {
    let case = Case::empty()
        .file("node.md", fixture("nodejs-shape.md"))
        .file("rust.md", fixture("rust-shape.md"));
    import(&case, "node.md", "n");
    import(&case, "rust.md", "r");
    let node = entries(&case.path().join("n"));
    let rust = entries(&case.path().join("r"));
    // A package name, a Twitter account in prose, a path, link text, an address: nobody.
    for (entries, id) in [
        (&node, "lightningcss"),
        (&node, "atdatabases"),
        (&node, "is"),
        (&rust, "spotify-player"),
        (&rust, "rust-analyzer"),
    ] {
        assert_eq!(by(entries, id), Vec::<String>::new(), "{id}");
    }
    assert_eq!(
        field(&node, "atdatabases", "summary"),
        Some("Query builders @databases/pg and @databases/mysql.")
    );
    // `(thanks @x)` and `by @x`.
    assert_eq!(by(&node, "np"), ["@alice"]);
    assert_eq!(
        field(&node, "np", "summary"),
        Some("A better `npm publish`.")
    );
    assert_eq!(by(&rust, "cargo-hex"), ["@hexdev"]);
}

#[test]
fn badges_leave_no_empty_links_in_summaries() {
    let case = Case::empty().file("README.md", fixture("rust-shape.md"));
    let stdout = import(&case, "README.md", "r");
    let entries = entries(&case.path().join("r"));
    for entry in entries.values() {
        let summary = entry.get("summary").and_then(|s| s.as_str()).unwrap_or("");
        assert!(!summary.contains("[]("), "{summary}");
    }
    assert_eq!(
        field(&entries, "alacritty", "summary"),
        Some("A cross-platform, GPU enhanced terminal emulator")
    );
    // The badge is the entry's own (issue 22), at the end of its line.
    assert!(
        !stdout.contains("https://github.com/alacritty/alacritty/actions: a badge"),
        "{stdout}"
    );
    assert_eq!(
        field(&entries, "alacritty", "badges"),
        Some(
            "[![build badge](https://github.com/alacritty/alacritty/actions/workflows/ci.yml/badge.svg)](https://github.com/alacritty/alacritty/actions)"
        )
    );
    case.run(&["publish", "r"]).ok();
    let page = case.read("r/public/index.html");
    assert!(!page.contains("\"></a>"), "an empty link in the page");
}

#[test]
fn a_chat_invitation_is_not_the_description() {
    let case = Case::empty().file("README.md", fixture("go-shape.md"));
    let stdout = import(&case, "README.md", "g");
    let config = case.read("g/oyez.toml");
    assert!(
        config.contains("description = \"A curated list of awesome Go frameworks, libraries and software. Inspired by awesome-python.\"\n"),
        "{config}"
    );
    assert!(
        stdout.contains(
            "guessed: line 7: a chat invitation or sponsor note, not taken as the description\n\
             guessed: line 9: a chat invitation or sponsor note, not taken as the description\n\
             guessed: description from the quoted paragraph on line 11\n"
        ),
        "{stdout}"
    );
    let entries = entries(&case.path().join("g"));
    assert_eq!(entries.len(), 7);
    assert_eq!(field(&entries, "cobra", "category"), Some("standard-cli"));
}

// ---------------------------------------------------------------- git

/// Runs git in `dir` as `author` (name, email) at `date`.
fn git(dir: &Path, args: &[&str], author: (&str, &str), date: &str) {
    let env = [
        ("GIT_AUTHOR_NAME", author.0),
        ("GIT_AUTHOR_EMAIL", author.1),
        ("GIT_COMMITTER_NAME", "Maintainer"),
        ("GIT_COMMITTER_EMAIL", "maint@example.org"),
        ("GIT_AUTHOR_DATE", date),
        ("GIT_COMMITTER_DATE", date),
    ];
    crate::support::git(dir, args, &env);
}

const MAINTAINER: (&str, &str) = ("Maintainer", "maint@example.org");

/// Imports the list of `repo/` into `cat/` with its git history.
pub(crate) const FROM_GIT: [&str; 6] = [
    "import",
    "markdown",
    "repo/README.md",
    "--into",
    "cat",
    "--dates-from-git",
];

/// Writes the list and commits it.
fn commit(dir: &Path, text: &str, author: (&str, &str), date: &str, message: &str) {
    fs::write(dir.join("README.md"), text).unwrap();
    git(dir, &["add", "README.md"], author, date);
    git(dir, &["commit", "-q", "-m", message], author, date);
}

fn merge(dir: &Path, branch: &str, message: &str, date: &str) {
    git(dir, &["checkout", "-q", "main"], MAINTAINER, date);
    git(
        dir,
        &["merge", "-q", "--no-ff", branch, "-m", message],
        MAINTAINER,
        date,
    );
}

/// A list's history as GitHub makes it: pull requests merged by the
/// maintainer, noreply authors, a co-author, a link that is a prefix of
/// another, and a line not committed yet.
fn list_repo(case: &Case) {
    let repo = case.path().join("repo");
    fs::create_dir(&repo).unwrap();
    git(
        &repo,
        &["init", "-q", "-b", "main"],
        MAINTAINER,
        "2020-01-01T10:00:00Z",
    );
    let v1 = "# Node things\n\n## Tools\n\n- [is-up](https://github.com/sindresorhus/is-up) - Check a site.\n- [make](https://example.org/make) - Build.\n";
    commit(&repo, v1, MAINTAINER, "2020-01-01T10:00:00Z", "Start");
    git(
        &repo,
        &["checkout", "-q", "-b", "add-is"],
        MAINTAINER,
        "2021-03-01T10:00:00Z",
    );
    let v2 = format!("{v1}- [is](https://github.com/sindresorhus/is) - Type checks.\n");
    let alex = ("Alex Fernández", "123+alexfh@users.noreply.github.com");
    commit(&repo, &v2, alex, "2021-03-01T10:00:00Z", "Add is");
    merge(
        &repo,
        "add-is",
        "Merge pull request #5 from alexfh/add-is",
        "2021-03-10T10:00:00Z",
    );
    git(
        &repo,
        &["checkout", "-q", "-b", "x"],
        MAINTAINER,
        "2021-04-20T10:00:00Z",
    );
    let v3 = format!("{v2}- [ninja](https://example.org/ninja) - Fast.\n");
    let pawel = ("Paweł Kosiec", "pawel@example.org");
    let message = "Add ninja\n\nCo-authored-by: Eve Example <eve@users.noreply.github.com>";
    commit(&repo, &v3, pawel, "2021-04-20T10:00:00Z", message);
    merge(
        &repo,
        "x",
        "Merge pull request #9 from pkosiec/x",
        "2021-05-01T10:00:00Z",
    );
    let v4 = format!("{v3}- [bazel](https://example.org/bazel) - Big.\n");
    commit(
        &repo,
        &v4,
        ("Sam Sorhus", "sam@example.org"),
        "2022-01-01T10:00:00Z",
        "Add bazel",
    );
    let v5 = format!("{v4}- [buck](https://example.org/buck) - Also big.\n");
    commit(
        &repo,
        &v5,
        ("Dana Dev", "dana@example.org"),
        "2022-02-02T10:00:00Z",
        "Add buck",
    );
    let v6 = format!("{v5}- [gaad](https://example.org/gaad) - Parser.\n");
    commit(
        &repo,
        &v6,
        ("Alex Fernández", "alex@example.org"),
        "2022-03-03T10:00:00Z",
        "Add gaad",
    );
    let uncommitted = format!("{v6}- [pants](https://example.org/pants) - Not committed yet.\n");
    fs::write(repo.join("README.md"), uncommitted).unwrap();
}

const ALIASES: &str = "[site]\ntitle = \"Node things\"\nbase_url = \"https://example.org/n/\"\n\n\
    [contributors.samsorhus]\nname = \"Sam Sorhus\"\naliases = [\"sam@example.org\"]\n\n\
    [[category]]\nslug = \"tools\"\ntitle = \"Tools\"\n";

#[test]
fn git_history_with_merges_noreply_and_co_authors_gives_true_dates_and_credits() {
    let case = Case::empty().file("cat/oyez.toml", ALIASES);
    list_repo(&case);
    let args = [&FROM_GIT[..], &["--date", "2030-01-01"]].concat();
    let stdout = case.run(&args).ok().stdout;
    let expected = "dates: 0 entries dated by the update log, 7 by git history\n\
        not dated by git (1), dated --date 2030-01-01:\n  \
        repo/README.md:12: pants: no commit adds a line with its link\n\
        credits from git: 7 entries, 5 handles, 3 names without a known handle\n  \
        from [contributors] aliases: 1\n  \
        from GitHub noreply addresses: 2\n  \
        from the same author's noreply address in another commit: 1\n  \
        from merged pull requests' authors: 1\n  \
        of these, Co-authored-by trailers: 1\n  \
        kept as names (map them with `aliases` under [contributors.<handle>] in oyez.toml): Dana Dev (1), Maintainer (2)\n\
        contributors added: alexfh, eve, pkosiec\n";
    assert!(stdout.contains(expected), "{stdout}");
    let dir = case.path().join("cat");
    let entries = entries(&dir);
    let dated: Vec<(String, String, Vec<String>)> = entries
        .keys()
        .map(|id| (id.clone(), added(&entries, id), by(&entries, id)))
        .collect();
    let row = |id: &str, date: &str, by: &[&str]| {
        (
            id.to_owned(),
            date.to_owned(),
            by.iter().map(|h| (*h).to_owned()).collect(),
        )
    };
    assert_eq!(
        dated,
        [
            row("bazel", "2022-01-01", &["@samsorhus"]),
            row("buck", "2022-02-02", &[]),
            row("gaad", "2022-03-03", &["@alexfh"]),
            // Merged on 2021-03-10, not dated by the line of `…/is-up`.
            row("is", "2021-03-10", &["@alexfh"]),
            row("is-up", "2020-01-01", &[]),
            row("make", "2020-01-01", &[]),
            row("ninja", "2021-05-01", &["@pkosiec", "@eve"]),
            row("pants", "2030-01-01", &[]),
        ]
    );
    let tools = case.read("cat/entries/tools.toml");
    assert!(
        tools.contains("# added in git by Dana Dev\n[[entry]]\nid = \"buck\"\n"),
        "{tools}"
    );
    let config = case.read("cat/oyez.toml");
    assert!(
        config.contains("[contributors.alexfh]\nname = \"Alex Fernández\"\nuri = \"https://github.com/alexfh\"\n"),
        "{config}"
    );
    assert!(!config.contains("[contributors.dana"), "{config}");
    case.run(&["check", "cat"]).ok();
}

#[test]
fn no_git_credits_dates_from_git_and_credits_nobody() {
    let case = Case::empty();
    list_repo(&case);
    let args = [
        "import",
        "markdown",
        "repo/README.md",
        "--into",
        "plain",
        "--dates-from-git",
        "--no-git-credits",
        "--date",
        "2030-01-01",
    ];
    let stdout = case.run(&args).ok().stdout;
    assert!(!stdout.contains("credits from git"), "{stdout}");
    assert!(!stdout.contains("contributors added"), "{stdout}");
    let dir = case.path().join("plain");
    let entries = entries(&dir);
    assert_eq!(added(&entries, "is"), "2021-03-10");
    assert!(entries.values().all(|e| e.get("by").is_none()));
    assert!(
        !case
            .read("plain/entries/tools.toml")
            .contains("# added in git")
    );
    assert!(!case.read("plain/oyez.toml").contains("[contributors"));
}

#[test]
fn an_alias_given_to_two_contributors_is_an_error_with_its_place() {
    let config =
        format!("{ALIASES}\n[contributors.sam]\nname = \"Sam\"\naliases = [\"SAM@example.org\"]\n");
    let case = Case::empty().file("oyez.toml", config);
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: oyez.toml:7:12: alias \"sam@example.org\" is given to both `sam` and `samsorhus`; keep it under the one contributor it names\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_list_without_an_update_log_publishes_and_links_no_updates_feed() {
    let case = Case::empty().file("README.md", fixture("go-shape.md"));
    import(&case, "README.md", "g");
    case.run(&["publish", "g"]).ok();
    assert!(case.path().join("g/public/atom.xml").exists());
    assert!(!case.path().join("g/public/updates").exists());
    for page in ["g/public/index.html", "g/public/README.md"] {
        let text = case.read(page);
        assert!(
            !text.contains("updates/"),
            "{page} links the updates feed:\n{text}"
        );
    }
    // With an update, the feed is there and linked.
    let case = Case::empty().file("papers.md", fixture("research-shape.md"));
    import(&case, "papers.md", "p");
    case.run(&["publish", "p"]).ok();
    assert!(case.path().join("p/public/updates/atom.xml").exists());
    assert!(
        case.read("p/public/index.html")
            .contains("updates/atom.xml")
    );
}

#[test]
// Issue 22 §3: a link that left the list and came back is dated by its
// first appearance and credited to who wrote the line that stands.
fn a_link_brought_back_credits_who_wrote_the_line_that_stands() {
    let case = Case::empty();
    let repo = case.path().join("repo");
    fs::create_dir(&repo).unwrap();
    let start = "2020-01-01T10:00:00Z";
    git(&repo, &["init", "-q", "-b", "main"], MAINTAINER, start);
    let head = "# Kites\n\n## Tools\n\n- [make](https://example.org/make) - Build.\n";
    commit(&repo, head, MAINTAINER, start, "Start");
    let with = format!("{head}- [Spars](https://example.org/spars) - Cuts spars.\n");
    let alice = ("Alice", "1+alice@users.noreply.github.com");
    commit(&repo, &with, alice, "2020-06-01T10:00:00Z", "Add spars");
    commit(
        &repo,
        head,
        MAINTAINER,
        "2021-01-01T10:00:00Z",
        "Remove dead links",
    );
    let back = format!("{head}- [Spars](https://example.org/spars) - Cuts spars again.\n");
    let bob = ("Bob", "2+bob@users.noreply.github.com");
    commit(&repo, &back, bob, "2023-03-03T10:00:00Z", "Spars is back");
    let stdout = case.run(&FROM_GIT).ok().stdout;
    assert!(
        stdout.contains("  links that left the list and came back, credited to who wrote the line that stands: 1\n"),
        "{stdout}"
    );
    let entries = entries(&case.path().join("cat"));
    let ids: Vec<&String> = entries.keys().collect();
    assert_eq!(ids, ["make", "spars"]);
    assert_eq!(by(&entries, "spars"), ["@bob"]);
    assert_eq!(entries["spars"]["added"].to_string(), "2020-06-01");
    // A link that never left keeps its first writer (the maintainer, no handle).
    assert_eq!(by(&entries, "make"), Vec::<String>::new());
}
