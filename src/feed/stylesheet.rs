//! `feed.xsl` (issue 13): the XSLT stylesheet the Atom and RSS feeds name,
//! so that a feed opened in a browser reads as a page (title, what a feed
//! is, how to subscribe, every item). It reads everything from the feed, so
//! one file serves every feed; a catalogue's `templates/feed.xsl` replaces it.
//! Its words are the catalogue's language's (`{{ strings.KEY }}`, filled
//! in by [`localise`], in a catalogue's own stylesheet too).
//!
//! `feed.css` (issue 23 §4): named second, the view of a browser that no
//! longer runs XSLT: CSS on the feed's own elements (title, what a feed
//! is, each item's title, date and address). `templates/feed.css` replaces it.
//! Its words are filled in the same way by [`localise_css`], escaped for a
//! CSS string.
//!
//! Both are named by a relative address (`../../feed.xsl` from
//! `categories/books/atom.xml`), so the view works wherever the files are
//! served: browsers apply a stylesheet from the feed's own origin only.

use crate::strings::{Key, Strings};

/// The stylesheet's path under the site (and in the output folder).
pub const FILE: &str = "feed.xsl";

/// The built-in stylesheet, `templates/feed.xsl`.
pub const BUILTIN: &str = include_str!("../../templates/feed.xsl");

/// The built-in stylesheet with its words in the catalogue's language.
pub fn builtin(strings: &Strings) -> String {
    localise(BUILTIN, strings)
}

/// `stylesheet` (the built-in one or a catalogue's) with each
/// `{{ strings.KEY }}` replaced by that string, escaped for XML.
pub fn localise(stylesheet: &str, strings: &Strings) -> String {
    fill(stylesheet, strings, crate::strings::html)
}

/// The built-in CSS fallback with its words in the catalogue's language.
pub fn builtin_css(strings: &Strings) -> String {
    localise_css(CSS_BUILTIN, strings)
}

/// `css` (the built-in `feed.css` or a catalogue's) with each
/// `{{ strings.KEY }}` replaced by that string, escaped for a CSS string
/// (`content: "{{ strings.view_web_feed }}"`).
pub fn localise_css(css: &str, strings: &Strings) -> String {
    fill(css, strings, css_string)
}

/// `text` safe inside a double-quoted CSS string: quotes, backslashes,
/// line breaks and every character outside printable ASCII as CSS escapes
/// (`\22 `, `\e9 `), so the file reads the same in any encoding.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            ' '..='~' => out.push(c),
            other => out.push_str(&format!("\\{:x} ", u32::from(other))),
        }
    }
    out
}

/// `text` with each `{{ strings.KEY }}` replaced by that string, passed
/// through `escape`; an unknown key is left as written.
fn fill(text: &str, strings: &Strings, escape: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{ strings.") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let name = after["{{ strings.".len()..]
            .split(" }}")
            .next()
            .unwrap_or_default();
        match Key::named(name) {
            Some(key) => {
                out.push_str(&escape(strings.get(key)));
                rest = &after["{{ strings.".len() + name.len() + " }}".len()..];
            }
            None => {
                out.push_str("{{");
                rest = &after[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The CSS fallback's path under the site.
pub const CSS_FILE: &str = "feed.css";

/// The built-in CSS fallback, `templates/feed.css`.
pub const CSS_BUILTIN: &str = include_str!("../../templates/feed.css");

/// The processing instructions of a feed document in folder `dir` (`""` or
/// ending in `/`): `feed.xsl`, then `feed.css`, each relative to it.
pub fn instructions(dir: &str) -> String {
    let up = "../".repeat(dir.matches('/').count());
    format!(
        "<?xml-stylesheet type=\"text/xsl\" href=\"{up}{FILE}\"?>\n\
         <?xml-stylesheet type=\"text/css\" href=\"{up}{CSS_FILE}\"?>"
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn the_view_speaks_the_catalogue_language() {
        let english = builtin(&Strings::default());
        assert!(english.contains("<strong>This is a web feed.</strong>"));
        assert!(english.contains("<p>To subscribe, copy this address into your feed reader:</p>"));
        assert!(!english.contains("{{ strings.view"));
        let spanish = builtin(&Strings::new("es", &BTreeMap::new()));
        for english in [
            "web feed",
            "subscribe",
            "catalogue page",
            "Or read",
            "reader",
        ] {
            assert!(!spanish.contains(english), "{english}");
        }
        assert!(
            spanish
                .contains("<p>O lee todo en <a href=\"{$home}\">la página del catálogo</a>.</p>")
        );
        let own = BTreeMap::from([("view_page".to_owned(), "<home> & co".to_owned())]);
        let escaped = builtin(&Strings::new("en", &own));
        assert!(escaped.contains(">&lt;home&gt; &amp; co</a>"));
    }

    #[test]
    fn the_css_view_speaks_the_catalogue_language_in_css_strings() {
        let english = builtin_css(&Strings::default());
        assert!(english.contains("content: \"This is a web feed. A feed reader (such as "));
        assert!(english.contains("\\A To subscribe, copy the address of this page into"));
        assert!(!english.contains("{{ strings.view"));
        let spanish = builtin_css(&Strings::new("es", &BTreeMap::new()));
        for english in ["web feed", "subscribe", "reader"] {
            assert!(!spanish.contains(english), "{english}");
        }
        assert!(spanish.contains("\"Esto es un feed web. Un lector de feeds"));
        assert!(spanish.contains("copia la direcci\\f3 n de esta p\\e1 gina"));
        let own = BTreeMap::from([(
            "view_web_feed".to_owned(),
            "A \"feed\" \\ <b>\n»".to_owned(),
        )]);
        let escaped = builtin_css(&Strings::new("en", &own));
        assert!(
            escaped.contains("content: \"A \\22 feed\\22  \\5c  \\3c b\\3e \\a \\bb  A feed"),
            "{escaped}"
        );
    }

    #[test]
    fn the_instructions_climb_to_the_site_folder() {
        assert!(super::instructions("").contains("href=\"feed.xsl\""));
        let deep = super::instructions("archive/categories/books/3/");
        assert!(deep.contains("href=\"../../../../feed.css\""), "{deep}");
    }
}
