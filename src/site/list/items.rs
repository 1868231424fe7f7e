//! The Markdown list's entries as template objects for [`super::context`]
//! (issue 5): each field is escaped once into a template value, and the
//! template reads it without copying, where a struct turned into a value by
//! serde would copy every field and leave the update log to copy the
//! entries again. `items_read_as_the_serialised_entries` below proves they
//! read as the serialised entries did.

use std::collections::HashMap;
use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object};
use rayon::prelude::*;

use super::content::unmentioned;
use super::escape::{push_text_escaped, push_url_escaped};
use super::line::Summaries;
use crate::catalogue::{Catalogue, Entry};

/// One entry of the list. Reads as a map of `id`, `title` (escaped),
/// `url` (a `<…>`-safe link target, or none), `summary` (one line of safe
/// Markdown, or none), `thanks` (credited handles the summary does not
/// mention, as `@handle`) and `badges` (Markdown as written, or none).
#[derive(Debug)]
pub(super) struct ListItem {
    id: Value,
    title: Value,
    url: Value,
    summary: Value,
    thanks: Value,
    badges: Value,
}

const FIELDS: &[&str] = &["id", "title", "url", "summary", "thanks", "badges"];

impl Object for ListItem {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        Some(match key {
            "id" => self.id.clone(),
            "title" => self.title.clone(),
            "url" => self.url.clone(),
            "summary" => self.summary.clone(),
            "thanks" => self.thanks.clone(),
            "badges" => self.badges.clone(),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(FIELDS)
    }
}

/// An entry as the update log lists it: its [`ListItem`] without summary,
/// thanks or badges (none, the empty list, none).
#[derive(Debug)]
pub(super) struct BareItem {
    item: Arc<ListItem>,
    nobody: Value,
}

impl Object for BareItem {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        Some(match key {
            "id" => self.item.id.clone(),
            "title" => self.item.title.clone(),
            "url" => self.item.url.clone(),
            "summary" => Value::from(()),
            "thanks" => self.nobody.clone(),
            "badges" => Value::from(()),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(FIELDS)
    }
}

/// Entries each parallel task of [`Items::new`] writes.
const CHUNK: usize = 4096;

/// Every entry's [`ListItem`], by index into `Catalogue::entries`.
pub(super) struct Items {
    items: Vec<Option<Arc<ListItem>>>,
    /// The empty list, shared by every entry that thanks no one.
    nobody: Value,
}

impl Items {
    /// Made in file `order` (indices into `Catalogue::entries`), the order
    /// the entries were read and the sections list them: memory is then
    /// read and written front to back.
    pub(super) fn new(catalogue: &Catalogue, order: &[usize]) -> Self {
        let nobody = Value::from(Vec::<Value>::new());
        // Chunks of entries are written in parallel, each by its own writer.
        let made: Vec<Vec<(usize, ListItem)>> = order
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut writer = Writer {
                    thank: catalogue.list.thanks(),
                    summaries: Summaries::new(catalogue),
                    scratch: String::new(),
                    thanks: Thanks {
                        nobody: nobody.clone(),
                        one: HashMap::default(),
                    },
                };
                chunk
                    .iter()
                    .filter_map(|&index| {
                        let entry = catalogue.entries.get(index)?;
                        Some((index, writer.item(entry)))
                    })
                    .collect()
            })
            .collect();
        let mut items: Vec<Option<Arc<ListItem>>> = Vec::new();
        items.resize_with(catalogue.entries.len(), || None);
        for (index, item) in made.into_iter().flatten() {
            if let Some(slot) = items.get_mut(index) {
                *slot = Some(Arc::new(item));
            }
        }
        Self { items, nobody }
    }

    /// The item of entry `index`, for its section.
    pub(super) fn full(&self, index: usize) -> Option<Value> {
        let item = self.items.get(index)?.as_ref()?;
        Some(Value::from_dyn_object(Arc::clone(item)))
    }

    /// The item of entry `index` as the update log lists it.
    pub(super) fn bare(&self, index: usize) -> Option<Value> {
        let item = self.items.get(index)?.as_ref()?;
        Some(Value::from_object(BareItem {
            item: Arc::clone(item),
            nobody: self.nobody.clone(),
        }))
    }
}

/// Writes each field into one reused buffer before it becomes a value.
struct Writer<'c> {
    /// `[list] thanks`: whether the entries' lines thank anyone.
    thank: bool,
    summaries: Summaries<'c>,
    scratch: String,
    thanks: Thanks<'c>,
}

impl<'c> Writer<'c> {
    fn item(&mut self, entry: &'c Entry) -> ListItem {
        let said = self.summaries.line(entry);
        let summary = said.map_or(Value::from(()), Value::from);
        let credited = if self.thank { entry.by.as_slice() } else { &[] };
        let thanks = self.thanks.value(said.unwrap_or_default(), credited);
        self.scratch.clear();
        push_text_escaped(&mut self.scratch, &entry.title);
        let title = Value::from(self.scratch.as_str());
        let url = entry.url.as_ref().map_or(Value::from(()), |url| {
            self.scratch.clear();
            push_url_escaped(&mut self.scratch, url.as_str());
            Value::from(self.scratch.as_str())
        });
        let badges = entry.layout.as_ref().and_then(|l| l.badges.as_deref());
        ListItem {
            id: Value::from(entry.id.as_str()),
            title,
            url,
            summary,
            thanks,
            badges: badges.map_or(Value::from(()), Value::from),
        }
    }
}

/// The `thanks` lists of entries, sharing the common ones.
struct Thanks<'c> {
    /// The empty list.
    nobody: Value,
    /// `[@handle]` by handle, for the entries that thank one person.
    one: HashMap<&'c str, Value, foldhash::fast::RandomState>,
}

impl<'c> Thanks<'c> {
    /// `@handle` for each handle that `said` does not mention.
    fn value(&mut self, said: &str, handles: &'c [String]) -> Value {
        let mut unmentioned = unmentioned(said, handles);
        match (unmentioned.next(), unmentioned.next()) {
            (None, _) => self.nobody.clone(),
            (Some(only), None) => self
                .one
                .entry(only)
                .or_insert_with(|| Value::from(vec![at_handle(only)]))
                .clone(),
            (Some(first), Some(second)) => {
                let thanks: Vec<Value> = [first, second]
                    .into_iter()
                    .chain(unmentioned)
                    .map(at_handle)
                    .collect();
                Value::from(thanks)
            }
        }
    }
}

fn at_handle(handle: &str) -> Value {
    Value::from(format!("@{handle}"))
}

#[cfg(test)]
mod tests {
    use minijinja::Environment;
    use minijinja::value::Serde;
    use serde::Serialize;

    use super::super::escape::{escape_text, escape_url};
    use super::super::line;
    use super::*;

    /// The entry as the list gave it to templates before (issue 5): a
    /// struct turned into a value by serde.
    #[derive(Serialize)]
    struct SerdeEntry {
        id: String,
        title: String,
        url: Option<String>,
        summary: Option<String>,
        thanks: Vec<String>,
        badges: Option<String>,
    }

    /// Every way a template may read an entry.
    const READ_ALL: &str = "{{ e.id }}|{{ e.title }}|{{ e.url }}|{{ e.summary }}|{{ e.thanks }}|\
        {{ e.thanks|join(', ') }}|{{ e.thanks|length }}|{{ e }}|{{ e|length }}|\
        {% for k in e %}{{ k }}={{ e[k] }};{% endfor %}|{{ e|items }}|{{ e.nope is undefined }}|\
        {% if e.url %}u{% endif %}{% if e.summary %}s{% endif %}{% if e.thanks %}t{% endif %}";

    #[test]
    fn items_read_as_the_serialised_entries() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = crate::catalogue::load(root).unwrap().catalogue;
        let base = &catalogue.site.base_url;
        let order: Vec<usize> = (0..catalogue.entries.len()).collect();
        let items = Items::new(&catalogue, &order);
        let env = Environment::new();
        let template = env.template_from_str(READ_ALL).unwrap();
        let render = |e: Value| template.render(minijinja::context! { e }).unwrap();
        let mut thanked = 0;
        for (index, entry) in catalogue.entries.iter().enumerate() {
            let summary = entry
                .summary
                .as_ref()
                .and_then(|s| line::safe_line(&s.markdown, base));
            let said = summary.as_deref().unwrap_or_default();
            let serialised = SerdeEntry {
                id: entry.id.clone(),
                title: escape_text(&entry.title),
                url: entry.url.as_ref().map(|url| escape_url(url.as_str())),
                thanks: unmentioned(said, &entry.by)
                    .map(|handle| format!("@{handle}"))
                    .collect(),
                summary,
                badges: entry.layout.as_ref().and_then(|l| l.badges.clone()),
            };
            thanked += usize::from(!serialised.thanks.is_empty());
            let full = render(items.full(index).unwrap());
            assert_eq!(full, render(Value::from(Serde(&serialised))));
            let bare = SerdeEntry {
                summary: None,
                thanks: Vec::new(),
                badges: None,
                ..serialised
            };
            assert_eq!(
                render(items.bare(index).unwrap()),
                render(Value::from(Serde(bare)))
            );
        }
        assert!(thanked > 0, "no entry of the example thanks anyone");
    }
}
