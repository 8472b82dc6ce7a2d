//! Diagnostics: a user mistake located at `path:line:column`, with a hint.
//!
//! Every stage returns `Vec<Diagnostic>` instead of stopping at the first
//! problem, so one build reports all errors at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Printed, but the build goes on.
    Warning,
}

/// One problem in one file, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Path as the user should see it (relative to the site root when possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
    /// Error or warning.
    pub severity: Severity,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(
        path: impl AsRef<Path>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.as_ref().to_path_buf(),
            line,
            column,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
        }
    }

    /// An error about a whole file (reported at 1:1 so editors can jump to it).
    pub fn file_error(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::error(path, 1, 1, message)
    }

    /// Turns this diagnostic into a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Positions only when known: `path:line:col`, `path:line` or `path`.
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {level}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file and position, so output order does not depend on
/// thread scheduling.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
}

/// 1-based (line, column) of a byte offset in `text`; the column counts characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The closest candidate to `input` by Jaro-Winkler similarity, if close enough
/// to be a plausible typo.
pub(crate) fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let needle = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&needle, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "ab\ncé d\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // "é" is two bytes: the byte after it is the third character.
        assert_eq!(line_col(text, 6), (2, 3));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["title", "countries", "actors"];
        assert_eq!(did_you_mean("contries", keys), Some("countries"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn display_leaves_out_unknown_positions() {
        let whole = Diagnostic::error("site.yaml", 0, 0, "bad");
        assert_eq!(whole.to_string(), "site.yaml: error: bad");
        let line_only = Diagnostic::error("site.yaml", 4, 0, "bad");
        assert_eq!(line_only.to_string(), "site.yaml:4: error: bad");
    }

    #[test]
    fn display_is_editor_friendly() {
        let d = Diagnostic::error("content/a.md", 3, 5, "bad").with_hint("fix it");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:5: error: bad\n  hint: fix it"
        );
    }
}
