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
    // Issue 23 §4: relative addresses, so that the view works from any
    // host (a local preview, a mirror), and feed.css for browsers without XSLT.
    for (path, up) in [
        ("public/atom.xml", ""),
        ("public/rss.xml", ""),
        ("public/categories/talks/rss.xml", "../../"),
        ("public/archive/1/atom.xml", "../../"),
        ("public/feed.json", "-"),
    ] {
        if up == "-" {
            assert!(!case.read(path).contains("xml-stylesheet"), "{path}");
            continue;
        }
        let xsl = format!(r#"<?xml-stylesheet type="text/xsl" href="{up}feed.xsl"?>"#);
        assert_eq!(second_line(&case, path), xsl, "{path}");
        let css = format!(r#"<?xml-stylesheet type="text/css" href="{up}feed.css"?>"#);
        assert_eq!(case.read(path).lines().nth(2).unwrap(), css, "{path}");
        let feed = parse_feed(&case.path().join(path));
        assert!(feed.title.is_some(), "{path} still parses");
    }
    // The built-in ones in the catalogue's language (issue 23 §5).
    let source = std::fs::read_to_string(repo_root().join("templates/feed.xsl")).unwrap();
    let builtin = oyez::feed::stylesheet::localise(&source, &Default::default());
    assert_eq!(case.read("public/feed.xsl"), builtin);
    let source = std::fs::read_to_string(repo_root().join("templates/feed.css")).unwrap();
    let css = oyez::feed::stylesheet::localise_css(&source, &Default::default());
    assert_eq!(case.read("public/feed.css"), css);
    assert!(css.contains("content: \"This is a web feed. "), "{css}");
}

#[test]
fn a_catalogue_stylesheet_replaces_the_builtin_one() {
    let own = "<?xml version=\"1.0\"?>\n<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"/>\n";
    let css = "feed::before { content: \"{{ strings.view_web_feed }}\"; }\n";
    let case = Case::new()
        .file("entries/talks.toml", TALKS)
        .file("templates/feed.xsl", own)
        .file("templates/feed.css", css);
    case.run(&["publish"]).ok();
    assert_eq!(case.read("public/feed.xsl"), own);
    // Its words filled in as the built-in one's (issue 23 §5).
    let filled = "feed::before { content: \"This is a web feed.\"; }\n";
    assert_eq!(case.read("public/feed.css"), filled);
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
    assert!(!case.path().join("public/feed.css").exists());
}

/// Where a paragraph ends in the browser view (issue 23).
const GAP: &str = "<span class=\"gap\"></span>";

/// Applies `xsl` to the feed at `feed` with the system's libxslt (through
/// python3's ctypes), as Chromium does; `None` where either is missing.
fn apply_with_libxslt(xsl: &std::path::Path, feed: &std::path::Path) -> Option<(bool, String)> {
    const APPLY: &str = r#"
import ctypes, ctypes.util, sys
try:
    xml, xslt = ctypes.CDLL("libxml2.so.2"), ctypes.CDLL("libxslt.so.1")
except OSError:
    sys.exit(3)
P = ctypes.c_void_p
xml.xmlParseFile.restype = xslt.xsltParseStylesheetFile.restype = P
xslt.xsltApplyStylesheet.restype = P
xslt.xsltApplyStylesheet.argtypes = [P, P, P]
xslt.xsltSaveResultToString.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_int), P, P]
style = xslt.xsltParseStylesheetFile(sys.argv[1].encode())
result = xslt.xsltApplyStylesheet(style, xml.xmlParseFile(sys.argv[2].encode()), None)
if not result:
    sys.exit(1)
out, n = ctypes.c_char_p(), ctypes.c_int()
xslt.xsltSaveResultToString(ctypes.byref(out), ctypes.byref(n), result, style)
sys.stdout.write(ctypes.string_at(out, n.value).decode())
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", APPLY])
        .arg(xsl)
        .arg(feed)
        .output()
        .ok()?;
    match run.status.code() {
        Some(0) => Some((true, String::from_utf8(run.stdout).unwrap())),
        Some(1) => Some((false, String::from_utf8_lossy(&run.stderr).into_owned())),
        _ => None,
    }
}

// Issue 20: a summary full of escaped characters (or of tags), well under
// the summary cap, made the stylesheet recurse once per entity or tag past
// libxslt's 3,000 nested calls, and Chromium showed an empty page.
#[test]
fn a_summary_of_thousands_of_entities_and_tags_still_shows_in_the_browser_view() {
    let entry = |title: &str, day: u8, summary: &str| {
        format!(
            "[[entry]]\ntitle = \"{title}\"\nurl = \"https://example.org/{title}\"\nadded = \
             2024-01-0{day}\nsummary = \"{summary}\"\n"
        )
    };
    let entities = "&<".repeat(3_000);
    let tags = "**x** ".repeat(1_600);
    let text = format!(
        "category = \"talks\"\n{}{}{}",
        entry("entities", 3, &entities),
        entry("tags", 2, &tags),
        entry("small", 1, "a &amp; <b>b</b> &lt; c; d;e &copy")
    );
    let case = Case::new().file("entries/talks.toml", text);
    case.run(&["publish"]).ok();
    let xsl = case.path().join("public/feed.xsl");
    for feed in ["atom.xml", "rss.xml"] {
        let Some((applied, page)) =
            apply_with_libxslt(&xsl, &case.path().join("public").join(feed))
        else {
            eprintln!("no python3 or libxslt here: the browser view is checked in .ci/run");
            return;
        };
        assert!(applied, "{feed}: {page}");
        // Each item's summary is the text after its date, each paragraph
        // ending in a gap (issue 23).
        let summaries: Vec<&str> = page
            .split("</time><div class=\"text\">")
            .skip(1)
            .filter_map(|p| p.split("</div>").next())
            .map(|text| text.trim_end().trim_end_matches(GAP))
            .collect();
        let shown_entities = "&amp;&lt;".repeat(3_000);
        let shown_tags = format!("{}x", "x ".repeat(1_599));
        let expected = [
            shown_entities.as_str(),
            shown_tags.as_str(),
            "a &amp; b &lt; c; d;e &amp;copy",
        ];
        // Compared whole, reported short: the texts run to 30 KB.
        let lengths: Vec<usize> = summaries.iter().map(|s| s.len()).collect();
        assert!(
            summaries == expected,
            "{feed}: summaries of {lengths:?} bytes"
        );
    }
}

// Issue 23 §4: the updates feed's notes read as paragraphs, and the list
// of what an update announces one line per resource, not one run-on line.
#[test]
fn update_notes_show_as_paragraphs_in_the_browser_view() {
    let text = format!(
        "{TALKS}\n[[entry]]\ntitle = \"Another\"\nurl = \"https://example.org/a\"\nadded = 2024-01-02\n\n\
         [[update]]\ndate = 2024-01-02\nnote = \"\"\"First paragraph.\n\nSecond, don't merge.\"\"\"\n"
    );
    let case = Case::new().file("entries/talks.toml", text);
    case.run(&["publish"]).ok();
    let xsl = case.path().join("public/feed.xsl");
    let Some((applied, page)) =
        apply_with_libxslt(&xsl, &case.path().join("public/updates/atom.xml"))
    else {
        eprintln!("no python3 or libxslt here: the browser view is checked in .ci/run");
        return;
    };
    assert!(applied, "{page}");
    for shown in [
        format!("First paragraph.{GAP}"),
        format!("Second, don't merge.{GAP}"),
        "A talk<br>".to_owned(),
        "Another<br>".to_owned(),
    ] {
        assert!(page.contains(&shown), "{shown}\n{page}");
    }
}
