//! The output folder readied for one publish: checked, created, locked
//! against a second publish, and cleared of temporary files that a killed
//! publish left. An output folder the publish creates (as in CI, where
//! `public/` is never committed) gets a fresh folder inside it, where
//! files are written under their own names and moved into place a top
//! folder at a time: no temporary name and no rename per file.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::OutputError;
use super::temp::TEMP_PREFIX;

/// Readies `out` for a publish: it must be a folder if it exists; it is
/// created and locked ([`Lock`]), so a second publish into it is refused;
/// then temporary files that a killed publish left anywhere under it, and
/// its fresh folder, are deleted (issue 6): they are never outputs.
pub fn prepare(out: &Path) -> Result<Lock, OutputError> {
    // The nearest existing folder on the way to `out` must be a folder:
    // `--out notes.txt/public` fails here, before anything is written.
    let existing = out
        .ancestors()
        .filter(|path| !path.as_os_str().is_empty())
        .find_map(|path| fs::metadata(path).ok().map(|meta| (path, meta)));
    if let Some((path, meta)) = existing
        && !meta.is_dir()
    {
        return Err(OutputError::NotAFolder {
            path: path.to_path_buf(),
        });
    }
    let mut lock = Lock::take(out)?;
    remove_killed(out)?;
    if lock.created.is_some() {
        let fresh = out.join(FRESH);
        fs::create_dir(&fresh).map_err(|source| OutputError::Write {
            path: fresh.clone(),
            source,
        })?;
        lock.fresh = Some(fresh);
    }
    Ok(lock)
}

/// The fresh folder's name, reserved: a killed publish's is deleted by
/// the next one.
const FRESH: &str = ".oyez-fresh";

/// Where a publish stages its files: the output folder, and the fresh
/// folder inside it if the publish created the output folder.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub(super) out: &'a Path,
    pub(super) fresh: Option<&'a Path>,
}

impl<'a> From<&'a Path> for Place<'a> {
    /// An output folder that may hold files already: each changed file is
    /// staged beside its target.
    fn from(out: &'a Path) -> Self {
        Self { out, fresh: None }
    }
}

/// An exclusive `flock` on the output folder itself, held until the
/// publish ends (issue 15): a second publish into the same folder is
/// refused instead of deleting the first one's staged files as stale. No
/// lock file is left in the output. A folder this publish created is
/// removed again, with its fresh folder, if the publish fails before its
/// files were moved into place.
#[derive(Debug)]
pub struct Lock {
    _folder: File,
    out: PathBuf,
    created: Option<PathBuf>,
    fresh: Option<PathBuf>,
}

impl Lock {
    fn take(out: &Path) -> Result<Self, OutputError> {
        let write_error = |source| OutputError::Write {
            path: out.to_path_buf(),
            source,
        };
        let created = !out.exists();
        fs::create_dir_all(out).map_err(write_error)?;
        let folder = File::open(out).map_err(write_error)?;
        match folder.try_lock() {
            Ok(()) => Ok(Self {
                _folder: folder,
                out: out.to_path_buf(),
                created: created.then(|| out.to_path_buf()),
                fresh: None,
            }),
            Err(fs::TryLockError::WouldBlock) => Err(OutputError::Busy {
                path: out.to_path_buf(),
            }),
            Err(fs::TryLockError::Error(source)) => Err(write_error(source)),
        }
    }

    /// Where to stage the files of this publish.
    pub fn place(&self) -> Place<'_> {
        Place {
            out: &self.out,
            fresh: self.fresh.as_deref(),
        }
    }

    /// The publish succeeded: keep the folder it created. Its fresh
    /// folder, emptied by the commit, goes.
    pub fn release(mut self) {
        if let Some(fresh) = self.fresh.take() {
            // Fails, harmlessly, unless it is empty.
            let _ = fs::remove_dir(fresh);
        }
        self.created = None;
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(fresh) = &self.fresh {
            // Only files this publish wrote, never moved into place.
            let _ = fs::remove_dir_all(fresh);
        }
        if let Some(created) = &self.created {
            // Fails, harmlessly, unless the folder is empty.
            let _ = fs::remove_dir(created);
        }
    }
}

/// Deletes a killed publish's fresh folder in `out`, and `.oyez-*` files
/// anywhere under it ([`remove_stale`]).
fn remove_killed(out: &Path) -> Result<(), OutputError> {
    let fresh = out.join(FRESH);
    if fs::symlink_metadata(&fresh).is_ok_and(|meta| meta.is_dir()) {
        fs::remove_dir_all(&fresh).map_err(|source| OutputError::Write {
            path: fresh,
            source,
        })?;
    }
    remove_stale(out)
}

/// Deletes `.oyez-*` files under `dir`, without following symbolic links.
/// Subfolders are searched in parallel: a large output has a thousand.
fn remove_stale(dir: &Path) -> Result<(), OutputError> {
    let Ok(items) = fs::read_dir(dir) else {
        return Ok(()); // not created yet: nothing stale in it
    };
    let mut folders = Vec::new();
    for item in items.flatten() {
        let Ok(kind) = item.file_type() else { continue };
        let path = item.path();
        if kind.is_dir() {
            folders.push(path);
        } else if kind.is_file() && item.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            fs::remove_file(&path).map_err(|source| OutputError::Write { path, source })?;
        }
    }
    folders
        .par_iter()
        .try_for_each(|folder| remove_stale(folder))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::{Rendered, stage};
    use super::*;

    /// Every file under `dir`, by path relative to it, with its text.
    fn tree(dir: &Path) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        let mut folders = vec![dir.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for item in fs::read_dir(&folder).unwrap() {
                let path = item.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let name = path.strip_prefix(dir).unwrap().display().to_string();
                    files.insert(name, fs::read_to_string(&path).unwrap());
                }
            }
        }
        files
    }

    fn files() -> [Vec<Rendered>; 2] {
        [
            vec![
                Rendered::new("archive/1/atom.xml", "page 1"),
                Rendered::new("archive/2/atom.xml", "page 2"),
            ],
            vec![
                Rendered::new("atom.xml", "feed"),
                Rendered::new("talks/atom.xml", "talks"),
            ],
        ]
    }

    #[test]
    fn a_created_output_folder_is_written_through_a_fresh_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let lock = prepare(&out).unwrap();
        let place = lock.place();
        assert_eq!(place.fresh, Some(out.join(FRESH).as_path()));
        let [pages, feeds] = files();
        let staged = stage(place, &pages)
            .unwrap()
            .then(stage(place, &feeds).unwrap());
        // Nothing is in place before the commit.
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
        let written = staged.commit().unwrap();
        lock.release();
        assert_eq!(written.written, 4);
        let expected: BTreeMap<String, String> = pages
            .iter()
            .chain(&feeds)
            .map(|file| {
                (
                    file.path.display().to_string(),
                    String::from_utf8(file.bytes.clone()).unwrap(),
                )
            })
            .collect();
        assert_eq!(tree(&out), expected, "no fresh folder is left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(out.join("archive/1/atom.xml"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o644);
        }
        // The next publish finds the folder: files are staged beside their targets.
        let again = prepare(&out).unwrap();
        assert_eq!(again.place().fresh, None);
    }

    #[test]
    fn a_failed_publish_into_a_created_folder_leaves_no_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let lock = prepare(&out).unwrap();
        let [pages, _] = files();
        let staged = stage(lock.place(), &pages).unwrap();
        drop(staged);
        drop(lock);
        assert!(!out.exists());
    }

    #[test]
    fn a_killed_publishs_fresh_folder_is_deleted_as_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join(FRESH).join("archive/1")).unwrap();
        fs::write(out.join(FRESH).join("archive/1/atom.xml"), "half").unwrap();
        fs::write(out.join("atom.xml"), "moved in").unwrap();
        let lock = prepare(&out).unwrap();
        assert_eq!(lock.place().fresh, None);
        assert_eq!(
            tree(&out),
            BTreeMap::from([("atom.xml".to_owned(), "moved in".to_owned())])
        );
    }
}
