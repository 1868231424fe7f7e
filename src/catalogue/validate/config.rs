//! Checks of `oyez.toml`: the site, categories, contributors, feeds and digest.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono_tz::Tz;
use toml::Spanned;
use url::Url;

use crate::catalogue::load::SourceFile;
use crate::catalogue::location::Diagnostic;
use crate::catalogue::model::{
    Catalogue, Category, Contributor, DigestConfig, Every, Person, Site,
};
use crate::catalogue::raw;

use super::checker::{Checker, is_handle};

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
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
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
        let aliases = contributor_aliases(&mut check, &contributor, handle.get_ref(), &mut aliases);
        if let Some(name) = name {
            contributors.insert(
                handle.into_inner(),
                Contributor {
                    name,
                    uri: uri.map(String::from),
                    aliases,
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
    let hubs = config
        .feeds
        .hub
        .map_or_else(Vec::new, |hub| hubs(&mut check, hub));
    let digest = config
        .digest
        .map(|digest| digest_config(&mut check, digest));
    let site = site?;
    (check.errors.len() == before).then(|| Catalogue {
        site,
        categories,
        contributors,
        feed_limit,
        hubs,
        stylesheet: config.feeds.stylesheet.unwrap_or(true),
        digest: digest.flatten(),
        entries: Vec::new(),
        updates: Vec::new(),
    })
}

/// A contributor's `aliases`: each a one-line name or address, and none
/// claimed by two contributors (`seen`: alias in lower case → handle).
fn contributor_aliases(
    check: &mut Checker<'_>,
    contributor: &raw::Contributor,
    handle: &str,
    seen: &mut BTreeMap<String, String>,
) -> Vec<String> {
    let mut aliases = Vec::new();
    for alias in &contributor.aliases {
        let Some(text) = check.required_line(alias, "aliases") else {
            continue;
        };
        let text = text.trim().to_owned();
        match seen.insert(text.to_lowercase(), handle.to_owned()) {
            Some(other) if other != handle => check.error(
                &alias.span(),
                format!("alias {text:?} is given to both `{other}` and `{handle}`"),
                "keep it under the one contributor it names",
            ),
            _ => aliases.push(text),
        }
    }
    aliases
}

/// `[feeds] hub`: each an absolute http(s) URL, reported at the value.
fn hubs(check: &mut Checker<'_>, hub: Spanned<raw::OneOrMany>) -> Vec<String> {
    let span = hub.span();
    let urls = hub.into_inner().into_vec();
    urls.into_iter()
        .filter_map(|url| check.web_url(&Spanned::new(span.clone(), url), "hub"))
        .map(String::from)
        .collect()
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
    let all: Vec<&str> = raw.iter().map(|c| c.slug.get_ref().as_str()).collect();
    for category in &raw {
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
        let parent = category
            .parent
            .as_ref()
            .and_then(|parent| parent_index(check, &categories, &all, slug, parent));
        if let Some(title) = title {
            categories.push(Category {
                slug: slug.clone(),
                title,
                description,
                parent,
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

/// The index of a category's `parent`, which must be declared above it
/// (`all` lists every declared slug, for the message when it is not).
fn parent_index(
    check: &mut Checker<'_>,
    earlier: &[Category],
    all: &[&str],
    child: &str,
    parent: &Spanned<String>,
) -> Option<usize> {
    let slug = parent.get_ref();
    let found = earlier.iter().position(|known| &known.slug == slug);
    if found.is_some() {
        return found;
    }
    let (message, help) = if slug == child {
        (
            format!("category `{child}` is its own parent"),
            "name another category, or remove `parent`".to_owned(),
        )
    } else if all.contains(&slug.as_str()) {
        (
            format!("parent category `{slug}` is declared below `{child}`"),
            format!("move category `{slug}` above `{child}` in oyez.toml: a parent comes first"),
        )
    } else {
        (
            format!(
                "unknown parent category `{slug}`; known: {}",
                all.join(", ")
            ),
            "name the slug of a category declared above this one".to_owned(),
        )
    };
    check.error(&parent.span(), message, &help);
    None
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
            // `{{ address }}` and `{{ token }}` are filled per recipient.
            let sample = crate::digest::unsubscribe::sample(&target);
            let parsed = Url::parse(&sample)
                .ok()
                .filter(|u| matches!(u.scheme(), "mailto" | "https"));
            match parsed {
                Some(url) if !sample.chars().any(char::is_whitespace) => {
                    if crate::digest::unsubscribe::is_template(&target) {
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
    }
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
    })
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
