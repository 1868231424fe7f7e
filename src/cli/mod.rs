//! The command line: clap types and one glue file per command. Only this
//! layer reads the environment and the clock.

/// `println!` of one line that shrugs off a closed stdout (`oyez check |
/// head`): a reader going away is no reason to panic, or to stop in the
/// middle of a send. The line goes through [`crate::error::shown`]: a path,
/// a server's reply or a value can neither break it nor send the terminal
/// an escape (issue 20).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stdout(), "{}", crate::error::shown(&line));
    }};
}

/// `eprintln!` of one line, escaped as [`say!`] escapes.
macro_rules! tell {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        eprintln!("{}", crate::error::shown(&line));
    }};
}

/// [`say!`] for text of several lines written here: each line is escaped.
macro_rules! say_lines {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let mut stdout = std::io::stdout().lock();
        for line in text.split('\n') {
            let _ = writeln!(stdout, "{}", crate::error::shown(line));
        }
    }};
}

mod add;
mod annotations;
mod check;
mod completions;
mod digest;
mod import;
mod inbox;
mod init;
mod json;
mod links;
mod ping;
mod publish;
mod remove;
mod serve;
mod subscribers;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use clap::{Parser, Subcommand};

use crate::authoring::workspace::WorkspaceError;
use crate::catalogue::{self, Catalogue, CatalogueError, Diagnostic, Loaded};
use crate::error::{CommandError, Error};
use crate::state;

/// Turn a curated catalogue into feeds, a catalogue page and email digests.
#[derive(Debug, Parser)]
#[command(name = "oyez", version, about, propagate_version = true)]
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
    /// Apply the subscribe, unsubscribe, bounce and complaint mail in the list's mailbox
    Inbox(inbox::Args),
    /// Tell the WebSub hubs which feeds the last publish changed
    Ping(ping::Args),
    /// List, add, remove, import, export and suppress the digest's subscribers
    #[command(subcommand)]
    Subscribers(subscribers::Action),
    /// Take an announced entry out, recording why for readers and subscribers
    Remove(remove::Args),
    /// Preview the published catalogue on 127.0.0.1, republished on every edit
    Serve(serve::Args),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(completions::Args),
    /// Write the man pages, one per command, into a folder
    Man(completions::ManArgs),
}

pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Publish(args) => publish::run(&args),
        Command::Digest(args) => digest::run(&args),
        Command::Ping(args) => ping::run(&args),
        Command::Inbox(args) => inbox::run(&args),
        Command::Remove(args) => remove::run(&args),
        Command::Subscribers(action) => subscribers::run(&action),
        Command::Serve(args) => serve::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Add(args) => add::run(args),
        Command::Import(source) => import::run(source),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::man(&args),
    }
}

/// The catalogue folder argument shared by commands.
#[derive(Debug, clap::Args)]
struct CatalogueDir {
    /// Catalogue folder (holds oyez.toml) [default: the nearest folder, from here up, that holds one]
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

impl CatalogueDir {
    /// The folder given, or the nearest one holding `oyez.toml` from the
    /// current folder up (as cargo and git look for theirs), written
    /// relative to here (`..`); `.` when there is none, so that loading
    /// says oyez.toml is missing here.
    fn path(&self) -> PathBuf {
        if let Some(dir) = &self.dir {
            return dir.clone();
        }
        let Ok(here) = std::env::current_dir() else {
            return PathBuf::from(".");
        };
        let up = here
            .ancestors()
            .position(|dir| dir.join("oyez.toml").is_file());
        match up {
            None | Some(0) => PathBuf::from("."),
            Some(levels) => std::iter::repeat_n("..", levels).collect(),
        }
    }
}

/// Loads the catalogue and prints its warnings to stderr. Paths in
/// problems are written as from where the command ran (issue 11).
fn load(dir: &Path) -> Result<Loaded, Error> {
    let loaded = load_quietly(dir)?;
    print_warnings(&loaded.warnings);
    Ok(loaded)
}

/// [`load`] without printing the warnings (`--format json` lists them).
fn load_quietly(dir: &Path) -> Result<Loaded, Error> {
    // The state is read while the catalogue loads: it does not depend on it.
    let (loaded, announced) = rayon::join(|| catalogue::load(dir), || state::Announced::read(dir));
    let mut loaded = loaded.map_err(|err| from_here(err, dir))?;
    announced?.add_to(&mut loaded.catalogue);
    for warning in &mut loaded.warnings {
        relocate(warning, dir);
    }
    Ok(loaded)
}

/// `err` with its file paths written as from where the command ran.
fn from_here(err: CatalogueError, dir: &Path) -> CatalogueError {
    match err {
        CatalogueError::Invalid { mut errors } => {
            for error in &mut errors {
                relocate(error, dir);
            }
            CatalogueError::Invalid { errors }
        }
        other => other,
    }
}

/// A path inside the catalogue `dir`, as from where the command ran.
fn relocate(diagnostic: &mut Diagnostic, dir: &Path) {
    if let Some(location) = &mut diagnostic.location
        && dir != Path::new(".")
        && location.path.is_relative()
    {
        location.path = dir.join(&location.path);
    }
}

/// The identity guard every announcing command runs first (issue 19);
/// warns of every published entry that is gone.
fn identity(dir: &Path, loaded: &mut Loaded, accept: bool) -> Result<state::guard::Checked, Error> {
    let mut checked = state::guard::check(dir, &loaded.catalogue, &loaded.origins, accept)?;
    let revised = std::mem::take(&mut checked.revised);
    state::revised::add(&mut loaded.catalogue, revised);
    print_warnings(&state::guard::removal_warnings(&checked.removed));
    Ok(checked)
}

fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        tell!("warning: {warning}");
    }
}

// Helpers shared by the commands (`add`, `import`, `init`).

/// A `YYYY-MM-DD` argument.
fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|err| format!("{err}; write the date as YYYY-MM-DD"))
}

/// Today in the site's time zone: the only clock read of `add` and `import`.
fn today(catalogue: &Catalogue) -> NaiveDate {
    Utc::now()
        .with_timezone(&catalogue.site.timezone)
        .date_naive()
}

/// `relative`, a path inside the catalogue `dir`, as from where the command ran.
fn show(dir: &Path, relative: &Path) -> String {
    if dir == Path::new(".") {
        relative.display().to_string()
    } else {
        dir.join(relative).display().to_string()
    }
}

/// A catalogue that would be invalid is reported exactly as `oyez check` does.
fn workspace_error(err: WorkspaceError) -> Error {
    match err {
        WorkspaceError::Invalid(err) => Error::Catalogue(err),
        other => CommandError::Workspace(describe(&other)).into(),
    }
}

fn describe(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
