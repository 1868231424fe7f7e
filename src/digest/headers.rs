//! The list headers of a digest mail: List-Id, List-Unsubscribe and
//! List-Unsubscribe-Post, from `[digest]` and the recipient's targets.

use lettre::message::header::{HeaderName, HeaderValue};

use super::DigestError;
use super::unsubscribe::Targets;
use crate::catalogue::DigestConfig;

/// List-Id (RFC 2919), List-Unsubscribe (RFC 2369) and, when an https
/// target is this recipient's own, List-Unsubscribe-Post (RFC 8058).
pub(super) fn list(
    config: &DigestConfig,
    site_title: &str,
    unsubscribe: &Targets,
) -> Result<Vec<HeaderValue>, DigestError> {
    let mut headers = Vec::new();
    if let Some(id) = &config.list_id {
        if !is_list_id(id) {
            return Err(DigestError::Config(format!(
                "`[digest] list_id` {id:?} is not a list identifier; write one such as \
                 digest.example.org (letters, digits, dots, at least one dot)"
            )));
        }
        headers.push(header("List-Id", format!("{} <{id}>", phrase(site_title))));
    }
    if !unsubscribe.urls.is_empty() {
        let targets: Vec<String> = unsubscribe.urls.iter().map(|u| format!("<{u}>")).collect();
        headers.push(header("List-Unsubscribe", targets.join(", ")));
        if unsubscribe.one_click {
            headers.push(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".into(),
            ));
        }
    }
    Ok(headers)
}

/// The site title as an RFC 5322 phrase: words of atom characters (any
/// letter or digit, some symbols); specials such as `:` `<` `"` become spaces.
fn phrase(title: &str) -> String {
    let atom = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let words: String = title
        .chars()
        .map(|c| if atom(c) { c } else { ' ' })
        .collect();
    // Controls are no atom characters: already spaces.
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

fn is_list_id(id: &str) -> bool {
    id.contains('.')
        && !id.starts_with('.')
        && !id.ends_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_id_phrases_keep_words_and_drop_specials() {
        assert_eq!(
            phrase("Café: \"news\" <x@y.z>\r\nBcc: a"),
            "Café news x y z Bcc a"
        );
    }

    #[test]
    fn list_ids_need_a_dot_and_no_brackets() {
        assert!(is_list_id("platform.example.org"));
        assert!(!is_list_id("platform"));
        assert!(!is_list_id("a.b>\r\nX: y"));
    }
}
