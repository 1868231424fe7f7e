//! `[digest] every` (issue 14): run daily, `oyez digest --send` sends only
//! when a cadence boundary has passed since the last digest, and windows end
//! on boundaries in the site's time zone, across a DST change.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::case::{Case, Run};
use crate::smtp::{Faults, SmtpServer};

const CONFIG: &str = r#"[site]
title = "Weekly"
base_url = "https://example.org/weekly/"
timezone = "Europe/Madrid"

[[category]]
slug = "talks"
title = "Talks"

[digest]
from = "Weekly <list@example.org>"
to = "readers@example.net"
every = "week"
"#;

// Madrid's clocks go back on Sunday 2026-10-25: the week of the 19th has 169 hours.
const ENTRIES: &str = r#"category = "talks"
[[entry]]
title = "Alpha talk"
added = 2026-10-14
[[entry]]
title = "Bravo talk"
added = 2026-10-19T00:30:00
[[entry]]
title = "Charlie talk"
added = 2026-10-25T23:30:00
[[entry]]
title = "Delta talk"
added = 2026-10-26T00:00:00
"#;

fn run(case: &Case, server: &SmtpServer, now: &str) -> Run {
    let args = ["digest", "--since", "2026-10-12", "--now", now, "--send"];
    case.run_with(&args, &[("OYEZ_SMTP_URL", &server.url())])
}

fn titles(text: &str) -> Vec<&str> {
    ["Alpha talk", "Bravo talk", "Charlie talk", "Delta talk"]
        .into_iter()
        .filter(|title| text.contains(title))
        .collect()
}

#[test]
fn weekly_digests_cover_monday_to_sunday_in_the_site_zone_across_a_dst_change() {
    let case = Case::empty()
        .file("oyez.toml", CONFIG)
        .file("entries/talks.toml", ENTRIES);
    let server = SmtpServer::start(Faults::default());
    // A Wednesday: the week that ended on Monday the 19th at 00:00 (+02:00).
    let first = run(&case, &server, "2026-10-21T09:00:00Z").ok();
    assert!(
        first
            .stdout
            .starts_with("digest 2026-10-18: 2026-10-11T22:00:00Z to 2026-10-18T21:59:59Z\n"),
        "{}",
        first.stdout
    );
    // Daily runs in between send nothing and say when the next is due.
    for day in ["2026-10-22T09:00:00Z", "2026-10-25T22:59:59Z"] {
        let quiet = run(&case, &server, day).ok();
        assert_eq!(
            quiet.stdout,
            "not due: digests go out every week; the next one starts after \
             2026-10-18T21:59:59Z and is due at 2026-10-26T00:00:00+01:00; nothing sent\n"
        );
    }
    // Monday after the change: the window is 169 hours, Sunday 23:30 included,
    // and ends a second before Monday 00:00 local, which opens the next week.
    let second = run(&case, &server, "2026-10-26T08:00:00Z").ok();
    assert!(
        second
            .stdout
            .starts_with("digest 2026-10-25: 2026-10-18T21:59:59Z to 2026-10-25T22:59:59Z\n"),
        "{}",
        second.stdout
    );
    let mails = server.received();
    assert_eq!(mails.len(), 2);
    let (one, two) = (mails[0].text(), mails[1].text());
    assert_eq!(titles(&one), ["Alpha talk"]);
    assert_eq!(titles(&two), ["Bravo talk", "Charlie talk"]);
    assert!(
        two.contains("Date: Sun, 25 Oct 2026 22:59:59 +0000\r\n"),
        "{two}"
    );
    // The entry of the new week waits for the next boundary.
    let waiting = run(&case, &server, "2026-11-01T12:00:00Z").ok();
    assert!(waiting.stdout.starts_with("not due"), "{}", waiting.stdout);
    let third = run(&case, &server, "2026-11-02T00:00:00+01:00").ok();
    assert!(
        third.stdout.starts_with("digest 2026-11-01: "),
        "{}",
        third.stdout
    );
    assert_eq!(titles(&server.received()[2].text()), ["Delta talk"]);
}

#[test]
fn monthly_digests_end_on_the_first_of_the_month() {
    let config = CONFIG.replace("every = \"week\"", "every = \"month\"");
    let case = Case::empty()
        .file("oyez.toml", config)
        .file("entries/talks.toml", ENTRIES);
    let server = SmtpServer::start(Faults::default());
    let early = run(&case, &server, "2026-10-30T09:00:00Z").ok();
    assert_eq!(
        early.stdout,
        "not due: digests go out every month; the next one starts after \
         2026-10-11T22:00:00Z and is due at 2026-11-01T00:00:00+01:00; nothing sent\n"
    );
    let sent = run(&case, &server, "2026-11-03T09:00:00Z").ok();
    assert!(
        sent.stdout
            .starts_with("digest 2026-10-31: 2026-10-11T22:00:00Z to 2026-10-31T22:59:59Z\n"),
        "{}",
        sent.stdout
    );
    let text = server.received()[0].text();
    assert_eq!(
        titles(&text),
        ["Alpha talk", "Bravo talk", "Charlie talk", "Delta talk"]
    );
}
