//! Templates for pages, the Markdown list and mails: built-ins compiled
//! into the binary, each replaceable by a file of the same name in the
//! catalogue's `templates/` folder. Undefined variables are errors, and
//! `.html` templates auto-escape.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Output, State, UndefinedBehavior};
use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::escape::escape_html;
use crate::feed::stylesheet;
use crate::input::{self, InputError, Kind};
use crate::output::Rendered;

/// The built-in templates, by file name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("index.html", include_str!("../templates/index.html")),
    ("update.html", include_str!("../templates/update.html")),
    ("digest.html", include_str!("../templates/digest.html")),
    ("digest.txt", include_str!("../templates/digest.txt")),
    ("list.md", include_str!("../templates/list.md")),
];

/// Folder of a catalogue's template overrides.
pub const TEMPLATES_DIR: &str = "templates";

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{}: this template is not valid UTF-8; save it as UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    /// Not `#[from]`: `describe` already says everything, and a `source`
    /// would make the report repeat it as "caused by".
    #[error("{}", describe(.0))]
    Invalid(minijinja::Error),
    /// The writer a page was streaming into failed.
    #[error("cannot write the rendered output")]
    Write(#[source] io::Error),
}

impl From<minijinja::Error> for TemplateError {
    fn from(err: minijinja::Error) -> Self {
        Self::Invalid(err)
    }
}

/// `templates/index.html:12: undefined value; …` from a minijinja error.
fn describe(err: &minijinja::Error) -> String {
    let mut text = match (err.name(), err.line()) {
        (Some(name), Some(line)) => format!("{TEMPLATES_DIR}/{name}:{line}: "),
        (Some(name), None) => format!("{TEMPLATES_DIR}/{name}: "),
        _ => String::new(),
    };
    text.push_str(&err.kind().to_string());
    if let Some(detail) = err.detail() {
        text.push_str(": ");
        text.push_str(detail);
    }
    text.push_str("; fix the template or delete it to use the built-in one");
    text
}

/// Instructions a render may run when the catalogue overrides a template.
const OVERRIDE_FUEL: u64 = 50_000_000;

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Built-ins, with `overrides` (file name → source) taking their place.
    pub fn new(overrides: BTreeMap<String, String>) -> Result<Self, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(format_value);
        let syntax = SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()?;
        env.set_syntax(syntax);
        for (name, source) in BUILTIN {
            if !overrides.contains_key(*name) {
                env.add_template(name, source)?;
            }
        }
        if !overrides.is_empty() {
            // A catalogue's own template may loop for ever; stop it (issue 6).
            // The built-in index.html spends under 100 per entry: room for 500,000.
            env.set_fuel(Some(OVERRIDE_FUEL));
        }
        for (name, source) in overrides {
            env.add_template_owned(name, source)?;
        }
        Ok(Self { env })
    }

    /// Only the built-ins.
    pub fn builtin() -> Result<Self, TemplateError> {
        Self::new(BTreeMap::new())
    }

    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, TemplateError> {
        let template = self.env.get_template(name)?;
        Ok(template.render(Serde(context))?)
    }

    /// Like [`Self::render`], streaming into `out`: give it a buffered
    /// writer, as minijinja writes each piece of the page separately.
    pub fn render_to_write(
        &self,
        name: &str,
        context: impl Serialize,
        out: impl io::Write,
    ) -> Result<(), TemplateError> {
        let template = self.env.get_template(name)?;
        template.render_captured_to(Serde(context), out)?;
        Ok(())
    }

    /// Whether `name` is rendered from its built-in source, so that a
    /// caller may render it by other means with the same result. A
    /// catalogue's copy of the built-in, byte for byte, counts as built-in.
    pub fn is_builtin(&self, name: &str) -> bool {
        let builtin = BUILTIN.iter().find(|(builtin, _)| *builtin == name);
        match (builtin, self.env.get_template(name)) {
            (Some((_, source)), Ok(template)) => template.source() == *source,
            _ => false,
        }
    }
}

/// Reads the overrides in `root/templates/` whose names match a built-in,
/// through the bounded reader: regular files inside the catalogue only.
pub fn read_overrides(root: &Path) -> Result<BTreeMap<String, String>, TemplateError> {
    let mut overrides = BTreeMap::new();
    for (name, _) in BUILTIN {
        let path = Path::new(TEMPLATES_DIR).join(name);
        let Some(bytes) = input::read(root, &path, Kind::Template)? else {
            continue;
        };
        let source = String::from_utf8(bytes).map_err(|_| TemplateError::NotUtf8 { path })?;
        overrides.insert((*name).to_owned(), source);
    }
    Ok(overrides)
}

/// The `feed.xsl` and `feed.css` to publish: the catalogue's
/// `templates/feed.xsl` and `templates/feed.css` when it has them, else the
/// built-in ones, their `{{ strings.KEY }}` in the catalogue's
/// language; none with `[feeds] stylesheet = false`.
pub fn read_stylesheet(root: &Path, catalogue: &Catalogue) -> Result<Vec<Rendered>, TemplateError> {
    if !catalogue.stylesheet {
        return Ok(Vec::new());
    }
    let files = [
        (stylesheet::FILE, stylesheet::BUILTIN),
        (stylesheet::CSS_FILE, stylesheet::CSS_BUILTIN),
    ];
    let read = files.into_iter().map(|(file, builtin)| {
        let path = Path::new(TEMPLATES_DIR).join(file);
        let bytes = input::read(root, &path, Kind::Template)?;
        let bytes = bytes.unwrap_or_else(|| builtin.as_bytes().to_vec());
        Ok(Rendered::new(file, localise(file, bytes, catalogue)))
    });
    read.collect()
}

/// `bytes` of `file` with the stylesheet's words in the catalogue's
/// language, escaped for XML in `feed.xsl` and for CSS in `feed.css`; a
/// file that is not UTF-8 as it is.
fn localise(file: &str, bytes: Vec<u8>, catalogue: &Catalogue) -> Vec<u8> {
    let fill = match file {
        stylesheet::CSS_FILE => stylesheet::localise_css,
        _ => stylesheet::localise,
    };
    match String::from_utf8(bytes) {
        Ok(text) => fill(&text, &catalogue.strings).into_bytes(),
        Err(not_text) => not_text.into_bytes(),
    }
}

/// minijinja's formatter, except that HTML escaping of strings leaves `/`
/// alone: `&#x2f;` in every URL of a page is valid but makes it unreadable.
fn format_value(
    out: &mut Output,
    state: &mut State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let plain_string = value.kind() == ValueKind::String && !value.is_safe();
    if !(plain_string && matches!(state.auto_escape(), AutoEscape::Html)) {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.as_str().unwrap_or_default();
    escape_html(text, |piece| out.write_str(piece))
        .map_err(|err| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, err.to_string()))
}
