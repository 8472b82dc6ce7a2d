//! The checks of single front matter fields of a brief (title, dates,
//! slug, names, countries, actors, disclaimer, kept keys): each reads one
//! raw value, records what is wrong at its line and column, and returns the
//! checked value. `brief.rs` runs them in order and assembles the brief.

use std::path::Path;

use serde_saphyr::Spanned;

use super::brief::BriefBuilder;
use super::dates::{ACCEPTED, parse_date};
use crate::content::config::disclaimer_hint;
use crate::content::countries::lookup_key;
use crate::content::frontmatter::span_position;
use crate::content::model::{ActorMention, BriefDate};
use crate::diagnostic::Diagnostic;

impl BriefBuilder<'_> {
    /// The file position of a front matter value.
    pub(super) fn at<T>(&self, spanned: &Spanned<T>) -> (usize, usize) {
        span_position(self.split.yaml_line_offset, spanned)
    }

    /// Records an error located at a front matter value.
    pub(super) fn error_at<T>(
        &mut self,
        spanned: &Spanned<T>,
        message: String,
        hint: Option<String>,
    ) {
        let (line, column) = self.at(spanned);
        self.errors
            .push(Diagnostic::error(self.path, line, column, message).with_optional_hint(hint));
    }

    /// A required field that is absent, or present with nothing after its
    /// colon (`title:`), which YAML reads as no value.
    pub(super) fn missing(&mut self, field: &str, example: &str) {
        let diagnostic = match key_line(self.split.yaml, field) {
            Some((i, line)) => {
                let hint = if line.contains('#') {
                    format!(
                        "`#` starts a comment in YAML, so the rest of the line is ignored: put the value in quotes, e.g. `{field}: \"#1 priority\"`"
                    )
                } else {
                    format!("write the value after the colon, e.g. `{example}`")
                };
                Diagnostic::error(
                    self.path,
                    i + self.split.yaml_line_offset,
                    1,
                    format!("`{field}` has no value"),
                )
                .with_hint(hint)
            }
            None => Diagnostic::error(self.path, 1, 1, format!("missing required field `{field}`"))
                .with_hint(format!("add `{example}` to the front matter")),
        };
        self.errors.push(diagnostic);
    }

    /// `title: Iran #1 priority` silently becomes "Iran": an unquoted ` #`
    /// starts a YAML comment.
    pub(super) fn comment_in_title(&mut self, title: &Spanned<String>) {
        // Cheap test first: most front matter has no ` #` at all.
        if !self.split.yaml.contains(" #") {
            return;
        }
        let line = usize::try_from(title.referenced.line()).unwrap_or(0);
        let column = usize::try_from(title.referenced.column()).unwrap_or(0);
        let Some(text) = self.split.yaml.lines().nth(line.saturating_sub(1)) else {
            return;
        };
        let value: String = text.chars().skip(column.saturating_sub(1)).collect();
        if value.starts_with(['"', '\'']) || !value.contains(" #") {
            return;
        }
        let whole = value.trim_end().replace('"', "\\\"");
        self.error_at(
            title,
            format!("the title stops before `#`: YAML reads ` #` and what follows as a comment, so the title would be `{}`", title.value),
            Some(format!("put the whole title in quotes: `title: \"{whole}\"`")),
        );
    }

    /// Kept keys (site.yaml `keep_keys`) join `extra`; a key set both ways
    /// is ambiguous.
    pub(super) fn keep(
        &mut self,
        extra: &mut serde_json::Map<String, serde_json::Value>,
        kept: serde_json::Map<String, serde_json::Value>,
    ) {
        for (key, value) in kept {
            if extra.contains_key(&key) {
                let line = key_line(self.split.yaml, &key)
                    .map_or(1, |(i, _)| i + self.split.yaml_line_offset);
                self.errors.push(
                    Diagnostic::error(
                        self.path,
                        line,
                        1,
                        format!("`{key}` is given both at the top level and under `extra:`"),
                    )
                    .with_hint("keep one of them"),
                );
            } else {
                extra.insert(key, value);
            }
        }
    }

    pub(super) fn required_text(
        &mut self,
        value: Option<Spanned<String>>,
        field: &str,
        example: &str,
    ) -> Option<String> {
        match value {
            None => {
                self.missing(field, example);
                None
            }
            Some(v) if v.value.trim().is_empty() => {
                self.error_at(
                    &v,
                    format!("`{field}` is empty"),
                    Some(format!("write it, e.g. `{example}`")),
                );
                None
            }
            Some(v) => Some(v.value.trim().to_string()),
        }
    }

    pub(super) fn date(&mut self, value: &Spanned<String>, field: &str) -> Option<BriefDate> {
        match parse_date(&value.value, &self.ctx.config.timezone) {
            Ok(d) => Some(d),
            Err(why) => {
                self.error_at(
                    value,
                    format!(
                        "`{field}` is not a valid date: `{}` ({})",
                        value.value,
                        why.reason()
                    ),
                    Some(ACCEPTED.into()),
                );
                None
            }
        }
    }

    pub(super) fn slug(&mut self, slug: Option<Spanned<String>>) -> Option<String> {
        match slug {
            Some(s) if is_year(&s.value) => {
                self.error_at(
                    &s,
                    format!(
                        "slug `{}` would clash with the archive page of that year",
                        s.value
                    ),
                    Some(format!("add a word, e.g. `{}-review`", s.value)),
                );
                None
            }
            Some(s) => {
                if is_plain_segment(&s.value) {
                    Some(s.value)
                } else {
                    let suggestion = slug::slugify(&s.value);
                    self.error_at(
                        &s,
                        format!("slug `{}` is not a plain URL path segment", s.value),
                        Some(format!(
                            "use letters, digits, `-`, `_` and `.` only (no `/`, spaces or `..`), e.g. `{suggestion}`"
                        )),
                    );
                    None
                }
            }
            None => {
                // A brief folder (`red-sea/index.md`) is named by its folder.
                let named = match self.path.file_name() {
                    Some(n) if n == "index.md" => self.path.parent().and_then(Path::file_name),
                    _ => self.path.file_stem(),
                };
                let stem = named
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default();
                let derived = slug::slugify(&stem);
                if is_year(&derived) {
                    self.errors.push(
                        Diagnostic::file_error(self.path, format!("the file name gives the slug `{derived}`, which would clash with the archive page of that year"))
                            .with_hint("rename the file or set `slug:` in the front matter"),
                    );
                    None
                } else if derived.is_empty() {
                    self.errors.push(
                        Diagnostic::file_error(
                            self.path,
                            "cannot derive a slug from the file name",
                        )
                        .with_hint("rename the file or set `slug:` in the front matter"),
                    );
                    None
                } else {
                    Some(derived)
                }
            }
        }
    }

    pub(super) fn names(&mut self, values: Vec<Spanned<String>>, what: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(values.len());
        for v in values {
            let name = v.value.trim();
            if self.curly_quoted(&v) {
                continue;
            }
            if slug::slugify(name).is_empty() {
                self.error_at(
                    &v,
                    format!("empty {what} name"),
                    Some(format!("remove the entry or write the {what}'s name")),
                );
            } else if !out.iter().any(|o| lookup_key(o) == lookup_key(name)) {
                out.push(name.to_string());
            }
        }
        out
    }

    pub(super) fn countries(&mut self, values: Vec<Spanned<String>>) -> Vec<String> {
        let mut codes: Vec<String> = Vec::with_capacity(values.len());
        for v in values {
            if self.curly_quoted(&v) {
                continue;
            }
            match self.ctx.gazetteer.resolve(&v.value) {
                Some(place) => {
                    if !codes.contains(&place.code) {
                        codes.push(place.code.clone());
                    }
                }
                None => {
                    let hint = match self.ctx.gazetteer.suggest(&v.value) {
                        Some(g) => format!("did you mean `{g}`? Places that are not ISO countries can be declared under `places:` in site.yaml"),
                        None => "use an ISO 3166 country name or code (e.g. `Iran`, `IR`, `IRN`), or declare the place under `places:` in site.yaml".into(),
                    };
                    self.error_at(&v, format!("unknown country `{}`", v.value), Some(hint));
                }
            }
        }
        codes
    }

    pub(super) fn actors(&mut self, values: Vec<Spanned<String>>) -> Vec<ActorMention> {
        let mut out: Vec<ActorMention> = Vec::with_capacity(values.len());
        for v in values {
            if self.curly_quoted(&v) {
                continue;
            }
            let written = v.value.trim();
            let key = self.ctx.actors.key_for(written);
            if key.is_empty() {
                self.error_at(
                    &v,
                    "empty actor name".into(),
                    Some("remove the entry or write the actor's name".into()),
                );
            } else if !out.iter().any(|a| a.key == key) {
                out.push(ActorMention {
                    key,
                    written: written.to_string(),
                    at: self.at(&v),
                });
            }
        }
        out
    }

    /// `countries: [“Iran”]`: Word's curly quotes are not YAML quotes, so
    /// they would become part of the name. In a list of names that is never
    /// meant, so it is an error (in a title they are kept as text).
    pub(super) fn curly_quoted(&mut self, v: &Spanned<String>) -> bool {
        let name = v.value.trim();
        let curly = ['“', '”', '‘', '’', '„', '«', '»'];
        if !(name.starts_with(curly) || name.ends_with(curly)) {
            return false;
        }
        let bare = name.trim_matches(curly);
        self.error_at(
            v,
            format!("`{name}` is in curly quotes, which YAML keeps as part of the name"),
            Some(format!(
                "“ ” (typographic quotes, as Word writes them) are not YAML quotes: write `{bare}` or `\"{bare}\"`"
            )),
        );
        true
    }

    /// `lang:` in canonical case, or the site's language when absent or
    /// bad (and reported).
    pub(super) fn lang(&mut self, value: Option<Spanned<String>>) -> String {
        let site = &self.ctx.config.language;
        let Some(v) = value else {
            return site.clone();
        };
        match crate::content::lang::normalize(&v.value) {
            Ok(tag) if self.ctx.config.language_index(&tag).is_none() => {
                let codes: Vec<&str> = self
                    .ctx
                    .config
                    .languages
                    .iter()
                    .map(|l| l.code.as_str())
                    .collect();
                self.error_at(
                    &v,
                    format!(
                        "`{tag}` is not one of the site's languages ({})",
                        codes.join(", ")
                    ),
                    Some(format!(
                        "add `- code: {tag}` to `languages:` in site.yaml, or write one of {}",
                        codes.join(", ")
                    )),
                );
                tag
            }
            Ok(tag) => tag,
            Err(bad) => {
                self.error_at(&v, bad.message, Some(bad.hint));
                site.clone()
            }
        }
    }

    pub(super) fn disclaimer(&mut self, value: Option<Spanned<String>>) -> Option<String> {
        let disclaimers = &self.ctx.config.disclaimers;
        match value {
            None => self.ctx.config.default_disclaimer.clone(),
            Some(v) if v.value == "none" && !disclaimers.contains_key("none") => None,
            Some(v) if disclaimers.contains_key(&v.value) => Some(v.value),
            Some(v) => {
                let hint = disclaimer_hint(&v.value, disclaimers);
                self.error_at(&v, format!("unknown disclaimer `{}`", v.value), hint);
                None
            }
        }
    }
}

/// The 1-based line of a top-level `key:` in the YAML, with its text.
fn key_line<'y>(yaml: &'y str, key: &str) -> Option<(usize, &'y str)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        (rest.is_empty() || rest.starts_with([' ', '\t', '\r'])).then_some((i + 1, line))
    })
}

/// `/briefs/<year>/` is the archive of that year, so a brief cannot take it.
fn is_year(slug: &str) -> bool {
    slug.len() == 4 && slug.bytes().all(|b| b.is_ascii_digit())
}

/// A URL path segment that cannot escape its folder or need escaping.
fn is_plain_segment(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_segments() {
        assert!(is_plain_segment("rouhani-macron_2018.v2"));
        for bad in ["", "..", ".hidden", "a/b", "a b", "a?b", "%2e"] {
            assert!(!is_plain_segment(bad), "{bad}");
        }
    }
}
