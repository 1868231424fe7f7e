//! Who gets the digest: the `[digest] to` list address (one message) and
//! every address in the `[digest] subscribers` file (one message each).
//! The file holds one address per line, optionally followed by the
//! categories that subscriber follows (`ada@example.org  categories=talks,books`;
//! none means all, issue 14); blank lines and `#` comments are ignored.
//! Every bad line is reported, with `file:line`, before anything is sent.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;
use std::str::FromStr;

use lettre::message::Mailbox;

use crate::catalogue::DigestConfig;
use crate::input::{self, Kind};
use crate::state::suppressed::Suppressed;

/// One recipient: the mailbox for `To` and the key the ledger knows them by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub mailbox: Mailbox,
    /// The bare address, `user@domain`.
    pub address: String,
    /// The category slugs they follow, in catalogue order; `None`: all.
    pub categories: Option<Vec<String>>,
}

impl Recipient {
    fn new(mailbox: Mailbox) -> Self {
        Self {
            address: mailbox.email.to_string(),
            mailbox,
            categories: None,
        }
    }
}

/// A recipient known only by the bare address the ledger recorded.
pub fn from_address(address: &str) -> Option<Recipient> {
    Mailbox::from_str(address).ok().map(Recipient::new)
}

/// The bare address of the `[digest] to` mailbox.
pub fn list_address(to: &str) -> Option<String> {
    Mailbox::from_str(to).ok().map(|m| m.email.to_string())
}

/// Splits `recipients` into those to mail and those `.oyez/suppressed`
/// names (issue 21).
pub fn without_suppressed(
    recipients: Vec<Recipient>,
    suppressed: &Suppressed,
) -> (Vec<Recipient>, Vec<Recipient>) {
    recipients
        .into_iter()
        .partition(|r| suppressed.get(&r.address).is_none())
}

/// Problems found in the recipients, each already phrased as `file:line: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<String>);

/// Reads the recipients of `config`, relative to the catalogue folder `root`;
/// `known` are the catalogue's category slugs, in order.
/// Returns them with warnings (duplicates), or every problem found.
pub fn read(
    root: &Path,
    config: &DigestConfig,
    known: &[&str],
) -> Result<(Vec<Recipient>, Vec<String>), Invalid> {
    let mut recipients = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    if let Some(to) = &config.to {
        match Mailbox::from_str(to) {
            Ok(mailbox) => recipients.push((Recipient::new(mailbox), "oyez.toml `to`".to_owned())),
            Err(err) => problems.push(format!("oyez.toml: `[digest] to` {to:?}: {err}")),
        }
    }
    if let Some(file) = &config.subscribers {
        match input::read(root, Path::new(file), Kind::Subscribers)
            .map(|b| b.map(String::from_utf8))
        {
            Ok(Some(Ok(text))) => parse(file, &text, known, &mut recipients, &mut problems),
            Ok(Some(Err(err))) => {
                let valid = err.as_bytes().get(..err.utf8_error().valid_up_to());
                let line = 1 + valid.map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
                problems.push(format!(
                    "{file}:{line}: the subscribers file is not UTF-8; save it as UTF-8"
                ));
            }
            Ok(None) => problems.push(format!(
                "{file}: there is no such subscribers file; create it or fix `[digest] subscribers`"
            )),
            Err(err) => problems.push(err.to_string()),
        }
    }
    let mut unique: Vec<(Recipient, String)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (recipient, origin) in recipients {
        match seen.entry(recipient.address.to_lowercase()) {
            Entry::Occupied(first) => warnings.push(format!(
                "{origin}: {} is already listed ({}); it gets one message",
                recipient.address,
                unique[*first.get()].1
            )),
            Entry::Vacant(slot) => {
                slot.insert(unique.len());
                unique.push((recipient, origin));
            }
        }
    }
    if problems.is_empty() {
        Ok((unique.into_iter().map(|(r, _)| r).collect(), warnings))
    } else {
        Err(Invalid(problems))
    }
}

fn parse(
    file: &str,
    text: &str,
    known: &[&str],
    out: &mut Vec<(Recipient, String)>,
    problems: &mut Vec<String>,
) {
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        match parse_line(line, known) {
            Ok(Some(recipient)) => out.push((recipient, format!("{file}:{number}"))),
            Ok(None) => {}
            Err(found) => {
                problems.extend(found.into_iter().map(|p| format!("{file}:{number}: {p}")));
            }
        }
    }
}

/// One line of the subscribers file: `None` for a blank line or a `#`
/// comment, else the recipient or every problem with the line.
pub(crate) fn parse_line(line: &str, known: &[&str]) -> Result<Option<Recipient>, Vec<String>> {
    let line = without_comment(line).trim();
    if line.is_empty() {
        return Ok(None);
    }
    let (address, options) = split_options(line);
    let categories = subscription(&options, known)?;
    match Mailbox::from_str(address) {
        Ok(mailbox) if mailbox.email.to_string().is_ascii() => Ok(Some(Recipient {
            categories,
            ..Recipient::new(mailbox)
        })),
        Ok(_) => Err(vec![format!(
            "{address:?} is not an ASCII address; oyez sends without SMTPUTF8"
        )]),
        Err(err) => Err(vec![format!(
            "{address:?} is not a mail address ({err}); fix or remove the line"
        )]),
    }
}

/// `line` up to a `#` that starts it or follows white space: a comment, as
/// after an address (`ada@example.org  # since 2024`; issue 20). A `#`
/// inside an address (`a#b@example.org`) stays.
fn without_comment(line: &str) -> &str {
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        if c == '#' && previous.is_whitespace() {
            return &line[..at];
        }
        previous = c;
    }
    line
}

/// The address part of a line and its trailing `key=value` options (words
/// with `=` but no `@`, `<` or `>`, so `a=b@example.org` stays an address),
/// after a trailing `# comment` is set aside.
pub(crate) fn split_options(line: &str) -> (&str, Vec<&str>) {
    let mut rest = without_comment(line).trim();
    let mut options = Vec::new();
    while let Some((head, last)) = rest.rsplit_once(char::is_whitespace) {
        let is_option = last.contains('=') && !last.contains(['@', '<', '>']);
        if !is_option {
            break;
        }
        options.push(last);
        rest = head.trim_end();
    }
    options.reverse();
    (rest, options)
}

/// The categories the options name, in catalogue order (`None`: all), or
/// every problem with them.
fn subscription(options: &[&str], known: &[&str]) -> Result<Option<Vec<String>>, Vec<String>> {
    let mut problems = Vec::new();
    let mut named: Option<Vec<&str>> = None;
    for option in options {
        let (key, value) = option.split_once('=').unwrap_or((option, ""));
        if key == "consent" {
            if chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() {
                problems.push(format!(
                    "`consent={value}` is not a date; write consent=YYYY-MM-DD"
                ));
            }
        } else if key != "categories" {
            problems.push(format!(
                "unknown option `{key}`; the options are categories=slug,slug and consent=YYYY-MM-DD"
            ));
        } else if named.is_some() {
            problems.push("`categories=` is given twice; list every slug in one".to_owned());
        } else {
            named = Some(value.split(',').map(str::trim).collect());
        }
    }
    let Some(named) = named else {
        return if problems.is_empty() {
            Ok(None)
        } else {
            Err(problems)
        };
    };
    if named.iter().all(|slug| slug.is_empty()) {
        problems.push(
            "`categories=` names no category; write categories=talks,books, or drop it to get all"
                .to_owned(),
        );
    }
    for slug in named.iter().filter(|s| !s.is_empty() && !known.contains(s)) {
        problems.push(format!(
            "unknown category `{slug}`; known: {}",
            known.join(", ")
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let ordered = known.iter().filter(|k| named.contains(k));
    Ok(Some(ordered.map(|&k| k.to_owned()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn config(to: Option<&str>, subscribers: Option<&str>) -> DigestConfig {
        DigestConfig {
            from: "List <list@example.org>".into(),
            to: to.map(Into::into),
            subscribers: subscribers.map(Into::into),
            list_id: None,
            unsubscribe: Vec::new(),
            subject: None,
            subject_at: None,
            ledger: None,
            every: None,
            per_connection: None,
            dkim: None,
        }
    }

    #[test]
    fn subscribers_skip_blanks_and_comments_and_report_bad_lines_with_numbers() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("subs.txt"),
            "# readers\n\na@example.org\nnot an address\nBob <b@example.org>\nA@example.org\n",
        )
        .unwrap();
        let err = read(dir.path(), &config(None, Some("subs.txt")), &[]).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(
            err.0[0].starts_with("subs.txt:4: \"not an address\" is not a mail address"),
            "{:?}",
            err.0
        );
        fs::write(
            dir.path().join("subs.txt"),
            "# readers\n\na@example.org\nBob <b@example.org>\nA@example.org\n",
        )
        .unwrap();
        let (recipients, warnings) =
            read(dir.path(), &config(None, Some("subs.txt")), &[]).unwrap();
        let addresses: Vec<&str> = recipients.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, ["a@example.org", "b@example.org"]);
        assert_eq!(
            warnings,
            ["subs.txt:5: A@example.org is already listed (subs.txt:3); it gets one message"]
        );
    }

    // Issue 20: the documented `address  # comment` was refused.
    #[test]
    fn a_comment_after_an_address_or_its_options_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("subs.txt"),
            "ada@example.org   # everything\nbob@example.org  categories=talks\t# talks only\n\
             c#d@example.org\n  # indented\n",
        )
        .unwrap();
        let (recipients, warnings) =
            read(dir.path(), &config(None, Some("subs.txt")), &["talks"]).unwrap();
        let read: Vec<(&str, Option<Vec<String>>)> = recipients
            .iter()
            .map(|r| (r.address.as_str(), r.categories.clone()))
            .collect();
        assert_eq!(
            read,
            [
                ("ada@example.org", None),
                ("bob@example.org", Some(vec!["talks".to_owned()])),
                ("c#d@example.org", None),
            ]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_list_address_is_one_recipient() {
        let dir = tempfile::tempdir().unwrap();
        let (recipients, _) =
            read(dir.path(), &config(Some("l@lists.example.org"), None), &[]).unwrap();
        assert_eq!(recipients.len(), 1);
        assert_eq!(recipients[0].address, "l@lists.example.org");
    }

    #[test]
    fn categories_follow_the_address_in_catalogue_order() {
        let known = ["talks", "books", "tools"];
        let text = "ada@example.org  categories=tools,talks\nAda Lovelace <b@example.org> categories=books\nc=d@example.org\n";
        let mut out = Vec::new();
        let mut problems = Vec::new();
        parse("s.txt", text, &known, &mut out, &mut problems);
        assert_eq!(problems, Vec::<String>::new());
        let got: Vec<(&str, Option<Vec<String>>)> = out
            .iter()
            .map(|(r, _)| (r.address.as_str(), r.categories.clone()))
            .collect();
        let some = |v: &[&str]| Some(v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            got,
            [
                ("ada@example.org", some(&["talks", "tools"])),
                ("b@example.org", some(&["books"])),
                ("c=d@example.org", None),
            ]
        );
    }
}
