//! `oyez serve [DIR] [--port PORT]`: the preview server of [`crate::serve`],
//! each build's outcome printed as `publish` and `check` print theirs.

use super::CatalogueDir;
use crate::error::{CommandError, Error};
use crate::serve::{Outcome, Preview};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    catalogue: CatalogueDir,
    /// Port on 127.0.0.1 to serve on (0: any free port)
    #[arg(long, default_value_t = 1111)]
    port: u16,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let dir = args.catalogue.path();
    let failed = |err: crate::serve::ServeError| CommandError::Serve(super::describe(&err));
    let preview = Preview::bind(&dir, args.port).map_err(failed)?;
    say!(
        "serving {} at {} (not written anywhere; Ctrl-C stops)",
        dir.display(),
        preview.address()
    );
    preview.run(print).map_err(failed)?;
    Ok(())
}

fn print(outcome: &Outcome) {
    match outcome {
        Outcome::Published {
            build,
            entries,
            files,
            warnings,
        } => {
            super::print_warnings(warnings);
            say!("build {build}: published {entries} entries, {files} files");
        }
        Outcome::Failed { build, lines } => {
            for line in lines {
                tell!("{line}");
            }
            say!("build {build}: failed; the page shows the errors until they are fixed");
        }
    }
}
