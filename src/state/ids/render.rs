//! The identity record as this catalogue would write it, rendered in
//! parts side by side, each entry line written without serde.

use chrono::SecondsFormat;
use rayon::prelude::*;
use serde::Serialize;

use super::{Announced, AnnouncedUpdate, HEADER, Site, announce};
use crate::catalogue::origins::Origins;
use crate::catalogue::{Catalogue, Entry};
use crate::escape::push_json_escaped;

/// Entries per part of the record: the parts render in parallel, each
/// part's texts read ahead first, into the processor's nearest cache.
const PART: usize = 512;

/// The record of `catalogue` as it would be published now, with `gone`
/// (published entries whose removal is not recorded yet) kept after its
/// entries: the bytes of `.oyez/ids`, in parts rendered side by side (the
/// record is their concatenation). Compared part by part, it is joined
/// (20 MB at 100,000 entries, issue 23 §7) only when it changed and is
/// written.
pub fn render_of(catalogue: &Catalogue, origins: &Origins, gone: &[Announced]) -> Vec<Vec<u8>> {
    let mut head = HEADER.as_bytes().to_vec();
    let base_url = catalogue.site.base_url.to_string();
    crate::state::lines::push(&mut head, &Site { base_url });
    let mut parts = vec![head];
    let entries = catalogue.entries_in_file_order();
    parts.par_extend(
        entries
            .par_chunks(PART)
            .map(|part| entry_lines(part, origins)),
    );
    let mut tail = Vec::new();
    gone.iter()
        .for_each(|entry| crate::state::lines::push(&mut tail, entry));
    // Removals and revisions are kept in their own files.
    let logged = catalogue
        .updates
        .iter()
        .filter(|u| u.id.starts_with("update-"));
    let mut updates: Vec<AnnouncedUpdate> = logged.map(announce).collect();
    updates.sort_by(|a, b| a.id.cmp(&b.id));
    updates
        .iter()
        .for_each(|update| crate::state::lines::push(&mut tail, update));
    parts.push(tail);
    parts
}

/// The lines of `entries`, each written in an entries file (`origins`).
fn entry_lines(entries: &[&Entry], origins: &Origins) -> Vec<u8> {
    // Taken in file order, the entries' texts are scattered in memory.
    let mut ahead = crate::memory::ReadAhead::default();
    for entry in entries {
        ahead.read(&entry.id);
        ahead.read(&entry.title);
        entry.url.iter().for_each(|url| ahead.read(url));
    }
    drop(ahead);
    let mut out = Vec::with_capacity(lines_size(entries, origins));
    for entry in entries {
        let Some(file) = origins.file(entry) else {
            continue;
        };
        let updated = entry
            .updated
            .map(|u| u.to_rfc3339_opts(SecondsFormat::Secs, true));
        let url = entry.url.as_deref().unwrap_or_default();
        let (entry, title) = (entry.id.as_str(), entry.title.as_str());
        let line = EntryLine {
            entry,
            url,
            title,
            file,
            updated,
        };
        line.push(&mut out);
    }
    out
}

/// About the size of the lines [`entry_lines`] writes, a little more: a
/// part is never grown, since growing it would copy it.
fn lines_size(entries: &[&Entry], origins: &Origins) -> usize {
    // A line's keys, quotes and `updated`, beside its text.
    const LINE: usize = 48;
    const UPDATED: usize = 34;
    let size: usize = entries
        .iter()
        .map(|entry| {
            let url = entry.url.as_deref().unwrap_or_default();
            let file = origins.file(entry).unwrap_or_default();
            let updated = if entry.updated.is_some() { UPDATED } else { 0 };
            entry.id.len() + url.len() + entry.title.len() + file.len() + updated + LINE
        })
        .sum();
    // Escapes (`\"`, `\u0001`) are rare: 1/16 more covers them.
    size + size / 16
}

/// An entry line written straight from the catalogue: the same fields,
/// in the same order, as [`Announced`], without copying a string.
#[derive(Serialize)]
struct EntryLine<'a> {
    entry: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
    title: &'a str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
}

impl EntryLine<'_> {
    /// The line's JSON, as serde_json writes the struct (its twin in the
    /// tests), without serde: a hundred thousand lines are written on
    /// every publish, to compare the record with the one committed.
    fn push(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"entry\":\"");
        push_json_escaped(out, self.entry);
        if !self.url.is_empty() {
            out.extend_from_slice(b"\",\"url\":\"");
            push_json_escaped(out, self.url);
        }
        out.extend_from_slice(b"\",\"title\":\"");
        push_json_escaped(out, self.title);
        out.extend_from_slice(b"\",\"file\":\"");
        push_json_escaped(out, self.file);
        if let Some(updated) = &self.updated {
            out.extend_from_slice(b"\",\"updated\":\"");
            push_json_escaped(out, updated);
        }
        out.extend_from_slice(b"\"}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_lines_are_serde_jsons_lines() {
        let texts = [
            "",
            "plain",
            "a \"quoted\" \\ back\\slash",
            "caf\u{e9} \u{65e5}\u{672c} \u{2028}\u{7f}",
            "\u{1}\u{8}\t\n\u{c}\r\u{1f}",
        ];
        for (at, &text) in texts.iter().enumerate() {
            let other = texts[(at + 1) % texts.len()];
            for updated in [None, Some(format!("2026-12-0{at}T00:00:00Z{text}"))] {
                let line = EntryLine {
                    entry: text,
                    url: other,
                    title: text,
                    file: other,
                    updated,
                };
                let mut ours = Vec::new();
                line.push(&mut ours);
                let mut serde = Vec::new();
                crate::state::lines::push(&mut serde, &line);
                assert_eq!(String::from_utf8(ours), String::from_utf8(serde));
            }
        }
    }
}
