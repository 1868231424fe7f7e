//! Integration tests: the real `oyez` binary on catalogues in temporary
//! folders. See `tests/README.md` for how to add a case.

mod case;
mod smoke;
mod corpus;
mod support;
mod feeds;
mod jsonfeed;
mod publish;
mod errors;
mod crash;
