//! Times each publishing phase once, in-process, on a catalogue folder:
//! `cargo run --release --example phases -- DIR`. With
//! `RAYON_NUM_THREADS=1` each figure is the phase's CPU time. Also prints
//! the resident set and its peak so far (Linux).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use oyez::catalogue;
use oyez::feed::{self, atom, json, rss};
use oyez::publish;
use oyez::site::{list, page};
use oyez::template::Templates;

// The allocator of the `oyez` binary, so that memory figures match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn time<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = work();
    let elapsed = start.elapsed().as_secs_f64();
    eprintln!("{elapsed:>8.3} s  {:>18}  {name}", memory());
    value
}

/// "resident / peak" in MiB, from /proc/self/status.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> u64 {
        let line = status.lines().find(|line| line.starts_with(name));
        let kib = line.and_then(|line| line.split_whitespace().nth(1)?.parse().ok());
        kib.unwrap_or(0) / 1024
    };
    format!("{} / {} MiB", field("VmRSS:"), field("VmHWM:"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: phases DIR")?);
    let catalogue = Arc::new(time("load + validate", || catalogue::load(&dir))?.catalogue);
    let templates = Templates::builtin()?;
    time("catalogue page", || page::index(&catalogue, &templates))?;
    time("Markdown list", || list::render(&catalogue, &templates))?;
    let channel = feed::entries_channel(&catalogue, &feed::Stamps::new(&catalogue));
    time(
        "entries feeds (Atom, RSS, JSON)",
        || -> Result<(), Box<dyn std::error::Error>> {
            atom::render(&catalogue, &channel)?;
            rss::render(&catalogue, &channel)?;
            json::render(&catalogue, &channel)?;
            Ok(())
        },
    )?;
    time(
        "archive pages (Atom + RSS)",
        || -> Result<usize, Box<dyn std::error::Error>> {
            let archives = publish::Archives::new(&catalogue);
            let mut bytes = 0;
            for number in 1..=archives.pages() {
                bytes += archives
                    .render(number)?
                    .iter()
                    .map(|f| f.bytes.len())
                    .sum::<usize>();
            }
            Ok(bytes)
        },
    )?;
    time("publish::render (all but archives)", || {
        publish::render(&catalogue, &templates, &[])
    })?;
    Ok(())
}
