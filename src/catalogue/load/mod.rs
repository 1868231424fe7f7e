//! Reading a catalogue folder: `oyez.toml` and every `entries/**/*.toml`,
//! in sorted path order, parsed into `raw` structs. Problems become
//! diagnostics with `path:line:col`; one bad entry does not hide the next.

mod entries_reader;
mod folder;
mod invisible;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::location::{Diagnostic, Location, Source};
use super::raw;
use crate::input::{self, Kind};

use folder::Listing;
#[cfg(test)]
pub(crate) use folder::collect_toml_files;
pub(crate) use folder::no_entries;
pub use invisible::is_invisible;
pub(crate) use invisible::warn_invisible;

pub const CONFIG_FILE: &str = "oyez.toml";
pub const ENTRIES_DIR: &str = "entries";

/// A catalogue file's text and its path relative to the catalogue folder.
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
    /// Byte offsets of the line starts, computed on first use.
    pub(crate) lines: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub(crate) fn source(&self) -> Source<'_> {
        Source {
            path: &self.path,
            text: &self.text,
            lines: &self.lines,
        }
    }
}

/// What one entries file holds.
#[derive(Debug, Default)]
pub(crate) struct EntriesFile {
    pub(crate) category: Option<Spanned<String>>,
    pub(crate) entries: Vec<raw::Entry>,
    pub(crate) updates: Vec<raw::Update>,
}

/// Reads `oyez.toml` and lists the entries files (relative to `root`, in
/// sorted order). A folder that cannot be listed is a diagnostic naming it.
pub(crate) fn read_folder(
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> io::Result<(Option<SourceFile>, Vec<PathBuf>)> {
    let config = read_source(root, Path::new(CONFIG_FILE), diagnostics)?;
    let mut paths = Vec::new();
    let entries_dir = root.join(ENTRIES_DIR);
    if entries_dir.is_dir() {
        let mut listing = Listing {
            root,
            paths: &mut paths,
            diagnostics,
        };
        listing.collect(&entries_dir, 0);
    }
    paths.sort();
    let relative = paths
        .into_iter()
        .map(|path| {
            path.strip_prefix(root)
                .map_or(path.clone(), Path::to_path_buf)
        })
        .collect();
    Ok((config, relative))
}

/// A catalogue file the bounded reader refused.
fn unreadable(relative: &Path, err: &input::InputError) -> Diagnostic {
    let help = match err.problem {
        // Splitting it under entries/ is no help for oyez.toml (issue 20).
        input::Problem::TooLarge(_) if relative == Path::new(CONFIG_FILE) => {
            "the site, its categories and contributors need far less: check that this is the \
             right file"
        }
        _ => err.help(),
    };
    Diagnostic {
        location: None,
        message: format!("{}: {}", relative.display(), err.problem),
        help: help.into(),
    }
}

/// Reads one file as UTF-8 through the bounded reader ([`crate::input`]);
/// a file that cannot be read, invalid bytes and a missing `oyez.toml` are
/// diagnostics naming the file.
pub(crate) fn read_source(
    root: &Path,
    relative: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> io::Result<Option<SourceFile>> {
    let bytes = match input::read(root, relative, Kind::Catalogue) {
        Ok(Some(bytes)) => bytes,
        Ok(None) if relative == Path::new(CONFIG_FILE) => {
            diagnostics.push(Diagnostic {
                location: None,
                message: format!("no {CONFIG_FILE} in {}", root.display()),
                help: "run `oyez init` to start a catalogue, or pass the catalogue folder".into(),
            });
            return Ok(None);
        }
        Ok(None) => {
            diagnostics.push(Diagnostic {
                location: None,
                message: format!(
                    "{}: this file was removed while oyez read it",
                    relative.display()
                ),
                help: "check again".into(),
            });
            return Ok(None);
        }
        Err(err) => {
            diagnostics.push(unreadable(relative, &err));
            return Ok(None);
        }
    };
    match utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.remove(0);
            }
            Ok(Some(SourceFile {
                path: relative.to_path_buf(),
                text,
                lines: OnceLock::new(),
            }))
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            diagnostics.push(Diagnostic {
                location: Some(Location::at(relative, &prefix, valid)),
                message: "this file is not valid UTF-8".into(),
                help: "save it as UTF-8".into(),
            });
            Ok(None)
        }
    }
}

/// `bytes` as a string. Checked with SIMD first: a large catalogue's text
/// is mostly not ASCII, where the standard check slows to about 2 GB/s; the
/// standard check runs only to locate an error.
fn utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `bytes` was just found to be valid UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// Parses `oyez.toml`.
pub(crate) fn parse_config(
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<raw::Config> {
    let table = parse_table(file, diagnostics)?;
    let deserializer = ValueDeserializer::from(into_value(table));
    raw::Config::deserialize(deserializer)
        .map_err(|err| diagnostics.push(toml_diagnostic(file.source(), &err)))
        .ok()
}

/// Parses an entries file: the one-pass reader ([`entries_reader`]) when
/// the file has the usual shape, else its twin, toml's document tree and
/// serde, one `[[entry]]` or `[[update]]` at a time.
pub(crate) fn parse_entries(file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> EntriesFile {
    entries_reader::read(&file.text).unwrap_or_else(|| parse_entries_fully(file, diagnostics))
}

/// Both readings of an entries file's `text` when the one-pass reader
/// takes it, as `Debug` text (which shows spans, unlike `Spanned`'s
/// `PartialEq`): the one-pass reader's, the full parser's and the full
/// parser's diagnostics. For the differential fuzz target
/// (`entries_fast_path`) and the tests, which check that whatever the
/// one-pass reader reads, it reads the same.
#[doc(hidden)]
pub fn entries_both_ways(text: &str) -> Option<(String, String, Vec<Diagnostic>)> {
    let one_pass = entries_reader::read(text)?;
    let file = SourceFile {
        path: PathBuf::from("entries/both.toml"),
        text: text.to_owned(),
        lines: OnceLock::new(),
    };
    let mut diagnostics = Vec::new();
    let full = parse_entries_fully(&file, &mut diagnostics);
    Some((format!("{one_pass:?}"), format!("{full:?}"), diagnostics))
}

/// Parses an entries file with toml's document tree and serde.
fn parse_entries_fully(file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> EntriesFile {
    let mut parsed = EntriesFile::default();
    let Some(table) = parse_table(file, diagnostics) else {
        return parsed;
    };
    let source = file.source();
    for (key, value) in table.into_inner() {
        match key.get_ref().as_ref() {
            "category" => parsed.category = deserialize(source, value, diagnostics),
            "entry" => {
                for item in array_items(source, value, "entry", diagnostics) {
                    parsed
                        .entries
                        .extend(deserialize(source, item, diagnostics));
                }
            }
            "update" => {
                for item in array_items(source, value, "update", diagnostics) {
                    parsed
                        .updates
                        .extend(deserialize(source, item, diagnostics));
                }
            }
            other => diagnostics.push(source.diagnostic(
                &key.span(),
                format!("unknown key `{other}`"),
                "an entries file holds `category`, `[[entry]]` and `[[update]]` tables",
            )),
        }
    }
    parsed
}

fn parse_table<'i>(
    file: &'i SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(&file.text);
    if errors.is_empty() {
        return Some(table);
    }
    let mut reported: Vec<Diagnostic> = Vec::new();
    for err in &errors {
        let diagnostic = toml_diagnostic(file.source(), err);
        // Deep nesting or garbage can yield thousands of identical errors.
        if reported.last() != Some(&diagnostic) {
            reported.push(diagnostic);
        }
    }
    let hidden = reported.len().saturating_sub(MAX_SYNTAX_ERRORS);
    reported.truncate(MAX_SYNTAX_ERRORS);
    diagnostics.extend(reported);
    if hidden > 0 {
        diagnostics.push(Diagnostic {
            location: None,
            message: format!(
                "{}: {hidden} more syntax errors are not shown",
                file.path.display()
            ),
            help: "fix the ones above and check again".into(),
        });
    }
    None
}

/// Syntax errors reported per file; the rest are counted.
const MAX_SYNTAX_ERRORS: usize = 10;

fn into_value(table: Spanned<DeTable<'_>>) -> Spanned<DeValue<'_>> {
    let span = table.span();
    Spanned::new(span, DeValue::Table(table.into_inner()))
}

fn array_items<'i>(
    source: Source<'_>,
    value: Spanned<DeValue<'i>>,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Spanned<DeValue<'i>>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => items.into_iter().collect(),
        _ => {
            diagnostics.push(source.diagnostic(
                &span,
                format!("`{name}` must be an array of tables"),
                format!("write each one under a `[[{name}]]` header"),
            ));
            Vec::new()
        }
    }
}

fn deserialize<'de, T: Deserialize<'de>>(
    source: Source<'_>,
    value: Spanned<DeValue<'de>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    T::deserialize(ValueDeserializer::from(value))
        .map_err(|err| diagnostics.push(toml_diagnostic(source, &err)))
        .ok()
}

/// Turns a toml error into `path:line:col: message; help`.
fn toml_diagnostic(source: Source<'_>, err: &toml::de::Error) -> Diagnostic {
    // toml gives no place for some errors (`recursion limit` on a key of
    // a hundred segments): the most deeply dotted key stands for it (issue 20).
    let span = err.span().unwrap_or_else(|| most_dotted_key(source.text));
    let location = Some(source.location(&span));
    let message = err.message().trim().replace('\n', " ");
    let help = if message.starts_with("unknown field") {
        "fix the spelling or remove the key (see FORMAT.md)"
    } else if message.starts_with("missing field") {
        "add the field (see FORMAT.md)"
    } else if message.starts_with("invalid type") {
        "give the value the type FORMAT.md documents"
    } else if message.contains("recursion") || message.contains("recurse") {
        "nest keys, tables and values less deeply"
    } else {
        "fix the TOML syntax"
    };
    Diagnostic {
        location,
        message,
        help: help.into(),
    }
}

/// Where the line with the most dotted key or table header of `text`
/// starts (the first such line; the file's start when none is dotted).
fn most_dotted_key(text: &str) -> std::ops::Range<usize> {
    let mut best = (0, 0);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or_default();
        let dots = key.bytes().filter(|&b| b == b'.').count();
        if dots > best.0 {
            best = (dots, start);
        }
        start += line.len();
    }
    best.1..best.1
}
