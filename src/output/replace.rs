//! Atomic replace: staged files renamed into place batch by batch, every
//! target checked before the first rename (files staged in a fresh folder
//! moved in with their top folder); and a single file replaced durably on
//! its own ([`replace`]).

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::stage::{Fresh, Stage};
use super::sync::{sync_dir, sync_files, sync_folders};
use super::temp::{Spot, Staged, Temp};
use super::{OutputError, Written, folder};

impl Stage {
    /// Makes the staged files durable, renames them into place batch by
    /// batch, then makes the renames durable (see `sync.rs`).
    pub fn commit(self) -> Result<Written, OutputError> {
        let written = Written {
            written: self.staged.len(),
            unchanged: self.unchanged,
        };
        if self.staged.is_empty() {
            return Ok(written);
        }
        // Every target is checked before the first rename, so a folder in
        // the way of a file fails the publish with nothing replaced (issue
        // 15: it used to fail after 401 of 410 renames).
        // (Nothing is in the way of a fresh folder's files: the output
        // folder was made empty.)
        if let Some(blocked) = self
            .staged
            .par_iter()
            .filter(|one| matches!(one.spot, Spot::Beside(_)))
            .find_first(|one| is_folder(&one.path))
        {
            return Err(OutputError::Occupied {
                path: blocked.path.clone(),
            });
        }
        sync_files(&self.staged)?;
        let mut folders: Vec<(u64, PathBuf)> = Vec::new();
        let mut moved = BTreeSet::new();
        let mut staged = self.staged.into_iter();
        let mut start = 0;
        for end in self.batches.into_iter().chain([written.written]) {
            let batch: Vec<Staged> = staged.by_ref().take(end.saturating_sub(start)).collect();
            start = end;
            if let Some(fresh) = &self.fresh {
                folders.extend(fresh.move_in(&batch, &mut moved)?);
            }
            let renamed: Vec<_> = batch.into_par_iter().map(rename).collect();
            for one in renamed {
                folders.push(one?);
            }
        }
        folders.sort();
        folders.dedup();
        sync_folders(&folders)?;
        Ok(written)
    }
}

/// Whether a folder (not a link to one) stands at `path`.
fn is_folder(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
}

/// Renames a staged file into place (one of a fresh folder is in place
/// already, moved in with its top folder); returns its device and folder.
fn rename(staged: Staged) -> Result<(u64, PathBuf), OutputError> {
    let Staged { spot, path, device } = staged;
    let renamed = match spot {
        Spot::Beside(temp) => temp.persist(&path).map_err(|err| err.error),
        Spot::Fresh(_) => Ok(()),
    };
    match renamed {
        Ok(()) => Ok((device, folder(&path).to_path_buf())),
        Err(source) => Err(OutputError::Write { path, source }),
    }
}

impl Fresh {
    /// Moves the top files and folders of the output holding `batch`'s
    /// files staged in the fresh folder into the output folder, each once
    /// (`moved`): a folder with files of a later batch comes in with them,
    /// never before the earlier batch. Returns the output folder's device
    /// and the folder, to make the moves durable.
    fn move_in(
        &self,
        batch: &[Staged],
        moved: &mut BTreeSet<OsString>,
    ) -> Result<Option<(u64, PathBuf)>, OutputError> {
        let mut device = None;
        for one in batch {
            if !matches!(one.spot, Spot::Fresh(_)) {
                continue;
            }
            let Some(top) = top_name(&self.out, &one.path) else {
                continue;
            };
            if moved.insert(top.to_os_string()) {
                let path = self.out.join(top);
                fs::rename(self.folder.join(top), &path)
                    .map_err(|source| OutputError::Write { path, source })?;
                device = Some(one.device);
            }
        }
        Ok(device.map(|device| (device, self.out.clone())))
    }
}

/// The name under `out` of the top file or folder holding `path`.
fn top_name<'p>(out: &Path, path: &'p Path) -> Option<&'p std::ffi::OsStr> {
    match path.strip_prefix(out).ok()?.components().next()? {
        Component::Normal(name) => Some(name),
        _ => None,
    }
}

/// Replaces `path` with `bytes` durably: temp file, fsync, rename, fsync
/// the folder. For state such as a ledger, where losing a write matters.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut temp = Temp::create(path)?;
    temp.file.write_all(bytes)?;
    temp.file.sync_all()?;
    temp.spot.persist(path)?;
    sync_dir(folder(path))
}

#[cfg(test)]
mod tests {
    use super::super::{Rendered, stage, write_all};
    use super::*;

    #[test]
    fn a_later_batch_is_renamed_only_after_the_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &[Rendered::new("feed.xml", "old")]).unwrap();
        // A folder that is not empty cannot be replaced by a file.
        fs::create_dir_all(dir.path().join("page.xml/inside")).unwrap();
        let first = stage(dir.path(), &[Rendered::new("page.xml", "new")]).unwrap();
        let later = stage(dir.path(), &[Rendered::new("feed.xml", "new")]).unwrap();
        let result = first.then(later).commit();
        // Found before the first rename (issue 15), so nothing is replaced.
        assert!(
            matches!(result, Err(OutputError::Occupied { path }) if path.ends_with("page.xml"))
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("feed.xml")).unwrap(),
            "old"
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|item| item.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[test]
    #[cfg(unix)]
    fn merged_and_chained_stages_all_land_readable_by_all() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = stage(dir.path(), &[Rendered::new("archive/1/a.xml", "a")]).unwrap();
        let b = stage(dir.path(), &[Rendered::new("archive/2/b.xml", "b")]).unwrap();
        let c = stage(dir.path(), &[Rendered::new("c.xml", "c")]).unwrap();
        let d = stage(dir.path(), &[Rendered::new("d.xml", "d")]).unwrap();
        let written = a.merge(b).then(c.merge(d)).commit().unwrap();
        assert_eq!(written.written, 4);
        for (path, text) in [
            ("archive/1/a.xml", "a"),
            ("archive/2/b.xml", "b"),
            ("c.xml", "c"),
            ("d.xml", "d"),
        ] {
            let path = dir.path().join(path);
            assert_eq!(fs::read_to_string(&path).unwrap(), text);
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }
}
