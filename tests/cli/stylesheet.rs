//! The feeds' browser view (issue 13): Atom and RSS name `feed.xsl`, which
//! publish writes (the catalogue's own when it has one). `.ci/run` opens
//! the feeds in headless Chromium to see the stylesheet applied.

use crate::case::{CONFIG, Case, repo_root};
use crate::support::parse_feed;

const TALKS: &str = "category = \"talks\"\n\n[[entry]]\ntitle = \"A talk\"\nurl = \"https://example.org/t\"\nadded = 2024-01-02\n";

fn second_line(case: &Case, path: &str) -> String {
    case.read(path).lines().nth(1).unwrap().to_owned()
}

#[test]
fn feeds_name_the_stylesheet_that_publish_writes() {
    let case = Case::new().file("entries/talks.toml", TALKS);
    case.run(&["publish"]).ok();
    let pi = r#"<?xml-stylesheet type="text/xsl" href="https://example.org/list/feed.xsl"?>"#;
    for path in [
        "public/atom.xml",
        "public/rss.xml",
        "public/categories/talks/rss.xml",
        "public/archive/1/atom.xml",
    ] {
        assert_eq!(second_line(&case, path), pi, "{path}");
        let feed = parse_feed(&case.path().join(path));
        assert!(feed.title.is_some(), "{path} still parses");
    }
    let builtin = std::fs::read(repo_root().join("templates/feed.xsl")).unwrap();
    assert_eq!(
        std::fs::read(case.path().join("public/feed.xsl")).unwrap(),
        builtin
    );
}

#[test]
fn a_catalogue_stylesheet_replaces_the_builtin_one() {
    let own = "<?xml version=\"1.0\"?>\n<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"/>\n";
    let case = Case::new()
        .file("entries/talks.toml", TALKS)
        .file("templates/feed.xsl", own);
    case.run(&["publish"]).ok();
    assert_eq!(case.read("public/feed.xsl"), own);
}

#[test]
fn stylesheet_false_leaves_the_instruction_and_the_file_out() {
    let config = format!("{CONFIG}\n[feeds]\nstylesheet = false\n");
    let case = Case::new()
        .file("oyez.toml", config)
        .file("entries/talks.toml", TALKS);
    case.run(&["publish"]).ok();
    assert_eq!(
        second_line(&case, "public/atom.xml"),
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"
    );
    assert!(second_line(&case, "public/rss.xml").starts_with("<rss "));
    assert!(!case.path().join("public/feed.xsl").exists());
}
