//! Email digests: what is due ([`plan`], [`cadence`]), the mail
//! ([`render`], one edition per selection of categories: [`editions`]), who
//! gets it ([`recipients`]), sending over SMTP ([`send`]), the exactly-once
//! record ([`ledger`]) and the public archive of sent digests
//! ([`archive`]). Nothing here reads the clock or the environment:
//! `cli/digest.rs` passes "now" and the SMTP settings in.

pub mod archive;
pub mod cadence;
pub mod deliver;
pub mod editions;
mod fault;
pub mod ledger;
pub mod plan;
pub mod recipients;
pub mod render;
pub mod resume;
pub mod send;
pub mod unsubscribe;

use std::path::{Path, PathBuf};

use crate::catalogue::Catalogue;
use crate::template::TemplateError;

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    /// A problem with `[digest]` or its use, already phrased for the user.
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Ledger(#[from] ledger::LedgerError),
    #[error("{}\nnothing was sent; fix the recipients first", .0.join("\n"))]
    Recipients(Vec<String>),
    /// An SMTP failure that stops the run; the text never holds credentials.
    #[error("{0}")]
    Smtp(String),
    /// The server accepted a message but its `accepted` line could not be
    /// written: the recipient stays `attempting` (unconfirmed).
    #[error(
        "cannot write the digest ledger {}; nothing more is sent. The server accepted the \
         message to {to} but the ledger could not record it: the next run reports {to} as \
         unconfirmed. Make room (or fix the permissions) and run again: it resumes where this \
         run stopped",
        path.display()
    )]
    Unrecorded {
        path: PathBuf,
        to: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Where the catalogue in `root` keeps its ledger.
pub fn ledger_path(root: &Path, catalogue: &Catalogue) -> PathBuf {
    let name = catalogue
        .digest
        .as_ref()
        .and_then(|d| d.ledger.as_deref())
        .unwrap_or(ledger::DEFAULT_FILE);
    root.join(name)
}
