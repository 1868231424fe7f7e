//! Differential: for a catalogue built from the input (its first byte picks
//! one of a few `oyez.toml`s, the rest is an entries file), every Atom and
//! RSS document a publish writes is byte for byte what the atom_syndication
//! and rss crates write: the twins of `src/feed/atom.rs` and
//! `src/feed/rss.rs`, shared with `tests/cli/feed_twins.rs`.
#![no_main]

use std::fs;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/cli/feed_twins/twin.rs"]
mod twin;

/// The configurations the first byte picks from: plain; hubs, a short
/// feed limit and no stylesheet; an author, odd text and no description.
const CONFIGS: [&str; 3] = [
    "[site]\ntitle = \"Fuzz\"\nbase_url = \"https://example.org/\"\n\
     description = \"A list\"\n\n\
     [[category]]\nslug = \"talks\"\ntitle = \"Talks\"\n\n\
     [[category]]\nslug = \"books\"\ntitle = \"Books\"\nparent = \"talks\"\n\n\
     [contributors.alice]\nname = \"Alice\"\nuri = \"https://example.org/alice\"\n",
    "[site]\ntitle = \"Fuzz\"\nbase_url = \"https://example.org/a&b/\"\nlanguage = \"fr\"\n\n\
     [feeds]\nlimit = 2\nstylesheet = false\n\
     hub = [\"https://hub.example/\", \"https://hub.example/?a=1&b=2\"]\n\n\
     [[category]]\nslug = \"talks\"\ntitle = \"Talks & <Slides>\"\ndescription = \"Spoken\"\n",
    "[site]\ntitle = \"Ünï & <F> \\\"l\\\" ]]>\"\nbase_url = \"https://example.org/l/\"\n\
     author = { name = \"J & Co\", email = \"j@example.org\", uri = \"https://example.org/j\" }\n\n\
     [[category]]\nslug = \"talks\"\ntitle = \"Talks\"\n\n\
     [contributors.bob]\nname = \"Bob <b> & 'c'\"\n",
];

fuzz_target!(|data: &[u8]| {
    let Some((choice, entries)) = data.split_first() else { return };
    let Ok(dir) = tempfile::tempdir() else { return };
    let config = CONFIGS[usize::from(*choice) % CONFIGS.len()];
    let folder = dir.path().join("entries");
    let written = fs::create_dir(&folder)
        .and_then(|()| fs::write(dir.path().join("oyez.toml"), config))
        .and_then(|()| fs::write(folder.join("fuzz.toml"), entries));
    if written.is_err() {
        return;
    }
    let Ok(loaded) = oyez::catalogue::load(dir.path()) else { return };
    let templates = oyez::template::Templates::builtin().expect("built-in templates");
    let catalogue = Arc::new(loaded.catalogue);
    let differences = twin::differences(&catalogue, &templates);
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
});
