//! `oyez check [DIR]`: validate and report, write nothing. Every template
//! is rendered too, with the catalogue's own data, into nothing: a
//! template error that would stop `publish` or `digest` shows here
//! (issue 15).

use std::io;
use std::path::Path;
use std::sync::Arc;

use super::CatalogueDir;
use super::json::{Counts, Format};
use crate::catalogue::{Catalogue, CatalogueError, Diagnostic, Loaded};
use crate::digest::ledger::Ledger;
use crate::digest::ledger::Window;
use crate::digest::plan;
use crate::digest::{self, DigestError, render};
use crate::error::Error;
use crate::publish;
use crate::state;
use crate::template::{self, Templates};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Also check every entry URL over the network (docs/feeds.md)
    #[arg(long)]
    links: bool,
    /// Check as `publish --accept-id-changes` would publish
    #[arg(long)]
    accept_id_changes: bool,
    #[command(flatten)]
    link_options: super::links::Options,
    #[command(flatten)]
    format: super::json::FormatArg,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = &args.catalogue.path();
    if args.format.format != Format::Text && !args.links {
        let loaded = super::load_quietly(dir);
        let mut warnings = loaded
            .as_ref()
            .map(|l| l.warnings.clone())
            .unwrap_or_default();
        let accept = args.accept_id_changes;
        let counts = loaded.and_then(|loaded| count(dir, loaded, accept, &mut warnings));
        return match args.format.format {
            Format::Github => super::annotations::check(counts, &warnings),
            _ => super::json::check(counts, &warnings),
        };
    }
    let mut loaded = super::load(dir)?;
    super::identity(dir, &mut loaded, args.accept_id_changes)?;
    if args.links {
        return super::links::run(dir, &loaded, &args.link_options, args.format.format);
    }
    if let Some(problem) = loaded.unintended_empty.take() {
        super::print_warnings(std::slice::from_ref(&problem));
        loaded.warnings.push(problem);
    }
    let catalogue = Arc::new(loaded.catalogue);
    check_recipients(dir, &catalogue)?;
    render_everything(dir, &catalogue)?;
    say!("{}", Counts::of(&catalogue).summary(loaded.warnings.len()));
    Ok(())
}

/// Reads the digest's recipients as `digest` would: a broken subscribers
/// file fails `check`, not the first send (issue 20).
fn check_recipients(dir: &Path, catalogue: &Catalogue) -> Result<(), Error> {
    let Some(config) = &catalogue.digest else {
        return Ok(());
    };
    super::digest::read_recipients(dir, config, catalogue).map_err(|err| match err {
        Error::Digest(DigestError::Recipients(problems)) => {
            let errors = problems.into_iter().map(Diagnostic::plain).collect();
            CatalogueError::Invalid { errors }.into()
        }
        other => other,
    })?;
    Ok(())
}

/// What `check` does but `--links`, for `--format json`: problems are
/// returned, warnings added to `warnings`.
fn count(
    dir: &Path,
    mut loaded: Loaded,
    accept: bool,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Counts, Error> {
    let checked = state::guard::check(dir, &loaded.catalogue, &loaded.origins, accept)?;
    warnings.extend(state::guard::removal_warnings(&checked.removed));
    warnings.extend(loaded.unintended_empty.take());
    let catalogue = Arc::new(loaded.catalogue);
    check_recipients(dir, &catalogue)?;
    render_everything(dir, &catalogue)?;
    Ok(Counts::of(&catalogue))
}

/// Renders what `publish` writes (but the archive pages, which use no
/// template) and, with a `[digest]`, a digest of every entry and update,
/// throwing the bytes away.
fn render_everything(dir: &Path, catalogue: &Arc<Catalogue>) -> Result<(), Error> {
    let templates = Templates::new(template::read_overrides(dir)?)?;
    let ledger =
        Ledger::read_in(dir, &digest::ledger_path(dir, catalogue)).map_err(DigestError::from)?;
    let sent = digest::archive::sent(&ledger);
    publish::render(catalogue, &templates, &sent)?;
    for document in publish::Streamed::ALL {
        document.write(catalogue, &templates, &mut io::sink())?;
    }
    if catalogue.digest.is_some() {
        let window = Window::EVERYTHING;
        let plan = plan::fresh(catalogue, window, &Ledger::default());
        let unsubscribe = catalogue.digest.as_ref().map(|d| d.unsubscribe.clone());
        render::content(
            catalogue,
            &templates,
            &plan,
            "check",
            &unsubscribe.unwrap_or_default(),
        )?;
    }
    Ok(())
}
