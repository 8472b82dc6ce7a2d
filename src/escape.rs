//! Escaping text for XML and HTML written by hand (feeds, sitemaps, the map,
//! the error overlay); templates escape through Tera.

/// Whether XML 1.0 allows the character in a document.
pub(crate) fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// `text` without the characters XML 1.0 forbids.
pub(crate) fn xml_clean(text: &str) -> String {
    text.chars().filter(|&c| xml_allowed(c)).collect()
}

/// Appends `text` escaped for XML or HTML text and attribute values, dropping
/// characters XML 1.0 forbids.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if xml_allowed(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text` escaped as by [`push_escaped`].
pub(crate) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escaped("a<b>&\"c'\u{1}\td"),
            "a&lt;b&gt;&amp;&quot;c&apos;\td"
        );
        assert_eq!(xml_clean("x\u{0}y\u{FFFF}"), "xy");
    }
}
