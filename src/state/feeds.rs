//! `.oyez/feeds` (issue 19): the SHA-256 of every subscription feed the
//! last publish wrote, one `HASH PATH` line each, sorted. A feed whose
//! hash differs is a feed that changed since the last committed publish,
//! whatever the output folder holds (CI publishes into a fresh one): the
//! hubs hear of exactly those.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use super::{FEEDS, StateError};
use crate::feed::map::FeedMap;
use crate::output::Rendered;

const HEADER: &str =
    "# .oyez/feeds: the SHA-256 of each feed the last `oyez publish` wrote; commit it.\n";

/// Feed path (`/` between folders) to the hex SHA-256 of its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedHashes(BTreeMap<String, String>);

impl FeedHashes {
    /// The hashes recorded in the catalogue `root`; none before the first publish.
    pub fn read(root: &Path) -> Result<Self, StateError> {
        let Some(bytes) = super::read(root, FEEDS)? else {
            return Ok(Self::default());
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut hashes = BTreeMap::new();
        for (line, record) in super::records(&text) {
            let Some((hash, path)) = record.split_once(' ') else {
                return Err(StateError::Corrupt {
                    path: FEEDS.shown(),
                    line,
                    reason: "not a `HASH PATH` line".into(),
                });
            };
            hashes.insert(path.to_owned(), hash.to_owned());
        }
        Ok(Self(hashes))
    }

    /// The hashes of the subscription feeds among `files`: those `map`
    /// lists (archived feed pages are not subscribed to).
    pub fn of(map: &FeedMap, files: &[Rendered]) -> Self {
        let feeds = map.paths();
        let paths = files.iter().map(|file| {
            let path = file.path.to_string_lossy().replace('\\', "/");
            (path, file)
        });
        let hashes = paths
            .filter(|(path, _)| feeds.contains(path))
            .map(|(path, file)| (path, hex(&Sha256::digest(&file.bytes))));
        Self(hashes.collect())
    }

    /// The paths of the feeds in `self` that `before` does not hold as they are.
    pub fn changed_since(&self, before: &Self) -> Vec<String> {
        let changed = self
            .0
            .iter()
            .filter(|(path, hash)| before.0.get(*path) != Some(hash));
        changed.map(|(path, _)| path.clone()).collect()
    }

    pub fn render(&self) -> Vec<u8> {
        let mut text = String::from(HEADER);
        for (path, hash) in &self.0 {
            let _ = writeln!(text, "{hash} {path}");
        }
        text.into_bytes()
    }

    /// Records these hashes, when they differ from `before`.
    pub fn write(&self, root: &Path, before: &Self) -> Result<(), StateError> {
        if self == before && super::read(root, FEEDS)?.is_some() {
            return Ok(());
        }
        super::write(root, FEEDS, &self.render())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_feeds_whose_bytes_differ_count_as_changed() {
        use crate::feed::map::Format;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = crate::catalogue::load(dir).unwrap().catalogue;
        let map = FeedMap::new(&catalogue);
        let site = map.entries().unwrap().path(Format::Atom);
        let category = map.category(0).unwrap().path(Format::Rss);
        let files = |atom: &str| {
            vec![
                Rendered::new(&site, atom),
                Rendered::new(&category, "r"),
                // An archive page has a feed's file name but is no subscription.
                Rendered::new(format!("archive/1/{site}"), "old"),
                Rendered::new("index.html", "page"),
            ]
        };
        let before = FeedHashes::of(&map, &files("a"));
        assert_eq!(before.0.len(), 2);
        assert!(
            FeedHashes::of(&map, &files("a"))
                .changed_since(&before)
                .is_empty()
        );
        let changed = FeedHashes::of(&map, &files("b")).changed_since(&before);
        assert_eq!(changed, std::slice::from_ref(&site));
        let text = String::from_utf8(before.render()).unwrap();
        assert!(
            text.lines().nth(1).unwrap().ends_with(&format!(" {site}")),
            "{text}"
        );
    }
}
