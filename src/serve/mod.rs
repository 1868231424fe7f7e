//! `oyez serve`: a local preview of the published catalogue. It publishes
//! in memory (never into the catalogue: no `public/`, nothing in `.oyez/`, no
//! state), with every URL under `http://127.0.0.1:PORT/`, serves that on
//! 127.0.0.1, watches the catalogue's files, republishes on each edit and
//! makes the open page reload. A catalogue with errors is reported, in
//! the terminal and on the page, and the server goes on.

mod build;
mod http;
mod page;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use url::Url;

use self::build::Files;
use crate::catalogue::Diagnostic;

/// Threads answering requests: a browser opens a few connections at once.
const WORKERS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on 127.0.0.1:{port}: {reason}; choose another port with --port")]
    Listen { port: u16, reason: String },
    #[error("cannot read the catalogue folder {}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot watch {} for changes", path.display())]
    Watch {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
}

/// What one build came to, for the terminal.
#[derive(Debug)]
pub enum Outcome {
    Published {
        build: u64,
        entries: usize,
        files: usize,
        warnings: Vec<Diagnostic>,
    },
    /// The lines `oyez publish` would print for the error (paths as in
    /// the catalogue folder).
    Failed { build: u64, lines: Vec<String> },
}

/// The build the server answers from.
pub(crate) struct Current {
    pub(crate) build: u64,
    pub(crate) site: Result<Arc<Files>, Arc<Vec<String>>>,
}

#[derive(Default)]
pub(crate) struct State(Mutex<Option<Current>>);

impl State {
    /// The current build (no file yet before the first one).
    pub(crate) fn current(&self) -> Current {
        let guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &*guard {
            Some(current) => Current {
                build: current.build,
                site: current.site.clone(),
            },
            None => Current {
                build: 0,
                site: Ok(Arc::default()),
            },
        }
    }

    fn replace(&self, current: Current) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(current);
    }
}

/// A preview server bound to its port, not yet serving.
pub struct Preview {
    dir: PathBuf,
    server: Arc<tiny_http::Server>,
    base: Url,
}

impl Preview {
    /// Listens on `127.0.0.1:port` (`0`: a free port the system picks).
    pub fn bind(dir: &Path, port: u16) -> Result<Self, ServeError> {
        let dir = dir.canonicalize().map_err(|source| ServeError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let listen = |reason: String| ServeError::Listen { port, reason };
        let server =
            tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| listen(e.to_string()))?;
        let bound = server
            .server_addr()
            .to_ip()
            .map_or(port, |address| address.port());
        let base =
            Url::parse(&format!("http://127.0.0.1:{bound}/")).map_err(|e| listen(e.to_string()))?;
        Ok(Self {
            dir,
            server: Arc::new(server),
            base,
        })
    }

    /// The address the preview is served at, `http://127.0.0.1:PORT/`.
    pub fn address(&self) -> &Url {
        &self.base
    }

    /// Publishes, serves, and republishes on every edit, calling `report`
    /// after each build; returns only if the watcher stops.
    pub fn run(self, mut report: impl FnMut(&Outcome)) -> Result<(), ServeError> {
        let watch_error = |source| ServeError::Watch {
            path: self.dir.clone(),
            source,
        };
        let mut watch = watch::Watch::start(&self.dir).map_err(watch_error)?;
        let state = Arc::new(State::default());
        for _ in 0..WORKERS {
            let (server, state) = (Arc::clone(&self.server), Arc::clone(&state));
            thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    http::respond(&state, request);
                }
            });
        }
        for build in 1.. {
            report(&self.publish(build, &state));
            match watch.changed() {
                None => break,
                Some(result) => result.map_err(watch_error)?,
            }
        }
        Ok(())
    }

    /// Build number `build`, made current whether it worked or not.
    fn publish(&self, build: u64, state: &State) -> Outcome {
        match build::build(&self.dir, &self.base) {
            Ok(built) => {
                let files = built.files.len();
                state.replace(Current {
                    build,
                    site: Ok(Arc::new(built.files)),
                });
                Outcome::Published {
                    build,
                    entries: built.entries,
                    files,
                    warnings: built.warnings,
                }
            }
            Err(err) => {
                let lines = crate::error::lines(&err);
                state.replace(Current {
                    build,
                    site: Err(Arc::new(lines.clone())),
                });
                Outcome::Failed { build, lines }
            }
        }
    }
}
