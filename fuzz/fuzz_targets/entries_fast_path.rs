//! Differential: whenever the one-pass entries reader
//! (`src/catalogue/load/entries_reader.rs`) reads a text itself, it reads
//! exactly what toml's document tree + serde read (values and spans,
//! compared through `Debug`), and the full parser finds nothing wrong.
//! The full parser runs only then, so coverage guides the fuzzer through
//! the one-pass reader rather than through toml.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some((fast, full, diagnostics)) = oyez::catalogue::entries_both_ways(text) {
        assert!(diagnostics.is_empty(), "for {text:?}: {diagnostics:?}");
        assert_eq!(fast, full, "for {text:?}");
    }
});
