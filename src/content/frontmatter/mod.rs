//! Front matter: split the `---` block off a Markdown file and deserialize it
//! with serde-saphyr, mapping YAML positions to lines of the whole file.
//!
//! Pure functions over `&str`: no file-system access here. `sieve` sets
//! unknown keys aside so all of them are reported at once; `mistakes` turns
//! YAML and type errors into plain words with the fix.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Spanned};

use crate::diagnostic::Diagnostic;

mod mistakes;
mod sieve;

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
/// `---` line (after a UTF-8 byte order mark or blank lines, which editors
/// and exports leave); the block ends at the next line that is exactly `---`
/// (or `...`).
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let (open_start, blank_lines) = opening_fence(text);
    let rest = &text[open_start..];
    let first_line_end = rest.find('\n').unwrap_or(rest.len());
    if rest[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::file_error(path, "the file does not start with front matter")
            .with_hint("put a YAML block between two `---` lines at the very top of the file, starting with `title:` and `date:`"));
    }
    let yaml_line_offset = blank_lines + 1;
    let yaml_start = open_start + (first_line_end + 1).min(rest.len());
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
                yaml_line_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        line_start = line_end + 1;
    }
    Err(unclosed(path, yaml_line_offset, &text[yaml_start..]))
}

/// Byte offset of the line that should hold the opening `---`, past a BOM
/// and blank lines, and how many blank lines were skipped.
fn opening_fence(text: &str) -> (usize, usize) {
    let mut start = text.len() - text.trim_start_matches('\u{feff}').len();
    let mut blank_lines = 0;
    while let Some(end) = text[start..].find('\n') {
        if !text[start..start + end].trim().is_empty() {
            break;
        }
        start += end + 1;
        blank_lines += 1;
    }
    (start, blank_lines)
}

/// The front matter never closes: point at the opening fence, and name the
/// first line that does not look like YAML, where the `---` probably belongs.
fn unclosed(path: &Path, yaml_line_offset: usize, yaml: &str) -> Diagnostic {
    let open_line = yaml_line_offset;
    let message = format!("the front matter opened on line {open_line} is never closed");
    let hint = match first_prose_line(yaml) {
        Some(i) => format!(
            "add a line with only `---` after the last front matter field (line {} looks like the start of the text)",
            yaml_line_offset + i + 1
        ),
        None => "add a line with only `---` after the last front matter field".into(),
    };
    Diagnostic::error(path, open_line, 1, message).with_hint(hint)
}

/// Index of the first line that reads as prose or Markdown rather than a
/// YAML `key:`, a list item, an indented or a comment line.
fn first_prose_line(yaml: &str) -> Option<usize> {
    yaml.lines().position(|line| {
        let t = line.trim_end();
        !(t.is_empty()
            || t.starts_with([' ', '\t', '-'])
            || t.split_once(':').is_some_and(|(k, _)| {
                !k.is_empty() && !k.contains(' ') || k.starts_with(['"', '\''])
            }))
    })
}

/// How [`parse`] treats keys and types, beyond what the target struct says.
#[derive(Clone, Copy)]
pub(crate) struct Keys<'a> {
    /// Keys the struct does not know that are kept (site.yaml `keep_keys`)
    /// instead of reported.
    pub(crate) keep: &'a [String],
    /// What a field expects, in words, for messages about a wrong type
    /// (e.g. `date` -> "a date such as 2019-05-20").
    pub(crate) expects: fn(&str) -> Option<&'static str>,
}

impl Keys<'_> {
    /// Every unknown key is an error; types are described generically.
    pub(crate) const STRICT: Keys<'static> = Keys {
        keep: &[],
        expects: |_| None,
    };
}

/// The front matter read leniently: the value, the kept keys, and a
/// diagnostic for every unknown key.
#[derive(Debug)]
pub(crate) struct Parsed<T> {
    /// The deserialized struct (unknown keys left out).
    pub(crate) value: T,
    /// Kept keys with their values, in file order.
    pub(crate) kept: serde_json::Map<String, serde_json::Value>,
    /// One error per unknown key, each at its own line and column.
    pub(crate) unknown: Vec<Diagnostic>,
}

/// Deserializes the YAML block into `T`. A YAML or type error stops the
/// parse (one diagnostic, located in the whole file). Keys a struct `T`
/// does not know do not: each is returned in `unknown` (or `kept`), so a
/// file with many of them is fixed in one round.
pub(crate) fn parse_lenient<T: DeserializeOwned>(
    path: &Path,
    split: &Split<'_>,
    keys: Keys<'_>,
) -> Result<Parsed<T>, Diagnostic> {
    // An empty block means "no fields"; serde-saphyr reads it as a null document.
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    let mut sieve = sieve::Sieve::new(keys.keep);
    let value = serde_saphyr::with_deserializer_from_str_with_options(yaml, yaml_options(), |de| {
        sieve.deserialize::<T, _>(de)
    })
    .map_err(|err| mistakes::diagnose(path, split, &err, keys.expects))?;
    let unknown = sieve.unknown_keys(path, split.yaml_line_offset);
    Ok(Parsed {
        value,
        kept: sieve.kept,
        unknown,
    })
}

/// Deserializes the YAML block into `T`, reporting every unknown key as an
/// error.
pub fn parse<T: DeserializeOwned>(path: &Path, split: &Split<'_>) -> Result<T, Vec<Diagnostic>> {
    let parsed = parse_lenient(path, split, Keys::STRICT).map_err(|d| vec![d])?;
    if parsed.unknown.is_empty() {
        Ok(parsed.value)
    } else {
        Err(parsed.unknown)
    }
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
        let err = split(
            Path::new("a.md"),
            "---\ntitle: A\nsources:\n  - x\n\n## Background\n",
        )
        .unwrap_err();
        assert!(err.hint.unwrap().contains("line 6 looks like"));
    }

    #[test]
    fn blank_lines_and_bom_before_the_fence_are_skipped() {
        let text = "\u{feff}\n  \r\n---\ntitle: A\n---\nBody";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(
            (s.yaml, s.yaml_line_offset, s.body),
            ("title: A\n", 3, "Body")
        );
        assert!(split(Path::new("a.md"), "\n\nBody\n").is_err());
        assert!(split(Path::new("a.md"), "\n\n").is_err());
    }

    #[test]
    fn missing_block_is_an_error() {
        let err = split(Path::new("a.md"), "# Just markdown").unwrap_err();
        assert!(err.message.contains("front matter"), "{err}");
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Small {
        title: String,
    }

    #[test]
    fn yaml_error_lines_are_file_lines() {
        let text = "---\ntitle: A\ntitel: B\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let err = parse::<Small>(Path::new("a.md"), &s).unwrap_err();
        assert_eq!(err[0].line, 3, "{}", err[0]);
        assert!(
            err[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `title`")
        );
    }
}
