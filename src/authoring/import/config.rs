//! The `oyez.toml` side of an import: a new one (site title and
//! description from the list) or the existing one with the new categories
//! and contributors appended.

use std::path::Path;

use super::parse::inline::one_line;
use super::{Document, Options, Plan, Report};
use crate::authoring::records;
use crate::authoring::workspace::Workspace;
use crate::catalogue::{CONFIG_FILE, Catalogue, identity};

/// Writes a new `oyez.toml`, or appends the new categories and
/// contributors to the existing one.
pub(super) fn stage(
    doc: &Document,
    workspace: &mut Workspace,
    existing: Option<&Catalogue>,
    options: &Options,
    plan: &Plan,
    report: &mut Report,
) {
    let mut tables = String::new();
    for (section, (slug, title)) in &plan.slugs {
        let is_new = existing.is_none_or(|c| !c.categories.iter().any(|k| &k.slug == slug));
        let count = plan.entries.iter().filter(|(s, _, _)| s == slug).count();
        report
            .categories
            .push((slug.clone(), title.clone(), count, is_new));
        if is_new {
            let heading = section.and_then(|i| doc.sections.get(i));
            let description = heading.and_then(|s| s.description.as_deref());
            let intro = heading.and_then(|s| s.intro.as_deref());
            // The nearest enclosing heading that is a category (issue 22).
            let parent = heading
                .and_then(|s| s.parent)
                .and_then(|p| plan.slugs.get(&Some(p)))
                .map(|(slug, _)| slug.as_str());
            let table = records::category_under(slug, title, (description, intro), parent);
            tables = records::append(&tables, &table);
        }
    }
    let listed = doc
        .contributors
        .iter()
        .map(|c| (&c.handle, (&c.name, c.uri.as_deref())));
    let from_git = plan
        .contributors
        .iter()
        .map(|(handle, (name, uri))| (handle, (name, uri.as_deref())));
    for (handle, (name, uri)) in listed.chain(from_git) {
        let known = existing.is_some_and(|c| c.contributors.contains_key(handle));
        if !known && !report.contributors.contains(handle) {
            report.contributors.push(handle.clone());
            let table = records::contributor_toml(handle, name, uri);
            tables = records::append(&tables, &table);
        }
    }
    let config = Path::new(CONFIG_FILE);
    if workspace.has_config() {
        if !tables.is_empty() {
            workspace.append(config, "", &tables);
        }
    } else {
        let text = new_config(doc, options, &mut report.guessed);
        workspace.set(config, records::append(&text, &tables));
    }
}

/// The `[site]` of a catalogue made from a list.
fn new_config(doc: &Document, options: &Options, guessed: &mut Vec<String>) -> String {
    let title = doc
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            let title = fallback_title(options);
            guessed.push(format!("title {title:?}: the list has no title heading"));
            title
        });
    let slug = identity::slug(&title);
    let slug = if slug.is_empty() {
        "catalogue".to_owned()
    } else {
        slug
    };
    let mut text = format!(
        "# Made by `oyez import markdown` from {}. See FORMAT.md for every key.\n\n\
         [site]\ntitle       = {}\n\
         base_url    = {}  # change to where public/ will be served\n",
        options.source,
        records::quote(&title),
        records::quote(&format!("https://example.org/{slug}/")),
    );
    if doc.description.is_none() {
        guessed.push("no description: no paragraph under the title says what the list is".into());
    }
    if let Some(description) = &doc.description {
        text.push_str(&format!("description = {}\n", records::quote(description)));
    }
    text.push_str("language    = \"en\"\n");
    if let Some(zone) = &options.timezone {
        text.push_str(&format!("timezone    = {}\n", records::quote(zone)));
    }
    if doc.awesome {
        guessed.push(
            "an awesome list: the list carries the Awesome badge, so `awesome = true`".into(),
        );
        text.push_str("awesome     = true  # the README keeps awesome-lint's rules\n");
    }
    text.push_str(&list_toml(doc));
    text
}

/// `[list]`: the introduction and the sections kept as written (issue 22).
fn list_toml(doc: &Document) -> String {
    let mut text = String::new();
    // A list whose items thank nobody: its README's lines do not either,
    // even when git names who added each (issue 22).
    let thanks = !doc.items.is_empty() && doc.items.iter().all(|item| item.handles.is_empty());
    let style = doc.marker.is_some() || doc.indent.is_some() || thanks;
    if doc.header.is_some() || doc.intro.is_some() || style {
        text.push_str("\n[list]\n");
    }
    if let Some(header) = &doc.header {
        text.push_str(&format!("header = {}\n", records::quote(header)));
    }
    if let Some(intro) = &doc.intro {
        text.push_str(&format!("intro = {}\n", records::quote(intro)));
    }
    if let Some(marker) = doc.marker {
        text.push_str(&format!("marker = \"{marker}\"\n"));
    }
    if let Some(indent) = &doc.indent {
        text.push_str(&format!("indent = {}\n", records::quote(indent)));
    }
    if thanks {
        text.push_str("thanks = false  # the list's lines name no contributor\n");
    }
    for (title, body) in &doc.kept {
        text.push_str(&format!(
            "\n[[list.section]]\ntitle = {}\ntext = {}\n",
            records::quote(title),
            records::quote(body)
        ));
    }
    text
}

/// A title from the file's name, or its folder's for a `README.md`
/// (`awesome-nodejs/README.md` is "awesome-nodejs", never "README").
fn fallback_title(options: &Options) -> String {
    let stem = options
        .source
        .rsplit_once('.')
        .map_or(options.source.as_str(), |(s, _)| s);
    let generic = ["readme", "index", "list"].contains(&stem.to_lowercase().as_str());
    let name = match &options.folder {
        Some(folder) if generic => folder.as_str(),
        _ => stem,
    };
    let name = one_line(name);
    if name.is_empty() {
        "Imported list".to_owned()
    } else {
        name
    }
}
