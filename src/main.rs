use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match oyez::cli::run(oyez::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => oyez::error::report(&err),
    }
}
