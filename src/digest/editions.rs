//! One digest, one rendering per selection (issue 14): subscribers who
//! follow the same categories share a subject and bodies, rendered once;
//! a selection with nothing in this digest has none, and its subscribers
//! are `skipped`. Pure: plan, selections and templates in, contents out.

use std::collections::BTreeMap;

use super::DigestError;
use super::plan::Plan;
use super::recipients::Recipient;
use super::render::{self, Content};
use crate::catalogue::Catalogue;
use crate::template::Templates;

/// The contents of one digest, by selection.
#[derive(Debug, Clone)]
pub struct Editions {
    /// For recipients of every category (the list address, most subscribers).
    pub full: Content,
    /// By the categories followed; `None` when nothing falls in them.
    selected: BTreeMap<Vec<String>, Option<Content>>,
}

/// The categories of each recipient with a selection, by bare address.
pub fn selections(recipients: &[Recipient]) -> BTreeMap<String, Vec<String>> {
    let selecting = recipients.iter().filter_map(|r| {
        let categories = r.categories.clone()?;
        Some((r.address.clone(), categories))
    });
    selecting.collect()
}

impl Editions {
    /// Renders `plan` once for everyone and once per distinct selection in
    /// `categories`; `subject` (a resume's recorded one) replaces the full
    /// edition's; `unsubscribe` are the targets the bodies show.
    pub fn render(
        catalogue: &Catalogue,
        templates: &Templates,
        plan: &Plan<'_>,
        id: &str,
        categories: &BTreeMap<String, Vec<String>>,
        subject: Option<&str>,
        unsubscribe: &[String],
    ) -> Result<Self, DigestError> {
        let mut full = render::content(catalogue, templates, plan, id, unsubscribe)?;
        if let Some(subject) = subject {
            subject.clone_into(&mut full.subject);
        }
        let mut selected = BTreeMap::new();
        for followed in categories.values() {
            if selected.contains_key(followed) {
                continue;
            }
            let part = plan.select(catalogue, followed);
            let content = if part.is_empty() {
                None
            } else {
                Some(render::content(
                    catalogue,
                    templates,
                    &part,
                    id,
                    unsubscribe,
                )?)
            };
            selected.insert(followed.clone(), content);
        }
        Ok(Self { full, selected })
    }

    /// What `address` is sent, or `None` when nothing is for them.
    pub fn for_address<'a>(
        &'a self,
        address: &str,
        categories: &BTreeMap<String, Vec<String>>,
    ) -> Option<&'a Content> {
        match categories.get(address) {
            None => Some(&self.full),
            Some(followed) => self.selected.get(followed).and_then(Option::as_ref),
        }
    }

    /// How many distinct selections were rendered (empty ones included).
    pub fn selections(&self) -> usize {
        self.selected.len()
    }
}
