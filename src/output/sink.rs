//! Staging a file from a writer, for documents too big to hold in memory
//! (the catalogue page of 100,000 entries is 77 MB): the bytes are
//! compared with the existing file as they arrive, and a temporary file is
//! created only at the first byte that differs, starting with a copy of
//! the identical part. An unchanged page is read once and never written.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::lock::Place;
use super::stage::target;
use super::temp::Temp;
use super::{OutputError, Stage};

/// Stages the file at `path` (relative to the output folder) in `place`
/// from what `render` writes into the [`Sink`] it is given, like
/// [`super::stage`] does for bytes in memory: if the bytes equal the file
/// already there, nothing is written and the stage counts it unchanged.
///
/// If `render` fails, its error is returned and no temporary file is left.
/// If writing to disk failed, that failure is returned (naming the file)
/// even if `render` ignored it or turned it into its own error.
pub fn stage_from<'a, E: From<OutputError>>(
    place: impl Into<Place<'a>>,
    path: impl AsRef<Path>,
    render: impl FnOnce(&mut Sink) -> Result<(), E>,
) -> Result<Stage, E> {
    let place = place.into();
    let relative = path.as_ref();
    let path = target(place.out, relative)?;
    let opened = match place.fresh {
        Some(fresh) => Sink::fresh(&path, &fresh.join(relative)),
        None => Sink::open(&path),
    };
    let mut sink = match opened {
        Ok(sink) => sink,
        Err(source) => return Err(OutputError::Write { path, source }.into()),
    };
    let rendered = render(&mut sink);
    // A failed flush is kept in `failed`, reported just below.
    let _ = sink.buffer.flush();
    let (mut compare, _) = sink.buffer.into_parts();
    if let Some(source) = compare.failed.take() {
        return Err(OutputError::Write { path, source }.into());
    }
    rendered?;
    match compare.finish() {
        Ok(None) => Ok(Stage::unchanged()),
        Ok(Some(temp)) => Ok(Stage::one(temp.staged(path), place)),
        Err(source) => Err(OutputError::Write { path, source }.into()),
    }
}

/// Where [`stage_from`]'s renderer writes: buffered, then compared with
/// the existing file or written to the temporary file.
#[derive(Debug)]
pub struct Sink {
    buffer: BufWriter<Compare>,
}

impl Sink {
    fn open(path: &Path) -> io::Result<Self> {
        let state = match super::open_previous(path) {
            Some(existing) => State::Same {
                existing,
                matched: 0,
                scratch: Vec::new(),
            },
            // Missing, unreadable or not a regular file: the new bytes are written.
            None => State::Different(Temp::create(path)?),
        };
        Ok(Self::with(path, state))
    }

    /// For the target `path`, written at `fresh` (in a fresh folder).
    fn fresh(path: &Path, fresh: &Path) -> io::Result<Self> {
        Ok(Self::with(
            path,
            State::Different(Temp::create_fresh(fresh)?),
        ))
    }

    fn with(path: &Path, state: State) -> Self {
        let compare = Compare {
            path: path.to_path_buf(),
            state,
            failed: None,
        };
        Self {
            buffer: BufWriter::with_capacity(CHUNK, compare),
        }
    }
}

impl Write for Sink {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.write(bytes)
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buffer.write_all(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.buffer.flush()
    }
}

/// How many bytes are compared (and buffered) at a time.
const CHUNK: usize = 64 * 1024;

/// The writer behind a [`Sink`]'s buffer.
#[derive(Debug)]
struct Compare {
    /// The target, beside which the temporary file goes.
    path: PathBuf,
    state: State,
    /// The first failure to read or write, with its full message; the
    /// renderer is given only its kind.
    failed: Option<io::Error>,
}

#[derive(Debug)]
enum State {
    /// Every byte so far equals the existing file's, `matched` of them.
    Same {
        existing: File,
        matched: u64,
        scratch: Vec<u8>,
    },
    /// The bytes differ (or there was no file): they go to a new file.
    Different(Temp),
}

impl Write for Compare {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(err) = &self.failed {
            return Err(for_renderer(err));
        }
        match self.take(bytes) {
            Ok(()) => Ok(bytes.len()),
            Err(err) => {
                let told = for_renderer(&err);
                self.failed = Some(err);
                Err(told)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Compare {
    /// Compares `bytes` with the existing file's next ones until they
    /// differ, then writes the rest to the temporary file.
    fn take(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut rest = bytes;
        while let State::Same {
            existing,
            matched,
            scratch,
        } = &mut self.state
        {
            if rest.is_empty() {
                return Ok(());
            }
            let (chunk, after) = rest.split_at(rest.len().min(CHUNK));
            if !reads_as(existing, scratch, chunk) {
                self.diverge()?;
                break;
            }
            *matched += chunk.len() as u64;
            rest = after;
        }
        match &mut self.state {
            State::Different(temp) => temp.append(rest),
            State::Same { .. } => Ok(()),
        }
    }

    /// Starts the temporary file with the bytes matched so far, copied
    /// from the existing file (in the kernel, where it can).
    fn diverge(&mut self) -> io::Result<()> {
        let mut temp = Temp::create(&self.path)?;
        if let State::Same {
            existing, matched, ..
        } = &mut self.state
            && *matched > 0
        {
            existing.seek(SeekFrom::Start(0))?;
            let copied = io::copy(&mut (&*existing).take(*matched), &mut temp.file)?;
            if copied != *matched {
                // The existing file shrank under us.
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            temp.written = copied;
        }
        self.state = State::Different(temp);
        Ok(())
    }

    /// The temporary file to rename, or `None` if the bytes written equal
    /// the existing file's, all of them.
    fn finish(mut self) -> io::Result<Option<Temp>> {
        if let State::Same { existing, .. } = &mut self.state
            && !at_end(existing)
        {
            self.diverge()?;
        }
        Ok(match self.state {
            State::Same { .. } => None,
            State::Different(temp) => Some(temp),
        })
    }
}

/// What the renderer is told of a failure kept in [`Compare::failed`]:
/// its kind, except that `Interrupted` (which writers retry) would loop.
fn for_renderer(err: &io::Error) -> io::Error {
    match err.kind() {
        io::ErrorKind::Interrupted => io::Error::other("writing the output failed"),
        kind => io::Error::new(kind, "writing the output failed"),
    }
}

/// Whether the next bytes of `file` are exactly `expected`.
fn reads_as(file: &mut File, scratch: &mut Vec<u8>, expected: &[u8]) -> bool {
    if scratch.len() < expected.len() {
        scratch.resize(expected.len(), 0);
    }
    let Some(read) = scratch.get_mut(..expected.len()) else {
        return false;
    };
    file.read_exact(read).is_ok() && read == expected
}

/// Whether `file` has no more bytes.
fn at_end(file: &mut File) -> bool {
    file.read(&mut [0]).is_ok_and(|n| n == 0)
}

#[cfg(test)]
#[cfg(unix)] // modes and inodes
mod tests {
    use std::fs;
    use std::os::unix::fs::MetadataExt;

    use super::*;
    use crate::output::Written;

    /// Three and a bit chunks of bytes that do not repeat within a chunk.
    fn big() -> Vec<u8> {
        (0..CHUNK * 3 + 17).map(|i| (i % 251) as u8).collect()
    }

    #[derive(Debug)]
    enum TestError {
        Render,
        Output(OutputError),
    }

    impl From<OutputError> for TestError {
        fn from(err: OutputError) -> Self {
            Self::Output(err)
        }
    }

    /// Writes `bytes` in pieces of `piece` bytes.
    fn write_in(sink: &mut Sink, bytes: &[u8], piece: usize) -> Result<(), TestError> {
        for part in bytes.chunks(piece) {
            sink.write_all(part).map_err(|_| TestError::Render)?;
        }
        Ok(())
    }

    /// The names of the temporary files left in `dir`.
    fn temps(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".oyez-"))
            .collect()
    }

    /// Publishes `new` over `old` (`None`: no file yet) through
    /// [`stage_from`], written in pieces of each size in turn, and checks
    /// the result each time.
    fn republish(old: Option<&[u8]>, new: &[u8]) {
        for piece in [1000, CHUNK - 1, CHUNK * 2 + 3] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("page.html");
            if let Some(old) = old {
                fs::write(&path, old).unwrap();
            }
            let before = fs::metadata(&path).ok();
            let stage =
                stage_from(dir.path(), "page.html", |sink| write_in(sink, new, piece)).unwrap();
            let written = stage.commit().unwrap();
            assert_eq!(fs::read(&path).unwrap(), new, "piece {piece}");
            assert!(temps(dir.path()).is_empty());
            let after = fs::metadata(&path).unwrap();
            if old == Some(new) {
                assert_eq!(
                    written,
                    Written {
                        written: 0,
                        unchanged: 1
                    }
                );
                let before = before.unwrap();
                assert_eq!(before.ino(), after.ino());
                assert_eq!(before.modified().unwrap(), after.modified().unwrap());
            } else {
                assert_eq!(
                    written,
                    Written {
                        written: 1,
                        unchanged: 0
                    }
                );
                assert_eq!(after.mode() & 0o777, 0o644);
            }
        }
    }

    #[test]
    fn identical_bytes_leave_the_file_untouched() {
        republish(Some(&big()), &big());
        republish(Some(b""), b"");
    }

    #[test]
    fn a_difference_anywhere_rewrites_the_file() {
        let old = big();
        for at in [0, CHUNK - 1, CHUNK, CHUNK + 5, old.len() / 2, old.len() - 1] {
            let mut new = old.clone();
            new[at] ^= 1;
            republish(Some(&old), &new);
        }
    }

    #[test]
    fn longer_and_shorter_bytes_rewrite_the_file() {
        let old = big();
        let mut longer = old.clone();
        longer.extend_from_slice(b"one more");
        republish(Some(&old), &longer);
        republish(Some(&old), &old[..old.len() - 1]);
        republish(Some(&old), &old[..CHUNK]);
        republish(Some(&old), b"");
        republish(Some(b""), &old);
    }

    #[test]
    fn a_missing_file_and_folder_are_created() {
        republish(None, &big());
        republish(None, b"");
        let dir = tempfile::tempdir().unwrap();
        stage_from(dir.path(), "a/b/c.xml", |sink| write_in(sink, b"new", 1))
            .unwrap()
            .commit()
            .unwrap();
        assert_eq!(fs::read(dir.path().join("a/b/c.xml")).unwrap(), b"new");
    }

    #[test]
    fn a_failed_render_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        let old = big();
        fs::write(&path, &old).unwrap();
        for differ_at in [None, Some(0), Some(CHUNK * 2)] {
            let mut new = old.clone();
            if let Some(at) = differ_at {
                new[at] ^= 1;
            }
            let result = stage_from(dir.path(), "page.html", |sink| {
                write_in(sink, &new, 1000)?;
                sink.flush().map_err(|_| TestError::Render)?;
                Err(TestError::Render)
            });
            assert!(matches!(result, Err(TestError::Render)));
            assert!(temps(dir.path()).is_empty(), "differ at {differ_at:?}");
            assert_eq!(fs::read(&path).unwrap(), old);
        }
        let result = stage_from(dir.path(), "missing.html", |sink| {
            write_in(sink, b"partial", 3)?;
            Err(TestError::Render)
        });
        assert!(matches!(result, Err(TestError::Render)));
        assert!(temps(dir.path()).is_empty());
        assert!(!dir.path().join("missing.html").exists());
    }

    #[test]
    fn a_write_failure_is_reported_even_if_the_renderer_ignores_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/page.html"), b"old").unwrap();
        let result = stage_from(dir.path(), "sub/page.html", |sink| {
            // The folder becomes a file: no temporary file can go there.
            fs::remove_dir_all(dir.path().join("sub")).unwrap();
            fs::write(dir.path().join("sub"), b"in the way").unwrap();
            let _ = sink.write_all(b"new");
            let _ = sink.flush();
            Ok::<(), TestError>(())
        });
        match result {
            Err(TestError::Output(OutputError::Write { path, .. })) => {
                assert_eq!(path, dir.path().join("sub/page.html"));
            }
            other => panic!("expected a write error, got {other:?}"),
        }
        assert!(temps(dir.path()).is_empty());
    }

    #[test]
    fn paths_outside_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let result = stage_from(dir.path(), "../escape.html", |sink| write_in(sink, b"x", 1));
        assert!(matches!(
            result,
            Err(TestError::Output(OutputError::Escape { .. }))
        ));
    }
}
