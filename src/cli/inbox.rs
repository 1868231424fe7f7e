//! `oyez inbox [DIR] [--now DATETIME]`: applies the requests, bounces and
//! complaints in the mailbox `OYEZ_INBOX_URL` names (issue 21 §2). Reads
//! the environment and the clock, prints the report; the work is in
//! [`crate::inbox`].

use chrono::{SubsecRound, Utc};

use super::CatalogueDir;
use crate::digest::send::Settings;
use crate::error::Error;
use crate::inbox::{self, InboxError, Setup};

#[derive(Debug, clap::Args)]
#[command(after_help = "Environment:\n  \
    OYEZ_INBOX_URL           the mailbox: maildir:PATH, imaps://user:password@host[:port]/INBOX \
    or imap://… (STARTTLS)\n  \
    OYEZ_INBOX_CA            a PEM file of certificates to trust besides the Web PKI (a private CA)\n  \
    OYEZ_UNSUBSCRIBE_SECRET  key of the tokens in return paths, unsubscribe and confirmation addresses\n  \
    OYEZ_SMTP_URL            where confirmations of subscribe requests are sent")]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// The time to record (RFC 3339 or YYYY-MM-DD) [default: the clock]
    #[arg(long, value_name = "DATETIME")]
    now: Option<String>,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = args.catalogue.path();
    let loaded = super::load(&dir)?;
    let catalogue = &loaded.catalogue;
    let url = std::env::var("OYEZ_INBOX_URL").map_err(|_| {
        InboxError::Config(
            "OYEZ_INBOX_URL is not set; set it to maildir:PATH or \
             imaps://user:password@host/INBOX (see docs/subscribers.md)"
                .into(),
        )
    })?;
    let ca = std::env::var_os("OYEZ_INBOX_CA").map(std::path::PathBuf::from);
    let mut mailbox = inbox::open(&url, ca.as_deref())?;
    let now = match &args.now {
        Some(text) => super::digest::parse_time(text, catalogue, "--now")?,
        None => Utc::now().trunc_subsecs(0),
    };
    let smtp = match std::env::var("OYEZ_SMTP_URL") {
        Ok(url) => Some(Settings::parse(&url)?),
        Err(_) => None,
    };
    let secret = std::env::var_os("OYEZ_UNSUBSCRIBE_SECRET").map(|s| s.into_encoded_bytes());
    let setup = Setup {
        root: &dir,
        catalogue,
        secret: secret.filter(|s| !s.is_empty()),
        smtp,
        now,
    };
    let summary = inbox::run(&setup, mailbox.as_mut(), &mut |line| say!("{line}"))?;
    say!(
        "inbox {}: {}: {} applied, {} left in the mailbox, {} unreadable, {} unconfirmed",
        mailbox.shown(),
        crate::digest::counted(summary.messages, "message", "messages"),
        summary.applied,
        summary.left,
        summary.unread,
        summary.unconfirmed
    );
    if summary.applied > 0 {
        say!("commit .oyez/ and the subscribers file");
    }
    Ok(())
}
