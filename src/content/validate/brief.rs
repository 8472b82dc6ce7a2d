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
use super::fields::field_names;
use super::links::BodyRewrite;
use super::one_or_many::OneOrMany;
use super::raw_source::RawSource;
use crate::content::countries::lookup_key;
use crate::content::frontmatter::Split;
use crate::content::inline::{self, Inline};
use crate::content::markdown::{self, Rendered};
use crate::content::model::{ActorMention, Alias, Brief, BriefDate, BriefLink, Source};
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
    #[serde(default)]
    topics: OneOrMany,
    #[serde(default)]
    aliases: OneOrMany,
    /// Lenient: one bad source is reported on its own line without hiding
    /// the other mistakes in the file.
    #[serde(default)]
    sources: Vec<Spanned<RawSource>>,
    disclaimer: Option<Spanned<String>>,
    lang: Option<Spanned<String>>,
    translation_of: Option<Spanned<String>>,
    translation_key: Option<Spanned<String>>,
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
        "translation_of" => "the slug of the brief this one translates",
        "translation_key" => "a key shared by the translations of one brief",
        "lang" => "a language code such as `ar`, `fa` or `fr-CA`",
        "date" | "updated" => "a date such as 2019-05-20",
        "draft" => "`true` or `false`",
        "authors" | "countries" | "actors" | "topics" => "a list of names (or one name)",
        "aliases" => "a list of old URL paths (or one)",
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
    topics: Vec<String>,
    aliases: Vec<Alias>,
    sources: Vec<Source>,
    disclaimer: Option<String>,
    lang: String,
    translation_of: Option<(String, (usize, usize))>,
    translation_key: Option<(String, (usize, usize))>,
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
        let lacks_required =
            checked.title.is_none() || checked.date.is_none() || checked.slug.is_none();
        if lacks_required && self.errors.is_empty() {
            // Each check that leaves a required field empty says why; this
            // keeps `assemble`'s invariant even if a future check does not.
            self.errors.push(Diagnostic::file_error(
                self.path,
                "the brief lacks a title, a date or a usable slug",
            ));
        }
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
            topics,
            aliases,
            sources,
            disclaimer,
            lang,
            translation_of,
            translation_key,
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
            topics: self.names(topics.0, "topic"),
            aliases: self.aliases(aliases.0),
            sources: self.sources(sources),
            disclaimer: self.disclaimer(disclaimer),
            lang: self.lang(lang),
            translation_of: translation_of.map(|v| (v.value.trim().to_string(), self.at(&v))),
            translation_key: translation_key.map(|v| (v.value.trim().to_string(), self.at(&v))),
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
            topics,
            aliases,
            sources,
            disclaimer,
            lang,
            translation_of,
            translation_key,
            draft,
            extra,
        } = checked;
        let (Some(title), Some(date), Some(slug)) = (title, date, slug) else {
            unreachable!("`build` returns the errors of a brief without a required field");
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
        let scheduled = is_scheduled(&date, self.ctx.now);
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
            topic_keys: topics.iter().map(|t| lookup_key(t)).collect(),
            topics,
            aliases,
            sources,
            source_backlinks,
            disclaimer,
            lang,
            translation_of,
            translation_key,
            draft,
            scheduled,
            body_html: crate::content::model::BodyHtml::new(rendered.html),
            word_count: rendered.word_count,
            extra,
            links,
            warnings,
        }
    }
}

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

/// A brief dated after the build's clock is scheduled: the one part of a
/// validated brief that depends on when the build runs.
pub(super) fn is_scheduled(date: &crate::content::model::BriefDate, now: i64) -> bool {
    date.sort_key > now
}
