//! What `oyez digest` prints before and instead of sending: the plan, the
//! reasons nothing is due, and the `.eml` copies of `--out`.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::catalogue::{Catalogue, DigestConfig};
use crate::cli::json::{self, DigestPreview, Format, PreviewRecipient};
use crate::digest::copies::{Job, Letters};
use crate::digest::editions::Editions;
use crate::digest::ledger::{self, Ledger, Status};
use crate::digest::plan::Plan;
use crate::digest::resume::{self, Chosen};
use crate::digest::{DigestError, cadence, counted};
use crate::error::Error;
use crate::output;

/// Why no digest is due, printed as text or as the JSON preview.
pub(super) fn not_due(line: String, format: Format) -> Result<(), Error> {
    match format {
        Format::Text | Format::Github => {
            say!("{line}");
            Ok(())
        }
        Format::Json => json::digest(Ok(DigestPreview::not_due(line))),
    }
}

/// The line saying the last digest is as recent as can be.
pub(super) fn up_to_date(
    ledger: &Ledger,
    start: DateTime<Utc>,
    catalogue: &Catalogue,
    config: &DigestConfig,
) -> String {
    if let Some(note) = resume::unconfirmed_note(ledger) {
        tell!("note: {note}");
    }
    if let Some(every) = config.every {
        let zone = catalogue.site.timezone;
        let due = cadence::due(every, zone, start).with_timezone(&zone);
        return format!(
            "not due: digests go out every {}; the next one starts after {} and is due at {}; \
             nothing sent",
            every.name(),
            ledger::format_time(start),
            due.to_rfc3339()
        );
    }
    format!(
        "nothing new since {} (the end of the last digest); nothing sent",
        ledger::format_time(start)
    )
}

/// The line saying the window holds nothing to announce.
pub(super) fn nothing_new(ledger: &Ledger, chosen: &Chosen) -> String {
    if let Some(note) = resume::unconfirmed_note(ledger) {
        tell!("note: {note}");
    }
    format!(
        "nothing new between {} and {}; nothing sent",
        ledger::format_time(chosen.window.start),
        ledger::format_time(chosen.window.end)
    )
}

/// The plan as `--format json` shows it (docs/json.md).
pub(super) fn preview(
    plan: &Plan<'_>,
    chosen: &Chosen,
    editions: &Editions,
    jobs: &[Job],
) -> DigestPreview {
    let recipients = jobs.iter().map(|job| PreviewRecipient {
        address: job.address.clone(),
        gets_nothing: job.empty,
    });
    DigestPreview {
        due: true,
        reason: None,
        id: Some(chosen.id.clone()),
        resumed: chosen.resumed,
        start: Some(ledger::format_time(chosen.window.start)),
        end: Some(ledger::format_time(chosen.window.end)),
        subject: Some(editions.full.subject.clone()),
        additions: plan.entries.len(),
        updates: plan.updates.len(),
        thanked: plan.thanks.len(),
        first_time: plan.thanks.iter().filter(|t| t.first_time).count(),
        selecting: chosen.categories.len(),
        selections: editions.selections(),
        recipients: recipients.collect(),
    }
}

pub(super) fn print_plan(
    plan: &Plan<'_>,
    chosen: &Chosen,
    editions: &Editions,
    jobs: &[Job],
    (to_send, removed): (&[usize], usize),
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
    if removed > 0 {
        let left = counted(removed, "recipient", "recipients");
        say!("{left} left the recipients since this digest began; they are not mailed");
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
