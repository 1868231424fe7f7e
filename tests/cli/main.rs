//! Integration tests: the real `oyez` binary on catalogues in temporary
//! folders. See `tests/README.md` for how to add a case.

mod archive;
mod case;
mod smoke;
