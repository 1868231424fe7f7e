//! Criterion benchmarks of each publishing phase (issue 5), in-process on a
//! generated catalogue (`examples/gen_catalogue.rs`, 10,000 entries by
//! default, `OYEZ_BENCH_ENTRIES` to change): load and validate, Markdown
//! rendering and sanitising, each feed format, the catalogue page, the
//! Markdown list, the archive pages, and everything `publish` renders.
//! `bench/run` measures the whole command against Hugo.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../examples/gen_catalogue.rs"]
mod gen_catalogue;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use oyez::catalogue::{self, Catalogue};
use oyez::feed::{self, atom, json, rss};
use oyez::publish;
use oyez::site::{list, page};
use oyez::template::Templates;
use url::Url;

fn entries() -> u64 {
    std::env::var("OYEZ_BENCH_ENTRIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

fn load(dir: &Path) -> Catalogue {
    catalogue::load(dir).expect("generated catalogue").catalogue
}

fn phases(c: &mut Criterion) {
    let count = entries();
    let dir = tempfile::tempdir().unwrap();
    gen_catalogue::generate(count, dir.path(), None).unwrap();
    let catalogue = std::sync::Arc::new(load(dir.path()));
    let templates = Templates::builtin().unwrap();
    let mut group = c.benchmark_group(format!("{count} entries"));
    group.sample_size(10);

    group.bench_function("load + validate", |b| {
        b.iter(|| load(black_box(dir.path())))
    });

    let summaries = gen_catalogue::summaries(count);
    let base = Url::parse("https://example.org/bench/").unwrap();
    group.bench_function("Markdown + sanitise (summaries)", |b| {
        b.iter(|| {
            summaries
                .iter()
                .map(|s| catalogue::text::render(s, &base).html.len())
                .sum::<usize>()
        })
    });
    let hostile: Vec<String> = summaries
        .iter()
        .map(|s| format!("{s} <b>raw</b>"))
        .collect();
    group.bench_function("Markdown + sanitise (with raw HTML)", |b| {
        b.iter(|| {
            hostile
                .iter()
                .map(|s| catalogue::text::render(s, &base).html.len())
                .sum::<usize>()
        })
    });

    // One channel of every entry, so each format renders `count` items.
    let stamps = feed::Stamps::new(&catalogue);
    let mut everything = feed::entries_channel(&catalogue, &stamps);
    everything.items = catalogue
        .entries
        .iter()
        .map(|entry| feed::entry_item(&catalogue, entry, stamps.of(&catalogue, entry)))
        .collect();
    group.bench_function("Atom (every entry)", |b| {
        b.iter(|| atom::render(&catalogue, black_box(&everything)).unwrap())
    });
    group.bench_function("RSS (every entry)", |b| {
        b.iter(|| rss::render(&catalogue, black_box(&everything)).unwrap())
    });
    group.bench_function("JSON Feed (every entry)", |b| {
        b.iter(|| json::render(&catalogue, black_box(&everything)).unwrap())
    });
    group.bench_function("catalogue page (index.html)", |b| {
        b.iter(|| page::index(&catalogue, &templates).unwrap())
    });
    group.bench_function("Markdown list (README.md)", |b| {
        b.iter(|| list::render(&catalogue, &templates).unwrap())
    });
    group.bench_function("archive pages (Atom + RSS)", |b| {
        b.iter(|| {
            let archives = publish::Archives::new(&catalogue);
            (1..=archives.pages())
                .map(|n| archives.render(n).unwrap().len())
                .sum::<usize>()
        })
    });
    group.bench_function("publish::render (all but archives)", |b| {
        b.iter(|| publish::render(&catalogue, &templates, &[]).unwrap())
    });
    group.finish();
}

criterion_group!(benches, phases);
criterion_main!(benches);
