//! The top-level error, its exit code, and how it is shown to the user.

use std::error::Error as _;
use std::process::ExitCode;

use crate::catalogue::CatalogueError;
use crate::catalogue::guard::GuardError;
use crate::digest::DigestError;
use crate::links::LinksError;
use crate::output::OutputError;
use crate::publish::PublishError;
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
    Links(#[from] LinksError),
    #[error(transparent)]
    Ping(#[from] PingError),
    /// A command-specific failure, already phrased for the user.
    #[error("{0}")]
    Message(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        1
    }
}

/// Prints `error: …` and one `  caused by: …` line per source; returns the exit code.
pub fn report(err: &Error) -> ExitCode {
    eprintln!("error: {err}");
    // `transparent` variants already forward `source()` to the inner error's
    // source, so the chain starts at the real cause (the io::Error of a write).
    let mut source = err.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
    ExitCode::from(err.exit_code())
}
