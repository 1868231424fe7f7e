//! `Case`: a catalogue in a temporary folder and the real `oyez` binary run on it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_oyez");

/// The folder of the repository (holds the example catalogue).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A minimal valid `oyez.toml` with two categories and one contributor.
pub const CONFIG: &str = r#"[site]
title = "Test list"
base_url = "https://example.org/list/"
description = "A list for tests"

[[category]]
slug = "talks"
title = "Talks"

[[category]]
slug = "books"
title = "Books"

[contributors.alice]
name = "Alice Example"
uri = "https://example.org/alice"
"#;

pub struct Case {
    dir: TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Case {
    /// An empty folder.
    pub fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A catalogue with `CONFIG` as its `oyez.toml`.
    pub fn new() -> Self {
        Self::empty().file("oyez.toml", CONFIG)
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Self {
        let case = Self::empty();
        copy_dir(&repo_root().join("tests/fixtures").join(name), case.path());
        case
    }

    /// A copy of the bundled example catalogue (oyez.toml and entries/).
    pub fn example() -> Self {
        let case = Self::empty();
        let root = repo_root();
        fs::copy(root.join("oyez.toml"), case.path().join("oyez.toml")).expect("copy oyez.toml");
        copy_dir(&root.join("entries"), &case.path().join("entries"));
        case
    }

    /// The example catalogue mailing the subscribers file `file` instead
    /// of its list, with each `(from, to)` of `changes` made in oyez.toml.
    pub fn example_with_subscribers(file: &str, changes: &[(&str, &str)]) -> Self {
        let mut config = fs::read_to_string(repo_root().join("oyez.toml")).expect("read oyez.toml");
        let list = (
            "to          = \"platform-digest@lists.example.org\"",
            "subscribers = \"subscribers.txt\"",
        );
        for (from, to) in std::iter::once(&list).chain(changes) {
            config = config.replace(from, to);
        }
        Self::example()
            .file("oyez.toml", config)
            .file("subscribers.txt", file)
    }

    /// Writes `text` to `relative`, creating folders.
    pub fn file(self, relative: &str, text: impl AsRef<[u8]>) -> Self {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
        fs::write(path, text).expect("write file");
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `oyez ARGS` in the case folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs `oyez ARGS` in the case folder with extra environment variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("OYEZ_SMTP_URL");
        for (key, value) in env {
            command.env(key, value);
        }
        Run::from(command.output().expect("run oyez"))
    }

    /// Reads an output file as text.
    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path().join(relative))
            .unwrap_or_else(|err| panic!("read {relative}: {err}"))
    }

    /// Every file under `relative`, as (path, bytes), sorted.
    pub fn tree(&self, relative: &str) -> Vec<(String, Vec<u8>)> {
        let root = self.path().join(relative);
        let mut files = Vec::new();
        collect(&root, &root, &mut files);
        files.sort();
        files
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts success and returns self.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for item in fs::read_dir(from).unwrap_or_else(|err| panic!("read {}: {err}", from.display())) {
        let item = item.expect("dir entry");
        let target = to.join(item.file_name());
        if item.file_type().expect("file type").is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            fs::copy(item.path(), target).expect("copy file");
        }
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    let Ok(items) = fs::read_dir(dir) else { return };
    for item in items {
        let path = item.expect("dir entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("inside root");
            files.push((
                relative.to_string_lossy().into_owned(),
                fs::read(&path).expect("read"),
            ));
        }
    }
}
