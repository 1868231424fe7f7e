//! The catalogue page and other human-facing renderings. [`view`] turns the
//! catalogue into plain serialisable data that templates (pages, the
//! Markdown list, mails) share.

mod borrowed;
pub mod html;
pub mod inline;
pub mod list;
pub mod view;
