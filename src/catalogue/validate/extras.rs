//! The entry fields few entries have (issue 23), checked into one
//! [`Extras`] behind a pointer: `None` when the entry has none of them.

use toml::Spanned;
use url::Url;

use crate::catalogue::link;
use crate::catalogue::model::{Enclosure, Extras};
use crate::catalogue::raw;

use super::checker::Checker;

/// `raw`'s extras; a bad one is reported in `check` and left out.
pub(super) fn entry(check: &mut Checker<'_>, raw: &raw::Entry, base: &Url) -> Option<Box<Extras>> {
    let feed = raw.feed.as_ref().and_then(|feed| url(check, feed, "feed"));
    let image = raw
        .image
        .as_ref()
        .and_then(|image| url(check, image, "image"));
    let enclosure = raw.enclosure.as_ref().and_then(|e| enclosure(check, e));
    let content = raw.content.clone();
    let content = content.and_then(|content| check.markdown(content, "content", base));
    let extras = Extras {
        feed,
        image,
        enclosure,
        content: content.flatten(),
    };
    let any = extras.feed.is_some()
        || extras.image.is_some()
        || extras.enclosure.is_some()
        || extras.content.is_some();
    any.then(|| Box::new(extras))
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

/// An absolute http(s) URL, as written.
fn url(check: &mut Checker<'_>, value: &Spanned<String>, field: &str) -> Option<String> {
    check.web_link(value, field)
}

/// `enclosure = { url, length, type }`: a web URL, a size in bytes and a
/// media type (`type/subtype`).
fn enclosure(check: &mut Checker<'_>, raw: &raw::Enclosure) -> Option<Enclosure> {
    let url = url(check, &raw.url, "enclosure.url");
    let length = u64::try_from(*raw.length.get_ref()).ok();
    if length.is_none() {
        check.error(
            &raw.length.span(),
            "`enclosure.length` is negative".into(),
            "give the file's size in bytes",
        );
    }
    let mime = raw.mime.get_ref();
    let media_type = mime.split_once('/').is_some_and(|(kind, subtype)| {
        let token = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        };
        token(kind) && token(subtype)
    });
    if !media_type {
        check.error(
            &raw.mime.span(),
            format!("`enclosure.type` is not a media type: {mime:?}"),
            "write a type such as audio/mpeg or video/mp4",
        );
    }
    Some(Enclosure {
        url: url?,
        length: length?,
        mime: media_type.then(|| mime.clone())?,
    })
}
