//! What the preview adds to pages: the live-reload script, and the pages
//! it shows for a catalogue with errors and for a path with no file.

use crate::escape::escape_html;

/// The path the reload script polls: the number of the current build.
pub(crate) const BUILD_PATH: &str = "/__oyez/build";

/// Polls the build number twice a second and reloads the page when it is
/// not the one the page was served with (a new build, or the errors fixed).
fn reload_script(build: u64) -> String {
    format!(
        "<script>(function () {{ var build = \"{build}\"; setInterval(function () {{ \
         fetch(\"{path}\", {{ cache: \"no-store\" }}).then(function (r) {{ return r.text(); }})\
         .then(function (t) {{ if (t !== build) location.reload(); }}).catch(function () {{}}); \
         }}, 500); }})();</script>\n",
        path = BUILD_PATH
    )
}

/// `page` with the reload script before its last `</body>` (or at the end).
pub(crate) fn with_reload(page: &[u8], build: u64) -> Vec<u8> {
    let script = reload_script(build);
    let at = page
        .windows(7)
        .rposition(|window| window == b"</body>")
        .unwrap_or(page.len());
    let (head, tail) = page.split_at(at);
    [head, script.as_bytes(), tail].concat()
}

/// The page shown instead of every page while the catalogue has errors:
/// the same lines the terminal shows.
pub(crate) fn failed(lines: &[String], build: u64) -> Vec<u8> {
    let mut body = String::from("<h1>The catalogue has errors</h1>\n<pre>");
    for line in lines {
        push_escaped(&mut body, line);
        body.push('\n');
    }
    body.push_str("</pre>\n<p>This page reloads when they are fixed.</p>\n");
    document("oyez serve: errors", &body, build)
}

/// The page for a path the build has no file for.
pub(crate) fn missing(path: &str, build: u64) -> Vec<u8> {
    let mut body = String::from("<h1>Not found</h1>\n<p>Publishing writes no <code>");
    push_escaped(&mut body, path);
    body.push_str("</code>; the catalogue page is <a href=\"/\">/</a>.</p>\n");
    document("oyez serve: not found", &body, build)
}

fn document(title: &str, body: &str, build: u64) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body>\n{body}{script}</body>\n</html>\n",
        script = reload_script(build)
    )
    .into_bytes()
}

fn push_escaped(out: &mut String, text: &str) {
    let _ = escape_html(text, |piece| -> Result<(), ()> {
        out.push_str(piece);
        Ok(())
    });
}

/// The media type of a published file, by its extension.
pub(crate) fn media_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    match extension {
        "html" => "text/html; charset=utf-8",
        // Browsers apply feed.xsl only to feeds served as XML.
        "xml" => "text/xml; charset=utf-8",
        "xsl" => "application/xml",
        "opml" => "text/x-opml; charset=utf-8",
        "json" => "application/json",
        "md" => "text/markdown; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = with_reload(b"<body>a</body>\n</html>", 7);
        let text = String::from_utf8(page).unwrap();
        let expected = format!("<body>a{}</body>\n</html>", reload_script(7));
        assert_eq!(text, expected);
    }

    #[test]
    fn errors_are_escaped_on_the_page() {
        let page = String::from_utf8(failed(&["a <b> & c".into()], 1)).unwrap();
        assert!(page.contains("<pre>a &lt;b&gt; &amp; c\n</pre>"), "{page}");
    }
}
