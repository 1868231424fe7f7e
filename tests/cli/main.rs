//! Integration tests: the real `oyez` binary on catalogues in temporary
//! folders. See `tests/README.md` for how to add a case.

// Test code panics on purpose when something is off, and its helpers are
// `pub` so every module can share them.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod archive;
mod authoring;
mod authoring_lists;
mod awesome;
mod cadence;
mod case;
mod corpus;
mod crash;
mod digest;
mod digest_connections;
mod digest_faults;
mod digest_kill;
mod digest_ledger;
mod digest_mail;
mod digest_security;
mod dkim;
mod errors;
mod feed_twins;
mod feeds;
mod hardening;
mod hardening3;
mod hardening_runs;
mod http;
mod id_guard;
mod inbox;
mod inbox_mail;
mod json;
mod jsonfeed;
mod languages;
mod links;
mod opml;
mod page_reading;
mod podcast;
mod publish;
mod recipe;
mod schema;
mod security;
mod serve;
mod shell;
mod smoke;
mod smtp;
mod smtp_hostile;
mod state;
mod stylesheet;
mod subscribers;
mod subscriptions;
mod subscriptions_kill;
mod support;
mod tags;
mod unsubscribe_token;
mod validator_rules;
mod websub;
