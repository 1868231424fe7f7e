//! `oyez import markdown FILE [--into DIR] [--date D] [--dates-from-git]`:
//! read a Markdown list, stage what the catalogue lacks, validate the whole
//! catalogue as it would be, write, and report what was made and skipped.

use std::fs;
use std::path::PathBuf;

use chrono::{NaiveDate, Utc};

use super::add::{show, workspace_error};
use crate::authoring::git;
use crate::authoring::import::{self, Options, Report};
use crate::authoring::workspace::Workspace;
use crate::catalogue::{self, CONFIG_FILE};
use crate::error::Error;

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
    #[arg(long, value_parser = super::init::parse_day)]
    date: Option<NaiveDate>,
    /// Date each entry by the commit that first added its line, and credit
    /// that commit's author when the item names no handle
    #[arg(long)]
    dates_from_git: bool,
}

pub(super) fn run(source: Source) -> Result<(), Error> {
    let Source::Markdown(args) = source;
    let markdown = fs::read_to_string(&args.file)
        .map_err(|err| Error::Message(format!("cannot read {}: {err}", args.file.display())))?;
    let dir = &args.into;
    let existing = if dir.join(CONFIG_FILE).exists() {
        Some(super::load(dir)?.catalogue)
    } else {
        None
    };
    let history = if args.dates_from_git {
        Some(git::history(&args.file).map_err(Error::Message)?)
    } else {
        None
    };
    let default_date = args.date.unwrap_or_else(|| match &existing {
        Some(catalogue) => super::add::today(catalogue),
        None => Utc::now().date_naive(),
    });
    let options = Options {
        default_date,
        history,
        source: args
            .file
            .file_name()
            .map_or_else(|| "the list".into(), |n| n.to_string_lossy().into_owned()),
    };
    let document = import::parse(&markdown);
    let mut workspace = Workspace::open(dir).map_err(workspace_error)?;
    let report = import::stage(&document, &mut workspace, existing.as_ref(), &options);
    let changed: Vec<String> = workspace.changed().map(|p| show(dir, p)).collect();
    let loaded = workspace.commit().map_err(workspace_error)?;
    let _: &catalogue::Catalogue = &loaded.catalogue;
    print_report(&args.file, &report, &changed, loaded.warnings.len());
    Ok(())
}

fn print_report(file: &std::path::Path, report: &Report, changed: &[String], warnings: usize) {
    println!(
        "imported {}: {} entries, {} updates, {} categories",
        file.display(),
        report.entries,
        report.updates,
        report.categories.len()
    );
    for (slug, title, count, is_new) in &report.categories {
        let new = if *is_new {
            "new category"
        } else {
            "existing category"
        };
        println!("  {slug}: {title:?}, {count} entries ({new})");
    }
    if report.dated_from_log + report.dated_from_git > 0 {
        println!(
            "dates: {} entries dated by the update log, {} by git history",
            report.dated_from_log, report.dated_from_git
        );
    }
    if !report.contributors.is_empty() {
        println!("contributors added: {}", report.contributors.join(", "));
    }
    for (title, line) in &report.empty_sections {
        println!("no entries under {title:?} (line {line}): no category made");
    }
    if !report.skipped.is_empty() {
        println!("skipped {}:", report.skipped.len());
        for skipped in &report.skipped {
            println!(
                "  {}:{}: {}: {}",
                file.display(),
                skipped.line,
                skipped.what,
                skipped.reason
            );
        }
    }
    if changed.is_empty() {
        println!("nothing new: the catalogue already has everything in this list");
    } else {
        println!("wrote {}", changed.join(", "));
    }
    if warnings > 0 {
        println!("`oyez check` has {warnings} warnings to look at");
    }
}
