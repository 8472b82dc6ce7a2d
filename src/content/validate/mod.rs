//! Validate: raw front matter and Markdown -> `Brief`, `ActorEntry`,
//! `CountryProfile`, collecting every diagnostic instead of stopping at one.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::config::{Config, disclaimer_hint};
use crate::content::countries::{Gazetteer, lookup_key};
use crate::content::frontmatter::{self, Split, span_position};
use crate::content::markdown;
use crate::content::model::{ActorEntry, ActorMention, Brief, BriefDate, CountryProfile, Source};
use crate::content::source::TextFile;
use crate::diagnostic::{Diagnostic, did_you_mean, line_col};

mod raw_source;
use raw_source::{RawSource, SOURCE_KEYS, SourceProblem};

/// Front matter keys of a brief, for "did you mean" hints.
pub const BRIEF_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "authors",
    "countries",
    "actors",
    "sources",
    "disclaimer",
    "draft",
    "slug",
    "extra",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrief {
    title: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    summary: Option<String>,
    #[serde(default)]
    authors: Vec<Spanned<String>>,
    #[serde(default)]
    countries: Vec<Spanned<String>>,
    #[serde(default)]
    actors: Vec<Spanned<String>>,
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

/// What validating a brief needs to know about the rest of the site.
pub struct Context<'a> {
    /// Site configuration (disclaimers).
    pub config: &'a Config,
    /// Countries and places.
    pub gazetteer: &'a Gazetteer,
    /// Registered actors and their aliases.
    pub actors: &'a ActorRegistry,
}

/// Registered actors, looked up by name or alias.
#[derive(Debug, Default, Clone)]
pub struct ActorRegistry {
    /// Entries by key.
    pub entries: BTreeMap<String, ActorEntry>,
    lookup: HashMap<String, String>,
}

impl ActorRegistry {
    /// The canonical key for an actor name as written in a brief.
    pub fn key_for(&self, written: &str) -> String {
        let normalized = lookup_key(written);
        self.lookup.get(&normalized).cloned().unwrap_or(normalized)
    }
}

/// Validates every brief in parallel, then checks what needs the whole set
/// (unique slugs). Briefs come back sorted by path.
pub fn briefs(root: &Path, files: &[PathBuf], ctx: &Context<'_>) -> (Vec<Brief>, Vec<Diagnostic>) {
    let results: Vec<Result<Brief, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|rel| {
            // Each text is dropped as soon as its brief is built.
            let file = crate::content::source::read_text(root, rel).map_err(|d| vec![d])?;
            brief(&file, ctx)
        })
        .collect();
    let mut briefs = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(b) => briefs.push(b),
            Err(e) => errors.extend(e),
        }
    }
    errors.extend(duplicate_slugs(&briefs));
    (briefs, errors)
}

/// Two briefs with one slug would write one page over the other.
pub fn duplicate_slugs(briefs: &[Brief]) -> Vec<Diagnostic> {
    let mut first: rustc_hash::FxHashMap<&str, &Brief> = Default::default();
    let mut errors = Vec::new();
    for b in briefs {
        if let Some(other) = first.get(b.slug.as_str()) {
            let (line, column) = b.slug_at;
            errors.push(
                Diagnostic::error(
                    &b.path,
                    line,
                    column,
                    format!(
                        "two briefs have the slug `{}`: this one and `{}`",
                        b.slug,
                        other.path.display()
                    ),
                )
                .with_hint("set a different `slug:` in one of them, or rename one file"),
            );
        } else {
            first.insert(&b.slug, b);
        }
    }
    errors
}

/// Validates one brief file.
pub fn brief(file: &TextFile, ctx: &Context<'_>) -> Result<Brief, Vec<Diagnostic>> {
    let path = file.path.as_path();
    let split = frontmatter::split(path, &file.text).map_err(|d| vec![d])?;
    let raw: RawBrief = frontmatter::parse(path, &split, BRIEF_KEYS).map_err(|d| vec![d])?;
    BriefBuilder {
        path,
        split: &split,
        file_text: &file.text,
        ctx,
        errors: Vec::new(),
    }
    .build(raw)
}

struct BriefBuilder<'a> {
    path: &'a Path,
    split: &'a Split<'a>,
    file_text: &'a str,
    ctx: &'a Context<'a>,
    errors: Vec<Diagnostic>,
}

impl BriefBuilder<'_> {
    fn at<T>(&self, spanned: &Spanned<T>) -> (usize, usize) {
        span_position(self.split.yaml_line_offset, spanned)
    }

    fn error_at<T>(&mut self, spanned: &Spanned<T>, message: String, hint: Option<String>) {
        let (line, column) = self.at(spanned);
        self.errors
            .push(Diagnostic::error(self.path, line, column, message).with_optional_hint(hint));
    }

    fn build(mut self, raw: RawBrief) -> Result<Brief, Vec<Diagnostic>> {
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
        let slug = self.slug(slug);
        let authors = self.names(authors, "author");
        let countries = self.countries(countries);
        let actors = self.actors(actors);
        let sources = self.sources(sources);
        let disclaimer = self.disclaimer(disclaimer);

        let numbers: HashMap<&str, usize> = sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.id.as_deref().map(|id| (id, i + 1)))
            .collect();
        let rendered = markdown::render(self.split.body, &|id| numbers.get(id).copied());
        for (id, span) in &rendered.unknown_citations {
            let (line, column) = line_col(self.file_text, self.split.body_offset + span.start);
            let known: Vec<&str> = numbers.keys().copied().collect();
            let hint = match did_you_mean(id, known.iter().copied()) {
                Some(g) => format!("did you mean `[@{g}]`?"),
                None if known.is_empty() => {
                    "this brief has no source with an `id:`; add `id: ...` to the source you mean"
                        .into()
                }
                None => format!("this brief's source ids are: {}", {
                    let mut k = known.clone();
                    k.sort_unstable();
                    k.join(", ")
                }),
            };
            self.errors.push(
                Diagnostic::error(
                    self.path,
                    line,
                    column,
                    format!("citation `[@{id}]` names no source of this brief"),
                )
                .with_hint(hint),
            );
        }

        if !self.errors.is_empty() {
            return Err(self.errors);
        }
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
        let summary =
            given.unwrap_or_else(|| excerpt(&rendered.first_paragraph, DERIVED_SUMMARY_WORDS));
        Ok(Brief {
            path: self.path.to_path_buf(),
            slug,
            slug_at,
            title,
            date,
            updated,
            summary,
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
        })
    }

    fn missing(&mut self, field: &str, example: &str) {
        self.errors.push(
            Diagnostic::error(self.path, 1, 1, format!("missing required field `{field}`"))
                .with_hint(format!("add `{example}` to the front matter")),
        );
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
        match parse_date(&value.value) {
            Ok(d) => Some(d),
            Err(why) => {
                self.error_at(
                    value,
                    format!("`{field}` is not a valid date: `{}` ({why})", value.value),
                    Some("use YYYY-MM-DD (e.g. 2018-01-02) or RFC 3339 with a zone (e.g. 2018-01-02T09:30:00+01:00)".into()),
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
                let stem = self
                    .path
                    .file_stem()
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

    fn sources(&mut self, values: Vec<Spanned<RawSource>>) -> Vec<Source> {
        let mut out = Vec::with_capacity(values.len());
        let mut ids: Vec<String> = Vec::new();
        for v in values {
            if self.source_problem(&v) {
                continue;
            }
            let at = self.at(&v);
            let entry = v.value;
            let mut error = |message: String, hint: &str| {
                self.errors.push(
                    Diagnostic::error(self.path, at.0, at.1, message).with_hint(hint.to_string()),
                );
            };
            let title = entry
                .title
                .or_else(|| entry.publisher.clone())
                .unwrap_or_default();
            if title.trim().is_empty() {
                error(
                    "source has neither `title` nor `publisher`".into(),
                    "give the source a `title:`",
                );
            }
            if let Some(url) = entry.url.as_deref().filter(|u| !is_web_url(u)) {
                error(
                    format!("source URL `{url}` must start with http:// or https://"),
                    "link the published page; other schemes (javascript:, file:, data:) are refused",
                );
            }
            let date = entry.date.as_ref().and_then(|d| match parse_date(d) {
                Ok(d) => Some(d),
                Err(why) => {
                    error(
                        format!("source date `{d}` is not a valid date ({why})"),
                        "use YYYY-MM-DD",
                    );
                    None
                }
            });
            if let Some(id) = &entry.id {
                if ids.contains(id) {
                    error(
                        format!("two sources have the id `{id}`"),
                        "give each source its own id",
                    );
                }
                ids.push(id.clone());
            }
            out.push(Source {
                id: entry.id,
                title: title.trim().to_string(),
                publisher: entry.publisher,
                url: entry.url,
                date,
                kind: entry.kind,
                at,
            });
        }
        out
    }

    /// Reports what is wrong with a source entry, if anything (a source is a
    /// plain string or a map of the known keys).
    fn source_problem(&mut self, v: &Spanned<RawSource>) -> bool {
        let keys = SOURCE_KEYS.join(", ");
        let Some(problem) = &v.value.problem else {
            return false;
        };
        let (message, hint) = match problem {
            SourceProblem::UnknownKey(unknown) => (
                format!("unknown source field `{unknown}`"),
                match did_you_mean(unknown, SOURCE_KEYS.iter().copied()) {
                    Some(g) => format!("did you mean `{g}`? A source's keys are {keys}"),
                    None => format!("a source's keys are {keys}"),
                },
            ),
            SourceProblem::NotText(field) => (
                format!("invalid source: `{field}` must be text, not a list or a map"),
                "write each source field as text, e.g. `date: 2018-01-02`".into(),
            ),
            SourceProblem::NotAnEntry => (
                "invalid entry in `sources`".into(),
                format!("a source is either a string or a map with the keys {keys}"),
            ),
        };
        self.error_at(v, message, Some(hint));
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

/// A derived summary is cut to this many words: it feeds listings and meta
/// descriptions, which stay scannable at about two lines.
const DERIVED_SUMMARY_WORDS: usize = 32;

/// The first `words` words of `text`, with an ellipsis when cut.
fn excerpt(text: &str, words: usize) -> String {
    let mut parts = text.split_whitespace();
    let head: Vec<&str> = parts.by_ref().take(words).collect();
    let mut out = head.join(" ");
    if parts.next().is_some() {
        out.push('…');
    }
    out
}

/// An absolute http(s) URL with a host.
fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace)
    })
}

/// `/briefs/<year>/` is the archive of that year, so a brief cannot take it.
fn is_year(slug: &str) -> bool {
    slug.len() == 4 && slug.bytes().all(|b| b.is_ascii_digit())
}

/// A URL path segment that cannot escape its folder or need escaping.
pub fn is_plain_segment(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp with an offset.
pub fn parse_date(text: &str) -> Result<BriefDate, String> {
    let text = text.trim();
    if text.len() == 10
        && let Ok(date) = text.parse::<jiff::civil::Date>()
    {
        let sort_key = date
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .map_err(|e| e.to_string())?;
        return Ok(BriefDate {
            date,
            machine: text.to_string(),
            sort_key,
        });
    }
    let timestamp: jiff::Timestamp = text
        .parse()
        .map_err(|_| "expected YYYY-MM-DD or an RFC 3339 date-time with a zone".to_string())?;
    let civil: jiff::civil::DateTime = text.parse().map_err(|e: jiff::Error| e.to_string())?;
    Ok(BriefDate {
        date: civil.date(),
        machine: text.to_string(),
        sort_key: timestamp.as_second(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActor {
    name: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    kind: Option<String>,
    country: Option<Spanned<String>>,
}

const ACTOR_KEYS: &[&str] = &["name", "aliases", "kind", "country"];

/// Reads the actor registry; a name or alias claimed by two actors is an error.
pub fn actor_registry(
    files: &[TextFile],
    gazetteer: &Gazetteer,
) -> (ActorRegistry, Vec<Diagnostic>) {
    let mut registry = ActorRegistry::default();
    let mut errors = Vec::new();
    // Who claimed each lookup key, to name both files in a conflict.
    let mut claimed_by: HashMap<String, std::path::PathBuf> = HashMap::new();
    for file in files {
        let path = file.path.as_path();
        let split = match frontmatter::split(path, &file.text) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let raw: RawActor = match frontmatter::parse(path, &split, ACTOR_KEYS) {
            Ok(r) => r,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let key = slug::slugify(
            path.file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default(),
        );
        let Some(name) = raw.name else {
            errors.push(
                Diagnostic::error(path, 1, 1, "missing required field `name`")
                    .with_hint("add `name: \"Display Name\"` to the front matter"),
            );
            continue;
        };
        let country = raw
            .country
            .as_ref()
            .and_then(|c| match gazetteer.resolve(&c.value) {
                Some(p) => Some(p.code.clone()),
                None => {
                    let (line, column) = span_position(split.yaml_line_offset, c);
                    errors.push(
                        Diagnostic::error(
                            path,
                            line,
                            column,
                            format!("unknown country `{}`", c.value),
                        )
                        .with_optional_hint(
                            gazetteer
                                .suggest(&c.value)
                                .map(|g| format!("did you mean `{g}`?")),
                        ),
                    );
                    None
                }
            });
        let names = std::iter::once(&name).chain(raw.aliases.iter());
        let mut own_keys: Vec<String> = vec![key.clone()];
        for n in names {
            let k = lookup_key(&n.value);
            if k.is_empty() || own_keys.contains(&k) {
                continue;
            }
            own_keys.push(k.clone());
            if let Some(other) = claimed_by.get(&k) {
                let (line, column) = span_position(split.yaml_line_offset, n);
                errors.push(
                    Diagnostic::error(path, line, column, format!("`{}` also names the actor in `{}`", n.value, other.display()))
                        .with_hint("an alias may belong to one actor only; remove it from one of the two files"),
                );
            }
        }
        for k in own_keys {
            claimed_by
                .entry(k.clone())
                .or_insert_with(|| path.to_path_buf());
            registry.lookup.entry(k).or_insert_with(|| key.clone());
        }
        let body = split.body.trim();
        registry.entries.insert(
            key.clone(),
            ActorEntry {
                path: path.to_path_buf(),
                key,
                name: name.value.trim().to_string(),
                aliases: raw
                    .aliases
                    .into_iter()
                    .map(|a| a.value.trim().to_string())
                    .collect(),
                kind: raw
                    .kind
                    .map(|k| k.trim().to_string())
                    .filter(|k| !k.is_empty()),
                country,
                bio_html: (!body.is_empty()).then(|| markdown::render_plain(body).html),
            },
        );
    }
    (registry, errors)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    country: Option<Spanned<String>>,
}

/// Reads country profiles; the country comes from `country:` or the file name.
pub fn country_profiles(
    files: &[TextFile],
    gazetteer: &Gazetteer,
) -> (Vec<CountryProfile>, Vec<Diagnostic>) {
    let mut profiles: Vec<CountryProfile> = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let path = file.path.as_path();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let (named, line_col_of_name, body) =
            if file.text.trim_start_matches('\u{feff}').starts_with("---") {
                let split = match frontmatter::split(path, &file.text) {
                    Ok(s) => s,
                    Err(d) => {
                        errors.push(d);
                        continue;
                    }
                };
                let raw: RawProfile = match frontmatter::parse(path, &split, &["country"]) {
                    Ok(r) => r,
                    Err(d) => {
                        errors.push(d);
                        continue;
                    }
                };
                match raw.country {
                    Some(c) => (
                        c.value.clone(),
                        span_position(split.yaml_line_offset, &c),
                        split.body,
                    ),
                    None => (stem.clone(), (1, 1), split.body),
                }
            } else {
                (stem.clone(), (1, 1), file.text.as_str())
            };
        let Some(place) = gazetteer.resolve(&named) else {
            errors.push(
                Diagnostic::error(
                    path,
                    line_col_of_name.0,
                    line_col_of_name.1,
                    format!("country profile for unknown country `{named}`"),
                )
                .with_optional_hint(gazetteer.suggest(&named).map(|g| {
                    format!("did you mean `{g}`? Name the file after an ISO code or country name")
                })),
            );
            continue;
        };
        if let Some(other) = profiles.iter().find(|p| p.code == place.code) {
            errors.push(
                Diagnostic::file_error(
                    path,
                    format!(
                        "{} already has a profile in `{}`",
                        place.name,
                        other.path.display()
                    ),
                )
                .with_hint("keep one profile per country"),
            );
            continue;
        }
        profiles.push(CountryProfile {
            path: path.to_path_buf(),
            code: place.code.clone(),
            html: markdown::render_plain(body).html,
        });
    }
    (profiles, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_plain_and_rfc3339() {
        assert_eq!(
            parse_date("2018-01-02").unwrap().date.to_string(),
            "2018-01-02"
        );
        let d = parse_date("2018-01-02T23:30:00-05:00").unwrap();
        assert_eq!(d.date.to_string(), "2018-01-02");
        assert!(parse_date("2018-02-30").is_err());
        assert!(parse_date("2 Jan 2018").is_err());
        assert!(
            parse_date("2018-01-02T10:00:00").is_err(),
            "a time needs a zone"
        );
    }

    #[test]
    fn plain_segments() {
        assert!(is_plain_segment("rouhani-macron_2018.v2"));
        for bad in ["", "..", ".hidden", "a/b", "a b", "a?b", "%2e"] {
            assert!(!is_plain_segment(bad), "{bad}");
        }
    }
}
