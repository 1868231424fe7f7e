//! From `raw` to `model`: every check of FORMAT.md that the TOML parser
//! cannot make. Errors and warnings are collected, never thrown, so one run
//! reports every problem in the catalogue.

mod awesome;
mod awesome_links;
mod categories;
mod checker;
mod config;
mod digest;
mod entries;
mod extras;
mod list_text;
mod placeholders;
mod polling;
mod strings;
mod unique;
mod updates;

pub(crate) use awesome_links::repeated_links;
pub use checker::is_handle;
pub(crate) use config::{config, stand_in};
pub(crate) use entries::{AllEntries, CheckedEntries, Origin, entries_file};
pub(crate) use unique::unique_entries;
pub(crate) use updates::order_updates;
