//! `oyez completions SHELL`: the shell completion script, from clap's
//! generator, on stdout; `oyez man DIR`: one man page per command.

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;
use crate::error::{CommandError, Error};

#[derive(Debug, clap::Args)]
#[command(after_help = "Load it for this shell session with, for bash:\n  \
    source <(oyez completions bash)\n\
    or save it where your shell looks for completions (docs in the README, \"Install\").")]
pub(super) struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    shell: Shell,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "oyez", &mut script);
    // The script is oyez's own text, written as it is (say! would escape
    // its line breaks).
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", String::from_utf8_lossy(&script).trim_end());
    Ok(())
}

#[derive(Debug, clap::Args)]
pub(super) struct ManArgs {
    /// Folder to write the pages into (created if missing), such as ~/.local/share/man/man1
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

/// Writes `oyez.1` and one `oyez-<command>.1` per command (and nested
/// command, `oyez-import-markdown.1`).
pub(super) fn man(args: &ManArgs) -> Result<(), Error> {
    let failed = |err: std::io::Error| CommandError::Write {
        path: args.dir.display().to_string(),
        reason: err.to_string(),
    };
    fs::create_dir_all(&args.dir).map_err(failed)?;
    clap_mangen::generate_to(Cli::command(), &args.dir).map_err(failed)?;
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let pages = page_names(&command);
    say!(
        "wrote {} man pages to {}: {}",
        pages.len(),
        args.dir.display(),
        pages.join(" ")
    );
    Ok(())
}

/// The file names clap_mangen gives `command`'s page and its visible
/// subcommands' pages, depth first.
fn page_names(command: &clap::Command) -> Vec<String> {
    let mut names: Vec<String> = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .flat_map(page_names)
        .collect();
    let name = command.get_display_name().unwrap_or(command.get_name());
    names.push(format!("{name}.1"));
    names
}
