//! Sent digests become public: a page for each digest the ledger records
//! as accepted by a server, and an Atom feed (the feed map's digests row,
//! `feed::map::Subscription::digests`) listing them, newest first. Pure: catalogue, templates and the ledger's
//! records in, files out. The content is rendered from the copy the ledger
//! froze when the digest was sent (`frozen.rs`), so later edits to
//! the catalogue leave it as mailed; a digest recorded before oyez froze
//! one is rendered from the catalogue for the entries and updates the
//! ledger says it carried. The title is the subject that was sent.

use crate::catalogue::Catalogue;
use crate::feed::map::{self, Format, Subscription};
use crate::feed::{Channel, FeedError, Item, atom};
use crate::output::Rendered;
use crate::template::{TemplateError, Templates};

use super::ledger::Ledger;
use super::ledger::{Carried, Frozen, Window};
use super::plan;
use super::{frozen, render};

/// Why the archive could not be rendered; `publish` wraps it, so the
/// archive does not depend on the module that calls it.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Feed(#[from] FeedError),
}

/// What the archive needs of a sent digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub id: String,
    pub subject: String,
    pub window: Window,
    /// What it carried (`None` for ledger lines that predate the record).
    pub carried: Option<Carried>,
    /// What its page showed (`None` for ledger lines that predate it).
    pub frozen: Option<Frozen>,
}

/// The sent digests of `ledger`, oldest first.
pub fn sent(ledger: &Ledger) -> Vec<Sent> {
    ledger
        .sent()
        .map(|digest| Sent {
            id: digest.record.id.clone(),
            subject: digest.record.subject.clone(),
            window: digest.window,
            carried: digest.record.carried.clone(),
            frozen: digest.record.frozen.as_deref().cloned(),
        })
        .collect()
}

/// The archive pages and feed; nothing when no digest was sent.
pub fn render(
    catalogue: &Catalogue,
    templates: &Templates,
    digests: &[Sent],
) -> Result<Vec<Rendered>, ArchiveError> {
    let mut files = Vec::new();
    let mut items = Vec::new();
    for digest in digests.iter().rev() {
        let page = |fragment| match &digest.frozen {
            Some(frozen) => frozen::page(catalogue, templates, frozen, fragment),
            None => {
                let plan = plan::recorded(catalogue, digest.window, digest.carried.as_ref());
                render::page(catalogue, templates, &plan, &digest.id, fragment)
            }
        };
        files.push(Rendered::new(map::digest_page(&digest.id), page(false)?));
        items.push(item(catalogue, digest, page(true)?));
    }
    let Some(newest) = digests.iter().map(|d| d.window.end).max() else {
        return Ok(files);
    };
    let row = Subscription::digests(catalogue);
    let path = row.path(Format::Atom);
    let channel = Channel {
        title: row.title,
        subtitle: catalogue.site.description.clone(),
        dir: row.dir,
        home: catalogue.site.url("").joined(),
        updated: newest,
        items,
        links: Vec::new(),
    };
    files.push(Rendered::new(path, atom::render(catalogue, &channel)?));
    Ok(files)
}

fn item(catalogue: &Catalogue, digest: &Sent, body: String) -> Item {
    let url = catalogue.site_url(&map::digest_page(&digest.id));
    Item {
        id: url.clone(),
        title: render::one_line(&digest.subject),
        link: url,
        published: digest.window.end,
        updated: digest.window.end,
        authors: Vec::new(),
        contributors: Vec::new(),
        categories: Vec::new(),
        content_html: Some(body.trim().to_owned()),
        content_text: None,
        extras: None,
        language: None,
    }
}
