//! oyez turns a curated catalogue (TOML files in git) into news people can
//! follow: Atom, RSS and JSON feeds, a catalogue page, a Markdown list and
//! email digests that announce additions and thank contributors.
//!
//! The modules follow the data: [`catalogue`] loads and validates the
//! folder; [`feed`] and [`site`] render what [`publish`] gathers and
//! [`output`] puts on disk atomically; [`digest`] plans, renders and sends
//! the email digest with its ledger; [`authoring`] writes catalogues
//! (`init`, `add`, `import`); [`state`] keeps what was announced and sent,
//! committed with the catalogue; [`template`] holds the overridable templates;
//! [`serve`] previews the published catalogue on 127.0.0.1 as it is edited;
//! [`cli`] glues the commands together and [`error`] reports failures.

pub mod authoring;
mod byte_set;
pub mod catalogue;
pub mod cli;
pub mod digest;
pub mod error;
mod escape;
pub mod feed;
pub mod inbox;
pub mod input;
pub mod links;
mod memory;
pub mod output;
pub mod publish;
pub mod serve;
pub mod site;
pub mod state;
pub mod strings;
pub mod subscribers;
pub mod template;
pub mod websub;
