//! A host-only link as its maintainer wrote it (issue 22). The `url` crate
//! writes `https://a.example.org` as `https://a.example.org/`; the entry
//! keeps the form written, while identity and the duplicate check compare
//! the crate's form, so that adding or removing that `/` changes nothing.

use std::borrow::Cow;

/// `normalised` (the `url` crate's form of `written`), or `written` itself
/// when the only difference is the `/` the crate adds to a bare host.
pub(crate) fn as_written(normalised: String, written: &str) -> String {
    let bare = normalised.strip_suffix('/');
    if bare == Some(written) && is_host_only(written) {
        written.to_owned()
    } else {
        normalised
    }
}

/// `url` with the `/` a bare host gets from the `url` crate: the form
/// identity and duplicate checks compare.
pub(crate) fn with_host_slash(url: &str) -> Cow<'_, str> {
    if is_host_only(url) {
        Cow::Owned(format!("{url}/"))
    } else {
        Cow::Borrowed(url)
    }
}

/// Whether `url` is a scheme and a host, with nothing after the host.
fn is_host_only(url: &str) -> bool {
    // The first `://`: after `https` or `http`, as almost always, else
    // found by its `:` (a `str` pattern would set up a two-way search for
    // each of a catalogue's URLs).
    let web = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let rest = web.or_else(|| {
        (url.match_indices(':')).find_map(|(at, _)| url.get(at..)?.strip_prefix("://"))
    });
    rest.is_some_and(|rest| !rest.is_empty() && !rest.contains(['/', '?', '#']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_keeps_its_form_and_compares_with_the_slash() {
        let keep = |written: &str| as_written(url::Url::parse(written).unwrap().into(), written);
        assert_eq!(keep("https://a.example.org"), "https://a.example.org");
        assert_eq!(keep("https://a.example.org/"), "https://a.example.org/");
        assert_eq!(keep("https://A.example.org"), "https://a.example.org/");
        assert_eq!(
            keep("https://a.example.org?q=1"),
            "https://a.example.org/?q=1"
        );
        assert_eq!(keep("https://a.example.org/x"), "https://a.example.org/x");
        assert_eq!(
            with_host_slash("https://a.example.org"),
            "https://a.example.org/"
        );
        assert_eq!(
            with_host_slash("https://a.example.org/x"),
            "https://a.example.org/x"
        );
    }
}
