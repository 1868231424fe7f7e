//! What was sent stays as sent (issue 19 §4): the template variables of a
//! digest that come from the catalogue (its entries, update-log notes,
//! contributors, counts and dates) are recorded in its `digest` line when
//! it is first sent, and its archive page is rendered from them, so that
//! deleting an entry or editing its date later leaves the page as it was.
//! The site, its feed links and the templates are today's. Pure.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::DigestError;
use super::ledger::Frozen;
use super::plan::Plan;
use super::render;
use crate::catalogue::{Catalogue, Text};
use crate::site::view::{self, FeedLink, FollowLink, SiteView};
use crate::template::{TemplateError, Templates};

/// An entry's fields derived from the others, left out of the frozen copy.
const DERIVED: [&str; 3] = ["link", "anchor", "summary_text"];

/// The frozen copy of digest `id` carrying `plan`, as its page reads it.
pub(crate) fn freeze(
    catalogue: &Catalogue,
    plan: &Plan<'_>,
    id: &str,
) -> Result<Frozen, DigestError> {
    let context = render::context(catalogue, plan, id, true, false);
    let failed = |err: serde_json::Error| {
        DigestError::Config(format!("cannot record what digest {id} carries: {err}"))
    };
    let mut value = serde_json::to_value(context).map_err(failed)?;
    let mut take = |key: &str| value.get_mut(key).map(Value::take).unwrap_or_default();
    let count = take("count").as_u64().unwrap_or_default();
    let mut frozen = Frozen {
        digest: take("digest"),
        count: usize::try_from(count).unwrap_or_default(),
        sections: Value::Null,
        updates: take("updates"),
        thanks: take("thanks"),
        thank_you: take("thank_you"),
        welcome: take("welcome"),
        categories: BTreeMap::new(),
        entries: BTreeMap::new(),
    };
    frozen.sections = shelve(&mut frozen, take("sections"));
    let mut updates = frozen.updates.take();
    for update in updates.as_array_mut().into_iter().flatten() {
        if let Some(update) = update.as_object_mut() {
            update.remove("note_text");
            let sections = update.remove("sections").unwrap_or_default();
            update.insert("sections".into(), shelve(&mut frozen, sections));
        }
    }
    frozen.updates = updates;
    Ok(frozen)
}

/// Moves each section's category and entries into `frozen`, once each;
/// returns the sections as slugs and entry ids.
fn shelve(frozen: &mut Frozen, sections: Value) -> Value {
    let Value::Array(sections) = sections else {
        return sections;
    };
    let shelved = sections.into_iter().map(|section| {
        let Value::Object(mut section) = section else {
            return section;
        };
        let entries = section.remove("entries").unwrap_or_default();
        let ids: Vec<Value> = match entries {
            Value::Array(entries) => entries.into_iter().map(|e| keep(frozen, e)).collect(),
            _ => Vec::new(),
        };
        let slug = section.get("slug").cloned().unwrap_or_default();
        let key = slug.as_str().unwrap_or_default().to_owned();
        frozen.categories.insert(key, Value::Object(section));
        serde_json::json!({ "slug": slug, "entries": ids })
    });
    Value::Array(shelved.collect())
}

/// Keeps one entry in `frozen.entries`; returns its id.
fn keep(frozen: &mut Frozen, mut entry: Value) -> Value {
    let id = entry.get("id").cloned().unwrap_or_default();
    if let Some(fields) = entry.as_object_mut() {
        fields.retain(|key, _| !DERIVED.contains(&key.as_str()));
    }
    let key = id.as_str().unwrap_or_default().to_owned();
    frozen.entries.insert(key, entry);
    id
}

/// A digest's archive page (or, `fragment`, its body alone) from its frozen copy.
pub(crate) fn page(
    catalogue: &Catalogue,
    templates: &Templates,
    frozen: &Frozen,
    fragment: bool,
) -> Result<String, TemplateError> {
    templates.render(render::HTML, context(catalogue, frozen, fragment))
}

fn context<'a>(catalogue: &Catalogue, frozen: &'a Frozen, fragment: bool) -> Context<'a> {
    let mut updates = frozen.updates.clone();
    for update in updates.as_array_mut().into_iter().flatten() {
        if let Some(update) = update.as_object_mut() {
            let note = update.get("note_markdown").and_then(Value::as_str);
            let text = note.map(plain).unwrap_or_default();
            update.insert("note_text".into(), text.into());
            let sections = update.get("sections").unwrap_or(&Value::Null);
            let sections = unshelve(catalogue, frozen, sections);
            update.insert("sections".into(), sections);
        }
    }
    Context {
        site: SiteView::new(catalogue),
        digest: &frozen.digest,
        count: frozen.count,
        sections: unshelve(catalogue, frozen, &frozen.sections),
        updates,
        thanks: &frozen.thanks,
        thank_you: &frozen.thank_you,
        welcome: &frozen.welcome,
        feeds: view::feed_links(catalogue),
        site_feeds: view::site_feeds(catalogue),
        digests_feed: view::digests_feed(catalogue),
        unsubscribe: [],
        archive: true,
        fragment,
        strings: crate::strings::value(&catalogue.strings, true),
    }
}

/// Sections as the templates read them, from slugs and entry ids.
fn unshelve(catalogue: &Catalogue, frozen: &Frozen, sections: &Value) -> Value {
    let sections = sections.as_array().into_iter().flatten().map(|section| {
        let slug = section
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut whole = frozen.categories.get(slug).cloned().unwrap_or_default();
        let ids = section.get("entries").and_then(Value::as_array);
        let entries = ids.into_iter().flatten().filter_map(|id| {
            let id = id.as_str()?;
            frozen
                .entries
                .get(id)
                .map(|entry| derive(catalogue, id, entry))
        });
        if let Some(fields) = whole.as_object_mut() {
            fields.insert("entries".into(), Value::Array(entries.collect()));
        }
        whole
    });
    Value::Array(sections.collect())
}

/// An entry's frozen fields with those derived from them again.
fn derive(catalogue: &Catalogue, id: &str, entry: &Value) -> Value {
    let mut fields: Map<String, Value> = entry.as_object().cloned().unwrap_or_default();
    let anchor = catalogue.site.anchor(id).joined();
    let url = fields.get("url").and_then(Value::as_str).map(str::to_owned);
    let summary = fields.get("summary_markdown").and_then(Value::as_str);
    let text = summary.map(plain);
    fields.insert("summary_text".into(), text.into());
    fields.insert("link".into(), url.unwrap_or_else(|| anchor.clone()).into());
    fields.insert("anchor".into(), anchor.into());
    Value::Object(fields)
}

/// Markdown as plain text, as `summary_text` and `note_text` show it.
fn plain(markdown: &str) -> String {
    let text = Text {
        markdown: markdown.to_owned(),
        html: String::new(),
    };
    text.plain()
}

/// The variables of `render::context`, the catalogue's from the frozen copy.
#[derive(Serialize)]
struct Context<'a> {
    site: SiteView,
    digest: &'a Value,
    count: usize,
    sections: Value,
    updates: Value,
    thanks: &'a Value,
    thank_you: &'a Value,
    welcome: &'a Value,
    feeds: Vec<FeedLink>,
    /// The site's feed in each format, named by format.
    site_feeds: Vec<FollowLink>,
    /// The feed of the archive of sent digests.
    digests_feed: FeedLink,
    unsubscribe: [&'a str; 0],
    archive: bool,
    fragment: bool,
    strings: minijinja::Value,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::digest::ledger::Window;
    use crate::digest::plan;

    // The example catalogue: entries with and without summaries, in
    // several categories, and update-log notes announcing some of them.
    #[test]
    fn a_page_from_the_frozen_copy_equals_the_page_from_the_catalogue() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = crate::catalogue::load(root).unwrap().catalogue;
        let templates = Templates::new(BTreeMap::new()).unwrap();
        let plan = plan::plan(&catalogue, Window::EVERYTHING);
        assert!(plan.entries.len() > 10 && !plan.updates.is_empty());
        let frozen = freeze(&catalogue, &plan, "d").unwrap();
        let line = serde_json::to_string(&frozen).unwrap();
        let thawed: Frozen = serde_json::from_str(&line).unwrap();
        for fragment in [false, true] {
            let live = render::page(&catalogue, &templates, &plan, "d", fragment).unwrap();
            let kept = page(&catalogue, &templates, &thawed, fragment).unwrap();
            assert_eq!(kept, live);
        }
        // Every variable, not only those the built-in template shows.
        let live = serde_json::to_value(render::context(&catalogue, &plan, "d", true, false));
        let kept = serde_json::to_value(context(&catalogue, &thawed, false));
        assert_eq!(kept.unwrap(), live.unwrap());
    }
}
