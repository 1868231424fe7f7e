//! Permanent refusals at RCPT (issue 21 §1): "no such user" (an enhanced
//! status `5.1.x`, as 550, 551 and 553 give it) suppresses the address at
//! once; any other permanent refusal suppresses it once three digests in
//! a row have met it ([`FAILURES_IN_A_ROW`]). A digest that reaches the
//! address starts the count again.

use std::path::Path;

use chrono::NaiveDate;

use crate::state::StateError;
use crate::state::suppressed::{FAILURES_IN_A_ROW, Failing, Reason, Suppressed, Suppression, key};

/// Whether `reply` says the mailbox does not exist: it holds an enhanced
/// status code `5.1.N` (bad destination mailbox or system).
pub fn no_such_user(reply: &str) -> bool {
    reply
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|word| {
            word.strip_prefix("5.1.").is_some_and(|n| {
                !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
            })
        })
}

/// What digest `digest` (dated `day`) learned: `failed` (address, reply)
/// were refused for good, `reached` got it. Returns the addresses it
/// suppresses now.
pub fn learn(
    file: &mut Suppressed,
    digest: &str,
    day: NaiveDate,
    failed: &[(String, String)],
    reached: &[&str],
) -> Vec<Suppression> {
    for address in reached {
        file.failing.remove(&key(address));
    }
    let mut now = Vec::new();
    for (address, reply) in failed {
        let evidence = match no_such_user(reply) {
            true => Some(reply.clone()),
            false => strike(file, address, digest, reply),
        };
        let Some(evidence) = evidence else { continue };
        let suppression = Suppression {
            address: address.clone(),
            reason: Reason::HardBounce,
            date: day,
            evidence,
        };
        if file.suppress(suppression.clone()) {
            now.push(suppression);
        }
    }
    now
}

/// Counts one more digest that refused `address`; the evidence to
/// suppress it with once the count reaches [`FAILURES_IN_A_ROW`].
fn strike(file: &mut Suppressed, address: &str, digest: &str, reply: &str) -> Option<String> {
    let entry = file.failing.entry(key(address)).or_insert_with(|| Failing {
        address: address.to_owned(),
        digests: Vec::new(),
        evidence: String::new(),
    });
    if entry.digests.last().is_none_or(|last| last != digest) {
        entry.digests.push(digest.to_owned());
    }
    entry.evidence = reply.to_owned();
    (entry.digests.len() >= FAILURES_IN_A_ROW).then(|| {
        format!(
            "{reply} (refused by {} digests in a row: {})",
            entry.digests.len(),
            entry.digests.join(", ")
        )
    })
}

/// [`learn`] on the catalogue `root`'s `.oyez/suppressed`, written only
/// when something changed.
pub fn record(
    root: &Path,
    digest: &str,
    day: NaiveDate,
    failed: &[(String, String)],
    reached: &[&str],
) -> Result<Vec<Suppression>, StateError> {
    let mut file = Suppressed::read(root)?;
    let before = file.clone();
    let now = learn(&mut file, digest, day, failed, reached);
    if file != before {
        file.write(root)?;
    }
    Ok(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_5_1_x_status_means_no_such_user() {
        assert!(no_such_user(
            "permanent error (550): 5.1.1 <a@example.org>: no such user"
        ));
        assert!(no_such_user(
            "permanent error (553): 5.1.3 bad address syntax"
        ));
        assert!(!no_such_user("permanent error (550): Mailbox unavailable"));
        assert!(!no_such_user(
            "permanent error (554): 5.7.1 rejected by policy"
        ));
        assert!(!no_such_user("permanent error (550): 15.1.1x"));
    }

    #[test]
    fn other_refusals_suppress_after_three_digests_in_a_row() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut file = Suppressed::default();
        let failed = [(
            "b@example.org".to_owned(),
            "permanent error (554): 5.7.1 no".to_owned(),
        )];
        assert!(learn(&mut file, "d1", day, &failed, &[]).is_empty());
        assert!(
            learn(&mut file, "d1", day, &failed, &[]).is_empty(),
            "one digest counts once"
        );
        assert!(learn(&mut file, "d2", day, &failed, &[]).is_empty());
        learn(&mut file, "d3", day, &[], &["B@example.org"]);
        assert!(
            file.failing.is_empty(),
            "a digest that reached it starts again"
        );
        for digest in ["d4", "d5"] {
            assert!(learn(&mut file, digest, day, &failed, &[]).is_empty());
        }
        let now = learn(&mut file, "d6", day, &failed, &[]);
        assert_eq!(now.len(), 1);
        assert_eq!(
            now[0].evidence,
            "permanent error (554): 5.7.1 no (refused by 3 digests in a row: d4, d5, d6)"
        );
        assert!(file.failing.is_empty());
    }
}
