//! The example catalogue publishes and checks cleanly.

use crate::case::Case;

#[test]
fn example_catalogue_checks_clean() {
    let run = Case::example().run(&["check"]).ok();
    assert_eq!(run.stdout, "ok: 32 entries in 3 categories, 3 updates\n");
    assert_eq!(run.stderr, "");
}
