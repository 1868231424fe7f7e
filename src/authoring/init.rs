//! `oyez init`: the files of a new catalogue. `oyez.toml` explains every key
//! of FORMAT.md (optional ones commented out), with one category, one
//! contributor, one example entry and one update, so `oyez check` and
//! `oyez publish` work at once; a `.gitignore` and the FORMAT.md guide it
//! mentions; with `--ci github`, the GitHub Actions workflow. Pure: the
//! caller writes the files.

use chrono::NaiveDate;

use super::records::{self, NewEntry, NewUpdate};
use crate::template::{BUILTIN, TEMPLATES_DIR};

/// The category the example entry goes in.
pub const CATEGORY: &str = "resources";

/// `(relative path, text)` of each file of a new catalogue, the example
/// entry and update dated `today`.
pub fn files(today: NaiveDate) -> Vec<(String, String)> {
    vec![
        ("oyez.toml".into(), CONFIG.into()),
        (format!("entries/{CATEGORY}.toml"), entries(today)),
        ("entries/updates.toml".into(), updates(today)),
        (".gitignore".into(), GITIGNORE.into()),
        ("FORMAT.md".into(), FORMAT.into()),
        ("CONTRIBUTING.md".into(), CONTRIBUTING.into()),
    ]
}

/// Where a continuous-integration service runs oyez.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// GitHub Actions: publish to GitHub Pages, mail digests on a schedule
    Github,
}

/// The workflow written for GitHub Actions (docs/github-actions.yml).
pub const GITHUB_WORKFLOW: &str = include_str!("../../docs/github-actions.yml");

/// The issue form contributors suggest a resource with (docs/github-issue-form.yml).
pub const GITHUB_ISSUE_FORM: &str = include_str!("../../docs/github-issue-form.yml");

/// How to contribute: an issue, or a pull request made with `oyez add`.
const CONTRIBUTING: &str = include_str!("../../docs/CONTRIBUTING.md");

/// `(relative path, text)` of the files that run oyez on `ci`: the
/// workflow, and the form contributors suggest a resource with.
pub fn ci_files(ci: Ci) -> Vec<(String, String)> {
    match ci {
        Ci::Github => vec![
            (".github/workflows/oyez.yml".into(), GITHUB_WORKFLOW.into()),
            (
                ".github/ISSUE_TEMPLATE/suggest-a-resource.yml".into(),
                GITHUB_ISSUE_FORM.into(),
            ),
        ],
    }
}

/// The catalogue format guide that `oyez.toml` points to.
const FORMAT: &str = include_str!("../../docs/FORMAT.md");

/// What a catalogue's repository should not hold: the published output
/// (built by `oyez publish`), lock files and caches. The state, `.oyez/`,
/// is committed.
const GITIGNORE: &str = "\
# Written by `oyez publish`; publish it, do not commit it.
public/
# Held while a command runs; never commit them.
*.ledger.lock
# The link-check cache: keep it in a CI cache if you like, not in git.
oyez-links.cache
# Commit .oyez/: it remembers what was announced, pinged and mailed.
";

/// The built-in templates, as `templates/<name>` files to edit.
pub fn templates() -> Vec<(String, String)> {
    BUILTIN
        .iter()
        .map(|(name, text)| (format!("{TEMPLATES_DIR}/{name}"), (*text).to_owned()))
        .collect()
}

fn entries(today: NaiveDate) -> String {
    let entry = NewEntry {
        id: "oyez-catalogue-format".into(),
        title: "The oyez catalogue format".into(),
        url: Some("https://example.org/oyez/format".into()),
        added: today,
        by: vec!["@jane".into()],
        authors: vec!["Jane Maintainer".into()],
        tags: vec!["example".into()],
        summary: Some("An example entry: replace it with your first resource.".into()),
        category: None,
        group: None,
        under: None,
        badges: None,
    };
    let head = format!("{ENTRIES_HEAD}{}", records::key_toml("category", CATEGORY));
    records::append(
        &head,
        &format!("{ENTRY_HELP}{}", records::entry_toml(&entry)),
    )
}

fn updates(today: NaiveDate) -> String {
    let update = NewUpdate {
        date: today,
        note: "Started the catalogue thanks to @jane".into(),
        by: vec!["@jane".into()],
    };
    format!("{UPDATES_HEAD}{}", records::update_toml(&update))
}

const ENTRIES_HEAD: &str = "\
# Entries of the `resources` category. A file may hold any number of
# [[entry]] (and [[update]]) tables; `category` below applies to each entry
# that does not name its own. Add more with:
#   oyez add --title \"…\" --url https://… --category resources --by @you
";

const ENTRY_HELP: &str = "\
# id       permanent identity (feed readers and the digest rely on it)
# title    required; url: optional, absolute http(s)
# added    required date; by: credited handles; authors: who made it
# language, tags, summary (Markdown), updated (last meaningful revision)
";

const UPDATES_HEAD: &str = "\
# The update log: one [[update]] per announcement. An update dated D
# announces every entry added after the previous update and on or before D.
#   oyez add --update --note \"Added … thanks to @someone\" --by @someone
";

const CONFIG: &str = r#"# oyez catalogue configuration. The format is described in FORMAT.md;
# unknown keys are errors, so a typo is caught by `oyez check`.

[site]
title       = "My catalogue"                       # required
base_url    = "https://example.org/my-catalogue/"  # required: where public/ is served, absolute http(s)
description = "What this catalogue collects, in one line"
language    = "en"                                 # BCP 47 tag, default "en": the page, list and digests speak it (en, es, fr, de)
# timezone  = "Europe/Madrid"                      # IANA name: bare dates are midnight there (default UTC)
# author    = { name = "Jane Maintainer", email = "jane@example.org", uri = "https://example.org" }

# Categories, in display order. Slugs ([a-z0-9-]+) are permanent: they name
# the feeds under public/categories/<slug>/.
[[category]]
slug        = "resources"
title       = "Resources"
description = "Everything worth reading"           # optional

# People credited with `by = ["@handle"]`: key = handle without "@".
# A handle without a record is credited as written (`oyez check` warns).
[contributors.jane]
name = "Jane Maintainer"
# uri = "https://example.org/jane"                 # optional

[feeds]
limit = 50                                         # newest items per subscription feed

# Needed only by `oyez digest`. SMTP credentials never go here: they come
# from the environment (OYEZ_SMTP_URL, e.g. smtps://user:pass@smtp.example.org:465).
# [digest]
# from        = "My catalogue <list@example.org>"
# to          = "digest@lists.example.org"        # a mailing-list address, or
# subscribers = "subscribers.txt"                 # one address per line (one mail each)
# list_id     = "my-catalogue.example.org"        # List-Id (RFC 2919)
# unsubscribe = "mailto:digest-leave@lists.example.org"  # and/or an https URL (string or array)
# subject     = "What's new in My catalogue"       # optional subject line
# ledger      = ".oyez/digests.ledger"            # optional: where sent digests are recorded

# Your own words in place of oyez's, for the site's language (docs/strings.md
# in the oyez repository lists the keys).
# [strings]
# recently_added = "Just in"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_github_workflow_checks_publishes_to_pages_and_mails_on_a_schedule() {
        // No YAML parser among our crates: the lines that matter, exactly.
        let lines: Vec<&str> = GITHUB_WORKFLOW.lines().map(str::trim).collect();
        for line in [
            "push:",
            "branches: [main]",
            "schedule:",
            "- cron: \"0 7 * * 1\" # the digest: Mondays at 07:00 UTC",
            "run: oyez check",
            "run: oyez publish --out public",
            "- uses: actions/upload-pages-artifact@v3",
            "uses: actions/deploy-pages@v4",
            "pages: write",
            "id-token: write",
            "contents: write",
            "OYEZ_SMTP_URL: ${{ secrets.OYEZ_SMTP_URL }}",
            "run: oyez ping",
            "OYEZ_INBOX_URL: ${{ secrets.OYEZ_INBOX_URL }}",
            "oyez inbox",
            "run: oyez digest --send --claim --run-id \"$OYEZ_RUN\" ${OYEZ_DIGEST_SINCE:+--since \"$OYEZ_DIGEST_SINCE\"}",
            "run: oyez digest --send --run-id \"$OYEZ_RUN\" ${OYEZ_DIGEST_SINCE:+--since \"$OYEZ_DIGEST_SINCE\"}",
            "git add -A -- .oyez",
            "run: oyez check --links --cache-days 7",
        ] {
            assert!(lines.contains(&line), "the workflow lacks `{line}`");
        }
        assert!(!GITHUB_WORKFLOW.contains('\t'), "YAML allows no tabs");
    }

    #[test]
    fn a_new_catalogue_ignores_its_output_and_lock_files_and_carries_its_guide() {
        let files = files(NaiveDate::MIN);
        let file = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str())
        };
        let ignored: Vec<&str> = GITIGNORE.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(ignored, ["public/", "*.ledger.lock", "oyez-links.cache"]);
        assert_eq!(file(".gitignore"), Some(GITIGNORE));
        assert!(file("FORMAT.md").is_some_and(|t| t.starts_with("# ")));
    }

    #[test]
    fn every_format_key_is_explained() {
        let keys = [
            "title",
            "base_url",
            "description",
            "language",
            "timezone",
            "author",
            "slug",
            "contributors",
            "uri",
            "limit",
            "from",
            "to",
            "subscribers",
            "list_id",
            "unsubscribe",
            "subject",
            "ledger",
        ];
        for key in keys {
            assert!(
                CONFIG.contains(key),
                "{key} is not in the starting oyez.toml"
            );
        }
    }
}
