//! Checks of `[[update]]` tables, and the update log they make: named by
//! day, newest first, each with the entries it announces.

use std::collections::HashMap;

use crate::catalogue::date::day_in;
use crate::catalogue::location::Location;
use crate::catalogue::model::{Catalogue, Entry, Update};
use crate::catalogue::raw;

use super::checker::Checker;

/// One `[[update]]`, with where its date is written.
pub(super) fn update(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    raw: raw::Update,
) -> Option<(Update, Location)> {
    let zone = catalogue.site.timezone;
    let date = check.date(&raw.date, "date", zone);
    let note = check.markdown(raw.note, "note", &catalogue.site.base_url);
    let by = check.by(&raw.by, &catalogue.contributors);
    let (date, note) = (date?, note?);
    let update = Update {
        id: String::new(),
        date,
        day: day_in(date, zone),
        note: note.unwrap_or_default(),
        by,
        announces: Vec::new(),
    };
    Some((update, check.source.location(&raw.date.span())))
}

/// Names updates (`update-DAY`, `-2` for a second one that day, in file
/// order), sorts them newest first and works out what each announces.
pub(crate) fn order_updates(mut updates: Vec<Update>, entries: &[Entry]) -> Vec<Update> {
    let mut seen: HashMap<chrono::NaiveDate, usize> = HashMap::new();
    for update in &mut updates {
        let count = seen.entry(update.day).or_insert(0);
        *count += 1;
        update.id = match *count {
            1 => format!("update-{}", update.day),
            n => format!("update-{}-{n}", update.day),
        };
    }
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let days: Vec<chrono::NaiveDate> = updates.iter().map(|u| u.day).collect();
    for (index, update) in updates.iter_mut().enumerate() {
        let previous = days
            .get(index + 1..)
            .unwrap_or_default()
            .iter()
            .find(|&&day| day < update.day)
            .copied();
        // Entries are sorted newest first, so their days never increase:
        // the ones added after `previous`, up to this update's day, are a run.
        let first = entries.partition_point(|e| e.added_day > update.day);
        let end = entries.partition_point(|e| previous.is_none_or(|p| e.added_day > p));
        update.announces = (first..end.max(first)).collect();
    }
    updates
}
