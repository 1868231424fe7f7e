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
    let mut out = String::with_capacity(stylesheet.len());
    let mut rest = stylesheet;
    while let Some(start) = rest.find("{{ strings.") {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let name = after["{{ strings.".len()..]
            .split(" }}")
            .next()
            .unwrap_or_default();
        match Key::named(name) {
            Some(key) => {
                out.push_str(&crate::strings::html(strings.get(key)));
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
    fn the_instructions_climb_to_the_site_folder() {
        assert!(super::instructions("").contains("href=\"feed.xsl\""));
        let deep = super::instructions("archive/categories/books/3/");
        assert!(deep.contains("href=\"../../../../feed.css\""), "{deep}");
    }
}
