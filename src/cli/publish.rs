//! `oyez publish [DIR] [--out OUT]`: validate, render everything in memory,
//! then replace changed files atomically. A catalogue with errors writes nothing.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::CatalogueDir;
use crate::error::Error;
use crate::output::Written;
use crate::template::{self, Templates};
use crate::{output, publish};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Output folder [default: DIR/public]
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = &args.catalogue.dir;
    let catalogue = Arc::new(super::load(dir)?.catalogue);
    let templates = Templates::new(template::read_overrides(dir)?)?;
    let files = publish::render(&catalogue, &templates)?;
    let out = args.out.clone().unwrap_or_else(|| dir.join("public"));
    // Archive pages first, so that no feed links to a page not yet written.
    let archives = publish::Archives::new(&catalogue);
    let archived = (1..=archives.pages())
        .into_par_iter()
        .map(|number| -> Result<Written, Error> {
            Ok(output::write_all(&out, &archives.render(number)?)?)
        })
        .try_reduce(Written::default, |a, b| Ok(a + b))?;
    let written = archived + output::write_all(&out, &files)?;
    println!(
        "published {} entries to {}: {} files written, {} unchanged",
        catalogue.entries.len(),
        out.display(),
        written.written,
        written.unchanged
    );
    Ok(())
}
