//! The identity record, `.oyez/ids` (issue 19): what `oyez publish`
//! announced. One JSON object a line: the site's `base_url` first, then
//! every published entry (id, normalised URL, title, file) in file order,
//! then every update (id, fingerprint of its note). `check`, `publish`,
//! `digest` and `ping` all consult it ([`super::guard`]).

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use self::render::render_of;
use super::{IDS, StateError};
use crate::catalogue::identity::fnv1a;
use crate::catalogue::{Catalogue, Update};

mod render;

const HEADER: &str = "# .oyez/ids: what `oyez publish` announced (issue 19); commit it with the catalogue.\n\
# The site, then one line per entry (id, normalised URL, title, file) and per update.\n";

/// The site line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Site {
    base_url: String,
}

/// A line of the record.
enum Line {
    Entry(Announced),
    Update(AnnouncedUpdate),
    Site(Site),
}

impl Line {
    fn parse(text: &str) -> serde_json::Result<Self> {
        if text.starts_with("{\"entry\"") {
            serde_json::from_str(text).map(Self::Entry)
        } else if text.starts_with("{\"update\"") {
            serde_json::from_str(text).map(Self::Update)
        } else {
            serde_json::from_str(text).map(Self::Site)
        }
    }
}

/// A published entry as the record keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announced {
    #[serde(rename = "entry")]
    pub id: String,
    /// As written; empty for an entry without a URL.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    pub title: String,
    pub file: String,
    /// Its `updated` date (RFC 3339), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

/// A published update: its id and a fingerprint of its note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncedUpdate {
    #[serde(rename = "update")]
    pub id: String,
    pub note: String,
}

/// The record as read: empty when nothing was published yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub base_url: Option<String>,
    pub entries: Vec<Announced>,
    pub updates: Vec<AnnouncedUpdate>,
}

impl Record {
    /// The record of the catalogue in `root` (or its old `oyez.lock`,
    /// which only [`Record::parse`] of the old shape could read: it is
    /// taken as no record, and the next publish writes the new one).
    pub fn read(root: &Path) -> Result<Self, StateError> {
        match super::read(root, IDS)? {
            Some(bytes) if !bytes.starts_with(b"# oyez.lock") => {
                Self::parse(&String::from_utf8_lossy(&bytes))
            }
            Some(bytes) => Ok(Self::from_lock(&String::from_utf8_lossy(&bytes))),
            None => Ok(Self::default()),
        }
    }

    /// The update lines of the record only, which every command needs
    /// ([`settle_update_ids`]) and which are few: the entry lines, most of
    /// a large record, are skipped unparsed.
    pub fn read_updates(root: &Path) -> Result<Self, StateError> {
        let Some(bytes) = super::read(root, IDS)? else {
            return Ok(Self::default());
        };
        Self::parse(&update_lines(&bytes).join("\n"))
    }

    /// The record in `text`; the first line that is none is an error.
    /// Lines parse on every thread, a batch at a time (a large record has
    /// 100,000, 20 MB, read whole whenever the catalogue changed): the
    /// parsed lines of only one batch wait to be placed.
    pub fn parse(text: &str) -> Result<Self, StateError> {
        const BATCH: usize = 8192;
        let lines: Vec<(usize, &str)> = super::records(text).collect();
        let mut record = Self::default();
        // Each line holds one entry at most: no growing, no copies.
        record.entries.reserve_exact(lines.len());
        for batch in lines.chunks(BATCH) {
            let parsed: Vec<_> = batch
                .par_iter()
                .map(|&(_, text)| Line::parse(text))
                .collect();
            for (&(line, _), parsed) in batch.iter().zip(parsed) {
                let parsed = parsed.map_err(|err| StateError::Corrupt {
                    path: IDS.shown(),
                    line,
                    reason: format!("not an identity record: {err}"),
                })?;
                match parsed {
                    Line::Entry(entry) => record.entries.push(entry),
                    Line::Update(update) => record.updates.push(update),
                    Line::Site(site) => record.base_url = Some(site.base_url),
                }
            }
        }
        Ok(record)
    }

    /// An `oyez.lock` of an older oyez: `[id, file, place, title]` lines;
    /// what it cannot say (URLs, updates) stays empty.
    fn from_lock(text: &str) -> Self {
        let entries = super::records(text).filter_map(|(_, line)| {
            let (id, file, _, title): (String, String, usize, String) =
                serde_json::from_str(line).ok()?;
            let url = String::new();
            Some(Announced {
                id,
                url,
                title,
                file,
                updated: None,
            })
        });
        Self {
            base_url: None,
            entries: entries.collect(),
            updates: Vec::new(),
        }
    }

    /// The file's bytes (the round-trip test's; publish writes
    /// [`render_of`]).
    #[cfg(test)]
    fn render(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER.len() + self.entries.len() * 120);
        out.extend_from_slice(HEADER.as_bytes());
        if let Some(base_url) = &self.base_url {
            let site = Site {
                base_url: base_url.clone(),
            };
            super::lines::push(&mut out, &site);
        }
        self.entries
            .iter()
            .for_each(|entry| super::lines::push(&mut out, entry));
        self.updates
            .iter()
            .for_each(|update| super::lines::push(&mut out, update));
        out
    }
}

/// The lines of `record` that start with `{"update"`, found without
/// reading the rest (tens of MB of entry lines) as text.
fn update_lines(record: &[u8]) -> Vec<String> {
    const START: &[u8] = b"{\"update\"";
    let starts = memchr::memmem::find_iter(record, b"\n{\"update\"").map(|at| at + 1);
    let first = record.starts_with(START).then_some(0);
    first
        .into_iter()
        .chain(starts)
        .map(|start| {
            let line = record.get(start..).unwrap_or_default();
            let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
            let line = line.get(..end).unwrap_or_default();
            String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(line)).into_owned()
        })
        .collect()
}

fn announce(update: &Update) -> AnnouncedUpdate {
    AnnouncedUpdate {
        id: update.id.clone(),
        note: fingerprint(update),
    }
}

/// What tells one update from another of its day: its note and credits.
fn fingerprint(update: &Update) -> String {
    let mut text = update.note.markdown.clone();
    for handle in &update.by {
        text.push('\n');
        text.push_str(handle);
    }
    format!("{:016x}", fnv1a(text.as_bytes()))
}

/// A URL as identity compares it: no scheme (http and https are one),
/// host in lower case, no default port, no trailing slash.
pub fn normalise(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return parsed.to_string();
    }
    let host = parsed.host_str().unwrap_or_default();
    let port = match parsed.port() {
        Some(443 | 80) | None => String::new(),
        Some(port) => format!(":{port}"),
    };
    let path = parsed.path().trim_end_matches('/');
    let query = parsed.query().map(|q| format!("?{q}")).unwrap_or_default();
    let fragment = parsed
        .fragment()
        .map(|f| format!("#{f}"))
        .unwrap_or_default();
    format!("{host}{port}{path}{query}{fragment}")
}

/// Gives each update the id it was published with (issue 19): an update
/// whose note was recorded on its day keeps that id wherever it now sits
/// in the file; the others take the free ids of their day, in file order.
pub fn settle_update_ids(catalogue: &mut Catalogue, record: &Record) {
    let recorded: HashMap<&str, &str> = record
        .updates
        .iter()
        .map(|u| (u.id.as_str(), u.note.as_str()))
        .collect();
    if recorded.is_empty() {
        return;
    }
    let mut highest: HashMap<&str, usize> = HashMap::new();
    for (day, number) in recorded.keys().filter_map(|id| day_and_number(id)) {
        let most = highest.entry(day).or_default();
        *most = number.max(*most);
    }
    let mut days: Vec<chrono::NaiveDate> = catalogue.updates.iter().map(|u| u.day).collect();
    days.dedup();
    for day in days {
        let same_day = catalogue.updates.iter_mut().filter(|u| u.day == day);
        let day = day.to_string();
        let most = highest.get(day.as_str()).copied().unwrap_or(0);
        settle_day(same_day.collect(), &day, &recorded, most);
    }
    let updates = &mut catalogue.updates;
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
}

/// The day and number of a recorded update id: `update-DAY` is number 1,
/// `update-DAY-N` number N.
fn day_and_number(id: &str) -> Option<(&str, usize)> {
    let day = id.strip_prefix("update-")?.get(..10)?;
    Some((day, number_on(id, day)?))
}

/// The number of `id` among the update ids of `day`: 1 for `update-DAY`,
/// n for `update-DAY-n`; `None` for an id of another shape or day.
fn number_on(id: &str, day: &str) -> Option<usize> {
    match id.strip_prefix("update-")?.strip_prefix(day)? {
        "" => Some(1),
        rest => rest.strip_prefix('-')?.parse().ok(),
    }
}

/// Settles the ids of one `day`'s `updates`; `most` is the highest number
/// recorded for the day (ids past it were never published).
fn settle_day(
    mut updates: Vec<&mut Update>,
    day: &str,
    recorded: &HashMap<&str, &str>,
    most: usize,
) {
    if !updates.iter().any(|u| recorded.contains_key(u.id.as_str())) {
        return;
    }
    // File order, as the loader numbered them (1 for another shape).
    updates.sort_by_key(|u| number_on(&u.id, day).unwrap_or(1));
    let id_of = |n: usize| match n {
        1 => format!("update-{day}"),
        n => format!("update-{day}-{n}"),
    };
    // Every id recorded for the day, and a fresh one for each update.
    let ids: Vec<String> = (1..=updates.len() + most).map(id_of).collect();
    let notes: Vec<String> = updates.iter().map(|u| fingerprint(u)).collect();
    let mut taken: Vec<bool> = vec![false; ids.len()];
    let mut settled: Vec<Option<usize>> = vec![None; updates.len()];
    for (slot, note) in settled.iter_mut().zip(&notes) {
        let same = ids
            .iter()
            .enumerate()
            .position(|(i, id)| !taken[i] && recorded.get(id.as_str()).is_some_and(|n| n == note));
        if let Some(i) = same {
            taken[i] = true;
            *slot = Some(i);
        }
    }
    // The rest: first an id recorded but now unmatched (a note edited in
    // place), then ids never recorded, in order.
    for slot in settled.iter_mut().filter(|s| s.is_none()) {
        let free = |unrecorded: bool| {
            (0..ids.len())
                .find(|&i| !taken[i] && recorded.contains_key(ids[i].as_str()) != unrecorded)
        };
        if let Some(i) = free(false).or_else(|| free(true)) {
            taken[i] = true;
            *slot = Some(i);
        }
    }
    for (update, slot) in updates.iter_mut().zip(settled) {
        if let Some(id) = slot.and_then(|i| ids.get(i)) {
            update.id.clone_from(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_longer_than_a_batch_parses_in_order_and_names_a_bad_line() {
        let mut text = String::from("# header\n{\"base_url\":\"https://e.org/\"}\n");
        for n in 0..20_000 {
            text.push_str(&format!(
                "{{\"entry\":\"e{n}\",\"title\":\"T {n}\",\"file\":\"entries/a.toml\"}}\n"
            ));
        }
        text.push_str("{\"update\":\"update-2020-01-01\",\"note\":\"N\"}\n");
        let record = Record::parse(&text).unwrap();
        assert_eq!(record.base_url.as_deref(), Some("https://e.org/"));
        let ids: Vec<&str> = record.entries.iter().map(|a| a.id.as_str()).collect();
        let expected: Vec<String> = (0..20_000).map(|n| format!("e{n}")).collect();
        assert_eq!(ids, expected);
        assert_eq!(record.updates.len(), 1);
        // Two bad lines in different batches: the first is named.
        let mut lines: Vec<&str> = text.lines().collect();
        lines[9_000] = "{\"entry\": 1}";
        lines[15_000] = "not json";
        let err = Record::parse(&lines.join("\n")).unwrap_err();
        assert!(
            matches!(err, StateError::Corrupt { line: 9_001, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn urls_are_one_whatever_the_scheme_host_case_port_or_final_slash() {
        let one = normalise("https://Example.org/talks/");
        for same in [
            "http://example.org/talks",
            "https://EXAMPLE.ORG:443/talks",
            "http://example.org:80/talks/",
        ] {
            assert_eq!(normalise(same), one, "{same}");
        }
        assert_ne!(normalise("https://example.org/talks?page=2"), one);
        assert_ne!(normalise("https://example.org:8443/talks"), one);
    }

    #[test]
    fn only_lines_starting_with_an_update_are_taken() {
        let record = b"{\"update\":\"a\"}\r\n# {\"update\":\"comment\"}\n\
            {\"entry\":\"x\",\"title\":\"{\\\"update\\\"\"}\n{\"update\":\"b\"}";
        assert_eq!(
            update_lines(record),
            ["{\"update\":\"a\"}", "{\"update\":\"b\"}"]
        );
    }

    #[test]
    fn the_record_survives_a_round_trip() {
        let example = crate::catalogue::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let bytes = render_of(&example.catalogue, &example.origins, &[]).concat();
        let record = Record::parse(&String::from_utf8(bytes.clone()).unwrap()).unwrap();
        assert!(!record.entries.is_empty() && !record.updates.is_empty());
        assert_eq!(record.render(), bytes);
    }

    #[test]
    fn a_recorded_update_keeps_its_number_whatever_the_records_before_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut catalogue = crate::catalogue::load(root).unwrap().catalogue;
        let update = catalogue.updates[0].clone();
        // Recorded as `update-DAY-7`, beside another note recorded on its
        // day: the ids of its day reach 7, however few were recorded.
        let id = format!("update-{}-7", update.day);
        let other = AnnouncedUpdate {
            id: format!("update-{}", update.day),
            note: "another note".into(),
        };
        let note = fingerprint(&update);
        let updates = vec![
            other,
            AnnouncedUpdate {
                id: id.clone(),
                note,
            },
        ];
        let record = Record {
            updates,
            ..Record::default()
        };
        settle_update_ids(&mut catalogue, &record);
        let settled = catalogue.updates.iter().find(|u| u.note == update.note);
        assert_eq!(settled.map(|u| u.id.as_str()), Some(id.as_str()));
        assert_eq!(
            day_and_number(&id),
            Some((update.day.to_string().as_str(), 7))
        );
        assert_eq!(day_and_number("update-2026-01-02"), Some(("2026-01-02", 1)));
        assert_eq!(day_and_number("update-2026-01-02x3"), None);
    }

    #[test]
    fn a_line_that_is_not_a_record_is_reported_with_its_number() {
        let err = Record::parse("# header\n{\"base_url\":\"x\"}\nnot json\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with(".oyez/ids:3: not an identity record"),
            "{err}"
        );
    }
}
