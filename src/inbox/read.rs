//! What a message asks for: read with mailparse, classified without
//! touching anything. Bounces are found by their return path
//! ([`crate::digest::verp`]) or their delivery report (RFC 3464),
//! complaints by their feedback report (RFC 5965), the rest by a word in
//! the subject or the first line of the text: `unsubscribe`,
//! `subscribe [categories=a,b]`, `categories=a,b`.

use mailparse::{MailHeaderMap, ParsedMail};

use super::Known;
use super::report;
use super::request::{Reading, Request, addresses};
use crate::digest::verp;

/// Classifies `mail`.
pub(crate) fn classify(mail: &ParsedMail<'_>, known: &Known) -> Reading {
    let destinations = destinations(mail);
    for address in &destinations {
        if let Some(reading) = tagged(mail, known, address) {
            return reading;
        }
    }
    if let Some(reading) = report::read(mail, known, None) {
        return reading;
    }
    let token = destinations
        .iter()
        .find_map(|d| known.by_unsubscribe_token(d));
    if let Some(address) = token {
        return Reading::Request(Request::Unsubscribe { address });
    }
    command(mail, known)
}

/// A message to a tagged form of the `from` address.
fn tagged(mail: &ParsedMail<'_>, known: &Known, address: &str) -> Option<Reading> {
    let (tag, token) = verp::untag(&known.from, address)?;
    let token = token.to_ascii_lowercase();
    match tag.as_str() {
        verp::BOUNCE => {
            let Some(recipient) = known.unsubscribe_tokens.get(&token).cloned() else {
                return Some(Reading::Other(format!(
                    "to the return path {address}, whose token names no subscriber"
                )));
            };
            let reading = report::read(mail, known, Some(&recipient));
            Some(reading.unwrap_or_else(|| {
                Reading::Other(format!(
                    "to the return path of {recipient}, but no delivery or feedback report"
                ))
            }))
        }
        verp::CONFIRM if automatic(mail) => Some(Reading::Other(
            "an automatic reply (Auto-Submitted) to a confirmation: it confirms nothing".into(),
        )),
        verp::CONFIRM => Some(match known.confirm_tokens.get(&token) {
            Some(address) => Reading::Request(Request::Confirm {
                address: address.clone(),
            }),
            None => Reading::Other(format!(
                "to the confirmation address {address}, which answers no pending request"
            )),
        }),
        _ => None,
    }
}

/// Every address the message was delivered to.
fn destinations(mail: &ParsedMail<'_>) -> Vec<String> {
    let names = ["To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"];
    let mut out = Vec::new();
    for header in mail.get_headers().into_iter() {
        if !names
            .iter()
            .any(|n| header.get_key_ref().eq_ignore_ascii_case(n))
        {
            continue;
        }
        out.extend(addresses(&header.get_value()));
    }
    out
}

/// A command in the subject or the first line of the text, from its sender.
fn command(mail: &ParsedMail<'_>, known: &Known) -> Reading {
    if automatic(mail) {
        return Reading::Other("an automatic message (Auto-Submitted)".into());
    }
    let from = mail.headers.get_first_value("From").unwrap_or_default();
    let Some(address) = addresses(&from).into_iter().next() else {
        return Reading::Other("no sender address".into());
    };
    let subject = mail.headers.get_first_value("Subject").unwrap_or_default();
    let words = parse_command(&subject).or_else(|| parse_command(&first_line(mail)));
    let Some((verb, categories)) = words else {
        return Reading::Other(
            "no request oyez knows (subscribe, unsubscribe, categories=)".into(),
        );
    };
    let listed = known.is_subscriber(&address);
    let request = match (verb, categories) {
        (Verb::Unsubscribe, _) if listed => Request::Unsubscribe { address },
        (Verb::Subscribe, categories) => Request::Subscribe {
            mailbox: from.trim().to_owned(),
            address,
            categories,
        },
        (Verb::Categories, Some(categories)) if listed => Request::Categories {
            address,
            categories,
        },
        _ => return Reading::Other(format!("a request from {address}, who is not subscribed")),
    };
    Reading::Request(request)
}

/// Whether an auto-responder sent it (RFC 3834 `Auto-Submitted`).
fn automatic(mail: &ParsedMail<'_>) -> bool {
    let value = mail.headers.get_first_value("Auto-Submitted");
    value.is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Subscribe,
    Unsubscribe,
    Categories,
}

/// `subscribe`, `unsubscribe`, `subscribe categories=a,b` or
/// `categories=a,b` (any case, after `Re:` prefixes).
fn parse_command(text: &str) -> Option<(Verb, Option<Vec<String>>)> {
    let mut text = text.trim();
    while let Some(rest) = text.get(..3).filter(|p| p.eq_ignore_ascii_case("re:")) {
        text = text.get(rest.len()..).unwrap_or_default().trim();
    }
    let lower = text.to_ascii_lowercase();
    let mut words = lower.split_whitespace();
    let first = words.next()?;
    let categories = |word: Option<&str>| {
        word.and_then(|w| w.strip_prefix("categories="))
            .map(|list| {
                list.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
    };
    let found = match first {
        "unsubscribe" => (Verb::Unsubscribe, None),
        "subscribe" => (Verb::Subscribe, categories(words.next())),
        word if word.starts_with("categories=") => (Verb::Categories, categories(Some(word))),
        _ => return None,
    };
    words.next().is_none().then_some(found)
}

/// The first line with text of the message's plain text.
fn first_line(mail: &ParsedMail<'_>) -> String {
    let plain = std::iter::once(mail)
        .chain(mail.subparts.iter())
        .find(|part| part.ctype.mimetype == "text/plain");
    let body = plain
        .and_then(|part| part.get_body().ok())
        .unwrap_or_default();
    let line = body.lines().map(str::trim).find(|l| !l.is_empty());
    line.unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_single_words_with_optional_categories() {
        assert_eq!(
            parse_command(" Unsubscribe "),
            Some((Verb::Unsubscribe, None))
        );
        assert_eq!(
            parse_command("Re: RE: unsubscribe"),
            Some((Verb::Unsubscribe, None))
        );
        assert_eq!(
            parse_command("subscribe categories=talks,books"),
            Some((Verb::Subscribe, Some(vec!["talks".into(), "books".into()])))
        );
        assert_eq!(
            parse_command("categories=talks"),
            Some((Verb::Categories, Some(vec!["talks".into()])))
        );
        assert_eq!(parse_command("please unsubscribe me"), None);
        assert_eq!(parse_command("subscribe now please"), None);
    }
}
