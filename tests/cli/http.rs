//! A real HTTP server on 127.0.0.1 (tiny_http) for the link check and
//! WebSub tests: every request is recorded, and a handler chooses each
//! answer from the request and how often its path was asked before.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    pub body: String,
}

/// What to answer: status, headers, and how long to wait first.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

pub struct Server {
    /// `http://127.0.0.1:PORT`, without a final `/`.
    pub base: String,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves on a free port, one thread per request, until the tests end.
    pub fn start(handler: fn(&Seen, usize) -> Reply) -> Self {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let log = Arc::clone(&shared);
                std::thread::spawn(move || answer(request, &log, handler));
            }
        });
        Self {
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// Every request so far, in the order they came.
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    /// How many requests asked for `path`.
    pub fn count(&self, path: &str) -> usize {
        self.seen().iter().filter(|seen| seen.path == path).count()
    }
}

fn answer(
    mut request: tiny_http::Request,
    log: &Mutex<Vec<Seen>>,
    handler: fn(&Seen, usize) -> Reply,
) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let content_type = request
        .headers()
        .iter()
        .find(|header| header.field.equiv("Content-Type"))
        .map(|header| header.value.to_string());
    let seen = Seen {
        method: request.method().to_string(),
        path: request.url().to_owned(),
        content_type,
        body,
    };
    let before = {
        let mut log = log.lock().unwrap();
        let before = log
            .iter()
            .filter(|earlier| earlier.path == seen.path)
            .count();
        log.push(seen.clone());
        before
    };
    let reply = handler(&seen, before);
    std::thread::sleep(reply.delay);
    let mut response = tiny_http::Response::empty(reply.status);
    for (name, value) in reply.headers {
        let header = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap();
        response = response.with_header(header);
    }
    let _ = request.respond(response);
}
