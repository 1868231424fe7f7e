//! `oyez publish [DIR] [--out OUT]`: validate, render everything in memory,
//! then replace changed files atomically. A catalogue with errors writes
//! nothing; a template error leaves only archive pages written (they need
//! no template and are what a successful publish writes).

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
    let out = args.out.clone().unwrap_or_else(|| dir.join("public"));
    // The archive pages do not depend on templates: they are written while
    // the other files render, and before any feed that links to them.
    let archives = publish::Archives::new(&catalogue);
    let (files, archived) = rayon::join(
        || publish::render(&catalogue, &templates),
        || {
            (1..=archives.pages())
                .into_par_iter()
                .map(|number| -> Result<Written, Error> {
                    Ok(output::write_all(&out, &archives.render(number)?)?)
                })
                .try_reduce(Written::default, |a, b| Ok(a + b))
        },
    );
    let written = archived? + output::write_all(&out, &files?)?;
    println!(
        "published {} entries to {}: {} files written, {} unchanged",
        catalogue.entries.len(),
        out.display(),
        written.written,
        written.unchanged
    );
    Ok(())
}
