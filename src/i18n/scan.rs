//! Keys templates ask for: every `t(key="...")` with a written key is
//! checked when the site loads, so an unknown key is an error at its line
//! even on a page no build renders. Keys computed at render time are
//! checked by `t()` itself.

use crate::content::source::TextFile;
use crate::diagnostic::{Diagnostic, line_col};

use super::I18n;

/// An error for every `t(key="...")` of the templates whose key no i18n
/// file defines.
pub(crate) fn unknown_keys(templates: &[(String, TextFile)], i18n: &I18n) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (_, file) in templates {
        for (at, key) in literal_keys(&file.text) {
            if i18n.knows(key) {
                continue;
            }
            let (line, column) = line_col(&file.text, at);
            errors.push(
                Diagnostic::error(
                    &file.path,
                    line,
                    column,
                    format!("t(): no interface string `{key}` in any i18n file"),
                )
                .with_hint("fix the key, or add it to `i18n/en.yaml` (and the other languages) of the site or theme; the README lists the theme's keys"),
            );
        }
    }
    errors
}

/// `(byte offset of the call, key)` of every `t(key="...")` with a
/// quoted key.
fn literal_keys(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("t(").map(|i| i + from) {
        from = i + 2;
        let named_more = i > 0 && {
            let b = bytes[i - 1];
            b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
        };
        if named_more {
            continue;
        }
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix("key") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        let body = &rest[1..];
        if let Some(end) = body.find(quote) {
            found.push((i, &body[..end]));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_written_keys_only() {
        let text =
            r#"{{ t(key="a") }} {{ t( key = 'b', count=2) }} {{ t(key=k) }} {{ at(key="no") }}"#;
        let keys: Vec<&str> = literal_keys(text).into_iter().map(|(_, k)| k).collect();
        assert_eq!(keys, ["a", "b"]);
    }
}
