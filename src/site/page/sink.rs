//! Where the catalogue page goes as either twin writes it: a buffer that,
//! when streaming, hands each gathered chunk to its writer, with the
//! pieces the native writer puts in it (markup, escaped text, dates).

use std::io::{self, Write};
use std::ops::Range;

use chrono::NaiveDate;

use super::escape::push_escaped_html;
use crate::catalogue::SiteUrl;

/// Bytes a streamed page gathers before handing them to its writer.
pub(super) const CHUNK: usize = 64 * 1024;

/// Where a page goes: gathered in `buf` and, when streaming, handed to
/// `sink` each time a [`CHUNK`] has gathered.
pub(super) struct Page<'w> {
    pub(super) buf: Vec<u8>,
    sink: Option<&'w mut dyn Write>,
    /// The sink's error, kept whole while minijinja reports its own.
    pub(super) failed: Option<io::Error>,
}

impl<'w> Page<'w> {
    pub(super) fn new(buf: Vec<u8>, sink: Option<&'w mut dyn Write>) -> Self {
        Self {
            buf,
            sink,
            failed: None,
        }
    }

    /// Hands the gathered bytes to the sink once there are enough.
    pub(super) fn spill(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Some(sink) if self.buf.len() >= CHUNK => {
                sink.write_all(&self.buf)?;
                self.buf.clear();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub(super) fn finish(mut self) -> io::Result<()> {
        if let Some(sink) = &mut self.sink {
            sink.write_all(&self.buf)?;
            self.buf.clear();
            sink.flush()?;
        }
        Ok(())
    }

    pub(super) fn raw(&mut self, html: &str) {
        self.buf.extend_from_slice(html.as_bytes());
    }

    /// A string of the table (`crate::strings`), escaped as the built-in
    /// templates print it (`'` stays).
    pub(super) fn words(&mut self, text: &str) {
        if text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"')) {
            self.raw(&crate::strings::html(text));
        } else {
            self.raw(text);
        }
    }

    pub(super) fn text(&mut self, text: &str) {
        push_escaped_html(&mut self.buf, text);
    }

    /// Writes `<a href="HREF">NAME</a>` for each `(href, name)`, with
    /// ` · ` between them, both escaped as text.
    pub(super) fn links<'a>(&mut self, links: impl IntoIterator<Item = (&'a str, &'a str)>) {
        for (index, (href, name)) in links.into_iter().enumerate() {
            if index > 0 {
                self.raw(" · ");
            }
            self.raw("<a href=\"");
            self.text(href);
            self.raw("\">");
            self.text(name);
            self.raw("</a>");
        }
    }

    /// Writes a URL on the site, escaped as text.
    pub(super) fn url(&mut self, url: SiteUrl<'_>) {
        url.parts().iter().for_each(|part| self.text(part));
    }

    /// Writes `day` as `YYYY-MM-DD` (digits and dashes: nothing to escape)
    /// and returns where it is, for writing it again.
    pub(super) fn date(&mut self, day: NaiveDate) -> Range<usize> {
        let start = self.buf.len();
        // Writing to a `Vec` cannot fail.
        let _ = write!(self.buf, "{day}");
        start..self.buf.len()
    }

    /// `items` escaped and joined by ", " (the template's `|join(", ")`).
    pub(super) fn joined(&mut self, items: &[String]) {
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                self.raw(", ");
            }
            self.text(item);
        }
    }
}

impl Write for Page<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if let Err(err) = self.spill() {
            let message = err.to_string();
            self.failed = Some(err);
            return Err(io::Error::other(message));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
