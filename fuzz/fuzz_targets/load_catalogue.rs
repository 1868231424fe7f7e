//! Arbitrary bytes as an entries file (and, with a leading 0xFF, as
//! `oyez.toml`) must load or be rejected with diagnostics, never panic.
#![no_main]

use std::fs;

use libfuzzer_sys::fuzz_target;

const CONFIG: &str = "[site]\ntitle = \"Fuzz\"\nbase_url = \"https://example.org/\"\n\n\
                      [[category]]\nslug = \"talks\"\ntitle = \"Talks\"\n";

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let entries = dir.path().join("entries");
    if fs::create_dir(&entries).is_err() {
        return;
    }
    let written = match data.split_first() {
        Some((0xFF, config)) => fs::write(dir.path().join("oyez.toml"), config),
        _ => fs::write(dir.path().join("oyez.toml"), CONFIG)
            .and_then(|()| fs::write(entries.join("fuzz.toml"), data)),
    };
    if written.is_err() {
        return;
    }
    match oyez::catalogue::load(dir.path()) {
        Ok(loaded) => {
            // Whatever loads must also render.
            let templates = oyez::template::Templates::builtin().expect("built-in templates");
            let catalogue = std::sync::Arc::new(loaded.catalogue);
            oyez::publish::render(&catalogue, &templates, &[]).expect("render a valid catalogue");
            for document in oyez::publish::Streamed::ALL {
                let mut bytes = Vec::new();
                document.write(&catalogue, &templates, &mut bytes).expect("write a large document");
            }
            let archives = oyez::publish::Archives::new(&catalogue);
            for page in 1..=archives.pages() {
                archives.render(page).expect("render an archive page");
            }
        }
        Err(err) => assert!(!err.to_string().is_empty()),
    }
});
