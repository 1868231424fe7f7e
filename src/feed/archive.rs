//! RFC 5005 archived feeds (section 4): every item of a subscription feed,
//! in archive pages under `archive/` that never change once full.
//!
//! Pages hold [`PAGE_SIZE`] items each and are numbered from the oldest
//! item: page 1 is the oldest hundred in (`added`, id) order. Items are
//! added to the newest page, which is never full: when a page fills up, the
//! next (empty) page is published with it. So a full page's neighbours
//! already exist when it fills, and its bytes stay the same as the
//! catalogue grows. A back-dated or removed entry moves every later item
//! and so rewrites the pages from its own onwards.
//!
//! A channel in folder `D` has its pages at `archive/D<n>/atom.xml`,
//! `archive/D<n>/rss.xml` and `archive/D<n>/feed.json` (whose `next_url`
//! follows `prev-archive`); `publish` archives the entries feed (`D` = `""`,
//! so `archive/<n>/`). The subscription feed links `prev-archive` to the
//! newest page; each page links `current`, `prev-archive` and
//! `next-archive`, and is marked `<fh:archive/>` once it has one of them.

use std::ops::Range;

use chrono::{DateTime, Utc};

use super::Channel;

/// Items per archive page. Fixed: changing it would rewrite every page.
pub const PAGE_SIZE: usize = 100;

/// The RFC 5005 namespace of `<fh:archive/>`.
pub const NAMESPACE: &str = "http://purl.org/syndication/history/1.0";

/// The `current` link: a channel with it is an archive document.
pub const CURRENT: &str = "current";
pub const PREV: &str = "prev-archive";
pub const NEXT: &str = "next-archive";

/// The pages of one channel's archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    /// `archive/` followed by the channel's folder.
    dir: String,
    /// How many items the channel has in all.
    total: usize,
}

impl Archive {
    pub fn new(channel_dir: &str, total: usize) -> Self {
        Self {
            dir: format!("archive/{channel_dir}"),
            total,
        }
    }

    /// Number of pages, the last one never full (and empty when every
    /// other page is full).
    pub fn pages(&self) -> usize {
        self.total / PAGE_SIZE + 1
    }

    /// The folder of page `number` (1-based), e.g. `archive/categories/books/3/`.
    pub fn page_dir(&self, number: usize) -> String {
        format!("{}{number}/", self.dir)
    }

    /// The subscription feed's link to the newest page.
    pub fn newest_link(&self) -> (String, String) {
        (PREV.to_owned(), self.page_dir(self.pages()))
    }

    /// Which items, counted from the oldest, page `number` holds.
    pub fn range(&self, number: usize) -> Range<usize> {
        let start = (number.saturating_sub(1) * PAGE_SIZE).min(self.total);
        start..(start + PAGE_SIZE).min(self.total)
    }

    /// Page `number` of `current`'s archive, without its items: the
    /// writers take them apart, borrowed (`atom::write`, `rss::write`).
    /// `newest` is the newest `updated` of its items, so that a full page
    /// keeps its bytes; the open page takes `current`'s when it is empty.
    pub fn page(&self, current: &Channel, number: usize, newest: Option<DateTime<Utc>>) -> Channel {
        let mut links = vec![(CURRENT.to_owned(), current.dir.clone())];
        if number > 1 {
            links.push((PREV.to_owned(), self.page_dir(number - 1)));
        }
        if number < self.pages() {
            links.push((NEXT.to_owned(), self.page_dir(number + 1)));
        }
        Channel {
            title: format!("{} (archive {number})", current.title),
            subtitle: current.subtitle.clone(),
            dir: self.page_dir(number),
            home: current.home.clone(),
            updated: newest.unwrap_or(current.updated),
            items: Vec::new(),
            links,
        }
    }
}

impl Channel {
    /// Whether this is an RFC 5005 archive document, marked
    /// `<fh:archive/>`: it links `current` and another archive page. A lone
    /// page is not marked (issue 11): it is the whole archive, still open,
    /// and an archive document without `prev-archive` or `next-archive` is
    /// incomplete to RFC 5005 readers (the W3C validator's
    /// `ArchiveIncomplete`). It is marked once the second page exists.
    pub fn is_archive(&self) -> bool {
        let links = || self.links.iter().map(|(rel, _)| rel.as_str());
        self.is_archive_page() && links().any(|rel| rel == PREV || rel == NEXT)
    }

    /// Whether this is a page of the archive (it links `current`), marked
    /// or not: nobody subscribes to it.
    pub fn is_archive_page(&self) -> bool {
        self.links.iter().any(|(rel, _)| rel == CURRENT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_page_is_open_and_empty_when_the_others_are_full() {
        assert_eq!(Archive::new("", 0).pages(), 1);
        assert_eq!(Archive::new("", 99).pages(), 1);
        assert_eq!(Archive::new("", 100).pages(), 2);
        let archive = Archive::new("", 250);
        assert_eq!(archive.pages(), 3);
        assert_eq!(archive.range(1), 0..100);
        assert_eq!(archive.range(3), 200..250);
        assert_eq!(Archive::new("", 200).range(3), 200..200);
    }

    #[test]
    fn pages_live_under_archive_in_the_channel_folder() {
        let archive = Archive::new("categories/books/", 120);
        assert_eq!(archive.page_dir(2), "archive/categories/books/2/");
        assert_eq!(
            archive.newest_link(),
            ("prev-archive".into(), "archive/categories/books/2/".into())
        );
    }
}
