//! The `[digest] subscribers` file, changed line by line: a new line is
//! appended, a removed line is taken out, and every other byte (comments,
//! blank lines, order) stays as it was.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::NaiveDate;
use lettre::message::Mailbox;

use super::SubscribersError;
use crate::digest::recipients::{self, Recipient};
use crate::input::{self, Kind};
use crate::state::suppressed::key;

/// The file's text and where it lives.
#[derive(Debug, Clone)]
pub struct Book {
    /// As `oyez.toml` names it, for messages.
    pub shown: String,
    path: PathBuf,
    text: String,
}

/// One subscriber line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// 1-based.
    pub line: usize,
    pub recipient: Recipient,
    /// The `consent=` date, if the line gives one.
    pub consent: Option<NaiveDate>,
}

impl Book {
    /// The file `name` (relative to the catalogue `root`); empty when it
    /// does not exist yet.
    pub fn open(root: &Path, name: &str) -> Result<Self, SubscribersError> {
        let bytes = input::read(root, Path::new(name), Kind::Subscribers)?;
        let text = match bytes.map(String::from_utf8) {
            None => String::new(),
            Some(Ok(text)) => text,
            Some(Err(_)) => {
                let problem =
                    format!("{name}: the subscribers file is not UTF-8; save it as UTF-8");
                return Err(SubscribersError::Invalid(vec![problem]));
            }
        };
        Ok(Self {
            shown: name.to_owned(),
            path: root.join(name),
            text,
        })
    }

    /// Every subscriber line, or every problem (`file:line: …`).
    pub fn listed(&self, known: &[&str]) -> Result<Vec<Listed>, SubscribersError> {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for (index, line) in self.text.lines().enumerate() {
            match recipients::parse_line(line, known) {
                Ok(Some(recipient)) => out.push(Listed {
                    line: index + 1,
                    recipient,
                    consent: consent(line),
                }),
                Ok(None) => {}
                Err(found) => problems.extend(
                    found
                        .into_iter()
                        .map(|p| format!("{}:{}: {p}", self.shown, index + 1)),
                ),
            }
        }
        match problems.is_empty() {
            true => Ok(out),
            false => Err(SubscribersError::Invalid(problems)),
        }
    }

    /// The numbers of the lines that list `address` (in any case).
    pub fn lines_of(&self, address: &str) -> Vec<usize> {
        let wanted = key(address);
        let lines = self.text.lines().enumerate();
        // Only lines that hold the address (in any case) are parsed.
        let holds = |line: &str| line.to_lowercase().contains(&wanted);
        lines
            .filter(|(_, line)| holds(line))
            .filter(|(_, line)| line_address(line).is_some_and(|a| key(&a) == wanted))
            .map(|(index, _)| index + 1)
            .collect()
    }

    /// Adds `line` at the end (after a line break the file lacked).
    pub fn append(&mut self, line: &str) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// Takes out the lines numbered `lines`, keeping every other byte.
    pub fn remove_lines(&mut self, lines: &[usize]) {
        let kept = self.text.split_inclusive('\n').enumerate();
        let kept = kept.filter(|(index, _)| !lines.contains(&(index + 1)));
        self.text = kept.map(|(_, line)| line).collect();
    }

    /// Replaces line `number` (1-based) with `line`, keeping its line break.
    pub fn replace_line(&mut self, number: usize, line: &str) {
        let lines = self.text.split_inclusive('\n').enumerate();
        let lines = lines.map(|(index, old)| match index + 1 == number {
            true => format!("{line}{}", &old[old.trim_end_matches(['\r', '\n']).len()..]),
            false => old.to_owned(),
        });
        self.text = lines.collect();
    }

    /// Replaces the file durably with the new text.
    pub fn save(&self) -> Result<(), SubscribersError> {
        crate::output::replace(&self.path, self.text.as_bytes()).map_err(|source| {
            SubscribersError::Write {
                path: self.shown.clone(),
                source,
            }
        })
    }
}

/// The bare address a line lists, whatever its options say.
fn line_address(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (address, _) = recipients::split_options(line);
    Mailbox::from_str(address).ok().map(|m| m.email.to_string())
}

/// The `consent=YYYY-MM-DD` of a line.
fn consent(line: &str) -> Option<NaiveDate> {
    let (_, options) = recipients::split_options(line.trim());
    let value = options.iter().find_map(|o| o.strip_prefix("consent="))?;
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// A subscriber line: `Name <address>  categories=a,b  consent=DAY`.
pub fn line_for(
    mailbox: &Mailbox,
    categories: Option<&[String]>,
    consent: Option<NaiveDate>,
) -> String {
    let mut line = mailbox.to_string();
    if let Some(categories) = categories.filter(|c| !c.is_empty()) {
        line.push_str(&format!("  categories={}", categories.join(",")));
    }
    if let Some(day) = consent {
        line.push_str(&format!("  consent={day}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_and_appending_keep_every_other_byte() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# readers\n\nada@example.org  # first\nGrace <Grace@example.org> categories=talks\r\n# end";
        std::fs::write(dir.path().join("s.txt"), text).unwrap();
        let mut book = Book::open(dir.path(), "s.txt").unwrap();
        assert_eq!(book.lines_of("grace@EXAMPLE.org"), [4]);
        book.remove_lines(&[4]);
        book.append("b@example.org");
        book.save().unwrap();
        let back = std::fs::read_to_string(dir.path().join("s.txt")).unwrap();
        assert_eq!(
            back,
            "# readers\n\nada@example.org  # first\n# end\nb@example.org\n"
        );
    }
}
