//! From `raw` to `model`: every check of FORMAT.md that the TOML parser
//! cannot make. Errors and warnings are collected, never thrown, so one run
//! reports every problem in the catalogue.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono_tz::Tz;
use rayon::slice::ParallelSliceMut;
use toml::Spanned;
use url::Url;

use super::date::{day_in, to_utc};
use super::identity;
use super::limits;
use super::load::{EntriesFile, SourceFile};
use super::location::{Diagnostic, Source};
use super::model::{Catalogue, Category, Contributor, DigestConfig, Entry, Person, Site, Update};
use super::raw;
use super::text;

/// Collects diagnostics for one file.
pub(crate) struct Checker<'a> {
    pub(crate) source: Source<'a>,
    pub(crate) errors: &'a mut Vec<Diagnostic>,
    pub(crate) warnings: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, span: &std::ops::Range<usize>, message: String, help: &str) {
        self.errors
            .push(self.source.diagnostic(span, message, help));
    }

    /// A string that XML, mail and HTML can carry; `line` also forbids line breaks.
    fn text(&mut self, value: &Spanned<String>, field: &str, line: bool) -> Option<String> {
        let text = value.get_ref();
        // Most text has no byte that can start a forbidden character.
        let suspect = |b: &u8| match b {
            b'\t' => false,
            b'\n' | b'\r' => line,
            0x00..=0x1f | 0x7f | 0xc2 | 0xe2 | 0xef => true,
            _ => false,
        };
        if !text.as_bytes().iter().any(suspect) {
            return Some(text.clone());
        }
        let bad = text.chars().find(|&c| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}')
                || (line && matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'))
        });
        if let Some(bad) = bad {
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
            return None;
        }
        Some(text.clone())
    }

    /// Markdown that XML can carry and the sanitiser can render in bounded time.
    fn markdown(&mut self, value: &Spanned<String>, field: &str) -> Option<String> {
        let text = self.text(value, field, false)?;
        if let Err(problem) = limits::check(&text) {
            self.error(
                &value.span(),
                format!("`{field}` {problem}"),
                "shorten it: a few sentences and links, without deep nesting",
            );
            return None;
        }
        Some(text)
    }

    /// A one-line string that is not blank.
    fn required_line(&mut self, value: &Spanned<String>, field: &str) -> Option<String> {
        let text = self.text(value, field, true)?;
        if text.trim().is_empty() {
            self.error(
                &value.span(),
                format!("`{field}` is empty"),
                "write some text",
            );
            return None;
        }
        Some(text.trim().to_owned())
    }

    fn lines(&mut self, values: &[Spanned<String>], field: &str) -> Vec<String> {
        values
            .iter()
            .filter_map(|value| self.required_line(value, field))
            .collect()
    }

    /// An absolute http(s) URL, written without spaces.
    fn web_url(&mut self, value: &Spanned<String>, field: &str) -> Option<Url> {
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

    fn date(
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

    fn language(&mut self, value: &Spanned<String>, field: &str) -> Option<String> {
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

pub fn is_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 64
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Checks `oyez.toml`; returns the catalogue without entries.
pub(crate) fn config(
    file: &SourceFile,
    config: raw::Config,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Catalogue> {
    let mut check = Checker {
        source: file.source(),
        errors,
        warnings,
    };
    let before = check.errors.len();
    let site = site(&mut check, config.site);
    let categories = categories(&mut check, config.category);
    let mut contributors = BTreeMap::new();
    for (handle, contributor) in config.contributors {
        if !is_handle(handle.get_ref()) {
            check.error(
                &handle.span(),
                format!("invalid contributor handle {:?}", handle.get_ref()),
                "use the handle without `@` (letters, digits, `-`, `_`, `.`)",
            );
        }
        let name = check.required_line(&contributor.name, "name");
        let uri = contributor
            .uri
            .as_ref()
            .and_then(|uri| check.web_url(uri, "uri"));
        if let Some(name) = name {
            contributors.insert(
                handle.into_inner(),
                Contributor {
                    name,
                    uri: uri.map(String::from),
                },
            );
        }
    }
    let feed_limit = match usize::try_from(*config.feeds.limit.get_ref()) {
        Ok(limit) if limit > 0 => limit,
        _ => {
            check.error(
                &config.feeds.limit.span(),
                "`limit` must be a positive number".into(),
                "write how many newest items each feed keeps, such as 50",
            );
            1
        }
    };
    let digest = config
        .digest
        .map(|digest| digest_config(&mut check, digest));
    let site = site?;
    (check.errors.len() == before).then(|| Catalogue {
        site,
        categories,
        contributors,
        feed_limit,
        digest: digest.flatten(),
        entries: Vec::new(),
        updates: Vec::new(),
    })
}

fn site(check: &mut Checker<'_>, site: raw::Site) -> Option<Site> {
    let title = check.required_line(&site.title, "title");
    let mut base_url = check.web_url(&site.base_url, "base_url");
    if let Some(url) = &mut base_url {
        if url.query().is_some() || url.fragment().is_some() {
            check.error(
                &site.base_url.span(),
                "`base_url` has a query or fragment".into(),
                "give the folder URL the site is served from",
            );
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
    }
    let description = site
        .description
        .as_ref()
        .and_then(|d| check.required_line(d, "description"));
    let language = match &site.language {
        Some(language) => check.language(language, "language"),
        None => Some("en".to_owned()),
    };
    let timezone = match &site.timezone {
        None => Some(Tz::UTC),
        Some(zone) => Tz::from_str(zone.get_ref())
            .map_err(|_| {
                check.error(
                    &zone.span(),
                    format!("unknown time zone {:?}", zone.get_ref()),
                    "use an IANA name such as Europe/Madrid or UTC",
                )
            })
            .ok(),
    };
    let author = site.author.map(|author| person(check, author.into_inner()));
    Some(Site {
        title: title?,
        base_url: base_url?,
        description,
        language: language?,
        timezone: timezone?,
        author: author.flatten(),
    })
}

fn person(check: &mut Checker<'_>, person: raw::Person) -> Option<Person> {
    let name = check.required_line(&person.name, "name");
    let email = person.email.as_ref().and_then(|email| {
        let text = check.required_line(email, "email")?;
        if lettre::Address::from_str(&text).is_err() {
            check.error(
                &email.span(),
                format!("`email` is not an address: {text:?}"),
                "write an address such as jane@example.org",
            );
            return None;
        }
        Some(text)
    });
    let uri = person
        .uri
        .as_ref()
        .and_then(|uri| check.web_url(uri, "uri"));
    Some(Person {
        name: name?,
        email,
        uri: uri.map(String::from),
    })
}

fn categories(check: &mut Checker<'_>, raw: Vec<raw::Category>) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::with_capacity(raw.len());
    for category in raw {
        let slug = category.slug.get_ref();
        if slug.is_empty()
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            check.error(
                &category.slug.span(),
                format!("invalid category slug {slug:?}"),
                "use lowercase letters, digits and `-`, such as `presentations`",
            );
            continue;
        }
        if categories.iter().any(|known| &known.slug == slug) {
            check.error(
                &category.slug.span(),
                format!("duplicate category `{slug}`"),
                "give each category its own slug",
            );
            continue;
        }
        let title = check.required_line(&category.title, "title");
        let description = category
            .description
            .as_ref()
            .and_then(|d| check.required_line(d, "description"));
        if let Some(title) = title {
            categories.push(Category {
                slug: slug.clone(),
                title,
                description,
            });
        }
    }
    if categories.is_empty() && check.errors.is_empty() {
        check.errors.push(Diagnostic {
            location: Some(check.source.location(&(0..0))),
            message: "no `[[category]]` is declared".into(),
            help: "declare at least one with a slug and a title".into(),
        });
    }
    categories
}

fn digest_config(check: &mut Checker<'_>, digest: Spanned<raw::Digest>) -> Option<DigestConfig> {
    let span = digest.span();
    let digest = digest.into_inner();
    let mailbox = |check: &mut Checker<'_>, value: &Spanned<String>, field: &str| {
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
    };
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
    let mut unsubscribe = Vec::new();
    if let Some(targets) = digest.unsubscribe {
        let span = targets.span();
        for target in targets.into_inner().into_vec() {
            let parsed = Url::parse(&target)
                .ok()
                .filter(|u| matches!(u.scheme(), "mailto" | "https"));
            match parsed {
                Some(url) if !target.chars().any(char::is_whitespace) => {
                    unsubscribe.push(url.to_string())
                }
                _ => check.error(
                    &span,
                    format!("`unsubscribe` target {target:?} is not a mailto: or https: URL"),
                    "write mailto:leave@example.org or https://example.org/unsubscribe",
                ),
            }
        }
    }
    let subject = digest
        .subject
        .as_ref()
        .and_then(|s| check.required_line(s, "subject"));
    let ledger = digest
        .ledger
        .as_ref()
        .and_then(|l| check.required_line(l, "ledger"));
    Some(DigestConfig {
        from: from?,
        to,
        subscribers,
        list_id,
        unsubscribe,
        subject,
        ledger,
    })
}

/// An entry as checked, before cross-file checks; `url_span` points at its URL.
pub(crate) struct Checked {
    pub(crate) entry: Entry,
    pub(crate) id_given: bool,
    pub(crate) location: super::location::Location,
}

/// Checks one entries file against the catalogue's configuration.
pub(crate) fn entries_file(
    catalogue: &Catalogue,
    file: &SourceFile,
    parsed: EntriesFile,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Checked>, Vec<(Update, super::location::Location)>) {
    let mut check = Checker {
        source: file.source(),
        errors,
        warnings,
    };
    let default_category = parsed
        .category
        .as_ref()
        .and_then(|slug| category_index(&mut check, catalogue, slug));
    let entries = parsed
        .entries
        .into_iter()
        .filter_map(|raw| {
            // An unknown file-level category is reported once, not per entry.
            let default = default_category.ok_or(parsed.category.is_some());
            entry(&mut check, catalogue, raw, default)
        })
        .collect();
    let updates = parsed
        .updates
        .into_iter()
        .filter_map(|raw| update(&mut check, catalogue, raw))
        .collect();
    (entries, updates)
}

fn category_index(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    slug: &Spanned<String>,
) -> Option<usize> {
    let found = catalogue
        .categories
        .iter()
        .position(|c| &c.slug == slug.get_ref());
    if found.is_none() {
        let known: Vec<&str> = catalogue
            .categories
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        check.error(
            &slug.span(),
            format!(
                "unknown category `{}`; known: {}",
                slug.get_ref(),
                known.join(", ")
            ),
            "add it to oyez.toml or fix the entry",
        );
    }
    found
}

fn entry(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    raw: raw::Entry,
    default_category: Result<usize, bool>,
) -> Option<Checked> {
    let before = check.errors.len();
    let zone = catalogue.site.timezone;
    let title = check.required_line(&raw.title, "title");
    let url = raw.url.as_ref().and_then(|url| check.web_url(url, "url"));
    let added = check.date(&raw.added, "added", zone);
    let updated = raw
        .updated
        .as_ref()
        .and_then(|u| check.date(u, "updated", zone));
    if let (Some(added), Some(updated), Some(span)) = (added, updated, raw.updated.as_ref())
        && updated < added
    {
        check.error(
            &span.span(),
            "`updated` is before `added`".into(),
            "give the date of the entry's last meaningful revision, on or after `added`",
        );
    }
    let by = check.handles(&raw.by);
    warn_unknown_handles(check, catalogue, &raw.by);
    let authors = check.lines(&raw.authors, "authors");
    let tags = check.lines(&raw.tags, "tags");
    let language = raw
        .language
        .as_ref()
        .and_then(|l| check.language(l, "language"));
    let summary = raw
        .summary
        .as_ref()
        .and_then(|s| check.markdown(s, "summary"));
    let category = match &raw.category {
        Some(slug) => category_index(check, catalogue, slug),
        None => match default_category {
            Ok(index) => Some(index),
            Err(file_category_given) => {
                if !file_category_given {
                    check.error(
                        &raw.title.span(),
                        "this entry has no category".into(),
                        "add `category = \"slug\"` to the entry or at the top of the file",
                    );
                }
                None
            }
        },
    };
    let explicit_id = raw.id.as_ref().and_then(|id| {
        if identity::is_valid_id(id.get_ref()) {
            Some(id.get_ref().clone())
        } else {
            check.error(
                &id.span(),
                format!("invalid id {:?}", id.get_ref()),
                "use letters, digits, `-`, `_` and `.`, starting with a letter or digit",
            );
            None
        }
    });
    if check.errors.len() > before {
        return None;
    }
    let (title, added, category) = (title?, added?, category?);
    let id_given = explicit_id.is_some();
    let id = explicit_id.unwrap_or_else(|| match &url {
        Some(url) => identity::from_url(url.as_str()),
        None => identity::from_title(&title),
    });
    if !id_given && url.is_none() {
        check.warnings.push(check.source.diagnostic(&raw.title.span(), format!("entry {title:?} has neither `id` nor `url`, so editing its title changes its identity"), format!("add `id = \"{}\"`", identity::slug(&title))));
    }
    let summary = summary
        .filter(|s| !s.trim().is_empty())
        .map(|s| text::render(&s, &catalogue.site.base_url));
    let entry = Entry {
        id,
        title,
        url,
        added,
        added_day: day_in(added, zone),
        updated,
        by,
        authors,
        language,
        tags,
        summary,
        category,
        position: 0,
    };
    Some(Checked {
        entry,
        id_given,
        location: check.source.location(&raw.title.span()),
    })
}

fn warn_unknown_handles(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    values: &[Spanned<String>],
) {
    for value in values {
        let handle = value.get_ref().strip_prefix('@').unwrap_or(value.get_ref());
        if is_handle(handle) && !catalogue.contributors.contains_key(handle) {
            check.warnings.push(check.source.diagnostic(&value.span(), format!("unknown contributor `@{handle}`"), format!("credited as written; add [contributors.{handle}] to oyez.toml to give a name and link")));
        }
    }
}

fn update(
    check: &mut Checker<'_>,
    catalogue: &Catalogue,
    raw: raw::Update,
) -> Option<(Update, super::location::Location)> {
    let zone = catalogue.site.timezone;
    let date = check.date(&raw.date, "date", zone);
    let note = check.markdown(&raw.note, "note");
    let by = check.handles(&raw.by);
    warn_unknown_handles(check, catalogue, &raw.by);
    let (date, note) = (date?, note?);
    let update = Update {
        id: String::new(),
        date,
        day: day_in(date, zone),
        note: text::render(&note, &catalogue.site.base_url),
        by,
        announces: Vec::new(),
    };
    Some((update, check.source.location(&raw.date.span())))
}

/// Cross-file checks: duplicate ids and URLs. Returns the entries, sorted.
pub(crate) fn unique_entries(checked: Vec<Checked>, errors: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let keep = first_of_each(&checked, errors);
    let mut entries: Vec<Entry> = checked
        .into_iter()
        .zip(keep)
        .enumerate()
        .filter(|(_, (_, keep))| *keep)
        .map(|(position, (checked, _))| Entry {
            position,
            ..checked.entry
        })
        .collect();
    // Ids are unique, so the order is total and the parallel sort deterministic.
    entries.par_sort_unstable_by(|a, b| b.added.cmp(&a.added).then_with(|| a.id.cmp(&b.id)));
    entries
}

/// Which entries to keep: each URL and each id the first time it is seen,
/// in file order; every later one is reported where it is.
fn first_of_each(checked: &[Checked], errors: &mut Vec<Diagnostic>) -> Vec<bool> {
    let mut ids: HashMap<&str, &Checked> = HashMap::with_capacity(checked.len());
    let mut urls: HashMap<&str, &Checked> = HashMap::with_capacity(checked.len());
    let mut keep = vec![false; checked.len()];
    for (index, this) in checked.iter().enumerate() {
        let entry = &this.entry;
        // The URL first: a derived id repeats because the URL does, and
        // "already listed" says what to fix.
        if let Some(url) = &entry.url
            && let Some(first) = urls.get(url.as_str())
        {
            errors.push(Diagnostic {
                location: Some(this.location.clone()),
                message: format!("the URL {url} is already listed at {}", first.location),
                help: "list each resource once (remove or merge the duplicate)".into(),
            });
            continue;
        }
        if let Some(first) = ids.get(entry.id.as_str()) {
            let message = if this.id_given {
                format!(
                    "duplicate id `{}`, first used at {}",
                    entry.id, first.location
                )
            } else {
                format!(
                    "this entry's derived id `{}` is already used at {}",
                    entry.id, first.location
                )
            };
            errors.push(Diagnostic {
                location: Some(this.location.clone()),
                message,
                help: "give each entry its own `id` (or remove the duplicate)".into(),
            });
            continue;
        }
        if let Some(url) = &entry.url {
            urls.insert(url.as_str(), this);
        }
        ids.insert(entry.id.as_str(), this);
        if let Some(slot) = keep.get_mut(index) {
            *slot = true;
        }
    }
    keep
}

/// Names updates (`update-DAY`, `-2` for a second one that day, in file
/// order), sorts them newest first and works out what each announces.
pub(crate) fn order_updates(mut updates: Vec<Update>, entries: &[Entry]) -> Vec<Update> {
    let mut seen: HashMap<chrono::NaiveDate, usize> = HashMap::new();
    for update in &mut updates {
        let count = seen.entry(update.day).or_insert(0);
        *count += 1;
        update.id = match *count {
            1 => format!("update-{}", update.day),
            n => format!("update-{}-{n}", update.day),
        };
    }
    updates.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let days: Vec<chrono::NaiveDate> = updates.iter().map(|u| u.day).collect();
    for (index, update) in updates.iter_mut().enumerate() {
        let previous = days[index + 1..]
            .iter()
            .find(|&&day| day < update.day)
            .copied();
        update.announces = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.added_day <= update.day && previous.is_none_or(|p| e.added_day > p))
            .map(|(i, _)| i)
            .collect();
    }
    updates
}
