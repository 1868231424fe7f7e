//! Differential: whenever the fast path writes a summary's safe line for
//! the Markdown list itself, it is exactly the line the parser path writes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let base = url::Url::parse("https://example.org/list/").expect("base URL");
    let (fast, parsed) = oyez::site::list::fast_and_parsed(markdown, &base);
    if let Some(fast) = fast {
        assert_eq!(fast, parsed, "for {markdown:?}");
    }
});
