//! The date an update-log line or heading starts with, as people write
//! them: `2021-02-07`, `2021/02/07`, `2021.02.07`, `[2023-11-07]`,
//! `**[2026.05.27]**`, `Nov 7, 2023`, `November 7 2023`, `7 November 2023`.
//! Read with chrono's format parser; a leading bracket, emphasis or emoji
//! is decoration.

use chrono::{Datelike, NaiveDate};

/// Formats tried in order; chrono reads `%B` as a full or short month name.
const FORMATS: [&str; 7] = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %B %Y",
    "%d %B, %Y",
];

/// At most this many decoration characters (`[`, `(`, `*`, an emoji) before the date.
const MAX_DECORATION: usize = 4;

/// The date `text` starts with and the text it was read from.
pub(super) fn leading(text: &str) -> Option<(NaiveDate, &str)> {
    let text = text.trim_start();
    let start = text.find(|c: char| c.is_alphanumeric())?;
    let decoration = &text[..start];
    if decoration.chars().filter(|c| !c.is_whitespace()).count() > MAX_DECORATION {
        return None;
    }
    let body = &text[start..];
    // `Nov. 7, 2023`: the abbreviation's dot is not part of chrono's month name.
    let undotted = undot_month(body);
    let body_for_parse = undotted.as_deref().unwrap_or(body);
    FORMATS.iter().find_map(|format| {
        let (date, rest) = NaiveDate::parse_and_remainder(body_for_parse, format).ok()?;
        let whole = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
        let plausible = (1970..=9999).contains(&date.year());
        let used = body_for_parse.len() - rest.len();
        let shift = body.len() - body_for_parse.len();
        (whole && plausible).then(|| (date, body.get(..used + shift).unwrap_or(body)))
    })
}

/// `Nov. 7, 2023` as `Nov 7, 2023`, when the text starts so.
fn undot_month(body: &str) -> Option<String> {
    let (word, rest) = body.split_once(". ")?;
    let is_month =
        word.len() == 3 && NaiveDate::parse_from_str(&format!("{word} 1 2000"), "%b %d %Y").is_ok();
    is_month.then(|| format!("{word} {rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<String> {
        leading(text).map(|(d, _)| d.to_string())
    }

    #[test]
    fn the_ways_people_write_dates_are_read() {
        for text in [
            "2023-11-07 Added",
            "[2023-11-07] Added",
            "[2023.11.07] Added",
            "2023/11/07: Added",
            "Nov 7, 2023 - Added",
            "Nov. 7, 2023 - Added",
            "November 7, 2023: Added",
            "7 November 2023 Added",
            "7 Nov 2023",
            "🔥 [2023-11-07] Added",
            "(2023-11-07) Added",
        ] {
            assert_eq!(date(text).as_deref(), Some("2023-11-07"), "{text}");
        }
    }

    #[test]
    fn the_matched_text_is_returned() {
        assert_eq!(leading("[2026.05.27] We").unwrap().1, "2026.05.27");
        assert_eq!(leading("Nov 7, 2023: x").unwrap().1, "Nov 7, 2023");
        assert_eq!(leading("Nov. 7, 2023: x").unwrap().1, "Nov. 7, 2023");
    }

    #[test]
    fn text_that_is_no_date_is_not_read_as_one() {
        for text in [
            "Go 1.21 released",
            "2023 in review",
            "12 tools for 2023",
            "Added 2023-11-07",
            "1. First",
            "2023-11-071",
            "May the force",
            "***** 2023-11-07",
        ] {
            assert_eq!(date(text), None, "{text}");
        }
    }
}
