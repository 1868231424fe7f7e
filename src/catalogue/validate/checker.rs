//! The `Checker`: one file's source and the diagnostics found in it, with
//! the checks every field shares (text, Markdown, URLs, dates, languages,
//! handles).

use std::collections::BTreeMap;

use chrono_tz::Tz;
use toml::Spanned;
use url::Url;

use crate::byte_set::ByteSet;
use crate::catalogue::date::to_utc;
use crate::catalogue::link;
use crate::catalogue::location::{Diagnostic, Source};
use crate::catalogue::model::{Contributor, Text};
use crate::catalogue::text;

/// Collects diagnostics for one file.
pub(crate) struct Checker<'a> {
    pub(crate) source: Source<'a>,
    pub(crate) errors: &'a mut Vec<Diagnostic>,
    pub(crate) warnings: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn error(&mut self, span: &std::ops::Range<usize>, message: String, help: &str) {
        self.errors
            .push(self.source.diagnostic(span, message, help));
    }

    /// A string that XML, mail and HTML can carry; `line` also forbids line breaks.
    pub(super) fn text(
        &mut self,
        value: &Spanned<String>,
        field: &str,
        line: bool,
    ) -> Option<String> {
        self.carried(value, field, line).map(str::to_owned)
    }

    /// [`Self::text`], borrowed.
    fn carried<'v>(
        &mut self,
        value: &'v Spanned<String>,
        field: &str,
        line: bool,
    ) -> Option<&'v str> {
        let text = value.get_ref();
        let Some(bad) = forbidden(text, line) else {
            return Some(text);
        };
        let what = if matches!(bad, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            "a line break"
        } else {
            "a control character"
        };
        self.error(
            &value.span(),
            format!("`{field}` contains {what} (U+{:04X})", u32::from(bad)),
            "remove it; feeds and mail cannot carry it",
        );
        None
    }

    /// Markdown that XML can carry and the sanitiser can render in bounded
    /// time ([`limits`]), rendered; blank Markdown is `Some(None)`.
    pub(super) fn markdown(
        &mut self,
        value: Spanned<String>,
        field: &str,
        base: &Url,
    ) -> Option<Option<Text>> {
        let blank = self.carried(&value, field, false)?.trim().is_empty();
        if blank {
            return Some(None);
        }
        let span = value.span();
        match text::render_checked(value.into_inner(), base) {
            Ok(rendered) => Some(Some(rendered)),
            Err(problem) => {
                self.error(
                    &span,
                    format!("`{field}` {problem}"),
                    "shorten it: a few sentences and links, without deep nesting",
                );
                None
            }
        }
    }

    /// A one-line string that is not blank.
    pub(super) fn required_line(&mut self, value: &Spanned<String>, field: &str) -> Option<String> {
        self.trimmed_line(value, field).map(str::to_owned)
    }

    /// [`Self::required_line`], borrowed.
    fn trimmed_line<'v>(&mut self, value: &'v Spanned<String>, field: &str) -> Option<&'v str> {
        let text = self.carried(value, field, true)?.trim();
        if text.is_empty() {
            self.error(
                &value.span(),
                format!("`{field}` is empty"),
                "write some text",
            );
            return None;
        }
        Some(text)
    }

    /// Each of `values` as a [`Self::required_line`], taken out of it when
    /// it needs no trimming (the usual case) rather than copied.
    pub(super) fn take_lines(
        &mut self,
        values: &mut [Spanned<String>],
        field: &str,
    ) -> Vec<String> {
        // Sized exactly (`collect` would start at four): kept per entry.
        let mut lines = Vec::with_capacity(values.len());
        for value in values {
            let Some(trimmed) = self.trimmed_line(value, field).map(str::len) else {
                continue;
            };
            let text = value.get_mut();
            lines.push(match trimmed == text.len() {
                true => std::mem::take(text),
                false => text.trim().to_owned(),
            });
        }
        lines
    }

    /// An absolute http(s) URL ([`Self::web_url`]) in the form an entry
    /// keeps (`link::as_written`); most need no parse.
    pub(super) fn web_link(&mut self, value: &Spanned<String>, field: &str) -> Option<String> {
        let text = value.get_ref();
        if link::kept_as_written(text) {
            return Some(text.clone());
        }
        let parsed = self.web_url(value, field)?;
        Some(link::as_written(parsed.into(), text))
    }

    /// An absolute http(s) URL, written without spaces.
    pub(super) fn web_url(&mut self, value: &Spanned<String>, field: &str) -> Option<Url> {
        let text = value.get_ref();
        let help = "write an absolute http:// or https:// URL such as https://example.org/page";
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.error(
                &value.span(),
                format!("`{field}` contains whitespace"),
                help,
            );
            return None;
        }
        match Url::parse(text) {
            Ok(url) if has_credentials(&url) => {
                self.error(&value.span(), credentials_in(field), CREDENTIALS_HELP);
                None
            }
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                Some(url)
            }
            Ok(url) => {
                let scheme = url.scheme().to_owned();
                self.error(
                    &value.span(),
                    format!("`{field}` has scheme `{scheme}:`"),
                    help,
                );
                None
            }
            Err(err) => {
                self.error(
                    &value.span(),
                    format!("`{field}` is not an absolute URL ({err})"),
                    help,
                );
                None
            }
        }
    }

    pub(super) fn date(
        &mut self,
        value: &Spanned<toml::value::Datetime>,
        field: &str,
        zone: Tz,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        to_utc(value.get_ref(), zone)
            .map_err(|err| {
                let (what, help) = err.explain();
                self.error(&value.span(), format!("`{field}` is {what}"), help);
            })
            .ok()
    }

    pub(super) fn language(&mut self, value: &Spanned<String>, field: &str) -> Option<String> {
        let text = value.get_ref();
        let mut parts = text.split('-');
        let primary = parts.next().unwrap_or_default();
        let valid = (2..=8).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && parts.all(|p| {
                (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if !valid {
            self.error(
                &value.span(),
                format!("`{field}` is not a language tag: {text:?}"),
                "use a BCP 47 tag such as en, es or pt-BR",
            );
            return None;
        }
        Some(text.clone())
    }

    /// `by`: [`Checker::handles`], and a warning for each handle that
    /// `contributors` does not know (it is credited as written).
    pub(super) fn by(
        &mut self,
        values: &[Spanned<String>],
        contributors: &BTreeMap<String, Contributor>,
    ) -> Vec<String> {
        let handles = self.handles(values);
        for value in values {
            let handle = value.get_ref().strip_prefix('@').unwrap_or(value.get_ref());
            if is_handle(handle) && !contributors.contains_key(handle) {
                self.warnings.push(self.source.diagnostic(
                    &value.span(),
                    format!("unknown contributor `@{handle}`"),
                    format!(
                        "credited as written; add [contributors.{handle}] to oyez.toml to give a name and link"
                    ),
                ));
            }
        }
        handles
    }

    /// Handles as written (`@alice` or `alice`), returned without `@`.
    fn handles(&mut self, values: &[Spanned<String>]) -> Vec<String> {
        let mut handles = Vec::with_capacity(values.len());
        for value in values {
            let handle = value.get_ref().strip_prefix('@').unwrap_or(value.get_ref());
            if is_handle(handle) {
                handles.push(handle.to_owned());
            } else {
                self.error(
                    &value.span(),
                    format!("`by` has an invalid handle {:?}", value.get_ref()),
                    "write a handle such as @alice (letters, digits, `-`, `_`, `.`)",
                );
            }
        }
        handles
    }
}

/// The first character of `text` that XML, mail and HTML cannot carry (a
/// control but tab and line breaks, U+FFFE, U+FFFF) or, in a `line`, a
/// line break. Each starts with a [`SUSPECT`] byte; most text has none,
/// and of the rest (C2, E2 and EF lead many common characters) only those
/// characters are decoded.
fn forbidden(text: &str, line: bool) -> Option<char> {
    let suspect = if line { &SUSPECT_IN_LINE } else { &SUSPECT };
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = suspect.find(bytes.get(from..)?) {
        let at = from + offset;
        let c = text.get(at..)?.chars().next()?;
        let bad = (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{fffe}' | '\u{ffff}')
            || (line && matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'));
        if bad {
            return Some(c);
        }
        from = at + c.len_utf8();
    }
    None
}

/// Bytes that may start a character [`Checker::text`] refuses: controls
/// but tab and line breaks, and the lead bytes of U+0080–U+009F (C2),
/// U+2028/U+2029 (E2) and U+FFFE/U+FFFF (EF).
const SUSPECT: ByteSet = ByteSet::ascii_controls_but(b"\t\n\r").with(SUSPECT_LEADS);
/// The same, for one-line text: line breaks too.
const SUSPECT_IN_LINE: ByteSet = ByteSet::ascii_controls_but(b"\t").with(SUSPECT_LEADS);
const SUSPECT_LEADS: &[u8] = b"\xc2\xe2\xef";

pub fn is_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 64
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether `url` carries a user name or password (`https://user:pass@host/`):
/// it would be copied into every feed, page and mail (issue 20).
pub(super) fn has_credentials(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// The message for a URL with credentials; it never repeats them.
pub(super) fn credentials_in(field: &str) -> String {
    format!("`{field}` holds a user name or password (`user:password@`), which would be published")
}

pub(super) const CREDENTIALS_HELP: &str =
    "remove them from the URL (and change the password if it was ever published)";

#[cfg(test)]
mod tests {
    use std::fs;

    use super::forbidden;

    #[test]
    fn authors_and_tags_are_trimmed_whether_taken_or_copied() {
        let dir = tempfile::tempdir().unwrap();
        let config = "[site]\ntitle = \"T\"\nbase_url = \"https://e.org/\"\n\n\
            [[category]]\nslug = \"a\"\ntitle = \"A\"\n";
        fs::write(dir.path().join("oyez.toml"), config).unwrap();
        fs::create_dir(dir.path().join("entries")).unwrap();
        let entries = "category = \"a\"\n\n[[entry]]\ntitle = \"E\"\nadded = 2020-01-01\n\
            authors = [\" Ada \", \"Bob\"]\ntags = [\"x\", \"y \"]\n";
        fs::write(dir.path().join("entries/a.toml"), entries).unwrap();
        let loaded = crate::catalogue::load(dir.path()).unwrap();
        let entry = &loaded.catalogue.entries[0];
        assert_eq!(entry.authors, ["Ada", "Bob"]);
        assert_eq!(entry.tags, ["x", "y"]);
    }

    /// The first refused character, wherever it stands, past common
    /// characters that share its first byte.
    #[test]
    fn forbidden_finds_the_first_refused_character() {
        let common = "caf\u{e9} \u{ab}q\u{bb} \u{2014} \u{201c}x\u{201d} \u{a0}\u{feff}\u{fffd}\t";
        assert_eq!(forbidden(common, true), None);
        for bad in [
            '\u{1}', '\u{7f}', '\u{85}', '\u{9f}', '\u{fffe}', '\u{ffff}',
        ] {
            let text = format!("{common}{bad}{common}\u{2}");
            assert_eq!(forbidden(&text, false), Some(bad), "{bad:?}");
        }
        for line_break in ['\n', '\r', '\u{2028}', '\u{2029}'] {
            let text = format!("{common}{line_break}x");
            assert_eq!(forbidden(&text, true), Some(line_break));
            assert_eq!(forbidden(&text, false), None);
        }
    }
}
