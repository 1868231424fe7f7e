//! The example catalogue publishes and checks cleanly.

use crate::case::Case;

#[test]
fn example_catalogue_checks_clean() {
    let run = Case::example().run(&["check"]).ok();
    assert_eq!(run.stdout, "ok: 32 entries in 3 categories, 3 updates\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let case = Case::example();
    for args in [&["check"][..], &["publish"][..]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = std::process::Command::new(crate::case::BIN)
            .args(args)
            .current_dir(case.path())
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
