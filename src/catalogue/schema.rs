//! The JSON Schemas of `oyez.toml` and of an entries file (issue 24),
//! generated from the loader's own [`raw`](super::raw) types, so they
//! cannot drift from what `oyez check` accepts. The generated files are
//! committed under `schema/` (editors and taplo read them there, and
//! `oyez init` copies them into a new catalogue); this test fails when
//! they differ from the types, and `OYEZ_BLESS=1` rewrites them.

use std::path::Path;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use super::raw;

/// An entries file as the loader reads it: its optional `category`, then
/// any number of `[[entry]]` and `[[update]]` tables, nothing else.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)] // read by schemars only
struct EntriesFile {
    /// The category of the file's entries that name none.
    category: Option<String>,
    #[serde(default)]
    entry: Vec<raw::Entry>,
    /// The update log: records of what changed, announced in the updates feed.
    #[serde(default)]
    update: Vec<raw::Update>,
}

fn schema<T: JsonSchema>(title: &str, description: &str) -> String {
    let mut schema: Schema = SchemaGenerator::default().into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[test]
fn the_committed_schemas_are_the_loaders_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let schemas = [
        (
            "oyez.schema.json",
            schema::<raw::Config>(
                "oyez.toml",
                "The configuration of an oyez catalogue (docs/FORMAT.md).",
            ),
        ),
        (
            "entries.schema.json",
            schema::<EntriesFile>(
                "oyez entries file",
                "A file of entries/ in an oyez catalogue: entries and update-log records \
                 (docs/FORMAT.md).",
            ),
        ),
    ];
    for (name, generated) in schemas {
        let path = root.join(name);
        if std::env::var_os("OYEZ_BLESS").is_some() {
            std::fs::create_dir_all(&root).unwrap();
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "schema/{name} is not what the loader's types give; run \
             OYEZ_BLESS=1 cargo test --lib schema and review the diff"
        );
    }
}
