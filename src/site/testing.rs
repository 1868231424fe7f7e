//! Catalogues and checks the site's tests share (compiled for tests only):
//! every test catalogue that loads, two generated ones with what the
//! others lack, and the byte-for-byte comparison of a native writer with
//! its template twin.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalogue::{self, Catalogue};

pub(crate) fn load(root: &Path) -> Option<Arc<Catalogue>> {
    catalogue::load(root)
        .ok()
        .map(|loaded| Arc::new(loaded.catalogue))
}

/// A catalogue with what the example lacks: entries in another
/// language, without a URL or credits, crediting unknown handles, an
/// empty category, a site without description, and a page longer than
/// a streaming chunk.
pub(crate) fn varied(dir: &Path) {
    let config = "[site]\ntitle = \"Varied & 'quoted'\"\nbase_url = \"https://example.org/v&w/\"\n\
        language = \"de\"\nicon = \"img/icon.png?a=1&b=2\"\n\n[[category]]\nslug = \"a\"\ntitle = \"A <1>\"\n\n\
        [[category]]\nslug = \"empty\"\ntitle = \"Empty\"\nparent = \"a\"\n\n\
        [[category]]\nslug = \"b\"\ntitle = \"B\"\ndescription = \"Bees & <wasps>\"\n\n\
        [[category]]\nslug = \"c\"\ntitle = \"C under empty\"\nparent = \"empty\"\n\n\
        [[category]]\nslug = \"d\"\ntitle = \"D under c\"\nparent = \"c\"\n\n\
        [contributors.alice]\nname = \"Alice O'Neil\"\nuri = \"https://example.org/a?x=1&y=2\"\n\n\
        [contributors.bob]\nname = \"Bob\"\n\n[feeds]\ntags = true\n\n\
        [digest]\nfrom = \"\\\"Varied & Co\\\" <v+d&x@example.org>\"\nto = \"list@example.org\"\nsubscribers = \"subscribers.txt\"\n";
    let mut entries = String::new();
    for n in 0..300 {
        let category = ["b", "a", "a", "b", "c", "d"][n % 6];
        let _ = writeln!(
            entries,
            "[[entry]]\ncategory = \"{category}\"\ntitle = \"Entry {n} <i>&</i> \\\"q\\\"\"\nadded = 2020-0{}-1{}",
            1 + n % 9,
            n % 10
        );
        if n % 4 != 0 {
            let _ = writeln!(entries, "url = \"https://example.org/{n}?x='1'&y=2\"");
        }
        if n % 10 == 3 {
            let _ = writeln!(entries, "feed = \"https://example.org/{n}/feed?x=1&y=2\"");
        }
        let language = ["de", "fr", "en"][n % 3];
        if n % 5 != 0 {
            let _ = writeln!(entries, "language = \"{language}\"");
        }
        let by = ["[]", "[\"@alice\"]", "[\"@bob\", \"@carol\", \"@alice\"]"][n % 3];
        let _ = writeln!(entries, "by = {by}");
        if n % 2 == 0 {
            entries.push_str("authors = [\"Ann & Co\", \"<Bert>\"]\ntags = [\"x\", \"y'z\"]\n");
        }
        if n % 7 != 0 {
            let _ = writeln!(
                entries,
                "summary = \"\"\"A *summary* with [a link](https://example.org/{n}) & more, \
                 long enough that three hundred of them fill more than a chunk: \
                 {}\"\"\"",
                "padding ".repeat(40)
            );
        }
        entries.push('\n');
    }
    entries.push_str(
        "[[update]]\ndate = 2020-01-10\nnote = \"First <b>batch</b> & co\"\nby = [\"@carol\"]\n",
    );
    fs::create_dir_all(dir.join("entries")).unwrap();
    fs::write(dir.join("oyez.toml"), config).unwrap();
    fs::write(dir.join("entries/all.toml"), entries).unwrap();
}

/// Every catalogue the tests have that loads: the example, the
/// fixtures, the bad-input corpus and the varied one above.
pub(crate) fn catalogues(scratch: &Path) -> Vec<(PathBuf, Arc<Catalogue>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![
        root.to_path_buf(),
        root.join("tests/fixtures/feeds"),
        root.join("tests/fixtures/hostile"),
    ];
    let mut corpus: Vec<PathBuf> = fs::read_dir(root.join("tests/corpus"))
        .unwrap()
        .map(|item| item.unwrap().path())
        .collect();
    corpus.sort();
    dirs.extend(corpus);
    varied(scratch);
    dirs.push(scratch.to_path_buf());
    dirs.into_iter()
        .filter_map(|dir| load(&dir).map(|catalogue| (dir, catalogue)))
        .collect()
}

/// Fails, showing where they part, unless the document written
/// natively is the template's byte for byte.
pub(crate) fn assert_same(dir: &Path, native: &str, template: &str) {
    if let Some(at) = native
        .bytes()
        .zip(template.bytes())
        .position(|(n, t)| n != t)
    {
        let from = |page: &str| -> String {
            String::from_utf8_lossy(&page.as_bytes()[at..])
                .chars()
                .take(200)
                .collect()
        };
        let (n, t) = (from(native), from(template));
        panic!(
            "{}: byte {at}, native:\n{n}\n\ntemplate:\n{t}",
            dir.display()
        );
    }
    assert_eq!(native.len(), template.len(), "{}", dir.display());
}

/// A catalogue with what the list treats specially: titles and URLs to
/// escape, summaries that thank, that vanish or that need the parser,
/// entries without URL, notes that link their entries, contributors
/// named as their handle or with punctuation that does not close (issue
/// 22), a section longer than a batch of tasks.
pub(crate) fn list_varied(dir: &Path) {
    let config = "[site]\ntitle = \"# Varied [list] #\"\nbase_url = \"https://example.org/l/\"\n\
        description = \"- *not* a list &amp; more\"\n\n\
        [[category]]\nslug = \"a\"\ntitle = \"A & b: c!\"\ndescription = \"> quoted\"\n\n\
        [[category]]\nslug = \"empty\"\ntitle = \"Empty\"\n\n\
        [[category]]\nslug = \"b\"\ntitle = \"B_b\"\n\n\
        [contributors.alice]\nname = \"Alice [A]\"\nuri = \"https://example.org/a_(b)\"\n\n\
        [contributors.bob]\nname = \"Herbert \\\"TheBracket [x] (y *z_ `w` \u{201C}q\"\n\n\
        [contributors.dave]\nname = \"@dave\"\n";
    let mut entries = String::new();
    for n in 0..9000 {
        let category = if n % 5 == 0 { "b" } else { "a" };
        let title = ["- dash", "C#", "a_b *c* [d]", "`x` <y> &amp;", "plain"][n % 5];
        let _ = writeln!(
            entries,
            "[[entry]]\ncategory = \"{category}\"\ntitle = \"{title} {n}\"\nadded = 2021-0{}-1{}",
            1 + n % 9,
            n % 10
        );
        if n % 4 != 0 {
            let url = [
                "https://example.org/{n}",
                "https://example.org/x)y/{n}",
                "https://example.org/(a)/{n}",
            ][n % 3];
            let _ = writeln!(entries, "url = \"{}\"", url.replace("{n}", &n.to_string()));
        }
        let by = ["[]", "[\"@alice\"]", "[\"@bob\", \"@dave\", \"@alice\"]"][n % 3];
        let _ = writeln!(entries, "by = {by}");
        let summary = [
            "Thanks @alice for *this* [link](more.html).",
            "<b></b>",
            "# Heading\n\n- item <i>x</i> ![i](a.png) [js](javascript:x)",
            "by @bob and @dave, see <https://example.net/>",
            "",
            "no summary",
        ][n % 6];
        if summary != "no summary" {
            let _ = writeln!(entries, "summary = \"\"\"{summary}\"\"\"");
        }
        entries.push('\n');
    }
    for month in 1..=9 {
        // The note links to an entry it announces (entry 3, in April).
        let _ = writeln!(
            entries,
            "[[update]]\ndate = 2021-0{month}-15\nnote = \"Month {month}: see \
             [one](https://example.org/{}) thanks to @alice\"\nby = [\"@alice\", \"@bob\"]\n",
            month - 1
        );
    }
    fs::create_dir_all(dir.join("entries")).unwrap();
    fs::write(dir.join("oyez.toml"), config).unwrap();
    fs::write(dir.join("entries/all.toml"), entries).unwrap();
}

/// A writer that accepts `room` bytes, then fails.
pub(crate) struct Full {
    pub(crate) room: usize,
}

impl io::Write for Full {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if bytes.len() > self.room {
            return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
        }
        self.room -= bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
