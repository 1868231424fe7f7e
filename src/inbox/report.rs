//! Delivery status notifications (RFC 3464: `multipart/report` with a
//! `message/delivery-status` part) and complaint reports (RFC 5965: a
//! `message/feedback-report` part), and whom they are about: the
//! recipient the return path names, else the report's own fields, else
//! the returned message's headers.

use mailparse::{MailHeader, MailHeaderMap, ParsedMail};

use super::Known;
use super::request::{Reading, Request, addresses};

/// What a report in `mail` says; `recipient` when its return path named
/// one. `None`: no report in it.
pub(super) fn read(
    mail: &ParsedMail<'_>,
    known: &Known,
    recipient: Option<&str>,
) -> Option<Reading> {
    let id = super::message_id(mail);
    if let Some(part) = find(mail, "message/delivery-status") {
        return Some(delivery(
            mail,
            &part.get_body_raw().ok()?,
            known,
            recipient,
            &id,
        ));
    }
    let part = find(mail, "message/feedback-report")?;
    let body = part.get_body_raw().ok()?;
    let (fields, _) = mailparse::parse_headers(&body).ok()?;
    let named = fields
        .get_first_value("Original-Rcpt-To")
        .and_then(|value| addresses(&value).into_iter().next());
    let address = recipient
        .map(str::to_owned)
        .or(named.filter(|a| known.is_subscriber(a)))
        .or_else(|| returned_recipient(mail, known));
    Some(match address {
        Some(address) => Reading::Request(Request::Complaint { address }),
        None => Reading::Other("a complaint report about no subscriber".into()),
    })
}

/// A delivery report: the first recipient it says failed.
fn delivery(
    mail: &ParsedMail<'_>,
    body: &[u8],
    known: &Known,
    recipient: Option<&str>,
    id: &str,
) -> Reading {
    let text = String::from_utf8_lossy(body).replace("\r\n", "\n");
    let blocks = text.split("\n\n").skip(1).filter(|b| !b.trim().is_empty());
    let mut noted = None;
    for block in blocks {
        let Ok((fields, _)) = mailparse::parse_headers(block.as_bytes()) else {
            continue;
        };
        let status = field(&fields, "Status");
        let named = recipient_field(&fields);
        let address = match recipient {
            Some(recipient) => recipient.to_owned(),
            None => match named.filter(|a| known.is_subscriber(a)) {
                Some(address) => address,
                None => continue,
            },
        };
        if !status.starts_with('5') {
            noted.get_or_insert(format!(
                "a delivery report for {address}: status {status}, nothing to do"
            ));
            continue;
        }
        let diagnostic = field(&fields, "Diagnostic-Code");
        let said = [status.as_str(), diagnostic.as_str()];
        let said: Vec<&str> = said.into_iter().filter(|s| !s.is_empty()).collect();
        let reply = format!("{}; delivery report {id}", said.join(" "));
        let digest = returned_digest(mail).unwrap_or_else(|| id.to_owned());
        return Reading::Request(Request::Bounce {
            address,
            reply,
            digest,
        });
    }
    match noted {
        Some(what) => Reading::Request(Request::Noted(what)),
        None => Reading::Other("a delivery report about no subscriber".into()),
    }
}

fn field(fields: &[MailHeader<'_>], name: &str) -> String {
    let value = fields.get_first_value(name).unwrap_or_default();
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Final-Recipient: rfc822; ADDRESS` (or `Original-Recipient`).
fn recipient_field(fields: &[MailHeader<'_>]) -> Option<String> {
    let value = fields
        .get_first_value("Final-Recipient")
        .or_else(|| fields.get_first_value("Original-Recipient"))?;
    let (_, address) = value.split_once(';')?;
    Some(address.trim().trim_matches(['<', '>']).to_owned())
}

/// The first part (depth first) of type `mimetype`.
fn find<'a>(mail: &'a ParsedMail<'a>, mimetype: &str) -> Option<&'a ParsedMail<'a>> {
    if mail.ctype.mimetype.eq_ignore_ascii_case(mimetype) {
        return Some(mail);
    }
    mail.subparts.iter().find_map(|part| find(part, mimetype))
}

/// The headers of the message a report returns, if it carries them.
fn returned_headers(mail: &ParsedMail<'_>) -> Option<Vec<u8>> {
    [
        "message/rfc822",
        "text/rfc822-headers",
        "message/rfc822-headers",
    ]
    .iter()
    .find_map(|kind| find(mail, kind))
    .and_then(|part| part.get_body_raw().ok())
}

/// The digest a bounced copy belonged to: `<digest.ID.…@host>`.
fn returned_digest(mail: &ParsedMail<'_>) -> Option<String> {
    let bytes = returned_headers(mail)?;
    let (headers, _) = mailparse::parse_headers(&bytes).ok()?;
    let id = headers.get_first_value("Message-ID")?;
    let rest = id.trim().strip_prefix("<digest.")?;
    rest.split('.').next().map(str::to_owned)
}

/// The subscriber a returned copy was addressed to.
fn returned_recipient(mail: &ParsedMail<'_>, known: &Known) -> Option<String> {
    let bytes = returned_headers(mail)?;
    let (headers, _) = mailparse::parse_headers(&bytes).ok()?;
    let to = headers.get_first_value("To").unwrap_or_default();
    addresses(&to).into_iter().find(|a| known.is_subscriber(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        let from = "digest@example.org".parse().unwrap();
        Known::new(from, &["ada@example.net".to_owned()], Some(b"k"))
    }

    fn report(status: &str, action: &str, recipient: &str) -> Vec<u8> {
        format!(
            "Message-ID: <r@mx>\r\nContent-Type: multipart/report; report-type=delivery-status; \
             boundary=B\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n\
             Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; {recipient}\r\n\
             Action: {action}\r\nStatus: {status}\r\n\r\n--B--\r\n"
        )
        .into_bytes()
    }

    fn read_bytes(bytes: &[u8]) -> Option<Reading> {
        read(&mailparse::parse_mail(bytes).unwrap(), &known(), None)
    }

    #[test]
    fn a_delay_is_noted_and_a_failure_suppresses_only_a_subscriber() {
        assert_eq!(
            read_bytes(&report("4.4.1", "delayed", "ada@example.net")),
            Some(Reading::Request(Request::Noted(
                "a delivery report for ada@example.net: status 4.4.1, nothing to do".into()
            )))
        );
        assert_eq!(
            read_bytes(&report("5.1.1", "failed", "Ada@Example.net")),
            Some(Reading::Request(Request::Bounce {
                address: "Ada@Example.net".into(),
                reply: "5.1.1; delivery report <r@mx>".into(),
                digest: "<r@mx>".into(),
            }))
        );
        assert_eq!(
            read_bytes(&report("5.1.1", "failed", "stranger@example.net")),
            Some(Reading::Other(
                "a delivery report about no subscriber".into()
            ))
        );
        assert_eq!(read_bytes(b"Subject: hi\r\n\r\nhello\r\n"), None);
    }
}
