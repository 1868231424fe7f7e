//! The placeholders a `[digest] unsubscribe` URL may hold: `{{ address }}`
//! and `{{ token }}`, filled per recipient by [`crate::digest::unsubscribe`];
//! the catalogue's checks read them here, so `catalogue` never reaches
//! into `digest` (issue 19).

/// The placeholders, with and without inner spaces.
pub(crate) const ADDRESS: [&str; 2] = ["{{ address }}", "{{address}}"];
pub(crate) const TOKEN: [&str; 2] = ["{{ token }}", "{{token}}"];

/// What a URL's placeholders stand for while it is checked as a URL.
const SAMPLE: &str = "sample";

/// Whether `target` holds a placeholder.
pub(crate) fn is_template(target: &str) -> bool {
    ADDRESS.iter().chain(&TOKEN).any(|p| target.contains(p))
}

pub(crate) fn has_token(target: &str) -> bool {
    TOKEN.iter().any(|p| target.contains(p))
}

/// `target` with its placeholders replaced by a plain word, for checking
/// the rest of it as a URL.
pub(crate) fn sample(target: &str) -> String {
    let mut url = target.to_owned();
    for placeholder in ADDRESS.iter().chain(&TOKEN) {
        url = url.replace(placeholder, SAMPLE);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_replace_every_placeholder() {
        let target = "https://example.org/leave?who={{ address }}&t={{token}}";
        assert!(is_template(target) && has_token(target));
        assert_eq!(
            sample(target),
            "https://example.org/leave?who=sample&t=sample"
        );
    }
}
