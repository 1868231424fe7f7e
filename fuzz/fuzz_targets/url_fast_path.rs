//! Differential: whenever an entry's URL is kept as written without a
//! parse, it is exactly the form the `url` crate's parse gives it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(written) = std::str::from_utf8(data) else { return };
    if let (true, form) = oyez::catalogue::kept_and_parsed(written) {
        assert_eq!(form.as_deref(), Some(written), "for {written:?}");
    }
});
