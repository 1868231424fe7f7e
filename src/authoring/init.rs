//! `oyez init`: the files of a new catalogue. `oyez.toml` explains every key
//! of FORMAT.md (optional ones commented out), with one category, one
//! contributor, one example entry and one update, so `oyez check` and
//! `oyez publish` work at once. Pure: the caller writes the files.

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
    ]
}

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
language    = "en"                                 # BCP 47 tag, default "en"
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
# ledger      = "digests.ledger"                  # optional: where sent digests are recorded
"#;

#[cfg(test)]
mod tests {
    use super::*;

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
