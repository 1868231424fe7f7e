//! Double opt-in: a subscribe request is answered with a confirmation
//! mail whose Reply-To is `from+confirm-TOKEN@domain`; a message to that
//! address adds the subscriber, with a consent record. The confirmation is
//! recorded `sent: false` before it goes out and `sent: true` after the
//! server accepted it, so that it is never sent twice: one cut off midway
//! stays unconfirmed, as a digest copy does.

use std::str::FromStr;
use std::sync::Arc;

use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::{HeaderName, HeaderValue};

use super::known::confirm_token;
use super::step::{Outcome, Step};
use super::{InboxError, Summary};
use crate::digest::fault;
use crate::digest::send::{Mailer, Outcome as Sent, Pace, Settings};
use crate::digest::verp;
use crate::state::consent::{self, Consent};
use crate::state::inbox::{Inbox, Pending};
use crate::state::suppressed::{Reason, Suppressed, key};
use crate::subscribers;

/// The SMTP session confirmations go out on, opened when first needed.
pub(super) struct Sender {
    settings: Option<Settings>,
    mailer: Option<Mailer>,
}

impl Sender {
    pub(super) fn new(settings: Option<Settings>) -> Self {
        Self {
            settings,
            mailer: None,
        }
    }

    /// Sends `message`; `Err(why)` when no session can be had.
    fn send(&mut self, message: &Message) -> Result<Sent, String> {
        let settings = self.settings.clone();
        let Some(settings) = settings else {
            return Err("OYEZ_SMTP_URL is not set, so the confirmation waits".into());
        };
        let mailer = self
            .mailer
            .get_or_insert_with(|| Mailer::new(settings, Arc::new(Pace::new(None))));
        mailer.ready().map_err(|err| err.to_string())?;
        Ok(mailer.transact(message))
    }

    pub(super) fn quit(&mut self) {
        if let Some(mailer) = self.mailer.as_mut() {
            mailer.quit();
        }
    }
}

/// A subscribe request to answer.
pub(super) struct Ask<'a> {
    pub(super) step: &'a Step<'a>,
    /// `Name <address>` as the request's From wrote it.
    pub(super) mailbox: String,
    pub(super) address: String,
    pub(super) categories: Option<Vec<String>>,
}

impl Ask<'_> {
    /// Sends the confirmation, unless one was sent or is not needed.
    pub(super) fn send(
        self,
        state: &mut Inbox,
        sender: &mut Sender,
        summary: &mut Summary,
    ) -> Result<Outcome, InboxError> {
        let address = self.address.clone();
        let Some(secret) = self.step.setup.secret.clone() else {
            return Ok(Outcome::Wait(
                "a subscribe request, but OYEZ_UNSUBSCRIBE_SECRET is not set (a confirmation carries a token)".into(),
            ));
        };
        if let Some(done) = self.needless(state, summary)? {
            return Ok(done);
        }
        let message = self.message(&secret)?;
        state.pending.insert(key(&address), self.pending());
        state.write(self.step.setup.root)?;
        fault::pause("inbox-before-confirmation", &address);
        let sent = sender.send(&message);
        let outcome = match sent {
            Ok(Sent::Accepted(reply)) => {
                fault::pause("inbox-before-confirmation-recorded", &address);
                if let Some(pending) = state.pending.get_mut(&key(&address)) {
                    pending.sent = true;
                }
                Outcome::Done(format!("confirmation sent to {address} ({reply})"))
            }
            Ok(Sent::Unknown(why)) => {
                summary.unconfirmed += 1;
                Outcome::Done(format!(
                    "unconfirmed: the confirmation to {address}: {why}; not sent again"
                ))
            }
            Ok(Sent::Failed(reply)) => {
                state.pending.remove(&key(&address));
                Outcome::Done(format!(
                    "subscribe: {address} refused the confirmation: {reply}"
                ))
            }
            Ok(Sent::Deferred(why) | Sent::Refused(why)) | Err(why) => {
                state.pending.remove(&key(&address));
                state.write(self.step.setup.root)?;
                Outcome::Wait(format!("the confirmation to {address} was not sent: {why}"))
            }
        };
        Ok(outcome)
    }

    /// `Some` when no confirmation is to be sent: listed already, kept
    /// out, asked for an unknown category, or asked already.
    fn needless(
        &self,
        state: &Inbox,
        summary: &mut Summary,
    ) -> Result<Option<Outcome>, InboxError> {
        let address = &self.address;
        let (name, slugs) = self.step.subscribers_file()?;
        let book = subscribers::file::Book::open(self.step.setup.root, &name)?;
        if !book.lines_of(address).is_empty() {
            return Ok(Some(Outcome::Done(format!(
                "subscribe: {address} is already subscribed"
            ))));
        }
        if let Some(s) = kept_out(&Suppressed::read(self.step.setup.root)?, address) {
            return Ok(Some(Outcome::Done(s)));
        }
        let unknown: Vec<&String> = self
            .categories
            .iter()
            .flatten()
            .filter(|c| !slugs.contains(c))
            .collect();
        if !unknown.is_empty() {
            let unknown: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
            return Ok(Some(Outcome::Wait(format!(
                "{address} asked to subscribe to unknown categories {}; known: {}",
                unknown.join(", "),
                slugs.join(", ")
            ))));
        }
        Ok(state.pending_of(address).map(|p| match p.sent {
            true => Outcome::Done(format!(
                "subscribe: {address}: a confirmation was sent on {}; not sent again",
                p.date
            )),
            false => {
                summary.unconfirmed += 1;
                Outcome::Done(format!(
                    "unconfirmed: a run stopped on {} while sending the confirmation to {address}; \
                     it may or may not have arrived, and is not sent again",
                    p.date
                ))
            }
        }))
    }

    fn pending(&self) -> Pending {
        Pending {
            confirm: self.address.clone(),
            mailbox: self.mailbox.clone(),
            categories: self.categories.clone(),
            request: super::message_id(self.step.mail),
            date: self.step.today(),
            sent: false,
        }
    }

    /// The confirmation mail.
    fn message(&self, secret: &[u8]) -> Result<Message, InboxError> {
        let setup = self.step.setup;
        let config = setup.catalogue.digest.as_ref();
        let bad = |err: String| InboxError::Config(err);
        let from = Mailbox::from_str(config.map(|c| c.from.as_str()).unwrap_or_default())
            .map_err(|err| bad(format!("`[digest] from`: {err}")))?;
        let token = confirm_token(secret, &self.address);
        let reply_to = verp::tagged(&from.email, verp::CONFIRM, &token).map_err(bad)?;
        let to = Mailbox::from_str(&self.mailbox)
            .or_else(|_| Mailbox::from_str(&self.address))
            .map_err(|err| bad(format!("{}: {err}", self.address)))?;
        let title = &setup.catalogue.site.title;
        let which = match &self.categories {
            Some(c) => format!(" (categories: {})", c.join(", ")),
            None => String::new(),
        };
        let text = format!(
            "Someone, probably you, asked for the email digest of {title} at {}{which}.\n\n\
             To confirm, reply to this message, or write to {reply_to}.\n\n\
             If you did not ask, ignore this message: nothing more will be sent.\n",
            self.address
        );
        Message::builder()
            .from(from.clone())
            .to(to)
            .reply_to(Mailbox::new(None, reply_to))
            .subject(format!("Confirm your subscription to {title}"))
            .date(std::time::SystemTime::from(setup.now))
            .message_id(Some(format!("<confirm.{token}@{}>", from.email.domain())))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-replied".into(),
            ))
            .body(text)
            .map_err(|err| bad(format!("cannot build the confirmation: {err}")))
    }
}

/// Why `address` may not be asked: suppressed for another reason than
/// having left (they may come back by confirming).
fn kept_out(file: &Suppressed, address: &str) -> Option<String> {
    let s = file
        .get(address)
        .filter(|s| s.reason != Reason::Unsubscribed)?;
    Some(format!(
        "subscribe: {address} is suppressed ({} since {}), so no confirmation is sent; \
         `oyez subscribers unsuppress {address}` first if they should get digests",
        s.reason.as_str(),
        s.date
    ))
}

/// A message to a confirmation's address: the subscriber is added (an
/// earlier unsubscribe lifted) with a consent record.
pub(super) fn complete(
    step: &Step<'_>,
    state: &mut Inbox,
    address: &str,
) -> Result<Outcome, InboxError> {
    let root = step.setup.root;
    let Some(pending) = state.pending_of(address).cloned() else {
        return Ok(Outcome::Wait(format!(
            "no confirmation awaited from {address}"
        )));
    };
    let id = super::message_id(step.mail);
    if let Some(why) = kept_out(&Suppressed::read(root)?, address) {
        state.pending.remove(&key(address));
        return Ok(Outcome::Done(why));
    }
    if Suppressed::read(root)?.get(address).is_some() {
        subscribers::unsuppress(root, address)?;
    }
    let (name, slugs) = step.subscribers_file()?;
    let book = subscribers::file::Book::open(root, &name)?;
    if book.lines_of(address).is_empty() {
        let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
        let categories = pending.categories.as_deref();
        let mailbox =
            Mailbox::from_str(&pending.mailbox).map_or(address.to_owned(), |m| m.to_string());
        subscribers::add(
            root,
            &name,
            &slugs,
            &mailbox,
            categories,
            Some(step.today()),
        )?;
    }
    consent::record(
        root,
        Consent {
            address: address.to_owned(),
            when: step.setup.now,
            how: format!(
                "double opt-in by mail: asked by {}, confirmed",
                pending.request
            ),
            message: id.clone(),
        },
    )?;
    state.pending.remove(&key(address));
    Ok(Outcome::Done(format!(
        "subscribed: {address} (confirmed by {id})"
    )))
}
