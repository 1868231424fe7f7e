//! A Markdown list's history from git: for each commit touching the file
//! (oldest first), its author, its date and the lines it added. Runs
//! `git log --follow -p` once; the importer then finds, for each entry, the
//! first commit that added a line with its link.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

/// One commit that changed the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The author date, as a calendar day in the author's own time zone.
    pub date: NaiveDate,
    pub name: String,
    pub email: String,
    /// Lines the commit added to the file, without the leading `+`.
    pub added: Vec<String>,
}

const MARK: &str = "\u{1e}oyez-commit ";

/// The history of `file`, oldest commit first.
pub fn history(file: &Path) -> Result<Vec<Commit>, String> {
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .ok_or_else(|| format!("{} is not a file", file.display()))?;
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "log",
            "--follow",
            "-p",
            "--no-color",
            "--no-ext-diff",
            "--unified=0",
        ])
        .arg(format!("--format={MARK}%aI%x1f%an%x1f%ae"))
        .arg("--")
        .arg(name)
        .output()
        .map_err(|err| {
            format!("cannot run git ({err}); install git or leave out --dates-from-git")
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "git cannot read the history of {}: {}; is it in a git repository?",
            file.display(),
            stderr.trim()
        ));
    }
    let mut commits = parse_log(&String::from_utf8_lossy(&output.stdout));
    commits.reverse();
    Ok(commits)
}

/// Parses `git log -p` output written with [`MARK`] headers, newest first.
fn parse_log(log: &str) -> Vec<Commit> {
    let mut commits: Vec<Commit> = Vec::new();
    for line in log.lines() {
        if let Some(header) = line.strip_prefix(MARK) {
            let mut fields = header.split('\u{1f}');
            let date = fields
                .next()
                .and_then(|d| d.get(..10))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            if let Some(date) = date {
                commits.push(Commit {
                    date,
                    name: fields.next().unwrap_or_default().to_owned(),
                    email: fields.next().unwrap_or_default().to_owned(),
                    added: Vec::new(),
                });
            }
        } else if let Some(added) = line.strip_prefix('+')
            && !line.starts_with("+++ ")
            && let Some(commit) = commits.last_mut()
        {
            commit.added.push(added.to_owned());
        }
    }
    commits
}

/// The oldest commit that added a line containing `needle`.
pub fn first_adding<'a>(history: &'a [Commit], needle: &str) -> Option<&'a Commit> {
    if needle.is_empty() {
        return None;
    }
    history
        .iter()
        .find(|commit| commit.added.iter().any(|line| line.contains(needle)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_output_is_split_into_commits() {
        let log = format!(
            "{MARK}2021-06-01T10:00:00+02:00\u{1f}Bob\u{1f}bob@example.org\n\ndiff --git a/l.md b/l.md\n--- a/l.md\n+++ b/l.md\n@@ -2,0 +3 @@\n+- [C](https://c.example)\n\
             {MARK}2020-01-01T00:00:00+00:00\u{1f}Ann Author\u{1f}ann@example.org\n\n+++ b/l.md\n+# List\n+- [A](https://a.example)\n"
        );
        let mut commits = parse_log(&log);
        commits.reverse();
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].name, "Ann Author");
        assert_eq!(commits[0].added, ["# List", "- [A](https://a.example)"]);
        assert_eq!(
            first_adding(&commits, "https://c.example")
                .unwrap()
                .date
                .to_string(),
            "2021-06-01"
        );
    }
}
