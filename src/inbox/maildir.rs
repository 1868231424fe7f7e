//! A Maildir (`maildir:PATH`): the files of `new/` and `cur/`, in name
//! order; a message applied is deleted, any other stays.

use std::fs;
use std::path::PathBuf;

use super::{InboxError, Mailbox};
use crate::input::{self, Kind};

/// The Maildir at a path.
pub struct Maildir {
    path: PathBuf,
}

impl Maildir {
    /// The Maildir at `path`, which must hold `new/` or `cur/`.
    pub fn open(path: PathBuf) -> Result<Self, InboxError> {
        if !path.join("new").is_dir() && !path.join("cur").is_dir() {
            return Err(InboxError::Mailbox {
                mailbox: format!("maildir:{}", path.display()),
                reason: "is not a Maildir (no new/ or cur/ folder); check OYEZ_INBOX_URL".into(),
            });
        }
        Ok(Self { path })
    }

    fn error(&self, reason: String) -> InboxError {
        InboxError::Mailbox {
            mailbox: self.shown(),
            reason,
        }
    }
}

impl Mailbox for Maildir {
    fn shown(&self) -> String {
        format!("maildir:{}", self.path.display())
    }

    fn list(&mut self) -> Result<Vec<String>, InboxError> {
        let mut ids = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = fs::read_dir(self.path.join(folder)) else {
                continue;
            };
            for entry in entries {
                let entry =
                    entry.map_err(|err| self.error(format!("cannot list {folder}/: {err}")))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') && entry.file_type().is_ok_and(|t| t.is_file()) {
                    ids.push(format!("{folder}/{name}"));
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    fn fetch(&mut self, id: &str) -> Result<Vec<u8>, String> {
        let path = self.path.join(id);
        let mut file = fs::File::open(&path).map_err(|err| err.to_string())?;
        input::read_all(&mut file, &path, Kind::Mail).map_err(|err| err.problem.to_string())
    }

    fn delete(&mut self, id: &str) -> Result<(), InboxError> {
        match fs::remove_file(self.path.join(id)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(self.error(format!("cannot delete {id}: {err}")))
            }
            _ => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<(), InboxError> {
        Ok(())
    }
}
