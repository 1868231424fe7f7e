//! The bad-input corpus (issue 6): every folder under `tests/corpus/` is a
//! catalogue and its expected outcome. One test runs them all and reports
//! every mismatch at once; `OYEZ_BLESS=1` rewrites the expectations (review
//! the diff before committing). See `tests/README.md`.
//!
//! Generated cases that do not belong in git (a 50 MB file, a FIFO, a
//! symlink to `/dev/zero`, deep nesting) are at the end of this file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::case::{BIN, CONFIG, Case, Run, repo_root};
use crate::support::{expect, hazards};

/// Files of a corpus case that hold its expectation, not catalogue content.
const EXPECTATIONS: &[&str] = &["args", "code", "stderr", "stdout", "summary.html", "about"];

/// Longer than any case needs by far; reaching it means a hang.
const HANG: Duration = Duration::from_secs(120);

#[test]
fn every_corpus_case_has_its_expected_outcome() {
    let root = repo_root().join("tests/corpus");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/corpus")
        .map(|item| item.expect("corpus entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 40,
        "the corpus has only {} cases",
        cases.len()
    );
    let bless = std::env::var_os("OYEZ_BLESS").is_some();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|dir| run_case(dir, bless).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

fn run_case(dir: &Path, bless: bool) -> Result<(), String> {
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let case = copy_case(dir);
    let args = fs::read_to_string(dir.join("args")).unwrap_or_else(|_| "check".into());
    let args: Vec<&str> = args.split_whitespace().collect();
    let run = run_bounded(&case, &args).map_err(|err| format!("{name}: {err}"))?;
    let root = case.path().to_string_lossy().into_owned();
    let stderr = run.stderr.replace(&root, "[ROOT]");
    let stdout = run.stdout.replace(&root, "[ROOT]");
    let summary = first_summary(&case);
    if bless {
        bless_case(dir, run.code, &stderr, &stdout, summary.as_deref());
    }
    let mut problems = Vec::new();
    if run.code == 101 || stderr.contains("panicked") {
        problems.push(format!("panicked:\n{stderr}"));
    }
    check_file(dir, "code", &format!("{}\n", run.code), &mut problems);
    check_file(dir, "stderr", &stderr, &mut problems);
    if dir.join("stdout").exists() {
        check_file(dir, "stdout", &stdout, &mut problems);
    }
    if dir.join("summary.html").exists() {
        let summary = summary.unwrap_or_else(|| "(no content_html)".into());
        check_file(dir, "summary.html", &format!("{summary}\n"), &mut problems);
    }
    for (path, bytes) in case.tree("public") {
        problems.extend(hazards(&path, &bytes));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}:\n  {}", problems.join("\n  ")))
    }
}

fn check_file(dir: &Path, file: &str, actual: &str, problems: &mut Vec<String>) {
    let expected = fs::read_to_string(dir.join(file)).unwrap_or_else(|_| "(missing)".into());
    if expected != actual {
        problems.push(format!(
            "{file} differs\n--- expected:\n{expected}--- got:\n{actual}"
        ));
    }
}

fn bless_case(dir: &Path, code: i32, stderr: &str, stdout: &str, summary: Option<&str>) {
    fs::write(dir.join("code"), format!("{code}\n")).expect("write code");
    fs::write(dir.join("stderr"), stderr).expect("write stderr");
    if dir.join("stdout").exists() {
        fs::write(dir.join("stdout"), stdout).expect("write stdout");
    }
    if let (true, Some(summary)) = (dir.join("summary.html").exists(), summary) {
        fs::write(dir.join("summary.html"), format!("{summary}\n")).expect("write summary");
    }
}

/// The `content_html` of the first item of `public/feed.json`, if any.
fn first_summary(case: &Case) -> Option<String> {
    let text = fs::read_to_string(case.path().join("public/feed.json")).ok()?;
    let feed: serde_json::Value = serde_json::from_str(&text).ok()?;
    feed["items"][0]["content_html"].as_str().map(str::to_owned)
}

/// The case's files in a temporary folder, with the default `oyez.toml` when it has none.
fn copy_case(dir: &Path) -> Case {
    let mut case = Case::empty();
    if !dir.join("oyez.toml").exists() {
        case = case.file("oyez.toml", CONFIG);
    }
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    for relative in files {
        if !EXPECTATIONS.contains(&relative.as_str()) {
            let bytes = fs::read(dir.join(&relative)).expect("read corpus file");
            case = case.file(&relative, bytes);
        }
    }
    case
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    for item in fs::read_dir(dir).expect("read corpus folder") {
        let path = item.expect("corpus entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            files.push(relative.to_string_lossy().into_owned());
        }
    }
}

/// Runs `oyez ARGS` in the case folder; a run longer than [`HANG`] is killed
/// and reported as a hang rather than blocking the suite.
pub fn run_bounded(case: &Case, args: &[&str]) -> Result<Run, String> {
    run_bounded_with(case, args, &[])
}

/// [`run_bounded`] with environment variables.
pub fn run_bounded_with(case: &Case, args: &[&str], env: &[(&str, &str)]) -> Result<Run, String> {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(case.path())
        .env_remove("OYEZ_SMTP_URL")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot start oyez: {err}"))?;
    let started = Instant::now();
    // A watchdog, not a timing assertion: poll until the child exits.
    while child.try_wait().map_err(|err| err.to_string())?.is_none() {
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "oyez {} hung (killed after {HANG:?})",
                args.join(" ")
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().map_err(|err| err.to_string())?;
    Ok(Run::from(output))
}

// Generated cases: too big or too special for git.

#[test]
fn a_50_mb_entries_file_is_refused_quickly_with_a_clear_error() {
    let mut text = String::from("category = \"talks\"\n");
    let mut index = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!(
            "[[entry]]\ntitle = \"Entry {index}\"\nurl = \"https://example.org/{index}\"\nadded = 2020-01-01\n\n"
        ));
        index += 1;
    }
    let case = Case::new().file("entries/big.toml", text);
    let run = run_bounded(&case, &["publish"]).expect("no hang");
    expect(
        &run,
        1,
        "
        error: entries/big.toml: this file is larger than 16 MiB; split it into several files under entries/
        the catalogue has 1 problem
        ",
    );
    assert!(!case.path().join("public").exists());
}

#[test]
fn a_file_just_under_the_size_bound_is_read() {
    // 16 MiB minus a little, mostly a comment: the bound is not off by one.
    let mut text = String::from(
        "category = \"talks\"\n[[entry]]\ntitle = \"t\"\nid = \"t\"\nadded = 2020-01-01\n#",
    );
    text.push_str(&"x".repeat(16 * 1024 * 1024 - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), 16 * 1024 * 1024);
    let case = Case::new().file("entries/big.toml", text);
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(&run, 0, "");
    assert_eq!(run.stdout, "ok: 1 entry in 2 categories, 0 updates\n");
}

#[test]
fn deep_nesting_is_one_short_error_not_a_stack_overflow() {
    let depth = 100_000;
    let text = format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let case = Case::new().file("entries/deep.toml", text);
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "
        error: entries/deep.toml:1:85: cannot recurse further; max recursion depth met; nest keys, tables and values less deeply
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn deep_inline_tables_are_refused_too() {
    let depth = 50_000;
    let text = format!("x = {}{}\n", "{a = ".repeat(depth), "}".repeat(depth));
    let case = Case::new().file("entries/deep.toml", text);
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "
        error: entries/deep.toml:1:405: cannot recurse further; max recursion depth met; nest keys, tables and values less deeply
        the catalogue has 1 problem
        ",
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_dev_zero_and_a_fifo_are_refused_without_blocking() {
    let case = Case::new();
    fs::create_dir_all(case.path().join("entries")).expect("entries");
    std::os::unix::fs::symlink("/dev/zero", case.path().join("entries/zero.toml"))
        .expect("symlink");
    let fifo = case.path().join("entries/fifo.toml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let run = run_bounded(&case, &["check"]).expect("no hang");
    let mut expected = String::from("error: ");
    if made {
        expected.push_str(
            "entries/fifo.toml: this is not a regular file but a FIFO; replace it with a plain \
             file\n",
        );
    }
    // Issue 15: /dev/zero is outside the catalogue, which is said first.
    expected.push_str(
        "entries/zero.toml: this file lies outside the catalogue folder; oyez reads only files \
         inside the catalogue folder (symbolic links included): copy the file in\n",
    );
    let count = if made { 2 } else { 1 };
    expected.push_str(&format!(
        "the catalogue has {count} problem{}\n",
        if made { "s" } else { "" }
    ));
    expect(&run, 1, &expected);
}

#[test]
fn thousands_of_syntax_errors_are_capped() {
    let case = Case::new().file("entries/garbage.toml", "= broken\n".repeat(5000));
    let run = run_bounded(&case, &["check"]).expect("no hang");
    expect(
        &run,
        1,
        "
        error: entries/garbage.toml:1:1: unquoted keys cannot be empty, expected letters, numbers, `-`, `_`; fix the TOML syntax
        entries/garbage.toml:1:3: string values must be quoted, expected literal string; fix the TOML syntax
        entries/garbage.toml:2:1: unquoted keys cannot be empty, expected letters, numbers, `-`, `_`; fix the TOML syntax
        entries/garbage.toml:2:3: string values must be quoted, expected literal string; fix the TOML syntax
        entries/garbage.toml:2:1: duplicate key; fix the TOML syntax
        entries/garbage.toml:3:1: unquoted keys cannot be empty, expected letters, numbers, `-`, `_`; fix the TOML syntax
        entries/garbage.toml:3:3: string values must be quoted, expected literal string; fix the TOML syntax
        entries/garbage.toml:3:1: duplicate key; fix the TOML syntax
        entries/garbage.toml:4:1: unquoted keys cannot be empty, expected letters, numbers, `-`, `_`; fix the TOML syntax
        entries/garbage.toml:4:3: string values must be quoted, expected literal string; fix the TOML syntax
        entries/garbage.toml: 14989 more syntax errors are not shown; fix the ones above and check again
        the catalogue has 11 problems
        ",
    );
}
