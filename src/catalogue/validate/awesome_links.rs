//! Two entries of an awesome catalogue whose links awesome-lint takes for
//! one (issue 22): the same link written with another scheme, `www.` or a
//! trailing `/`. Warned where the later one is; the same link written the
//! same way twice is an error of [`super::unique`].

use std::collections::HashMap;
use std::path::PathBuf;

use crate::catalogue::location::{Diagnostic, Location};

use super::entries::AllEntries;

/// A link as awesome-lint compares links: without its scheme, `www.` and
/// trailing `/`, its host in lower case.
fn compared(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (host, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    format!("{host}{}", path.trim_end_matches('/'))
}

/// Every entry whose link awesome-lint takes for an earlier entry's (the
/// same link written another way: the same link twice is an error of its
/// own), warned where it is; `paths` are the entries files.
pub(crate) fn repeated_links(
    checked: &AllEntries,
    paths: &[PathBuf],
    warnings: &mut Vec<Diagnostic>,
) {
    let entries = checked.in_file_order();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let Some(url) = &entry.url else { continue };
        let Some(&earlier) = first.get(&compared(url)) else {
            first.insert(compared(url), index);
            continue;
        };
        let (Some(here), Some(there)) = (checked.origins.get(index), checked.origins.get(earlier))
        else {
            continue;
        };
        let same = entries.get(earlier).and_then(|e| e.url.as_ref()) == Some(url);
        if same {
            continue;
        }
        let path = |file: usize| paths.get(file).cloned().unwrap_or_default();
        warnings.push(Diagnostic {
            location: Some(Location {
                path: path(here.file),
                line: here.line,
                column: here.column,
            }),
            message: format!(
                "awesome-lint takes this link for the one of the entry at {}:{}",
                path(there.file).display(),
                there.line
            ),
            help: "keep one of the two entries".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_compare_without_scheme_www_and_trailing_slash() {
        assert_eq!(compared("https://www.Example.org/a/"), "example.org/a");
        assert_eq!(compared("http://example.org/a"), "example.org/a");
        assert_ne!(compared("https://example.org/A"), "example.org/a");
    }
}
