//! `oyez digest [DIR] [--since DATE] [--now DATETIME] [--out OUTDIR] [--send]`:
//! work out what is due, preview it or send it exactly once. The only place
//! that reads the clock (when `--now` is absent), `OYEZ_SMTP_URL`,
//! `OYEZ_UNSUBSCRIBE_SECRET` (which `subscribers --token` reads too) and
//! `OYEZ_DKIM_KEY`.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveTime, SubsecRound, TimeZone, Utc};

use super::CatalogueDir;
use super::json::Format;
use crate::catalogue::{Catalogue, DigestConfig, Dkim};
use crate::digest::copies::{self, Letters};
use crate::digest::dkim::{self, Signer};
use crate::digest::ledger::{Ledger, LedgerError, Writer};
use crate::digest::plan::{self, Plan};
use crate::digest::recipients::Recipient;
use crate::digest::resume::{self, Chosen, Decision};
use crate::digest::send::Settings;
use crate::digest::{self, DigestError, cadence};
use crate::digest::{editions, frozen};
use crate::error::Error;
use crate::state;

mod read;
mod send;
mod show;

pub(super) use read::read_recipients;
use read::{mailable, open_ledger};

use send::Sending;

/// The environment variable holding the SMTP server URL (and credentials).
const SMTP_URL: &str = "OYEZ_SMTP_URL";

/// The environment variable holding the key of `{{ token }}` in unsubscribe URLs.
pub(super) const UNSUBSCRIBE_SECRET: &str = "OYEZ_UNSUBSCRIBE_SECRET";

#[derive(Debug, clap::Args)]
#[command(after_help = "Environment:\n  \
    OYEZ_SMTP_URL            where --send delivers (smtp://127.0.0.1:2525, smtps://user:password@host)\n  \
    OYEZ_UNSUBSCRIBE_SECRET  key of the {{ token }} in per-subscriber unsubscribe URLs\n  \
    OYEZ_DKIM_KEY            with `[digest] dkim`: the PEM private key --send signs with")]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Start of the first digest (YYYY-MM-DD in the site's time zone, or RFC 3339);
    /// later digests start where the ledger's last one ended
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// End of the window and the mail's Date (RFC 3339) [default: the clock]
    #[arg(long, value_name = "DATETIME")]
    now: Option<String>,
    /// Write each message as an .eml file into this folder
    #[arg(long, value_name = "OUTDIR")]
    out: Option<PathBuf>,
    /// Send over SMTP (OYEZ_SMTP_URL) and record it in the ledger; without it, only preview
    #[arg(long)]
    send: bool,
    /// At most N messages per second
    #[arg(long, value_name = "N", value_parser = positive_rate)]
    rate: Option<f64>,
    /// SMTP connections open at once, each sending its share of the messages
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    connections: u16,
    /// Mail again the recipients left unconfirmed by an interrupted run (same Message-ID)
    #[arg(long)]
    resend_unconfirmed: bool,
    /// With --send: record the digest and claim its recipients for --run-id, then stop
    /// (commit the ledger, then send with the same --run-id)
    #[arg(long, requires_all = ["send", "run_id"])]
    claim: bool,
    /// The CI run this is, for --claim: recipients another run claimed are unconfirmed
    #[arg(long, value_name = "ID")]
    run_id: Option<String>,
    /// Send although the ledger lacks a digest that .oyez/digests records as sent
    #[arg(long)]
    force: bool,
    /// Send although entries (or base_url) changed id since the last publish (.oyez/ids)
    #[arg(long)]
    accept_id_changes: bool,
    /// Preview as lines for people, or as one JSON document for programs (docs/json.md)
    #[arg(long, value_enum, default_value_t = Format::Text, conflicts_with_all = ["send", "out"])]
    format: Format,
}

fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err("give a number of messages per second above 0, such as 5 or 0.5".into()),
    }
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    match digest(args) {
        Err(err) if args.format == Format::Json && !matches!(err, Error::Reported { .. }) => {
            super::json::digest(Err(err))
        }
        done => done,
    }
}

fn digest(args: &Args) -> Result<(), Error> {
    let dir = &args.catalogue.path();
    let mut loaded = super::load(dir)?;
    super::identity(dir, &mut loaded, args.accept_id_changes)?;
    let catalogue = &loaded.catalogue;
    let config = catalogue.digest.as_ref().ok_or(DigestError::NoConfig)?;
    let (since, end) = window(args, catalogue, config)?;
    let settings = args.send.then(smtp_settings).transpose()?;
    let signer = config.dkim.as_ref().filter(|_| args.send && !args.claim);
    let signer = signer.map(dkim_signer).transpose()?;
    let recipients = mailable(dir, read_recipients(dir, config, catalogue)?)?;
    let ledger_path = match args.send {
        true => state::adopt_ledger(dir, digest::configured_ledger(catalogue))?,
        false => digest::ledger_path(dir, catalogue),
    };
    if !args.force && std::fs::symlink_metadata(&ledger_path).is_err() {
        refuse_lost_ledger(dir, &Ledger::default(), &ledger_path)?;
    }
    let (writer, mut ledger) = open_ledger(dir, &ledger_path, args.send)?;
    ledger.settle_claims(args.run_id.as_deref());
    if !args.force {
        refuse_lost_ledger(dir, &ledger, &ledger_path)?;
    }
    let addresses = recipients.iter().map(|r| r.address.clone()).collect();
    let mut chosen = match resume::decide(&ledger, since, end, addresses, args.resend_unconfirmed) {
        Decision::Go(chosen) => chosen,
        Decision::UpToDate(start) => {
            let line = show::up_to_date(&ledger, start, catalogue, config);
            show::not_due(line, args.format)?;
            return finish(writer);
        }
        Decision::NeedSince => return Err(DigestError::NeedSince.into()),
    };
    if !chosen.resumed {
        chosen.categories = editions::selections(&recipients);
    }
    let plan = match ledger.last().filter(|_| chosen.resumed) {
        Some(last) => plan::recorded(catalogue, chosen.window, last.record.carried.as_ref()),
        None => plan::fresh(catalogue, chosen.window, &ledger),
    };
    if !chosen.resumed && plan.is_empty() {
        show::not_due(show::nothing_new(&ledger, &chosen), args.format)?;
        return finish(writer);
    }
    let context = Context {
        args,
        dir,
        catalogue,
        config,
        recipients: &recipients,
        ledger: &ledger,
        dkim: signer.as_ref(),
    };
    dispatch(&context, &plan, &chosen, writer.zip(settings))
}

/// Fails when the state lists a digest the ledger lacks (issue 19): the
/// ledger was deleted, replaced or rolled back, and would mail everyone again.
fn refuse_lost_ledger(dir: &Path, ledger: &Ledger, path: &Path) -> Result<(), Error> {
    let recorded = state::sent::read(dir)?;
    let ids: Vec<&str> = ledger
        .digests
        .iter()
        .map(|d| d.record.id.as_str())
        .collect();
    match state::sent::missing(&recorded, &ids) {
        Some(missing) => Err(DigestError::LostLedger {
            ledger: path.to_path_buf(),
            missing: missing.to_owned(),
        }
        .into()),
        None => Ok(()),
    }
}

/// What a run has read before it knows which digest is due.
struct Context<'a> {
    args: &'a Args,
    dir: &'a Path,
    catalogue: &'a Catalogue,
    config: &'a DigestConfig,
    recipients: &'a [Recipient],
    ledger: &'a Ledger,
    /// `[digest] dkim` with its key, when sending.
    dkim: Option<&'a Signer>,
}

/// Renders the chosen digest, shows the plan, writes `--out`, and sends
/// when the run holds the ledger and a server (`--send`).
fn dispatch(
    context: &Context<'_>,
    plan: &Plan<'_>,
    chosen: &Chosen,
    sender: Option<(Writer, Settings)>,
) -> Result<(), Error> {
    let Context {
        args,
        catalogue,
        config,
        recipients,
        ledger,
        ..
    } = *context;
    let mail = send::mail(context.dir, catalogue, plan, chosen)?;
    let letters = Letters {
        config,
        site_title: &catalogue.site.title,
        mail: &mail,
        chosen,
    };
    let jobs = copies::jobs(catalogue, config, &mail, chosen, recipients)?;
    if mail.unsubscribe.shared_https() && jobs.iter().any(|job| job.personal) {
        tell!("warning: {}", send::SHARED_UNSUBSCRIBE);
    }
    let due = resume::to_send(ledger, chosen, args.resend_unconfirmed);
    let today: Vec<String> = recipients.iter().map(|r| r.address.clone()).collect();
    let (to_send, removed) = resume::still_listed(chosen, due, &today);
    if args.format == Format::Json {
        return super::json::digest(Ok(show::preview(plan, chosen, &mail.shared, &jobs)));
    }
    let counts = (&to_send[..], removed.len());
    show::print_plan(plan, chosen, &mail.shared, &jobs, counts, ledger);
    if let Some(out) = &args.out {
        show::write_eml(out, &chosen.id, &letters, &jobs)?;
    }
    let Some((writer, settings)) = sender else {
        say!("preview only: nothing sent; add --send to send");
        return Ok(());
    };
    let sending = Sending {
        dir: context.dir,
        rate: args.rate,
        per_connection: config.per_connection,
        connections: args.connections,
        letters: &letters,
        earlier_unconfirmed: resume::unconfirmed(ledger, chosen),
        removed: removed
            .iter()
            .filter_map(|&i| chosen.recipients.get(i))
            .cloned()
            .collect(),
        message_id: copies::message_id(catalogue, &chosen.id, None),
        carried: plan.carried(),
        claim: args.claim.then_some(args.run_id.as_deref()).flatten(),
        frozen: frozen::freeze(catalogue, plan, &chosen.id)?,
        dkim: context.dkim,
    };
    send::send(writer, settings, &sending, &jobs, &to_send)
}

/// Ends a `--send` run that sent nothing: a ledger left uncompacted (by a
/// run killed while compacting it) is compacted now.
fn finish(writer: Option<Writer>) -> Result<(), Error> {
    writer.map_or(Ok(()), |writer| compact(writer).map(drop))
}

/// Compacts the ledger when no digest is owed to anyone; returns the new
/// file, locked until the run ends. Failing to is a warning: the ledger is
/// as it was, and the next run tries again.
pub(super) fn compact(writer: Writer) -> Result<Option<File>, Error> {
    match writer.compact() {
        Err(err @ LedgerError::Compact { .. }) => {
            tell!("warning: {err}");
            if let Some(cause) = std::error::Error::source(&err) {
                tell!("  caused by: {cause}");
            }
            Ok(None)
        }
        other => other.map_err(|err| DigestError::from(err).into()),
    }
}

/// The window's start (`--since`, if given) and end: `--now` or the clock,
/// in whole seconds (the ledger and the messages show no fractions, issue
/// 11), moved back to the last cadence boundary when `[digest] every` is
/// set (issue 14).
fn window(
    args: &Args,
    catalogue: &Catalogue,
    config: &DigestConfig,
) -> Result<(Option<DateTime<Utc>>, DateTime<Utc>), Error> {
    let now = match &args.now {
        Some(text) => parse_time(text, catalogue, "--now")?,
        None => Utc::now(),
    }
    .trunc_subsecs(0);
    let since = args.since.as_deref();
    let since = since
        .map(|t| parse_time(t, catalogue, "--since"))
        .transpose()?;
    let zone = catalogue.site.timezone;
    let end = config
        .every
        .map_or(now, |every| cadence::window_end(every, zone, now));
    Ok((since, end))
}

/// The signer of `[digest] dkim`, with the key in `OYEZ_DKIM_KEY`.
fn dkim_signer(setting: &Dkim) -> Result<Signer, Error> {
    let key = std::env::var(dkim::KEY_VARIABLE).ok();
    let signer = Signer::new(setting, key.as_deref())?;
    say!(
        "DKIM: each copy sent is signed ({}), public key at {}",
        signer.algorithm(),
        signer.record()
    );
    Ok(signer)
}

fn smtp_settings() -> Result<Settings, Error> {
    let url = std::env::var(SMTP_URL).map_err(|_| DigestError::NoSmtpUrl)?;
    Ok(Settings::parse(&url)?)
}

/// `YYYY-MM-DD` (midnight in the site's time zone) or RFC 3339.
pub(super) fn parse_time(
    text: &str,
    catalogue: &Catalogue,
    flag: &'static str,
) -> Result<DateTime<Utc>, DigestError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.to_utc());
    }
    let zone = catalogue.site.timezone;
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let midnight = day.and_then(|d| {
        zone.from_local_datetime(&d.and_time(NaiveTime::MIN))
            .earliest()
    });
    midnight
        .map(|at| at.to_utc())
        .ok_or_else(|| DigestError::BadTime {
            flag,
            text: text.to_owned(),
        })
}
