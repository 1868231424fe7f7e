//! One message applied: read against what is known, its effect made
//! (each effect may be made again with the same result), then recorded
//! as done.

use super::read;
use super::request::{Reading, Request};
use super::step::{Outcome, Step};
use super::{InboxError, Known, Summary, confirm};
use crate::state::inbox::Inbox;
use crate::state::suppressed::{Reason, Suppressed, Suppression};
use crate::subscribers::{self, SubscribersError, bounces};

impl Step<'_> {
    /// Applies the message; `true` when it is done and may be deleted.
    pub(super) fn apply(
        &self,
        state: &mut Inbox,
        known: &mut Known,
        sender: &mut confirm::Sender,
        summary: &mut Summary,
        note: &mut dyn FnMut(String),
    ) -> Result<bool, InboxError> {
        let id = super::message_id(self.mail);
        known.awaiting(state);
        let request = match read::classify(self.mail, known) {
            Reading::Request(request) => request,
            Reading::Other(why) => {
                note(format!("left in the mailbox: {id}: {why}"));
                summary.left += 1;
                return Ok(false);
            }
        };
        let joins = match &request {
            Request::Confirm { address } => Some((true, address.clone())),
            Request::Unsubscribe { address } => Some((false, address.clone())),
            _ => None,
        };
        let outcome = match request {
            Request::Subscribe {
                mailbox,
                address,
                categories,
            } => {
                let ask = confirm::Ask {
                    step: self,
                    mailbox,
                    address,
                    categories,
                };
                ask.send(state, sender, summary)?
            }
            Request::Confirm { address } => confirm::complete(self, state, &address)?,
            other => self.change(other)?,
        };
        match outcome {
            Outcome::Done(what) => {
                match joins {
                    Some((true, address)) => known.welcome(&address),
                    Some((false, address)) => known.forget(&address),
                    None => {}
                }
                note(what.clone());
                super::record_done(self.setup, state, self.hash, id, &what)?;
                summary.applied += 1;
                Ok(true)
            }
            Outcome::Wait(why) => {
                note(format!("left in the mailbox: {id}: {why}"));
                summary.left += 1;
                Ok(false)
            }
        }
    }

    /// The changes that need no mail sent.
    fn change(&self, request: Request) -> Result<Outcome, InboxError> {
        let id = super::message_id(self.mail);
        Ok(Outcome::Done(match request {
            Request::Unsubscribe { address } => {
                self.suppress(&address, Reason::Unsubscribed, id)?;
                let mut book = self.book()?;
                let lines = book.lines_of(&address);
                book.remove_lines(&lines);
                book.save()?;
                format!("unsubscribed: {address}")
            }
            Request::Complaint { address } => {
                self.suppress(&address, Reason::Complaint, id)?;
                format!("complaint: {address} suppressed")
            }
            Request::Bounce {
                address,
                reply,
                digest,
            } => self.bounce(&address, &reply, &digest)?,
            Request::Categories {
                address,
                categories,
            } => {
                let (name, known) = self.subscribers_file()?;
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                match subscribers::set_categories(
                    self.setup.root,
                    &name,
                    &known,
                    &address,
                    &categories,
                ) {
                    Ok(line) => format!("categories of {address}: {line}"),
                    Err(SubscribersError::Invalid(problems)) => {
                        return Ok(Outcome::Wait(format!(
                            "{address} asked for categories={}: {}",
                            categories.join(","),
                            problems.join("; ")
                        )));
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            Request::Noted(what) => what,
            Request::Subscribe { .. } | Request::Confirm { .. } => String::new(),
        }))
    }

    /// A permanent failure, counted as a refusal at RCPT would be.
    fn bounce(&self, address: &str, reply: &str, digest: &str) -> Result<String, InboxError> {
        let mut file = Suppressed::read(self.setup.root)?;
        let failed = [(address.to_owned(), reply.to_owned())];
        let now = bounces::learn(&mut file, digest, self.today(), &failed, &[]);
        file.write(self.setup.root)?;
        Ok(match now.is_empty() && file.get(address).is_none() {
            true => format!(
                "bounce: {address}: {reply}; counted (suppressed at the third digest in a row)"
            ),
            false => format!("hard-bounce: {address} suppressed: {reply}"),
        })
    }

    fn suppress(
        &self,
        address: &str,
        reason: Reason,
        evidence: String,
    ) -> Result<bool, InboxError> {
        let suppression = Suppression {
            address: address.to_owned(),
            reason,
            date: self.today(),
            evidence,
        };
        Ok(subscribers::suppress(self.setup.root, suppression)?)
    }

    /// What messages are compared with, read once a run (then kept up to
    /// date by [`Self::apply`]): reading 20,000 subscribers takes a while.
    pub(super) fn known(&self) -> Result<Known, InboxError> {
        let (_, slugs) = self.subscribers_file()?;
        let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
        let listed = self.book()?.listed(&slugs)?;
        let addresses: Vec<String> = listed.into_iter().map(|l| l.recipient.address).collect();
        let from = super::from_address(self.setup.catalogue)?;
        Ok(Known::new(from, &addresses, self.setup.secret.as_deref()))
    }
}
