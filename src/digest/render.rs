//! A digest as mail: the subject (a template string), the text and HTML
//! bodies (the `digest.txt` and `digest.html` templates, overridable), and
//! one lettre [`Message`] per recipient with deterministic headers: `Date`
//! is the window's end, the Message-ID and the MIME boundary derive from
//! the digest's id. Catalogue text reaches headers only through lettre's
//! encoders, after line breaks and control characters are removed.

use std::str::FromStr;
use std::time::SystemTime;

use lettre::Message;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::DigestError;
use super::plan::{Plan, Thanks};
use super::recipients::Recipient;
use super::unsubscribe::Targets;
use crate::catalogue::Location;
use crate::catalogue::identity::fnv1a;
use crate::catalogue::{Catalogue, DigestConfig};
use crate::site::view::{self, EntryRef, FeedLink, FollowLink, Section, SiteView, UpdateRef};
use crate::strings;
use crate::template::{TemplateError, Templates};

pub const HTML: &str = "digest.html";
pub const TEXT: &str = "digest.txt";

/// The subject when `[digest] subject` is not set.
pub const DEFAULT_SUBJECT: &str = "{{ site.title }}: {% if count or not digest.updates %}\
     {{ strings.count('new_resources', count) }}{% else %}\
     {{ strings.count('updates_count', digest.updates) }}{% endif %}";

/// What every copy of a digest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
struct DigestView {
    id: String,
    /// Days in the site's time zone, for readers.
    start: String,
    end: String,
    count: usize,
    updates: usize,
    /// The days of the oldest and newest item it carries (site's time zone):
    /// what the mail says it holds, rather than the window (issue 11).
    first: String,
    last: String,
    /// The digest's page in the published archive.
    url: String,
}

#[derive(Serialize)]
pub(super) struct Context<'a> {
    site: SiteView,
    digest: DigestView,
    count: usize,
    sections: Vec<Section<'a, EntryRef<'a>>>,
    updates: Vec<UpdateRef<'a>>,
    /// Every credited contributor (templates may mark `first_time`).
    thanks: &'a [Thanks],
    /// Those not already thanked by name in a carried update-log note.
    thank_you: Vec<&'a Thanks>,
    /// First-time contributors, named once in a welcome line.
    welcome: Vec<&'a Thanks>,
    feeds: Vec<FeedLink>,
    /// The site's feed in each format, named by format.
    site_feeds: Vec<FollowLink>,
    /// The feed of the archive of sent digests.
    digests_feed: FeedLink,
    unsubscribe: &'a [String],
    /// True on the digest's archive page (`feed::map::digest_page`), false in mail.
    archive: bool,
    /// True for the body alone (the Atom entry of the archive feed).
    fragment: bool,
    /// The words around the catalogue, in its language (issue 23 §5).
    strings: minijinja::Value,
}

/// Renders subject and bodies of digest `id`, as mailed, with `unsubscribe`
/// as the targets the bodies show.
pub fn content(
    catalogue: &Catalogue,
    templates: &Templates,
    plan: &Plan<'_>,
    id: &str,
    unsubscribe: &[String],
) -> Result<Content, DigestError> {
    let mut context = context(catalogue, plan, id, false, false);
    context.unsubscribe = unsubscribe;
    context.strings = strings::value(&catalogue.strings, false);
    let config = catalogue.digest.as_ref();
    let source = config
        .and_then(|c| c.subject.as_deref())
        .unwrap_or(DEFAULT_SUBJECT);
    let written_at = config.and_then(|c| c.subject_at.as_ref());
    let subject = subject(source, written_at, &context)?;
    let text = templates.render(TEXT, &context)?;
    context.strings = strings::value(&catalogue.strings, true);
    let html = templates.render(HTML, &context)?;
    Ok(Content {
        subject,
        text,
        html,
    })
}

/// The digest's page in the public archive, or (`fragment`) its body only.
pub fn page(
    catalogue: &Catalogue,
    templates: &Templates,
    plan: &Plan<'_>,
    id: &str,
    fragment: bool,
) -> Result<String, TemplateError> {
    templates.render(HTML, context(catalogue, plan, id, true, fragment))
}

pub(super) fn context<'a>(
    catalogue: &'a Catalogue,
    plan: &'a Plan<'_>,
    id: &str,
    archive: bool,
    fragment: bool,
) -> Context<'a> {
    let zone = catalogue.site.timezone;
    let day = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&zone).date_naive().to_string();
    let dates = plan.entries.iter().map(|e| e.added);
    let dates: Vec<_> = dates.chain(plan.updates.iter().map(|u| u.date)).collect();
    let (first, last) = match (dates.iter().min(), dates.iter().max()) {
        (Some(first), Some(last)) => (day(*first), day(*last)),
        _ => (day(plan.window.start), day(plan.window.end)),
    };
    let digest = DigestView {
        id: id.to_owned(),
        start: day(plan.window.start),
        end: day(plan.window.end),
        count: plan.entries.len(),
        updates: plan.updates.len(),
        first,
        last,
        url: catalogue.site_url(&crate::feed::map::digest_page(id)),
    };
    Context {
        site: SiteView::new(catalogue),
        count: digest.count,
        digest,
        sections: view::sections(catalogue, plan.entries.iter().copied(), false),
        updates: plan
            .updates
            .iter()
            .map(|u| UpdateRef::new(catalogue, u))
            .collect(),
        thanks: &plan.thanks,
        thank_you: plan
            .thanks
            .iter()
            .filter(|t| !thanked_in_notes(plan, &t.credit.handle))
            .collect(),
        welcome: plan.thanks.iter().filter(|t| t.first_time).collect(),
        feeds: view::feed_links(catalogue),
        site_feeds: view::site_feeds(catalogue),
        digests_feed: view::digests_feed(catalogue),
        unsubscribe: &[],
        archive,
        fragment,
        strings: strings::value(&catalogue.strings, true),
    }
}

/// Whether a carried update-log note credits `handle` and names it
/// (`thanks to @handle`): the thank-you line need not say it again.
fn thanked_in_notes(plan: &Plan<'_>, handle: &str) -> bool {
    let named = format!("@{}", handle.to_lowercase());
    plan.updates.iter().any(|update| {
        update.by.iter().any(|h| h == handle)
            && update.note.markdown.to_lowercase().contains(&named)
    })
}

/// The subject template rendered as one line of plain text. Errors name
/// where the template is written (`written_at`), when it is the catalogue's.
fn subject(
    source: &str,
    written_at: Option<&Location>,
    context: &Context<'_>,
) -> Result<String, DigestError> {
    let at = written_at.map(|at| format!("{at}: ")).unwrap_or_default();
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A subject template may loop for ever; stop it (issue 6).
    env.set_fuel(Some(SUBJECT_FUEL));
    let text = env
        .render_str(source, minijinja::value::Serde(context))
        .map_err(|err| {
            DigestError::Config(format!(
                "{at}`[digest] subject` does not render: {err}; fix the template in oyez.toml"
            ))
        })?;
    let line = one_line(&text);
    if line.trim().is_empty() {
        return Err(DigestError::Config(format!(
            "{at}`[digest] subject` renders to an empty subject; fix the template in oyez.toml"
        )));
    }
    if line.chars().any(crate::catalogue::is_invisible) {
        return Err(DigestError::Config(format!(
            "{at}`[digest] subject` holds an invisible character (such as U+202E or U+200B) that \
             can make it read differently; remove it from the template or the titles it shows"
        )));
    }
    Ok(line)
}

/// Instructions a subject template may spend (the default spends under 50).
const SUBJECT_FUEL: u64 = 100_000;

/// Control characters and line breaks become spaces; runs of spaces shrink.
pub fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One copy's addressing: who, when, under which Message-ID, and the
/// unsubscribe targets its headers carry.
pub struct Envelope<'a> {
    pub to: &'a Recipient,
    pub date: SystemTime,
    pub message_id: &'a str,
    pub unsubscribe: &'a Targets,
    /// The envelope sender when not `from` (VERP, [`super::verp`]).
    pub return_path: Option<lettre::Address>,
}

/// Builds one recipient's copy.
pub fn message(
    config: &DigestConfig,
    site_title: &str,
    content: &Content,
    envelope: &Envelope<'_>,
) -> Result<Message, DigestError> {
    let Envelope {
        to,
        date,
        message_id,
        unsubscribe,
        ref return_path,
    } = *envelope;
    let from = Mailbox::from_str(&config.from)
        .map_err(|err| DigestError::Config(format!("`[digest] from`: {err}")))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to.mailbox.clone())
        .subject(content.subject.clone())
        .date(date)
        .message_id(Some(message_id.to_owned()));
    if let Some(sender) = return_path {
        let verp =
            lettre::address::Envelope::new(Some(sender.clone()), vec![to.mailbox.email.clone()])
                .map_err(|err| DigestError::Config(format!("cannot address the message: {err}")))?;
        builder = builder.envelope(verp);
    }
    for header in super::headers::list(config, site_title, unsubscribe)? {
        builder = builder.raw_header(header);
    }
    builder
        .multipart(body(content, message_id))
        .map_err(|err| DigestError::Config(format!("cannot build the message: {err}")))
}

/// `multipart/alternative`: text first, HTML last (the preferred form).
fn body(content: &Content, message_id: &str) -> MultiPart {
    let text = SinglePart::plain(content.text.clone());
    let html = SinglePart::html(content.html.clone());
    let seed = fnv1a(message_id.as_bytes());
    // The boundary must not occur in either encoded part; bump until it does not.
    let mut boundary = String::new();
    for bump in 0u64.. {
        boundary = format!("=_oyez_{:016x}", seed.wrapping_add(bump));
        let clash = |part: &SinglePart| contains(&part.formatted(), boundary.as_bytes());
        if !clash(&text) && !clash(&html) {
            break;
        }
    }
    MultiPart::alternative()
        .boundary(boundary)
        .singlepart(text)
        .singlepart(html)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_subject_spends_a_small_part_of_the_fuel() {
        let mut env = Environment::new();
        env.set_fuel(Some(50));
        let context = minijinja::context! { site => minijinja::context! { title => "T" }, count => 3, digest => minijinja::context! { updates => 2 }, strings => strings("en") };
        let subject = env.render_str(DEFAULT_SUBJECT, context).unwrap();
        assert_eq!(subject, "T: 3 new resources");
    }

    #[test]
    fn the_default_subject_counts_updates_when_nothing_was_added() {
        let digest = minijinja::context! { updates => 1 };
        let site = minijinja::context! { title => "T" };
        let context = minijinja::context! { site, count => 0, digest, strings => strings("en") };
        let subject = Environment::new().render_str(DEFAULT_SUBJECT, context);
        assert_eq!(subject.unwrap(), "T: 1 update");
        let site = minijinja::context! { title => "T" };
        let digest = minijinja::context! { updates => 3 };
        let context = minijinja::context! { site, count => 0, digest, strings => strings("es") };
        let subject = Environment::new().render_str(DEFAULT_SUBJECT, context);
        assert_eq!(subject.unwrap(), "T: 3 actualizaciones");
    }

    fn strings(language: &str) -> minijinja::Value {
        let strings = crate::strings::Strings::new(language, &Default::default());
        crate::strings::value(&strings.shared(), false)
    }

    #[test]
    fn one_line_removes_breaks_and_controls() {
        assert_eq!(one_line(" a\r\nBcc: x\u{7}  y\n"), "a Bcc: x y");
    }

    #[test]
    fn boundaries_avoid_the_bodies() {
        let id = "<digest.x@example.org>";
        let seed = fnv1a(id.as_bytes());
        let hostile = format!("--=_oyez_{seed:016x}\r\n");
        let content = Content {
            subject: "s".into(),
            text: hostile.clone(),
            html: hostile,
        };
        let part = body(&content, id);
        assert_eq!(part.boundary(), format!("=_oyez_{:016x}", seed + 1));
    }
}
