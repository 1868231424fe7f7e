//! `oyez add [DIR] --title T --category SLUG …` (or `--new-category TITLE`)
//! and `oyez add --update --note N`: append one entry or one update-log
//! record (and a new category, new contributors to `oyez.toml`), validate
//! the whole catalogue as it would be, then write. The only clock read is
//! the `--date` default (`today`, shared with `import` in `cli/mod.rs`).

use std::path::Path;

use chrono::NaiveDate;

use super::{CatalogueDir, parse_day, show, today, workspace_error};
use crate::authoring::add::{self, EntryRequest};
use crate::authoring::workspace::{Workspace, WorkspaceError};
use crate::catalogue;
use crate::error::{CommandError, Error};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Add an update-log record instead of an entry
    #[arg(long, requires = "note", conflicts_with_all = ["title", "url", "category", "new_category", "author", "tag", "summary", "id"])]
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
    #[arg(long, required_unless_present_any = ["update", "new_category"])]
    category: Option<String>,
    /// Create a category with this title (its slug made from the title) and add to it
    #[arg(long, value_name = "TITLE", conflicts_with = "category")]
    new_category: Option<String>,
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
    #[arg(long, value_parser = parse_day)]
    date: Option<NaiveDate>,
}

pub(super) fn run(args: Args) -> Result<(), Error> {
    let dir = args.catalogue.path();
    // Warnings are printed once, for the catalogue as it will be.
    let loaded = catalogue::load(&dir).map_err(|err| super::from_here(err, &dir))?;
    let catalogue = &loaded.catalogue;
    let date = args.date.unwrap_or_else(|| today(catalogue));
    let mut workspace = Workspace::open(&dir).map_err(workspace_error)?;
    let mut config_changes = Vec::new();
    let new_category = match &args.new_category {
        Some(title) => {
            let slug =
                add::category(&mut workspace, catalogue, title).map_err(CommandError::Add)?;
            config_changes.push(format!("category `{slug}`"));
            Some(slug)
        }
        None => None,
    };
    let registered = add::contributors(&mut workspace, catalogue, &args.by);
    config_changes.extend(registered.iter().map(|h| format!("contributor @{h}")));
    let (path, what) = if args.update {
        let note = args.note.unwrap_or_default();
        let path = add::update(&mut workspace, date, note, &args.by);
        (path, format!("update of {date}"))
    } else {
        let request = EntryRequest {
            title: args.title.unwrap_or_default(),
            url: args.url,
            category_is_new: new_category.is_some(),
            category: new_category.or(args.category).unwrap_or_default(),
            id: args.id,
            by: args.by,
            authors: args.author,
            tags: args.tag,
            summary: args.summary,
            date,
        };
        let (path, id) =
            add::entry(&mut workspace, catalogue, request).map_err(CommandError::Add)?;
        (path, format!("entry `{id}`"))
    };
    let mut loaded = workspace.commit().map_err(|err| from_here(err, &dir))?;
    for warning in &mut loaded.warnings {
        super::relocate(warning, &dir);
    }
    super::print_warnings(&loaded.warnings);
    say!("added {what} to {}", show(&dir, &path));
    if !config_changes.is_empty() {
        let config = show(&dir, Path::new(catalogue::CONFIG_FILE));
        say!("added {} to {config}", config_changes.join(", "));
    }
    if !registered.is_empty() {
        say!("give them a name (and a uri) there: each is named as credited (@handle) for now");
    }
    Ok(())
}

/// [`workspace_error`], with problem paths as from where the command ran.
fn from_here(err: WorkspaceError, dir: &Path) -> Error {
    match workspace_error(err) {
        Error::Catalogue(err) => Error::Catalogue(super::from_here(err, dir)),
        other => other,
    }
}
