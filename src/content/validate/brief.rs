//! One brief: its front matter and Markdown -> a [`Brief`], reporting every
//! mistake in the file rather than the first.
//!
//! Owns the rules for each front matter field (required fields, dates,
//! slugs, names, countries, actors, disclaimers) and for citations in the
//! body; the checks of `sources:` entries live in `sources.rs`. It reads no
//! files, and does not check what needs every brief (unique slugs: `mod.rs`).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::Context;
use super::dates::{ACCEPTED, parse_date};
use super::fields::field_names;
use super::links::BodyRewrite;
use super::one_or_many::OneOrMany;
use super::raw_source::RawSource;
use crate::content::config::disclaimer_hint;
use crate::content::countries::lookup_key;
use crate::content::frontmatter::{Split, span_position};
use crate::content::inline::{self, Inline};
use crate::content::markdown::{self, Rendered};
use crate::content::model::{ActorMention, Brief, BriefDate, BriefLink, Source};
use crate::diagnostic::{Diagnostic, did_you_mean, line_col};

/// A brief's front matter as written. Its field names are also the known
/// keys of "did you mean" hints ([`brief_keys`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBrief {
    title: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    summary: Option<String>,
    #[serde(default)]
    authors: OneOrMany,
    #[serde(default)]
    countries: OneOrMany,
    #[serde(default)]
    actors: OneOrMany,
    /// Lenient: one bad source is reported on its own line without hiding
    /// the other mistakes in the file.
    #[serde(default)]
    sources: Vec<Spanned<RawSource>>,
    disclaimer: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Front matter keys of a brief, for "did you mean" hints and the keys
/// site.yaml's `keep_keys` may not name.
pub(crate) fn brief_keys() -> &'static [&'static str] {
    field_names::<RawBrief>()
}

/// What each field takes, in words, for messages about a wrong type.
pub(super) fn expects(field: &str) -> Option<&'static str> {
    Some(match field {
        "title" | "summary" | "slug" | "disclaimer" => "text",
        "date" | "updated" => "a date such as 2019-05-20",
        "draft" => "`true` or `false`",
        "authors" | "countries" | "actors" => "a list of names (or one name)",
        "sources" => "a list of sources",
        "extra" => "a map of `key: value` lines",
        _ => return None,
    })
}

/// A derived summary is cut to this many words: it feeds listings and meta
/// descriptions, which stay scannable at about two lines.
const DERIVED_SUMMARY_WORDS: usize = 32;

/// Checks one brief, collecting diagnostics in `errors`.
pub(super) struct BriefBuilder<'a> {
    pub(super) path: &'a Path,
    pub(super) split: &'a Split<'a>,
    pub(super) file_text: &'a str,
    pub(super) ctx: &'a Context<'a>,
    pub(super) errors: Vec<Diagnostic>,
}

/// The rendered body and what the rewriting found in it.
struct Body {
    rendered: Rendered,
    links: Vec<BriefLink>,
    warnings: Vec<Diagnostic>,
}

/// The front matter after its checks; a required field is `None` when it
/// was missing or bad (and reported).
struct Checked {
    title: Option<String>,
    date: Option<BriefDate>,
    updated: Option<BriefDate>,
    summary: Option<String>,
    slug: Option<String>,
    slug_at: (usize, usize),
    authors: Vec<String>,
    countries: Vec<String>,
    actors: Vec<ActorMention>,
    sources: Vec<Source>,
    disclaimer: Option<String>,
    draft: bool,
    extra: serde_json::Map<String, serde_json::Value>,
}

impl BriefBuilder<'_> {
    /// Checks the front matter, renders the body, and returns the brief or
    /// every diagnostic found (with the body's brief links, so that a link to
    /// no brief is reported in the same run).
    pub(super) fn build(
        mut self,
        raw: RawBrief,
        kept: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Brief, (Vec<Diagnostic>, Vec<BriefLink>)> {
        let mut checked = self.check_fields(raw);
        self.keep(&mut checked.extra, kept);
        let body = self.render_body(&checked.sources, checked.slug.as_deref());
        if !self.errors.is_empty() {
            self.errors.extend(body.warnings);
            return Err((self.errors, body.links));
        }
        Ok(self.assemble(checked, body))
    }

    /// Runs each field's check; the order is the order of the diagnostics.
    fn check_fields(&mut self, raw: RawBrief) -> Checked {
        // Destructure so that a new front matter field cannot be silently ignored.
        let RawBrief {
            title,
            date,
            updated,
            summary,
            authors,
            countries,
            actors,
            sources,
            disclaimer,
            draft,
            slug,
            extra,
        } = raw;
        if let Some(t) = &title {
            self.comment_in_title(t);
        }
        let title = self.required_text(
            title,
            "title",
            "title: \"What happened and why it matters\"",
        );
        let date = match date {
            None => {
                self.missing("date", "date: 2024-05-01");
                None
            }
            Some(d) => self.date(&d, "date"),
        };
        let updated = updated.and_then(|d| self.date(&d, "updated"));
        let slug_at = slug.as_ref().map_or((1, 1), |s| self.at(s));
        Checked {
            title,
            date,
            updated,
            summary,
            slug: self.slug(slug),
            slug_at,
            authors: self.names(authors.0, "author"),
            countries: self.countries(countries.0),
            actors: self.actors(actors.0),
            sources: self.sources(sources),
            disclaimer: self.disclaimer(disclaimer),
            draft,
            extra,
        }
    }

    /// Renders the Markdown, numbering citations by the sources' ids and
    /// reporting citations that name no source; links, images and raw
    /// HTML are rewritten on the way ([`links`](super::links)).
    fn render_body(&mut self, sources: &[Source], slug: Option<&str>) -> Body {
        let numbers: HashMap<&str, usize> = sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.id.as_deref().map(|id| (id, i + 1)))
            .collect();
        let mut rewrite = BodyRewrite {
            path: self.path,
            file_text: self.file_text,
            body_offset: self.split.body_offset,
            slug,
            base_path: &self.ctx.config.base_path,
            files: self.ctx.files,
            sanitizer: self.ctx.sanitizer,
            links: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let rendered = markdown::render_with(
            self.split.body,
            &|id| numbers.get(id).copied(),
            Some(&mut rewrite),
        );
        let BodyRewrite {
            links,
            errors,
            mut warnings,
            ..
        } = rewrite;
        self.errors.extend(errors);
        if let Some((offset, count)) = rendered.foreign_syntax {
            warnings.push(self.foreign_syntax_warning(offset, count));
        }
        for (id, span) in &rendered.unknown_citations {
            let (line, column) = line_col(self.file_text, self.split.body_offset + span.start);
            let known: Vec<&str> = numbers.keys().copied().collect();
            self.errors.push(
                Diagnostic::error(
                    self.path,
                    line,
                    column,
                    format!("citation `[@{id}]` names no source of this brief"),
                )
                .with_hint(citation_hint(id, known)),
            );
        }
        Body {
            rendered,
            links,
            warnings,
        }
    }

    /// One warning per file for template syntax of other generators, which
    /// would show as literal text.
    fn foreign_syntax_warning(&self, offset: usize, count: usize) -> Diagnostic {
        let body = self.split.body;
        let line_end = body[offset..].find('\n').map_or(body.len(), |i| offset + i);
        let first: String = body[offset..line_end].chars().take(60).collect();
        let (line, column) = line_col(self.file_text, self.split.body_offset + offset);
        let more = match count {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        Diagnostic::error(
            self.path,
            line,
            column,
            format!("template syntax of another generator shows as text: `{}`{more}", first.trim_end()),
        )
        .with_hint("briefly has no shortcodes or Liquid tags: write the Markdown instead (`![alt](chart.png)`, `[text](other.md)`), or put it in `code` if it is meant literally")
        .warning()
    }

    /// The brief, once every check passed.
    fn assemble(self, checked: Checked, body: Body) -> Brief {
        let Body {
            rendered,
            links,
            warnings,
        } = body;
        let Checked {
            title,
            date,
            updated,
            summary,
            slug,
            slug_at,
            authors,
            countries,
            actors,
            sources,
            disclaimer,
            draft,
            extra,
        } = checked;
        let (Some(title), Some(date), Some(slug)) = (title, date, slug) else {
            unreachable!("a missing required field always records an error");
        };
        let source_backlinks = (1..=sources.len())
            .map(|n| {
                rendered
                    .citation_anchors
                    .get(&n)
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let given = summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let summary_given = given.is_some();
        let summary = match given {
            Some(written) => inline_text(written),
            None => {
                let derived = excerpt(&rendered.first_paragraph, DERIVED_SUMMARY_WORDS);
                Inline {
                    html: inline::escape_html(&derived),
                    plain: derived,
                }
            }
        };
        let title = inline_text(title);
        Brief {
            path: self.path.to_path_buf(),
            slug,
            slug_at,
            title: title.plain,
            title_html: title.html,
            date,
            updated,
            summary: summary.plain,
            summary_html: summary.html,
            summary_given,
            author_keys: authors.iter().map(|a| lookup_key(a)).collect(),
            authors,
            countries,
            actors,
            sources,
            source_backlinks,
            disclaimer,
            draft,
            body_html: rendered.html,
            word_count: rendered.word_count,
            extra,
            links,
            warnings,
        }
    }

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
    fn missing(&mut self, field: &str, example: &str) {
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
    fn comment_in_title(&mut self, title: &Spanned<String>) {
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
    fn keep(
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

    fn required_text(
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

    fn date(&mut self, value: &Spanned<String>, field: &str) -> Option<BriefDate> {
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

    fn slug(&mut self, slug: Option<Spanned<String>>) -> Option<String> {
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

    fn names(&mut self, values: Vec<Spanned<String>>, what: &str) -> Vec<String> {
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

    fn countries(&mut self, values: Vec<Spanned<String>>) -> Vec<String> {
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

    fn actors(&mut self, values: Vec<Spanned<String>>) -> Vec<ActorMention> {
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
    fn curly_quoted(&mut self, v: &Spanned<String>) -> bool {
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

    fn disclaimer(&mut self, value: Option<Spanned<String>>) -> Option<String> {
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

/// The first `words` words of `text`, with an ellipsis when cut.
/// A title or summary as written -> its HTML and plain forms; most titles
/// have nothing to parse.
fn inline_text(text: String) -> Inline {
    if inline::is_plain(&text) {
        Inline {
            html: text.clone(),
            plain: text,
        }
    } else {
        inline::inline(&text)
    }
}

fn excerpt(text: &str, words: usize) -> String {
    let mut parts = text.split_whitespace();
    let head: Vec<&str> = parts.by_ref().take(words).collect();
    let mut out = head.join(" ");
    if parts.next().is_some() {
        out.push('…');
    }
    out
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

/// The hint for a citation that names no source: the nearest id, or the
/// brief's ids.
fn citation_hint(id: &str, known: Vec<&str>) -> String {
    match did_you_mean(id, known.iter().copied()) {
        Some(g) => format!("did you mean `[@{g}]`?"),
        None if known.is_empty() => {
            "this brief has no source with an `id:`; add `id: ...` to the source you mean".into()
        }
        None => {
            let mut k = known;
            k.sort_unstable();
            format!("this brief's source ids are: {}", k.join(", "))
        }
    }
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
