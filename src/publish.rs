//! Everything `oyez publish` writes, rendered in memory from the catalogue:
//! a pure function, so the same catalogue always gives the same bytes.

use crate::catalogue::Catalogue;
use crate::feed::{self, Channel, FeedError, atom, json, rss};
use crate::output::Rendered;
use crate::site::html;
use crate::template::{TemplateError, Templates};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Feed(#[from] FeedError),
}

/// Renders every output file, with paths relative to the output folder.
pub fn render(catalogue: &Catalogue, templates: &Templates) -> Result<Vec<Rendered>, PublishError> {
    let mut files = Vec::new();
    let oldest = feed::oldest_first(catalogue);
    let entries = feed::entries_channel(catalogue);
    push_feeds(&mut files, catalogue, &entries, true)?;
    for page in feed::entry_archive(catalogue, &entries, &oldest) {
        push_feeds(&mut files, catalogue, &page, false)?;
    }
    let contents = catalogue
        .updates
        .iter()
        .take(catalogue.feed_limit)
        .map(|update| html::update(catalogue, templates, update))
        .collect::<Result<Vec<_>, _>>()?;
    push_feeds(
        &mut files,
        catalogue,
        &feed::updates_channel(catalogue, &contents),
        false,
    )?;
    for index in 0..catalogue.categories.len() {
        let channel = feed::category_channel(catalogue, index);
        push_feeds(&mut files, catalogue, &channel, false)?;
        let in_category: Vec<_> = oldest
            .iter()
            .copied()
            .filter(|e| e.category == index)
            .collect();
        for page in feed::entry_archive(catalogue, &channel, &in_category) {
            push_feeds(&mut files, catalogue, &page, false)?;
        }
    }
    files.push(Rendered::new(
        html::INDEX,
        html::index(catalogue, templates)?,
    ));
    Ok(files)
}

fn push_feeds(
    files: &mut Vec<Rendered>,
    catalogue: &Catalogue,
    channel: &Channel,
    with_json: bool,
) -> Result<(), FeedError> {
    files.push(Rendered::new(
        format!("{}{}", channel.dir, atom::FILE),
        atom::render(catalogue, channel)?,
    ));
    files.push(Rendered::new(
        format!("{}{}", channel.dir, rss::FILE),
        rss::render(catalogue, channel)?,
    ));
    if with_json {
        files.push(Rendered::new(
            format!("{}{}", channel.dir, json::FILE),
            json::render(catalogue, channel)?,
        ));
    }
    Ok(())
}
