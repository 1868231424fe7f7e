//! Checks of `oyez.toml`'s `[digest]` table: addresses, unsubscribe
//! targets, cadence, batch size and DKIM signing.

use std::str::FromStr;

use toml::Spanned;
use url::Url;

use crate::catalogue::model::{DigestConfig, Dkim, Every};
use crate::catalogue::raw;

use super::checker::{self, Checker};

/// The `[digest]` table, `None` when `from` is missing or invalid (every
/// problem is reported in `check`).
pub(super) fn digest_config(
    check: &mut Checker<'_>,
    digest: Spanned<raw::Digest>,
) -> Option<DigestConfig> {
    let span = digest.span();
    let digest = digest.into_inner();
    let from = mailbox(check, &digest.from, "from");
    let to = digest.to.as_ref().and_then(|to| mailbox(check, to, "to"));
    let subscribers = digest
        .subscribers
        .as_ref()
        .and_then(|s| check.required_line(s, "subscribers"));
    if digest.to.is_none() && digest.subscribers.is_none() {
        check.error(
            &span,
            "`[digest]` has neither `to` nor `subscribers`".into(),
            "give a mailing-list address in `to` or a file of addresses in `subscribers`",
        );
    }
    let list_id = digest
        .list_id
        .as_ref()
        .and_then(|id| check.required_line(id, "list_id"));
    let unsubscribe = digest
        .unsubscribe
        .map_or_else(Vec::new, |targets| unsubscribe(check, targets));
    let subject = digest
        .subject
        .as_ref()
        .and_then(|s| check.required_line(s, "subject"));
    let subject_at = digest
        .subject
        .as_ref()
        .map(|s| check.source.location(&s.span()));
    let ledger = digest
        .ledger
        .as_ref()
        .and_then(|l| check.required_line(l, "ledger"));
    let every = digest.every.as_ref().and_then(|e| every(check, e));
    let per_connection = digest
        .per_connection
        .as_ref()
        .and_then(|n| per_connection(check, n));
    let dkim = (digest.dkim.zip(from.clone())).and_then(|(d, f)| dkim_config(check, d, &f));
    Some(DigestConfig {
        from: from?,
        to,
        subscribers,
        list_id,
        unsubscribe,
        subject,
        subject_at,
        ledger,
        every,
        per_connection,
        dkim,
    })
}

/// A one-line mail address, with or without a display name.
fn mailbox(check: &mut Checker<'_>, value: &Spanned<String>, field: &str) -> Option<String> {
    let text = check.required_line(value, field)?;
    if lettre::message::Mailbox::from_str(&text).is_err() {
        check.error(
            &value.span(),
            format!("`{field}` is not a mail address: {text:?}"),
            "write an address such as \"Name <list@example.org>\"",
        );
        return None;
    }
    Some(text)
}

/// `unsubscribe`: each a mailto: or https: URL, kept as written when it is
/// a template (`{{ address }}` and `{{ token }}` are filled per
/// recipient), else as the URL crate writes it; reported at the value.
fn unsubscribe(check: &mut Checker<'_>, targets: Spanned<raw::OneOrMany>) -> Vec<String> {
    let span = targets.span();
    let mut unsubscribe = Vec::new();
    for target in targets.into_inner().into_vec() {
        let sample = crate::catalogue::placeholders::sample(&target);
        let parsed = Url::parse(&sample)
            .ok()
            .filter(|u| matches!(u.scheme(), "mailto" | "https"));
        match parsed {
            Some(url) if checker::has_credentials(&url) => check.error(
                &span,
                checker::credentials_in("unsubscribe"),
                checker::CREDENTIALS_HELP,
            ),
            Some(url) if !sample.chars().any(char::is_whitespace) => {
                if crate::catalogue::placeholders::is_template(&target) {
                    unsubscribe.push(target);
                } else {
                    unsubscribe.push(url.to_string());
                }
            }
            _ => check.error(
                &span,
                format!("`unsubscribe` target {target:?} is not a mailto: or https: URL"),
                "write mailto:leave@example.org or https://example.org/unsubscribe",
            ),
        }
    }
    unsubscribe
}

fn every(check: &mut Checker<'_>, value: &Spanned<String>) -> Option<Every> {
    match value.get_ref().as_str() {
        "day" => Some(Every::Day),
        "week" => Some(Every::Week),
        "month" => Some(Every::Month),
        other => {
            check.error(
                &value.span(),
                format!("`every` is {other:?}, not a cadence oyez knows"),
                "write \"day\", \"week\" or \"month\"",
            );
            None
        }
    }
}

fn per_connection(check: &mut Checker<'_>, value: &Spanned<i64>) -> Option<usize> {
    match usize::try_from(*value.get_ref()) {
        Ok(count) if count > 0 => Some(count),
        _ => {
            check.error(
                &value.span(),
                "`per_connection` must be a positive number".into(),
                "write the most messages your provider takes per connection, such as 100",
            );
            None
        }
    }
}

/// `dkim = { selector, domain }`: names DNS can hold; the domain defaults
/// to `from`'s, so the signature aligns with the From address (DMARC).
fn dkim_config(check: &mut Checker<'_>, dkim: Spanned<raw::Dkim>, from: &str) -> Option<Dkim> {
    let dkim = dkim.into_inner();
    let selector = dns_name(check, &dkim.selector, "selector", "oyez")?;
    let domain = match &dkim.domain {
        Some(domain) => dns_name(check, domain, "domain", "example.org")?,
        None => lettre::message::Mailbox::from_str(from)
            .ok()?
            .email
            .domain()
            .to_ascii_lowercase(),
    };
    Some(Dkim { selector, domain })
}

/// A DNS name of letters, digits and hyphens in dot-separated labels.
fn dns_name(
    check: &mut Checker<'_>,
    value: &Spanned<String>,
    field: &str,
    example: &str,
) -> Option<String> {
    let name = value.get_ref();
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if name.len() <= 253 && name.split('.').all(label) {
        return Some(name.to_ascii_lowercase());
    }
    check.error(
        &value.span(),
        format!("`dkim` {field} {name:?} is not a DNS name"),
        &format!("write letters, digits and hyphens in dot-separated labels, such as {example:?}"),
    );
    None
}
