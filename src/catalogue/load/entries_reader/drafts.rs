//! The `[[entry]]` and `[[update]]` tables being read, key by key.

use toml::Spanned;
use toml::value::Datetime;

use super::cursor::Cursor;
use crate::catalogue::raw;

/// An `[[entry]]` being read: each field is `None` until its key is seen.
#[derive(Default)]
pub(super) struct EntryDraft {
    title: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    added: Option<Spanned<Datetime>>,
    by: Option<Vec<Spanned<String>>>,
    authors: Option<Vec<Spanned<String>>>,
    language: Option<Spanned<String>>,
    tags: Option<Vec<Spanned<String>>>,
    summary: Option<Spanned<String>>,
    updated: Option<Spanned<Datetime>>,
    id: Option<Spanned<String>>,
    category: Option<Spanned<String>>,
    also: Option<Vec<Spanned<String>>>,
    feed: Option<Spanned<String>>,
    image: Option<Spanned<String>>,
    content: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    under: Option<Spanned<String>>,
    badges: Option<Spanned<String>>,
}

impl EntryDraft {
    pub(super) fn read(&mut self, key: &str, cursor: &mut Cursor<'_>) -> Option<()> {
        match key {
            "title" => set(&mut self.title, cursor.string()?),
            "url" => set(&mut self.url, cursor.string()?),
            "added" => set(&mut self.added, cursor.date()?),
            "by" => set(&mut self.by, cursor.strings()?),
            "authors" => set(&mut self.authors, cursor.strings()?),
            "language" => set(&mut self.language, cursor.string()?),
            "tags" => set(&mut self.tags, cursor.strings()?),
            "summary" => set(&mut self.summary, cursor.string()?),
            "updated" => set(&mut self.updated, cursor.date()?),
            "id" => set(&mut self.id, cursor.string()?),
            "category" => set(&mut self.category, cursor.string()?),
            "also" => set(&mut self.also, cursor.strings()?),
            "feed" => set(&mut self.feed, cursor.string()?),
            "image" => set(&mut self.image, cursor.string()?),
            "content" => set(&mut self.content, cursor.string()?),
            "group" => set(&mut self.group, cursor.string()?),
            "under" => set(&mut self.under, cursor.string()?),
            "badges" => set(&mut self.badges, cursor.string()?),
            _ => None,
        }
    }

    pub(super) fn build(self) -> Option<raw::Entry> {
        Some(raw::Entry {
            title: self.title?,
            url: self.url,
            added: self.added?,
            by: self.by.unwrap_or_default(),
            authors: self.authors.unwrap_or_default(),
            language: self.language,
            tags: self.tags.unwrap_or_default(),
            summary: self.summary,
            updated: self.updated,
            id: self.id,
            category: self.category,
            also: self.also.unwrap_or_default(),
            feed: self.feed,
            image: self.image,
            enclosure: None,
            content: self.content,
            group: self.group,
            under: self.under,
            badges: self.badges,
        })
    }
}

/// An `[[update]]` being read.
#[derive(Default)]
pub(super) struct UpdateDraft {
    date: Option<Spanned<Datetime>>,
    note: Option<Spanned<String>>,
    by: Option<Vec<Spanned<String>>>,
}

impl UpdateDraft {
    pub(super) fn read(&mut self, key: &str, cursor: &mut Cursor<'_>) -> Option<()> {
        match key {
            "date" => set(&mut self.date, cursor.date()?),
            "note" => set(&mut self.note, cursor.string()?),
            "by" => set(&mut self.by, cursor.strings()?),
            _ => None,
        }
    }

    pub(super) fn build(self) -> Option<raw::Update> {
        Some(raw::Update {
            date: self.date?,
            note: self.note?,
            by: self.by.unwrap_or_default(),
        })
    }
}

/// Fills an empty slot; `None` when the key was already given.
pub(super) fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}
