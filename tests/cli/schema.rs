//! The JSON Schemas (issue 24): `oyez init` gives a new catalogue the
//! committed schemas and the `#:schema` line taplo and editors read.
//! `.ci/schema` validates catalogues against them with taplo.

use crate::case::{Case, repo_root};

#[test]
fn init_writes_the_schemas_and_names_them_in_each_toml_file() {
    let case = Case::empty();
    case.run(&["init", "mylist", "--date", "2024-05-01"]).ok();
    for name in ["oyez.schema.json", "entries.schema.json"] {
        let committed = std::fs::read_to_string(repo_root().join("schema").join(name)).unwrap();
        assert_eq!(
            case.read(&format!("mylist/schema/{name}")),
            committed,
            "{name}"
        );
    }
    let firsts: Vec<(String, String)> = [
        "oyez.toml",
        "entries/resources.toml",
        "entries/updates.toml",
    ]
    .iter()
    .map(|path| {
        let text = case.read(&format!("mylist/{path}"));
        (
            (*path).to_owned(),
            text.lines().next().unwrap_or_default().to_owned(),
        )
    })
    .collect();
    let expected = [
        ("oyez.toml", "#:schema ./schema/oyez.schema.json"),
        (
            "entries/resources.toml",
            "#:schema ../schema/entries.schema.json",
        ),
        (
            "entries/updates.toml",
            "#:schema ../schema/entries.schema.json",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, l)| ((*p).to_owned(), (*l).to_owned()))
        .collect();
    assert_eq!(firsts, expected);
    let check = case.run(&["check", "mylist"]).ok();
    assert_eq!(
        check.stdout,
        "ok: 1 entry in 1 category, 1 update, 2 warnings\n"
    );
    assert_eq!(check.stderr, crate::authoring::PLACEHOLDERS);
}

#[test]
fn init_ci_alone_in_a_catalogue_writes_no_schema() {
    let case = Case::example();
    case.run(&["init", ".", "--ci", "github"]).ok();
    assert!(!case.path().join("schema").exists());
    assert!(!case.read("oyez.toml").starts_with("#:schema"));
}

#[test]
fn import_into_a_new_folder_writes_the_schemas_too() {
    let case = Case::empty();
    let list = repo_root().join("tests/fixtures/import/awesome.md");
    let list = list.to_str().unwrap();
    case.run(&["import", "markdown", list, "--into", "mylist"])
        .ok();
    let committed = std::fs::read_to_string(repo_root().join("schema/oyez.schema.json")).unwrap();
    assert_eq!(case.read("mylist/schema/oyez.schema.json"), committed);
    let config = case.read("mylist/oyez.toml");
    assert!(
        config.starts_with("#:schema ./schema/oyez.schema.json\n"),
        "{config}"
    );
    let entries = case.tree("mylist/entries");
    assert!(!entries.is_empty());
    for (path, bytes) in entries {
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.starts_with("#:schema ../schema/entries.schema.json\n"),
            "{path}: {text}"
        );
    }
    case.run(&["check", "mylist"]).ok();
}
