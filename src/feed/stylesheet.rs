//! `feed.xsl` (issue 13): the XSLT stylesheet the Atom and RSS feeds name,
//! so that a feed opened in a browser reads as a page (title, what a feed
//! is, how to subscribe, every item). It reads everything from the feed, so
//! one file serves every feed; a catalogue's `templates/feed.xsl` replaces it.

/// The stylesheet's path under the site (and in the output folder).
pub const FILE: &str = "feed.xsl";

/// The built-in stylesheet, `templates/feed.xsl`.
pub const BUILTIN: &str = include_str!("../../templates/feed.xsl");
