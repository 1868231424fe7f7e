//! Any Markdown imports without a panic, and whatever the importer stages
//! is a catalogue that passes validation.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use oyez::authoring::import::{self, Options};
use oyez::authoring::workspace::Workspace;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let Ok(dir) = tempfile::tempdir() else { return };
    let document = import::parse(markdown);
    let Ok(mut workspace) = Workspace::open(dir.path()) else { return };
    let options = Options {
        default_date: NaiveDate::from_ymd_opt(2024, 1, 2).expect("date"),
        history: None,
        git_credits: false,
        timezone: None,
        source: "fuzz.md".into(),
        folder: None,
    };
    let report = import::stage(&document, &mut workspace, None, &options);
    if report.entries > 0 {
        if let Err(err) = workspace.validate() {
            panic!("the import of {markdown:?} is not a valid catalogue: {err}");
        }
    }
});
