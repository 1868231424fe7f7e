//! The words oyez writes around a catalogue (issue 23 §5): one table keyed
//! by language (`table.toml`: en, es, fr, de), read by the catalogue page,
//! the README list, the digest mails and archive, the feeds' titles and
//! the feed view. A catalogue's `language` picks the table (by its first
//! subtag; English when there is none for it), and its `[strings]`
//! replaces single strings. Templates read the table as `strings`
//! ([`value`]). A leaf: it knows nothing of the catalogue.

mod keys;
mod object;

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

pub use keys::Key;
pub use object::{html, js, value};

/// The built-in table, as shipped.
const TABLE: &str = include_str!("table.toml");

/// The language whose strings every other falls back to.
pub const FALLBACK: &str = "en";

/// The built-in table: language → key → text.
static BUILTIN: LazyLock<BTreeMap<String, BTreeMap<String, String>>> =
    LazyLock::new(|| toml::from_str(TABLE).unwrap_or_default());

/// The strings of one catalogue: its language's, with its own in their place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings {
    /// The table used (`en`, `es`…), which also decides plurals.
    table: String,
    /// The text of each [`Key`], in [`Key::ALL`] order.
    texts: Vec<String>,
}

impl Default for Strings {
    fn default() -> Self {
        Self::new(FALLBACK, &BTreeMap::new())
    }
}

impl Strings {
    /// The strings of `language` (a BCP 47 tag), with `own` (key → text)
    /// replacing the table's; unknown keys in `own` are left out (the
    /// catalogue's validation reports them).
    pub fn new(language: &str, own: &BTreeMap<String, String>) -> Self {
        let table = shipped(language).unwrap_or(FALLBACK).to_owned();
        let builtin = &*BUILTIN;
        let fallback = builtin.get(FALLBACK);
        let chosen = builtin.get(&table);
        let texts = Key::ALL
            .iter()
            .map(|key| {
                let name = key.name();
                let text = own.get(name).or_else(|| chosen.and_then(|t| t.get(name)));
                let text = text.or_else(|| fallback.and_then(|t| t.get(name)));
                text.cloned().unwrap_or_default()
            })
            .collect();
        Self { table, texts }
    }

    /// The shared form templates read.
    pub fn shared(self) -> Arc<Self> {
        Arc::new(self)
    }

    /// The text of `key`.
    pub fn get(&self, key: Key) -> &str {
        self.texts.get(key as usize).map_or("", String::as_str)
    }

    /// The text of the key named `name`, if there is one.
    pub fn by_name(&self, name: &str) -> Option<&str> {
        Key::named(name).map(|key| self.get(key))
    }

    /// `one` or the key after it (its `_other` twin), as `count` asks.
    pub fn plural(&self, one: Key, count: usize) -> Key {
        if self.is_one(count) { one } else { one.other() }
    }

    /// Whether `count` takes the `_one` form: 1, and in French 0 too.
    pub fn is_one(&self, count: usize) -> bool {
        match self.table.as_str() {
            "fr" => count <= 1,
            _ => count == 1,
        }
    }

    /// The text of `key` with each `{name}` of `values` filled in.
    pub fn fill(&self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }

    /// The plural of `one` for `count`, with `{count}` filled in.
    pub fn count(&self, one: Key, count: usize) -> String {
        self.fill(self.plural(one, count), &[("count", &count.to_string())])
    }

    /// The name of `language` in this table's language (`Spanish`,
    /// `español`), or the tag itself for a language it does not name.
    pub fn language_name(&self, language: &str) -> String {
        let primary = primary(language);
        let name = Key::named(&format!("language_{primary}")).map(|key| self.get(key));
        name.map_or_else(|| language.to_owned(), str::to_owned)
    }
}

/// Whether oyez ships the words of `language` (`es-MX` reads `es`).
pub fn ships(language: &str) -> bool {
    shipped(language).is_some()
}

/// The shipped table for `language`, by its first subtag (`es-MX` → `es`).
fn shipped(language: &str) -> Option<&'static str> {
    let primary = primary(language);
    BUILTIN.keys().find(|l| **l == primary).map(String::as_str)
}

fn primary(language: &str) -> String {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    primary.to_ascii_lowercase()
}

/// `text` with each `{name}` of `values` replaced by its value; other
/// braces are kept as written.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        let name = after[1..].split('}').next().filter(|_| after.contains('}'));
        match name.and_then(|name| values.iter().find(|(n, _)| *n == name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &after[name.len() + 2..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{names}` a text fills in, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if !after[..close].contains('{') => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

/// The text of `key` in every shipped language, English first: what
/// `oyez import markdown` recognises in a list oyez wrote.
pub fn every_language(key: Key) -> Vec<&'static str> {
    let builtin = &*BUILTIN;
    let english = builtin.get(FALLBACK).into_iter();
    let others = builtin
        .iter()
        .filter(|(l, _)| *l != FALLBACK)
        .map(|(_, t)| t);
    let tables = english.chain(others);
    tables
        .filter_map(|t| t.get(key.name()).map(String::as_str))
        .collect()
}

/// The English text of `key` (what `[strings]` keys are checked against).
pub fn english(key: Key) -> &'static str {
    let table = BUILTIN.get(FALLBACK);
    table
        .and_then(|t| t.get(key.name()))
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let builtin = &*BUILTIN;
        assert!(
            ["en", "es", "fr", "de"]
                .iter()
                .all(|l| builtin.contains_key(*l))
        );
        let english = &builtin["en"];
        assert_eq!(
            english.len(),
            Key::ALL.len(),
            "table.toml and keys.rs differ"
        );
        for key in Key::ALL {
            assert!(english.contains_key(key.name()), "{}", key.name());
        }
        for (language, table) in builtin {
            assert_eq!(table.len(), english.len(), "{language}");
            for (key, text) in table {
                let mut theirs = placeholders(text);
                let mut ours = placeholders(&english[key]);
                theirs.sort_unstable();
                ours.sort_unstable();
                assert_eq!(theirs, ours, "{language}.{key}");
                assert!(!text.trim().is_empty(), "{language}.{key}");
            }
        }
    }

    #[test]
    fn a_language_picks_its_table_by_first_subtag_else_english() {
        let none = BTreeMap::new();
        assert_eq!(Strings::new("es-MX", &none).get(Key::follow), "Seguir:");
        assert_eq!(Strings::new("DE", &none).get(Key::follow), "Folgen:");
        assert_eq!(Strings::new("ja", &none).get(Key::follow), "Follow:");
        let own = BTreeMap::from([("follow".to_owned(), "Sígueme:".to_owned())]);
        let es = Strings::new("es", &own);
        assert_eq!(es.get(Key::follow), "Sígueme:");
        assert_eq!(es.get(Key::contributors), "Colaboradores");
    }

    #[test]
    fn plurals_follow_the_language() {
        let none = BTreeMap::new();
        let fr = Strings::new("fr", &none);
        assert_eq!(fr.count(Key::resources_one, 0), "0 ressource.");
        assert_eq!(fr.count(Key::resources_one, 2), "2 ressources.");
        let en = Strings::new("en", &none);
        assert_eq!(en.count(Key::resources_one, 0), "0 resources.");
        assert_eq!(en.count(Key::resources_one, 1), "1 resource.");
        assert_eq!(en.language_name("es-ES"), "Spanish");
        assert_eq!(Strings::new("es", &none).language_name("en"), "inglés");
        assert_eq!(en.language_name("tlh"), "tlh");
    }

    #[test]
    fn filling_replaces_named_placeholders_only() {
        let values = [("site", "A {b}"), ("day", "2024")];
        assert_eq!(fill("{site}: {day} {x} {", &values), "A {b}: 2024 {x} {");
        assert_eq!(placeholders("{a} {b {c}} }"), ["a", "c"]);
    }
}
