//! One i18n file (`i18n/<lang>.yaml`) -> its messages, each at its line.
//!
//! A file is a flat map from key to a string, or to a map of CLDR plural
//! categories (`zero`, `one`, `two`, `few`, `many`, `other`; `other`
//! required). Strings are plain text with `{name}` placeholders; they are
//! split into pieces here, once, so that `t()` never parses.

use std::path::Path;

use icu_plurals::PluralCategory;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::frontmatter::file_position;
use crate::diagnostic::Diagnostic;

/// A piece of a message: text as it is, or a `{name}` to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Arg(String),
}

/// A message split into pieces, with its text as written (for the scripts).
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub(crate) raw: String,
    pub(crate) pieces: Vec<Piece>,
}

/// A message: one text, or one text per plural category.
#[derive(Debug, Clone)]
pub(crate) enum Message {
    Text(Pattern),
    /// Forms by category; `other` is always there.
    Plural(Vec<(PluralCategory, Pattern)>),
}

/// A message and the line it is defined at.
#[derive(Debug, Clone)]
pub(crate) struct Defined {
    pub(crate) message: Message,
    pub(crate) line: usize,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawEntry {
    Text(String),
    Plural(IndexMap<String, String>),
}

/// The messages of one file, in file order, or every mistake in it.
pub(crate) fn parse(path: &Path, text: &str) -> Result<IndexMap<String, Defined>, Vec<Diagnostic>> {
    let yaml = if text.trim().is_empty() { "{}" } else { text };
    let raw: IndexMap<String, Spanned<RawEntry>> = serde_saphyr::from_str(yaml).map_err(|err| {
        let err = err.without_snippet();
        let (line, column) = err.location().map_or((1, 1), |loc| file_position(0, &loc));
        let message = err.to_string();
        let message = message.lines().next().unwrap_or("not valid YAML").to_string();
        vec![
            Diagnostic::error(path, line, column, format!("this i18n file is not valid: {message}"))
                .with_hint("write one `key: text` per line, or `key: {one: ..., other: ...}` for plural forms; quote texts that contain `: ` or start with `{`"),
        ]
    })?;
    let mut errors = Vec::new();
    let mut messages = IndexMap::with_capacity(raw.len());
    for (key, entry) in raw {
        let (line, column) = file_position(0, &entry.referenced);
        let at = |message: String, hint: &str| {
            Diagnostic::error(path, line, column, message).with_hint(hint.to_string())
        };
        let message = match entry.value {
            RawEntry::Text(text) => pattern(&text).map(Message::Text),
            RawEntry::Plural(forms) => plural(forms),
        };
        match message {
            Ok(message) => {
                messages.insert(key, Defined { message, line });
            }
            Err((message, hint)) => errors.push(at(format!("`{key}`: {message}"), hint)),
        }
    }
    if errors.is_empty() {
        Ok(messages)
    } else {
        Err(errors)
    }
}

type Mistake = (String, &'static str);

/// Plural forms by category; `other` required, categories checked.
fn plural(forms: IndexMap<String, String>) -> Result<Message, Mistake> {
    let hint =
        "plural forms are CLDR categories: zero, one, two, few, many, other (`other` is required)";
    let mut out = Vec::with_capacity(forms.len());
    for (name, text) in forms {
        let category = PluralCategory::get_for_cldr_string(&name)
            .ok_or_else(|| (format!("`{name}` is not a plural category"), hint))?;
        out.push((category, pattern(&text)?));
    }
    if !out.iter().any(|(c, _)| *c == PluralCategory::Other) {
        return Err(("the plural forms have no `other`".into(), hint));
    }
    Ok(Message::Plural(out))
}

/// `Hello {name}` -> text and argument pieces. `{{` and `}}` stand for
/// braces themselves.
pub(crate) fn pattern(text: &str) -> Result<Pattern, Mistake> {
    let hint =
        "placeholders are `{name}` (letters, digits, `_`); write `{{` or `}}` for a brace itself";
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                        _ => {
                            return Err((
                                format!("a placeholder in `{text}` is not closed or not a name"),
                                hint,
                            ));
                        }
                    }
                }
                if name.is_empty() {
                    return Err((format!("`{text}` has an empty placeholder `{{}}`"), hint));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Arg(name));
            }
            '}' => return Err((format!("`{text}` has a `}}` that closes nothing"), hint)),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(Pattern {
        raw: text.to_string(),
        pieces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_split_at_placeholders() {
        let p = pattern("{count} of {total} match {{x}}").unwrap();
        assert_eq!(
            p.pieces,
            vec![
                Piece::Arg("count".into()),
                Piece::Text(" of ".into()),
                Piece::Arg("total".into()),
                Piece::Text(" match {x}".into()),
            ]
        );
        assert!(pattern("a {b").is_err());
        assert!(pattern("a } b").is_err());
        assert!(pattern("a {} b").is_err());
    }

    #[test]
    fn files_report_their_lines() {
        let ok = parse(
            Path::new("en.yaml"),
            "a: A\nb:\n  one: 1 brief\n  other: '{count} briefs'\n",
        )
        .unwrap();
        // A plural map is placed at its first form.
        assert_eq!(ok["b"].line, 3);
        let bad = parse(Path::new("en.yaml"), "a: A\nb:\n  one: x\n").unwrap_err();
        assert_eq!(bad[0].line, 3, "{}", bad[0]);
        let broken = parse(Path::new("en.yaml"), "a: A\nb: [x\nc: d\n").unwrap_err();
        assert!(broken[0].line >= 2, "{}", broken[0]);
    }
}
