//! New `[[entry]]`, `[[update]]`, `[[category]]` and `[contributors.x]`
//! tables as TOML text, built with toml_edit so strings are quoted and
//! escaped correctly. They are appended to a file's text as they are, so
//! nothing already in the file changes.

use chrono::{Datelike, NaiveDate};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

/// An entry to append, as `oyez add` or `oyez import` made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub added: NaiveDate,
    /// Credited handles, with their `@`.
    pub by: Vec<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// Written only when the target file's own `category` is another one.
    pub category: Option<String>,
    /// The link-less item the README lists it under (issue 22).
    pub group: Option<String>,
    /// The id of the entry it is listed under in the README (issue 22).
    pub under: Option<String>,
    /// Badges at the end of its line in the README (issue 22).
    pub badges: Option<String>,
}

/// An update-log record to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpdate {
    pub date: NaiveDate,
    pub note: String,
    pub by: Vec<String>,
}

/// `[[entry]]` and its keys, in FORMAT.md's order with the id first.
pub fn entry_toml(entry: &NewEntry) -> String {
    entry_toml_also(entry, &[])
}

/// [`entry_toml`] for an entry that other categories list too (`also`, issue 22).
pub(crate) fn entry_toml_also(entry: &NewEntry, also: &[String]) -> String {
    let mut table = Table::new();
    table.insert("id", Item::Value(entry.id.as_str().into()));
    table.insert("title", Item::Value(entry.title.as_str().into()));
    if let Some(url) = &entry.url {
        table.insert("url", Item::Value(url.as_str().into()));
    }
    if let Some(category) = &entry.category {
        table.insert("category", Item::Value(category.as_str().into()));
    }
    table.insert("added", Item::Value(date(entry.added)));
    insert_list(&mut table, "by", &entry.by);
    insert_list(&mut table, "authors", &entry.authors);
    insert_list(&mut table, "tags", &entry.tags);
    insert_list(&mut table, "also", also);
    if let Some(group) = &entry.group {
        table.insert("group", Item::Value(group.as_str().into()));
    }
    if let Some(under) = &entry.under {
        table.insert("under", Item::Value(under.as_str().into()));
    }
    if let Some(summary) = &entry.summary {
        table.insert("summary", Item::Value(summary.as_str().into()));
    }
    if let Some(badges) = &entry.badges {
        table.insert("badges", Item::Value(badges.as_str().into()));
    }
    array_of_one("entry", table)
}

/// `[[update]]` with its date, note and credits.
pub fn update_toml(update: &NewUpdate) -> String {
    let mut table = Table::new();
    table.insert("date", Item::Value(date(update.date)));
    table.insert("note", Item::Value(update.note.as_str().into()));
    insert_list(&mut table, "by", &update.by);
    array_of_one("update", table)
}

/// `[[category]]` for `oyez.toml`.
pub fn category_toml(slug: &str, title: &str, description: Option<&str>) -> String {
    category_under(slug, title, (description, None), None)
}

/// `[[category]]` under the category `parent` (issue 22: an imported list
/// keeps its heading tree).
/// Its texts are its description and its `intro` (Markdown kept as written).
pub(crate) fn category_under(
    slug: &str,
    title: &str,
    (description, intro): (Option<&str>, Option<&str>),
    parent: Option<&str>,
) -> String {
    let mut table = Table::new();
    table.insert("slug", Item::Value(slug.into()));
    table.insert("title", Item::Value(title.into()));
    if let Some(description) = description {
        table.insert("description", Item::Value(description.into()));
    }
    if let Some(parent) = parent {
        table.insert("parent", Item::Value(parent.into()));
    }
    if let Some(intro) = intro {
        table.insert("intro", Item::Value(intro.into()));
    }
    array_of_one("category", table)
}

/// `[contributors.<handle>]` with a name (and a link), for `oyez.toml`.
pub fn contributor_toml(handle: &str, name: &str, uri: Option<&str>) -> String {
    let mut contributor = Table::new();
    contributor.insert("name", Item::Value(name.into()));
    if let Some(uri) = uri {
        contributor.insert("uri", Item::Value(uri.into()));
    }
    let mut contributors = Table::new();
    contributors.set_implicit(true);
    contributors.insert(handle, Item::Table(contributor));
    let mut document = DocumentMut::new();
    document.insert("contributors", Item::Table(contributors));
    document.to_string()
}

/// A top-level string key, such as `category = "talks"`.
pub fn key_toml(key: &str, value: &str) -> String {
    let mut document = DocumentMut::new();
    document.insert(key, Item::Value(value.into()));
    document.to_string()
}

/// A TOML string literal for `value`, for hand-assembled text.
pub fn quote(value: &str) -> String {
    Value::from(value).to_string().trim().to_owned()
}

fn insert_list(table: &mut Table, key: &str, values: &[String]) {
    if !values.is_empty() {
        let array: Array = values.iter().map(String::as_str).collect();
        table.insert(key, Item::Value(Value::Array(array)));
    }
}

fn date(day: NaiveDate) -> Value {
    let date = toml_edit::Date {
        year: u16::try_from(day.year()).unwrap_or_default(),
        month: u8::try_from(day.month()).unwrap_or_default(),
        day: u8::try_from(day.day()).unwrap_or_default(),
    };
    Value::from(toml_edit::Datetime {
        date: Some(date),
        time: None,
        offset: None,
    })
}

fn array_of_one(name: &str, table: Table) -> String {
    let mut array = ArrayOfTables::new();
    array.push(table);
    let mut document = DocumentMut::new();
    document.insert(name, Item::ArrayOfTables(array));
    document.to_string()
}

/// Appends `addition` (whole tables) to a file's `text`, separated by a
/// blank line; the existing bytes are kept exactly.
pub fn append(text: &str, addition: &str) -> String {
    let mut out = String::with_capacity(text.len() + addition.len() + 2);
    out.push_str(text);
    if !out.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
    out.push_str(addition);
    out
}

/// `base`, or `base-2`, `base-3`… : the first that `taken` refuses not.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn entries_are_written_as_array_tables() {
        let entry = NewEntry {
            id: "a-talk".into(),
            title: "A \"talk\"".into(),
            url: Some("https://example.org/a".into()),
            added: day("2024-03-01"),
            by: vec!["@alice".into()],
            authors: vec![],
            tags: vec!["x".into(), "y".into()],
            summary: Some("Line one\nline two".into()),
            category: None,
            group: None,
            under: None,
            badges: None,
        };
        let text = entry_toml(&entry);
        assert!(text.starts_with("[[entry]]\nid = \"a-talk\"\n"), "{text}");
        assert!(text.contains("added = 2024-03-01\n"), "{text}");
        assert!(text.contains("by = [\"@alice\"]\n"), "{text}");
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        let entry = &parsed["entry"][0];
        assert_eq!(entry["title"].as_str(), Some("A \"talk\""));
        assert_eq!(entry["summary"].as_str(), Some("Line one\nline two"));
    }

    #[test]
    fn appending_keeps_the_text_and_separates_tables() {
        assert_eq!(append("a = 1", "[[b]]\n"), "a = 1\n\n[[b]]\n");
        assert_eq!(append("a = 1\n\n", "[[b]]\n"), "a = 1\n\n[[b]]\n");
        assert_eq!(append("", "[[b]]\n"), "[[b]]\n");
    }

    #[test]
    fn category_tables_may_follow_other_tables() {
        let text = append(
            "[site]\ntitle = \"x\"\n\n[[category]]\nslug = \"a\"\ntitle = \"A\"\n\n[digest]\nfrom = \"f\"\n",
            &category_toml("b", "B", None),
        );
        let text = append(&text, &contributor_toml("bob", "Bob", None));
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["category"].as_array().unwrap().len(), 2);
        assert_eq!(parsed["contributors"]["bob"]["name"].as_str(), Some("Bob"));
    }

    #[test]
    fn unique_ids_get_a_number() {
        let taken = ["a", "a-2"];
        assert_eq!(unique("a", |id| taken.contains(&id)), "a-3");
        assert_eq!(unique("b", |id| taken.contains(&id)), "b");
    }
}
