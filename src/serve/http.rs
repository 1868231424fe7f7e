//! Answers the browser from the current build (tiny_http): the files as
//! published, every HTML page with the live-reload script, the build's
//! errors instead of any page while the catalogue has some.

use std::io::Cursor;

use tiny_http::{Header, Method, Request, Response};

use super::build::Files;
use super::page;
use super::{Current, State};

type Answer = Response<Cursor<Vec<u8>>>;

/// Answers one request; a browser gone before the answer is no error.
pub(crate) fn respond(state: &State, request: Request) {
    let answer = if matches!(request.method(), Method::Get | Method::Head) {
        let current = state.current();
        answer(&current, request.url())
    } else {
        plain(405, "only GET and HEAD are served\n".into())
    };
    let _ = request.respond(answer);
}

fn answer(current: &Current, url: &str) -> Answer {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if path == page::BUILD_PATH {
        return plain(200, current.build.to_string());
    }
    let files = match &current.site {
        Ok(files) => files,
        Err(lines) => return html(500, page::failed(lines, current.build)),
    };
    match find(files, path) {
        Some((name, bytes)) if name.ends_with(".html") => {
            html(200, page::with_reload(bytes, current.build))
        }
        Some((name, bytes)) => {
            with_type(Response::from_data(bytes.clone()), page::media_type(&name))
        }
        None => html(404, page::missing(path, current.build)),
    }
}

/// The file a URL path names: percent-decoded, `index.html` for a folder;
/// none for a path that climbs out (`..`).
fn find<'a>(files: &'a Files, path: &str) -> Option<(String, &'a Vec<u8>)> {
    let decoded = percent_decode(path)?;
    let mut parts: Vec<&str> = decoded.split('/').filter(|part| !part.is_empty()).collect();
    if parts.contains(&"..") {
        return None;
    }
    if decoded.ends_with('/') || parts.is_empty() {
        parts.push("index.html");
    }
    let name = parts.join("/");
    files.get(&name).map(|bytes| (name, bytes))
}

/// `%XX` escapes decoded; none for a bad escape or text that is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte == b'%' {
            let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(byte);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn html(status: u16, body: Vec<u8>) -> Answer {
    with_type(
        Response::from_data(body).with_status_code(status),
        "text/html; charset=utf-8",
    )
}

fn plain(status: u16, body: String) -> Answer {
    with_type(
        Response::from_string(body).with_status_code(status),
        "text/plain; charset=utf-8",
    )
}

/// `answer` with its media type, never cached: every answer may change
/// with the next edit.
fn with_type(answer: Answer, media_type: &str) -> Answer {
    let headers = [("Content-Type", media_type), ("Cache-Control", "no-store")];
    headers.into_iter().fold(answer, |answer, (name, value)| {
        match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            Ok(header) => answer.with_header(header),
            Err(()) => answer,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Files {
        [("index.html", "i"), ("categories/a b/atom.xml", "a")]
            .into_iter()
            .map(|(name, text)| (name.to_owned(), text.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn a_folder_is_its_index_and_escapes_are_decoded() {
        let files = site();
        assert_eq!(
            find(&files, "/").map(|(name, _)| name),
            Some("index.html".into())
        );
        let feed = find(&files, "/categories/a%20b/atom.xml").map(|(name, _)| name);
        assert_eq!(feed, Some("categories/a b/atom.xml".into()));
    }

    #[test]
    fn a_path_that_climbs_or_does_not_decode_names_nothing() {
        let files = site();
        assert_eq!(find(&files, "/categories/../index.html"), None);
        assert_eq!(find(&files, "/%2e%2e/index.html"), None);
        assert_eq!(find(&files, "/index%zz.html"), None);
        assert_eq!(find(&files, "/%ff"), None);
    }
}
