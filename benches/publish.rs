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

/// `oyez.toml` with `count` categories, each under the one before it in
/// runs of `depth + 1` (0: all top level), and one entry.
fn category_set(dir: &Path, count: usize, depth: usize) {
    let mut config = String::from("[site]\ntitle = \"T\"\nbase_url = \"https://example.org/\"\n");
    for i in 0..count {
        config.push_str(&format!(
            "[[category]]\nslug = \"c{i}\"\ntitle = \"C {i}\"\n"
        ));
        if depth > 0 && i % (depth + 1) != 0 {
            config.push_str(&format!("parent = \"c{}\"\n", i - 1));
        }
    }
    std::fs::write(dir.join("oyez.toml"), config).unwrap();
    let entry = "[[entry]]\ntitle = \"A\"\nadded = 2020-01-01\ncategory = \"c0\"\n";
    std::fs::create_dir_all(dir.join("entries")).unwrap();
    std::fs::write(dir.join("entries/a.toml"), entry).unwrap();
}

/// Category bombs (issue 20): checking is linear in the categories, and
/// sets beyond the limits are refused as fast. Wide: all top level; deep:
/// chains as deep as allowed (8), and one 12,000 deep (refused).
fn categories(c: &mut Criterion) {
    let mut group = c.benchmark_group("categories: load + validate");
    group.sample_size(10);
    let sets = [
        ("1,000 wide", 1_000, 0),
        ("1,000 in chains of 8", 1_000, 8),
        ("20,000 wide (refused)", 20_000, 0),
        ("80,000 wide (refused)", 80_000, 0),
        ("12,000 deep (refused)", 12_000, usize::MAX - 1),
    ];
    for (name, count, depth) in sets {
        let dir = tempfile::tempdir().unwrap();
        category_set(dir.path(), count, depth);
        group.bench_function(name, |b| {
            b.iter(|| catalogue::load(black_box(dir.path())).map(|l| l.catalogue.entries.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, phases, categories);
criterion_main!(benches);
