//! `index.html`, the catalogue page, and the HTML body of update items.

use serde::Serialize;

use super::view::{self, FeedLink, SectionView, SiteView, UpdateView};
use crate::catalogue::{Catalogue, Update};
use crate::template::{TemplateError, Templates};

pub const INDEX: &str = "index.html";

#[derive(Serialize)]
struct IndexContext {
    site: SiteView,
    feeds: Vec<FeedLink>,
    sections: Vec<SectionView>,
    updates: Vec<UpdateView>,
    entry_count: usize,
    generator: &'static str,
}

pub fn index(catalogue: &Catalogue, templates: &Templates) -> Result<String, TemplateError> {
    let context = IndexContext {
        site: SiteView::new(catalogue),
        feeds: view::feed_links(catalogue),
        sections: view::sections(catalogue, catalogue.entries_in_file_order(), true),
        updates: catalogue
            .updates
            .iter()
            .map(|u| view::update_view(catalogue, u))
            .collect(),
        entry_count: catalogue.entries.len(),
        generator: concat!("oyez ", env!("CARGO_PKG_VERSION")),
    };
    templates.render(INDEX, context)
}

#[derive(Serialize)]
struct UpdateContext {
    site: SiteView,
    update: UpdateView,
}

/// The HTML content of an update-log item in the updates feed.
pub fn update(
    catalogue: &Catalogue,
    templates: &Templates,
    update: &Update,
) -> Result<String, TemplateError> {
    let context = UpdateContext {
        site: SiteView::new(catalogue),
        update: view::update_view(catalogue, update),
    };
    Ok(templates.render("update.html", context)?.trim().to_owned())
}
