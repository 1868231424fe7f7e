//! Differential check of the one-scan reader over a catalogue's summaries
//! and update notes (issue 23 §7): `cargo run --release --example
//! scan_check -- DIR`. For each text the scan takes, its HTML must be
//! pulldown-cmark + ammonia's and the middle tier's, and its list line the
//! parser's; prints how many texts each path takes and every difference
//! (exit status 1 when there is one). The fuzz targets `summary_fast_path`
//! and `summary_line` check the same on generated input.

use std::path::PathBuf;
use std::process::ExitCode;

use oyez::catalogue::text;
use oyez::site::list;

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: scan_check DIR")?);
    let catalogue = oyez::catalogue::load(&dir)?.catalogue;
    let base = &catalogue.site.base_url;
    let summaries = catalogue.entries.iter().filter_map(|e| e.summary.as_ref());
    let notes = catalogue.updates.iter().map(|u| &u.note);
    let (mut texts, mut scanned, mut middle, mut lines, mut differences) = (0, 0, 0, 0, 0);
    for markdown in summaries.chain(notes).map(|t| t.markdown.as_str()) {
        texts += 1;
        let (fast, sanitised) = text::fast_and_sanitised(markdown, base);
        match text::scanned_html(markdown, base) {
            Some(html) => {
                scanned += 1;
                if html.trim_end() != sanitised.trim_end() || Some(&html) != fast.as_ref() {
                    differences += 1;
                    println!("HTML differs for {markdown:?}:\n{html}\n{sanitised}");
                }
            }
            None if fast.is_some() => middle += 1,
            None => {}
        }
        if let (Some(line), parsed) = list::fast_and_parsed(markdown, base) {
            lines += 1;
            if line != parsed {
                differences += 1;
                println!("list line differs for {markdown:?}:\n{line:?}\n{parsed:?}");
            }
        }
    }
    println!(
        "{texts} texts: {scanned} scanned, {middle} by the middle tier, {} sanitised; \
         {lines} list lines scanned; {differences} differences",
        texts - scanned - middle
    );
    Ok(if differences == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
