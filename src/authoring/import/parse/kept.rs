//! What the README keeps as written (issue 22): the introduction (every
//! block between the title and the first section but the description,
//! with the Awesome badge taken out, since the README puts it after the
//! title) and each top-level section that is no list of entries
//! (Contributing, License, Code of conduct…), with its Markdown as it is.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::document::{Document, SectionKind};

/// A top-level block: its heading level (0 for any other block) and bytes.
struct Block {
    level: u8,
    range: Range<usize>,
    /// A list, which ends what stands under a heading before its entries.
    list: bool,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let list = matches!(tag, Tag::List(_));
                    let level = match tag {
                        Tag::Heading { level, .. } => super::sections::heading_level(level),
                        _ => 0,
                    };
                    found.push(Block { level, range, list });
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule if depth == 0 => found.push(Block {
                level: 0,
                range,
                list: false,
            }),
            _ => {}
        }
    }
    found
}

/// Fills `doc.header`, `doc.intro` and `doc.kept`; `line_of` maps a byte
/// offset to its line; `lines` are those of the paragraph taken as the
/// description and of the HTML header the title came from, if any.
pub(super) fn keep(
    markdown: &str,
    doc: &mut Document,
    line_of: impl Fn(usize) -> usize,
    (description, header): (Option<usize>, Option<usize>),
) {
    let blocks = blocks(markdown);
    let text = |range: Range<usize>| carried(markdown.get(range).unwrap_or_default().trim());
    let start = match blocks.first() {
        Some(first) if first.level == 1 => 1,
        _ => 0,
    };
    // An HTML header stands for the title: kept as it is, with the badge
    // where the list has it (awesome-lint reads such a header as the title).
    let header_block = blocks
        .get(start)
        .filter(|block| block.level == 0 && Some(line_of(block.range.start)) == header);
    doc.header = header_block.map(|block| text(block.range.clone()));
    let start = start + usize::from(doc.header.is_some());
    // A title line with badges of its own (not only the Awesome badge,
    // which the README writes itself) is kept as written (issue 22).
    let title_line = blocks.first().filter(|block| block.level == 1);
    if let Some(title) = title_line.map(|block| text(block.range.clone()))
        && doc.header.is_none()
        && without_awesome_badge(&title).contains("](")
    {
        doc.header = Some(title);
    }
    let badge = |block: String| {
        if doc.header.is_some() {
            block
        } else {
            without_awesome_badge(&block)
        }
    };
    let intro: Vec<String> = blocks
        .iter()
        .skip(start)
        .take_while(|block| block.level == 0)
        .filter(|block| Some(line_of(block.range.start)) != description)
        .map(|block| text(block.range.clone()))
        .filter(|block| !is_contents(block))
        // The feed links line a README of oyez has: oyez writes it again.
        .filter(|block| !block.starts_with("Follow the additions: "))
        .map(badge)
        .filter(|block| !block.is_empty())
        .collect();
    doc.intro = (!intro.is_empty()).then(|| intro.join("\n\n"));
    section_intros(doc, &blocks, text, &line_of);
    kept_sections(doc, (&blocks, markdown.len()), text, &line_of);
}

/// The Contributing, License… sections (`[[list.section]]`), as written;
/// `end` is where the list ends.
fn kept_sections(
    doc: &mut Document,
    (blocks, end_of_list): (&[Block], usize),
    text: impl Fn(Range<usize>) -> String,
    line_of: impl Fn(usize) -> usize,
) {
    for (at, block) in blocks.iter().enumerate() {
        let line = line_of(block.range.start);
        let kept = doc.sections.iter().find(|section| {
            section.line == line
                && section.level == 2
                && section.kind == SectionKind::Ignored("license or contributing")
        });
        let Some(section) = kept else { continue };
        let end = blocks
            .iter()
            .skip(at + 1)
            .find(|next| next.level != 0 && next.level <= 2)
            .map_or(end_of_list, |next| next.range.start);
        let body = text(block.range.end..end);
        if !body.is_empty() {
            doc.kept.push((section.title.clone(), body));
        }
    }
}

/// Each section's blocks between its heading and its list, as written
/// (issue 22), when they say more than its description: links, notes,
/// lint directives, more than one paragraph.
fn section_intros(
    doc: &mut Document,
    blocks: &[Block],
    text: impl Fn(Range<usize>) -> String,
    line_of: impl Fn(usize) -> usize,
) {
    for (at, block) in blocks.iter().enumerate() {
        if block.level == 0 {
            continue;
        }
        let line = line_of(block.range.start);
        let Some(section) = doc.sections.iter_mut().find(|s| s.line == line) else {
            continue;
        };
        if section.kind != SectionKind::Entries || section.date.is_some() {
            continue;
        }
        let under: Vec<String> = blocks
            .iter()
            .skip(at + 1)
            .take_while(|next| next.level == 0 && !next.list)
            .map(|next| text(next.range.clone()))
            .filter(|kept| !kept.is_empty())
            .collect();
        let intro = under.join("\n\n");
        let plain = section.description.as_deref().unwrap_or_default();
        if !intro.is_empty() && intro != plain {
            section.intro = Some(intro);
        }
    }
}

/// The list's own style (issue 22): the marker most entries are written
/// with, when it is not `-`, and the indent of the first item nested
/// under a group, when it is not two spaces.
pub(super) fn list_style(markdown: &str, doc: &mut Document) {
    let lines: Vec<&str> = markdown.lines().collect();
    let line = |number: usize| {
        lines
            .get(number.wrapping_sub(1))
            .copied()
            .unwrap_or_default()
    };
    let mut counts = [0usize; 3];
    for item in &doc.items {
        let marker = line(item.line).trim_start().chars().next();
        if let Some(at) = marker.and_then(|m| ['-', '*', '+'].iter().position(|&c| c == m)) {
            counts[at] += 1;
        }
    }
    let most = (0..3).max_by_key(|&at| (counts[at], at == 0)).unwrap_or(0);
    doc.marker = (most > 0).then(|| ['-', '*', '+'][most]);
    let nested = doc.items.iter().find(|item| item.group.is_some());
    // The item's own line, or the next: an item indented with a tab may
    // start at the end of the line before.
    let indent = nested.and_then(|item| {
        let text = [item.line, item.line + 1]
            .map(line)
            .into_iter()
            .find(|text| text.starts_with([' ', '\t']))?;
        let width = text.len() - text.trim_start().len();
        text.get(..width).map(str::to_owned)
    });
    doc.indent = match indent.as_deref() {
        Some("\t") => Some("\t".to_owned()),
        Some("    ") => Some("    ".to_owned()),
        _ => None,
    };
}

/// `text` without the characters a catalogue file cannot carry (control
/// characters but tab and line breaks), which `oyez check` would refuse.
fn carried(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
            !control && !matches!(c, '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// Whether `block` is a list of in-page links only: a table of contents
/// without a heading, which the README writes again.
fn is_contents(block: &str) -> bool {
    let mut links = Parser::new(block).filter_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.starts_with('#')),
        _ => None,
    });
    block.starts_with(['-', '*', '+']) && links.next() == Some(true) && links.all(|inner| inner)
}

/// `block` without the Awesome badge (a link around an `awesome.re` image).
fn without_awesome_badge(block: &str) -> String {
    let mut cut: Vec<Range<usize>> = Vec::new();
    let mut link: Option<Range<usize>> = None;
    for (event, range) in Parser::new(block).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { .. }) => link = Some(range),
            Event::End(TagEnd::Link) => link = None,
            Event::Start(Tag::Image { dest_url, .. }) if dest_url.contains("awesome.re/badge") => {
                cut.push(link.clone().unwrap_or(range));
            }
            _ => {}
        }
    }
    let mut kept = block.to_owned();
    for range in cut.iter().rev() {
        if kept.get(range.clone()).is_some() {
            kept.replace_range(range.clone(), "");
        }
    }
    kept.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_text_holds_only_what_a_catalogue_can_carry() {
        let mut doc = Document::default();
        keep(
            "# T\n\nIntro\u{c} with\u{1} controls.\n\n## A\n",
            &mut doc,
            |_| 0,
            (None, None),
        );
        assert_eq!(doc.intro.as_deref(), Some("Intro with controls."));
    }

    #[test]
    fn a_list_of_in_page_links_is_a_contents_list() {
        assert!(is_contents("- [A](#a)\n  - [B](#b)"));
        assert!(!is_contents("- [A](#a)\n- [B](https://example.org)"));
        assert!(!is_contents("See [A](#a)."));
    }

    #[test]
    fn the_awesome_badge_leaves_the_intro_and_other_badges_stay() {
        let badges = "[![Build](https://ci.example.org/b.svg)](https://ci.example.org) [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)";
        assert_eq!(
            without_awesome_badge(badges),
            "[![Build](https://ci.example.org/b.svg)](https://ci.example.org)"
        );
        assert_eq!(
            without_awesome_badge(
                "[![Awesome](https://awesome.re/badge-flat.svg)](https://awesome.re)"
            ),
            ""
        );
    }
}

#[cfg(test)]
mod style_tests {
    #[test]
    fn the_list_style_is_read() {
        let doc = super::super::parse(
            "# L\n\n## Control flow\n\n* Promises\n\t* [pify](https://p.example) - Promisify.\n\t* [delay](https://d.example) - Delay.\n",
        );
        assert_eq!(doc.items[0].group.as_deref(), Some("Promises"));
        assert_eq!(doc.marker, Some('*'));
        assert_eq!(doc.indent.as_deref(), Some("\t"));
    }
}
