//! The whole error text, `path:line:col` included, for bad catalogues
//! (issue 2: at least 15 kinds). `check` and `publish` report the same.
//! The corpus (`tests/corpus/`) holds many more; these are the kinds a
//! maintainer meets most, written inline so the input sits next to the text.

use crate::case::{CONFIG, Case};
use crate::support::expect;

/// Runs `check` and `publish` and asserts both give `stderr` and exit 1.
#[track_caller]
fn bad(case: &Case, stderr: &str) {
    expect(&case.run(&["check"]), 1, stderr);
    expect(&case.run(&["publish"]), 1, stderr);
    assert!(
        !case.path().join("public").exists(),
        "a failed publish wrote public/"
    );
}

fn entry(extra: &str) -> String {
    format!(
        "category = \"talks\"\n\n[[entry]]\ntitle = \"A talk\"\nid = \"a-talk\"\nadded = 2021-02-07\n{extra}"
    )
}

#[test]
fn unknown_key_is_reported_with_line_and_column() {
    bad(
        &Case::new().file("entries/talks.toml", entry("ctegory = \"books\"\n")),
        "
        error: entries/talks.toml:7:1: unknown field `ctegory`, expected one of `title`, `url`, `added`, `by`, `authors`, `language`, `tags`, `summary`, `updated`, `id`, `category`, `also`, `feed`, `image`, `enclosure`, `content`, `group`, `under`, `badges`; fix the spelling or remove the key (see FORMAT.md)
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn wrong_type_is_reported() {
    bad(
        &Case::new().file("entries/talks.toml", entry("authors = \"Ann\"\n")),
        "
        error: entries/talks.toml:7:11: invalid type: string \"Ann\", expected a sequence; give the value the type FORMAT.md documents
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn missing_required_field_is_reported() {
    bad(
        &Case::new().file(
            "entries/talks.toml",
            "category = \"talks\"\n\n[[entry]]\nadded = 2021-02-07\n",
        ),
        "
        error: entries/talks.toml:3:1: missing field `title`; add the field (see FORMAT.md)
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn bad_date_is_reported() {
    bad(
        &Case::new().file("entries/talks.toml", entry("updated = 2021-02-31\n")),
        "
        error: entries/talks.toml:7:11: invalid date, expected day between 01 and 28; fix the TOML syntax
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn non_http_urls_are_reported() {
    let entries = "category = \"talks\"\n\n[[entry]]\ntitle = \"a\"\nurl = \"javascript:alert(1)\"\nadded = 2021-02-07\n\n[[entry]]\ntitle = \"b\"\nurl = \"talks/b.html\"\nadded = 2021-02-07\n";
    bad(
        &Case::new().file("entries/talks.toml", entries),
        "
        error: entries/talks.toml:5:7: `url` has scheme `javascript:`; write an absolute http:// or https:// URL such as https://example.org/page
        entries/talks.toml:10:7: `url` is not an absolute URL (relative URL without a base); write an absolute http:// or https:// URL such as https://example.org/page
        the catalogue has 2 problems
        ",
    );
}

#[test]
fn undeclared_category_is_reported_with_the_known_ones() {
    bad(
        &Case::new().file("entries/talks.toml", entry("").replace("\"talks\"", "\"talk\"")),
        "
        error: entries/talks.toml:1:12: unknown category `talk`; known: talks, books; add it to oyez.toml or fix the entry
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn duplicate_category_is_reported() {
    bad(
        &Case::new().file(
            "oyez.toml",
            format!("{CONFIG}\n[[category]]\nslug = \"books\"\ntitle = \"More books\"\n"),
        ),
        "
        error: oyez.toml:19:8: duplicate category `books`; give each category its own slug
        the catalogue has 1 problem
        ",
    );
}

// Files are read in sorted path order, so `more/books.toml` comes first.
#[test]
fn duplicate_id_across_files_names_both_places() {
    let case = Case::new()
        .file("entries/talks.toml", entry(""))
        .file("entries/more/books.toml", "category = \"books\"\n\n[[entry]]\ntitle = \"A book\"\nid = \"a-talk\"\nadded = 2021-02-08\n");
    bad(
        &case,
        "
        error: entries/talks.toml:4:9: duplicate id `a-talk`, first used at entries/more/books.toml:4:9; give each entry its own `id` (or remove the duplicate)
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn same_url_in_two_entries_is_reported() {
    let case = Case::new()
        .file("entries/a.toml", "category = \"talks\"\n\n[[entry]]\ntitle = \"One\"\nurl = \"https://example.org/x\"\nadded = 2021-02-07\n")
        .file("entries/b.toml", "category = \"books\"\n\n[[entry]]\ntitle = \"Two\"\nid = \"two\"\nurl = \"https://example.org/x\"\nadded = 2021-02-08\n");
    bad(
        &case,
        "
        error: entries/b.toml:4:9: the URL https://example.org/x is already listed at entries/a.toml:4:9; list each resource once (remove or merge the duplicate)
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn invalid_utf8_is_reported_where_it_starts() {
    let mut bytes = entry("").into_bytes();
    bytes.extend_from_slice(b"summary = \"caf\xe9\"\n");
    bad(
        &Case::new().file("entries/talks.toml", bytes),
        "
        error: entries/talks.toml:7:15: this file is not valid UTF-8; save it as UTF-8
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn control_characters_xml_cannot_carry_are_reported() {
    bad(
        &Case::new().file("entries/talks.toml", entry("summary = \"bell \\u0007\"\nauthors = [\"Esc \\u001b\"]\n")),
        "
        error: entries/talks.toml:8:12: `authors` contains a control character (U+001B); remove it; feeds and mail cannot carry it
        entries/talks.toml:7:11: `summary` contains a control character (U+0007); remove it; feeds and mail cannot carry it
        the catalogue has 2 problems
        ",
    );
}

#[test]
fn toml_syntax_error_is_reported() {
    bad(
        &Case::new().file(
            "entries/talks.toml",
            "category = \"talks\"\n\n[[entry]\ntitle = \"x\"\n",
        ),
        "
        error: entries/talks.toml:3:9: unclosed array table, expected `]`; fix the TOML syntax
        the catalogue has 1 problem
        ",
    );
}

#[test]
fn missing_config_is_reported() {
    let case = Case::empty().file("entries/talks.toml", entry(""));
    let root = case.path().display().to_string();
    let run = case.run(&["check", &root]);
    expect(
        &run,
        1,
        &format!(
            "error: no oyez.toml in {root}; run `oyez init` to start a catalogue, or pass the catalogue folder\nthe catalogue has 1 problem\n"
        ),
    );
}

#[test]
fn bad_site_settings_are_all_reported() {
    let config = CONFIG
        .replace("https://example.org/list/", "ftp://example.org/list/")
        .replace(
            "description = \"A list for tests\"",
            "description = \"\"\nlanguage = \"en_GB\"\ntimezone = \"Europe/Atlantis\"",
        );
    bad(
        &Case::new().file("oyez.toml", config),
        "
        error: oyez.toml:3:12: `base_url` has scheme `ftp:`; write an absolute http:// or https:// URL such as https://example.org/page
        oyez.toml:4:15: `description` is empty; write some text
        oyez.toml:5:12: `language` is not a language tag: \"en_GB\"; use a BCP 47 tag such as en, es or pt-BR
        oyez.toml:6:12: unknown time zone \"Europe/Atlantis\"; use an IANA name such as Europe/Madrid or UTC
        the catalogue has 4 problems
        ",
    );
}

#[test]
fn invalid_slug_handle_and_limit_are_reported() {
    let config = CONFIG
        .replace("slug = \"books\"", "slug = \"Bücher\"")
        .replace("[contributors.alice]", "[contributors.\"al ice\"]")
        + "\n[feeds]\nlimit = -5\n";
    bad(
        &Case::new().file("oyez.toml", config),
        "
        error: oyez.toml:11:8: invalid category slug \"Bücher\"; use lowercase letters, digits and `-`, such as `presentations`
        oyez.toml:14:15: invalid contributor handle \"al ice\"; use the handle without `@` (letters, digits, `-`, `_`, `.`)
        oyez.toml:19:9: `limit` must be a positive number; write how many newest items each feed keeps, such as 50
        the catalogue has 3 problems
        ",
    );
}

#[test]
fn updated_before_added_and_bad_handles_are_reported() {
    bad(
        &Case::new().file("entries/talks.toml", entry("updated = 2020-01-01\nby = [\"@\", \"@bob smith\"]\n")),
        "
        error: entries/talks.toml:7:11: `updated` is before `added`; give the date of the entry's last meaningful revision, on or after `added`
        entries/talks.toml:8:7: `by` has an invalid handle \"@\"; write a handle such as @alice (letters, digits, `-`, `_`, `.`)
        entries/talks.toml:8:12: `by` has an invalid handle \"@bob smith\"; write a handle such as @alice (letters, digits, `-`, `_`, `.`)
        the catalogue has 3 problems
        ",
    );
}

#[test]
fn problems_in_several_files_are_all_reported_in_path_order() {
    let case = Case::new()
        .file(
            "entries/b.toml",
            entry("").replace("title = \"A talk\"", "title = \"  \""),
        )
        .file(
            "entries/a.toml",
            "category = \"books\"\n\n[[entry]]\ntitle = \"x\"\nid = \"-bad\"\nadded = 1900-01-01\n",
        )
        .file(
            "entries/c/d.toml",
            "[[update]]\ndate = 2021-02-07\nnote = \"ok\"\nby = \"@alice\"\n",
        );
    bad(
        &case,
        "
        error: entries/a.toml:6:9: `added` is a date out of the supported range; use a date between 1970-01-01 and 9999-12-31
        entries/a.toml:5:6: invalid id \"-bad\"; use letters, digits, `-`, `_` and `.`, starting with a letter or digit
        entries/b.toml:4:9: `title` is empty; write some text
        entries/c/d.toml:4:6: invalid type: string \"@alice\", expected a sequence; give the value the type FORMAT.md documents
        the catalogue has 4 problems
        ",
    );
}

#[test]
fn a_broken_config_still_reports_syntax_errors_in_entries() {
    let case = Case::new()
        .file(
            "oyez.toml",
            CONFIG.replace("title = \"Test list\"", "title = 3"),
        )
        .file(
            "entries/talks.toml",
            "category = \"talks\"\n[[entry]]\ntitle = \"x\n",
        );
    bad(
        &case,
        "
        error: oyez.toml:2:9: invalid type: integer `3`, expected a string; give the value the type FORMAT.md documents
        entries/talks.toml:3:11: invalid basic string, expected `\"`; fix the TOML syntax
        the catalogue has 2 problems
        ",
    );
}

#[test]
fn usage_errors_exit_2() {
    let run = Case::new().run(&["publish", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: unexpected argument '--no-such-flag' found\n"),
        "{}",
        run.stderr
    );
}
