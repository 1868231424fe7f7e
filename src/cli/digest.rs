//! `oyez digest [DIR] [--since DATE] [--now DATETIME] [--out OUTDIR] [--send]`:
//! work out what is due, preview it or send it exactly once. The only place
//! that reads the clock (when `--now` is absent), `OYEZ_SMTP_URL` and
//! `OYEZ_UNSUBSCRIBE_SECRET`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveTime, SubsecRound, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use super::CatalogueDir;
use crate::catalogue::{Catalogue, DigestConfig};
use crate::digest::deliver::{self, Job, Mail, Tally};
use crate::digest::editions::{self, Editions};
use crate::digest::ledger::{self, DigestRecord, Ledger, Record, Writer};
use crate::digest::plan::{self, Carried, Plan};
use crate::digest::recipients::{self, Recipient};
use crate::digest::render;
use crate::digest::resume::{self, Chosen, Decision};
use crate::digest::send::{Mailer, Settings};
use crate::digest::unsubscribe::Unsubscribe;
use crate::digest::{self, DigestError, cadence, counted};
use crate::error::Error;
use crate::output;
use crate::template::{self, Templates};

/// The environment variable holding the SMTP server URL (and credentials).
const SMTP_URL: &str = "OYEZ_SMTP_URL";

/// The environment variable holding the key of `{{ token }}` in unsubscribe URLs.
const UNSUBSCRIBE_SECRET: &str = "OYEZ_UNSUBSCRIBE_SECRET";

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
    #[arg(long, value_name = "N", value_parser = positive_rate)]
    rate: Option<f64>,
    /// Mail again the recipients left unconfirmed by an interrupted run (same Message-ID)
    #[arg(long)]
    resend_unconfirmed: bool,
    /// Send although the ledger records no digest while public/digests/ holds sent ones
    #[arg(long)]
    force: bool,
}

fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err("give a number of messages per second above 0, such as 5 or 0.5".into()),
    }
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = &args.catalogue.path();
    let loaded = super::load(dir)?;
    let catalogue = &loaded.catalogue;
    let config = catalogue.digest.as_ref().ok_or(DigestError::NoConfig)?;
    // Whole seconds: the ledger and the messages show no fractions (issue 11).
    let now = match &args.now {
        Some(text) => parse_time(text, catalogue, "--now")?,
        None => Utc::now(),
    }
    .trunc_subsecs(0);
    let since = args.since.as_deref();
    let since = since
        .map(|t| parse_time(t, catalogue, "--since"))
        .transpose()?;
    let settings = args.send.then(smtp_settings).transpose()?;
    let recipients = read_recipients(dir, config, catalogue)?;
    let (writer, ledger) = open_ledger(dir, &digest::ledger_path(dir, catalogue), args.send)?;
    if let Some(archive) = ledger.looks_lost(dir).filter(|_| args.send && !args.force) {
        let ledger = digest::ledger_path(dir, catalogue);
        return Err(DigestError::LostLedger { ledger, archive }.into());
    }
    let addresses = recipients.iter().map(|r| r.address.clone()).collect();
    // With a cadence, the window ends on the last boundary reached (issue 14).
    let zone = catalogue.site.timezone;
    let end = config
        .every
        .map_or(now, |every| cadence::window_end(every, zone, now));
    let mut chosen = match resume::decide(&ledger, since, end, addresses, args.resend_unconfirmed) {
        Decision::Go(chosen) => chosen,
        Decision::UpToDate(start) => return up_to_date(&ledger, start, catalogue, config),
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
        return nothing_new(&ledger, &chosen);
    }
    let mail = mail(dir, catalogue, &plan, &chosen)?;
    let jobs = deliver::jobs(catalogue, config, &mail, &chosen, &recipients)?;
    if mail.unsubscribe.shared_https() && jobs.iter().any(|job| job.personal) {
        eprintln!("warning: {SHARED_UNSUBSCRIBE}");
    }
    let due = resume::to_send(&ledger, &chosen, args.resend_unconfirmed);
    let today: Vec<String> = recipients.iter().map(|r| r.address.clone()).collect();
    let (to_send, removed) = resume::still_listed(&chosen, due, &today);
    print_plan(&plan, &chosen, &mail.shared, &jobs, &to_send, &ledger);
    if !removed.is_empty() {
        let left = counted(removed.len(), "recipient", "recipients");
        say!("{left} left the recipients since this digest began; they are not mailed");
    }
    if let Some(out) = &args.out {
        write_eml(out, &chosen.id, &jobs)?;
    }
    let (Some(mut writer), Some(settings)) = (writer, settings) else {
        say!("preview only: nothing sent; add --send to send");
        return Ok(());
    };
    let sending = Sending {
        rate: args.rate,
        per_connection: config.per_connection,
        chosen: &chosen,
        subject: &mail.shared.full.subject,
        earlier_unconfirmed: resume::unconfirmed(&ledger, &chosen),
        removed: removed
            .iter()
            .filter_map(|&i| chosen.recipients.get(i))
            .cloned()
            .collect(),
        message_id: render::message_id(catalogue, &chosen.id, None),
        carried: plan.carried(),
    };
    send(&mut writer, settings, &sending, &jobs, &to_send)
}

fn up_to_date(
    ledger: &Ledger,
    start: DateTime<Utc>,
    catalogue: &Catalogue,
    config: &DigestConfig,
) -> Result<(), Error> {
    if let Some(note) = resume::unconfirmed_note(ledger) {
        eprintln!("note: {note}");
    }
    if let Some(every) = config.every {
        let zone = catalogue.site.timezone;
        let due = cadence::due(every, zone, start).with_timezone(&zone);
        say!(
            "not due: digests go out every {}; the next one starts after {} and is due at {}; \
             nothing sent",
            every.name(),
            ledger::format_time(start),
            due.to_rfc3339()
        );
        return Ok(());
    }
    say!(
        "nothing new since {} (the end of the last digest); nothing sent",
        ledger::format_time(start)
    );
    Ok(())
}

fn nothing_new(ledger: &Ledger, chosen: &Chosen) -> Result<(), Error> {
    if let Some(note) = resume::unconfirmed_note(ledger) {
        eprintln!("note: {note}");
    }
    say!(
        "nothing new between {} and {}; nothing sent",
        ledger::format_time(chosen.window.start),
        ledger::format_time(chosen.window.end)
    );
    Ok(())
}

fn smtp_settings() -> Result<Settings, Error> {
    let url = std::env::var(SMTP_URL).map_err(|_| DigestError::NoSmtpUrl)?;
    Ok(Settings::parse(&url)?)
}

/// `YYYY-MM-DD` (midnight in the site's time zone) or RFC 3339.
fn parse_time(
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

fn read_recipients(
    dir: &Path,
    config: &DigestConfig,
    catalogue: &Catalogue,
) -> Result<Vec<Recipient>, Error> {
    let known: Vec<&str> = catalogue
        .categories
        .iter()
        .map(|c| c.slug.as_str())
        .collect();
    let (recipients, warnings) = recipients::read(dir, config, &known)
        .map_err(|invalid| DigestError::Recipients(invalid.0))?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    Ok(recipients)
}

/// With `--send`, takes the lock and opens the ledger for appending.
fn open_ledger(dir: &Path, path: &Path, send: bool) -> Result<(Option<Writer>, Ledger), Error> {
    let (writer, ledger) = if send {
        let (writer, ledger) = Writer::open_in(dir, path).map_err(DigestError::from)?;
        (Some(writer), ledger)
    } else {
        (None, Ledger::read_in(dir, path).map_err(DigestError::from)?)
    };
    if let Some(torn) = ledger.torn {
        eprintln!(
            "note: {}:{}: the last line is incomplete: a run was interrupted while writing it. \
             Such a line never counts (each line is on disk before the step it records), so it \
             is {}.",
            path.display(),
            torn.line,
            if send { "removed" } else { "ignored" }
        );
    }
    Ok((writer, ledger))
}

const SHARED_UNSUBSCRIBE: &str = "an https `[digest] unsubscribe` URL is the same for every \
    subscriber, so it cannot tell who leaves and one-click unsubscribe (List-Unsubscribe-Post) \
    is not offered; put {{ address }} or {{ token }} in it (see docs/digest-mail.md)";

/// Subject and bodies, shared and (when an unsubscribe URL is personal)
/// per subscriber; a resumed digest keeps the subject it was sent with.
fn mail(
    dir: &Path,
    catalogue: &Catalogue,
    plan: &Plan<'_>,
    chosen: &Chosen,
) -> Result<Mail, Error> {
    let targets = catalogue
        .digest
        .as_ref()
        .map_or(&[][..], |c| c.unsubscribe.as_slice());
    let secret = std::env::var_os(UNSUBSCRIBE_SECRET).map(|s| s.into_encoded_bytes());
    let unsubscribe = Unsubscribe::new(targets, secret)?;
    let templates = Templates::new(template::read_overrides(dir)?)?;
    let render = |targets: &[String]| -> Result<Editions, Error> {
        let subject = chosen.subject.as_deref();
        let (id, categories) = (&chosen.id, &chosen.categories);
        Ok(Editions::render(
            catalogue, &templates, plan, id, categories, subject, targets,
        )?)
    };
    let shared = render(&unsubscribe.for_list().urls)?;
    let personal = match unsubscribe.is_personal() {
        true => Some(render(&unsubscribe.marked())?),
        false => None,
    };
    Ok(Mail {
        shared,
        personal,
        unsubscribe,
    })
}

fn print_plan(
    plan: &Plan<'_>,
    chosen: &Chosen,
    editions: &Editions,
    jobs: &[Job],
    to_send: &[usize],
    ledger: &Ledger,
) {
    let first = plan.thanks.iter().filter(|t| t.first_time).count();
    let resumed = if chosen.resumed { " (resumed)" } else { "" };
    let (start, end) = (chosen.window.start, chosen.window.end);
    let (start, end) = (ledger::format_time(start), ledger::format_time(end));
    say!("digest {}{resumed}: {start} to {end}", chosen.id);
    say!("subject: {}", editions.full.subject);
    say!(
        "{}, {}, {} thanked ({first} first-time)",
        counted(plan.entries.len(), "addition", "additions"),
        counted(plan.updates.len(), "update-log note", "update-log notes"),
        counted(plan.thanks.len(), "contributor", "contributors"),
    );
    match jobs {
        [only] => say!("recipient: {}", only.address),
        _ => say!("recipients: {}", jobs.len()),
    }
    if !chosen.categories.is_empty() {
        let nothing = jobs.iter().filter(|job| job.message.is_none()).count();
        let selections = counted(editions.selections(), "selection", "selections");
        say!(
            "{} follow some categories only ({selections}); {nothing} get nothing this time",
            chosen.categories.len(),
        );
    }
    if let Some(last) = ledger.last().filter(|_| chosen.resumed) {
        use crate::digest::ledger::Status;
        say!(
            "already: {} accepted, {} failed, {} unconfirmed; this run: {} to send",
            last.count(Status::Accepted),
            last.count(Status::Failed),
            last.count(Status::Attempting),
            to_send.len()
        );
    }
}

fn write_eml(out: &Path, id: &str, jobs: &[Job]) -> Result<(), Error> {
    let mut written = 0;
    for (index, job) in jobs.iter().enumerate() {
        let Some(message) = &job.message else {
            continue;
        };
        let name = match jobs.len() {
            1 => format!("{id}.eml"),
            _ => format!("{id}-{:04}.eml", index + 1),
        };
        let path = out.join(name);
        output::replace(&path, &message.formatted())
            .map_err(|source| DigestError::Write { path, source })?;
        written += 1;
    }
    let wrote = counted(written, "message", "messages");
    say!("wrote {wrote} to {}", out.display());
    Ok(())
}

struct Sending<'a> {
    rate: Option<f64>,
    per_connection: Option<usize>,
    chosen: &'a Chosen,
    /// The subject of the edition for all categories.
    subject: &'a str,
    /// Left `attempting` by an earlier run and not resent now.
    earlier_unconfirmed: Vec<String>,
    /// Removed from the recipients since the (resumed) digest began.
    removed: Vec<String>,
    /// The digest's own Message-ID (subscribers' copies add a part).
    message_id: String,
    /// What the digest carries, recorded before the first message.
    carried: Carried,
}

fn send(
    writer: &mut Writer,
    settings: Settings,
    sending: &Sending<'_>,
    jobs: &[Job],
    to_send: &[usize],
) -> Result<(), Error> {
    let chosen = sending.chosen;
    if !chosen.resumed {
        writer
            .append(&Record::Digest(record(sending)))
            .map_err(DigestError::from)?;
    }
    for address in &sending.removed {
        let reply = "removed from the recipients before it was sent".to_owned();
        let line = Record::Failed {
            digest: chosen.id.clone(),
            to: address.clone(),
            reply,
        };
        writer.append(&line).map_err(DigestError::from)?;
    }
    let selected: Vec<&Job> = to_send.iter().filter_map(|&i| jobs.get(i)).collect();
    let progress = progress_bar(selected.len());
    let shown = settings.shown();
    let mut mailer =
        Mailer::new(settings, sending.rate).with_per_connection(sending.per_connection);
    let (mut tally, stopped) =
        deliver::deliver(&chosen.id, &selected, writer, &mut mailer, &progress);
    progress.finish_and_clear();
    let earlier = jobs.iter().enumerate().filter(|(index, job)| {
        !to_send.contains(index) && sending.earlier_unconfirmed.contains(&job.address)
    });
    for (_, job) in earlier {
        let reason = "an earlier run stopped during its SMTP transaction".to_owned();
        tally.unconfirmed.push((job.address.clone(), reason));
    }
    let reported = report(&chosen.id, &shown, &tally);
    stopped.map_err(Error::from).and(reported)
}

/// The `digest` line: written before the first message goes out.
fn record(sending: &Sending<'_>) -> DigestRecord {
    let chosen = sending.chosen;
    DigestRecord {
        id: chosen.id.clone(),
        start: ledger::format_time(chosen.window.start),
        end: ledger::format_time(chosen.window.end),
        message_id: sending.message_id.clone(),
        subject: sending.subject.to_owned(),
        recipients: chosen.recipients.clone(),
        carried: Some(sending.carried.clone()),
        categories: chosen.categories.clone(),
    }
}

fn progress_bar(len: usize) -> ProgressBar {
    if len < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    let template = "{bar:40} {pos}/{len} sent, {per_sec}, {eta} left";
    if let Ok(style) = ProgressStyle::with_template(template) {
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
            "unconfirmed: {address}: {reason}; not mailed again unless you run with \
             --resend-unconfirmed"
        );
    }
    if tally.skipped > 0 {
        let skipped = counted(tally.skipped, "subscriber", "subscribers");
        say!("{skipped} skipped: nothing new in the categories they follow");
    }
    say!(
        "digest {id} via {server}: {} accepted, {} failed, {} deferred, {} unconfirmed",
        tally.accepted,
        tally.failed.len(),
        tally.deferred.len(),
        tally.unconfirmed.len()
    );
    let missed = tally.failed.len() + tally.deferred.len() + tally.unconfirmed.len();
    if missed == 0 {
        return Ok(());
    }
    Err(DigestError::Unconfirmed {
        id: id.to_owned(),
        missed,
    }
    .into())
}
