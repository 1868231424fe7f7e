//! A page and mails in the catalogue's language (issue 23 §5): a Spanish
//! catalogue's page, list, digest (text and HTML), feed view (XSLT and
//! CSS) and the text of a feed entry without summary carry its
//! strings and none of the English ones; `[strings]` replaces one; entries
//! in more than one language get a feed per language, parsed by feed-rs.

use std::collections::BTreeMap;

use oyez::digest::ledger::Window;
use oyez::digest::{plan, render};
use oyez::template::Templates;

use crate::case::Case;
use crate::support::parse_feed;

const SPANISH: &str = r#"[site]
title = "Charlas"
base_url = "https://example.org/charlas/"
description = "Charlas sobre plataformas"
language = "es"

[[category]]
slug = "charlas"
title = "Charlas"

[contributors.ana]
name = "Ana"

[digest]
from = "boletin@example.org"
to = "lista@example.org"
"#;

const ENTRIES: &str = r#"category = "charlas"

[[update]]
date = 2024-03-02
note = "Dos charlas nuevas."
by = ["ana"]

[[entry]]
id = "uno"
title = "Construyendo infraestructuras evolutivas"
url = "https://example.org/1"
added = 2024-03-01
authors = ["Eduardo"]
by = ["ana"]
summary = "Una charla."

[[entry]]
id = "two"
title = "Platforms at Twilio"
url = "https://example.org/2"
added = 2024-02-01
language = "en"
by = ["bob"]
"#;

/// English words of the page, the list, the mails and the view that a
/// Spanish catalogue must not show.
const ENGLISH: &[&str] = &[
    "Follow",
    "Recently added",
    "Contributors",
    "Updates",
    "suggested by",
    "Suggested by",
    "resources",
    "Published with",
    "Every feed",
    "Filter",
    "Thanks to",
    "Thank you",
    "Welcome",
    "Contents",
    "thanks @",
    "Update log",
    "The whole catalogue",
    "dated",
    "new resource",
    "web feed",
    "catalogue page",
    "feed reader",
    " of ",
    "in English",
    "by Eduardo",
];

/// A catalogue of `config` and `entries`, not published.
fn catalogue(config: &str, entries: &str) -> Case {
    Case::empty()
        .file("oyez.toml", config)
        .file("entries/charlas.toml", entries)
}

/// A catalogue of `config` and [`ENTRIES`], published.
fn spanish(config: &str) -> Case {
    let case = catalogue(config, ENTRIES);
    case.run(&["publish"]).ok();
    case
}

fn no_english(what: &str, text: &str) {
    for english in ENGLISH {
        assert!(!text.contains(english), "{what} says {english:?}:\n{text}");
    }
}

#[test]
fn a_spanish_catalogue_publishes_its_page_list_and_view_in_spanish() {
    let case = spanish(SPANISH);
    let page = case.read("public/index.html");
    no_english("index.html", &page);
    for spanish in [
        "<p>2 recursos. Seguir: ",
        "<h2 id=\"recently-added-title\">Añadidos recientemente</h2>",
        "<span class=\"meta\">de Eduardo</span> <span class=\"credits\">sugerido por <a href=\"#@ana\">@ana</a>",
        "<label for=\"filter\">Filtrar</label>",
        "placeholder=\"título, resumen, @usuario\"",
        "<h2 id=\"contributors-title\">Colaboradores</h2>",
        "<p>Seguir un idioma: <a href=\"https://example.org/charlas/languages/en/atom.xml\">inglés</a> · \
         <a href=\"https://example.org/charlas/languages/es/atom.xml\">español</a></p>",
        "shown + \" de \" + items.length",
        "<li id=\"two\" lang=\"en\">",
    ] {
        assert!(page.contains(spanish), "{spanish}\n{page}");
    }
    let list = case.read("public/README.md");
    no_english("README.md", &list);
    for spanish in [
        "Sigue las novedades: ",
        "## Contenido",
        "- [Actualizaciones](#actualizaciones)",
        "(gracias @ana)",
        "## Colaboradores\n\nGracias a Ana (@ana), @bob.",
    ] {
        assert!(list.contains(spanish), "{spanish}\n{list}");
    }
    let view = case.read("public/feed.xsl");
    // What the view shows: its comments, for maintainers, left out.
    let shown: String = view
        .split("<!--")
        .map(|part| part.split_once("-->").map_or(part, |(_, after)| after))
        .collect();
    no_english("feed.xsl", &shown);
    assert!(view.contains("<strong>Esto es un feed web.</strong>"));
    let css = case.read("public/feed.css");
    no_english("feed.css", css.split_once("*/").expect("a comment").1);
    assert!(
        css.contains("content: \"Esto es un feed web. Un lector de feeds"),
        "{css}"
    );
    let atom = case.read("public/atom.xml");
    assert!(!atom.contains(", in "), "{atom}");
    assert!(
        atom.contains("<summary>Platforms at Twilio, en Charlas: https://example.org/2</summary>"),
        "{atom}"
    );
    let updates = case.read("public/updates/atom.xml");
    assert!(updates.contains("<title>Charlas: actualizaciones</title>"));
    assert!(updates.contains("Gracias a Ana."), "{updates}");
}

#[test]
fn a_spanish_digest_speaks_spanish_in_both_bodies() {
    let case = spanish(SPANISH);
    let catalogue = oyez::catalogue::load(case.path()).unwrap().catalogue;
    let templates = Templates::new(BTreeMap::new()).unwrap();
    let plan = plan::plan(&catalogue, Window::EVERYTHING);
    let unsubscribe = ["mailto:baja@example.org".to_owned()];
    let mail = render::content(&catalogue, &templates, &plan, "d", &unsubscribe).unwrap();
    assert_eq!(mail.subject, "Charlas: 2 recursos nuevos");
    no_english("the text body", &mail.text);
    no_english("the HTML body", &mail.html);
    for text in [
        "2 recursos nuevos y 1 nota del registro de cambios, del 2024-02-01 al 2024-03-02",
        "  de Eduardo\n",
        "== Registro de cambios ==",
        "Para darte de baja: mailto:baja@example.org",
        "El catálogo completo: https://example.org/charlas/",
    ] {
        assert!(mail.text.contains(text), "{text}\n{}", mail.text);
    }
    for html in [
        "<title>Charlas: boletín del ",
        "Sugerido por Ana",
        "¡Damos la bienvenida a",
        ">por correo</a>.</p>",
    ] {
        assert!(mail.html.contains(html), "{html}\n{}", mail.html);
    }
}

#[test]
fn a_catalogue_replaces_a_string_in_strings() {
    let config =
        format!("{SPANISH}\n[strings]\nrecently_added = \"Lo último\"\nfollow = \"Síguenos:\"\n");
    let case = spanish(&config);
    let page = case.read("public/index.html");
    assert!(page.contains("<h2 id=\"recently-added-title\">Lo último</h2>"));
    assert!(page.contains("<li><a href=\"#recently-added\">Lo último</a></li>"));
    assert!(page.contains("2 recursos. Síguenos: "));
    assert!(page.contains("<h2 id=\"contributors-title\">Colaboradores</h2>"));
}

#[test]
fn a_string_that_is_not_in_the_table_is_an_error_with_its_place() {
    let config = format!("{SPANISH}\n[strings]\nrecent = \"Lo último\"\nfollow = \"{{who}}\"\n");
    let case = catalogue(&config, ENTRIES);
    let run = case.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("oyez.toml:19:1: `[strings]` has no string \"recent\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("oyez.toml:20:10: `follow` fills in `{who}`"),
        "{}",
        run.stderr
    );
}

/// The `(id, xml:lang)` of every `<entry>` of the Atom document `atom`.
fn entry_languages(atom: &str) -> Vec<(String, Option<String>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(atom);
    let (mut found, mut language) = (Vec::new(), None);
    let (mut in_entry, mut in_id) = (false, false);
    loop {
        match reader.read_event().expect("the feed is well-formed XML") {
            Event::Start(tag) if tag.name().as_ref() == "entry" => {
                let attribute = tag.try_get_attribute("xml:lang").unwrap();
                let version = quick_xml::XmlVersion::Implicit1_0;
                language = attribute.map(|a| a.normalized_value(version).unwrap().into_owned());
                in_entry = true;
            }
            Event::Start(tag) => in_id = in_entry && tag.name().as_ref() == "id",
            Event::Text(text) if in_id => {
                found.push((text.xml10_content().into_owned(), language.clone()));
            }
            Event::End(tag) => {
                in_id = false;
                in_entry &= tag.name().as_ref() != "entry";
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// Issue 23 §5: an entry in another language than its feed's says so on
/// the `<entry>` itself (and on its content, which feed-rs reads).
#[test]
fn an_entry_in_another_language_carries_xml_lang() {
    let case = spanish(SPANISH);
    let both = case.read("public/atom.xml");
    let own = |id: &str, language: Option<&str>| {
        (
            format!("https://example.org/charlas/#{id}"),
            language.map(str::to_owned),
        )
    };
    assert_eq!(
        entry_languages(&both),
        [own("uno", None), own("two", Some("en"))],
        "{both}"
    );
    // In the English feed, the English entry is in the feed's language.
    let english = case.read("public/languages/en/atom.xml");
    assert_eq!(entry_languages(&english), [own("two", None)], "{english}");
    let parsed = parse_feed(&case.path().join("public/atom.xml"));
    assert_eq!(parsed.entries.len(), 2);
    assert_eq!(parsed.language.as_deref(), Some("es"));
}

#[test]
fn entries_in_two_languages_get_a_feed_each() {
    let case = spanish(SPANISH);
    let spanish = parse_feed(&case.path().join("public/languages/es/atom.xml"));
    let ids: Vec<&str> = spanish.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["https://example.org/charlas/#uno"]);
    assert_eq!(
        spanish.title.map(|t| t.content).as_deref(),
        Some("Charlas: en español")
    );
    // Each declares its language, as its entries do.
    assert_eq!(spanish.language.as_deref(), Some("es"));
    for format in ["atom.xml", "rss.xml", "feed.json"] {
        let english = parse_feed(&case.path().join(format!("public/languages/en/{format}")));
        let links: Vec<&str> = english
            .entries
            .iter()
            .flat_map(|e| &e.links)
            .map(|l| l.href.as_str())
            .collect();
        assert!(
            links.contains(&"https://example.org/2"),
            "{format}: {links:?}"
        );
        assert_eq!(english.entries.len(), 1, "{format}");
        assert_eq!(english.language.as_deref(), Some("en"), "{format}");
    }
    let page = case.read("public/index.html");
    assert!(page.contains(
        "<link rel=\"alternate\" type=\"application/feed+json\" title=\"Charlas: en español (JSON Feed)\" \
         href=\"https://example.org/charlas/languages/es/feed.json\">"
    ));
    assert!(case.read(".oyez/feeds").contains("languages/es/atom.xml"));
    assert!(
        case.read("public/feeds.opml")
            .contains("languages/en/atom.xml")
    );
}

#[test]
fn entries_in_one_language_get_no_language_feeds() {
    let entries = ENTRIES.replace("language = \"en\"\n", "");
    let case = catalogue(SPANISH, &entries);
    case.run(&["publish"]).ok();
    assert!(!case.path().join("public/languages").exists());
    assert!(!case.read("public/index.html").contains("Seguir un idioma"));
}

#[test]
fn a_spanish_list_imports_back_with_its_credits_and_update_log() {
    let case = spanish(SPANISH);
    let args = ["import", "markdown", "public/README.md", "--into", "back"];
    case.run(&args).ok();
    let entries = case.read("back/entries/charlas.toml");
    assert!(entries.contains("title = \"Platforms at Twilio\"\nurl = \"https://example.org/2\"\nadded = 2024-03-02\nby = [\"@bob\"]"), "{entries}");
    assert!(!entries.contains("gracias"), "{entries}");
    let log = case.read("back/entries/updates.toml");
    assert!(log.contains("[[update]]\ndate = 2024-03-02\n"), "{log}");
    assert!(log.contains("by = [\"@ana\"]"), "{log}");
    assert!(
        case.read("back/oyez.toml")
            .contains("[contributors.ana]\nname = \"Ana\"")
    );
}

#[test]
fn a_language_oyez_does_not_speak_is_a_warning_where_it_is_written() {
    let config = SPANISH.replace("language = \"es\"", "language = \"it\"");
    let case = catalogue(&config, ENTRIES);
    let run = case.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: oyez.toml:5:12: oyez has no words in \"it\": the page, list and digests are in English"
        ),
        "{}",
        run.stderr
    );
}
