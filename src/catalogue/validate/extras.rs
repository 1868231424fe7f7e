//! The entry fields few entries have (issue 23), checked into one
//! [`Extras`] behind a pointer: `None` when the entry has none of them.

use toml::Spanned;
use url::Url;

use crate::catalogue::link;
use crate::catalogue::model::Extras;
use crate::catalogue::raw;

use super::checker::Checker;

/// `raw`'s extras; a bad one is reported in `check` and left out.
pub(super) fn entry(check: &mut Checker<'_>, raw: &raw::Entry) -> Option<Box<Extras>> {
    let feed = raw.feed.as_ref().and_then(|feed| {
        let parsed = check.web_url(feed, "feed")?;
        Some(link::as_written(parsed.into(), feed.get_ref()))
    });
    let extras = Extras { feed };
    (extras != Extras::default()).then(|| Box::new(extras))
}

/// `[site] icon` or `logo`: an absolute http(s) URL, or a path under the
/// site (`icon.png`), made absolute against `base`.
pub(super) fn site_image(
    check: &mut Checker<'_>,
    value: &Spanned<String>,
    field: &str,
    base: &Url,
) -> Option<String> {
    let text = value.get_ref();
    if Url::parse(text) == Err(url::ParseError::RelativeUrlWithoutBase)
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && let Ok(joined) = base.join(text)
    {
        return Some(joined.into());
    }
    let parsed = check.web_url(value, field)?;
    Some(link::as_written(parsed.into(), text))
}
