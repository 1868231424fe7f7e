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

/// Whether the `url` crate keeps `url` exactly as written, so that
/// parsing it can be skipped (a tenth of the checks of an entries file):
/// `http://` or `https://`, a host name of lowercase ASCII labels (none
/// empty, none punycode, the last starting with a letter, which makes it
/// no IPv4 address), no port and no user, then nothing or a path from `/`
/// with no dot segment (`.`, `..`, `%2e`), a query and a fragment, all in
/// characters the crate never encodes. Anything else is parsed.
pub(crate) fn kept_as_written(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, after) = rest.split_at(host_end);
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    let (path, rest) = after.split_at(path_end);
    plain_host(host)
        && (after.is_empty() || path.starts_with('/'))
        && path.bytes().all(plain)
        && !path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
        && !has_encoded_dot(path)
        && rest
            .bytes()
            .all(|byte| plain(byte) || byte == b'?' || byte == b'#')
}

/// Both ways to an entry's URL: whether it is [`kept_as_written`], and
/// the form the parser gives it (`None` for no web URL, or one with a
/// user). For the differential test below and the `url_fast_path` fuzz
/// target (`fuzz/`): a URL kept as written is its own form.
#[doc(hidden)]
pub fn kept_and_parsed(written: &str) -> (bool, Option<String>) {
    let parsed = url::Url::parse(written).ok().filter(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host().is_some()
            && url.username().is_empty()
            && url.password().is_none()
    });
    let form = parsed.map(|url| as_written(url.into(), written));
    (kept_as_written(written), form)
}

/// A domain name the `url` crate's IDNA step returns as it is.
fn plain_host(host: &str) -> bool {
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
    };
    host.split('.').all(label)
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_lowercase()))
}

/// Bytes no part of a web URL encodes or changes.
fn plain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~!$&()*+,;=:@/%".contains(&byte)
}

/// `%2e` in any case: a dot to the path's dot segments.
fn has_encoded_dot(path: &str) -> bool {
    path.as_bytes()
        .windows(3)
        .any(|three| three.eq_ignore_ascii_case(b"%2e"))
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

    /// Pseudo-random URLs of pieces the crate treats in every way: hosts
    /// it lowercases, reads as numbers or decodes, ports, users, dot
    /// segments, characters it encodes or turns round.
    fn urls() -> impl Iterator<Item = String> {
        const SCHEMES: [&str; 5] = ["https://", "http://", "HTTPS://", "ftp://", "https:"];
        const HOSTS: [&str; 16] = [
            "example.org",
            "a.example.org",
            "Example.org",
            "ex-ample.org",
            "a..b.org",
            ".a.org",
            "1.2.3.4",
            "example.123",
            "xn--caf-dma.org",
            "a.0x1f",
            "x1.y2",
            "localhost",
            "user@example.org",
            "example.org:443",
            "example.org:8080",
            "",
        ];
        // The first `KEPT` are kept by the crate wherever they stand.
        const KEPT: usize = 25;
        const PIECES: [&str; 34] = [
            "/", "a", "Z9", ".", "..", "%2e", "%2E", "%zz", "%41", "-", "_", "~", "!", "$", "&",
            "(", "*", "+", ",", ";", "=", ":", "@", "?", "#", "'", "\\", " ", "\"", "<", "`", "{",
            "|", "\u{e9}",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        (0..200_000).map(move |_| {
            let mut url = String::new();
            url.push_str(SCHEMES[next(SCHEMES.len())]);
            url.push_str(HOSTS[next(HOSTS.len())]);
            if next(4) != 0 {
                url.push('/');
            }
            for _ in 0..next(9) {
                let from = if next(4) == 0 { PIECES.len() } else { KEPT };
                url.push_str(PIECES[next(from)]);
            }
            url
        })
    }

    #[test]
    fn a_url_kept_as_written_is_what_the_parser_makes_of_it() {
        let mut kept = 0;
        for written in urls() {
            if let (true, form) = kept_and_parsed(&written) {
                kept += 1;
                assert_eq!(form.as_deref(), Some(written.as_str()));
            }
        }
        // The check can fail: many of the URLs take the fast way.
        assert!(kept > 10_000, "{kept}");
        for written in [
            "https://example.org",
            "https://a.example.org/r/1?from=list&id=1",
            "https://e.org/wiki/Caf%C3%A9_(talk)#section-1",
        ] {
            assert!(kept_as_written(written), "{written}");
        }
        for parsed in [
            "https://Example.org/",
            "https://e.org:443/",
            "https://e.org/a/../b",
            "https://e.org/a/%2E/b",
            "https://1.2.3.4/",
            "https://e.org?q",
            "https://e.org/it's",
        ] {
            assert!(!kept_as_written(parsed), "{parsed}");
        }
    }

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
