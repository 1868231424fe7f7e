//! `oyez init [DIR] [--templates] [--ci github]`: write a new catalogue
//! (or, with `--ci` in an existing one, only the CI workflow), never over an
//! existing file, and say what to do next.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

use super::parse_day;
use crate::authoring::init::{self, Ci};
use crate::authoring::schema;
use crate::error::{CommandError, Error};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Folder of the new catalogue (created if missing) [default: .]
    #[arg(default_value = ".", hide_default_value = true)]
    dir: PathBuf,
    /// Also write the built-in templates into DIR/templates/ for editing
    #[arg(long)]
    templates: bool,
    /// Date of the example entry and update [default: today, UTC]
    #[arg(long, value_parser = parse_day)]
    date: Option<NaiveDate>,
    /// Also write a workflow for this CI service: github (GitHub Actions: publish to Pages,
    /// mail digests on a schedule); alone, in a folder that already has oyez.toml
    #[arg(long, value_enum, value_name = "SERVICE", hide_possible_values = true)]
    ci: Option<Ci>,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let today = args.date.unwrap_or_else(|| Utc::now().date_naive());
    let existing_catalogue = args.dir.join("oyez.toml").exists();
    let mut files = match args.ci {
        Some(_) if existing_catalogue => Vec::new(),
        _ => init::files(today),
    };
    schema::add_to(&mut files);
    if args.templates {
        files.extend(init::templates());
    }
    files.extend(args.ci.map(init::ci_files).unwrap_or_default());
    let existing: Vec<String> = files
        .iter()
        .map(|(relative, _)| args.dir.join(relative))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(CommandError::WouldOverwrite(existing.join(", ")).into());
    }
    for (relative, text) in &files {
        let path = args.dir.join(relative);
        create(&path, text).map_err(|err| CommandError::Write {
            path: path.display().to_string(),
            reason: err.to_string(),
        })?;
        say!("created {}", path.display());
    }
    if files.iter().any(|(relative, _)| relative == "oyez.toml") {
        print_next_steps(&args.dir);
    }
    if args.ci == Some(Ci::Github) {
        print_github_steps();
    }
    Ok(())
}

fn print_github_steps() {
    say_lines!(
        "\nGitHub Actions (.github/workflows/oyez.yml, see docs/github-actions.md):\n  \
         1. in it, set `uses: OWNER/oyez@v0.1.0` (each job) to the oyez repository and version\n  \
         2. Settings > Pages > Source: GitHub Actions\n  \
         3. Settings > Secrets and variables > Actions: secret OYEZ_SMTP_URL, \
         variable OYEZ_DIGEST_SINCE (the first digest's start, 2026-01-01)\n  \
         4. commit and push: every push publishes; the digest goes out on Mondays"
    );
}

/// Writes a new file; fails if it appeared in the meantime.
fn create(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn print_next_steps(dir: &Path) {
    let d = crate::error::shown(&dir.display().to_string()).into_owned();
    say_lines!(
        "\nnext steps:\n  \
         1. edit {d}/oyez.toml: your title, base_url and categories\n  \
         2. oyez add {d} --title \"…\" --url https://… --category {cat} --by @you\n  \
         3. oyez check {d}\n  \
         4. oyez publish {d}    (writes {d}/public/: feeds, index.html, README.md)\n\
         Already have a Markdown list? oyez import markdown README.md --into {d}",
        cat = init::CATEGORY
    );
}
