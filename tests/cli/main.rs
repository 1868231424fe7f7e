//! Integration tests: the real `oyez` binary on catalogues in temporary
//! folders. See `tests/README.md` for how to add a case.

// Test code panics on purpose when something is off, and its helpers are
// `pub` so every module can share them.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod archive;
mod authoring;
mod case;
mod corpus;
mod crash;
mod digest;
mod digest_faults;
mod digest_kill;
mod digest_security;
mod errors;
mod feeds;
mod http;
mod id_guard;
mod jsonfeed;
mod links;
mod publish;
mod security;
mod smoke;
mod smtp;
mod stylesheet;
mod support;
mod websub;
