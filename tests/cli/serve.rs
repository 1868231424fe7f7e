//! `oyez serve` (issue 24): the real binary serving a catalogue on
//! 127.0.0.1, pages requested over TCP, entries edited on disk, and the
//! catalogue folder left exactly as it was.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

use crate::case::{BIN, Case};

/// A build on a busy machine can take a while; no test waits this long
/// unless something is wrong.
const PATIENCE: Duration = Duration::from_secs(90);

/// `oyez serve --port 0` running in a case folder; killed when dropped.
struct Served {
    child: Child,
    address: String,
    stdout: Receiver<String>,
}

impl Served {
    fn start(case: &Case) -> Self {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0"])
            .current_dir(case.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start oyez serve");
        let (sender, stdout) = channel();
        let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut served = Self {
            child,
            address: String::new(),
            stdout,
        };
        let first = served.next_line();
        let start = first.find("http://").expect("an address");
        let address = first[start..].split(' ').next().unwrap_or_default();
        served.address = address.to_owned();
        served
    }

    fn next_line(&self) -> String {
        self.stdout
            .recv_timeout(PATIENCE)
            .expect("oyez serve printed nothing more")
    }

    /// Reads stdout up to the line that reports build `number`.
    fn build(&self, number: u64) -> String {
        let prefix = format!("build {number}: ");
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let line = self.next_line();
            if line.starts_with(&prefix) {
                return line;
            }
        }
        panic!("no build {number} within {PATIENCE:?}");
    }

    /// `GET path`: the status and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let host = self
            .address
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let mut stream = TcpStream::connect(host).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let (head, body) = response.split_once("\r\n\r\n").expect("a head and a body");
        let status = head.split(' ').nth(1).and_then(|code| code.parse().ok());
        (status.expect("a status"), body.to_owned())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_shows_local_urls_an_edit_and_errors_and_writes_nothing() {
    let case = Case::example();
    let before = case.tree("");
    let served = Served::start(&case);
    // 29 files: feeds.opml, feed.css, a JSON Feed for the updates, each
    // category and the archive page (issue 23) joined the 16 before, then
    // a feed in each of the entries' two languages (English, Spanish).
    assert_eq!(served.build(1), "build 1: published 32 entries, 29 files");
    let (status, page) = served.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("Product for Internal Platforms"), "{page}");
    assert!(
        page.contains("var build = \"1\""),
        "no reload script: {page}"
    );

    let (status, atom) = served.get("/atom.xml");
    assert_eq!(status, 200);
    let feed = feed_rs::parser::parse(atom.as_bytes()).expect("an Atom feed");
    assert_eq!(feed.id, format!("{}atom.xml", served.address));
    let entry_link = &feed.entries[0].id;
    assert!(entry_link.starts_with(&served.address), "{entry_link}");

    let path = case.path().join("entries/articles.toml");
    let original = fs::read_to_string(&path).unwrap();
    let edited = original.replace("Product for Internal Platforms", "Edited while served");
    fs::write(&path, &edited).unwrap();
    assert_eq!(served.build(2), "build 2: published 32 entries, 29 files");
    // What the open page's script polls: a number it was not served with.
    assert_eq!(served.get("/__oyez/build"), (200, "2".to_owned()));
    let (_, page) = served.get("/");
    assert!(page.contains("Edited while served"), "{page}");
    assert!(page.contains("var build = \"2\""), "{page}");
    assert!(!page.contains("Product for Internal Platforms"), "{page}");

    fs::write(&path, format!("{edited}\nbogus = \n")).unwrap();
    let failed = served.build(3);
    assert_eq!(
        failed,
        "build 3: failed; the page shows the errors until they are fixed"
    );
    let (status, page) = served.get("/");
    assert_eq!(status, 500);
    let check = case.run(&["check"]);
    let first = check.stderr.lines().next().unwrap();
    assert!(
        first.starts_with("error: entries/articles.toml:"),
        "{first}"
    );
    assert!(page.contains(first), "the page lacks `{first}`: {page}");

    fs::write(&path, &original).unwrap();
    assert_eq!(served.build(4), "build 4: published 32 entries, 29 files");
    assert_eq!(served.get("/").0, 200);
    drop(served);
    assert_eq!(case.tree(""), before, "serve changed the catalogue folder");
}

#[test]
fn serve_on_a_port_in_use_says_to_choose_another() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = Case::example().run(&["serve", "--port", &port]);
    assert_eq!(run.code, 1, "{run:?}");
    let prefix = format!("error: cannot listen on 127.0.0.1:{port}: ");
    assert!(run.stderr.starts_with(&prefix), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("; choose another port with --port\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_answers_a_missing_path_with_404() {
    let case = Case::example();
    let served = Served::start(&case);
    served.build(1);
    let (status, page) = served.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(page.contains("<code>/no/such/page.html</code>"), "{page}");
}
