//! `index.html`, the catalogue page, and the HTML body of update items.

use serde::Serialize;

use std::sync::Arc;

use minijinja::Value;

use super::borrowed::{self, SharedSection, UpdateObject, UpdateRef};
use super::view::{self, FeedLink, SiteView};
use crate::catalogue::{Catalogue, Update};
use crate::template::{TemplateError, Templates};

pub const INDEX: &str = "index.html";

#[derive(Serialize)]
struct IndexContext<'a> {
    site: SiteView,
    feeds: Vec<FeedLink>,
    sections: Vec<SharedSection<'a>>,
    updates: Vec<Value>,
    entry_count: usize,
    generator: &'static str,
}

/// Bytes the built-in catalogue page spends per entry, rounded up (about
/// 800 with the generated benchmark catalogue): the page's buffer starts
/// that large ([`Templates::render_sized`]).
const INDEX_BYTES_PER_ENTRY: usize = 1024;

pub fn index(catalogue: &Arc<Catalogue>, templates: &Templates) -> Result<Vec<u8>, TemplateError> {
    let context = IndexContext {
        site: SiteView::new(catalogue),
        feeds: view::feed_links(catalogue),
        sections: borrowed::shared_sections(catalogue),
        updates: (0..catalogue.updates.len())
            .map(|index| UpdateObject::value(catalogue, index))
            .collect(),
        entry_count: catalogue.entries.len(),
        generator: concat!("oyez ", env!("CARGO_PKG_VERSION")),
    };
    let capacity = catalogue
        .entries
        .len()
        .saturating_mul(INDEX_BYTES_PER_ENTRY)
        .saturating_add(64 * 1024);
    templates.render_sized(INDEX, context, capacity)
}

#[derive(Serialize)]
struct UpdateContext<'a> {
    site: SiteView,
    update: UpdateRef<'a>,
}

/// The HTML content of an update-log item in the updates feed.
pub fn update(
    catalogue: &Catalogue,
    templates: &Templates,
    update: &Update,
) -> Result<String, TemplateError> {
    let context = UpdateContext {
        site: SiteView::new(catalogue),
        update: UpdateRef::new(catalogue, update),
    };
    Ok(templates.render("update.html", context)?.trim().to_owned())
}
