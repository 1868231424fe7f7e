//! Watching the catalogue for edits: `oyez.toml`, `entries/` and
//! `templates/` (notify; inotify on Linux). Only the catalogue folder
//! itself is watched, not what else it holds (`public/`, `target/`);
//! `entries/` or `templates/` made later are watched from then on.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::catalogue::{CONFIG_FILE, ENTRIES_DIR};
use crate::template::TEMPLATES_DIR;

/// Edits closer together than this make one rebuild (an editor's save is
/// often a write, a rename and a metadata change).
const SETTLE: Duration = Duration::from_millis(150);

pub(crate) struct Watch {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    dir: PathBuf,
    covered: Vec<PathBuf>,
}

impl Watch {
    /// Starts watching `dir`, an absolute path.
    pub(crate) fn start(dir: &Path) -> notify::Result<Self> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(sender)?;
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
        let mut watch = Self {
            watcher,
            events,
            dir: dir.to_path_buf(),
            covered: Vec::new(),
        };
        watch.cover()?;
        Ok(watch)
    }

    /// Blocks until the catalogue has changed and the edits have settled;
    /// `None` when the watcher has stopped.
    pub(crate) fn changed(&mut self) -> Option<notify::Result<()>> {
        loop {
            let event = self.events.recv().ok()?;
            if event.as_ref().is_ok_and(|event| concerns(&self.dir, event)) {
                break;
            }
        }
        loop {
            match self.events.recv_timeout(SETTLE) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => return Some(self.cover()),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Watches `entries/` and `templates/`, whole, if they exist and are
    /// not watched yet.
    fn cover(&mut self) -> notify::Result<()> {
        for name in [ENTRIES_DIR, TEMPLATES_DIR] {
            let path = self.dir.join(name);
            if path.is_dir() && !self.covered.contains(&path) {
                self.watcher.watch(&path, RecursiveMode::Recursive)?;
                self.covered.push(path);
            }
        }
        Ok(())
    }
}

/// Whether `event` is a change (not a read, such as the build's own) to a
/// file the catalogue in `dir` is made of.
fn concerns(dir: &Path, event: &Event) -> bool {
    let change = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Any | EventKind::Other => true,
    };
    let inside = |path: &PathBuf| {
        let relative = path.strip_prefix(dir).unwrap_or(path);
        relative == Path::new(CONFIG_FILE)
            || relative.starts_with(ENTRIES_DIR)
            || relative.starts_with(TEMPLATES_DIR)
    };
    change && event.paths.iter().any(inside)
}

#[cfg(test)]
mod tests {
    use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, ModifyKind};

    use super::*;

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(Path::new("/c").join(path))
    }

    #[test]
    fn edits_of_catalogue_files_count_and_reads_and_other_files_do_not() {
        let dir = Path::new("/c");
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let opened = EventKind::Access(AccessKind::Open(AccessMode::Read));
        let created = EventKind::Create(CreateKind::File);
        let seen: Vec<bool> = [
            event(write, "oyez.toml"),
            event(closed, "templates/index.html"),
            event(created, "entries/new/talks.toml"),
            event(opened, "entries/talks.toml"),
            event(write, "public/index.html"),
            event(write, "oyez.lock"),
        ]
        .iter()
        .map(|event| concerns(dir, event))
        .collect();
        assert_eq!(seen, [true, true, true, false, false, false]);
    }
}
