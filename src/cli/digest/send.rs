//! Sending a digest: the mail's editions, the `digest` line, the delivery
//! over one or more connections, and the report of what happened.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::UNSUBSCRIBE_SECRET;
use crate::catalogue::Catalogue;
use crate::digest::DigestError;
use crate::digest::copies::{Job, Letters, Mail};
use crate::digest::counted;
use crate::digest::deliver::{self, Delivery, Tally};
use crate::digest::dkim::Signer;
use crate::digest::editions::Editions;
use crate::digest::ledger::{self, Carried, DigestRecord, Frozen, Record, Writer};
use crate::digest::plan::Plan;
use crate::digest::resume::Chosen;
use crate::digest::send::Settings;
use crate::digest::unsubscribe::Unsubscribe;
use crate::error::Error;
use crate::state::suppressed::{Suppressed, key};
use crate::subscribers::bounces;
use crate::template::{self, Templates};

pub(super) const SHARED_UNSUBSCRIBE: &str = "an https `[digest] unsubscribe` URL is the same for every \
    subscriber, so it cannot tell who leaves and one-click unsubscribe (List-Unsubscribe-Post) \
    is not offered; put {{ address }} or {{ token }} in it (see docs/digest-mail.md)";

/// Subject and bodies, shared and (when an unsubscribe URL is personal)
/// per subscriber; a resumed digest keeps the subject it was sent with.
pub(super) fn mail(
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
    let from = catalogue.digest.as_ref().map_or("", |c| c.from.as_str());
    let verp = Mail::verp_of(&unsubscribe, from)?;
    Ok(Mail {
        shared,
        personal,
        unsubscribe,
        verp,
    })
}

pub(super) struct Sending<'a> {
    /// The catalogue folder, whose state records the digest.
    pub(super) dir: &'a Path,
    pub(super) rate: Option<f64>,
    pub(super) per_connection: Option<usize>,
    pub(super) connections: u16,
    /// The chosen digest and how its copies are built.
    pub(super) letters: &'a Letters<'a>,
    /// Left `attempting` by an earlier run and not resent now.
    pub(super) earlier_unconfirmed: Vec<String>,
    /// Removed from the recipients since the (resumed) digest began.
    pub(super) removed: Vec<String>,
    /// The digest's own Message-ID (subscribers' copies add a part).
    pub(super) message_id: String,
    /// What the digest carries, recorded before the first message.
    pub(super) carried: Carried,
    /// `--claim`: the run that claims the pending recipients, then stops.
    pub(super) claim: Option<&'a str>,
    /// What its archive page shows, recorded with it.
    pub(super) frozen: Frozen,
    /// `[digest] dkim`: signs each copy sent.
    pub(super) dkim: Option<&'a Signer>,
}

/// Sends, reports, and compacts the ledger when the digest is done.
pub(super) fn send(
    writer: Writer,
    settings: Settings,
    sending: &Sending<'_>,
    jobs: &[Job],
    to_send: &[usize],
) -> Result<(), Error> {
    let chosen = sending.letters.chosen;
    if !chosen.resumed {
        writer
            .append(&Record::Digest(record(sending)))
            .map_err(DigestError::from)?;
    }
    crate::state::sent::record(sending.dir, &chosen.id)?;
    if let Some(run) = sending.claim {
        return claim(&writer, &chosen.id, run, to_send.len());
    }
    note_removed(&writer, sending)?;
    let selected: Vec<&Job> = to_send.iter().filter_map(|&i| jobs.get(i)).collect();
    let progress = progress_bar(selected.len());
    let shown = settings.shown();
    let delivery = Delivery {
        digest: &chosen.id,
        letters: sending.letters,
        ledger: &writer,
        settings,
        rate: sending.rate,
        per_connection: sending.per_connection,
        connections: usize::from(sending.connections),
        progress: &progress,
        dkim: sending.dkim,
    };
    let (mut tally, stopped) = deliver::deliver(&delivery, &selected);
    progress.finish_and_clear();
    let sent_now: HashSet<&str> = selected.iter().map(|job| job.address.as_str()).collect();
    let earlier = sending
        .earlier_unconfirmed
        .iter()
        .filter(|address| !sent_now.contains(address.as_str()));
    for address in earlier {
        let reason = "an earlier run stopped during its SMTP transaction".to_owned();
        tally.unconfirmed.push((address.clone(), reason));
    }
    let learned = learn(sending, &selected, &tally);
    let reported = report(&chosen.id, &shown, &tally, &learned);
    // The new ledger stays locked until the run ends.
    let compacted = super::compact(writer);
    stopped.map_err(Error::from).and(compacted).and(reported)
}

/// Records the recipients of a resumed digest taken off the list (or
/// suppressed, issue 21) since it began: they are not mailed.
fn note_removed(writer: &Writer, sending: &Sending<'_>) -> Result<(), Error> {
    let chosen = sending.letters.chosen;
    let suppressed = Suppressed::read(sending.dir)?;
    for address in &sending.removed {
        let reply = match suppressed.get(address) {
            Some(s) => format!(
                "suppressed ({}, .oyez/suppressed) before it was sent",
                s.reason.as_str()
            ),
            None => "removed from the recipients before it was sent".to_owned(),
        };
        let line = Record::Failed {
            digest: chosen.id.clone(),
            to: address.clone(),
            reply,
        };
        writer.note(&line).map_err(DigestError::from)?;
    }
    Ok(())
}

/// Records in `.oyez/suppressed` what the refusals taught (issue 21);
/// returns the keys of the addresses suppressed now. Failing to write is
/// a warning: their failures then count as failures.
fn learn(sending: &Sending<'_>, selected: &[&Job], tally: &Tally) -> HashSet<String> {
    let missed: HashSet<&str> = [&tally.failed, &tally.deferred, &tally.unconfirmed]
        .into_iter()
        .flatten()
        .map(|(address, _)| address.as_str())
        .collect();
    let reached: Vec<&str> = selected
        .iter()
        .map(|job| job.address.as_str())
        .filter(|address| !missed.contains(address))
        .collect();
    let chosen = sending.letters.chosen;
    let day = chosen.window.end.date_naive();
    match bounces::record(sending.dir, &chosen.id, day, &tally.failed, &reached) {
        Ok(now) => now.iter().map(|s| key(&s.address)).collect(),
        Err(err) => {
            tell!("warning: {err}");
            HashSet::new()
        }
    }
}

/// Records that `run` is about to mail the `count` pending recipients.
fn claim(writer: &Writer, digest: &str, run: &str, count: usize) -> Result<(), Error> {
    let line = Record::Claimed {
        digest: digest.to_owned(),
        run: run.to_owned(),
    };
    writer.append(&line).map_err(DigestError::from)?;
    let recipients = counted(count, "recipient", "recipients");
    say!(
        "claimed {recipients} of digest {digest} for run {run}: commit the ledger, then run \
         `oyez digest --send --run-id {run}`"
    );
    Ok(())
}

/// The `digest` line: written before the first message goes out.
fn record(sending: &Sending<'_>) -> DigestRecord {
    let chosen = sending.letters.chosen;
    DigestRecord {
        id: chosen.id.clone(),
        start: ledger::format_time(chosen.window.start),
        end: ledger::format_time(chosen.window.end),
        message_id: sending.message_id.clone(),
        subject: sending.letters.mail.shared.full.subject.clone(),
        recipients: chosen.recipients.clone(),
        carried: Some(sending.carried.clone()),
        categories: chosen.categories.clone(),
        frozen: Some(Box::new(sending.frozen.clone())),
        settled: None,
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

fn report(id: &str, server: &str, tally: &Tally, learned: &HashSet<String>) -> Result<(), Error> {
    let (suppressed, failed): (Vec<_>, Vec<_>) = tally
        .failed
        .iter()
        .partition(|(address, _)| learned.contains(&key(address)));
    for (address, reply) in &failed {
        tell!("failed: {address}: {reply}");
    }
    for (address, reply) in &suppressed {
        tell!(
            "suppressed: {address}: {reply}; recorded in .oyez/suppressed (hard-bounce), \
             no digest mails it again: commit it"
        );
    }
    for (address, reason) in &tally.deferred {
        tell!("deferred: {address}: {reason}; the next run tries again");
    }
    for (address, reason) in &tally.unconfirmed {
        tell!(
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
    let missed = failed.len() + tally.deferred.len() + tally.unconfirmed.len();
    if missed == 0 {
        if !suppressed.is_empty() {
            let count = counted(suppressed.len(), "address", "addresses");
            say!("every failure was an address now suppressed ({count}): the digest is done");
        }
        return Ok(());
    }
    Err(DigestError::Unconfirmed {
        id: id.to_owned(),
        missed,
    }
    .into())
}
