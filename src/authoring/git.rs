//! A Markdown list's history from git: every commit touching the file, its
//! author, co-authors, subject, whether it is on the first-parent line
//! (the branch the list is published from) and the lines it added (a merge
//! shows what it brought in against its first parent). Runs `git rev-list
//! --first-parent` and one `git log -p`; [`History::find`] then tells, for a link,
//! when it reached the list and who wrote the line.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use chrono_tz::Tz;

/// One commit that changed the file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Commit {
    /// The author date, as a calendar day in the author's own time zone.
    pub date: NaiveDate,
    pub name: String,
    pub email: String,
    /// The first line of the message.
    pub subject: String,
    /// `Co-authored-by: Name <email>` trailers.
    pub co_authors: Vec<(String, String)>,
    pub merge: bool,
    /// On the first-parent line from `HEAD`: when a line got here, it was in the list.
    pub mainline: bool,
    /// Lines the commit added to the file, without the leading `+`.
    pub added: Vec<String>,
    /// Lines it removed, without the leading `-`.
    pub removed: Vec<String>,
}

/// Where a link's line came from.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    /// The first first-parent commit with the line: its date is the entry's.
    pub landed: &'a Commit,
    /// The oldest commit that is not a merge and wrote the line, else `landed`.
    pub written: &'a Commit,
}

const MARK: &str = "\u{1e}oyez-commit ";
const END: &str = "\u{1e}oyez-end";

/// The history of `file`, oldest commit first.
pub fn history(file: &Path, zone: Tz) -> Result<History, String> {
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .ok_or_else(|| format!("{} is not a file", file.display()))?;
    let mainline = run_git(dir, file, &["rev-list", "--first-parent", "HEAD"])?;
    let mainline: BTreeSet<&str> = mainline.lines().collect();
    let format = format!("--format={MARK}%H%x1f%P%x1f%aI%x1f%an%x1f%ae%x1f%s%n%b%n{END}");
    let mut args = vec![
        "log",
        "--full-history",
        "--diff-merges=first-parent",
        "-p",
        "--no-color",
        "--no-ext-diff",
        "--unified=0",
        format.as_str(),
        "--",
    ];
    let name = name.to_string_lossy();
    args.push(&name);
    let log = run_git(dir, file, &args)?;
    let mut commits = parse_log(&log, &mainline, zone);
    commits.reverse();
    let origin = run_git(dir, file, &["config", "--get", "remote.origin.url"]).ok();
    Ok(History {
        owner: origin.as_deref().and_then(github_owner).map(str::to_owned),
        ..History::new(commits)
    })
}

fn run_git(dir: &Path, file: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
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
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Parses `git log -p` output written with [`MARK`] headers, newest first.
fn parse_log(log: &str, mainline: &BTreeSet<&str>, zone: Tz) -> Vec<Commit> {
    let mut commits: Vec<Commit> = Vec::new();
    let mut in_body = false;
    for line in log.lines() {
        if let Some(header) = line.strip_prefix(MARK) {
            in_body = true;
            commits.extend(header_commit(header, mainline, zone));
        } else if line == END {
            in_body = false;
        } else if in_body {
            if let (Some(trailer), Some(commit)) = (co_author(line), commits.last_mut()) {
                commit.co_authors.push(trailer);
            }
        } else if let Some(commit) = commits.last_mut() {
            if let Some(added) = line.strip_prefix('+').filter(|_| !line.starts_with("+++ ")) {
                commit.added.push(added.to_owned());
            } else if let Some(gone) = line.strip_prefix('-').filter(|_| !line.starts_with("--- "))
            {
                commit.removed.push(gone.to_owned());
            }
        }
    }
    commits
}

/// `hash \x1f parents \x1f date \x1f name \x1f email \x1f subject`.
fn header_commit(header: &str, mainline: &BTreeSet<&str>, zone: Tz) -> Option<Commit> {
    let mut fields = header.split('\u{1f}');
    let hash = fields.next().unwrap_or_default();
    let parents = fields.next().unwrap_or_default();
    let date = fields.next().and_then(|date| day_in(date, zone))?;
    let mut field = || fields.next().unwrap_or_default().trim().to_owned();
    Some(Commit {
        date,
        name: field(),
        email: field(),
        subject: field(),
        co_authors: Vec::new(),
        merge: parents.split_whitespace().count() > 1,
        mainline: mainline.contains(hash),
        added: Vec::new(),
        removed: Vec::new(),
    })
}

/// `Co-authored-by: Name <email>` (any case) as (name, email).
/// The day in `zone` of a git date (`%aI`, with the author's offset): not
/// the author's local day (issue 22).
fn day_in(date: &str, zone: Tz) -> Option<NaiveDate> {
    match chrono::DateTime::parse_from_rfc3339(date.trim()) {
        Ok(moment) => Some(moment.with_timezone(&zone).date_naive()),
        Err(_) => NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok(),
    }
}

fn co_author(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once(':')?;
    if !key.trim().eq_ignore_ascii_case("co-authored-by") {
        return None;
    }
    let (name, rest) = value.split_once('<')?;
    let email = rest.split_once('>')?.0;
    Some((name.trim().to_owned(), email.trim().to_owned()))
}

/// A list's commits, oldest first, with the links their added lines hold
/// indexed, so finding 3,000 links reads the history once.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub commits: Vec<Commit>,
    /// The GitHub owner of the `origin` remote, when there is one.
    pub owner: Option<String>,
    /// A link, whole, by its [`link_key`] → the commits adding a line
    /// with it, oldest first.
    links: HashMap<String, Vec<usize>>,
    /// A link's text (`[Title](…)`) → the commits adding a line with it.
    titles: HashMap<String, Vec<usize>>,
}

impl History {
    pub fn new(commits: Vec<Commit>) -> Self {
        let mut links: HashMap<String, Vec<usize>> = HashMap::new();
        let mut titles: HashMap<String, Vec<usize>> = HashMap::new();
        let index_in = |map: &mut HashMap<String, Vec<usize>>, key: &str, index| {
            let adding = map.entry(key.to_owned()).or_default();
            if adding.last() != Some(&index) {
                adding.push(index);
            }
        };
        for (index, commit) in commits.iter().enumerate() {
            for line in &commit.added {
                for link in links_in(line) {
                    index_in(&mut links, link_key(link), index);
                }
                for title in link_texts(line) {
                    index_in(&mut titles, title, index);
                }
            }
        }
        Self {
            commits,
            owner: None,
            links,
            titles,
        }
    }

    /// When a line linking `title` (`[title](…)`) first reached the list.
    pub fn find_title(&self, title: &str) -> Option<Found<'_>> {
        let adding: Vec<&Commit> = self
            .titles
            .get(title)?
            .iter()
            .filter_map(|&i| self.commits.get(i))
            .collect();
        landed_and_written(&adding)
    }

    /// When the line holding `needle` (a link, else a title) reached the
    /// list, and who wrote it. A link matches only whole: `…/is` is not `…/is-up`.
    pub fn find(&self, needle: &str) -> Option<Found<'_>> {
        if needle.is_empty() {
            return None;
        }
        let adding: Vec<&Commit> = match self.links.get(link_key(needle)) {
            Some(indices) => indices
                .iter()
                .filter_map(|&i| self.commits.get(i))
                .collect(),
            // A title, or a link the index cuts differently (parentheses in it).
            None => self
                .commits
                .iter()
                .filter(|c| c.added.iter().any(|line| holds_whole(line, needle)))
                .collect(),
        };
        landed_and_written(&adding)
    }
}

/// Of the commits adding a line, oldest first: the first on the
/// first-parent line, and the first that wrote it (not a merge).
fn landed_and_written<'h>(adding: &[&'h Commit]) -> Option<Found<'h>> {
    let landed = *adding
        .iter()
        .find(|c| c.mainline)
        .or_else(|| adding.first())?;
    let written = adding
        .iter()
        .find(|c| !c.merge && c.date <= landed.date)
        .copied()
        .unwrap_or(landed);
    Some(Found { landed, written })
}

/// The texts of the inline links in a line: `Title` of `[Title](…)`.
fn link_texts(line: &str) -> impl Iterator<Item = &str> {
    line.match_indices("](").filter_map(move |(end, _)| {
        let open = line[..end].rfind('[')?;
        let text = &line[open + 1..end];
        (!text.is_empty() && !text.contains(']')).then_some(text)
    })
}

/// A link as dating compares it: without its scheme and trailing `/`, so
/// that a commit that only added or removed a slash, or moved to https,
/// does not date the entry again (issue 22).
pub(crate) fn link_key(link: &str) -> &str {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))
        .unwrap_or(link);
    rest.trim_end_matches('/')
}

/// The `http(s)://` links in a line, each cut where a URL cannot go on
/// (space, `)`, `>`, `]`, quotes) and without trailing punctuation.
pub(crate) fn links_in(line: &str) -> impl Iterator<Item = &str> {
    line.match_indices("http").filter_map(move |(at, _)| {
        let rest = &line[at..];
        if !(rest.starts_with("http://") || rest.starts_with("https://")) {
            return None;
        }
        let before = line[..at].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | ']' | '"' | '\'' | '<'))
            .unwrap_or(rest.len());
        Some(rest[..end].trim_end_matches(['.', ',', ';', ':', '!']))
    })
}

/// Whether `needle` occurs in `line` as a whole: the characters around it
/// cannot continue a URL or a word.
pub fn holds_whole(line: &str, needle: &str) -> bool {
    line.match_indices(needle).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let mut after = line[at + needle.len()..].chars();
        let next = after.next();
        let continues = |c: char| c.is_alphanumeric() || "-_/~%?#&=+@".contains(c);
        let ends = match next {
            None => true,
            Some('.' | ':' | ',' | ';' | '!') => after.next().is_none_or(|c| !continues(c)),
            Some(c) => !continues(c),
        };
        ends && before.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The GitHub handle a commit e-mail gives: `12345+handle@users.noreply.github.com`
/// or `handle@users.noreply.github.com`.
pub fn noreply_handle(email: &str) -> Option<&str> {
    let (local, host) = email.rsplit_once('@')?;
    if !host.eq_ignore_ascii_case("users.noreply.github.com") {
        return None;
    }
    let handle = local.split_once('+').map_or(local, |(_, handle)| handle);
    crate::catalogue::is_handle(handle).then_some(handle)
}

/// The owner in a GitHub remote URL: `https://github.com/owner/repo.git`
/// or `git@github.com:owner/repo.git`.
fn github_owner(url: &str) -> Option<&str> {
    let (_, rest) = url.trim().split_once("github.com")?;
    let owner = rest.trim_start_matches([':', '/']).split('/').next()?;
    crate::catalogue::is_handle(owner).then_some(owner)
}

/// The handle of a pull request's author in a GitHub merge subject:
/// `Merge pull request #12 from handle/branch`.
pub fn merged_pull_request_author(subject: &str) -> Option<&str> {
    let rest = subject.strip_prefix("Merge pull request #")?;
    let (_, from) = rest.split_once(" from ")?;
    let handle = from.split_once('/')?.0;
    crate::catalogue::is_handle(handle).then_some(handle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_output_is_split_into_commits() {
        let log = format!(
            "{MARK}c2\u{1f}m1 b1\u{1f}2021-06-01T10:00:00+02:00\u{1f}Bob\u{1f}bob@example.org\u{1f}Merge pull request #3 from bobby/c\n\nCo-authored-by: Eve Ed <1+eve@users.noreply.github.com>\n{END}\n\ndiff --git a/l.md b/l.md\n--- a/l.md\n+++ b/l.md\n@@ -2,0 +3 @@\n+- [C](https://c.example)\n\
             {MARK}c1\u{1f}\u{1f}2020-01-01T00:00:00+00:00\u{1f}Ann Author\u{1f}ann@example.org\u{1f}Start\n\n{END}\n+++ b/l.md\n+# List\n+- [A](https://a.example)\n"
        );
        let mainline = BTreeSet::from(["c1"]);
        let mut commits = parse_log(&log, &mainline, Tz::UTC);
        commits.reverse();
        let history = History::new(commits.clone());
        assert_eq!(commits.len(), 2);
        assert_eq!(commits[0].name, "Ann Author");
        assert_eq!(commits[0].added, ["# List", "- [A](https://a.example)"]);
        assert!(commits[0].mainline && !commits[0].merge);
        assert!(commits[1].merge && !commits[1].mainline);
        assert_eq!(
            commits[1].co_authors,
            [(
                "Eve Ed".to_owned(),
                "1+eve@users.noreply.github.com".to_owned()
            )]
        );
        let found = history.find("https://c.example").unwrap();
        assert_eq!(found.landed.date.to_string(), "2021-06-01");
        assert_eq!(
            merged_pull_request_author(&found.landed.subject),
            Some("bobby")
        );
    }

    #[test]
    fn the_index_and_the_scan_agree_on_whole_links() {
        let commit = |line: &str, mainline| Commit {
            added: vec![line.to_owned()],
            removed: Vec::new(),
            mainline,
            ..Commit::default()
        };
        let history = History::new(vec![
            commit("- [is-up](https://github.com/s/is-up) - Up.", true),
            commit(
                "- [W](https://en.wikipedia.org/wiki/X_(y)) and <https://a.example/b>.",
                true,
            ),
            commit("- [is](https://github.com/s/is)", false),
        ]);
        let landed = |needle: &str| history.find(needle).map(|f| f.landed.added[0].clone());
        assert_eq!(
            landed("https://github.com/s/is").as_deref(),
            Some("- [is](https://github.com/s/is)")
        );
        assert!(landed("https://en.wikipedia.org/wiki/X_(y)").is_some());
        assert!(landed("https://a.example/b").is_some());
        assert!(landed("https://a.example").is_none());
        assert!(landed("https://github.com/s").is_none());
    }

    // Issue 22: a commit's day is the day in the site's time zone, not
    // the author's: 23:30 at UTC-5 is the next day in Madrid.
    #[test]
    fn a_commit_day_is_the_day_in_the_site_zone() {
        let date = "2021-06-01T23:30:00-05:00";
        let madrid: Tz = "Europe/Madrid".parse().unwrap();
        assert_eq!(day_in(date, madrid), NaiveDate::from_ymd_opt(2021, 6, 2));
        assert_eq!(day_in(date, Tz::UTC), NaiveDate::from_ymd_opt(2021, 6, 2));
        let tokyo_morning = "2021-06-02T08:00:00+09:00";
        assert_eq!(
            day_in(tokyo_morning, Tz::UTC),
            NaiveDate::from_ymd_opt(2021, 6, 1)
        );
        assert_eq!(
            day_in("2021-06-01", Tz::UTC),
            NaiveDate::from_ymd_opt(2021, 6, 1)
        );
    }

    /// A first-parent commit adding `line` on day `day` of January 2015.
    fn on_day(line: &str, day: u32) -> Commit {
        Commit {
            added: vec![line.to_owned()],
            removed: Vec::new(),
            mainline: true,
            date: chrono::NaiveDate::from_ymd_opt(2015, 1, day).unwrap(),
            ..Commit::default()
        }
    }

    // Issue 22: a commit that only removed a slash or moved to https
    // does not date the link again.
    #[test]
    fn a_slash_or_the_scheme_is_the_same_link() {
        let history = History::new(vec![
            on_day("- [x](http://x.example.org/) - X.", 1),
            on_day("- [x](https://x.example.org) - X.", 2),
        ]);
        let day = |needle: &str| {
            history
                .find(needle)
                .map(|f| chrono::Datelike::day(&f.landed.date))
        };
        assert_eq!(day("https://x.example.org/"), Some(1));
        assert_eq!(day("https://x.example.org"), Some(1));
        assert_eq!(day("https://x.example.org/y"), None);
    }

    // Issue 22: an entry whose link changed is found by its title's line.
    #[test]
    fn a_title_is_found_by_the_first_line_linking_it() {
        let history = History::new(vec![
            on_day("- [Foo Tool](http://old.example/foo) - X.", 1),
            on_day(
                "- [Foo Tool](https://new.example/foo) - X. See [docs](https://d.example).",
                2,
            ),
        ]);
        let day = |found: Option<Found<'_>>| found.map(|f| chrono::Datelike::day(&f.landed.date));
        assert_eq!(day(history.find("https://new.example/foo")), Some(2));
        assert_eq!(day(history.find_title("Foo Tool")), Some(1));
        assert_eq!(day(history.find_title("docs")), Some(2));
        assert_eq!(day(history.find_title("Foo")), None);
        assert_eq!(link_texts("[a] [b](x) [](y)").collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn links_match_whole_not_as_prefixes() {
        let line = "- [is-up](https://github.com/sindresorhus/is-up) - Check.";
        assert!(!holds_whole(line, "https://github.com/sindresorhus/is"));
        assert!(holds_whole(line, "https://github.com/sindresorhus/is-up"));
        assert!(holds_whole(
            "see https://a.example/x.",
            "https://a.example/x"
        ));
        assert!(!holds_whole("https://a.example/x.y", "https://a.example/x"));
        assert!(!holds_whole(
            "<https://a.example/x/>",
            "https://a.example/x"
        ));
    }

    #[test]
    fn the_owner_of_a_github_remote() {
        assert_eq!(
            github_owner("https://github.com/acme/awesome-x.git\n"),
            Some("acme")
        );
        assert_eq!(
            github_owner("git@github.com:acme/awesome-x.git"),
            Some("acme")
        );
        assert_eq!(github_owner("/srv/mirror/awesome-x"), None);
    }

    #[test]
    fn noreply_addresses_give_handles() {
        assert_eq!(
            noreply_handle("12345+octo-cat@users.noreply.github.com"),
            Some("octo-cat")
        );
        assert_eq!(
            noreply_handle("octo@users.noreply.github.com"),
            Some("octo")
        );
        assert_eq!(noreply_handle("octo@example.org"), None);
        assert_eq!(
            noreply_handle("1+dependabot[bot]@users.noreply.github.com"),
            None
        );
    }
}
