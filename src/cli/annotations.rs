//! `oyez check --format github` (issue 22): each problem as a GitHub
//! Actions workflow command, `::error file=F,line=L,col=C::message`, so a
//! pull request shows it on the line it names; then the usual summary.

use std::io::Write as _;

use super::json::{self, Counts, Problem};
use crate::catalogue::Diagnostic;
use crate::error::Error;

pub(super) fn check(counts: Result<Counts, Error>, warnings: &[Diagnostic]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    for problem in json::listed(warnings, counts.as_ref().err()) {
        let _ = writeln!(out, "{}", command(&problem));
    }
    match counts {
        Ok(counts) => {
            let _ = writeln!(out, "{}", counts.summary(warnings.len()));
            Ok(())
        }
        Err(err) => Err(Error::Reported {
            code: err.exit_code(),
        }),
    }
}

/// One workflow command: `::warning` or `::error`, where, what and what to do.
fn command(problem: &Problem) -> String {
    let mut place = Vec::new();
    if let Some(file) = &problem.file {
        place.push(format!("file={}", property(file)));
    }
    if let Some(line) = problem.line {
        place.push(format!("line={line}"));
    }
    if let Some(column) = problem.column {
        place.push(format!("col={column}"));
    }
    let text = match problem.help.is_empty() {
        true => problem.message.clone(),
        false => format!("{}; {}", problem.message, problem.help),
    };
    format!(
        "::{} {}::{}",
        problem.severity,
        place.join(","),
        data(&text)
    )
}

/// A message as workflow commands escape it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (a path) as workflow commands escape it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_becomes_one_escaped_workflow_command() {
        let problem = Problem {
            severity: "error",
            file: Some("entries/a,b.toml".into()),
            line: Some(3),
            column: Some(9),
            message: "100% wrong\nhere".into(),
            help: "fix it".into(),
        };
        assert_eq!(
            command(&problem),
            "::error file=entries/a%2Cb.toml,line=3,col=9::100%25 wrong%0Ahere; fix it"
        );
    }
}
