//! The human-facing documents, one wing each: the catalogue page
//! ([`page`]) and the Markdown list ([`list`]). [`view`] holds the
//! borrowing template views they and the digest share; `tree` and
//! `subscribe` what the page shows of categories and digests.

pub mod list;
pub mod page;
mod subscribe;
#[cfg(test)]
mod testing;
mod tree;
pub mod view;
