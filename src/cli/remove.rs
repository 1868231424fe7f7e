//! `oyez remove ID [DIR] --reason "…" [--date DAY]`: records why an announced
//! entry leaves the catalogue (`.oyez/removed`), taking it out of its
//! entries file when it is still there. The next publish and digest say so.

use chrono::NaiveDate;

use super::{CatalogueDir, parse_day, today};
use crate::authoring;
use crate::error::{CommandError, Error};
use crate::state::ids::Record;
use crate::state::removed::{self, Tombstone};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The entry's id (as `oyez check` names it)
    id: String,
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Why it leaves, for readers and subscribers (Markdown)
    #[arg(long)]
    reason: String,
    /// The day of the removal (YYYY-MM-DD) [default: today in the site's time zone]
    #[arg(long, value_parser = parse_day)]
    date: Option<NaiveDate>,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = &args.catalogue.path();
    let loaded = super::load(dir)?;
    let catalogue = &loaded.catalogue;
    let present = catalogue.entries.iter().find(|e| e.id == args.id);
    let (title, url) = match present {
        Some(entry) => (entry.title.clone(), entry.url.clone()),
        None => {
            let record = Record::read(dir)?;
            let gone = record.entries.into_iter().find(|a| a.id == args.id);
            let gone = gone.ok_or_else(|| CommandError::Workspace(unknown(&args.id)))?;
            (gone.title, Some(gone.url).filter(|u| !u.is_empty()))
        }
    };
    if let Some(entry) = present {
        let (file, index) = loaded.origins.place_in_file(entry).unwrap_or_default();
        authoring::remove::entry(dir, &file, index)
            .map_err(|err| CommandError::Workspace(super::describe(&err)))?;
    }
    let tombstone = Tombstone {
        id: args.id.clone(),
        title,
        url,
        date: args.date.unwrap_or_else(|| today(catalogue)),
        reason: args.reason.clone(),
    };
    let date = tombstone.date;
    removed::record(dir, tombstone)?;
    say!(
        "removed {} on {date}: the next publish (update log, feeds, page) and digest say why",
        args.id
    );
    Ok(())
}

fn unknown(id: &str) -> String {
    format!(
        "no entry has the id `{id}`, in the catalogue or among those published; `oyez check` \
         names the ids of removed entries"
    )
}
