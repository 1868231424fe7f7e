//! `oyez import markdown FILE [--into DIR] [--date D] [--dates-from-git [--no-git-credits]] [--timezone ZONE]`:
//! read a Markdown list, stage what the catalogue lacks, validate the whole
//! catalogue as it would be, write, and report what was made and skipped.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;

use super::{parse_day, show, today, workspace_error};
use crate::authoring::git;
use crate::authoring::import::{self, GitCredits, Options, Report};
use crate::authoring::schema;
use crate::authoring::workspace::Workspace;
use crate::catalogue::CONFIG_FILE;
use crate::digest::counted;
use crate::error::{CommandError, Error};

#[derive(Debug, clap::Subcommand)]
pub(super) enum Source {
    /// Import a Markdown list (an awesome-list README, a blog post's list)
    Markdown(Args),
}

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The Markdown file
    file: PathBuf,
    /// Catalogue folder to import into (created when missing)
    #[arg(long, default_value = ".")]
    into: PathBuf,
    /// `added` of entries the list does not date, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = parse_day)]
    date: Option<NaiveDate>,
    /// Date each entry by the commit that brought its link into the list,
    /// and credit that line's author when the item names no handle
    #[arg(long)]
    dates_from_git: bool,
    /// With --dates-from-git: date from git, but credit nobody from it
    #[arg(long, requires = "dates_from_git")]
    no_git_credits: bool,
    /// The time zone whose day a commit falls on, an IANA name; a new
    /// catalogue gets it as `[site] timezone` [default: the catalogue's, else UTC]
    #[arg(long, value_parser = parse_zone)]
    timezone: Option<Tz>,
}

fn parse_zone(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| {
        format!("unknown time zone {text:?}; use an IANA name such as Europe/Madrid or UTC")
    })
}

pub(super) fn run(source: Source) -> Result<(), Error> {
    let Source::Markdown(args) = source;
    let markdown = fs::read_to_string(&args.file).map_err(|err| CommandError::Read {
        path: args.file.display().to_string(),
        reason: err.to_string(),
    })?;
    let dir = &args.into;
    let existing = if dir.join(CONFIG_FILE).exists() {
        Some(super::load(dir)?.catalogue)
    } else {
        None
    };
    // A commit's day is the day in the site's time zone (issue 22).
    let zone = args
        .timezone
        .or_else(|| existing.as_ref().map(|c| c.site.timezone))
        .unwrap_or(Tz::UTC);
    let history = if args.dates_from_git {
        Some(git::history(&args.file, zone).map_err(CommandError::Git)?)
    } else {
        None
    };
    let default_date = args.date.unwrap_or_else(|| match &existing {
        Some(catalogue) => today(catalogue),
        None => Utc::now().date_naive(),
    });
    let options = Options {
        default_date,
        history,
        git_credits: !args.no_git_credits,
        timezone: args.timezone.map(|zone| zone.name().to_owned()),
        folder: list_folder(&args.file),
        source: source_name(&args.file),
    };
    let document = import::parse(&markdown);
    let mut workspace = Workspace::open(dir).map_err(workspace_error)?;
    let report = import::stage(&document, &mut workspace, existing.as_ref(), &options);
    if existing.is_none() {
        schema::add_to_workspace(&mut workspace);
    }
    if existing.is_none() && report.entries == 0 {
        return Err(CommandError::NothingToImport(args.file.display().to_string()).into());
    }
    let changed: Vec<String> = workspace.changed().map(|p| show(dir, p)).collect();
    let loaded = workspace.commit().map_err(workspace_error)?;
    let fallback = match args.date {
        Some(date) => format!("--date {date}"),
        None => format!("today, {default_date}"),
    };
    let text = describe(
        &args.file,
        &report,
        &changed,
        loaded.warnings.len(),
        &fallback,
    );
    print_report(&text);
    Ok(())
}

/// The list's file name, as the report names it.
fn source_name(file: &Path) -> String {
    file.file_name()
        .map_or_else(|| "the list".into(), |n| n.to_string_lossy().into_owned())
}

/// The name of the folder holding the list, for a README without a title.
fn list_folder(file: &Path) -> Option<String> {
    let folder = fs::canonicalize(file)
        .ok()?
        .parent()?
        .file_name()?
        .to_owned();
    Some(folder.to_string_lossy().into_owned())
}

/// Prints the report; a closed pipe (`| head`) is not an error.
fn print_report(lines: &[String]) {
    let text = lines.join("\n") + "\n";
    let _ = io::stdout().lock().write_all(text.as_bytes());
}

fn describe(
    file: &Path,
    report: &Report,
    changed: &[String],
    warnings: usize,
    fallback: &str,
) -> Vec<String> {
    let mut lines = vec![format!(
        "imported {}: {}, {}, {}",
        file.display(),
        counted(report.entries, "entry", "entries"),
        counted(report.updates, "update", "updates"),
        counted(report.categories.len(), "category", "categories")
    )];
    for (slug, title, count, is_new) in &report.categories {
        let new = if *is_new { "new" } else { "existing" };
        let count = counted(*count, "entry", "entries");
        lines.push(format!("  {slug}: {title:?}, {count} ({new} category)"));
    }
    if report.dated_from_log + report.dated_from_git > 0 {
        lines.push(format!(
            "dates: {} entries dated by the update log, {} by git history",
            report.dated_from_log, report.dated_from_git
        ));
    }
    lines.extend(uncertain(file, report));
    lines.extend(fallbacks(file, report, fallback));
    lines.extend(git_credits(&report.git_credits));
    for guess in &report.guessed {
        lines.push(format!("guessed: {guess}"));
    }
    if !report.contributors.is_empty() {
        lines.push(format!(
            "contributors added: {}",
            report.contributors.join(", ")
        ));
    }
    for (title, line) in &report.empty_sections {
        lines.push(format!("nothing new under {title:?} (line {line})"));
    }
    if !report.skipped.is_empty() {
        lines.push(format!("skipped {}:", report.skipped.len()));
        for skipped in &report.skipped {
            let (line, what, why) = (skipped.line, &skipped.what, &skipped.reason);
            lines.push(format!("  {}:{line}: {what}: {why}", file.display()));
        }
    }
    lines.push(if changed.is_empty() {
        "nothing new: the catalogue already has everything in this list".to_owned()
    } else {
        format!("wrote {}", changed.join(", "))
    });
    if warnings > 0 {
        lines.push(format!("`oyez check` has {warnings} warnings to look at"));
    }
    lines
}

/// Every entry dated by its title's first line, its link having changed
/// since (issue 22).
fn uncertain(file: &Path, report: &Report) -> Vec<String> {
    let dated = &report.dated_by_title;
    if dated.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "uncertain ({}): dated by the first line linking their title, before their link changed:",
        dated.len()
    )];
    for (line, title) in dated {
        lines.push(format!("  {}:{line}: {title}", file.display()));
    }
    lines
}

/// Every entry git could not date, and the date it got instead.
fn fallbacks(file: &Path, report: &Report, fallback: &str) -> Vec<String> {
    if report.fallbacks.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "not dated by git ({}), dated {fallback}:",
        report.fallbacks.len()
    )];
    for (line, title) in &report.fallbacks {
        lines.push(format!(
            "  {}:{line}: {title}: no commit adds a line with its link",
            file.display()
        ));
    }
    lines
}

/// Who git credited: handles by how they were found, names kept as names.
fn git_credits(credits: &GitCredits) -> Vec<String> {
    if credits.entries == 0 {
        return Vec::new();
    }
    let handles: usize = credits.handles.values().sum();
    let names: usize = credits.names.values().sum();
    let mut lines = vec![format!(
        "credits from git: {} entries, {handles} handles, {names} names without a known handle",
        credits.entries
    )];
    for (source, count) in &credits.handles {
        lines.push(format!("  from {}: {count}", source.describe()));
    }
    if credits.co_authors > 0 {
        lines.push(format!(
            "  of these, Co-authored-by trailers: {}",
            credits.co_authors
        ));
    }
    if credits.returned > 0 {
        lines.push(format!(
            "  links that left the list and came back, credited to who wrote the line that stands: {}",
            credits.returned
        ));
    }
    if !credits.names.is_empty() {
        let list: Vec<String> = credits
            .names
            .iter()
            .map(|(name, count)| format!("{name} ({count})"))
            .collect();
        lines.push(format!(
            "  kept as names (map them with `aliases` under [contributors.<handle>] in oyez.toml): {}",
            list.join(", ")
        ));
    }
    lines
}
