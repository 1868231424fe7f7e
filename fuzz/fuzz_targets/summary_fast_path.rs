//! Differential: whenever the one-scan reader (`src/catalogue/scan.rs`)
//! renders a summary itself, its HTML is exactly what pulldown-cmark +
//! ammonia write, and byte for byte what the middle tier
//! (`src/catalogue/summary_html.rs`) writes (which must then take the
//! summary too); whenever the middle tier renders one, its HTML is
//! pulldown-cmark + ammonia's.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    let base = url::Url::parse("https://example.org/list/").expect("base URL");
    let (fast, sanitised) = oyez::catalogue::text::fast_and_sanitised(markdown, &base);
    if let Some(scanned) = oyez::catalogue::text::scanned_html(markdown, &base) {
        assert_eq!(scanned.trim_end(), sanitised.trim_end(), "one scan, for {markdown:?}");
        assert_eq!(Some(&scanned), fast.as_ref(), "one scan, for {markdown:?}");
    }
    if let Some(fast) = fast {
        // The middle tier.
        assert_eq!(fast.trim_end(), sanitised.trim_end(), "for {markdown:?}");
    }
});
