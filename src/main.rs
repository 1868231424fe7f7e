use std::process::ExitCode;

use clap::Parser;

// Publishing a large catalogue allocates millions of small strings on two
// threads; mimalloc does that in about half the time of the system
// allocator (issue 5, bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match oyez::cli::run(oyez::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => oyez::error::report(&err),
    }
}
