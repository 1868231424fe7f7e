//! `oyez publish [DIR] [--out OUT]`: validate, render everything in memory,
//! then replace changed files atomically. A catalogue with errors writes
//! nothing, and neither does a template error: files are written only once
//! all of them have rendered.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::CatalogueDir;
use super::json::Published;
use crate::catalogue::{Catalogue, Loaded};
use crate::digest::archive::Sent;
use crate::digest::counted;
use crate::error::{CommandError, Error};
use crate::feed::map::FeedMap;
use crate::output::Stage;
use crate::state::feeds::FeedHashes;
use crate::template::{self, Templates};
use crate::{output, publish};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Output folder [default: DIR/public]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Publish even when entries (or base_url) would change id since the last publish (.oyez/ids)
    #[arg(long)]
    accept_id_changes: bool,
    #[command(flatten)]
    format: super::json::FormatArg,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = &args.catalogue.path();
    if args.format.json() {
        let loaded = super::load_quietly(dir);
        let warnings = loaded
            .as_ref()
            .map(|l| l.warnings.clone())
            .unwrap_or_default();
        return super::json::publish(loaded.and_then(|l| publish(args, dir, l)), &warnings);
    }
    let published = publish(args, dir, super::load(dir)?)?;
    say!(
        "published {} to {}: {} written, {} unchanged",
        counted(published.entries, "entry", "entries"),
        published.out,
        counted(published.written, "file", "files"),
        published.unchanged
    );
    Ok(())
}

/// Publishes the catalogue `loaded` from `dir`.
fn publish(args: &Args, dir: &Path, mut loaded: Loaded) -> Result<Published, Error> {
    if let Some(problem) = loaded.unintended_empty {
        let errors = vec![problem];
        return Err(crate::catalogue::CatalogueError::Invalid { errors }.into());
    }
    let ids = super::identity(dir, &mut loaded, args.accept_id_changes)?;
    let feeds_before = FeedHashes::read(dir)?;
    let sent = sent_digests(dir, &loaded.catalogue)?;
    // The page and the list link the archive of sent digests (issue 23 §6).
    loaded.catalogue.digests_sent = !sent.is_empty();
    let catalogue = Arc::new(loaded.catalogue);
    let templates = Templates::new(template::read_overrides(dir)?)?;
    // Read before the output folder is made: a refused stylesheet writes nothing.
    let stylesheet = template::read_stylesheet(dir, &catalogue)?;
    let out = args.out.clone().unwrap_or_else(|| dir.join("public"));
    refuse_catalogue_as_output(dir, &out)?;
    let lock = output::prepare(&out)?;
    let place = lock.place();
    let (stage, feeds) = stage_everything(place, &catalogue, &templates, &sent, stylesheet)?;
    let files = written_files(&out, &stage);
    let written = stage.commit()?;
    // The state after the output: a crash in between publishes again,
    // and pings again, rather than never.
    super::ping::record(dir, &catalogue, &feeds.changed_since(&feeds_before))?;
    feeds.write(dir, &feeds_before)?;
    crate::state::revised::record(dir, &catalogue)?;
    ids.write(dir, &catalogue, &loaded.origins)?;
    lock.release();
    let entries = catalogue.entries.len();
    // The process ends next and the system reclaims the catalogue at once;
    // freeing its million strings one by one would take tens of ms at
    // 100,000 entries.
    std::mem::forget(catalogue);
    let out = out.display().to_string();
    Ok(Published::new(out, entries, files, written))
}

/// The files `stage` writes, relative to `out` with `/` separators,
/// sorted; on every thread (3,203 paths at 100,000 entries).
fn written_files(out: &Path, stage: &Stage) -> Vec<String> {
    let targets: Vec<&Path> = stage.targets().collect();
    let mut files: Vec<String> = targets
        .par_iter()
        .map(|path| {
            let relative = path.strip_prefix(out).unwrap_or(path);
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            parts.join("/")
        })
        .collect();
    files.par_sort_unstable();
    files
}

/// The digests sent so far, from the ledger: they become public (issue 3).
fn sent_digests(dir: &Path, catalogue: &Catalogue) -> Result<Vec<Sent>, Error> {
    let ledger_path = crate::digest::ledger_path(dir, catalogue);
    let ledger = crate::digest::ledger::Ledger::read_in(dir, &ledger_path)
        .map_err(crate::digest::DigestError::from)?;
    Ok(crate::digest::archive::sent(&ledger))
}

/// Renders and stages every output file, and hashes the feeds (which
/// feeds a hub must hear of: [`FeedHashes::changed_since`]).
///
/// Archive pages need no template: they are staged page by page (never
/// all in memory) while the large documents stream into their files and
/// the other files render. Nothing is renamed into place until
/// everything has rendered and been staged; the archive pages come in the
/// first batch, so they exist before any feed that links to them.
fn stage_everything(
    place: output::Place<'_>,
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
    sent: &[Sent],
    stylesheet: Vec<output::Rendered>,
) -> Result<(Stage, FeedHashes), Error> {
    let archives = publish::Archives::new(catalogue);
    let ((files, streamed), pages) = rayon::join(
        || {
            rayon::join(
                || -> Result<(Stage, FeedHashes), Error> {
                    let mut files = publish::render_beside(catalogue, templates, sent, &archives)?;
                    files.extend(stylesheet);
                    let map = FeedMap::new(catalogue);
                    Ok((output::stage(place, &files)?, FeedHashes::of(&map, &files)))
                },
                || stage_streamed(place, catalogue, templates),
            )
        },
        || {
            // A few pages a task: the pages end the publish, and a long
            // run left to one thread would leave the other idle. (A `..=`
            // range of usize cannot be split by length in rayon.)
            (1..archives.pages() + 1)
                .into_par_iter()
                .with_max_len(4)
                .map(|number| -> Result<Stage, Error> {
                    Ok(output::stage_in_turn(place, &archives.render(number)?)?)
                })
                .try_reduce(Stage::default, |a, b| Ok(a.merge(b)))
        },
    );
    let (files, feeds) = files?;
    Ok((pages?.then(files.merge(streamed?)), feeds))
}

/// Folders of a catalogue that oyez reads or keeps (issue 20: `--out
/// templates` published an `index.html` that then overrode the page template).
const SOURCE_FOLDERS: [&str; 4] = ["entries", "templates", ".git", ".oyez"];

/// Refuses an output folder that is the catalogue folder or holds it
/// (publishing writes `README.md` and `index.html`, and would replace the
/// maintainer's own; issue 15), or that is, holds or lies inside one of
/// its [`SOURCE_FOLDERS`].
fn refuse_catalogue_as_output(dir: &Path, out: &Path) -> Result<(), Error> {
    let Ok(catalogue) = fs::canonicalize(dir) else {
        return Ok(()); // the catalogue was read: this does not happen
    };
    let resolved = resolve_to_be(out);
    let default = || dir.join("public").display().to_string();
    if catalogue.starts_with(&resolved) {
        let (out, default) = (out.display().to_string(), default());
        return Err(CommandError::OutputHoldsCatalogue { out, default }.into());
    }
    for folder in SOURCE_FOLDERS {
        let source = fs::canonicalize(catalogue.join(folder)).unwrap_or(catalogue.join(folder));
        if resolved.starts_with(&source) || source.starts_with(&resolved) {
            let out = out.display().to_string();
            let default = default();
            return Err(CommandError::OutputInSources {
                out,
                folder,
                default,
            }
            .into());
        }
    }
    Ok(())
}

/// `path` with symbolic links resolved as far as it exists; the part not
/// made yet is joined on as written.
fn resolve_to_be(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(resolved) = fs::canonicalize(&absolute) {
        return resolved;
    }
    // Not all made yet: `..` is taken by name, as creating it will.
    let mut absolute = PathBuf::new();
    for part in std::path::absolute(path).unwrap_or_default().components() {
        match part {
            Component::ParentDir => {
                absolute.pop();
            }
            Component::CurDir => {}
            part => absolute.push(part),
        }
    }
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(resolved) = fs::canonicalize(existing) {
            return rest
                .iter()
                .rev()
                .fold(resolved, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Streams each [`publish::Streamed`] document into its staged file.
fn stage_streamed(
    place: output::Place<'_>,
    catalogue: &Arc<Catalogue>,
    templates: &Templates,
) -> Result<Stage, Error> {
    publish::Streamed::ALL
        .par_iter()
        .map(|document| {
            output::stage_from(place, document.path(), |sink| -> Result<(), Error> {
                Ok(document.write(catalogue, templates, sink)?)
            })
        })
        .try_reduce(Stage::default, |a, b| Ok(a.merge(b)))
}
