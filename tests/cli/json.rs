//! `--format json` on `check` and `publish` (issue 24): the documents of
//! docs/json.md, parsed and compared whole, and against the text output.

use serde_json::{Value, json};

use crate::case::Case;

const TALKS: &str = "category = \"talks\"\n\n\
    [[entry]]\ntitle = \"A talk\"\nurl   = \"https://example.org/a\"\nadded = 2026-01-02\n";

fn parsed(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|err| panic!("not JSON ({err}): {stdout}"))
}

/// A problem as the text output writes it: `file:line:col: message; help`.
fn as_text(problem: &Value) -> String {
    let place = match problem["file"].as_str() {
        Some(file) => format!("{file}:{}:{}: ", problem["line"], problem["column"]),
        None => String::new(),
    };
    format!(
        "{place}{}; {}",
        problem["message"].as_str().unwrap(),
        problem["help"].as_str().unwrap()
    )
}

#[test]
fn check_lists_every_problem_with_its_place_and_exits_1() {
    let broken = format!(
        "{TALKS}category = \"talk\"\n\n[[entry]]\ntitle = \"Bad link\"\nurl   = \"ftp://example.org/b\"\nadded = 2026-01-04\n"
    );
    let case = Case::new().file("entries/talks.toml", broken);
    let run = case.run(&["check", "--format", "json"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, ""), "{run:?}");
    let expected = json!({
        "command": "check",
        "ok": false,
        "result": null,
        "problems": [
            {
                "severity": "error", "file": "entries/talks.toml", "line": 7, "column": 12,
                "message": "unknown category `talk`; known: talks, books",
                "help": "add it to oyez.toml or fix the entry"
            },
            {
                "severity": "error", "file": "entries/talks.toml", "line": 11, "column": 9,
                "message": "`url` has scheme `ftp:`",
                "help": "write an absolute http:// or https:// URL such as https://example.org/page"
            }
        ]
    });
    let report = parsed(&run.stdout);
    assert_eq!(report, expected);
    let text = case.run(&["check"]);
    let lines: Vec<String> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(as_text)
        .collect();
    let stderr = text.stderr.strip_prefix("error: ").unwrap();
    let stderr: Vec<&str> = stderr.lines().take(lines.len()).collect();
    assert_eq!(stderr, lines);
}

#[test]
fn check_of_a_good_catalogue_counts_it_and_lists_its_warnings() {
    let case = Case::new().file(
        "entries/talks.toml",
        format!("{TALKS}\n[[entry]]\ntitle = \"No link\"\nadded = 2026-01-03\n"),
    );
    let run = case.run(&["check", "--format", "json"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{run:?}");
    let expected = json!({
        "command": "check",
        "ok": true,
        "result": {"entries": 2, "categories": 2, "updates": 0},
        "problems": [{
            "severity": "warning", "file": "entries/talks.toml", "line": 9, "column": 9,
            "message": "entry \"No link\" has neither `id` nor `url`, so editing its title changes its identity",
            "help": "add `id = \"t-5bed95ffd4e14426\"` (its id now), or `id = \"no-link\"` if it was never published"
        }]
    });
    assert_eq!(parsed(&run.stdout), expected);
}

#[test]
fn publish_lists_the_files_it_wrote_and_then_none() {
    let case = Case::new().file("entries/talks.toml", TALKS);
    let run = case.run(&["publish", "--format", "json"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{run:?}");
    let report = parsed(&run.stdout);
    let on_disk: Vec<String> = case
        .tree("public")
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| !path.starts_with('.'))
        .collect();
    let expected = json!({
        "command": "publish",
        "ok": true,
        "result": {
            "out": "./public", "entries": 1, "files": on_disk,
            "written": on_disk.len(), "unchanged": 0
        },
        "problems": []
    });
    assert_eq!(report, expected);

    let again = parsed(&case.run(&["publish", "--format", "json"]).ok().stdout);
    assert_eq!(again["result"]["files"], json!([]));
    assert_eq!(again["result"]["unchanged"], json!(on_disk.len()));
}

#[test]
fn a_publish_that_fails_reports_why_and_writes_nothing() {
    let case = Case::new().file("entries/talks.toml", format!("{TALKS}bogus = 1\n"));
    let run = case.run(&["publish", "--format", "json"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, ""), "{run:?}");
    let report = parsed(&run.stdout);
    assert_eq!(report["ok"], json!(false));
    assert_eq!(report["result"], Value::Null);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["file"], json!("entries/talks.toml"));
    assert_eq!(problems[0]["line"], json!(7));
    assert!(!case.path().join("public").exists());
}

#[test]
fn the_digest_preview_names_its_window_counts_and_recipients() {
    let case = Case::example();
    let args = [
        "digest",
        "--since",
        "2020-01-01",
        "--now",
        "2026-11-27T00:00:00Z",
    ];
    let run = case.run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{run:?}");
    let expected = json!({
        "command": "digest",
        "ok": true,
        "result": {
            "due": true, "reason": null, "id": "2026-11-27", "resumed": false,
            "start": "2020-01-01T00:00:00Z", "end": "2026-11-27T00:00:00Z",
            "subject": "Platform as a Product: 32 new resources",
            "additions": 32, "updates": 3, "thanked": 4, "first_time": 4,
            "selecting": 0, "selections": 0,
            "recipients": [{"address": "platform-digest@lists.example.org", "gets_nothing": false}]
        },
        "problems": []
    });
    assert_eq!(parsed(&run.stdout), expected);
    let text = case.run(&args).ok();
    let lines: Vec<&str> = text.stdout.lines().take(4).collect();
    let expected_text = [
        "digest 2026-11-27: 2020-01-01T00:00:00Z to 2026-11-27T00:00:00Z",
        "subject: Platform as a Product: 32 new resources",
        "32 additions, 3 update-log notes, 4 contributors thanked (4 first-time)",
        "recipient: platform-digest@lists.example.org",
    ];
    assert_eq!(lines, expected_text);
}

#[test]
fn a_digest_preview_that_cannot_start_says_why_in_its_document() {
    let run = Case::example().run(&["digest", "--format", "json"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, ""), "{run:?}");
    let report = parsed(&run.stdout);
    assert_eq!(report["ok"], json!(false));
    assert_eq!(report["result"], Value::Null);
    let message = report["problems"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("no digest was ever sent from this catalogue"),
        "{message}"
    );
}

#[test]
fn json_cannot_go_with_send() {
    let run = Case::example().run(&["digest", "--send", "--format", "json"]);
    assert_eq!(run.code, 2, "{run:?}");
}

// Issue 22 §4: pull requests see each problem on its line.
#[test]
fn check_format_github_prints_one_workflow_command_per_problem() {
    let broken =
        format!("{TALKS}\n[[entry]]\ntitle = \"No date\"\nurl = \"https://example.org/x\"\n");
    let case = Case::new().file("entries/talks.toml", broken);
    let run = case.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::error file=entries/talks.toml,line=8,col=1::missing field `added`"),
        "{}",
        run.stdout
    );
    let ok = Case::new()
        .file("entries/talks.toml", TALKS)
        .run(&["check", "--format", "github"]);
    assert_eq!(
        (ok.code, ok.stdout.as_str()),
        (0, "ok: 1 entry in 2 categories, 0 updates\n")
    );
}
