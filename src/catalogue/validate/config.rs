//! Checks of `oyez.toml`: the site, contributors and feeds here; the
//! categories in [`super::categories`], the digest in [`super::digest`].

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono_tz::Tz;
use toml::Spanned;

use crate::catalogue::load::SourceFile;
use crate::catalogue::location::Diagnostic;
use crate::catalogue::model::{Catalogue, Contributor, ListText, Person, Site};
use crate::catalogue::raw;

use super::categories::categories;
use super::checker::{Checker, is_handle};
use super::digest::digest_config;

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
    let language_at = config.site.language.as_ref().map(Spanned::span);
    let site = site(&mut check, config.site);
    let categories = categories(&mut check, config.category);
    let contributors = contributors(&mut check, config.contributors);
    let feed_limit = feed_limit(&mut check, &config.feeds.limit);
    let hubs = config
        .feeds
        .hub
        .map_or_else(Vec::new, |hub| hubs(&mut check, hub));
    let digest = config
        .digest
        .map(|digest| digest_config(&mut check, digest));
    let list = super::list_text::list_text(&mut check, config.list);
    let cadence = digest.as_ref().and_then(|d| d.as_ref()?.every);
    let period = config.feeds.update_period.as_ref();
    let update_period = super::polling::update_period(&mut check, period, cadence);
    let site = site?;
    let language = (site.language.as_str(), language_at);
    let strings = super::strings::strings(&mut check, language, config.strings);
    (check.errors.len() == before).then(|| Catalogue {
        site,
        categories,
        contributors,
        feed_limit,
        hubs,
        stylesheet: config.feeds.stylesheet.unwrap_or(true),
        update_period,
        every_tag_feed: matches!(config.feeds.tags, Some(raw::TagFeeds::Every(true))),
        tag_feeds: match config.feeds.tags {
            Some(raw::TagFeeds::Listed(mut tags)) => {
                let mut seen = std::collections::HashSet::new();
                tags.retain(|tag| seen.insert(tag.clone()));
                tags
            }
            _ => Vec::new(),
        },
        digest: digest.flatten(),
        entries: Vec::new(),
        updates: Vec::new(),
        list,
        strings,
        language_feeds: Vec::new(),
        digests_sent: false,
    })
}

/// A catalogue to check the entries against when `oyez.toml` has an error,
/// so that the entries' own problems and duplicates are still reported
/// (issue 20). It declares no category, which no valid catalogue does:
/// entries are then not checked for theirs.
pub(crate) fn stand_in() -> Option<Catalogue> {
    Some(Catalogue {
        site: Site {
            title: String::new(),
            base_url: url::Url::parse("https://example.invalid/").ok()?,
            description: None,
            language: "en".into(),
            timezone: Tz::UTC,
            author: None,
            awesome: false,
            icon: None,
            logo: None,
        },
        categories: Vec::new(),
        contributors: BTreeMap::new(),
        feed_limit: 0,
        hubs: Vec::new(),
        stylesheet: false,
        update_period: None,
        every_tag_feed: false,
        tag_feeds: Vec::new(),
        digest: None,
        entries: Vec::new(),
        updates: Vec::new(),
        list: ListText::default(),
        strings: std::sync::Arc::default(),
        language_feeds: Vec::new(),
        digests_sent: false,
    })
}

/// `[contributors]`, by handle; one without a valid name is left out.
fn contributors(
    check: &mut Checker<'_>,
    raw: BTreeMap<Spanned<String>, raw::Contributor>,
) -> BTreeMap<String, Contributor> {
    let mut contributors = BTreeMap::new();
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    for (handle, contributor) in raw {
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
        let aliases = contributor_aliases(check, &contributor, handle.get_ref(), &mut aliases);
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
    contributors
}

/// `[feeds] limit`: a positive number (1 stands in after an error).
fn feed_limit(check: &mut Checker<'_>, limit: &Spanned<i64>) -> usize {
    match usize::try_from(*limit.get_ref()) {
        Ok(limit) if limit > 0 => limit,
        _ => {
            check.error(
                &limit.span(),
                "`limit` must be a positive number".into(),
                "write how many newest items each feed keeps, such as 50",
            );
            1
        }
    }
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
    super::placeholders::base_url(check, &site.base_url);
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
    let image = |check: &mut Checker<'_>, value: &Option<Spanned<String>>, field| {
        let base = base_url.as_ref()?;
        super::extras::site_image(check, value.as_ref()?, field, base)
    };
    let (icon, logo) = (
        image(check, &site.icon, "icon"),
        image(check, &site.logo, "logo"),
    );
    Some(Site {
        title: title?,
        base_url: base_url?,
        description,
        language: language?,
        timezone: timezone?,
        author: author.flatten(),
        awesome: site.awesome,
        icon,
        logo,
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
