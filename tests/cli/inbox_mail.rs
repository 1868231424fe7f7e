//! The messages the `oyez inbox` tests put in a Maildir: requests, a
//! delivery status notification (RFC 3464) and a complaint report
//! (RFC 5965), as mail systems write them.

use std::fs;
use std::path::Path;

/// Writes `text` (LF line ends become CRLF) as `new/NAME` of the Maildir at `dir`.
pub(crate) fn deliver(dir: &Path, name: &str, text: &str) {
    for folder in ["new", "cur", "tmp"] {
        fs::create_dir_all(dir.join(folder)).unwrap();
    }
    fs::write(dir.join("new").join(name), text.replace('\n', "\r\n")).unwrap();
}

/// A plain request: `subject` from `from` to `to`.
pub(crate) fn request(id: &str, from: &str, to: &str, subject: &str) -> String {
    format!(
        "From: {from}\nTo: {to}\nSubject: {subject}\nMessage-ID: <{id}@example.net>\n\
         Date: Mon, 30 Nov 2026 10:00:00 +0000\n\n{subject}\n"
    )
}

/// A delivery status notification, as postfix writes one, sent to `to`
/// (the copy's return path) about `recipient`.
pub(crate) fn dsn(id: &str, to: &str, recipient: &str, status: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\nTo: {to}\n\
         Subject: Undelivered Mail Returned to Sender\nMessage-ID: <{id}@mx.example.net>\n\
         Auto-Submitted: auto-replied\nMIME-Version: 1.0\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n\
         --B\nContent-Type: text/plain\n\nI'm sorry to have to inform you that your message could not be delivered.\n\n\
         --B\nContent-Type: message/delivery-status\n\n\
         Reporting-MTA: dns; mx.example.net\nArrival-Date: Mon, 30 Nov 2026 10:00:00 +0000\n\n\
         Final-Recipient: rfc822; {recipient}\nOriginal-Recipient: rfc822;{recipient}\n\
         Action: failed\nStatus: {status}\n\
         Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected: User unknown\n\n\
         --B\nContent-Type: text/rfc822-headers\n\n\
         From: Platform as a Product <digest@example.org>\nTo: {recipient}\n\
         Message-ID: <digest.2026-11-27.0123456789abcdef.fedcba9876543210@example.org>\n\
         Subject: Platform as a Product: 32 new resources\n\n--B--\n"
    )
}

/// A complaint (abuse feedback report) about the copy sent to `recipient`.
pub(crate) fn arf(id: &str, recipient: &str) -> String {
    format!(
        "From: feedback@isp.example.com\nTo: digest@example.org\nSubject: complaint about message\n\
         Message-ID: <{id}@isp.example.com>\nMIME-Version: 1.0\n\
         Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n\
         --F\nContent-Type: text/plain\n\nThis is an email abuse report.\n\n\
         --F\nContent-Type: message/feedback-report\n\n\
         Feedback-Type: abuse\nUser-Agent: isp-fbl/1.0\nVersion: 1\n\n\
         --F\nContent-Type: message/rfc822\n\n\
         From: Platform as a Product <digest@example.org>\nTo: {recipient}\n\
         Subject: Platform as a Product: 32 new resources\n\
         Message-ID: <digest.2026-11-27.0123456789abcdef.0000000000000001@example.org>\n\n\
         The digest.\n--F--\n"
    )
}
