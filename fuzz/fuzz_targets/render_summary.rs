//! Any Markdown summary renders to HTML with no script, no event handler
//! and no URL other than http(s) or mailto, and to plain text without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let base = url::Url::parse("https://example.org/list/").expect("base URL");
    let text = oyez::catalogue::text::render(markdown, &base);
    // Plain text is derived on demand; deriving it must not panic either.
    let _plain = text.plain();
    for (tag, attribute, value) in attributes(&text.html) {
        let tag = tag.to_ascii_lowercase();
        let attribute = attribute.to_ascii_lowercase();
        assert!(!matches!(tag.as_str(), "script" | "iframe" | "svg" | "style" | "object"), "<{tag}> in {:?}", text.html);
        assert!(!attribute.starts_with("on"), "handler {attribute} in {:?}", text.html);
        if matches!(attribute.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href") {
            let allowed = ["http:", "https:", "mailto:"];
            assert!(allowed.iter().any(|s| value.to_ascii_lowercase().starts_with(s)), "{attribute}={value:?} in {:?}", text.html);
        }
    }
});

/// Every (tag, attribute, value) of the HTML, quote-aware. ammonia's output
/// always quotes values with `"`.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let tag_len = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let tag = rest[..tag_len].to_owned();
        rest = &rest[tag_len..];
        found.push((tag.clone(), String::new(), String::new()));
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let name_len = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(rest.len());
            let name = rest[..name_len].to_owned();
            rest = &rest[name_len..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix("=\"") {
                let end = after.find('"').unwrap_or(after.len());
                value = after[..end].replace("&amp;", "&");
                rest = after.get(end + 1..).unwrap_or("");
            }
            found.push((tag.clone(), name, value));
        }
    }
    found
}
