//! From `git push` to readers notified (issue 11, point 8): what `oyez
//! init` writes for a repository and for GitHub Actions. The workflow's
//! shell steps themselves run in `.ci/workflow-test`.

use std::fs;

use crate::case::{Case, repo_root};

#[test]
fn init_writes_a_gitignore_and_the_format_guide_its_config_mentions() {
    let case = Case::empty();
    let run = case.run(&["init", "--date", "2024-05-01"]).ok();
    assert!(
        run.stdout.contains("created ./.gitignore\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("created ./FORMAT.md\n"),
        "{}",
        run.stdout
    );
    let ignored: Vec<String> = case
        .read(".gitignore")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    assert_eq!(ignored, ["public/", "*.ledger.lock", "oyez-links.cache"]);
    let guide = fs::read_to_string(repo_root().join("docs/FORMAT.md")).unwrap();
    assert_eq!(case.read("FORMAT.md"), guide);
    assert!(case.read("oyez.toml").contains("described in FORMAT.md"));
    assert!(!case.path().join(".github").exists(), "no CI unless asked");
}

#[test]
fn init_ci_github_adds_only_the_workflow_to_an_existing_catalogue() {
    let case = Case::example();
    let before = case.read("oyez.toml");
    let run = case.run(&["init", "--ci", "github"]).ok();
    assert!(
        run.stdout
            .starts_with("created ./.github/workflows/oyez.yml\ncreated ./.github/ISSUE_TEMPLATE/suggest-a-resource.yml\n\nGitHub Actions"),
        "{}",
        run.stdout
    );
    let workflow = fs::read_to_string(repo_root().join("docs/github-actions.yml")).unwrap();
    assert_eq!(case.read(".github/workflows/oyez.yml"), workflow);
    assert_eq!(case.read("oyez.toml"), before);
    assert!(!case.path().join("FORMAT.md").exists());
    let again = case.run(&["init", "--ci", "github"]);
    assert_eq!(again.code, 1);
    assert_eq!(
        again.stderr,
        "error: refusing to overwrite ./.github/workflows/oyez.yml, \
         ./.github/ISSUE_TEMPLATE/suggest-a-resource.yml; run `oyez init` in a new folder, or \
         move these files away\n"
    );
}

#[test]
fn init_ci_github_in_a_new_folder_writes_the_catalogue_and_the_workflow() {
    let case = Case::empty();
    case.run(&["init", "new", "--ci", "github", "--date", "2024-05-01"])
        .ok();
    assert!(case.path().join("new/.github/workflows/oyez.yml").exists());
    case.run(&["check", "new"]).ok();
}

/// Runs `oyez ARGS` in `relative`, a folder inside the case.
fn run_in(case: &Case, relative: &str, args: &[&str]) -> crate::case::Run {
    let output = std::process::Command::new(crate::case::BIN)
        .args(args)
        .current_dir(case.path().join(relative))
        .env_remove("OYEZ_SMTP_URL")
        .output()
        .unwrap();
    crate::case::Run::from(output)
}

const BAD_CATEGORY: &str = "category = \"talks\"\n[[entry]]\ntitle = \"Odd\"\nurl = \"https://example.org/odd\"\nadded = 2024-01-01\ncategory = \"nope\"\n";

#[test]
fn commands_without_dir_find_the_catalogue_in_a_parent_and_show_paths_from_here() {
    let case = Case::new()
        .file("entries/talks.toml", BAD_CATEGORY)
        .file("entries/deep/notes.txt", "");
    let run = run_in(&case, "entries/deep", &["check"]);
    crate::support::expect(
        &run,
        1,
        "error: ../../entries/talks.toml:6:12: unknown category `nope`; known: talks, books; \
         add it to oyez.toml or fix the entry\n\
         the catalogue has 1 problem\n",
    );
    let from_outside = Case::empty()
        .file("list/oyez.toml", crate::case::CONFIG)
        .file("list/entries/talks.toml", BAD_CATEGORY);
    let run = from_outside.run(&["check", "list"]);
    assert!(
        run.stderr
            .starts_with("error: list/entries/talks.toml:6:12: unknown category `nope`"),
        "{}",
        run.stderr
    );
    // Publishing from a subfolder writes the catalogue's public/, not one here.
    let good = Case::new()
        .file("entries/talks.toml", "category = \"talks\"\n[[entry]]\ntitle = \"T\"\nurl = \"https://example.org/t\"\nadded = 2026-01-01\n")
        .file("entries/sub/keep.txt", "");
    run_in(&good, "entries/sub", &["publish"]).ok();
    assert!(good.path().join("public/atom.xml").is_file());
    assert!(!good.path().join("entries/sub/public").exists());
}

#[test]
fn without_a_catalogue_anywhere_up_the_error_names_this_folder() {
    let case = Case::empty();
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("oyez.toml"), "{}", run.stderr);
}

#[test]
fn add_new_category_creates_it_and_registers_new_contributors_keeping_oyez_toml() {
    let case = Case::new();
    let before = case.read("oyez.toml");
    let run = run_in(
        &case,
        ".",
        &[
            "add",
            "--title",
            "A workshop",
            "--url",
            "https://example.org/w",
            "--new-category",
            "Hands-on Workshops",
            "--by",
            "@zed",
            "--by",
            "@alice",
            "--date",
            "2024-05-01",
        ],
    )
    .ok();
    assert_eq!(
        run.stdout,
        "added entry `a-workshop` to entries/hands-on-workshops.toml\n\
         added category `hands-on-workshops`, contributor @zed to oyez.toml\n\
         give them a name (and a uri) there: each is named as credited (@handle) for now\n"
    );
    assert_eq!(run.stderr, "", "no `unknown contributor` warning");
    assert_eq!(
        case.read("oyez.toml"),
        format!(
            "{before}\n[[category]]\nslug = \"hands-on-workshops\"\ntitle = \"Hands-on Workshops\"\n\n\
             [contributors.zed]\nname = \"@zed\"\n"
        )
    );
    let again = case.run(&[
        "add",
        "--title",
        "Another",
        "--new-category",
        "hands-on workshops",
    ]);
    crate::support::expect(
        &again,
        1,
        "error: category `hands-on-workshops` (\"Hands-on Workshops\") already exists; add to it \
         with --category hands-on-workshops\n",
    );
    case.run(&["check"]).ok();
}

#[test]
fn a_toml_syntax_error_in_one_file_does_not_hide_the_others_problems() {
    let case = Case::new()
        .file(
            "entries/a-broken.toml",
            "category = \"talks\"\n[[entry]\ntitle = \"x\"\n",
        )
        .file("entries/talks.toml", BAD_CATEGORY);
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(
        lines[0].starts_with("error: entries/a-broken.toml:2:"),
        "{}",
        run.stderr
    );
    assert!(
        lines[1].starts_with("entries/talks.toml:6:12: unknown category"),
        "{}",
        run.stderr
    );
    assert_eq!(lines[2], "the catalogue has 2 problems");
}

#[test]
fn two_updates_of_the_same_day_have_distinct_feed_titles() {
    let updates = "[[update]]\ndate = 2024-03-01\nnote = \"Morning\"\n\n[[update]]\ndate = 2024-03-01\nnote = \"Evening\"\n";
    let case = Case::new().file("entries/updates.toml", updates);
    case.run(&["publish"]).ok();
    let feed = crate::support::parse_feed(&case.path().join("public/updates/atom.xml"));
    let mut titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Update of 2024-03-01", "Update of 2024-03-01 (2)"]);
}

// Issue 22 §4: contributions come as pull requests or issues.
#[test]
fn init_writes_how_to_contribute_and_a_form_whose_answers_are_an_entry() {
    let case = Case::empty();
    case.run(&["init", "--date", "2024-05-01", "--ci", "github"])
        .ok();
    let contributing = case.read("CONTRIBUTING.md");
    assert!(contributing.contains("oyez add --title"), "{contributing}");
    let form = case.read(".github/ISSUE_TEMPLATE/suggest-a-resource.yml");
    for (id, flag) in [
        ("title", "--title"),
        ("url", "--url"),
        ("category", "--category"),
        ("summary", "--summary"),
        ("by", "--by"),
    ] {
        assert!(form.contains(&format!("id: {id}\n")), "no field {id}");
        assert!(
            form.contains(&format!("(oyez add {flag}")),
            "{id} names no flag"
        );
    }
    let add = case.run(&["add", "--help"]).ok().stdout;
    for flag in ["--title", "--url", "--category", "--summary", "--by"] {
        assert!(add.contains(flag), "oyez add has no {flag}");
    }
}
