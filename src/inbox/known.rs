//! What a message is compared with: the `from` address whose tagged forms
//! come back ([`crate::digest::verp`]), the token of every subscriber (a
//! `mailto:` unsubscribe target and the return path carry it) and of
//! every confirmation awaited.

use std::collections::{HashMap, HashSet};

use lettre::Address;

use crate::digest::unsubscribe::{SHORT_TOKEN, short_token};
use crate::state::inbox::Inbox;
use crate::state::suppressed::key;

/// The addresses and tokens a message may name.
pub(crate) struct Known {
    pub(crate) from: Address,
    /// Token → subscriber address.
    pub(crate) unsubscribe_tokens: HashMap<String, String>,
    /// Token → address awaiting confirmation.
    pub(crate) confirm_tokens: HashMap<String, String>,
    subscribers: HashSet<String>,
    secret: Option<Vec<u8>>,
}

impl Known {
    /// From the subscribers' addresses; without a secret no token is known.
    pub(crate) fn new(from: Address, subscribers: &[String], secret: Option<&[u8]>) -> Self {
        let secret = secret.map(<[u8]>::to_vec);
        let tokens = match &secret {
            Some(secret) => subscribers
                .iter()
                .map(|a| (short_token(secret, a), a.clone()))
                .collect(),
            None => HashMap::new(),
        };
        Self {
            from,
            unsubscribe_tokens: tokens,
            confirm_tokens: HashMap::new(),
            subscribers: subscribers.iter().map(|a| key(a)).collect(),
            secret,
        }
    }

    /// Takes the confirmations `state` awaits.
    pub(crate) fn awaiting(&mut self, state: &Inbox) {
        let Some(secret) = &self.secret else { return };
        self.confirm_tokens = state
            .pending
            .values()
            .map(|p| (confirm_token(secret, &p.confirm), p.confirm.clone()))
            .collect();
    }

    /// `address` left the subscribers file (its token still names it).
    pub(crate) fn forget(&mut self, address: &str) {
        self.subscribers.remove(&key(address));
    }

    /// `address` joined the subscribers file.
    pub(crate) fn welcome(&mut self, address: &str) {
        self.subscribers.insert(key(address));
        if let Some(secret) = &self.secret {
            let token = short_token(secret, address);
            self.unsubscribe_tokens.insert(token, address.to_owned());
        }
    }

    pub(crate) fn is_subscriber(&self, address: &str) -> bool {
        self.subscribers.contains(&key(address))
    }

    /// The subscriber whose unsubscribe token the part of `address`
    /// before `@` holds (`leave+TOKEN@…`).
    pub(crate) fn by_unsubscribe_token(&self, address: &str) -> Option<String> {
        let local = address.rsplit_once('@')?.0.to_ascii_lowercase();
        let bytes = local.as_bytes();
        (0..bytes.len().saturating_sub(SHORT_TOKEN - 1)).find_map(|start| {
            let candidate = local.get(start..start + SHORT_TOKEN)?;
            self.unsubscribe_tokens.get(candidate).cloned()
        })
    }
}

/// The token of a confirmation to `address`: not its unsubscribe token,
/// so that only the confirmation mail tells it.
pub(crate) fn confirm_token(secret: &[u8], address: &str) -> String {
    short_token(secret, &format!("confirm:{address}"))
}
