//! `oyez publish [DIR] [--out OUT]`: validate, render everything in memory,
//! then replace changed files atomically. A catalogue with errors writes nothing.

use std::path::PathBuf;

use super::CatalogueDir;
use crate::error::Error;
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
    let loaded = super::load(dir)?;
    let templates = Templates::new(template::read_overrides(dir)?)?;
    // Sent digests become public: the ledger says which (issue 3).
    let ledger =
        crate::digest::ledger::Ledger::read(&crate::digest::ledger_path(dir, &loaded.catalogue))
            .map_err(crate::digest::DigestError::from)?;
    let sent = crate::digest::archive::sent(&ledger);
    let files = publish::render_with_digests(&loaded.catalogue, &templates, &sent)?;
    let out = args.out.clone().unwrap_or_else(|| dir.join("public"));
    output::prepare(&out)?;
    let written = output::write_all(&out, &files)?;
    say!(
        "published {} entries to {}: {} files written, {} unchanged",
        loaded.catalogue.entries.len(),
        out.display(),
        written.written,
        written.unchanged
    );
    Ok(())
}
