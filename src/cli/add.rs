//! `oyez add [DIR] --title T --category SLUG …` and `oyez add --update --note N`:
//! append one entry or one update-log record, validate the whole catalogue
//! as it would be, then write. The only clock read is here (`--date` default).

use std::path::Path;

use chrono::{NaiveDate, Utc};

use super::CatalogueDir;
use crate::authoring::add::{self, EntryRequest};
use crate::authoring::workspace::{Workspace, WorkspaceError};
use crate::catalogue::{self, Catalogue};
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Add an update-log record instead of an entry
    #[arg(long, requires = "note", conflicts_with_all = ["title", "url", "category", "author", "tag", "summary", "id"])]
    update: bool,
    /// The update's note (Markdown)
    #[arg(long, requires = "update")]
    note: Option<String>,
    /// The entry's title
    #[arg(long, required_unless_present = "update")]
    title: Option<String>,
    /// The resource's URL (absolute http or https)
    #[arg(long)]
    url: Option<String>,
    /// The category's slug
    #[arg(long, required_unless_present = "update")]
    category: Option<String>,
    /// A permanent id [default: the title as a slug, made unique]
    #[arg(long)]
    id: Option<String>,
    /// A credited contributor's handle (repeatable)
    #[arg(long = "by", value_name = "@HANDLE")]
    by: Vec<String>,
    /// Who made the resource (repeatable)
    #[arg(long = "author", value_name = "NAME")]
    author: Vec<String>,
    /// A tag (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    tag: Vec<String>,
    /// A short description (Markdown)
    #[arg(long)]
    summary: Option<String>,
    /// The date added, YYYY-MM-DD [default: today in the site's time zone]
    #[arg(long, value_parser = super::init::parse_day)]
    date: Option<NaiveDate>,
}

pub(super) fn run(args: Args) -> Result<(), Error> {
    let dir = args.catalogue.dir.clone();
    // Warnings are printed once, for the catalogue as it will be.
    let loaded = catalogue::load(&dir)?;
    let catalogue = &loaded.catalogue;
    let date = args.date.unwrap_or_else(|| today(catalogue));
    let mut workspace = Workspace::open(&dir).map_err(workspace_error)?;
    let (path, what) = if args.update {
        let note = args.note.unwrap_or_default();
        let path = add::update(&mut workspace, date, note, &args.by);
        (path, format!("update of {date}"))
    } else {
        let request = EntryRequest {
            title: args.title.unwrap_or_default(),
            url: args.url,
            category: args.category.unwrap_or_default(),
            id: args.id,
            by: args.by,
            authors: args.author,
            tags: args.tag,
            summary: args.summary,
            date,
        };
        let (path, id) = add::entry(&mut workspace, catalogue, request).map_err(Error::Message)?;
        (path, format!("entry `{id}`"))
    };
    let loaded = workspace.commit().map_err(workspace_error)?;
    super::print_warnings(&loaded.warnings);
    say!("added {what} to {}", show(&dir, &path));
    Ok(())
}

/// Today in the site's time zone: the only clock read of `add` and `import`.
pub(super) fn today(catalogue: &Catalogue) -> NaiveDate {
    Utc::now()
        .with_timezone(&catalogue.site.timezone)
        .date_naive()
}

pub(super) fn show(dir: &Path, relative: &Path) -> String {
    if dir == Path::new(".") {
        relative.display().to_string()
    } else {
        dir.join(relative).display().to_string()
    }
}

/// A catalogue that would be invalid is reported exactly as `oyez check` does.
pub(super) fn workspace_error(err: WorkspaceError) -> Error {
    match err {
        WorkspaceError::Invalid(err) => Error::Catalogue(err),
        other => Error::Message(describe(&other)),
    }
}

fn describe(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
