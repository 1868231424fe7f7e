//! `oyez digest [DIR] [--since DATE] [--now DATETIME] [--out OUTDIR] [--send]`:
//! work out what is due, preview it or send it exactly once. The only place
//! that reads the clock (when `--now` is absent) and `OYEZ_SMTP_URL`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use super::CatalogueDir;
use crate::catalogue::{Catalogue, DigestConfig};
use crate::digest::deliver::{self, Job, Tally};
use crate::digest::ledger::{self, DigestRecord, Ledger, Record, Status, Writer};
use crate::digest::plan::{self, Window};
use crate::digest::recipients::{self, Recipient};
use crate::digest::render::{self, Content};
use crate::digest::send::{Mailer, Settings};
use crate::digest::{self, DigestError};
use crate::error::Error;
use crate::output;
use crate::template::{self, Templates};

/// The environment variable holding the SMTP server URL (and credentials).
const SMTP_URL: &str = "OYEZ_SMTP_URL";

#[derive(Debug, clap::Args)]
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
    #[arg(long, value_name = "N")]
    rate: Option<f64>,
    /// Mail again the recipients left unconfirmed by an interrupted run (same Message-ID)
    #[arg(long)]
    resend_unconfirmed: bool,
}

/// The digest this run deals with.
struct Chosen {
    id: String,
    window: Window,
    subject: Option<String>,
    recipients: Vec<String>,
    resumed: bool,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = &args.catalogue.dir;
    let loaded = super::load(dir)?;
    let catalogue = &loaded.catalogue;
    let Some(config) = catalogue.digest.as_ref() else {
        return Err(message(
            "oyez.toml has no `[digest]` table; add one with `from` and `to` or `subscribers` (see README, \"Email digests\")",
        ));
    };
    let now = match &args.now {
        Some(text) => parse_time(text, catalogue, "--now")?,
        None => Utc::now(),
    };
    let since = args
        .since
        .as_deref()
        .map(|text| parse_time(text, catalogue, "--since"))
        .transpose()?;
    let settings = if args.send {
        Some(smtp_settings()?)
    } else {
        None
    };
    let (recipients, warnings) =
        recipients::read(dir, config).map_err(|invalid| DigestError::Recipients(invalid.0))?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let path = digest::ledger_path(dir, catalogue);
    let (writer, ledger) = if args.send {
        let (writer, ledger) = Writer::open(&path).map_err(DigestError::from)?;
        (Some(writer), ledger)
    } else {
        (None, Ledger::read(&path).map_err(DigestError::from)?)
    };
    if let Some(torn) = ledger.torn {
        eprintln!(
            "note: {}:{}: the last line is incomplete: a run was interrupted while writing it. \
             Such a line never counts (each line is on disk before the step it records), so it is {}.",
            path.display(),
            torn.line,
            if args.send { "removed" } else { "ignored" }
        );
    }
    let Some(chosen) = choose(&ledger, since, now, &recipients, args.resend_unconfirmed)? else {
        return Ok(());
    };
    let plan = plan::plan(catalogue, chosen.window);
    if !chosen.resumed && plan.is_empty() {
        println!(
            "nothing new between {} and {}; nothing sent",
            ledger::format_time(chosen.window.start),
            ledger::format_time(chosen.window.end)
        );
        return Ok(());
    }
    let templates = Templates::new(template::read_overrides(dir)?)?;
    let mut content = render::content(catalogue, &templates, &plan, &chosen.id)?;
    if let Some(subject) = &chosen.subject {
        content.subject.clone_from(subject);
    }
    let jobs = jobs(catalogue, config, &content, &chosen, &recipients)?;
    let to_send = select(&ledger, &chosen, &jobs, args.resend_unconfirmed);
    print_plan(&plan, &chosen, &content, &jobs, &to_send, &ledger);
    if let Some(out) = &args.out {
        write_eml(out, &chosen.id, &jobs)?;
    }
    match (writer, settings) {
        (Some(mut writer), Some(settings)) => {
            let earlier = unconfirmed(&ledger, &chosen);
            let sending = Sending {
                rate: args.rate,
                chosen: &chosen,
                content: &content,
            };
            send(&mut writer, settings, &sending, &jobs, &to_send, &earlier)
        }
        _ => {
            println!("preview only: nothing sent; add --send to send");
            Ok(())
        }
    }
}

fn message(text: &str) -> Error {
    Error::Message(text.to_owned())
}

fn smtp_settings() -> Result<Settings, Error> {
    let url = std::env::var(SMTP_URL).map_err(|_| {
        message(
            "OYEZ_SMTP_URL is not set; set it to smtp://host:port or smtps://user:password@host:465 \
             (credentials come only from the environment)",
        )
    })?;
    Ok(Settings::parse(&url)?)
}

/// `YYYY-MM-DD` (midnight in the site's time zone) or RFC 3339.
fn parse_time(text: &str, catalogue: &Catalogue, flag: &str) -> Result<DateTime<Utc>, Error> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.to_utc());
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let midnight = day.and_then(|d| {
        catalogue
            .site
            .timezone
            .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
    });
    midnight.map(|at| at.to_utc()).ok_or_else(|| {
        Error::Message(format!(
            "{flag} {text:?} is neither a date (2026-11-27) nor an RFC 3339 date-time (2026-11-27T09:00:00Z)"
        ))
    })
}

/// Resume the last digest when it has recipients left to try; otherwise
/// open the next window. `None`: nothing to do (already said why).
fn choose(
    ledger: &Ledger,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    recipients: &[Recipient],
    resend: bool,
) -> Result<Option<Chosen>, Error> {
    if let Some(last) = ledger.last() {
        let open = last.count(Status::Pending) + last.count(Status::Deferred);
        let unconfirmed = last.count(Status::Attempting);
        if open > 0 || (resend && unconfirmed > 0) {
            return Ok(Some(Chosen {
                id: last.record.id.clone(),
                window: last.window,
                subject: Some(last.record.subject.clone()),
                recipients: last.record.recipients.clone(),
                resumed: true,
            }));
        }
        if unconfirmed > 0 {
            eprintln!(
                "note: digest {} left {unconfirmed} recipient(s) unconfirmed (the run stopped during \
                 their SMTP transaction); they may or may not have it. --resend-unconfirmed mails them again.",
                last.record.id
            );
        }
    }
    let start = match (ledger.last(), since) {
        (Some(last), Some(since)) => last.window.end.max(since),
        (Some(last), None) => last.window.end,
        (None, Some(since)) => since,
        (None, None) => {
            return Err(message(
                "no digest was ever sent from this catalogue, so oyez does not know where the first \
                 one starts; give --since DATE (for example --since 2026-01-01), so that nobody is \
                 mailed the whole backlog by accident",
            ));
        }
    };
    if now <= start {
        println!(
            "nothing new since {} (the end of the last digest); nothing sent",
            ledger::format_time(start)
        );
        return Ok(None);
    }
    let day = now.date_naive().format("%Y-%m-%d").to_string();
    Ok(Some(Chosen {
        id: ledger.fresh_id(&day),
        window: Window { start, end: now },
        subject: None,
        recipients: recipients.iter().map(|r| r.address.clone()).collect(),
        resumed: false,
    }))
}

/// One message per recipient of the chosen digest.
fn jobs(
    catalogue: &Catalogue,
    config: &DigestConfig,
    content: &Content,
    chosen: &Chosen,
    current: &[Recipient],
) -> Result<Vec<Job>, Error> {
    let date = SystemTime::from(chosen.window.end);
    let list = config.to.as_deref().and_then(recipients::list_address);
    let mut jobs = Vec::new();
    for address in &chosen.recipients {
        let recipient = match current.iter().find(|r| &r.address == address) {
            Some(found) => found.clone(),
            None => recipients::from_address(address).ok_or_else(|| {
                Error::Message(format!(
                    "the ledger names recipient {address:?}, which is not a mail address; \
                     the ledger is corrupt"
                ))
            })?,
        };
        let personal = (list.as_deref() != Some(address.as_str())).then_some(address.as_str());
        let message_id = render::message_id(catalogue, &chosen.id, personal);
        let message = render::message(
            config,
            &catalogue.site.title,
            content,
            &recipient,
            date,
            &message_id,
        )?;
        jobs.push(Job {
            address: address.clone(),
            message_id,
            message,
        });
    }
    Ok(jobs)
}

/// Indices of the jobs this run sends.
fn select(ledger: &Ledger, chosen: &Chosen, jobs: &[Job], resend: bool) -> Vec<usize> {
    let last = ledger.last().filter(|_| chosen.resumed);
    jobs.iter()
        .enumerate()
        .filter(|(_, job)| match last.map(|d| d.status(&job.address)) {
            None | Some(Status::Pending | Status::Deferred) => true,
            Some(Status::Attempting) => resend,
            Some(Status::Accepted | Status::Failed) => false,
        })
        .map(|(index, _)| index)
        .collect()
}

fn print_plan(
    plan: &plan::Plan<'_>,
    chosen: &Chosen,
    content: &Content,
    jobs: &[Job],
    to_send: &[usize],
    ledger: &Ledger,
) {
    let first = plan.thanks.iter().filter(|t| t.first_time).count();
    println!(
        "digest {}{}: {} to {}",
        chosen.id,
        if chosen.resumed { " (resumed)" } else { "" },
        ledger::format_time(chosen.window.start),
        ledger::format_time(chosen.window.end)
    );
    println!("subject: {}", content.subject);
    println!(
        "{} additions, {} update-log notes, {} contributors thanked ({first} first-time)",
        plan.entries.len(),
        plan.updates.len(),
        plan.thanks.len()
    );
    match jobs {
        [only] => println!("recipient: {}", only.address),
        _ => println!("recipients: {}", jobs.len()),
    }
    if let Some(last) = ledger.last().filter(|_| chosen.resumed) {
        println!(
            "already: {} accepted, {} failed, {} unconfirmed; this run: {} to send",
            last.count(Status::Accepted),
            last.count(Status::Failed),
            last.count(Status::Attempting),
            to_send.len()
        );
    }
}

fn write_eml(out: &Path, id: &str, jobs: &[Job]) -> Result<(), Error> {
    for (index, job) in jobs.iter().enumerate() {
        let name = match jobs.len() {
            1 => format!("{id}.eml"),
            _ => format!("{id}-{:04}.eml", index + 1),
        };
        let path = out.join(name);
        output::replace(&path, &job.message.formatted())
            .map_err(|source| DigestError::Write { path, source })?;
    }
    println!("wrote {} message(s) to {}", jobs.len(), out.display());
    Ok(())
}

/// Recipients of a resumed digest left `attempting` by an earlier run.
fn unconfirmed(ledger: &Ledger, chosen: &Chosen) -> Vec<String> {
    let Some(last) = ledger.last().filter(|_| chosen.resumed) else {
        return Vec::new();
    };
    chosen
        .recipients
        .iter()
        .filter(|to| last.status(to) == Status::Attempting)
        .cloned()
        .collect()
}

struct Sending<'a> {
    rate: Option<f64>,
    chosen: &'a Chosen,
    content: &'a Content,
}

fn send(
    writer: &mut Writer,
    settings: Settings,
    sending: &Sending<'_>,
    jobs: &[Job],
    to_send: &[usize],
    earlier_unconfirmed: &[String],
) -> Result<(), Error> {
    let Sending {
        chosen, content, ..
    } = *sending;
    if !chosen.resumed {
        writer
            .append(&Record::Digest(DigestRecord {
                id: chosen.id.clone(),
                start: ledger::format_time(chosen.window.start),
                end: ledger::format_time(chosen.window.end),
                message_id: jobs
                    .first()
                    .map(|j| j.message_id.clone())
                    .unwrap_or_default(),
                subject: content.subject.clone(),
                recipients: chosen.recipients.clone(),
            }))
            .map_err(DigestError::from)?;
    }
    let selected: Vec<&Job> = to_send.iter().filter_map(|&i| jobs.get(i)).collect();
    let progress = progress_bar(selected.len());
    let shown = settings.shown();
    let mut mailer = Mailer::new(settings, sending.rate);
    let (mut tally, stopped) =
        deliver::deliver(&chosen.id, &selected, writer, &mut mailer, &progress);
    progress.finish_and_clear();
    // Unconfirmed by an earlier run and not resent now: still unconfirmed.
    let earlier = jobs
        .iter()
        .enumerate()
        .filter(|(index, _)| !to_send.contains(index))
        .filter(|(_, job)| earlier_unconfirmed.contains(&job.address));
    for (_, job) in earlier {
        let reason = "an earlier run stopped during its SMTP transaction".to_owned();
        tally.unconfirmed.push((job.address.clone(), reason));
    }
    let reported = report(&chosen.id, &shown, &tally);
    stopped.map_err(Error::from).and(reported)
}

fn progress_bar(len: usize) -> ProgressBar {
    if len < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} sent, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

fn report(id: &str, server: &str, tally: &Tally) -> Result<(), Error> {
    for (address, reply) in &tally.failed {
        eprintln!("failed: {address}: {reply}");
    }
    for (address, reason) in &tally.deferred {
        eprintln!("deferred: {address}: {reason}; the next run tries again");
    }
    for (address, reason) in &tally.unconfirmed {
        eprintln!(
            "unconfirmed: {address}: {reason}; not mailed again unless you run with --resend-unconfirmed"
        );
    }
    println!(
        "digest {id} via {server}: {} accepted, {} failed, {} deferred, {} unconfirmed",
        tally.accepted,
        tally.failed.len(),
        tally.deferred.len(),
        tally.unconfirmed.len()
    );
    let missed = tally.failed.len() + tally.deferred.len() + tally.unconfirmed.len();
    if missed == 0 {
        Ok(())
    } else {
        Err(Error::Message(format!(
            "{missed} recipient(s) of digest {id} were not confirmed as reached; see above"
        )))
    }
}
