//! `oyez check [DIR]`: validate and report, write nothing.

use super::CatalogueDir;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Also check every entry URL over the network (docs/feeds.md)
    #[arg(long)]
    links: bool,
    #[command(flatten)]
    link_options: super::links::Options,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let loaded = super::load(&args.catalogue.dir)?;
    super::guard::check(
        &args.catalogue.dir,
        &loaded.catalogue,
        &loaded.origins,
        false,
    )?;
    if args.links {
        return super::links::run(&args.catalogue.dir, &loaded, &args.link_options);
    }
    let catalogue = &loaded.catalogue;
    say!(
        "ok: {} entries in {} categories, {} updates{}",
        catalogue.entries.len(),
        catalogue.categories.len(),
        catalogue.updates.len(),
        match loaded.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".to_owned(),
            n => format!(", {n} warnings"),
        }
    );
    Ok(())
}
