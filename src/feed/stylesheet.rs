//! `feed.xsl` (issue 13): the XSLT stylesheet the Atom and RSS feeds name,
//! so that a feed opened in a browser reads as a page (title, what a feed
//! is, how to subscribe, every item). It reads everything from the feed, so
//! one file serves every feed; a catalogue's `templates/feed.xsl` replaces it.
//!
//! `feed.css` (issue 23 §4): named second, the view of a browser that no
//! longer runs XSLT: CSS on the feed's own elements (title, what a feed
//! is, each item's title, date and address). `templates/feed.css` replaces it.
//!
//! Both are named by a relative address (`../../feed.xsl` from
//! `categories/books/atom.xml`), so the view works wherever the files are
//! served: browsers apply a stylesheet from the feed's own origin only.

/// The stylesheet's path under the site (and in the output folder).
pub const FILE: &str = "feed.xsl";

/// The built-in stylesheet, `templates/feed.xsl`.
pub const BUILTIN: &str = include_str!("../../templates/feed.xsl");

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
    #[test]
    fn the_instructions_climb_to_the_site_folder() {
        assert!(super::instructions("").contains("href=\"feed.xsl\""));
        let deep = super::instructions("archive/categories/books/3/");
        assert!(deep.contains("href=\"../../../../feed.css\""), "{deep}");
    }
}
