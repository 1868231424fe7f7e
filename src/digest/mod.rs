//! Email digests: what is due ([`plan`], [`cadence`]), the mail
//! ([`render`], one edition per selection of categories: [`editions`]), who
//! gets it ([`recipients`]), sending over SMTP ([`send`]), the exactly-once
//! record ([`ledger`]) and the public archive of sent digests
//! ([`archive`], rendered from what each carried: `frozen.rs`), and DKIM
//! signatures on the copies sent ([`dkim`]). Nothing here
//! reads the clock or the environment:
//! `cli/digest.rs` passes "now" and the SMTP settings in.

pub mod archive;
pub mod cadence;
pub mod copies;
pub mod deliver;
pub mod dkim;
pub mod editions;
pub(crate) mod fault;
pub(crate) mod frozen;
mod headers;
pub mod ledger;
pub mod plan;
pub mod recipients;
pub mod render;
pub mod resume;
pub mod send;
pub mod unsubscribe;
pub mod verp;

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
    /// `oyez digest` on a catalogue whose `oyez.toml` has no `[digest]`.
    #[error(
        "oyez.toml has no `[digest]` table; add one with `from` and `to` or `subscribers` \
         (see README, \"Email digests\")"
    )]
    NoConfig,
    /// `--now` or `--since` that cannot be read: a usage error (exit 2).
    #[error(
        "{flag} {text:?} is neither a date (2026-11-27) nor an RFC 3339 date-time \
         (2026-11-27T09:00:00Z)"
    )]
    BadTime { flag: &'static str, text: String },
    /// `--send` without `OYEZ_SMTP_URL` in the environment.
    #[error(
        "OYEZ_SMTP_URL is not set; set it to smtp://host:port or smtps://user:password@host:465 \
         (credentials come only from the environment)"
    )]
    NoSmtpUrl,
    /// The state records digest `missing` as sent and the ledger lacks
    /// it (`--force` overrides).
    #[error(
        "{} lacks digest {missing}, which .oyez/digests records as sent: the ledger was deleted, \
         replaced or rolled back, and sending would mail everyone again. Restore it (for example \
         `git log -- {}` and `git checkout COMMIT -- {}`), or pass --force to send anyway",
        ledger.display(),
        ledger.display(),
        ledger.display()
    )]
    LostLedger { ledger: PathBuf, missing: String },
    /// No digest in the ledger and no `--since`: where the first starts is unknown.
    #[error(
        "no digest was ever sent from this catalogue, so oyez does not know where the first one \
         starts; give --since DATE (for example --since 2026-01-01), so that nobody is mailed the \
         whole backlog by accident"
    )]
    NeedSince,
    /// The run ended with `missed` (at least 1) recipients of digest `id`
    /// failed, deferred or unconfirmed; the summary above names them.
    #[error("{} not confirmed as reached; see above", missed_recipients(*.missed, .id))]
    Unconfirmed { id: String, missed: usize },
}

fn missed_recipients(missed: usize, id: &str) -> String {
    match missed {
        1 => format!("1 recipient of digest {id} was"),
        n => format!("{n} recipients of digest {id} were"),
    }
}

/// Where the catalogue in `root` keeps its ledger: `[digest] ledger`, else
/// in the committed state ([`crate::state::ledger_path`]).
pub fn ledger_path(root: &Path, catalogue: &Catalogue) -> PathBuf {
    crate::state::ledger_path(root, configured_ledger(catalogue))
}

/// The ledger file `[digest] ledger` names, if any.
pub fn configured_ledger(catalogue: &Catalogue) -> Option<&str> {
    catalogue.digest.as_ref().and_then(|d| d.ledger.as_deref())
}

/// `1 addition`, `2 additions`: a count with its noun in agreement.
pub(crate) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
