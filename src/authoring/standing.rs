//! What git says about the lines that stand in a list or catalogue now
//! (issue 22): for a pull request, the lines added since its base; for an
//! imported list, which commit brought back a link that had left the list,
//! so that the line that stands is credited to who wrote it.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use super::git::{Commit, Found, History, link_key, links_in};

/// The lines the catalogue in `dir` has that it did not have at `rev`
/// (`git diff rev`: committed since, or changed in the working tree), for
/// a pull request's link check of the entries it changes (issue 22).
pub fn added_since(dir: &Path, rev: &str) -> Result<String, String> {
    if rev.starts_with('-') {
        return Err(format!("--changed-since {rev:?} is no git revision"));
    }
    let diff = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["diff", "--no-color", "--no-ext-diff", "--unified=0"])
        .args([rev, "--", "."])
        .output()
        .map_err(|err| {
            format!("cannot run git ({err}); install git or leave out --changed-since")
        })?;
    if !diff.status.success() {
        let stderr = String::from_utf8_lossy(&diff.stderr);
        return Err(format!(
            "git cannot compare {} with {rev}: {}; fetch that revision (actions/checkout with fetch-depth: 0)",
            dir.display(),
            stderr.trim()
        ));
    }
    let text = String::from_utf8_lossy(&diff.stdout);
    let added = text.lines().filter(|line| !line.starts_with("+++ "));
    Ok(added
        .filter_map(|line| line.strip_prefix('+'))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// For each link, the changes of its presence along the first-parent
/// line: (commit index, lines added minus lines removed holding it).
pub struct Standing<'h> {
    history: &'h History,
    changes: HashMap<&'h str, Vec<(usize, i32)>>,
}

impl<'h> Standing<'h> {
    pub fn new(history: &'h History) -> Self {
        let mut changes: HashMap<&'h str, Vec<(usize, i32)>> = HashMap::new();
        for (index, commit) in history.commits.iter().enumerate() {
            if !commit.mainline {
                continue;
            }
            let lines = [(&commit.added, 1), (&commit.removed, -1)];
            for (lines, sign) in lines {
                for link in lines.iter().flat_map(|line| links_in(line)) {
                    let change = changes.entry(link_key(link)).or_default();
                    match change.last_mut() {
                        Some((at, delta)) if *at == index => *delta += sign,
                        _ => change.push((index, sign)),
                    }
                }
            }
        }
        Self { history, changes }
    }

    /// For a link that left the list (no line held it any more) and came
    /// back: the commit that brought it back and the one that wrote the
    /// line that stands. `None` for a link that never left.
    pub fn returned(&self, link: &str) -> Option<Found<'h>> {
        let commits = &self.history.commits;
        let mut present = 0;
        let (mut gone, mut back) = (None, None);
        for &(index, delta) in self.changes.get(link_key(link))? {
            let before = present;
            present += delta;
            if before > 0 && present <= 0 {
                gone = Some(index);
            } else if before <= 0 && present > 0 && gone.is_some() {
                back = Some(index);
            }
        }
        let (gone, back) = (gone?, back?);
        let landed: &Commit = commits.get(back)?;
        // Who wrote the line brought back: the oldest commit that is no
        // merge and added it after it left, else the one that brought it.
        let written = commits
            .iter()
            .enumerate()
            .skip(gone + 1)
            .take_while(|(index, _)| *index <= back)
            .map(|(_, commit)| commit)
            .find(|commit| !commit.merge && commit.added.iter().any(|l| holds(l, link)))
            .unwrap_or(landed);
        Some(Found { landed, written })
    }
}

fn holds(line: &str, link: &str) -> bool {
    links_in(line).any(|found| link_key(found) == link_key(link))
}
