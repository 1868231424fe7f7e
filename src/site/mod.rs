//! The catalogue page and other human-facing renderings. [`view`] turns the
//! catalogue into plain serialisable data that templates (pages, the
//! Markdown list, mails) share.

mod borrowed;
mod fast_line;
pub mod html;
mod index_builtin;
mod index_sections;
pub mod inline;
pub mod list;
mod list_builtin;
mod list_items;
mod subscribe;
mod tree;
pub mod view;
