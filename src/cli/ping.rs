//! `oyez ping [DIR]`: sends the WebSub notifications `oyez publish`
//! recorded ([`crate::websub`]); also how publish finds and records them.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use super::CatalogueDir;
use crate::catalogue::Catalogue;
use crate::error::Error;
use crate::feed::{atom, json, rss};
use crate::output::Rendered;
use crate::websub::{self, PENDING_FILE, Ping, PingError};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Seconds to wait for each hub's answer
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=300))]
    timeout: u16,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let path = args.catalogue.path().join(PENDING_FILE);
    let pending = read(&path)?;
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
    write(&path, &failed)?;
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

fn read(path: &Path) -> Result<BTreeSet<Ping>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(websub::parse(&text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(source) => Err(PingError::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()),
    }
}

/// Replaces the pending file with `pings`, or removes it when there are none.
fn write(path: &Path, pings: &BTreeSet<Ping>) -> Result<(), Error> {
    let io = |source| PingError::Io {
        path: path.to_path_buf(),
        source,
    };
    if pings.is_empty() {
        return match std::fs::remove_file(path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io(err).into()),
            _ => Ok(()),
        };
    }
    crate::output::replace(path, websub::render(pings).as_bytes()).map_err(io)?;
    Ok(())
}

/// The URLs of the subscription feeds among `files` whose bytes differ
/// from what is in `out` now (before they are written).
pub(super) fn changed_feeds(catalogue: &Catalogue, out: &Path, files: &[Rendered]) -> Vec<String> {
    if catalogue.hubs.is_empty() {
        return Vec::new();
    }
    let feed_names = [atom::FILE, rss::FILE, json::FILE];
    files
        .iter()
        .filter(|file| {
            file.path
                .file_name()
                .is_some_and(|n| feed_names.iter().any(|f| n == *f))
        })
        .filter(|file| !file.path.starts_with("digests"))
        .filter(|file| !crate::output::holds(&out.join(&file.path), &file.bytes))
        .map(|file| catalogue.site_url(&file.path.to_string_lossy().replace('\\', "/")))
        .collect()
}

/// Adds a ping per hub for each changed feed to the pending file.
pub(super) fn record(dir: &Path, catalogue: &Catalogue, changed: &[String]) -> Result<(), Error> {
    if changed.is_empty() {
        return Ok(());
    }
    let path = dir.join(PENDING_FILE);
    let mut pending = read(&path)?;
    pending.extend(websub::pings(&catalogue.hubs, changed));
    write(&path, &pending)
}
