//! One message of a run, and what applying it came to.

use chrono::NaiveDate;
use mailparse::ParsedMail;

use super::{InboxError, Setup};
use crate::subscribers::file::Book;

/// One message and the run it is part of.
pub(super) struct Step<'a> {
    pub(super) setup: &'a Setup<'a>,
    pub(super) mail: &'a ParsedMail<'a>,
    pub(super) hash: &'a str,
}

/// What applying a request did.
pub(super) enum Outcome {
    /// Applied (what): record it and delete the message.
    Done(String),
    /// Not now (why): leave the message for a later run.
    Wait(String),
}

impl Step<'_> {
    pub(super) fn today(&self) -> NaiveDate {
        let zone = self.setup.catalogue.site.timezone;
        self.setup.now.with_timezone(&zone).date_naive()
    }

    /// The subscribers file's name and the category slugs.
    pub(super) fn subscribers_file(&self) -> Result<(String, Vec<String>), InboxError> {
        Ok(crate::subscribers::file_of(self.setup.catalogue)?)
    }

    pub(super) fn book(&self) -> Result<Book, InboxError> {
        let (name, _) = self.subscribers_file()?;
        Ok(Book::open(self.setup.root, &name)?)
    }
}
