//! The placeholders `oyez init` writes (issue 24): its example `base_url`
//! and its example entry are warned about until they are replaced, so a
//! new catalogue is not published under example.org by accident. The
//! values are those of `src/authoring/init.rs`; `tests/cli/schema.rs`
//! runs `init` then `check` and expects both warnings.

use toml::Spanned;

use super::checker::Checker;
use crate::catalogue::raw;

const BASE_URL: &str = "https://example.org/my-catalogue/";
const ENTRY_URL: &str = "https://example.org/oyez/format";

pub(super) fn base_url(check: &mut Checker<'_>, value: &Spanned<String>) {
    if value.get_ref() == BASE_URL {
        check.warnings.push(check.source.diagnostic(
            &value.span(),
            "`base_url` is still the example `oyez init` wrote",
            "set it to where public/ will be served, such as https://you.github.io/list/",
        ));
    }
}

pub(super) fn entry(check: &mut Checker<'_>, entry: &raw::Entry) {
    if entry
        .url
        .as_ref()
        .is_some_and(|url| url.get_ref() == ENTRY_URL)
    {
        check.warnings.push(check.source.diagnostic(
            &entry.title.span(),
            format!(
                "entry {:?} is the example `oyez init` wrote",
                entry.title.get_ref()
            ),
            "replace it with your first resource, or delete it",
        ));
    }
}
