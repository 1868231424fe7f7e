//! An imported entry's `added` date and credits. The date is, in order: the
//! earliest update-log line naming it, the first-parent commit that brought
//! its link into the list (`--dates-from-git`; or, when a line linking its
//! title came earlier, that one: its link changed since, and the summary
//! names it as uncertain), `--date`, today; every entry git could not date
//! is named in the summary. Credits are the item's own
//! `@handles`, else (with `--dates-from-git`, unless `--no-git-credits`)
//! whoever wrote its line ([`credit`](super::credit)).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::credit::{Credit, People, Source};
use super::known::normalise;
use super::{Document, Item, LogLine, Options, Report};
use crate::authoring::git::History;
use crate::authoring::standing::Standing;

/// What git credited, for the import summary.
#[derive(Debug, Default)]
pub struct GitCredits {
    /// Entries credited from git.
    pub entries: usize,
    /// Handles credited, by how they were found.
    pub handles: BTreeMap<Source, usize>,
    /// Of those, from `Co-authored-by` trailers.
    pub co_authors: usize,
    /// Names with no known handle, kept as names, and how many entries each.
    pub names: BTreeMap<String, usize>,
    /// Entries whose link left the list and came back, credited to who
    /// wrote the line that stands.
    pub returned: usize,
}

/// An entry's date and credits.
pub(super) struct Dated {
    pub(super) added: NaiveDate,
    /// Handles with their `@`.
    pub(super) by: Vec<String>,
    /// Names git credits that no handle is known for.
    pub(super) names: Vec<String>,
}

/// Dates and credits `item`; `contributors` collects new handles from git
/// (handle → name, uri).
pub(super) fn date(
    item: &Item,
    doc: &Document,
    options: &Options,
    people: Option<(&People, &Standing<'_>)>,
    report: &mut Report,
    contributors: &mut BTreeMap<String, (String, Option<String>)>,
) -> Dated {
    let found = options.history.as_ref().and_then(|history| {
        let needle = item.url.as_deref().unwrap_or(&item.title);
        history.find(needle)
    });
    let added = if let Some(date) = log_date(item, &doc.log) {
        report.dated_from_log += 1;
        date
    } else if let Some(found) = found {
        report.dated_from_git += 1;
        let by_title = options
            .history
            .as_ref()
            .and_then(|history| title_date(item, doc, history))
            .filter(|&day| day < found.landed.date);
        if by_title.is_some() {
            report.dated_by_title.push((item.line, item.title.clone()));
        }
        by_title.unwrap_or(found.landed.date)
    } else {
        if options.history.is_some() {
            report.fallbacks.push((item.line, item.title.clone()));
        }
        options.default_date
    };
    let mut dated = Dated {
        added,
        by: item.handles.iter().map(|h| format!("@{h}")).collect(),
        names: Vec::new(),
    };
    if let (true, Some(found), Some((people, standing)), true) =
        (dated.by.is_empty(), found, people, options.git_credits)
    {
        // A link that left the list and came back: the line that stands
        // is credited to who wrote it (issue 22).
        let returned = item.url.as_deref().and_then(|url| standing.returned(url));
        report.git_credits.returned += usize::from(returned.is_some());
        let found = returned.unwrap_or(found);
        credit(&mut dated, &people.credits(found), report, contributors);
    }
    dated
}

fn credit(
    dated: &mut Dated,
    credits: &[Credit],
    report: &mut Report,
    contributors: &mut BTreeMap<String, (String, Option<String>)>,
) {
    report.git_credits.entries += 1;
    for (index, credit) in credits.iter().enumerate() {
        match credit {
            Credit::Handle {
                handle,
                name,
                github,
                source,
            } => {
                *report.git_credits.handles.entry(*source).or_default() += 1;
                report.git_credits.co_authors += usize::from(index > 0);
                dated.by.push(format!("@{handle}"));
                let uri = github.then(|| format!("https://github.com/{handle}"));
                contributors
                    .entry(handle.clone())
                    .or_insert_with(|| (name.clone(), uri));
            }
            Credit::Name(name) if !name.is_empty() => {
                *report.git_credits.names.entry(name.clone()).or_default() += 1;
                dated.names.push(name.clone());
            }
            Credit::Name(_) => {}
        }
    }
}

/// When a line linking the item's title as written (`[Title](…)`) first
/// reached the list, for an entry whose link changed since (issue 22):
/// only for a title of four characters or more that no other item has.
fn title_date(item: &Item, doc: &Document, history: &History) -> Option<NaiveDate> {
    let unique = doc
        .items
        .iter()
        .filter(|other| other.title == item.title)
        .count()
        == 1;
    if item.url.is_none() || item.title.chars().count() < 4 || !unique {
        return None;
    }
    Some(history.find_title(&item.title)?.landed.date)
}

/// The earliest update-log line naming the item: a link to its URL, or its
/// title (six characters or more) in the line's text.
fn log_date(item: &Item, log: &[LogLine]) -> Option<NaiveDate> {
    let url = item.url.as_deref().and_then(normalise);
    let title = item.title.to_lowercase();
    log.iter()
        .filter(|line| {
            let linked = url.as_ref().is_some_and(|url| {
                line.links
                    .iter()
                    .any(|l| normalise(l).as_ref() == Some(url))
            });
            let named = title.chars().count() >= 6 && line.text.to_lowercase().contains(&title);
            linked || named
        })
        .map(|line| line.date)
        .min()
}
