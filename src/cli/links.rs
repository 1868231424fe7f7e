//! `oyez check --links`: the link check's options, cache, clock, progress
//! bar and report (the checking itself is [`crate::links`]).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::json::Format;
use crate::authoring::standing;
use crate::catalogue::{Loaded, Location};
use crate::error::{CommandError, Error};
use crate::input::{self, Kind};
use crate::links::cache::{self, Cache};
use crate::links::pool::{self, Bounds};
use crate::links::probe::{self, Limits};
use crate::links::{self, JsonLine, LinksError, Target, Verdict};

/// Options of `--links`.
#[derive(Debug, clap::Args)]
pub(super) struct Options {
    /// Also check the links inside summaries
    #[arg(long, requires = "links")]
    all_links: bool,
    /// Reuse good answers younger than N days (cache: DIR/oyez-links.cache)
    #[arg(long, value_name = "N", requires = "links")]
    cache_days: Option<u32>,
    /// Checks at once (at most 2 per host)
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256), requires = "links")]
    jobs: u16,
    /// Seconds to wait for each answer
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=300), requires = "links")]
    timeout: u16,
    /// Check only the links on lines changed since the git revision REF
    /// (a pull request's base)
    #[arg(long, value_name = "REF", requires = "links")]
    changed_since: Option<String>,
}

/// Checks the catalogue's links and reports them; fails when any is broken.
pub(super) fn run(
    dir: &Path,
    loaded: &Loaded,
    options: &Options,
    format: Format,
) -> Result<(), Error> {
    let mut targets = links::targets(&loaded.catalogue, &loaded.origins, options.all_links);
    if let Some(rev) = &options.changed_since {
        let added = standing::added_since(dir, rev).map_err(CommandError::Git)?;
        links::changed(&mut targets, &added);
    }
    place_summary_links(dir, &mut targets);
    let mut urls: Vec<String> = targets.iter().map(|t| t.url.clone()).collect();
    urls.sort();
    urls.dedup();
    let now = chrono::Utc::now().timestamp();
    let cache_path = dir.join(cache::FILE);
    let mut cache = match options.cache_days {
        Some(_) => read_cache(dir)?,
        None => Cache::new(),
    };
    let max_age = i64::from(options.cache_days.unwrap_or(0)) * 86_400;
    let (cached, asked): (Vec<String>, Vec<String>) = urls
        .into_iter()
        .partition(|url| cache::fresh(&cache, url, now, max_age).is_some());
    let answers = ask(&asked, options, format);
    let mut verdicts: BTreeMap<String, Verdict> = BTreeMap::new();
    for url in cached {
        if let Some(verdict) = cache::fresh(&cache, &url, now, max_age) {
            verdicts.insert(url.clone(), verdict.clone());
        }
    }
    for (url, verdict) in asked.into_iter().zip(answers) {
        if cache::keeps(&verdict) {
            cache.insert(url.clone(), (now, verdict.clone()));
        }
        verdicts.insert(url, verdict);
    }
    if options.cache_days.is_some() {
        cache.retain(|url, _| verdicts.contains_key(url));
        crate::output::replace(&cache_path, &cache::render(&cache)).map_err(|source| {
            LinksError::Cache {
                path: cache_path,
                source,
            }
        })?;
    }
    report(&targets, &verdicts, format)
}

/// Moves each summary link's location from its entry's title to where the
/// link is written: its first occurrence after the title line (issue 20).
/// A link written otherwise (with `&amp;`) keeps the title's location.
fn place_summary_links(dir: &Path, targets: &mut [Target]) {
    let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
    for target in targets.iter_mut().filter(|t| t.in_summary) {
        let Some(location) = &mut target.location else {
            continue;
        };
        if !texts.contains_key(&location.path) {
            let bytes = input::read(dir, &location.path, Kind::Catalogue)
                .ok()
                .flatten();
            let text = String::from_utf8(bytes.unwrap_or_default()).unwrap_or_default();
            texts.insert(location.path.clone(), text);
        }
        let text = texts.get(&location.path).map_or("", String::as_str);
        let title_line = match location.line.checked_sub(2) {
            Some(breaks) => text
                .match_indices('\n')
                .nth(breaks)
                .map_or(0, |(at, _)| at + 1),
            None => 0,
        };
        let found = text
            .get(title_line..)
            .and_then(|rest| rest.find(&target.url));
        if let Some(found) = found {
            *location = Location::at(&location.path, text, title_line + found);
        }
    }
}

/// The link cache through the bounded reader: a FIFO or `/dev/zero` there
/// used to hang or fill memory (issue 20). Bytes that are not UTF-8 are
/// dropped with their lines, which are asked again.
fn read_cache(dir: &Path) -> Result<Cache, Error> {
    let bytes = input::read(dir, Path::new(cache::FILE), Kind::LinkCache)
        .map_err(LinksError::from)?
        .unwrap_or_default();
    Ok(cache::parse(&String::from_utf8_lossy(&bytes)))
}

/// Asks every URL, with a progress bar on a terminal.
fn ask(urls: &[String], options: &Options, format: Format) -> Vec<Verdict> {
    let limits = Limits {
        timeout: Duration::from_secs(options.timeout.into()),
        retry_after: Duration::from_secs(10),
    };
    let agent = probe::agent(&limits);
    let bar = progress_bar(urls.len(), format);
    let bounds = Bounds {
        jobs: options.jobs.into(),
        per_host: 2,
    };
    let answers = pool::run(
        urls,
        bounds,
        |url| probe::probe(&agent, url, &limits),
        || bar.inc(1),
    );
    bar.finish_and_clear();
    answers
        .into_iter()
        .map(|answer| {
            answer.unwrap_or(Verdict::Broken {
                reason: "not checked (a bug in oyez)".into(),
            })
        })
        .collect()
}

fn progress_bar(len: usize, format: Format) -> ProgressBar {
    if len < 2 || format == Format::Json || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} links checked, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

fn report(
    targets: &[Target],
    verdicts: &BTreeMap<String, Verdict>,
    format: Format,
) -> Result<(), Error> {
    let checked: Vec<(&Target, &Verdict)> = targets
        .iter()
        .filter_map(|target| Some((target, verdicts.get(&target.url)?)))
        .collect();
    let count = |wanted: fn(&Verdict) -> bool| checked.iter().filter(|(_, v)| wanted(v)).count();
    let broken = count(|v| matches!(v, Verdict::Broken { .. }));
    match format {
        Format::Json => {
            let lines: Vec<JsonLine<'_>> =
                checked.iter().map(|(t, v)| JsonLine::new(t, v)).collect();
            let json = serde_json::to_string_pretty(&lines).unwrap_or_default();
            // serde_json writes every control character as an escape.
            let _ = writeln!(std::io::stdout(), "{json}");
        }
        Format::Text | Format::Github => {
            for (target, verdict) in &checked {
                if let Some(line) = links::line(target, verdict) {
                    say!("{line}");
                }
            }
            say!(
                "links: {} checked: {} ok, {} moved, {} unverified, {broken} broken",
                checked.len(),
                count(|v| matches!(v, Verdict::Ok)),
                count(|v| matches!(v, Verdict::Moved { .. })),
                count(|v| matches!(v, Verdict::Unverified { .. })),
            );
        }
    }
    if broken > 0 {
        return Err(LinksError::Broken { count: broken }.into());
    }
    Ok(())
}
