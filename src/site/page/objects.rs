//! The catalogue page's entries and updates as template objects (issue 5):
//! they read as the views in [`crate::site::view`] (`EntryRef`,
//! `UpdateRef`), as `template_objects_read_as_the_views` below proves, but
//! make each field only when a template reads it, so a page of 100,000
//! entries never holds a copy of every entry's strings.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, Serde};

use crate::catalogue::Catalogue;
use crate::site::view::{Section, empty_sections, sections};

/// An entry of a shared catalogue as a template object (issue 5): fields
/// are made when the template reads them, so a page of 100,000 entries
/// never holds a copy of every entry's strings. Reads as
/// [`crate::site::view::EntryRef`] serialises.
#[derive(Debug)]
pub(crate) struct EntryObject {
    catalogue: Arc<Catalogue>,
    index: usize,
}

const ENTRY_FIELDS: &[&str] = &[
    "id",
    "title",
    "url",
    "link",
    "anchor",
    "added",
    "authors",
    "language",
    "tags",
    "summary_markdown",
    "summary_html",
    "summary_text",
    "credits",
    "category",
    "category_title",
];

impl Object for EntryObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let catalogue = &self.catalogue;
        let entry = catalogue.entries.get(self.index)?;
        let summary = entry.summary.as_ref();
        let text =
            |text: Option<&String>| text.map_or(Value::from(()), |t| Value::from(t.as_str()));
        Some(match key {
            "id" => Value::from(entry.id.as_str()),
            "title" => Value::from(entry.title.as_str()),
            "url" => entry
                .url
                .as_ref()
                .map_or(Value::from(()), |u| Value::from(u.as_str())),
            "link" => Value::from(catalogue.entry_link(entry)),
            "anchor" => Value::from(catalogue.entry_anchor(entry)),
            "added" => Value::from(entry.added_day.to_string()),
            "authors" => strings(&entry.authors),
            "language" => text(entry.language.as_ref()),
            "tags" => strings(&entry.tags),
            "summary_markdown" => text(summary.map(|s| &s.markdown)),
            "summary_html" => text(summary.map(|s| &s.html)),
            "summary_text" => summary.map_or(Value::from(()), |s| Value::from(s.plain())),
            "credits" => {
                let credits: Vec<_> = entry.by.iter().map(|h| catalogue.credit(h)).collect();
                Value::from(Serde(&credits))
            }
            "category" => Value::from(catalogue.category_of(entry).slug.as_str()),
            "category_title" => Value::from(catalogue.category_of(entry).title.as_str()),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(ENTRY_FIELDS)
    }
}

/// A list of strings as serialising it would make it, without serde's
/// round trip.
fn strings(items: &[String]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|item| Value::from(item.as_str()))
        .collect();
    Value::from_object(items)
}

/// A section of the catalogue page: entries as template objects.
pub(crate) type SharedSection<'a> = Section<'a, Value>;

/// An entry of a shared catalogue as a template object.
pub(crate) fn entry_value(catalogue: &Arc<Catalogue>, index: usize) -> Value {
    Value::from_object(EntryObject {
        catalogue: Arc::clone(catalogue),
        index,
    })
}

/// Every entry by category, the categories depth first (`order`, from
/// [`crate::site::tree::Tree::order`]), each category in the maintainer's
/// order (as [`sections`] with every entry, in tree order).
pub(crate) fn shared_sections<'a>(
    catalogue: &'a Arc<Catalogue>,
    groups: Vec<Vec<usize>>,
    order: &[usize],
) -> Vec<SharedSection<'a>> {
    let mut sections: Vec<Option<SharedSection<'a>>> =
        empty_sections(catalogue).into_iter().map(Some).collect();
    for (section, indices) in sections.iter_mut().zip(groups) {
        if let Some(section) = section {
            section.entries = indices
                .into_iter()
                .map(|index| entry_value(catalogue, index))
                .collect();
        }
    }
    order
        .iter()
        .filter_map(|&index| sections.get_mut(index).and_then(Option::take))
        .collect()
}

/// An update of a shared catalogue as a template object: reads as
/// [`crate::site::view::UpdateRef`] serialises, and builds the sections it announces only
/// when the template reads them (the catalogue page does not).
#[derive(Debug)]
pub(crate) struct UpdateObject {
    catalogue: Arc<Catalogue>,
    index: usize,
}

impl UpdateObject {
    pub(crate) fn value(catalogue: &Arc<Catalogue>, index: usize) -> Value {
        Value::from_object(Self {
            catalogue: Arc::clone(catalogue),
            index,
        })
    }
}

const UPDATE_FIELDS: &[&str] = &[
    "id",
    "date",
    "note_markdown",
    "note_html",
    "note_text",
    "credits",
    "sections",
    "count",
];

impl Object for UpdateObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let catalogue = &self.catalogue;
        let update = catalogue.updates.get(self.index)?;
        Some(match key {
            "id" => Value::from(update.id.as_str()),
            "date" => Value::from(update.day.to_string()),
            "note_markdown" => Value::from(update.note.markdown.as_str()),
            "note_html" => Value::from(update.note.html.as_str()),
            "note_text" => Value::from(update.note.plain()),
            "credits" => {
                let credits: Vec<_> = update.by.iter().map(|h| catalogue.credit(h)).collect();
                Value::from(Serde(&credits))
            }
            "sections" => {
                let announced = update
                    .announces
                    .iter()
                    .filter_map(|&index| catalogue.entries.get(index));
                Value::from(Serde(sections(catalogue, announced, false)))
            }
            "count" => Value::from(update.announces.len()),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(UPDATE_FIELDS)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use minijinja::Environment;
    use minijinja::value::Serde;

    use crate::catalogue;
    use crate::site::view::{self, UpdateRef};

    /// Every field of every entry and update, as a user template might print them.
    const EVERY_FIELD: &str = "{% for s in sections %}{{ s.slug }} {{ s.title }} {{ s.description }} \
        {{ s.atom }} {{ s.rss }} {{ s.subscribe }} {{ s.depth }} {{ s.parent }}{% for e in s.entries %}|{{ e.id }} {{ e.title }} {{ e.url }} \
        {{ e.link }} {{ e.anchor }} {{ e.added }} {{ e.authors }} {{ e.language }} {{ e.tags }} \
        {{ e.summary_markdown }} {{ e.summary_html }} {{ e.summary_text }} {{ e.credits }} \
        {{ e.category }} {{ e.category_title }} \
        {{ e|length }}{% endfor %}{% endfor %}{% for u in updates %}|{{ u.id }} {{ u.date }} \
        {{ u.note_markdown }} {{ u.note_html }} {{ u.note_text }} {{ u.credits }} {{ u.count }} \
        {% for s in u.sections %}{{ s.slug }}{% for e in s.entries %} {{ e.title }}{% endfor %}{% endfor %}{% endfor %}";

    #[test]
    fn template_objects_read_as_the_views() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalogue = Arc::new(catalogue::load(root).unwrap().catalogue);
        let env = Environment::new();
        let template = env.template_from_str(EVERY_FIELD).unwrap();
        let views = minijinja::context! {
            sections => Serde(view::sections(&catalogue, catalogue.entries_in_file_order(), true)),
            updates => Serde(catalogue.updates.iter().map(|u| UpdateRef::new(&catalogue, u)).collect::<Vec<_>>()),
        };
        let objects = minijinja::context! {
            sections => Serde(super::shared_sections(
                &catalogue,
                view::by_category(&catalogue, &catalogue.file_order()),
                &(0..catalogue.categories.len()).collect::<Vec<_>>(),
            )),
            updates => (0..catalogue.updates.len())
                .map(|i| super::UpdateObject::value(&catalogue, i))
                .collect::<Vec<_>>(),
        };
        let expected = template.render(views).unwrap();
        assert!(expected.contains("Manuel Pais"), "{expected}");
        assert_eq!(template.render(objects).unwrap(), expected);
    }
}
