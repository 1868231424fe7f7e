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
}

impl Known {
    /// From the subscribers' addresses and the confirmations awaited;
    /// without a secret no token is known.
    pub(crate) fn new(
        from: Address,
        subscribers: &[String],
        state: &Inbox,
        secret: Option<&[u8]>,
    ) -> Self {
        let tokens = |addresses: &mut dyn Iterator<Item = &String>, confirm: bool| {
            let Some(secret) = secret else {
                return HashMap::new();
            };
            addresses
                .map(|a| {
                    let token = match confirm {
                        true => confirm_token(secret, a),
                        false => short_token(secret, a),
                    };
                    (token, a.clone())
                })
                .collect()
        };
        let pending: Vec<String> = state.pending.values().map(|p| p.confirm.clone()).collect();
        Self {
            from,
            unsubscribe_tokens: tokens(&mut subscribers.iter(), false),
            confirm_tokens: tokens(&mut pending.iter(), true),
            subscribers: subscribers.iter().map(|a| key(a)).collect(),
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
