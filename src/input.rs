//! Reading the files a catalogue folder holds (`oyez.toml`, entries,
//! template overrides, the subscribers file, the digest ledger): one
//! bounded reader for all of them (issues 6 and 15).
//!
//! A file must resolve, symbolic links followed, to a place inside the
//! catalogue folder, so a catalogue from a pull request cannot make oyez
//! publish or print a file from elsewhere (`/etc/passwd` as a template). It
//! is opened without blocking (a FIFO would wait for a writer for ever) and
//! without following a link swapped in since it was resolved, and the
//! *opened* file's metadata decides: regular files only, at most
//! [`Kind::limit`] bytes, and never more than that is read.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// What a file is for, which sets its size limit and the advice given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `oyez.toml` and `entries/**/*.toml`.
    Catalogue,
    /// A template override under `templates/`.
    Template,
    /// The file `[digest] subscribers` names.
    Subscribers,
    /// The digest ledger.
    Ledger,
    /// oyez's own state under `.oyez/` (the ledger aside).
    State,
    /// The link cache of `check --links --cache-days` (issue 20).
    LinkCache,
    /// A message in the mailbox `oyez inbox` reads (issue 21).
    Mail,
}

const MIB: u64 = 1024 * 1024;

impl Kind {
    /// The largest file of this kind oyez reads, in bytes.
    pub const fn limit(self) -> u64 {
        match self {
            // Far beyond any hand-kept list (issue 6).
            Self::Catalogue => 16 * MIB,
            // The built-in page template is 3 KiB.
            Self::Template => MIB,
            // About a million addresses.
            Self::Subscribers => 64 * MIB,
            // Weekly digests to 10,000 subscribers for about three years
            // (297 bytes per recipient and digest, measured).
            Self::Ledger => 512 * MIB,
            // The identity record of a million entries.
            Self::State => 256 * MIB,
            // A line of about 200 bytes per URL: 300,000 URLs.
            Self::LinkCache => 64 * MIB,
            // Requests, bounces and complaints are a few KiB; a bounce may
            // carry the digest it returns.
            Self::Mail => 16 * MIB,
        }
    }

    const fn help_when_too_large(self) -> &'static str {
        match self {
            Self::Catalogue => "split it into several files under entries/",
            Self::Template => "a page template needs far less: check that this is the right file",
            Self::Subscribers => "mail a list address in `[digest] to` instead of so many",
            Self::State => "restore the file from git: oyez never writes one so large",
            Self::Ledger => {
                "move it away (keep it: it records what was sent) and start a new ledger with --since"
            }
            Self::LinkCache => "delete it: it is only a cache, and the next run asks again",
            Self::Mail => "no request oyez reads is so large: read it in your mail client",
        }
    }
}

/// Why a file cannot be read; shown after its path.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("this is not a regular file but {0}")]
    NotRegular(&'static str),
    #[error("this file is larger than {} MiB", .0 / MIB)]
    TooLarge(u64),
    #[error("this file lies outside the catalogue folder")]
    Outside,
    /// A template that resolves outside `templates/` (issue 20).
    #[error("this template resolves outside templates/")]
    OutsideTemplates,
    /// A file under `.git/` (which may hold credentials) or, for a
    /// catalogue file, under the state folder `.oyez/` (issue 20).
    #[error("this file resolves into {0}/")]
    Private(&'static str),
    #[error("this symbolic link leads to a missing file")]
    Dangling,
    #[error("this file cannot be read ({0})")]
    Unreadable(io::Error),
}

/// A file that cannot be read, named as the catalogue names it.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}; {}", path.display(), self.help())]
pub struct InputError {
    pub path: PathBuf,
    pub kind: Kind,
    pub problem: Problem,
}

impl InputError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match &self.problem {
            Problem::NotRegular(_) => "replace it with a plain file",
            Problem::TooLarge(_) => self.kind.help_when_too_large(),
            Problem::Outside => {
                "oyez reads only files inside the catalogue folder (symbolic links included): copy \
                 the file in"
            }
            Problem::OutsideTemplates => {
                "a template is published as it is, so it must be a file inside templates/ \
                 (symbolic links included): copy the file in"
            }
            Problem::Private(".git") => {
                "oyez never reads git's own files: point the link elsewhere"
            }
            Problem::Private(_) => {
                "oyez's own state is no catalogue file: point the link elsewhere"
            }
            Problem::Dangling => "remove the link or restore the file it points to",
            Problem::Unreadable(err) if err.kind() == io::ErrorKind::PermissionDenied => {
                "give oyez permission to read it"
            }
            Problem::Unreadable(_) => "check the file and its folder",
        }
    }
}

/// A file opened by [`open`]: a regular file inside the catalogue.
#[derive(Debug)]
pub struct Input {
    pub file: File,
    /// Its path with every symbolic link resolved.
    pub resolved: PathBuf,
}

/// Opens `relative` under the catalogue folder `root`; `None` if nothing
/// is there (a dangling link is an error, not nothing).
pub fn open(root: &Path, relative: &Path, kind: Kind) -> Result<Option<Input>, InputError> {
    let error = |problem| InputError {
        path: relative.to_path_buf(),
        kind,
        problem,
    };
    if !stays_inside(relative) {
        return Err(error(Problem::Outside));
    }
    let path = root.join(relative);
    match fs::symlink_metadata(&path) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(error(Problem::Unreadable(err))),
        Ok(_) => {}
    }
    let resolved = fs::canonicalize(&path).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => error(Problem::Dangling),
        _ => error(Problem::Unreadable(err)),
    })?;
    let root = fs::canonicalize(root).map_err(|err| error(Problem::Unreadable(err)))?;
    if let Some(problem) = misplaced(&root, &resolved, kind) {
        return Err(error(problem));
    }
    let file = open_without_waiting(&resolved).map_err(|err| error(Problem::Unreadable(err)))?;
    let meta = file
        .metadata()
        .map_err(|err| error(Problem::Unreadable(err)))?;
    if !meta.is_file() {
        return Err(error(Problem::NotRegular(describe(&meta.file_type()))));
    }
    if meta.len() > kind.limit() {
        return Err(error(Problem::TooLarge(kind.limit())));
    }
    Ok(Some(Input { file, resolved }))
}

/// Why a file of `kind` may not be read where it resolves, if it may not:
/// outside the catalogue folder `root`, under `.git/` (a checkout's
/// credentials), a catalogue file under `.oyez/` (the state, whose values
/// an error could echo), or a template outside `templates/` (issue 20: a
/// template linked to `../.git/config` or the subscribers file was published).
fn misplaced(root: &Path, resolved: &Path, kind: Kind) -> Option<Problem> {
    if !resolved.starts_with(root) {
        Some(Problem::Outside)
    } else if resolved.starts_with(root.join(".git")) {
        Some(Problem::Private(".git"))
    } else if kind == Kind::Catalogue && resolved.starts_with(root.join(".oyez")) {
        Some(Problem::Private(".oyez"))
    } else if kind == Kind::Template && !resolved.starts_with(root.join("templates")) {
        Some(Problem::OutsideTemplates)
    } else {
        None
    }
}

/// Whether `relative`, by its name alone, stays inside the folder it is
/// relative to: no root, no `..`.
fn stays_inside(relative: &Path) -> bool {
    relative
        .components()
        .all(|part| matches!(part, Component::Normal(_) | Component::CurDir))
}

/// Whether a new file at `relative` under `root` would be inside `root`:
/// its name stays inside and its folder resolves inside. For files oyez
/// creates (the ledger), checked before creating.
pub fn may_create(root: &Path, relative: &Path) -> bool {
    if !stays_inside(relative) {
        return false;
    }
    let path = root.join(relative);
    let folder = path.parent().unwrap_or(root);
    match (fs::canonicalize(root), fs::canonicalize(folder)) {
        (Ok(root), Ok(folder)) => folder.starts_with(root),
        // A missing folder: creating the file fails, with its own error.
        _ => true,
    }
}

/// The error of a file [`open`] gave that then failed to read.
pub fn unreadable(relative: &Path, kind: Kind, err: io::Error) -> InputError {
    InputError {
        path: relative.to_path_buf(),
        kind,
        problem: Problem::Unreadable(err),
    }
}

/// Reads `relative` under `root` whole, as [`open`] allows.
pub fn read(root: &Path, relative: &Path, kind: Kind) -> Result<Option<Vec<u8>>, InputError> {
    let Some(mut input) = open(root, relative, kind)? else {
        return Ok(None);
    };
    read_all(&mut input.file, relative, kind).map(Some)
}

/// Reads an opened file, never more than the limit of its kind (it may
/// have grown since it was checked); `path` names it in errors.
pub fn read_all(file: &mut File, path: &Path, kind: Kind) -> Result<Vec<u8>, InputError> {
    let error = |problem| InputError {
        path: path.to_path_buf(),
        kind,
        problem,
    };
    // Sized for the file at once: growing by doubling would copy a large
    // file (the identity record is 20 MB at 100,000 entries) and hold
    // both copies at the publish's peak of memory (issue 23 §7).
    let length = file.metadata().map_or(0, |meta| meta.len());
    let mut bytes = Vec::with_capacity(usize::try_from(length.min(kind.limit())).unwrap_or(0));
    file.take(kind.limit() + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| error(Problem::Unreadable(err)))?;
    if bytes.len() as u64 > kind.limit() {
        return Err(error(Problem::TooLarge(kind.limit())));
    }
    Ok(bytes)
}

/// Opens for reading without waiting for a FIFO's writer and without
/// following a symbolic link in the last place.
pub(crate) fn open_without_waiting(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let flags = (OFlags::NONBLOCK | OFlags::NOFOLLOW).bits();
        options.custom_flags(i32::try_from(flags).unwrap_or_default());
    }
    options.open(path)
}

fn describe(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![b'a'; usize::try_from(Kind::Template.limit()).unwrap() + 1];
        fs::create_dir(dir.path().join("templates")).unwrap();
        fs::write(dir.path().join("templates/t.html"), big).unwrap();
        let err = read(dir.path(), Path::new("templates/t.html"), Kind::Template).unwrap_err();
        assert_eq!(
            err.to_string(),
            "templates/t.html: this file is larger than 1 MiB; a page template needs far less: check that \
             this is the right file"
        );
        assert_eq!(
            read(dir.path(), Path::new("none"), Kind::Ledger).unwrap(),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_leave_the_folder_by_name_or_link_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("catalogue");
        fs::create_dir_all(root.join("inside")).unwrap();
        fs::write(dir.path().join("secret"), "s").unwrap();
        for name in ["../secret", "/etc/passwd"] {
            let err = read(&root, Path::new(name), Kind::Subscribers).unwrap_err();
            assert!(matches!(err.problem, Problem::Outside), "{name}: {err}");
            assert!(!may_create(&root, Path::new(name)), "{name}");
        }
        std::os::unix::fs::symlink(dir.path(), root.join("out")).unwrap();
        let err = read(&root, Path::new("out/secret"), Kind::Subscribers).unwrap_err();
        assert!(matches!(err.problem, Problem::Outside), "{err}");
        assert!(!may_create(&root, Path::new("out/ledger")));
        assert!(may_create(&root, Path::new("inside/ledger")));
        assert!(may_create(&root, Path::new("missing/ledger")));
    }
}
