//! `oyez import markdown`: a Markdown list ([`mod@parse`]) matched against the
//! catalogue it goes into ([`stage`]): sections become categories (slugs
//! made unique), items entries with explicit ids, dated update lines
//! update-log records. What the catalogue already has (same URL, same id,
//! same update) is skipped, so importing twice adds nothing twice.
//!
//! Which items are new is decided in `known`, which category a section
//! goes into in `categories`, dates and credits in `dating`, the
//! `oyez.toml` side in `config`.

mod categories;
mod config;
mod credit;
mod dating;
mod known;
pub mod parse;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::git::History;
use super::records::{self, NewEntry, NewUpdate};
use super::workspace::Workspace;
use crate::authoring::standing::Standing;
use crate::catalogue::{Catalogue, link};
use categories::section_slugs;
use known::{Known, normalise};
use parse::inline::one_line;

pub use credit::Source as CreditSource;
pub use dating::GitCredits;
pub use parse::{Contributor, Document, Item, LogLine, Section, SectionKind, Skipped, parse};

/// How dates and names are filled in.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--date`, else today.
    pub default_date: NaiveDate,
    /// `--dates-from-git`: the list file's history, oldest first.
    pub history: Option<History>,
    /// Credit the authors of commits (off with `--no-git-credits`).
    pub git_credits: bool,
    /// `--timezone`: a new catalogue's `[site] timezone`.
    pub timezone: Option<String>,
    /// The list's file name, for the new catalogue's title and comments.
    pub source: String,
    /// The list's folder name: the title of a `README.md` that has none.
    pub folder: Option<String>,
}

/// What an import made and skipped.
#[derive(Debug, Default)]
pub struct Report {
    /// Slug, title, entries added, whether the category is new.
    pub categories: Vec<(String, String, usize, bool)>,
    pub entries: usize,
    pub updates: usize,
    pub contributors: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Sections that held no entries, and their line.
    pub empty_sections: Vec<(String, usize)>,
    /// Entries dated from the update log, from git.
    pub dated_from_log: usize,
    pub dated_from_git: usize,
    /// With `--dates-from-git`, entries no commit dated: line and title.
    pub fallbacks: Vec<(usize, String)>,
    /// Entries dated by the first line linking their title, earlier than
    /// their link (it changed since): line and title. Uncertain.
    pub dated_by_title: Vec<(usize, String)>,
    pub git_credits: GitCredits,
    /// What was guessed rather than read.
    pub guessed: Vec<String>,
}

/// An entry and the other categories that list it too (`also`).
type Listed = (NewEntry, Vec<String>);

/// What an import adds, before it is written.
struct Plan {
    slugs: BTreeMap<Option<usize>, (String, String)>,
    /// Category slug, entry (and the other categories that list it too),
    /// and names git credits without a handle, in list order.
    entries: Vec<(String, Listed, Vec<String>)>,
    updates: Vec<NewUpdate>,
    /// Commit authors credited by `--dates-from-git`: handle → name, uri.
    contributors: BTreeMap<String, (String, Option<String>)>,
}

/// Stages the document's new categories, entries and updates into
/// `workspace`; `existing` is the catalogue already there, if any.
pub fn stage(
    doc: &Document,
    workspace: &mut Workspace,
    existing: Option<&Catalogue>,
    options: &Options,
) -> Report {
    let mut report = Report::default();
    let plan = plan(doc, existing, options, &mut report);
    config::stage(doc, workspace, existing, options, &plan, &mut report);
    // Finding a category's file parses every entries file: once per category
    // and before anything is appended (per entry, 3,000 entries took minutes).
    let updates_file = workspace.updates_file();
    let mut files: BTreeMap<&str, std::path::PathBuf> = BTreeMap::new();
    for (slug, _, _) in &plan.entries {
        if !files.contains_key(slug.as_str()) {
            files.insert(slug, workspace.category_file(slug));
        }
    }
    for (slug, entry, names) in &plan.entries {
        let Some(path) = files.get(slug.as_str()).cloned() else {
            continue;
        };
        let preamble = format!(
            "# Imported from {} by `oyez import markdown`.\n{}",
            options.source,
            records::key_toml("category", slug)
        );
        let mut table = records::entry_toml_also(&entry.0, &entry.1);
        if !names.is_empty() {
            // No handle is known for them: the name stays a name (issue 11).
            let names = one_line(&names.join(", "));
            table = format!("# added in git by {names}\n{table}");
        }
        workspace.append(&path, &preamble, &table);
    }
    for update in &plan.updates {
        let text = records::update_toml(update);
        workspace.append(&updates_file, "# The update log.\n", &text);
    }
    report.entries = plan.entries.len();
    report.updates = plan.updates.len();
    report.skipped.extend(doc.skipped.iter().cloned());
    report.guessed.splice(0..0, doc.guessed.iter().cloned());
    report.skipped.sort_by_key(|s| s.line);
    report
}

fn plan(
    doc: &Document,
    existing: Option<&Catalogue>,
    options: &Options,
    report: &mut Report,
) -> Plan {
    let (admitted, also) = admit(doc, existing, report);
    // Only sections with something new become categories, so a section
    // whose items were all skipped does not shift the slugs of the others.
    let used = admitted.iter().map(|(item, _)| item.section);
    let mut plan = Plan {
        slugs: section_slugs(doc, existing, used.chain(also.values().flatten().copied())),
        entries: Vec::new(),
        updates: new_updates(doc, existing),
        contributors: BTreeMap::new(),
    };
    let people = options.history.as_ref().map(|history| {
        let people = credit::People::new(&history.commits, existing);
        (
            people.owned_by(history.owner.clone()),
            Standing::new(history),
        )
    });
    let ids: BTreeMap<usize, String> = admitted
        .iter()
        .map(|(i, id)| (i.line, id.clone()))
        .collect();
    for (at, (item, id)) in admitted.into_iter().enumerate() {
        let Some((slug, _)) = plan.slugs.get(&item.section) else {
            continue;
        };
        let others = also.get(&at).map(Vec::as_slice).unwrap_or_default();
        let also: Vec<String> = others
            .iter()
            .filter_map(|section| plan.slugs.get(section))
            .map(|(other, _)| other.clone())
            .filter(|other| other != slug)
            .collect();
        let dated = dating::date(
            item,
            doc,
            options,
            people.as_ref().map(|(people, standing)| (people, standing)),
            report,
            &mut plan.contributors,
        );
        let mut entry = new_entry(item, id, dated.added, dated.by);
        entry.under = item.under.and_then(|line| ids.get(&line).cloned());
        plan.entries
            .push((slug.clone(), (entry, also), dated.names));
    }
    empty_sections(doc, &plan, report);
    plan
}

/// Reports the sections with nothing new, which make no category.
fn empty_sections(doc: &Document, plan: &Plan, report: &mut Report) {
    for (index, section) in doc.sections.iter().enumerate() {
        // A news section's dated lines are updates, not "nothing new".
        let news = section.kind == SectionKind::Log
            && doc.log.iter().any(|line| within(doc, line.section, index));
        let ignored = matches!(section.kind, SectionKind::Ignored(_)) || news;
        if !plan.slugs.contains_key(&Some(index)) && !ignored {
            let place = (section.title.clone(), section.line);
            report.empty_sections.push(place);
        }
    }
}

/// The items that are new, with their ids, and for each (by its place
/// among them) the other sections that list the same link again: a
/// deliberate double listing (issue 22), kept as `also`. Every other item
/// is reported as skipped.
#[allow(clippy::type_complexity)]
fn admit<'d>(
    doc: &'d Document,
    existing: Option<&Catalogue>,
    report: &mut Report,
) -> (Vec<(&'d Item, String)>, BTreeMap<usize, Vec<Option<usize>>>) {
    let mut known = Known::new(existing);
    let mut admitted = Vec::new();
    let mut by_link: BTreeMap<String, usize> = BTreeMap::new();
    let mut also: BTreeMap<usize, Vec<Option<usize>>> = BTreeMap::new();
    for item in &doc.items {
        let link = item.url.as_deref().and_then(normalise);
        match known.admit(item) {
            Ok(id) => {
                if let Some(link) = link {
                    by_link.insert(link, admitted.len());
                }
                admitted.push((item, id));
            }
            Err(reason) => {
                let first = link.and_then(|link| by_link.get(&link).copied());
                let elsewhere = first.filter(|&at| {
                    admitted
                        .get(at)
                        .is_some_and(|(f, _)| f.section != item.section)
                });
                match elsewhere.and_then(|at| Some((at, admitted.get(at)?.0.line))) {
                    Some((at, line)) => {
                        report.guessed.push(format!(
                            "line {}: the link of line {line} again, under another heading: listed there too (`also`)",
                            item.line
                        ));
                        also.entry(at).or_default().push(item.section);
                    }
                    None => report.skipped.push(Skipped {
                        line: item.line,
                        what: item.url.clone().unwrap_or_else(|| item.title.clone()),
                        reason,
                    }),
                }
            }
        }
    }
    (admitted, also)
}

/// Whether `section` is `ancestor` or nested under it.
fn within(doc: &Document, section: Option<usize>, ancestor: usize) -> bool {
    let mut current = section;
    while let Some(index) = current {
        if index == ancestor {
            return true;
        }
        current = doc.sections.get(index).and_then(|s| s.parent);
    }
    false
}

fn new_entry(item: &Item, id: String, added: NaiveDate, by: Vec<String>) -> NewEntry {
    NewEntry {
        id,
        title: item.title.clone(),
        url: item.url.as_deref().and_then(|written| {
            // A bare host as written (issue 22).
            Some(link::as_written(normalise(written)?, written.trim()))
        }),
        added,
        by,
        authors: Vec::new(),
        tags: item.group.iter().cloned().collect(),
        summary: item.summary.clone(),
        category: None,
        group: item.group.clone(),
        under: None,
        badges: item.badges.clone(),
    }
}

/// Update-log lines the catalogue does not have yet, oldest first.
fn new_updates(doc: &Document, existing: Option<&Catalogue>) -> Vec<NewUpdate> {
    let mut lines: Vec<&LogLine> = doc.log.iter().collect();
    lines.sort_by_key(|line| (line.date, line.line));
    let mut seen: BTreeSet<(NaiveDate, String)> = existing
        .map(|c| c.updates.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|u| (u.day, u.note.markdown.trim().to_owned()))
        .collect();
    let mut updates = Vec::new();
    for line in lines {
        let note = if line.note.is_empty() {
            "Updated".to_owned()
        } else {
            line.note.clone()
        };
        if seen.insert((line.date, note.clone())) {
            updates.push(NewUpdate {
                date: line.date,
                note,
                by: line.by.iter().map(|h| format!("@{h}")).collect(),
            });
        }
    }
    updates
}
