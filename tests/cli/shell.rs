//! `oyez completions SHELL` and `oyez man DIR` (issue 24): scripts the
//! shells accept, and a man page for every command.

use std::process::Command;

use crate::case::Case;

#[test]
fn the_bash_completion_script_parses_and_loads_in_bash() {
    let case = Case::empty();
    let run = case.run(&["completions", "bash"]).ok();
    std::fs::write(case.path().join("oyez.bash"), &run.stdout).unwrap();
    let syntax = Command::new("bash")
        .args(["-n", "oyez.bash"])
        .current_dir(case.path())
        .output();
    let syntax = syntax.expect("run bash");
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let loaded = Command::new("bash")
        .args(["-c", "source ./oyez.bash && complete -p oyez"])
        .current_dir(case.path())
        .output()
        .expect("run bash");
    let registered = String::from_utf8_lossy(&loaded.stdout);
    assert_eq!(
        registered.trim_end(),
        "complete -o bashdefault -o default -o nosort -F _oyez oyez"
    );
}

#[test]
fn the_bash_completions_offer_every_command() {
    let case = Case::empty();
    let run = case.run(&["completions", "bash"]).ok();
    std::fs::write(case.path().join("oyez.bash"), &run.stdout).unwrap();
    let script = "source ./oyez.bash; COMP_WORDS=(oyez ''); COMP_CWORD=1; \
                  _oyez oyez '' oyez; printf '%s\\n' \"${COMPREPLY[@]}\"";
    let offered = Command::new("bash")
        .args(["-c", script])
        .current_dir(case.path())
        .output();
    let offered = String::from_utf8(offered.expect("run bash").stdout).unwrap();
    let mut words: Vec<&str> = offered
        .lines()
        .filter(|word| !word.starts_with('-'))
        .collect();
    words.sort_unstable();
    let expected = [
        "add",
        "check",
        "completions",
        "digest",
        "help",
        "import",
        "inbox",
        "init",
        "man",
        "ping",
        "publish",
        "remove",
        "serve",
        "subscribers",
    ];
    assert_eq!(words, expected);
}

#[test]
fn every_shell_gets_a_script_of_its_own() {
    let case = Case::empty();
    let firsts: Vec<(&str, String)> = ["bash", "zsh", "fish", "powershell", "elvish"]
        .into_iter()
        .map(|shell| {
            let run = case.run(&["completions", shell]).ok();
            let first = run
                .stdout
                .lines()
                .find(|line| !line.is_empty())
                .unwrap_or_default();
            (shell, first.to_owned())
        })
        .collect();
    let expected = [
        ("bash", "_oyez() {"),
        ("zsh", "#compdef oyez"),
        (
            "fish",
            "# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.",
        ),
        ("powershell", "using namespace System.Management.Automation"),
        ("elvish", "use builtin;"),
    ];
    let expected: Vec<(&str, String)> = expected
        .iter()
        .map(|(s, l)| (*s, (*l).to_owned()))
        .collect();
    assert_eq!(firsts, expected);
}

#[test]
fn man_writes_a_page_for_every_command() {
    let case = Case::empty();
    let run = case.run(&["man", "pages/man1"]).ok();
    let mut written: Vec<String> = case
        .tree("pages/man1")
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    written.sort();
    let expected = [
        "oyez-add.1",
        "oyez-check.1",
        "oyez-completions.1",
        "oyez-digest.1",
        "oyez-import-markdown.1",
        "oyez-import.1",
        "oyez-inbox.1",
        "oyez-init.1",
        "oyez-man.1",
        "oyez-ping.1",
        "oyez-publish.1",
        "oyez-remove.1",
        "oyez-serve.1",
        "oyez-subscribers-add.1",
        "oyez-subscribers-export.1",
        "oyez-subscribers-import.1",
        "oyez-subscribers-list.1",
        "oyez-subscribers-remove.1",
        "oyez-subscribers-suppress.1",
        "oyez-subscribers-unsuppress.1",
        "oyez-subscribers.1",
        "oyez.1",
    ];
    assert_eq!(written, expected);
    assert!(
        run.stdout.starts_with("wrote 22 man pages to pages/man1: "),
        "{}",
        run.stdout
    );
    let check = case.read("pages/man1/oyez-check.1");
    assert!(check.starts_with(".ie \\n(.g .ds Aq \\(aq\n"), "{check}");
    assert!(
        check.contains("\n.TH oyez-check 1  \"check 0.1.0\" \n"),
        "{check}"
    );
    assert!(check.contains("\\-\\-links"), "{check}");
}

#[test]
fn init_help_has_the_one_line_layout_of_the_others() {
    let help = Case::empty().run(&["init", "--help"]).ok().stdout;
    let expected = "Arguments:\n  [DIR]  Folder of the new catalogue (created if missing) [default: .]\n\nOptions:\n      --templates     Also write";
    assert!(help.contains(expected), "{help}");
    let check = Case::empty().run(&["check", "--help"]).ok().stdout;
    assert!(
        check.contains("Arguments:\n  [DIR]  Catalogue folder"),
        "{check}"
    );
}

#[test]
fn digest_help_names_its_environment() {
    let help = Case::empty().run(&["digest", "--help"]).ok().stdout;
    let tail: Vec<&str> = help.lines().rev().take(4).collect();
    let expected = [
        "  OYEZ_DKIM_KEY            with `[digest] dkim`: the PEM private key --send signs with",
        "  OYEZ_UNSUBSCRIBE_SECRET  key of the {{ token }} in per-subscriber unsubscribe URLs",
        "  OYEZ_SMTP_URL            where --send delivers (smtp://127.0.0.1:2525, smtps://user:password@host)",
        "Environment:",
    ];
    assert_eq!(tail, expected);
}

#[test]
fn usage_errors_show_the_folder_as_optional_as_help_does() {
    let case = Case::empty();
    for command in ["init", "add", "check", "publish", "serve", "digest", "ping"] {
        let error = case.run(&[command, "--bogus"]);
        assert_eq!(error.code, 2, "{error:?}");
        let usage = format!("\nUsage: oyez {command} [OPTIONS] [DIR]\n");
        assert!(error.stderr.contains(&usage), "{command}: {}", error.stderr);
        let help = case.run(&[command, "--help"]).ok();
        assert!(help.stdout.contains(&usage), "{command}: {}", help.stdout);
    }
}
