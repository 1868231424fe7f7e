//! `oyez check --links` (issue 13): every entry URL (and, on request, every
//! link in the summaries) asked over HTTP and sorted into ok, moved
//! permanently, unverified (the site blocks robots) and broken. What to
//! check comes from the catalogue ([`targets`]); [`probe`] asks one URL,
//! [`pool`] runs many at once, [`cache`] remembers good answers.

pub mod cache;
pub mod pool;
pub mod probe;

use serde::Serialize;

use crate::catalogue::origins::Origins;
use crate::catalogue::{Catalogue, Location};

/// The link check found broken links.
#[derive(Debug, thiserror::Error)]
pub enum LinksError {
    #[error("{count} broken {}; fix or remove {}", noun(*count, "link", "links"), noun(*count, "it", "them"))]
    Broken { count: usize },
    #[error("cannot read or write the link cache {}", path.display())]
    Cache {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A link cache the bounded reader refused (issue 20).
    #[error(transparent)]
    CacheInput(#[from] crate::input::InputError),
}

fn noun(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 { one } else { many }
}

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    /// Permanent redirects (301, 308) all the way to a page that answers.
    Moved {
        to: String,
    },
    /// 403, 429, 999 or a bot challenge: the page may well be fine.
    Unverified {
        reason: String,
    },
    /// 404, 410, other errors, DNS, TLS, timeouts, redirect loops.
    Broken {
        reason: String,
    },
}

/// A link to check and where the catalogue has it.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub location: Option<Location>,
    /// Found in the entry's summary rather than its `url`.
    pub in_summary: bool,
}

/// Keeps the targets whose URL is on one of the `added` lines (issue 22:
/// a pull request's link check asks only about the links it brings).
pub fn changed(targets: &mut Vec<Target>, added: &str) {
    targets.retain(|target| added.contains(target.url.as_str()));
}

/// Every entry URL in file order, each followed, with `all`, by the http(s)
/// links of the entry's summary.
pub fn targets(catalogue: &Catalogue, origins: &Origins, all: bool) -> Vec<Target> {
    let mut targets = Vec::new();
    for entry in catalogue.entries_in_file_order() {
        let location = origins.location(entry);
        if let Some(url) = &entry.url {
            let location = location.clone();
            let in_summary = false;
            targets.push(Target {
                url: url.clone(),
                location,
                in_summary,
            });
        }
        let summary = entry.summary.as_ref().filter(|_| all);
        for url in summary.map(|text| hrefs(&text.html)).unwrap_or_default() {
            let location = location.clone();
            targets.push(Target {
                url,
                location,
                in_summary: true,
            });
        }
    }
    targets
}

/// The absolute http(s) `href`s of sanitised HTML (quoted with `"`).
fn hrefs(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for (at, _) in html.match_indices("href=\"") {
        let rest = &html[at + 6..];
        let Some(end) = rest.find('"') else { continue };
        let url = rest[..end].replace("&amp;", "&");
        if (url.starts_with("https://") || url.starts_with("http://")) && !links.contains(&url) {
            links.push(url);
        }
    }
    links
}

/// One target's line of the report, or `None` when it is fine.
pub fn line(target: &Target, verdict: &Verdict) -> Option<String> {
    let at = target
        .location
        .as_ref()
        .map_or_else(String::new, |location| format!("{location}: "));
    let what = if target.in_summary {
        format!("summary link {}: ", target.url)
    } else {
        String::new()
    };
    // A link of the summary is named as one, not as the entry's URL (issue 20).
    let (url, link) = if target.in_summary {
        (format!("summary link {}", target.url), "summary link")
    } else {
        (target.url.clone(), "link")
    };
    Some(match verdict {
        Verdict::Ok => return None,
        Verdict::Moved { to } => format!("{at}{what}moved permanently to {to}; update it"),
        Verdict::Unverified { reason } => {
            format!(
                "{at}unverified {url}: {reason}; the site refuses robots, check it in a browser"
            )
        }
        Verdict::Broken { reason } => format!(
            "{at}broken {link} {}: {reason}; fix or remove it",
            target.url
        ),
    })
}

/// One target in `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonLine<'a> {
    pub path: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub url: &'a str,
    pub in_summary: bool,
    #[serde(flatten)]
    pub verdict: &'a Verdict,
}

impl<'a> JsonLine<'a> {
    pub fn new(target: &'a Target, verdict: &'a Verdict) -> Self {
        let location = target.location.as_ref();
        Self {
            path: location.map(|l| l.path.to_string_lossy().replace('\\', "/")),
            line: location.map(|l| l.line),
            column: location.map(|l| l.column),
            url: &target.url,
            in_summary: target.in_summary,
            verdict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_links_are_the_absolute_web_hrefs_once_each() {
        let html = r#"<p><a href="https://a.example/x?y=1&amp;z=2">a</a> <a href="/rel">r</a> <a href="mailto:m@x">m</a> <a href="https://a.example/x?y=1&amp;z=2">again</a> <a href="http://b.example/">b</a></p>"#;
        assert_eq!(
            hrefs(html),
            ["https://a.example/x?y=1&z=2", "http://b.example/"]
        );
    }
}
