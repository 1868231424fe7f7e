//! Everything `oyez publish` writes, rendered in memory from the catalogue:
//! a pure function, so the same catalogue always gives the same bytes.

use crate::catalogue::Catalogue;
use crate::feed::{self, Channel, FeedError, atom, json, rss};
use crate::output::Rendered;
use crate::site::{html, list};
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
    push_feeds(
        &mut files,
        catalogue,
        &feed::entries_channel(catalogue),
        true,
    )?;
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
        push_feeds(
            &mut files,
            catalogue,
            &feed::category_channel(catalogue, index),
            false,
        )?;
    }
    files.push(Rendered::new(
        html::INDEX,
        html::index(catalogue, templates)?,
    ));
    files.push(Rendered::new(
        list::FILE,
        list::render(catalogue, templates)?,
    ));
    Ok(files)
}

/// Everything [`render`] writes plus the public archive of sent digests
/// (`digests/<id>.html`, `digests/atom.xml`); `sent` comes from the ledger.
pub fn render_with_digests(
    catalogue: &Catalogue,
    templates: &Templates,
    sent: &[crate::digest::archive::Sent],
) -> Result<Vec<Rendered>, PublishError> {
    let mut files = render(catalogue, templates)?;
    files.extend(crate::digest::archive::render(catalogue, templates, sent)?);
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
