//! Front matter: split the `---` block off a Markdown file and deserialize it
//! with serde-saphyr, mapping YAML positions to lines of the whole file.
//!
//! Pure functions over `&str`: no file-system access here.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Spanned};

use crate::diagnostic::{Diagnostic, did_you_mean};

/// A Markdown file cut into its YAML block and its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (may be empty).
    pub yaml: &'a str,
    /// Number of file lines before the first YAML line (the opening fence and
    /// anything above it), added to YAML error lines.
    pub yaml_line_offset: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `text` into front matter and body. The file must start with a
/// `---` line; the block ends at the next line that is exactly `---` (or `...`).
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom_len = text.len() - text_no_bom.len();
    let first_line_end = text_no_bom.find('\n').unwrap_or(text_no_bom.len());
    if text_no_bom[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::file_error(path, "the file does not start with front matter")
            .with_hint("put a YAML block between two `---` lines at the very top of the file, starting with `title:` and `date:`"));
    }
    let yaml_start = bom_len + (first_line_end + 1).min(text_no_bom.len());
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (line_end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..line_start],
                yaml_line_offset: 1,
                body: &text[body_offset..],
                body_offset,
            });
        }
        line_start = line_end + 1;
    }
    Err(
        Diagnostic::file_error(path, "the front matter opened on line 1 is never closed")
            .with_hint("add a line with only `---` after the last front matter field"),
    )
}

/// Deserializes the YAML block into `T`, turning any error into a diagnostic
/// located in the whole file. `known_keys` feeds the "did you mean" hint for
/// unknown fields.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    split: &Split<'_>,
    known_keys: &[&str],
) -> Result<T, Diagnostic> {
    // An empty block means "no fields"; serde-saphyr reads it as a null document.
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    serde_saphyr::from_str_with_options(yaml, yaml_options())
        .map_err(|err| yaml_error(path, split.yaml_line_offset, &err, known_keys))
}

/// Limits that keep hostile YAML (alias bombs, giant documents) bounded.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 200_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 64,
            max_nodes: 100_000,
            max_total_scalar_bytes: 4 * 1024 * 1024,
            max_documents: 1,
        },
        with_snippet: false,
    }
}

fn yaml_error(
    path: &Path,
    line_offset: usize,
    err: &serde_saphyr::Error,
    known_keys: &[&str],
) -> Diagnostic {
    let (line, column) = err
        .location()
        .map_or((line_offset + 1, 1), |loc| file_position(line_offset, &loc));
    let message = plain_message(err);
    let hint = yaml_hint(&message, known_keys);
    Diagnostic::error(path, line, column, message).with_optional_hint(hint)
}

/// The error text without serde-saphyr's own position suffix (we print ours).
fn plain_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let first_line = text.lines().next().unwrap_or("invalid YAML");
    let without_position = match first_line.rfind(" at line ") {
        Some(i) => &first_line[..i],
        None => first_line,
    };
    // Advice addressed to programmers using the YAML library, not to authors.
    match without_position.find(", set DuplicateKeyPolicy") {
        Some(i) => without_position[..i].to_string(),
        None => without_position.to_string(),
    }
}

fn yaml_hint(message: &str, known_keys: &[&str]) -> Option<String> {
    if let Some(field) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        return Some(match did_you_mean(field, known_keys.iter().copied()) {
            Some(guess) => {
                format!("did you mean `{guess}`? Theme-specific data goes under `extra:`")
            }
            None => format!(
                "known fields are: {}; theme-specific data goes under `extra:`",
                known_keys.join(", ")
            ),
        });
    }
    if message.contains("duplicate") {
        return Some("each key may appear only once; remove or merge the repeated one".into());
    }
    if message.starts_with("missing field") {
        return Some("add the field to the front matter".into());
    }
    if message.contains("budget") || message.contains("limit") {
        return Some("the front matter is too large or uses too many aliases; simplify it".into());
    }
    Some("check the YAML syntax: indentation, a `:` after each key, quotes around text containing `: ` or `#`".into())
}

/// 1-based (line, column) in the whole file of a YAML location.
pub(crate) fn file_position(line_offset: usize, loc: &Location) -> (usize, usize) {
    let line = usize::try_from(loc.line()).unwrap_or(usize::MAX);
    let column = usize::try_from(loc.column()).unwrap_or(usize::MAX);
    (line.saturating_add(line_offset).max(1), column.max(1))
}

/// 1-based (line, column) in the whole file of a spanned value.
pub(crate) fn span_position<T>(line_offset: usize, spanned: &Spanned<T>) -> (usize, usize) {
    file_position(line_offset, &spanned.referenced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_block_and_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn accepts_crlf_and_bom() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nBody";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn unclosed_block_is_an_error() {
        let err = split(Path::new("a.md"), "---\ntitle: A\nBody").unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn missing_block_is_an_error() {
        let err = split(Path::new("a.md"), "# Just markdown").unwrap_err();
        assert!(err.message.contains("front matter"), "{err}");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        title: String,
    }

    #[test]
    fn yaml_error_lines_are_file_lines() {
        let text = "---\ntitle: A\ntitel: B\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let err = parse::<Small>(Path::new("a.md"), &s, &["title"]).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.hint.unwrap().contains("did you mean `title`"));
    }
}
