//! What a message asks for, once read, and the addresses of a header.

/// What a message asks oyez to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Request {
    Unsubscribe {
        address: String,
    },
    /// A permanent failure (`5.x.x`) for a subscriber.
    /// `digest`: the digest the bounced copy belonged to, for the count
    /// of digests in a row.
    Bounce {
        address: String,
        reply: String,
        digest: String,
    },
    Complaint {
        address: String,
    },
    /// `mailbox` as the From header names it.
    Subscribe {
        mailbox: String,
        address: String,
        categories: Option<Vec<String>>,
    },
    /// Written to a confirmation's tagged address.
    Confirm {
        address: String,
    },
    Categories {
        address: String,
        categories: Vec<String>,
    },
    /// A report that needs nothing done (a delay, a success).
    Noted(String),
}

/// A message, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    Request(Request),
    /// Not for oyez (why): left in the mailbox.
    Other(String),
}

/// The bare addresses of an address header's value.
pub(super) fn addresses(value: &str) -> Vec<String> {
    let Ok(list) = mailparse::addrparse(value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in list.iter() {
        match item {
            mailparse::MailAddr::Single(single) => out.push(single.addr.clone()),
            mailparse::MailAddr::Group(group) => {
                out.extend(group.addrs.iter().map(|s| s.addr.clone()));
            }
        }
    }
    out
}
