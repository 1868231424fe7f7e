//! The command line: clap types and one glue file per command. Only this
//! layer reads the environment and the clock.

/// `println!` that shrugs off a closed stdout (`oyez check | head`): a
/// reader going away is no reason to panic, or to stop in the middle of a send.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod add;
mod check;
mod digest;
mod guard;
mod import;
mod init;
mod links;
mod ping;
mod publish;
mod stylesheet;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::catalogue::{self, Diagnostic, Loaded};
use crate::error::Error;

/// Turn a curated catalogue into feeds, a catalogue page and email digests.
#[derive(Debug, Parser)]
#[command(name = "oyez", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// In the order a maintainer meets them: start or import a catalogue, add
/// to it, check it, publish it, mail the news.
#[derive(Debug, Subcommand)]
enum Command {
    /// Start a new catalogue
    Init(init::Args),
    /// Turn an existing list into catalogue files
    #[command(subcommand)]
    Import(import::Source),
    /// Append an entry (or, with --update, an update-log record)
    Add(add::Args),
    /// Validate the catalogue and report every problem
    Check(check::Args),
    /// Write the feeds, the catalogue page and the Markdown list
    Publish(publish::Args),
    /// Preview or send the email digest of what is new, exactly once
    Digest(digest::Args),
    /// Tell the WebSub hubs which feeds the last publish changed
    Ping(ping::Args),
}

pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Publish(args) => publish::run(&args),
        Command::Digest(args) => digest::run(&args),
        Command::Ping(args) => ping::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Add(args) => add::run(args),
        Command::Import(source) => import::run(source),
    }
}

/// The catalogue folder argument shared by commands.
#[derive(Debug, clap::Args)]
struct CatalogueDir {
    /// Catalogue folder (holds oyez.toml)
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// Loads the catalogue and prints its warnings to stderr.
fn load(dir: &std::path::Path) -> Result<Loaded, Error> {
    let loaded = catalogue::load(dir)?;
    print_warnings(&loaded.warnings);
    Ok(loaded)
}

fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
