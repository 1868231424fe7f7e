//! `[strings]` (issue 23 §5): the catalogue's own words in place of the
//! built-in table's, for its language. A key must be one of the table's
//! and its text may use only the `{names}` the built-in text fills in.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use crate::strings::{self, Key, Strings};

use super::checker::Checker;

/// The catalogue's strings for `language` (with where it is written, for
/// the warning about a language oyez does not speak), `raw` in place of
/// the table's.
pub(super) fn strings(
    check: &mut Checker<'_>,
    (language, at): (&str, Option<Range<usize>>),
    raw: BTreeMap<Spanned<String>, Spanned<String>>,
) -> Arc<Strings> {
    let mut own = BTreeMap::new();
    for (key, text) in raw {
        let Some(known) = Key::named(key.get_ref()) else {
            check.error(
                &key.span(),
                format!("`[strings]` has no string {:?}", key.get_ref()),
                "use a key of the table in docs/strings.md, such as `follow` or `recently_added`",
            );
            continue;
        };
        let Some(value) = check.required_line(&text, key.get_ref()) else {
            continue;
        };
        let allowed = strings::placeholders(strings::english(known));
        if let Some(unknown) = strings::placeholders(&value)
            .into_iter()
            .find(|name| !allowed.contains(name))
        {
            check.error(
                &text.span(),
                format!(
                    "`{}` fills in `{{{unknown}}}`, which it does not have",
                    key.get_ref()
                ),
                &format!("it may use {}", names(&allowed)),
            );
            continue;
        }
        own.insert(key.into_inner(), value);
    }
    if let Some(at) = at.filter(|_| !strings::ships(language) && own.len() < Key::ALL.len()) {
        check.warnings.push(check.source.diagnostic(
            &at,
            format!("oyez has no words in {language:?}: the page, list and digests are in English"),
            "give your own words in [strings] (docs/strings.md), or use en, es, fr or de",
        ));
    }
    Strings::new(language, &own).shared()
}

/// `{a}, {b}`, or "no `{name}`" when there are none.
fn names(allowed: &[&str]) -> String {
    if allowed.is_empty() {
        return "no `{name}`".into();
    }
    let names: Vec<String> = allowed.iter().map(|name| format!("`{{{name}}}`")).collect();
    names.join(", ")
}
