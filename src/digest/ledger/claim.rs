//! Claims (issue 19): in CI, a run commits the ledger with a `claimed`
//! line before it mails anyone, and again after. If its machine is lost in
//! between, the next run sees the claim of another run: the recipients it
//! left pending may have been mailed, so they count as unconfirmed.

use super::{Ledger, Status};

impl Ledger {
    pub(super) fn claim(&mut self, digest: &str, run: String) -> Result<(), String> {
        let found = self.digests.iter_mut().find(|d| d.record.id == digest);
        let found = found.ok_or_else(|| {
            format!("a claim of digest {digest:?}, which no earlier line records")
        })?;
        let pending = found
            .status
            .iter()
            .filter(|(_, s)| s.status == Status::Pending);
        let pending = pending.map(|(to, _)| to.clone()).collect();
        found.claim = Some((run, pending));
        Ok(())
    }

    /// Makes the recipients another run claimed and left pending
    /// unconfirmed: that run may have mailed them before it was lost.
    /// The claiming run itself (`run`) sends to them as usual.
    pub fn settle_claims(&mut self, run: Option<&str>) {
        for digest in &mut self.digests {
            let Some((claimer, pending)) = digest.claim.take() else {
                continue;
            };
            if run == Some(claimer.as_str()) {
                continue;
            }
            for to in pending {
                let standing = digest.status.get_mut(&to);
                if let Some(standing) = standing.filter(|s| s.status == Status::Pending) {
                    standing.status = Status::Attempting;
                }
            }
        }
    }
}
