//! What `oyez digest` prints before and instead of sending: the plan, the
//! reasons nothing is due, and the `.eml` copies of `--out`.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::catalogue::{Catalogue, DigestConfig};
use crate::digest::copies::{Job, Letters};
use crate::digest::editions::Editions;
use crate::digest::ledger::{self, Ledger, Status};
use crate::digest::plan::Plan;
use crate::digest::resume::{self, Chosen};
use crate::digest::{DigestError, cadence, counted};
use crate::error::Error;
use crate::output;

pub(super) fn up_to_date(
    ledger: &Ledger,
    start: DateTime<Utc>,
    catalogue: &Catalogue,
    config: &DigestConfig,
) -> Result<(), Error> {
    if let Some(note) = resume::unconfirmed_note(ledger) {
        tell!("note: {note}");
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

pub(super) fn nothing_new(ledger: &Ledger, chosen: &Chosen) -> Result<(), Error> {
    if let Some(note) = resume::unconfirmed_note(ledger) {
        tell!("note: {note}");
    }
    say!(
        "nothing new between {} and {}; nothing sent",
        ledger::format_time(chosen.window.start),
        ledger::format_time(chosen.window.end)
    );
    Ok(())
}

pub(super) fn print_plan(
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
        let nothing = jobs.iter().filter(|job| job.empty).count();
        let selections = counted(editions.selections(), "selection", "selections");
        say!(
            "{} follow some categories only ({selections}); {nothing} get nothing this time",
            chosen.categories.len(),
        );
    }
    if let Some(last) = ledger.last().filter(|_| chosen.resumed) {
        say!(
            "already: {} accepted, {} failed, {} unconfirmed; this run: {} to send",
            last.count(Status::Accepted),
            last.count(Status::Failed),
            last.count(Status::Attempting),
            to_send.len()
        );
    }
}

pub(super) fn write_eml(
    out: &Path,
    id: &str,
    letters: &Letters<'_>,
    jobs: &[Job],
) -> Result<(), Error> {
    let mut written = 0;
    for (index, job) in jobs.iter().enumerate() {
        let Some(message) = letters.message(job)? else {
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
