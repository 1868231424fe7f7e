//! Compaction (issue 19 §3): once no digest in the ledger is owed to
//! anyone (no recipient pending or deferred), the ledger is rewritten with
//! each digest as its `digest` line, whose `recipients` lists only those
//! not settled (failed, unconfirmed), each followed by the last line about
//! them; the accepted are counted and the skipped named in `settled`, with
//! the count and SHA-256 of the whole list. Read back, every recipient
//! stands where it stood, so resumes, `--resend-unconfirmed` and the
//! archive see the same ledger.
//!
//! The new text is written whole to a file beside the ledger, fsynced,
//! locked, renamed over the ledger and the folder fsynced: a kill at any
//! instant leaves the old ledger or the new one, both complete.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::{Digest, Ledger, Record, Settled, Status};
use crate::digest::fault;
use crate::output::sync_dir;

/// The compacted text of `ledger`, or `None` while a digest is owed to someone.
pub(super) fn text(ledger: &Ledger) -> Result<Option<Vec<u8>>, serde_json::Error> {
    if !ledger.digests.iter().all(Digest::is_complete) {
        return Ok(None);
    }
    let mut text = Vec::new();
    for digest in &ledger.digests {
        for record in records(digest) {
            serde_json::to_writer(&mut text, &record)?;
            text.push(b'\n');
        }
    }
    Ok(Some(text))
}

/// One digest's lines once compacted; a compacted digest gives itself back.
fn records(digest: &Digest) -> Vec<Record> {
    let mut record = digest.record.clone();
    let settles = |to: &String| matches!(digest.status(to), Status::Accepted | Status::Skipped);
    let (done, listed): (Vec<String>, Vec<String>) = record.recipients.drain(..).partition(settles);
    let mut settled = record.settled.take().unwrap_or_else(|| {
        Box::new(Settled {
            recipients: done.len() + listed.len(),
            sha256: sha256(done.iter().chain(&listed)),
            accepted: 0,
            skipped: BTreeSet::new(),
        })
    });
    for to in done {
        match digest.status(&to) {
            Status::Skipped => {
                settled.skipped.insert(to);
            }
            _ => settled.accepted += 1,
        }
    }
    let kept: HashSet<&String> = listed.iter().collect();
    record.categories.retain(|to, _| kept.contains(to));
    record.settled = Some(settled);
    record.recipients.clone_from(&listed);
    let id = record.id.clone();
    let mut lines = vec![Record::Digest(record)];
    for to in listed {
        let Some(standing) = digest.status.get(&to) else {
            continue;
        };
        let (digest, detail) = (id.clone(), standing.detail.clone());
        lines.push(match standing.status {
            Status::Attempting => Record::Attempting {
                digest,
                to,
                message_id: detail,
            },
            Status::Failed => Record::Failed {
                digest,
                to,
                reply: detail,
            },
            Status::Deferred => Record::Deferred {
                digest,
                to,
                reason: detail,
            },
            Status::Pending | Status::Accepted | Status::Skipped => continue,
        });
    }
    lines
}

/// SHA-256 (hex) of the addresses, sorted, each followed by a newline.
fn sha256<'a>(addresses: impl Iterator<Item = &'a String>) -> String {
    let mut sorted: Vec<&String> = addresses.collect();
    sorted.sort();
    let mut hash = Sha256::new();
    for address in sorted {
        hash.update(address.as_bytes());
        hash.update(b"\n");
    }
    hash.finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Whether `after` says what `before` said: the same digests, windows and
/// counts, and every recipient `before` listed where it stood.
pub(super) fn same(before: &Ledger, after: &Ledger) -> bool {
    const ALL: [Status; 6] = [
        Status::Pending,
        Status::Attempting,
        Status::Accepted,
        Status::Failed,
        Status::Deferred,
        Status::Skipped,
    ];
    before.digests.len() == after.digests.len()
        && before.digests.iter().zip(&after.digests).all(|(a, b)| {
            a.record.id == b.record.id
                && a.window == b.window
                && a.record.carried == b.record.carried
                && a.record.frozen == b.record.frozen
                && ALL.iter().all(|s| a.count(*s) == b.count(*s))
                && a.status.keys().all(|to| a.status(to) == b.status(to))
        })
}

/// Where the new ledger is written before it replaces `path`.
fn staging(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    super::folder(path).join(format!(".{name}.compacting"))
}

/// Replaces the ledger at `path` (symbolic links resolved) with `text`;
/// returns the new file, locked, so that no other run sends with it
/// before this one ends. A file left by a compaction killed earlier is
/// replaced; one left by a failed write is removed.
pub(super) fn replace(path: &Path, text: &[u8]) -> io::Result<File> {
    let staged = staging(path);
    match fs::remove_file(&staged) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
        _ => {}
    }
    let file = stage(&staged, path, text).inspect_err(|_| {
        let _ = fs::remove_file(&staged);
    })?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    fault::pause("before-compact-rename", &name);
    fs::rename(&staged, path)?;
    fault::pause("after-compact-rename", &name);
    sync_dir(super::folder(path))?;
    Ok(file)
}

/// Writes `text` to `staged` with the permissions of `path`, on disk and locked.
fn stage(staged: &Path, path: &Path, text: &[u8]) -> io::Result<File> {
    // `create_new` never follows a link put in its place.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(staged)?;
    file.write_all(text)?;
    file.set_permissions(fs::metadata(path)?.permissions())?;
    file.sync_all()?;
    file.try_lock().map_err(io::Error::other)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = r#"{"event":"digest","id":"d","start":"2026-10-01T00:00:00Z","end":"2026-11-01T00:00:00Z","message_id":"<m@x>","subject":"S","recipients":["a@x.org","b@x.org","c@x.org","d@x.org"],"categories":{"c@x.org":["talks"],"d@x.org":["books"]}}"#;

    fn line(event: &str, to: &str, extra: &str) -> String {
        format!("{{\"event\":\"{event}\",\"digest\":\"d\",\"to\":\"{to}\"{extra}}}\n")
    }

    /// a accepted, b failed, c unconfirmed, d skipped.
    fn done() -> String {
        let attempting = |to| line("attempting", to, r#","message_id":"<m@x>""#);
        [
            format!("{DIGEST}\n"),
            attempting("a@x.org"),
            line("accepted", "a@x.org", r#","reply":"250 ok""#),
            attempting("b@x.org"),
            line("failed", "b@x.org", r#","reply":"550 no such user""#),
            attempting("c@x.org"),
            line("skipped", "d@x.org", ""),
        ]
        .concat()
    }

    fn parse(text: &[u8]) -> Ledger {
        Ledger::parse(Path::new("digests.ledger"), text).unwrap()
    }

    fn compacted(text: &[u8]) -> Vec<u8> {
        super::text(&parse(text)).unwrap().expect("complete")
    }

    #[test]
    fn a_complete_digest_keeps_one_line_and_its_unsettled_recipients() {
        let text = compacted(done().as_bytes());
        let sha = sha256(
            ["a@x.org", "b@x.org", "c@x.org", "d@x.org"]
                .map(String::from)
                .iter(),
        );
        let expected = [
            format!(
                r#"{{"event":"digest","id":"d","start":"2026-10-01T00:00:00Z","end":"2026-11-01T00:00:00Z","message_id":"<m@x>","subject":"S","recipients":["b@x.org","c@x.org"],"categories":{{"c@x.org":["talks"]}},"settled":{{"recipients":4,"sha256":"{sha}","accepted":1,"skipped":["d@x.org"]}}}}"#
            ) + "\n",
            line("failed", "b@x.org", r#","reply":"550 no such user""#),
            line("attempting", "c@x.org", r#","message_id":"<m@x>""#),
        ]
        .concat();
        assert_eq!(String::from_utf8(text.clone()).unwrap(), expected);
        let (before, after) = (parse(done().as_bytes()), parse(&text));
        assert!(same(&before, &after));
        let digest = after.last().unwrap();
        let statuses = ["a@x.org", "b@x.org", "c@x.org", "d@x.org"].map(|to| digest.status(to));
        let expected = [
            Status::Accepted,
            Status::Failed,
            Status::Attempting,
            Status::Skipped,
        ];
        assert_eq!(statuses, expected);
        assert_eq!(
            (
                digest.count(Status::Accepted),
                digest.count(Status::Skipped)
            ),
            (1, 1)
        );
        assert!(digest.is_sent() && digest.is_complete());
        assert_eq!(compacted(&text), text, "compacting again changes nothing");
    }

    #[test]
    fn the_hash_is_of_the_sorted_list() {
        let hash = sha256(["b".to_owned(), "a".to_owned()].iter());
        // printf 'a\nb\n' | sha256sum
        assert_eq!(
            hash,
            "911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2"
        );
    }

    #[test]
    fn a_digest_still_owed_to_someone_is_not_compacted() {
        let deferred = line("deferred", "b@x.org", r#","reason":"451""#);
        let owed = format!("{DIGEST}\n{deferred}");
        assert_eq!(super::text(&parse(owed.as_bytes())).unwrap(), None);
    }

    #[test]
    fn a_resend_after_compaction_settles_the_unconfirmed_one() {
        let resent = [
            compacted(done().as_bytes()),
            line("attempting", "c@x.org", r#","message_id":"<m@x>""#).into_bytes(),
            line("accepted", "c@x.org", r#","reply":"250 ok""#).into_bytes(),
        ]
        .concat();
        let again = parse(&compacted(&resent));
        let digest = again.last().unwrap();
        assert_eq!(digest.record.recipients, ["b@x.org"]);
        assert_eq!(digest.status("c@x.org"), Status::Accepted);
        assert_eq!(digest.count(Status::Accepted), 2);
        assert!(digest.record.categories.is_empty());
    }

    #[test]
    fn a_compacted_digest_whose_counts_disagree_is_corrupt() {
        let text = String::from_utf8(compacted(done().as_bytes())).unwrap();
        let wrong = text.replace("\"recipients\":4", "\"recipients\":5");
        let err = Ledger::parse(Path::new("digests.ledger"), wrong.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("digests.ledger:1: digest \"d\" counts 5"),
            "{err}"
        );
        // The counts add up, but b is both listed and skipped.
        let both = wrong.replace(
            r#""skipped":["d@x.org"]"#,
            r#""skipped":["b@x.org","d@x.org"]"#,
        );
        let err = Ledger::parse(Path::new("digests.ledger"), both.as_bytes()).unwrap_err();
        let expected = "digests.ledger:1: digest \"d\" lists a recipient it also counts as skipped";
        assert!(err.to_string().starts_with(expected), "{err}");
    }

    /// Ledgers of three digests to up to eight recipients in every mix of
    /// outcomes (a fixed pseudo-random walk), compacted, resent to, and
    /// compacted again: each reads back as it stood, and compaction is stable.
    #[test]
    fn every_mix_of_outcomes_reads_back_the_same_once_compacted() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..300 {
            let mut text = String::new();
            for d in 0..3 {
                let count = 1 + next(8);
                let to: Vec<String> = (0..count).map(|n| format!("\"r{n}@x.org\"")).collect();
                text.push_str(&format!(
                    "{{\"event\":\"digest\",\"id\":\"d{d}\",\"start\":\"2026-0{}-01T00:00:00Z\",\"end\":\"2026-0{}-01T00:00:00Z\",\"message_id\":\"<m@x>\",\"subject\":\"S\",\"recipients\":[{}]}}\n",
                    d + 1,
                    d + 2,
                    to.join(",")
                ));
                for n in 0..count {
                    let line = |event, extra| {
                        format!(
                            "{{\"event\":\"{event}\",\"digest\":\"d{d}\",\"to\":\"r{n}@x.org\"{extra}}}\n"
                        )
                    };
                    let attempting = line("attempting", r#","message_id":"<m@x>""#);
                    text.push_str(&match next(4) {
                        0 => attempting + &line("accepted", r#","reply":"250""#),
                        1 => attempting + &line("failed", r#","reply":"550""#),
                        2 => attempting,
                        _ => line("skipped", ""),
                    });
                }
            }
            let before = parse(text.as_bytes());
            let once = compacted(text.as_bytes());
            assert!(same(&before, &parse(&once)), "{text}");
            assert_eq!(compacted(&once), once, "{text}");
            // Every unconfirmed one resent and accepted: settled as well.
            let mut resent = String::from_utf8(once.clone()).unwrap();
            for digest in &parse(&once).digests {
                for to in &digest.record.recipients {
                    if digest.status(to) == Status::Attempting {
                        let id = &digest.record.id;
                        resent.push_str(&format!(
                            "{{\"event\":\"accepted\",\"digest\":\"{id}\",\"to\":\"{to}\",\"reply\":\"250\"}}\n"
                        ));
                    }
                }
            }
            let twice = parse(&compacted(resent.as_bytes()));
            assert!(same(&parse(resent.as_bytes()), &twice), "{resent}");
            assert_eq!(
                twice
                    .digests
                    .iter()
                    .map(|d| d.count(Status::Attempting))
                    .sum::<usize>(),
                0
            );
        }
    }
}
