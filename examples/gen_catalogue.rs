//! A deterministic synthetic catalogue for benchmarks (issue 5):
//! `cargo run --release --example gen_catalogue -- N DIR [--hugo HUGO_DIR]`.
//!
//! N entries over 12 categories and five years (2020–2024), credited to
//! 200 contributors, with Markdown summaries holding links, titles with
//! `& < "` and non-ASCII text, and a weekly update log. Entries go into
//! one file per category and month (`entries/<category>/<yyyy-mm>.toml`).
//! The same N always gives the same bytes. With `--hugo`, the same content
//! is also written as a Hugo site: one page per entry and an RSS feed of
//! every item, for `bench/run` to compare against.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const CATEGORIES: [&str; 12] = [
    "talks",
    "articles",
    "books",
    "podcasts",
    "videos",
    "papers",
    "tools",
    "courses",
    "newsletters",
    "case-studies",
    "templates",
    "communities",
];
const CONTRIBUTORS: u64 = 200;
const DAYS: u64 = 1827; // 2020-01-01 to 2024-12-31
const WORDS: [&str; 24] = [
    "platform",
    "product",
    "Café",
    "team",
    "naïve",
    "Überblick",
    "delivery",
    "API",
    "日本語",
    "internal",
    "developer",
    "experience",
    "façade",
    "Ελληνικά",
    "roadmap",
    "cost",
    "señal",
    "metrics",
    "adoption",
    "self-service",
    "golden",
    "path",
    "Zürich",
    "feedback",
];
const TAGS: [&str; 10] = [
    "strategy",
    "devex",
    "sre",
    "kubernetes",
    "finops",
    "ux",
    "docs",
    "security",
    "data",
    "culture",
];

/// splitmix64: a tiny, well-mixed generator, so output never depends on a crate's algorithm.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len() as u64) as usize]
    }
}

struct Entry {
    n: u64,
    category: usize,
    day: Date,
    title: String,
    url: String,
    by: u64,
    authors: Vec<String>,
    tags: Vec<&'static str>,
    language: Option<&'static str>,
    summary: String,
    updated: Option<Date>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    year: u64,
    month: u64,
    day: u64,
}

impl Date {
    /// `offset` days after 2020-01-01 (proleptic Gregorian).
    fn from_offset(mut offset: u64) -> Self {
        let mut year = 2020;
        loop {
            let length = if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) {
                366
            } else {
                365
            };
            if offset < length {
                break;
            }
            offset -= length;
            year += 1;
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let months = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let mut month = 1;
        for length in months {
            if offset < length {
                break;
            }
            offset -= length;
            month += 1;
        }
        Self {
            year,
            month,
            day: offset + 1,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn entry(rng: &mut Rng, n: u64, count: u64) -> Entry {
    let category = rng.below(CATEGORIES.len() as u64) as usize;
    let day = Date::from_offset(n * DAYS / count.max(1));
    let (a, b, c) = (rng.word(), rng.word(), rng.word());
    let title = match n % 4 {
        0 => format!("{a} & {b}: a \"{c}\" story #{n}"),
        1 => format!("Why {a} < {b} — {c} #{n}"),
        2 => format!("The {a} {b} handbook (vol. {n})"),
        _ => format!("{a}, {b} & «{c}» #{n}"),
    };
    let slug = format!("{}-{n}", CATEGORIES[category]);
    let summary = format!(
        "A **{a}** take on *{b}* by [{c}](https://example.com/people/{}) with `code` & notes.\n\n\
         See also [the {c} notes](notes/{slug}.html) and <https://example.net/{n}>.",
        rng.below(1000)
    );
    let tags = (0..rng.below(4))
        .map(|_| TAGS[rng.below(10) as usize])
        .collect();
    Entry {
        n,
        category,
        day,
        url: format!("https://example.com/{}/{n}", CATEGORIES[category]),
        by: rng.below(CONTRIBUTORS),
        authors: (0..=rng.below(2))
            .map(|i| {
                format!(
                    "Author {} {}",
                    rng.below(5000),
                    ["Ödegaard", "Smith"][i as usize]
                )
            })
            .collect(),
        tags,
        language: match rng.below(10) {
            0 => Some("de"),
            1 => Some("fr"),
            _ => None,
        },
        updated: (rng.below(8) == 0)
            .then(|| Date::from_offset((n * DAYS / count.max(1) + 30).min(DAYS - 1))),
        title,
        summary,
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn config(count: u64) -> String {
    let mut text = format!(
        "[site]\ntitle = \"Synthetic catalogue of {count} entries & more\"\n\
         base_url = \"https://example.org/bench/\"\n\
         description = \"Generated by examples/gen_catalogue.rs\"\nlanguage = \"en\"\n\
         author = {{ name = \"Bench Maintainer\", email = \"bench@example.org\" }}\n\n"
    );
    for slug in CATEGORIES {
        let _ = writeln!(
            text,
            "[[category]]\nslug = \"{slug}\"\ntitle = \"All about {slug}\"\n"
        );
    }
    for n in 0..CONTRIBUTORS {
        let _ = writeln!(
            text,
            "[contributors.user{n:03}]\nname = \"Contributor Nº{n}\"\nuri = \"https://example.org/people/{n}\"\n"
        );
    }
    text
}

fn entry_toml(entry: &Entry) -> String {
    let mut text = format!(
        "[[entry]]\ntitle = {}\nurl = {}\nadded = {}\nby = [\"@user{:03}\"]\n",
        quoted(&entry.title),
        quoted(&entry.url),
        entry.day,
        entry.by
    );
    let authors: Vec<String> = entry.authors.iter().map(|a| quoted(a)).collect();
    let _ = writeln!(text, "authors = [{}]", authors.join(", "));
    if !entry.tags.is_empty() {
        let tags: Vec<String> = entry.tags.iter().map(|t| quoted(t)).collect();
        let _ = writeln!(text, "tags = [{}]", tags.join(", "));
    }
    if let Some(language) = entry.language {
        let _ = writeln!(text, "language = \"{language}\"");
    }
    if let Some(updated) = entry.updated {
        let _ = writeln!(text, "updated = {updated}");
    }
    let _ = writeln!(text, "summary = {}\n", quoted(&entry.summary));
    text
}

/// One update a week (Sundays), crediting two contributors.
fn updates() -> String {
    let mut text = String::new();
    for week in 0..DAYS / 7 {
        let day = Date::from_offset(week * 7 + 4);
        let (a, b) = ((week * 7) % CONTRIBUTORS, (week * 13 + 5) % CONTRIBUTORS);
        let _ = writeln!(
            text,
            "[[update]]\ndate = {day}\nnote = \"Additions of the week, thanks to @user{a:03} and @user{b:03} & friends.\"\nby = [\"@user{a:03}\", \"@user{b:03}\"]\n"
        );
    }
    text
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    }
    fs::write(path, text).map_err(|err| format!("{}: {err}", path.display()))
}

fn catalogue(dir: &Path, count: u64, entries: &[Entry]) -> Result<(), String> {
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for entry in entries {
        let slug = CATEGORIES[entry.category];
        let name = format!(
            "entries/{slug}/{:04}-{:02}.toml",
            entry.day.year, entry.day.month
        );
        let text = files
            .entry(dir.join(name))
            .or_insert_with(|| format!("category = \"{slug}\"\n\n"));
        text.push_str(&entry_toml(entry));
    }
    write(&dir.join("oyez.toml"), &config(count))?;
    write(&dir.join("entries/updates.toml"), &updates())?;
    files.iter().try_for_each(|(path, text)| write(path, text))
}

/// The same content as a Hugo site: a page per entry, the home page listing
/// them all, and an RSS feed of every item.
fn hugo(dir: &Path, count: u64, entries: &[Entry]) -> Result<(), String> {
    write(
        &dir.join("config.toml"),
        &format!(
            "baseURL = \"https://example.org/bench/\"\ntitle = \"Synthetic catalogue of {count} entries\"\n\
             languageCode = \"en\"\ndisableKinds = [\"taxonomy\", \"term\"]\n\
             [services.rss]\nlimit = -1\n"
        ),
    )?;
    write(
        &dir.join("layouts/_default/single.html"),
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><h1><a href=\"{{ .Params.link }}\">{{ .Title }}</a></h1>{{ .Content }}</body></html>\n",
    )?;
    write(
        &dir.join("layouts/_default/list.html"),
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ range .Site.RegularPages }}<article><h3><a href=\"{{ .Params.link }}\">{{ .Title }}</a></h3>{{ .Content }}</article>{{ end }}</body></html>\n",
    )?;
    for entry in entries {
        let text = format!(
            "+++\ntitle = {}\ndate = {}\nlink = {}\ncategories = [\"{}\"]\n+++\n{}\n",
            quoted(&entry.title),
            entry.day,
            quoted(&entry.url),
            CATEGORIES[entry.category],
            entry.summary
        );
        let path = format!("content/{}/{}.md", CATEGORIES[entry.category], entry.n);
        write(&dir.join(path), &text)?;
    }
    Ok(())
}

/// Writes a catalogue of `count` entries into `dir`, and the same content
/// as a Hugo site into `hugo_dir` when given.
pub(crate) fn generate(count: u64, dir: &Path, hugo_dir: Option<&Path>) -> Result<(), String> {
    let mut rng = Rng(count);
    let entries: Vec<Entry> = (0..count).map(|n| entry(&mut rng, n, count)).collect();
    catalogue(dir, count, &entries)?;
    match hugo_dir {
        Some(site) => hugo(site, count, &entries),
        None => Ok(()),
    }
}

/// Markdown summaries as the generated entries have them.
#[allow(dead_code)] // used by benches/publish.rs
pub(crate) fn summaries(count: u64) -> Vec<String> {
    let mut rng = Rng(count);
    (0..count)
        .map(|n| entry(&mut rng, n, count).summary)
        .collect()
}

#[allow(dead_code)] // benches/publish.rs includes this file as a module
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_catalogue N DIR [--hugo HUGO_DIR]";
    let parsed = match (args.first().map(|n| n.parse::<u64>()), args.get(1)) {
        (Some(Ok(count)), Some(dir)) => match (args.get(2).map(String::as_str), args.get(3)) {
            (Some("--hugo"), Some(site)) => Some((count, dir, Some(Path::new(site)))),
            (None, _) => Some((count, dir, None)),
            _ => None,
        },
        _ => None,
    };
    let result = match parsed {
        Some((count, dir, hugo_dir)) => generate(count, Path::new(dir), hugo_dir),
        None => Err(usage.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen_catalogue: {err}");
            ExitCode::FAILURE
        }
    }
}
