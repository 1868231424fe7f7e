//! The top-level error, its exit code, and how it is shown to the user.

use std::borrow::Cow;
use std::error::Error as _;
use std::process::ExitCode;

use crate::catalogue::CatalogueError;
use crate::digest::DigestError;
use crate::links::LinksError;
use crate::output::OutputError;
use crate::publish::PublishError;
use crate::state::guard::GuardError;
use crate::template::TemplateError;
use crate::websub::PingError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Digest(#[from] DigestError),
    #[error(transparent)]
    Guard(#[from] GuardError),
    #[error(transparent)]
    State(#[from] crate::state::StateError),
    #[error(transparent)]
    Links(#[from] LinksError),
    #[error(transparent)]
    Ping(#[from] PingError),
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error(transparent)]
    Subscribers(#[from] crate::subscribers::SubscribersError),
    #[error(transparent)]
    Inbox(#[from] crate::inbox::InboxError),
    /// Already reported on stdout (`--format json`): print nothing, exit
    /// with the code of the error reported.
    #[error("the problems are in the report on stdout")]
    Reported { code: u8 },
}

/// What the authoring commands (`init`, `add`, `import`) and `publish`'s
/// own checks refuse, phrased for the user. Paths are shown as given.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("refusing to overwrite {0}; run `oyez init` in a new folder, or move these files away")]
    WouldOverwrite(String),
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
    /// `oyez add` cannot make the change asked for (its reason says why).
    #[error("{0}")]
    Add(String),
    /// `--dates-from-git` cannot read the list's history.
    #[error("{0}")]
    Git(String),
    #[error(
        "found no list item with a link or title under a heading in {0}: nothing to import; \
         see docs/import.md for the list shapes oyez understands"
    )]
    NothingToImport(String),
    /// The catalogue folder could not be read or changed (with its causes).
    #[error("{0}")]
    Workspace(String),
    /// `oyez serve` could not listen or watch (with its causes).
    #[error("{0}")]
    Serve(String),
    #[error(
        "--out {out} is the catalogue folder or holds it, and publishing would replace the \
         catalogue's own files (such as README.md); publish into a folder of its own, such \
         as the default {default}"
    )]
    OutputHoldsCatalogue { out: String, default: String },
    #[error(
        "--out {out} is, holds or lies inside the catalogue's {folder}/ folder, and published \
         files there would be read back as the catalogue's own (a published index.html \
         overriding the page template); publish into a folder of its own, such as the default \
         {default}"
    )]
    OutputInSources {
        out: String,
        folder: &'static str,
        default: String,
    },
}

impl Error {
    /// 2 for a usage error clap cannot see (a `--now` or `--since` value
    /// that is not a date; clap itself exits 2 for unknown flags and values
    /// it rejects); 1 for every other failure: the catalogue, its templates,
    /// the environment, an output or a delivery (README, "Exit codes").
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Digest(DigestError::BadTime { .. }) => 2,
            Error::Reported { code } => *code,
            _ => 1,
        }
    }
}

/// Prints `error: …` and one `  caused by: …` line per source; returns the
/// exit code. Every line goes through [`shown`]: a file name or value can
/// neither start a line of its own nor send the terminal an escape.
pub fn report(err: &Error) -> ExitCode {
    if matches!(err, Error::Reported { .. }) {
        return ExitCode::from(err.exit_code());
    }
    for line in lines(err) {
        eprintln!("{line}");
    }
    ExitCode::from(err.exit_code())
}

/// The lines [`report`] prints for `err`, each through [`shown`].
pub fn lines(err: &Error) -> Vec<String> {
    let mut lines: Vec<String> = message_lines(err)
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let prefix = if index == 0 { "error: " } else { "" };
            format!("{prefix}{}", shown(line))
        })
        .collect();
    // `transparent` variants already forward `source()` to the inner error's
    // source, so the chain starts at the real cause (the io::Error of a write).
    let mut source = err.source();
    while let Some(cause) = source {
        lines.push(format!("  caused by: {}", shown(&cause.to_string())));
        source = cause.source();
    }
    lines
}

/// The lines of `err`'s message: one per problem for the errors that list
/// several, else the message as one line (a line break in it is escaped).
fn message_lines(err: &Error) -> Vec<String> {
    let whole = err.to_string();
    let summary = || whole.rsplit('\n').next().unwrap_or_default().to_owned();
    match err {
        Error::Catalogue(CatalogueError::Invalid { errors }) => errors
            .iter()
            .map(ToString::to_string)
            .chain([summary()])
            .collect(),
        Error::Guard(GuardError::IdChanges { changes }) => changes
            .iter()
            .map(ToString::to_string)
            .chain([summary()])
            .collect(),
        Error::Subscribers(crate::subscribers::SubscribersError::Invalid(problems)) => {
            problems.iter().cloned().chain([summary()]).collect()
        }
        Error::Digest(DigestError::Recipients(problems)) => {
            problems.iter().cloned().chain([summary()]).collect()
        }
        _ => vec![whole],
    }
}

/// `text` with every control character (line breaks, escape sequences,
/// C1 controls) and every bidirectional or invisible formatting character
/// written as an escape (`\n`, `\u{1b}`), for diagnostics (issue 15).
pub fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || crate::catalogue::is_invisible(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(shown("plain é"), "plain é");
        assert_eq!(
            shown("a\nerror: fake\u{1b}[31mred\u{202e}\u{9b}"),
            "a\\nerror: fake\\u{1b}[31mred\\u{202e}\\u{9b}"
        );
    }
}
