//! The link cache (`--cache-days N`): URLs that answered well, with when,
//! so that a daily run asks again only about older answers. One JSON
//! array per line, `[url, unix seconds, verdict]`, sorted by URL. Broken
//! and unverified answers are never cached: they are asked again each run.

use std::collections::BTreeMap;

use super::Verdict;

/// The cache's file name, in the catalogue folder.
pub const FILE: &str = "oyez-links.cache";

/// Good answers by URL, with the time (unix seconds) they were given.
pub type Cache = BTreeMap<String, (i64, Verdict)>;

/// The cache in `text`; lines that do not parse are dropped (they are
/// asked again).
pub fn parse(text: &str) -> Cache {
    text.lines()
        .filter_map(|line| serde_json::from_str::<(String, i64, Verdict)>(line).ok())
        .map(|(url, at, verdict)| (url, (at, verdict)))
        .collect()
}

/// The cached verdict on `url`, when it is younger than `max_age` seconds at `now`.
pub fn fresh<'a>(cache: &'a Cache, url: &str, now: i64, max_age: i64) -> Option<&'a Verdict> {
    let (at, verdict) = cache.get(url)?;
    (now - at < max_age && *at <= now).then_some(verdict)
}

/// Whether a verdict is worth keeping.
pub fn keeps(verdict: &Verdict) -> bool {
    matches!(verdict, Verdict::Ok | Verdict::Moved { .. })
}

pub fn render(cache: &Cache) -> Vec<u8> {
    let mut out = Vec::new();
    for (url, (at, verdict)) in cache {
        if serde_json::to_writer(&mut out, &(url, at, verdict)).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_younger_than_the_age_are_used_and_older_ones_asked_again() {
        let mut cache = Cache::new();
        cache.insert("https://a.example/".into(), (1_000, Verdict::Ok));
        let to = "https://b.example/".to_owned();
        cache.insert("https://b.example/old".into(), (10, Verdict::Moved { to }));
        let cache = parse(std::str::from_utf8(&render(&cache)).unwrap());
        assert_eq!(
            fresh(&cache, "https://a.example/", 1_500, 600),
            Some(&Verdict::Ok)
        );
        assert_eq!(fresh(&cache, "https://b.example/old", 1_500, 600), None);
        assert_eq!(fresh(&cache, "https://c.example/", 1_500, 600), None);
    }
}
