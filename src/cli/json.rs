//! `--format json` (issue 24): instead of the text for people, one JSON
//! document on stdout, whose shape per command is documented in
//! docs/json.md. Problems are listed in the same order as in text, with
//! their place split out; a command that fails still prints its document,
//! then exits as in text (1), saying nothing more on stderr.

use std::io::Write as _;

use serde::Serialize;

use crate::catalogue::{Catalogue, CatalogueError, Diagnostic};
use crate::digest::counted;
use crate::error::{CommandError, Error};
use crate::output::Written;
use crate::publish::PublishError;
use crate::state::guard::GuardError;
use crate::template::{TEMPLATES_DIR, TemplateError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum Format {
    Text,
    Json,
    // GitHub Actions workflow commands (`::error file=…`): `check` only;
    // other commands print text. (A doc comment here would make clap show
    // every value's help, in the long layout.)
    Github,
}

#[derive(Debug, clap::Args)]
pub(super) struct FormatArg {
    /// Lines for people, JSON for programs (docs/json.md), github: annotations
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(super) format: Format,
}

impl FormatArg {
    pub(super) fn json(&self) -> bool {
        self.format == Format::Json
    }
}

/// One problem: where (when known), how bad, what is wrong, what to do.
#[derive(Debug, Serialize)]
pub(super) struct Problem {
    pub(super) severity: &'static str,
    pub(super) file: Option<String>,
    pub(super) line: Option<usize>,
    pub(super) column: Option<usize>,
    pub(super) message: String,
    pub(super) help: String,
}

/// What `check` counted in a catalogue that loaded.
#[derive(Debug, Serialize)]
pub(super) struct Counts {
    pub(super) entries: usize,
    pub(super) categories: usize,
    pub(super) updates: usize,
}

impl Counts {
    pub(super) fn of(catalogue: &Catalogue) -> Self {
        Self {
            entries: catalogue.entries.len(),
            categories: catalogue.categories.len(),
            updates: catalogue.updates.len(),
        }
    }

    /// `check`'s last line: `ok: 1 entry in 2 categories, 0 updates, 1 warning`.
    pub(super) fn summary(&self, warnings: usize) -> String {
        let warned = match warnings {
            0 => String::new(),
            n => format!(", {}", counted(n, "warning", "warnings")),
        };
        format!(
            "ok: {} in {}, {}{warned}",
            counted(self.entries, "entry", "entries"),
            counted(self.categories, "category", "categories"),
            counted(self.updates, "update", "updates"),
        )
    }
}

/// What `publish` wrote, for its document.
#[derive(Debug, Serialize)]
pub(super) struct Published {
    pub(super) out: String,
    pub(super) entries: usize,
    pub(super) files: Vec<String>,
    pub(super) written: usize,
    pub(super) unchanged: usize,
}

impl Published {
    pub(super) fn new(out: String, entries: usize, files: Vec<String>, counts: Written) -> Self {
        Self {
            out,
            entries,
            files,
            written: counts.written,
            unchanged: counts.unchanged,
        }
    }
}

/// The document every command prints: its name, whether it succeeded,
/// what it made of the catalogue (`null` on failure) and the problems.
#[derive(Debug, Serialize)]
struct Report<'a, T> {
    command: &'static str,
    ok: bool,
    result: Option<&'a T>,
    problems: Vec<Problem>,
}

/// Prints `check`'s document.
pub(super) fn check(counts: Result<Counts, Error>, warnings: &[Diagnostic]) -> Result<(), Error> {
    print("check", &counts, warnings)
}

/// Prints `publish`'s document.
pub(super) fn publish(
    published: Result<Published, Error>,
    warnings: &[Diagnostic],
) -> Result<(), Error> {
    print("publish", &published, warnings)
}

fn print<T: Serialize>(
    command: &'static str,
    outcome: &Result<T, Error>,
    warnings: &[Diagnostic],
) -> Result<(), Error> {
    let report = Report {
        command,
        ok: outcome.is_ok(),
        result: outcome.as_ref().ok(),
        problems: listed(warnings, outcome.as_ref().err()),
    };
    let text = serde_json::to_string_pretty(&report).map_err(|err| CommandError::Write {
        path: "stdout".into(),
        reason: err.to_string(),
    })?;
    // serde_json writes every control character as an escape; say! would
    // escape the document's own line breaks.
    let _ = writeln!(std::io::stdout(), "{text}");
    match outcome {
        Ok(_) => Ok(()),
        Err(err) => Err(Error::Reported {
            code: err.exit_code(),
        }),
    }
}

/// What `digest` would send, or why nothing is due.
#[derive(Debug, Default, Serialize)]
pub(super) struct DigestPreview {
    pub(super) due: bool,
    /// Why nothing is due (the text line), when nothing is.
    pub(super) reason: Option<String>,
    pub(super) id: Option<String>,
    pub(super) resumed: bool,
    pub(super) start: Option<String>,
    pub(super) end: Option<String>,
    pub(super) subject: Option<String>,
    pub(super) additions: usize,
    pub(super) updates: usize,
    pub(super) thanked: usize,
    pub(super) first_time: usize,
    /// Subscribers who follow some categories only.
    pub(super) selecting: usize,
    /// Distinct selections of categories among them.
    pub(super) selections: usize,
    pub(super) recipients: Vec<PreviewRecipient>,
}

#[derive(Debug, Serialize)]
pub(super) struct PreviewRecipient {
    pub(super) address: String,
    /// Nothing in this digest is in their categories: no message.
    pub(super) gets_nothing: bool,
}

impl DigestPreview {
    pub(super) fn not_due(reason: String) -> Self {
        Self {
            reason: Some(reason),
            ..Self::default()
        }
    }
}

/// Prints the digest preview's document.
pub(super) fn digest(preview: Result<DigestPreview, Error>) -> Result<(), Error> {
    print("digest", &preview, &[])
}

/// The warnings, then the problems of `error`.
pub(super) fn listed(warnings: &[Diagnostic], error: Option<&Error>) -> Vec<Problem> {
    let mut problems: Vec<Problem> = warnings.iter().map(|d| problem(d, "warning")).collect();
    problems.extend(error.into_iter().flat_map(errors));
    problems
}

/// Every problem `err` stands for: one per diagnostic when it lists
/// several, else one, placed when the error knows where.
fn errors(err: &Error) -> Vec<Problem> {
    let diagnostics = match err {
        Error::Catalogue(CatalogueError::Invalid { errors }) => errors,
        Error::Guard(GuardError::IdChanges { changes }) => changes,
        _ => return vec![unplaced(err)],
    };
    diagnostics.iter().map(|d| problem(d, "error")).collect()
}

fn problem(diagnostic: &Diagnostic, severity: &'static str) -> Problem {
    let location = diagnostic.location.as_ref();
    Problem {
        severity,
        file: location.map(|l| l.path.display().to_string()),
        line: location.map(|l| l.line),
        column: location.map(|l| l.column),
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
    }
}

/// An error that is not a list of diagnostics: a template's names its file
/// and line; any other says where in its text.
fn unplaced(err: &Error) -> Problem {
    let template = match err {
        Error::Template(TemplateError::Invalid(err))
        | Error::Publish(PublishError::Template(TemplateError::Invalid(err))) => Some(err),
        _ => None,
    };
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Problem {
        severity: "error",
        file: template
            .and_then(|e| e.name())
            .map(|name| format!("{TEMPLATES_DIR}/{name}")),
        line: template.and_then(minijinja::Error::line),
        column: None,
        message,
        help: String::new(),
    }
}
