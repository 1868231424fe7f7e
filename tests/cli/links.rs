//! `oyez check --links` (issue 13) against a real HTTP server on
//! 127.0.0.1: every kind of answer, reported at the entry that has it.

use std::time::Duration;

use crate::case::Case;
use crate::http::{Reply, Seen, Server};
use crate::support::expect;

const PATHS: [&str; 11] = [
    "/ok",
    "/old",
    "/temporary",
    "/missing",
    "/gone",
    "/forbidden",
    "/busy",
    "/blocked",
    "/slow",
    "/loop-a",
    "/head-refused",
];

fn site(seen: &Seen, before: usize) -> Reply {
    match seen.path.as_str() {
        "/ok" | "/new" => Reply::status(200),
        "/old" => Reply::status(301).header("Location", "/new"),
        "/temporary" => Reply::status(302).header("Location", "/ok"),
        "/missing" => Reply::status(404),
        "/gone" => Reply::status(410),
        "/forbidden" => Reply::status(403),
        // Busy once, with a Retry-After the check waits out.
        "/busy" if before == 0 => Reply::status(429).header("Retry-After", "1"),
        "/busy" => Reply::status(200),
        "/blocked" => Reply::status(429),
        "/slow" => Reply::status(200).after(Duration::from_secs(4)),
        "/loop-a" => Reply::status(302).header("Location", "/loop-b"),
        "/loop-b" => Reply::status(302).header("Location", "/loop-a"),
        "/head-refused" if seen.method == "HEAD" => Reply::status(405),
        "/head-refused" => Reply::status(200),
        _ => Reply::status(500),
    }
}

/// One entry per path, five lines apart (titles on lines 4, 9, 14…).
fn catalogue(server: &Server) -> Case {
    let mut text = String::from("category = \"talks\"\n");
    for (index, path) in PATHS.iter().enumerate() {
        text.push_str(&format!(
            "\n[[entry]]\ntitle = \"Entry {index}\"\nurl = \"{}{path}\"\nadded = 2024-01-01\n",
            server.base
        ));
    }
    Case::new().file("entries/talks.toml", text)
}

#[test]
fn every_answer_is_reported_at_its_entry() {
    let server = Server::start(site);
    let case = catalogue(&server);
    let run = case.run(&["check", "--links", "--timeout", "1"]);
    expect(&run, 1, "error: 4 broken links; fix or remove them\n");
    let base = &server.base;
    let expected = format!(
        "entries/talks.toml:9:9: moved permanently to {base}/new; update it\n\
         entries/talks.toml:19:9: broken link {base}/missing: HTTP 404 Not Found; fix or remove it\n\
         entries/talks.toml:24:9: broken link {base}/gone: HTTP 410 Gone; fix or remove it\n\
         entries/talks.toml:29:9: unverified {base}/forbidden: HTTP 403 Forbidden; the site refuses robots, check it in a browser\n\
         entries/talks.toml:39:9: unverified {base}/blocked: HTTP 429 Too Many Requests; the site refuses robots, check it in a browser\n\
         entries/talks.toml:44:9: broken link {base}/slow: no answer within 1 s; fix or remove it\n\
         entries/talks.toml:49:9: broken link {base}/loop-a: redirect loop through {base}/loop-a; fix or remove it\n\
         links: 11 checked: 4 ok, 1 moved, 2 unverified, 4 broken\n"
    );
    assert_eq!(run.stdout, expected);
    // The 429 was waited out and asked again; HEAD refused, then GET.
    assert_eq!(server.count("/busy"), 2);
    let methods: Vec<String> = server
        .seen()
        .into_iter()
        .filter(|seen| seen.path == "/head-refused")
        .map(|seen| seen.method)
        .collect();
    assert_eq!(methods, ["HEAD", "GET"]);
}

#[test]
fn json_reports_every_link_with_its_position() {
    let server = Server::start(site);
    let case = catalogue(&server);
    let run = case.run(&["check", "--links", "--timeout", "1", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let statuses: Vec<(String, u64, String)> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            let url = line["url"]
                .as_str()
                .unwrap()
                .trim_start_matches(&server.base)
                .to_owned();
            (
                url,
                line["line"].as_u64().unwrap(),
                line["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let kinds = [
        "ok",
        "moved",
        "ok",
        "broken",
        "broken",
        "unverified",
        "ok",
        "unverified",
        "broken",
        "broken",
        "ok",
    ];
    let expected: Vec<(String, u64, String)> = PATHS
        .iter()
        .zip(kinds)
        .enumerate()
        .map(|(index, (path, kind))| ((*path).to_owned(), 5 * index as u64 + 4, kind.to_owned()))
        .collect();
    assert_eq!(statuses, expected);
}

#[test]
fn cached_good_answers_are_not_asked_again() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/ok" => Reply::status(200),
        _ => Reply::status(404),
    });
    let url = format!("{}/ok", server.base);
    let entry = format!(
        "category = \"talks\"\n\n[[entry]]\ntitle = \"A\"\nurl = \"{url}\"\nadded = 2024-01-01\n\n[[entry]]\ntitle = \"B\"\nurl = \"{}/missing\"\nadded = 2024-01-01\n",
        server.base
    );
    let case = Case::new().file("entries/talks.toml", entry);
    for _ in 0..2 {
        let run = case.run(&["check", "--links", "--cache-days", "1"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
    }
    assert_eq!(server.count("/ok"), 1, "the second run used the cache");
    assert_eq!(
        server.count("/missing"),
        2,
        "broken answers are asked again"
    );
    assert!(
        case.read("oyez-links.cache")
            .starts_with(&format!("[\"{url}\","))
    );
    case.run(&["check", "--links"]);
    assert_eq!(
        server.count("/ok"),
        2,
        "without --cache-days nothing is cached"
    );
}

// Issue 20: a broken summary link was reported as the entry's own URL, at
// the title's line.
#[test]
fn summary_links_are_checked_only_with_all_links() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/ok" => Reply::status(200),
        _ => Reply::status(404),
    });
    let base = &server.base;
    let entry = format!(
        "category = \"talks\"\n\n[[entry]]\ntitle = \"A\"\nurl = \"{base}/ok\"\nadded = 2024-01-01\nsummary = \"See [notes]({base}/notes).\"\n"
    );
    let case = Case::new().file("entries/talks.toml", entry);
    let run = case.run(&["check", "--links"]).ok();
    assert_eq!(
        run.stdout,
        "links: 1 checked: 1 ok, 0 moved, 0 unverified, 0 broken\n"
    );
    let run = case.run(&["check", "--links", "--all-links"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!(
            "entries/talks.toml:7:24: broken summary link {base}/notes: HTTP 404 Not Found; fix or remove it\nlinks: 2 checked: 1 ok, 0 moved, 0 unverified, 1 broken\n"
        )
    );
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let env = [
        ("GIT_AUTHOR_NAME", "A"),
        ("GIT_AUTHOR_EMAIL", "a@example.org"),
        ("GIT_COMMITTER_NAME", "A"),
        ("GIT_COMMITTER_EMAIL", "a@example.org"),
    ];
    crate::support::git(dir, args, &env);
}

#[test]
// Issue 22 §4: a pull request's link check asks only about the links of
// the entries it adds or changes (`--changed-since` its base).
fn changed_since_checks_only_the_links_a_change_brings() {
    let server = Server::start(site);
    let case = catalogue(&server);
    git(case.path(), &["init", "-q", "-b", "main"]);
    git(case.path(), &["add", "-A"]);
    git(case.path(), &["commit", "-q", "-m", "base"]);
    let entry = |title: &str, path: &str| {
        format!(
            "\n[[entry]]\ntitle = \"{title}\"\nurl = \"{}{path}\"\nadded = 2024-01-02\n",
            server.base
        )
    };
    let text = format!("category = \"talks\"\n{}", entry("Fresh", "/new"));
    let case = case.file("entries/new.toml", text);
    git(case.path(), &["add", "-A"]);
    git(case.path(), &["commit", "-q", "-m", "a pull request"]);
    let before = server.seen().len();
    let run = case.run(&["check", "--links", "--changed-since", "HEAD~1"]);
    assert_eq!(
        run.stdout, "links: 1 checked: 1 ok, 0 moved, 0 unverified, 0 broken\n",
        "{}",
        run.stderr
    );
    assert_eq!(server.seen().len() - before, 1, "{:?}", server.seen());
    // A broken link the change brings fails the check; one already there
    // (/missing) is the scheduled check's business.
    let text = format!("category = \"talks\"\n{}", entry("Fresh", "/fresh-broken"));
    let case = case.file("entries/new.toml", text);
    let run = case.run(&["check", "--links", "--changed-since", "HEAD~1"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .ends_with("links: 1 checked: 0 ok, 0 moved, 0 unverified, 1 broken\n"),
        "{}",
        run.stdout
    );
    let run = case.run(&["check", "--links", "--changed-since", "no-such-ref"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("git cannot compare"), "{}", run.stderr);
}
