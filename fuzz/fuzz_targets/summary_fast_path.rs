//! Differential: whenever the Markdown fast path renders a summary itself,
//! its HTML is exactly what pulldown-cmark + ammonia would have written;
//! and whenever the one-scan reader does, its HTML is byte for byte the
//! fast path's (which must then take the summary too).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let base = url::Url::parse("https://example.org/list/").expect("base URL");
    let (fast, sanitised) = oyez::catalogue::text::fast_and_sanitised(markdown, &base);
    if let Some(scanned) = oyez::catalogue::text::scanned_html(markdown, &base) {
        assert_eq!(Some(&scanned), fast.as_ref(), "one scan, for {markdown:?}");
    }
    if let Some(fast) = fast {
        assert_eq!(fast.trim_end(), sanitised.trim_end(), "for {markdown:?}");
    }
});
