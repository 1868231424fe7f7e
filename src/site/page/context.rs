//! The catalogue page and update items through their templates
//! (`index.html`, `update.html`): the contexts a template reads. Twin of
//! [`super::native`], which writes the built-in templates' bytes without
//! them.

use std::sync::Arc;

use minijinja::Value;
use serde::Serialize;

use super::objects::{self, SharedSection, UpdateObject};
use crate::catalogue::{Catalogue, Update};
use crate::site::subscribe;
use crate::site::tree::{self, Credited, Node, Tree};
use crate::site::view::{self, FeedLink, FollowLink, SiteView, UpdateRef};
use crate::strings;

pub(super) const GENERATOR: &str = concat!("oyez ", env!("CARGO_PKG_VERSION"));

/// How many of the newest entries the page shows first, "Recently added".
pub(super) const RECENT: usize = 10;

#[derive(Serialize)]
pub(super) struct IndexContext<'a> {
    site: SiteView,
    feeds: Vec<FeedLink>,
    /// The "Follow" line's links: the site's feed in each format, then the updates'.
    follow: Vec<FollowLink>,
    /// The tags' feeds, each `{title, href}` (the tag and its Atom feed).
    tag_feeds: Vec<FeedLink>,
    /// The languages' feeds (entries in more than one language), each
    /// `{title, href}` (the language's name and its Atom feed).
    language_feeds: Vec<FeedLink>,
    /// The URL of `feeds.opml`, every feed in one file.
    opml: String,
    /// The URL of `entries.opml`, when an entry has its own feed.
    entries_opml: Option<String>,
    /// The categories as a tree, for the table of contents.
    tree: Vec<Node<'a>>,
    /// The [`RECENT`] newest entries.
    recent: Vec<Value>,
    /// Every category with its entries, depth first.
    sections: Vec<SharedSection<'a>>,
    updates: Vec<Value>,
    /// Everyone the entries credit, most credited first.
    contributors: Vec<Credited<'a>>,
    entry_count: usize,
    /// A `mailto:` link asking for the whole digest; `None` without `[digest]`.
    subscribe: Option<String>,
    generator: &'static str,
    /// The words around the catalogue, in its language.
    strings: Value,
}

impl<'a> IndexContext<'a> {
    pub(super) fn new(catalogue: &'a Arc<Catalogue>) -> Self {
        let groups = view::by_category(catalogue, &catalogue.file_order());
        let own: Vec<usize> = groups.iter().map(Vec::len).collect();
        let tree = Tree::new(catalogue, &own);
        Self {
            site: SiteView::new(catalogue),
            feeds: view::feed_links(catalogue),
            follow: view::follow_links(catalogue),
            tag_feeds: view::tag_links(catalogue),
            language_feeds: view::language_links(catalogue),
            opml: view::opml_url(catalogue),
            entries_opml: view::entries_opml_url(catalogue),
            tree: tree.nodes(catalogue),
            recent: (0..catalogue.entries.len().min(RECENT))
                .map(|index| objects::entry_value(catalogue, index))
                .collect(),
            sections: objects::shared_sections(catalogue, groups, &tree.order()),
            updates: (0..catalogue.updates.len())
                .map(|index| UpdateObject::value(catalogue, index))
                .collect(),
            contributors: tree::credited(catalogue),
            entry_count: catalogue.entries.len(),
            subscribe: subscribe::digest_address(catalogue)
                .map(|address| subscribe::link(&address, None)),
            generator: GENERATOR,
            strings: strings::value(&catalogue.strings, true),
        }
    }
}

#[derive(Serialize)]
pub(super) struct UpdateContext<'a> {
    site: SiteView,
    update: UpdateRef<'a>,
    strings: Value,
}

impl<'a> UpdateContext<'a> {
    pub(super) fn new(catalogue: &'a Catalogue, update: &'a Update) -> Self {
        Self {
            site: SiteView::new(catalogue),
            update: UpdateRef::new(catalogue, update),
            strings: strings::value(&catalogue.strings, true),
        }
    }
}
