//! CSV as list tools export it (RFC 4180): fields separated by commas,
//! quoted with `"` when they hold a comma, a quote or a line break, a
//! quote doubled inside quotes, lines ended by CRLF or LF.

/// The rows of `text`, each with the 1-based line it starts on.
pub fn parse(text: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut line, mut start) = (false, 1, 1);
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push((start, std::mem::take(&mut row)));
                line += 1;
                start = line;
            }
            (_, c) => {
                line += usize::from(c == '\n');
                field.push(c);
            }
        }
    }
    if quoted {
        return Err(start);
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((start, row));
    }
    rows.retain(|(_, r)| r.iter().any(|f| !f.trim().is_empty()));
    Ok(rows)
}

/// One CSV line (with its line break), quoting the fields that need it.
pub fn line(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| match f.contains([',', '"', '\n', '\r']) {
            true => format!("\"{}\"", f.replace('"', "\"\"")),
            false => (*f).to_owned(),
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_line_breaks_round_trip() {
        let text = "email,name\r\n\"a@example.org\",\"Lovelace, \"\"Ada\"\"\"\nb@example.org,\"two\nlines\"\n\nc@example.org,";
        let rows = parse(text).unwrap();
        assert_eq!(
            rows,
            [
                (1, vec!["email".to_owned(), "name".to_owned()]),
                (
                    2,
                    vec!["a@example.org".to_owned(), "Lovelace, \"Ada\"".to_owned()]
                ),
                (3, vec!["b@example.org".to_owned(), "two\nlines".to_owned()]),
                (6, vec!["c@example.org".to_owned(), String::new()]),
            ]
        );
        assert_eq!(
            line(&["a", "Lovelace, \"Ada\""]),
            "a,\"Lovelace, \"\"Ada\"\"\"\r\n"
        );
        assert_eq!(parse("a,\"open\n"), Err(1));
    }
}
