//! HTML escaping as the templates' formatter does it (`&`, `<`, `>`, `"`
//! and `'`; `/` stays), a leaf: [`crate::template`]'s formatter and the
//! page's native writer both escape by [`crate::escape`]'s rule, so their
//! bytes agree.

use crate::escape::HTML_APOSTROPHE;

/// [`crate::escape::escape_html`] onto the end of `out`.
pub(crate) fn push_escaped_html(out: &mut Vec<u8>, text: &str) {
    crate::escape::push_escaped(out, text, HTML_APOSTROPHE);
}

#[cfg(test)]
mod tests {
    use super::push_escaped_html;

    #[test]
    fn escaping_replaces_the_five_characters_and_keeps_slashes() {
        let mut out = Vec::new();
        push_escaped_html(&mut out, "<a href='/x?a=1&b=2'>\"é\"</a>");
        let expected = "&lt;a href=&#x27;/x?a=1&amp;b=2&#x27;&gt;&quot;é&quot;&lt;/a&gt;";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        let mut out = Vec::new();
        push_escaped_html(&mut out, "plain");
        push_escaped_html(&mut out, "");
        push_escaped_html(&mut out, "&");
        assert_eq!(out, b"plain&amp;");
    }

    #[test]
    fn escaping_finds_every_special_byte_at_every_offset() {
        for special in ['&', '<', '>', '"', '\'', 'é'] {
            for len in 0..40 {
                for at in 0..len {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { 'a' })
                        .collect();
                    let expected: String = text
                        .chars()
                        .map(|c| match c {
                            '&' => "&amp;".to_owned(),
                            '<' => "&lt;".to_owned(),
                            '>' => "&gt;".to_owned(),
                            '"' => "&quot;".to_owned(),
                            '\'' => "&#x27;".to_owned(),
                            c => c.to_string(),
                        })
                        .collect();
                    let mut out = Vec::new();
                    push_escaped_html(&mut out, &text);
                    assert_eq!(String::from_utf8(out).unwrap(), expected);
                }
            }
        }
    }
}
