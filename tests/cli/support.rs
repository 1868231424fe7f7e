//! Shared checks for the integration tests: exact stderr, feeds parsed
//! back by feed-rs, scans of every output for executable content, and git
//! run apart from the machine's configuration.

use std::fs;
use std::path::Path;

use crate::case::Run;

/// Runs git in `dir` with `env` (authors, dates), apart from the system's
/// and the user's configuration; fails the test if git fails.
pub fn git(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

/// Removes the common indentation and the first newline, so expected text
/// can be written as an indented raw string.
pub fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        out.push_str(line.get(indent..).unwrap_or(line.trim_start_matches(' ')));
    }
    out.trim_end_matches(' ').to_owned()
}

/// Asserts the exit code and the whole stderr (unindented), printing both in full.
#[track_caller]
pub fn expect(run: &Run, code: i32, stderr: &str) {
    let stderr = unindent(stderr);
    assert!(
        run.code == code && run.stderr == stderr,
        "expected exit {code} and stderr:\n{stderr}\n--- got exit {} and stderr:\n{}\n--- stdout:\n{}",
        run.code,
        run.stderr,
        run.stdout
    );
}

/// Parses a feed file with feed-rs, an independent parser.
#[track_caller]
pub fn parse_feed(path: &Path) -> feed_rs::model::Feed {
    let bytes = fs::read(path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()));
    feed_rs::parser::parse(bytes.as_slice())
        .unwrap_or_else(|err| panic!("feed-rs cannot parse {}: {err}", path.display()))
}

/// Everything executable that an output file could carry, by file type:
/// HTML tags and attributes in pages and XML, the HTML bodies of feed items
/// (parsed back by feed-rs), and the schemes of every feed link.
pub fn hazards(path: &str, bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let text = without_own_filter(path, &text);
    let mut found = Vec::new();
    if path.ends_with(".html") || path.ends_with(".xml") {
        found.extend(html_hazards(&text));
    }
    if path.ends_with(".md") {
        // A Markdown output (a list for a README) is read rendered, and
        // Markdown lets raw HTML through: render it as a viewer would.
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
        found.extend(html_hazards(&html));
    }
    if path.ends_with(".xml") || path.ends_with(".json") {
        match feed_rs::parser::parse(bytes) {
            Ok(feed) => found.extend(feed_hazards(&feed)),
            Err(err) => found.push(format!("unparseable feed: {err}")),
        }
    }
    found.into_iter().map(|f| format!("{path}: {f}")).collect()
}

/// The catalogue page without its own filter box and script (issue 11),
/// the one form and script oyez writes, as `templates/index.html` holds
/// them: each taken out once, so that any other is still found.
fn without_own_filter(path: &str, text: &str) -> String {
    let mut text = text.to_owned();
    if !path.ends_with("index.html") {
        return text;
    }
    let template = include_str!("../../templates/index.html");
    // In the page's language, as publishing fills them in (issue 23).
    let language = text
        .split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next());
    let strings = oyez::strings::Strings::new(language.unwrap_or("en"), &Default::default());
    let word = |key| oyez::strings::html(strings.get(key));
    let of = oyez::strings::js(&format!(" {} ", strings.get(oyez::strings::Key::filter_of)));
    for (start, end) in [
        ("<form class=\"filter\"", "</form>"),
        ("<script>\n", "</script>\n"),
    ] {
        let from = template.find(start).expect("the template's filter");
        let to = from + template[from..].find(end).expect("its end") + end.len();
        let own = template[from..to]
            .replace("{{ strings.filter }}", &word(oyez::strings::Key::filter))
            .replace(
                "{{ strings.filter_placeholder }}",
                &word(oyez::strings::Key::filter_placeholder),
            )
            .replace("{{ strings.js(\"filter_of\") }}", &of);
        text = text.replacen(&own, "", 1);
    }
    text
}

fn feed_hazards(feed: &feed_rs::model::Feed) -> Vec<String> {
    let mut found = Vec::new();
    let links = feed
        .links
        .iter()
        .chain(feed.entries.iter().flat_map(|e| &e.links));
    for link in links {
        if !(link.href.starts_with("https://") || link.href.starts_with("http://")) {
            found.push(format!("link to {:?}", link.href));
        }
    }
    // Plain-text fields (JSON Feed `content_text`, Atom `type="text"`) are
    // inert; everything a reader renders as HTML is scanned.
    for entry in &feed.entries {
        if let Some(content) = &entry.content
            && content.content_type.subty() != "plain"
        {
            let body = content.body.as_deref().unwrap_or_default();
            found.extend(html_hazards(body));
        }
        if let Some(summary) = &entry.summary
            && summary.content_type.subty() != "plain"
        {
            found.extend(html_hazards(&summary.content));
        }
    }
    found
}

/// Elements that run code or embed other documents.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "svg", "object", "embed", "frame", "math", "base", "form",
];

/// Scans HTML (or XML) tags: forbidden elements, `on*` attributes, and
/// attribute values that are `javascript:`, `vbscript:` or `data:` URLs once
/// entities are resolved (as a browser would). Text between tags is inert.
pub fn html_hazards(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            found.push(format!("<{name}> element"));
        }
        let end = tag_end(rest);
        for (attr, value) in attributes(&rest[name_len..end]) {
            if attr.starts_with("on") {
                found.push(format!("{attr} handler on <{name}>"));
            }
            let value: String = resolve_entities(&value)
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                if value.starts_with(scheme) {
                    found.push(format!("{scheme} URL in {attr} of <{name}>"));
                }
            }
        }
        rest = &rest[end..];
    }
    found
}

/// The end of a tag's attributes: the first `>` outside quotes.
fn tag_end(tag: &str) -> usize {
    let mut quote = None;
    for (index, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return index,
            _ => {}
        }
    }
    tag.len()
}

/// `name=value` pairs of a tag's attribute text (names lowercased).
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | '/')) {
            name.push(c.to_ascii_lowercase());
        }
        if name.is_empty() {
            return pairs;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.next_if(|c| matches!(c, '"' | '\'')) {
                Some(quote) => {
                    for c in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                        value.push(c);
                    }
                }
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        pairs.push((name, value));
    }
}

/// Resolves named XML entities and numeric ones.
fn resolve_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| decode_entity(&rest[1..end]));
        match (end, decoded) {
            (Some(end), Some(c)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "colon" => Some(':'),
        "Tab" | "tab" => Some('\t'),
        "NewLine" => Some('\n'),
        _ => {
            let number = name.strip_prefix('#')?;
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(value)
        }
    }
}

#[test]
fn the_hazard_scan_reads_markdown_outputs_rendered() {
    assert_eq!(
        hazards("list.md", b"- [a](https://e.org) &lt;script&gt;"),
        Vec::<String>::new()
    );
    assert_eq!(
        hazards(
            "list.md",
            b"- <script>alert(1)</script>\n- [x](javascript:alert(2))"
        ),
        [
            "list.md: <script> element",
            "list.md: javascript: URL in href of <a>"
        ]
    );
}

#[test]
fn the_hazard_scan_finds_what_it_looks_for() {
    let none = Vec::<String>::new();
    assert_eq!(
        html_hazards("<p>plain &amp; safe &lt;script&gt; on=1 <a href=\"https://x\">x</a></p>"),
        none
    );
    assert_eq!(
        html_hazards("<SCRIPT>alert(1)</SCRIPT>"),
        vec!["<script> element"]
    );
    assert_eq!(
        html_hazards("<img src=x onerror=alert(1)>"),
        vec!["onerror handler on <img>"]
    );
    assert_eq!(
        html_hazards("<a href=\"&#106;ava&#x73;cript&colon;x\">"),
        vec!["javascript: URL in href of <a>"]
    );
    assert_eq!(
        html_hazards("<img src='data:image/svg+xml,x'>"),
        vec!["data: URL in src of <img>"]
    );
    assert_eq!(
        html_hazards("<a title=\"x > y\" href=\" java\tscript:x\">"),
        vec!["javascript: URL in href of <a>"]
    );
}
