//! `oyez ping [DIR]`: sends the WebSub notifications `oyez publish`
//! recorded ([`crate::websub`]); also how publish finds and records them.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use super::CatalogueDir;
use crate::catalogue::Catalogue;
use crate::error::Error;
use crate::state::{self, PINGS};
use crate::websub::{self, Ping, PingError};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Seconds to wait for each hub's answer
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=300))]
    timeout: u16,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = args.catalogue.path();
    let pending = read(&dir)?;
    if pending.is_empty() {
        say!("nothing to ping: no feed changed since the last ping");
        return Ok(());
    }
    let agent = websub::agent(Duration::from_secs(args.timeout.into()));
    let mut failed = BTreeSet::new();
    for ping in &pending {
        match websub::send(&agent, ping) {
            Ok(status) => say!("pinged {} for {}: HTTP {status}", ping.hub, ping.feed),
            Err(reason) => {
                tell!("failed: {} for {}: {reason}", ping.hub, ping.feed);
                failed.insert(ping.clone());
            }
        }
    }
    write(&dir, &failed)?;
    say!(
        "{} of {} pings sent; {} left",
        pending.len() - failed.len(),
        pending.len(),
        failed.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(PingError::Failed {
            count: failed.len(),
        }
        .into())
    }
}

fn read(dir: &Path) -> Result<BTreeSet<Ping>, Error> {
    let bytes = state::read(dir, PINGS)?;
    Ok(bytes.map_or_else(BTreeSet::new, |b| {
        websub::parse(&String::from_utf8_lossy(&b))
    }))
}

/// Replaces the pending pings with `pings`, or removes them when there are none.
fn write(dir: &Path, pings: &BTreeSet<Ping>) -> Result<(), Error> {
    if pings.is_empty() {
        return Ok(state::remove(dir, PINGS)?);
    }
    Ok(state::write(dir, PINGS, websub::render(pings).as_bytes())?)
}

/// Adds a ping per hub for each changed feed (paths in the output) to
/// the pending pings.
pub(super) fn record(dir: &Path, catalogue: &Catalogue, changed: &[String]) -> Result<(), Error> {
    if changed.is_empty() || catalogue.hubs.is_empty() {
        return Ok(());
    }
    let urls: Vec<String> = changed
        .iter()
        .map(|path| catalogue.site_url(path))
        .collect();
    let mut pending = read(dir)?;
    pending.extend(websub::pings(&catalogue.hubs, &urls));
    write(dir, &pending)
}
