//! The strings as templates read them, `strings`:
//!
//! - `strings.follow`: a text (in an HTML template, escaped, ready to print);
//! - `strings.count("resources", n)`: the plural for `n`, `{count}` filled in;
//! - `strings.fill("thanks_to", names=html)`: `{names}` filled in; in an
//!   HTML template a value marked safe (a `{% set %}` block) goes in as
//!   HTML, any other is escaped;
//! - `strings.js("filter_of")`: the text with a space either side, as a
//!   JavaScript string literal, for the page's script.

use std::sync::{Arc, LazyLock};

use minijinja::value::{Enumerator, Kwargs, Object, from_args};
use minijinja::{AutoEscape, Error, ErrorKind, State, Value};

use super::{Key, Strings};

/// `strings` for a template; `html` when the template escapes HTML (its
/// texts come escaped, as the built-in templates write them).
pub fn value(strings: &Arc<Strings>, html: bool) -> Value {
    Value::from_object(StringsObject {
        strings: Arc::clone(strings),
        html,
    })
}

#[derive(Debug)]
struct StringsObject {
    strings: Arc<Strings>,
    html: bool,
}

static NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| Key::ALL.iter().map(|key| key.name()).collect());

impl Object for StringsObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let text = self.strings.by_name(key.as_str()?)?;
        Some(if self.html {
            Value::from_safe_string(html(text))
        } else {
            Value::from(text)
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(NAMES.as_slice())
    }

    fn call_method(
        self: &Arc<Self>,
        state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let strings = &self.strings;
        match method {
            "fill" => {
                let (name, kwargs): (&str, Kwargs) = from_args(args)?;
                let key = Key::named(name).ok_or_else(|| unknown(name))?;
                fill(state, strings.get(key), &kwargs, None)
            }
            "count" => {
                let (base, count, kwargs): (&str, usize, Kwargs) = from_args(args)?;
                let one = Key::plural_named(base).ok_or_else(|| unknown(base))?;
                let text = strings.get(strings.plural(one, count));
                fill(state, text, &kwargs, Some(count))
            }
            "js" => {
                let (name,): (&str,) = from_args(args)?;
                let text = strings.by_name(name).ok_or_else(|| unknown(name))?;
                Ok(Value::from_safe_string(js(&format!(" {text} "))))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

fn unknown(name: &str) -> Error {
    Error::new(
        ErrorKind::InvalidOperation,
        format!("`strings` has no string {name:?}; the names are in docs/strings.md"),
    )
}

/// `text` with `{count}` and the keyword arguments filled in, escaped as
/// the template escapes.
fn fill(
    state: &State<'_, '_>,
    text: &str,
    kwargs: &Kwargs,
    count: Option<usize>,
) -> Result<Value, Error> {
    let escaping = !matches!(state.auto_escape(), AutoEscape::None);
    let mut values: Vec<(String, String)> = Vec::new();
    if let Some(count) = count {
        values.push(("count".into(), count.to_string()));
    }
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let shown = match (escaping, value.is_safe(), value.as_str()) {
            (true, false, Some(text)) => escape_all(text),
            _ => value.to_string(),
        };
        values.push((name.to_owned(), shown));
    }
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    Ok(if escaping {
        Value::from_safe_string(super::fill(&html(text), &pairs))
    } else {
        Value::from(super::fill(text, &pairs))
    })
}

/// A table text as HTML: `&`, `<`, `>` and `"` escaped; `'` stays, as the
/// built-in templates write it (safe in text and in `"`-quoted attributes).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Catalogue text as the template formatter escapes it.
fn escape_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let Ok(()) = crate::escape::escape_html::<std::convert::Infallible>(text, |piece| {
        out.push_str(piece);
        Ok(())
    });
    out
}

/// `text` as a JavaScript string literal safe inside `<script>`: quotes,
/// backslashes, controls and `<`, `>`, `&`, `'` as `\u` escapes.
pub fn js(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' | '\'' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use minijinja::{AutoEscape, Environment, context};

    use super::*;

    fn render(source: &str, language: &str, html: bool) -> String {
        let mut env = Environment::new();
        env.set_auto_escape_callback(move |_| {
            if html {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        let strings = Strings::new(language, &BTreeMap::new()).shared();
        let ctx = context! { strings => value(&strings, html), who => "<Ann & Bo>" };
        env.render_str(source, ctx).unwrap()
    }

    #[test]
    fn templates_read_texts_plurals_and_filled_strings() {
        let source = "{{ strings.subscribe_category }}|{{ strings.count('resources', 3) }}|\
            {% set names %}<a>{{ who }}</a>{% endset %}{{ strings.fill('thanks_to', names=names) }}|\
            {{ strings.fill('thanks_to', names=who) }}|{{ strings.js('filter_of') }}";
        assert_eq!(
            render(source, "en", true),
            "subscribe to this category's digest|3 resources.|\
             Thanks to <a>&lt;Ann &amp; Bo&gt;</a>.|Thanks to &lt;Ann &amp; Bo&gt;.|\" of \""
        );
        assert_eq!(
            render(source, "es", false),
            "suscribirte al boletín de esta categoría|3 recursos.|\
             Gracias a <a><Ann & Bo></a>.|Gracias a <Ann & Bo>.|\" de \""
        );
        assert_eq!(
            js("a\"</script>'\n"),
            "\"a\\u0022\\u003c/script\\u003e\\u0027\\u000a\""
        );
    }
}
