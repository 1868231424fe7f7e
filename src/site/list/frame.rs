//! What the native writer puts around the entries: the title (with the
//! Awesome badge for an awesome list), description, feed links and
//! contents, each section's heading, and the closing "Contributors"
//! section. Twin of the same parts of `templates/list.md`.

use std::fmt::Write as _;

use super::content::ListCredit;
use super::escape::{anchor, escape_text, push_text_escaped};
use super::layout::{BADGE, Section};
use crate::catalogue::Catalogue;
use crate::site::view::follow_links;
use crate::strings::Key;

/// A description, escaped, as a paragraph of its own: when it escapes to
/// anything (Jinja's truth of the template's string).
fn push_description(out: &mut String, description: Option<&str>) {
    let escaped = description.map(escape_text);
    if let Some(description) = escaped.filter(|text| !text.is_empty()) {
        out.push('\n');
        out.push_str(&description);
        out.push('\n');
    }
}

/// The title (or the HTML header that stands for it), description,
/// introduction, feed links and contents.
pub(super) fn head(
    catalogue: &Catalogue,
    sections: &[Section<'_>],
    credits: &[ListCredit],
    out: &mut String,
) {
    let site = &catalogue.site;
    if let Some(header) = &catalogue.list.header {
        out.push_str(header);
    } else {
        out.push_str("# ");
        push_text_escaped(out, &site.title);
        if site.awesome {
            out.push_str(BADGE);
        }
    }
    out.push('\n');
    push_description(out, site.description.as_deref());
    if let Some(intro) = &catalogue.list.intro {
        let _ = write!(out, "\n{intro}\n");
    }
    let _ = write!(out, "\n{} ", catalogue.strings.get(Key::list_follow));
    for (index, link) in follow_links(catalogue).iter().enumerate() {
        let separator = if index > 0 { " · " } else { "" };
        let _ = write!(out, "{separator}[{}]({})", link.name, link.href);
    }
    contents(catalogue, sections, credits, out);
}

/// The contents: the sections, the update log, the contributors (in an
/// awesome list) and the kept sections.
fn contents(
    catalogue: &Catalogue,
    sections: &[Section<'_>],
    credits: &[ListCredit],
    out: &mut String,
) {
    let strings = &catalogue.strings;
    let _ = write!(out, "\n\n## {}\n", strings.get(Key::contents));
    for section in sections {
        let Some(indent) = section.contents_indent(catalogue.list.indent()) else {
            continue;
        };
        let _ = write!(out, "\n{indent}- [");
        push_text_escaped(out, &section.category.title);
        out.push_str("](#");
        out.push_str(&section.anchor);
        out.push(')');
    }
    if !catalogue.updates.is_empty() {
        let title = strings.get(Key::updates);
        let _ = write!(out, "\n- [{title}](#{})", anchor(title));
    }
    // Every section after the contents is in them (awesome-lint's rule).
    if !credits.is_empty() {
        let title = strings.get(Key::contributors);
        let _ = write!(out, "\n- [{title}](#{})", anchor(title));
    }
    for (title, _) in catalogue
        .list
        .sections
        .iter()
        .filter(|(t, _)| in_contents(t))
    {
        out.push_str("\n- [");
        push_text_escaped(out, title);
        let _ = write!(out, "](#{})", anchor(title));
    }
    out.push('\n');
}

/// Whether a kept section is listed in the contents: awesome-lint wants
/// every section there but these.
pub(super) fn in_contents(title: &str) -> bool {
    !["Contributing", "Footnotes", "Related Lists"].contains(&title)
}

/// The sections kept as written (`[[list.section]]`), after everything else.
pub(super) fn kept(catalogue: &Catalogue, out: &mut String) {
    for (title, text) in &catalogue.list.sections {
        out.push_str("\n## ");
        push_text_escaped(out, title);
        let _ = write!(out, "\n\n{text}\n");
    }
}

/// A section's heading and description.
pub(super) fn section_start(section: &Section<'_>, out: &mut String) {
    out.push('\n');
    out.push_str(section.heading());
    out.push(' ');
    push_text_escaped(out, &section.category.title);
    out.push('\n');
    match &section.category.intro {
        Some(intro) => {
            let _ = write!(out, "\n{intro}\n");
        }
        None => push_description(out, section.category.description.as_deref()),
    }
    out.push('\n');
}

/// "Thanks to" every contributor credited, when there is one.
pub(super) fn credits(catalogue: &Catalogue, credits: &[ListCredit], out: &mut String) {
    if credits.is_empty() {
        return;
    }
    let strings = &catalogue.strings;
    let _ = write!(out, "\n## {}\n\n", strings.get(Key::contributors));
    let mut names = String::new();
    let out_all = out;
    let out = &mut names;
    for (index, credit) in credits.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        match credit.uri.as_deref().filter(|uri| !uri.is_empty()) {
            Some(uri) => {
                let _ = write!(out, "[{}]({uri})", credit.name);
            }
            None => out.push_str(&credit.name),
        }
        let handle = &credit.handle;
        if credit.name.strip_prefix('@') != Some(handle.as_str()) {
            let _ = write!(out, " (@{handle})");
        }
    }
    out_all.push_str(&strings.fill(Key::thanks_to, &[("names", &names)]));
    out_all.push('\n');
}
