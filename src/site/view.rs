//! Serialisable views of the catalogue for templates. HTML fields hold
//! sanitised HTML (templates print them with `|safe`); every other string
//! is plain text that the template escapes.

use serde::Serialize;

use crate::catalogue::{Catalogue, Credit, Entry, Update};

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    pub language: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    pub mime: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    /// The resource, or the entry's anchor on the catalogue page.
    pub link: String,
    pub anchor: String,
    pub added: String,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub tags: Vec<String>,
    pub summary_markdown: Option<String>,
    pub summary_html: Option<String>,
    pub summary_text: Option<String>,
    pub credits: Vec<Credit>,
    /// The slug of the entry's category.
    pub category: String,
    pub category_title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// 0 for a top-level category, 1 for one under it, and so on.
    pub depth: usize,
    /// The slug of the category this one is under.
    pub parent: Option<String>,
    pub atom: String,
    pub rss: String,
    /// A `mailto:` link asking for this category's digest; `None` without
    /// `[digest]`.
    pub subscribe: Option<String>,
    pub entries: Vec<EntryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub id: String,
    pub date: String,
    pub note_markdown: String,
    pub note_html: String,
    pub note_text: String,
    pub credits: Vec<Credit>,
    /// What the update announces, grouped by category in category order.
    pub sections: Vec<SectionView>,
    pub count: usize,
}

impl SiteView {
    pub fn new(catalogue: &Catalogue) -> Self {
        let site = &catalogue.site;
        Self {
            title: site.title.clone(),
            description: site.description.clone(),
            base_url: site.base_url.to_string(),
            language: site.language.clone(),
        }
    }
}

/// Every subscription feed, for autodiscovery links and "follow" lists.
pub fn feed_links(catalogue: &Catalogue) -> Vec<FeedLink> {
    let title = &catalogue.site.title;
    let mut links = vec![
        feed_link(
            format!("{title} (Atom)"),
            catalogue.site_url("atom.xml"),
            ATOM,
        ),
        feed_link(format!("{title} (RSS)"), catalogue.site_url("rss.xml"), RSS),
        feed_link(
            format!("{title} (JSON Feed)"),
            catalogue.site_url("feed.json"),
            JSON,
        ),
    ];
    if !catalogue.updates.is_empty() {
        links.push(feed_link(
            format!("{title}: updates (Atom)"),
            catalogue.site_url("updates/atom.xml"),
            ATOM,
        ));
        links.push(feed_link(
            format!("{title}: updates (RSS)"),
            catalogue.site_url("updates/rss.xml"),
            RSS,
        ));
    }
    for category in &catalogue.categories {
        let dir = format!("categories/{}/", category.slug);
        let name = format!("{title}: {}", category.title);
        links.push(feed_link(
            format!("{name} (Atom)"),
            catalogue.site_url(&format!("{dir}atom.xml")),
            ATOM,
        ));
        links.push(feed_link(
            format!("{name} (RSS)"),
            catalogue.site_url(&format!("{dir}rss.xml")),
            RSS,
        ));
    }
    links
}

const ATOM: &str = "application/atom+xml";
const RSS: &str = "application/rss+xml";
const JSON: &str = "application/feed+json";

fn feed_link(title: String, href: String, mime: &'static str) -> FeedLink {
    FeedLink { title, href, mime }
}

pub fn entry_view(catalogue: &Catalogue, entry: &Entry) -> EntryView {
    let summary = entry.summary.as_ref();
    let category = catalogue.category_of(entry);
    EntryView {
        id: entry.id.clone(),
        title: entry.title.clone(),
        url: entry.url.as_ref().map(ToString::to_string),
        link: catalogue.entry_link(entry),
        anchor: catalogue.entry_anchor(entry),
        added: entry.added_day.to_string(),
        authors: entry.authors.clone(),
        language: entry.language.clone(),
        tags: entry.tags.clone(),
        summary_markdown: summary.map(|s| s.markdown.clone()),
        summary_html: summary.map(|s| s.html.clone()),
        summary_text: summary.map(|s| s.plain()),
        credits: entry
            .by
            .iter()
            .map(|handle| catalogue.credit(handle))
            .collect(),
        category: category.slug.clone(),
        category_title: category.title.clone(),
    }
}

/// The given entries grouped by category, in category order; within a
/// category they keep the order given. Empty categories are left out
/// unless `keep_empty`.
pub fn sections<'a>(
    catalogue: &Catalogue,
    entries: impl IntoIterator<Item = &'a Entry>,
    keep_empty: bool,
) -> Vec<SectionView> {
    let address = super::subscribe::digest_address(catalogue);
    let mut sections: Vec<SectionView> = catalogue
        .categories
        .iter()
        .enumerate()
        .map(|(index, category)| SectionView {
            slug: category.slug.clone(),
            title: category.title.clone(),
            description: category.description.clone(),
            depth: super::tree::depth_of(catalogue, index),
            parent: category
                .parent
                .and_then(|parent| catalogue.categories.get(parent))
                .map(|parent| parent.slug.clone()),
            atom: catalogue.site_url(&format!("categories/{}/atom.xml", category.slug)),
            rss: catalogue.site_url(&format!("categories/{}/rss.xml", category.slug)),
            subscribe: address
                .as_deref()
                .map(|address| super::subscribe::link(address, Some(&category.slug))),
            entries: Vec::new(),
        })
        .collect();
    for entry in entries {
        sections[entry.category]
            .entries
            .push(entry_view(catalogue, entry));
    }
    sections.retain(|section| keep_empty || !section.entries.is_empty());
    sections
}

pub fn update_view(catalogue: &Catalogue, update: &Update) -> UpdateView {
    let announced = update
        .announces
        .iter()
        .map(|&index| &catalogue.entries[index]);
    UpdateView {
        id: update.id.clone(),
        date: update.day.to_string(),
        note_markdown: update.note.markdown.clone(),
        note_html: update.note.html.clone(),
        note_text: update.note.plain(),
        credits: update
            .by
            .iter()
            .map(|handle| catalogue.credit(handle))
            .collect(),
        sections: sections(catalogue, announced, false),
        count: update.announces.len(),
    }
}

/// Everyone credited by the given entries and updates, in first-seen order.
pub fn credits<'a>(
    catalogue: &Catalogue,
    entries: impl IntoIterator<Item = &'a Entry>,
    updates: impl IntoIterator<Item = &'a Update>,
) -> Vec<Credit> {
    let mut handles: Vec<&str> = Vec::new();
    let entry_handles = entries.into_iter().flat_map(|e| e.by.iter());
    let update_handles = updates.into_iter().flat_map(|u| u.by.iter());
    for handle in update_handles.chain(entry_handles) {
        if !handles.contains(&handle.as_str()) {
            handles.push(handle);
        }
    }
    handles
        .into_iter()
        .map(|handle| catalogue.credit(handle))
        .collect()
}
