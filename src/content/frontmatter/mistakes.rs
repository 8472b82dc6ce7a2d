//! YAML and type errors in plain words: the commonest front matter
//! mistakes (an unquoted `: ` in a title, tabs, a missing `]`, a bad indent,
//! a repeated key, a wrong type) are recognised and explained with the fix,
//! at the line where the fix goes. The YAML library's own wording is never
//! shown: it talks about parser states, not about titles and lists.
//!
//! Works on the error and the YAML text only; the caller adds the file.

use serde_saphyr::Error;

use super::Split;
use crate::content::frontmatter::file_position;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// A mistake located in the YAML block (1-based line and column).
#[derive(Debug, PartialEq, Eq)]
struct Mistake {
    line: usize,
    column: usize,
    message: String,
    hint: String,
}

impl Mistake {
    fn new(line: usize, column: usize, message: String, hint: impl Into<String>) -> Self {
        Mistake {
            line,
            column,
            message,
            hint: hint.into(),
        }
    }
}

/// The diagnostic for a failed parse of `split`'s YAML.
pub(super) fn diagnose(
    path: &std::path::Path,
    split: &Split<'_>,
    err: &Error,
    expects: fn(&str) -> Option<&'static str>,
) -> Diagnostic {
    let err = err.without_snippet();
    let (line, column) = err.location().map_or((1, 1), |loc| file_position(0, &loc));
    let m = explain(split.yaml, err, line, column, expects);
    Diagnostic::error(path, m.line + split.yaml_line_offset, m.column, m.message).with_hint(m.hint)
}

/// What went wrong, at (`line`, `column`) of `yaml`, in plain words.
fn explain(
    yaml: &str,
    err: &Error,
    line: usize,
    column: usize,
    expects: fn(&str) -> Option<&'static str>,
) -> Mistake {
    match err {
        Error::Budget { .. } => Mistake::new(
            line,
            column,
            "the front matter is too large or uses too many aliases".into(),
            "simplify it: front matter holds a brief's fields, not data sets",
        ),
        Error::DuplicateMappingKey { key, .. } => duplicate(yaml, line, column, key.as_deref()),
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = match did_you_mean(field, expected.iter().copied()) {
                Some(g) => format!("did you mean `{g}`?"),
                None => format!("known fields are: {}", expected.join(", ")),
            };
            Mistake::new(line, column, format!("unknown field `{field}`"), hint)
        }
        Error::SerdeMissingField { field, .. } => Mistake::new(
            line,
            column,
            format!("missing required field `{field}`"),
            "add the field",
        ),
        _ => {
            if let Some(m) = unclosed_bracket(yaml, line) {
                return m;
            }
            match expected_type(err) {
                Some(expected) => type_mismatch(yaml, line, column, expected, expects),
                None => syntax(yaml, line, column, &err.to_string()),
            }
        }
    }
}

/// The kind of value a type error expected, in words; `None` for errors
/// that are not about types.
fn expected_type(err: &Error) -> Option<&'static str> {
    let words = |what: &str| -> &'static str {
        if what.contains("bool") {
            "`true` or `false`"
        } else if what.contains("seq") {
            "a list"
        } else if what.contains("map") || what.contains("struct") {
            "a map of `key: value` lines"
        } else if [
            "int", "float", "f32", "f64", "u8", "u16", "u32", "u64", "usize", "i64",
        ]
        .iter()
        .any(|t| what.contains(t))
        {
            "a number"
        } else {
            "text"
        }
    };
    match err {
        Error::Unexpected { expected, .. } => Some(words(expected)),
        Error::InvalidScalar { ty, .. } => Some(words(ty)),
        Error::InvalidBooleanStrict { .. } => Some(words("bool")),
        Error::SerdeInvalidType { expected, .. } | Error::SerdeInvalidValue { expected, .. } => {
            Some(words(expected))
        }
        Error::NullIntoString { .. } => Some("text"),
        _ => None,
    }
}

/// `date: [2019]`, `draft: maybe`: what the field takes, not "check the syntax".
fn type_mismatch(
    yaml: &str,
    line: usize,
    column: usize,
    generic: &'static str,
    expects: fn(&str) -> Option<&'static str>,
) -> Mistake {
    let key = key_at(yaml, line, column);
    let expected = key.and_then(expects).unwrap_or(generic);
    let found = found_at(yaml, line, column);
    match key {
        Some(key) => Mistake::new(
            line,
            column,
            format!("`{key}` must be {expected}, not {found}"),
            format!("write {expected} after `{key}:`"),
        ),
        None => Mistake::new(
            line,
            column,
            format!("expected {expected} here, not {found}"),
            format!("write {expected} here"),
        ),
    }
}

/// Errors of the YAML syntax itself, recognised by the library's wording.
fn syntax(yaml: &str, line: usize, column: usize, library: &str) -> Mistake {
    let text = line_text(yaml, line);
    if library.contains("tab") {
        return tab(yaml, line, column);
    }
    if library.contains("mapping values are not allowed") {
        return colon_in_value(yaml, line, column);
    }
    if library.contains("did not find expected") || library.contains("indentation") {
        return bad_indent(yaml, line, column);
    }
    if library.contains("unclosed quote") {
        return Mistake::new(
            line,
            column,
            "a quote opened here is never closed".into(),
            "close the quote at the end of the value, with the same kind of quote",
        );
    }
    if library.contains("trailing content after") {
        return Mistake::new(
            line,
            column,
            "text continues after the closing quote".into(),
            "quote the whole value; inside '…' write a ' as '' (it''s), or use double quotes: \"it's\"",
        );
    }
    let hint = if has_curly_quote(text) {
        CURLY_HINT
    } else {
        "check the indentation (spaces only), the `:` after each key, and quotes around text containing `: ` or ` #`"
    };
    Mistake::new(
        line,
        column,
        "the front matter is not valid YAML here".into(),
        hint,
    )
}

const CURLY_HINT: &str = "“ ” and ‘ ’ (typographic quotes, as Word writes them) are text to YAML, not quotes: use straight quotes \" \" or ' '";

/// `title: Iran: the next step` (or a key indented under a value).
fn colon_in_value(yaml: &str, line: usize, column: usize) -> Mistake {
    let text = line_text(yaml, line);
    let value = text.split_once(':').map_or("", |(_, v)| v.trim());
    let key = key_of(text);
    match key {
        Some(key) if value.contains(": ") || value.ends_with(':') => {
            let hint = if has_curly_quote(value) {
                format!("{CURLY_HINT}, e.g. `{key}: \"{}\"`", strip_curly(value))
            } else {
                format!(
                    "put the whole value in quotes: `{key}: \"{}\"`",
                    value.replace('"', "\\\"")
                )
            };
            Mistake::new(
                line,
                column,
                format!("`{key}` contains `: `, which YAML reads as the start of a new key"),
                hint,
            )
        }
        _ => Mistake::new(
            line,
            column,
            "this line is indented under a key that already has a value".into(),
            "start each top-level key at the first column, and indent only the lines of a list or map",
        ),
    }
}

/// A tab in the indentation: reported at the first such tab.
fn tab(yaml: &str, line: usize, column: usize) -> Mistake {
    let at = yaml.lines().enumerate().find_map(|(i, l)| {
        let indent = &l[..l.len() - l.trim_start().len()];
        indent.find('\t').map(|c| (i + 1, c + 1))
    });
    let (line, column) = at.unwrap_or((line, column));
    Mistake::new(
        line,
        column,
        "a tab is used for indentation".into(),
        "YAML indents with spaces only: replace the tab with spaces",
    )
}

/// A list entry or map key that does not line up with its siblings.
fn bad_indent(yaml: &str, line: usize, column: usize) -> Mistake {
    let hint = match parent_key(yaml, line) {
        Some("sources") => "each source starts with `  - ` and its other keys line up under its first key:\n    sources:\n      - title: \"…\"\n        url: https://…".to_string(),
        Some(key) => format!("the entries under `{key}:` must line up: each list item starts with `- ` at the same column, each key of a map at the same column"),
        None => "keys of one map must start at the same column; indent with spaces only".into(),
    };
    Mistake::new(
        line,
        column,
        "this line is not indented like the lines above it".into(),
        hint,
    )
}

/// `title: x` given twice: point at the repeat and name the first line.
fn duplicate(yaml: &str, line: usize, column: usize, key: Option<&str>) -> Mistake {
    let key = key.or_else(|| key_of(line_text(yaml, line)));
    let Some(key) = key else {
        return Mistake::new(
            line,
            column,
            "a key is given twice".into(),
            "each key may appear only once; remove or merge the repeated one",
        );
    };
    let first = yaml
        .lines()
        .position(|l| key_of(l) == Some(key))
        .map(|i| i + 1)
        .filter(|&first| first < line);
    let hint = match first {
        Some(first) => format!(
            "each key may appear only once: keep one `{key}:` (the first is on line {first} of the front matter) and remove the other"
        ),
        None => format!("each key may appear only once: remove one `{key}:`"),
    };
    Mistake::new(
        line,
        column,
        format!("duplicate key: `{key}` is given twice"),
        hint,
    )
}

/// A `[` or `{` not closed before the next key (or the end): reported at the
/// end of the line that opened it, where the `]` is missing. Flow lists may
/// span lines, so a bracket only counts as unclosed when a new top-level key
/// (or the end of the block) comes first.
fn unclosed_bracket(yaml: &str, upto: usize) -> Option<Mistake> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut opened_on = 0;
    let mut opened_text = "";
    for (i, text) in yaml.lines().enumerate().take(upto.saturating_add(1)) {
        if !open.is_empty() && key_of(text).is_some() && !text.starts_with([' ', '\t']) {
            break;
        }
        let before = open.len();
        scan_brackets(text, &mut open);
        if before == 0 && !open.is_empty() {
            opened_on = i + 1;
            opened_text = text;
        }
    }
    let &(_, bracket) = open.first()?;
    let close = if bracket == '[' { ']' } else { '}' };
    let end = opened_text.trim_end().chars().count() + 1;
    let key = key_of(opened_text).unwrap_or("countries");
    let hint = if bracket == '[' {
        format!("add `]` at the end of the list, e.g. `{key}: [Iran, Iraq]`")
    } else {
        "add `}` at the end of the map".to_string()
    };
    Some(Mistake::new(
        opened_on,
        end,
        format!("the `{bracket}` opened on this line is never closed: `{close}` is missing"),
        hint,
    ))
}

/// Pushes and pops `[`/`{` of one line, outside quotes and comments.
fn scan_brackets(text: &str, open: &mut Vec<(usize, char)>) {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if matches!(prev, ' ' | '[' | '{' | ',' | ':') => quote = Some(c),
            (None, '#') if prev == ' ' => return,
            (None, '[' | '{') => open.push((i, c)),
            (None, ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
        prev = c;
    }
}

/// The key of a `key: value` line (after indentation and a `- `).
fn key_of(text: &str) -> Option<&str> {
    let t = text.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = t.split_once(':')?;
    let key = key.trim_end().trim_matches(['"', '\'']);
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some(key)
}

/// The key a value at (`line`, `column`) belongs to: the key before it on
/// its line, or the nearest less-indented key above.
fn key_at(yaml: &str, line: usize, column: usize) -> Option<&str> {
    let text = line_text(yaml, line);
    if let Some(key) = key_of(text) {
        let colon = text.find(':').map_or(0, |c| text[..c].chars().count());
        if colon < column {
            return Some(key);
        }
    }
    parent_key(yaml, line)
}

/// The nearest `key:` above `line` that is indented less than it and opens
/// a block (nothing after its colon).
fn parent_key(yaml: &str, line: usize) -> Option<&str> {
    let indent = |t: &str| t.len() - t.trim_start().len();
    let own = indent(line_text(yaml, line));
    let above: Vec<&str> = yaml.lines().take(line.saturating_sub(1)).collect();
    above
        .into_iter()
        .rev()
        .filter(|t| !t.trim().is_empty() && indent(t) < own)
        .filter(|t| {
            t.split_once(':')
                .is_some_and(|(_, v)| v.trim().is_empty() || v.trim_start().starts_with('#'))
        })
        .find_map(key_of)
}

/// What the value at (`line`, `column`) is, in words.
fn found_at(yaml: &str, line: usize, column: usize) -> String {
    let text = line_text(yaml, line);
    let rest: String = text.chars().skip(column.saturating_sub(1)).collect();
    let rest = rest.trim();
    let rest = rest.split(" #").next().unwrap_or(rest).trim();
    let next_is_item = yaml
        .lines()
        .nth(line)
        .is_some_and(|t| t.trim_start().starts_with("- "));
    if rest.starts_with('[') || rest.starts_with("- ") || (rest.is_empty() && next_is_item) {
        "a list".into()
    } else if rest.starts_with('{') || rest.is_empty() {
        if rest.is_empty() { "nothing" } else { "a map" }.into()
    } else {
        format!("`{rest}`")
    }
}

/// Line `line` (1-based) of `yaml`, or "".
fn line_text(yaml: &str, line: usize) -> &str {
    yaml.lines().nth(line.saturating_sub(1)).unwrap_or("")
}

fn has_curly_quote(text: &str) -> bool {
    text.contains(['“', '”', '‘', '’', '„'])
}

fn strip_curly(text: &str) -> String {
    text.trim_matches(['“', '”', '‘', '’', '„'])
        .replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        title: Option<String>,
        date: Option<String>,
        #[serde(default)]
        draft: bool,
        #[serde(default)]
        countries: Vec<String>,
        #[serde(default)]
        sources: Vec<serde_json::Value>,
    }

    fn expects(field: &str) -> Option<&'static str> {
        (field == "date").then_some("a date such as 2019-05-20")
    }

    fn mistake(yaml: &str) -> Mistake {
        let err = match serde_saphyr::from_str::<Doc>(yaml) {
            Ok(doc) => panic!("parsed: {doc:?}"),
            Err(e) => e,
        };
        let err = err.without_snippet();
        let (line, column) = err.location().map_or((1, 1), |loc| file_position(0, &loc));
        explain(yaml, err, line, column, expects)
    }

    #[test]
    fn colon_in_title_asks_for_quotes() {
        let m = mistake("title: Iran: the next step\n");
        assert_eq!(
            (m.line, m.message.contains("`title` contains `: `")),
            (1, true)
        );
        assert!(m.hint.contains("`title: \"Iran: the next step\"`"), "{m:?}");
        let m = mistake("title: “Iran: the next step”\n");
        assert!(m.hint.contains("typographic quotes"), "{m:?}");
    }

    #[test]
    fn missing_bracket_is_on_its_own_line() {
        let m = mistake("title: x\ncountries: [Iran, Iraq\ndate: 2019-01-01\n");
        assert_eq!((m.line, m.column), (2, 23), "{m:?}");
        assert!(m.message.contains("`]` is missing"));
        let m = mistake("title: x\ncountries: [Iran\n");
        assert_eq!(m.line, 2, "{m:?}");
        // A list over two lines is fine; the mistake is elsewhere.
        assert_eq!(unclosed_bracket("countries: [Iran,\n  Iraq]\n", 3), None);
    }

    #[test]
    fn tabs_duplicates_indents_and_types() {
        let m = mistake("title: x\ncountries:\n\t- Iran\n");
        assert_eq!((m.line, m.column, m.message.contains("tab")), (3, 1, true));
        let m = mistake("title: x\ndate: 2019-01-01\ntitle: y\n");
        assert_eq!(m.line, 3);
        assert!(m.hint.contains("line 1"), "{m:?}");
        let m = mistake("title: x\nsources:\n  - title: A\n   url: u\n");
        assert_eq!(m.line, 4);
        assert!(m.hint.contains("each source starts with"), "{m:?}");
        let m = mistake("date: [2019]\n");
        assert_eq!(
            m.message,
            "`date` must be a date such as 2019-05-20, not a list"
        );
        let m = mistake("draft: maybe\n");
        assert_eq!(m.message, "`draft` must be `true` or `false`, not `maybe`");
        assert!(!m.hint.contains("syntax"));
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text the YAML parser rejects gets a message, whatever its shape.
        #[test]
        fn any_broken_yaml_is_explained(yaml in "[a-z:\\[\\]{}\"'#\\- \t\n“”é]{0,80}") {
            if let Err(err) = serde_saphyr::from_str::<tests_doc::Doc>(&yaml) {
                let err = err.without_snippet();
                let (line, column) = err.location().map_or((1, 1), |loc| file_position(0, &loc));
                let m = explain(&yaml, err, line, column, |_| None);
                prop_assert!(!m.message.is_empty() && m.line >= 1);
            }
        }
    }

    mod tests_doc {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        pub(super) struct Doc {
            title: Option<String>,
            #[serde(default)]
            draft: bool,
            #[serde(default)]
            countries: Vec<String>,
        }
    }
}
