//! Link targets of catalogue Markdown: web (http, https, mailto) targets
//! as written when absolute, resolved against the site's base URL when
//! relative ([`web_target`]), with shortcuts for the common shapes
//! ([`Targets`]) that the one-scan writers (`scan.rs`) use.

use std::cell::RefCell;
use std::collections::HashMap;

use url::Url;

use super::scan::target_byte;

/// An http(s) or mailto target, as written when absolute, resolved against
/// `base` when relative; `None` for any other scheme. For targets of
/// [`target_byte`]s this is also the `href` the sanitiser keeps.
pub(crate) fn web_target(dest: &str, base: &Url) -> Option<String> {
    let url = base.join(dest).ok()?;
    let absolute = Url::parse(dest).is_ok();
    let web = matches!(url.scheme(), "http" | "https" | "mailto");
    web.then(|| {
        if absolute {
            dest.to_owned()
        } else {
            url.to_string()
        }
    })
}

/// Link targets as [`web_target`] makes them, with shortcuts for the two
/// common shapes: `http(s)://host/…` (valid exactly when the host is, which
/// is looked up once per host and thread) and a plain relative path (the
/// base's folder followed by the path).
pub(crate) struct Targets<'b> {
    base: &'b Url,
    /// `base` up to its last `/`, when it is an http(s) URL without query
    /// or fragment: then a plain relative path joins by concatenation.
    folder: Option<&'b str>,
    /// The last target made here.
    made: String,
}

thread_local! {
    /// Whether `https://host/` parses, by host: a catalogue links to few
    /// hosts, many times.
    static HOSTS: RefCell<HashMap<String, bool, foldhash::fast::RandomState>> =
        RefCell::new(HashMap::default());
}

impl<'b> Targets<'b> {
    pub(crate) fn new(base: &'b Url) -> Self {
        let plain = matches!(base.scheme(), "http" | "https")
            && base.query().is_none()
            && base.fragment().is_none()
            && !base.cannot_be_a_base();
        let folder = plain
            .then(|| base.as_str().rfind('/'))
            .flatten()
            .and_then(|slash| base.as_str().get(..=slash));
        Self {
            base,
            folder,
            made: String::new(),
        }
    }

    pub(crate) fn base(&self) -> &'b Url {
        self.base
    }

    /// What [`web_target`] gives for `dest`.
    #[cfg(test)]
    pub(crate) fn target(&mut self, dest: &str) -> Option<String> {
        self.resolve(dest).map(str::to_owned)
    }

    /// What [`web_target`] gives for `dest`, borrowed: `dest` itself, or
    /// the target last made here.
    pub(crate) fn resolve<'d>(&'d mut self, dest: &'d str) -> Option<&'d str> {
        self.resolve_with(dest, web_target)
    }

    /// What `slow` gives for `dest`, borrowed, where `slow` is a function
    /// that agrees with [`web_target`] on the two common shapes (the HTML
    /// writer's `href`, which differs on targets such as `https:/:x` that
    /// name the base's scheme without parsing on their own).
    pub(crate) fn resolve_with<'d>(
        &'d mut self,
        dest: &'d str,
        slow: impl FnOnce(&str, &Url) -> Option<String>,
    ) -> Option<&'d str> {
        if let Some(host) = simple_host(dest) {
            return valid_host(host).then_some(dest);
        }
        self.made.clear();
        match self.folder.filter(|_| plain_relative(dest)) {
            Some(folder) => {
                self.made.push_str(folder);
                self.made.push_str(dest);
            }
            None => self.made.push_str(&slow(dest, self.base)?),
        }
        Some(&self.made)
    }
}

/// Whether `https://host/` parses.
fn valid_host(host: &str) -> bool {
    HOSTS.with_borrow_mut(|hosts| match hosts.get(host) {
        Some(&valid) => valid,
        None => {
            let valid = Url::parse(&format!("https://{host}/")).is_ok();
            hosts.insert(host.to_owned(), valid);
            valid
        }
    })
}

/// The host of `http(s)://host[/?#…]` when the host is lowercase ASCII
/// letters, digits, `.` and `-` and the rest only [`target_byte`]s: such a
/// URL parses exactly when `https://host/` does (no port, no user, and
/// paths, queries and fragments never fail), with or without a base.
fn simple_host(dest: &str) -> Option<&str> {
    let rest = dest
        .strip_prefix("https://")
        .or_else(|| dest.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest.get(..end)?;
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'));
    let dest_ok = dest.bytes().all(target_byte);
    (host_ok && dest_ok).then_some(host)
}

/// A relative path of letters, digits and `-._~/` that starts with a
/// letter or digit and has no `.` or `..` segment, then perhaps a query
/// and a fragment of [`target_byte`]s (`notes/a.html?x=1&y=2#part`): it has
/// no scheme, and joins onto a base without resolving or encoding anything.
fn plain_relative(dest: &str) -> bool {
    let path_len = dest.bytes().position(|b| matches!(b, b'?' | b'#'));
    let (path, after) = dest.split_at(path_len.unwrap_or(dest.len()));
    after.bytes().all(target_byte) && plain_path(path)
}

/// The path part of a [`plain_relative`] target.
fn plain_path(dest: &str) -> bool {
    let chars_ok = dest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/'));
    let starts_ok = dest
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    chars_ok && starts_ok && !dest.split('/').any(|segment| matches!(segment, "." | ".."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_the_web_targets() {
        let bases = [
            "https://example.org/list/",
            "https://example.org/list",
            "http://example.org",
            "https://u:p@example.org:8443/a/b/",
        ];
        let dests = [
            "https://example.com/people/275",
            "http://e.org",
            "https://e.org?q#f",
            "https://exa_mple.org/",
            "https://1.2.3.999/",
            "https://xn--nxasmq6b.com/",
            "https://xn--a.com/",
            "https://a..b/",
            "https://-a-.b/",
            "https://0x1f/",
            "https://e.org:99999/",
            "notes/talks-4.html",
            "notes/a.html#part-2",
            "notes/a.html?x=1&y=2#f",
            "a?b?c#d#e/../f",
            "a/?q=%20&r=../x#./y",
            "a/b#%zz",
            "./a?x",
            "a/../b#f",
            "a#",
            "a?",
            "https://e.org/wiki/A_(b)#(c)",
            "a/(b).html?c=(d)#(e)",
            "https://e.org/?a=1&b=2",
            "a//b",
            "a/./b",
            "a/../b",
            ".hidden",
            "../x",
            "/root",
            "//e.org/x",
            "?q",
            "#f",
            "javascript:alert(1)",
            "mailto:a@b.org",
            "https:relative",
            "https:",
            "C:/x",
        ];
        for base in bases {
            let base = Url::parse(base).unwrap();
            let mut targets = Targets::new(&base);
            for dest in dests {
                // Twice: the second answer comes from the cache.
                for _ in 0..2 {
                    assert_eq!(
                        targets.target(dest),
                        web_target(dest, &base),
                        "{dest:?} on {base}"
                    );
                }
            }
        }
    }
}
