//! Authoring a catalogue: `oyez init` (a commented starting point),
//! `oyez add` (one entry or update appended to the right file, every other
//! byte kept) and `oyez import markdown` (an existing Markdown list turned
//! into catalogue files). Edits are staged in a [`workspace::Workspace`],
//! validated as a whole catalogue, then written atomically.

pub mod add;
pub mod git;
pub mod import;
pub mod init;
pub mod records;
pub mod remove;
pub mod schema;
pub mod standing;
pub mod workspace;
