//! Templates for pages, the Markdown list and mails: built-ins compiled
//! into the binary, each replaceable by a file of the same name in the
//! catalogue's `templates/` folder. Undefined variables are errors, and
//! `.html` templates auto-escape.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Output, State, UndefinedBehavior};
use serde::Serialize;

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
    #[error("cannot read template {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Not `#[from]`: `describe` already says everything, and a `source`
    /// would make the report repeat it as "caused by".
    #[error("{}", describe(.0))]
    Invalid(minijinja::Error),
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

    /// Like [`Self::render`], into a buffer with room for `capacity` bytes
    /// from the start: a page of tens of MB then grows without a chain of
    /// doublings, each of which briefly holds the old and the new copy.
    /// Room that is never written costs address space, not memory.
    pub fn render_sized(
        &self,
        name: &str,
        context: impl Serialize,
        capacity: usize,
    ) -> Result<Vec<u8>, TemplateError> {
        let template = self.env.get_template(name)?;
        let mut out = Vec::with_capacity(capacity);
        template.render_captured_to(Serde(context), &mut out)?;
        Ok(out)
    }
}

/// Reads the overrides in `root/templates/` whose names match a built-in.
pub fn read_overrides(root: &Path) -> Result<BTreeMap<String, String>, TemplateError> {
    let mut overrides = BTreeMap::new();
    for (name, _) in BUILTIN {
        let path = root.join(TEMPLATES_DIR).join(name);
        match fs::read_to_string(&path) {
            Ok(source) => {
                overrides.insert((*name).to_owned(), source);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(TemplateError::Read { path, source }),
        }
    }
    Ok(overrides)
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
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            _ => escaped.push(c),
        }
    }
    out.write_str(&escaped)
        .map_err(|err| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, err.to_string()))
}
