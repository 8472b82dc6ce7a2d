//! Site configuration: `site.yaml` deserialized strictly, then resolved into
//! a `Config` with defaults and checked values.
//!
//! Owns the defaults and the checks of each setting, and reports every bad
//! one at once. It reads no file (the caller passes the text) and knows
//! nothing of briefs beyond the disclaimer keys they may name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::frontmatter::{Split, file_position, parse};
use crate::content::html::HtmlPolicy;
use crate::content::validate::{brief_keys, time_zone};
use crate::diagnostic::Diagnostic;

mod languages;
mod paging;

/// Full cards on the first page of a term or year listing when
/// `page_size:` is absent: Hugo's `pagerSize` and WordPress's "blog pages
/// show at most" default to 10 too, and the later pages are the compact
/// archive, so everything stays a few clicks away. 30 made the first pages
/// of actors, pairs and countries a fifth of a 10,000-brief site.
const DEFAULT_PAGE_SIZE: usize = 10;

/// Entries per Atom feed when `feed_entries:` is absent: WordPress's
/// default too. A reader polls a feed; it is not the archive, and 3,000
/// term feeds of 20 entries weighed 48 MB at 10,000 briefs.
const DEFAULT_FEED_ENTRIES: usize = 10;

pub(crate) use languages::SiteLanguage;

/// A non-ISO place declared in `site.yaml` (e.g. "Kurdistan Region").
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PlaceConfig {
    /// Display name.
    pub name: String,
    /// Short code used as its key; defaults to the upper-cased slug of the name.
    #[serde(default)]
    pub code: Option<String>,
    /// Other names briefs may use.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Region shown on its page.
    #[serde(default)]
    pub region: Option<String>,
}

/// `site.yaml` as written. Its field names are also the known keys of
/// "did you mean" hints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    #[serde(default)]
    tagline: String,
    #[serde(default)]
    description: String,
    base_url: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    #[serde(default)]
    languages: Vec<languages::RawLanguage>,
    default_language_in_path: Option<bool>,
    theme: Option<String>,
    home_briefs: Option<usize>,
    page_size: Option<usize>,
    archive_per_page: Option<Spanned<usize>>,
    feed_entries: Option<usize>,
    feeds: Option<Spanned<String>>,
    feed_content: Option<Spanned<String>>,
    search: Option<bool>,
    search_shard_briefs: Option<usize>,
    pdf: Option<Spanned<bool>>,
    related_briefs: Option<usize>,
    pair_min_briefs: Option<usize>,
    citation_style: Option<Spanned<String>>,
    default_disclaimer: Option<Spanned<String>>,
    #[serde(default)]
    disclaimers: BTreeMap<String, String>,
    #[serde(default)]
    places: Vec<PlaceConfig>,
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    keep_keys: Vec<Spanned<String>>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
    // Raw HTML in brief bodies (content::html).
    raw_html: Option<Spanned<String>>,
    embed_hosts: Option<Vec<String>>,
}

/// Which listings get an Atom feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    /// The site and every country, actor and author.
    All,
    /// Only the site feed.
    Site,
    /// No feeds.
    None,
}

/// What the entries of per-country, per-actor, per-author and per-year
/// feeds carry; the site feed (`/feed.xml`) always carries full bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedContent {
    /// Title, summary and link: a reader subscribed to many actors does not
    /// download every body many times (3,000 actor feeds of a 10k archive
    /// carried 189 MB of bodies).
    Summary,
    /// The whole body, as in the site feed.
    Full,
}

/// The resolved site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description under the title.
    pub tagline: String,
    /// Longer description for meta tags.
    pub description: String,
    /// Absolute base URL, ending in `/`.
    pub base_url: String,
    /// Path part of `base_url`, starting and ending in `/`.
    pub base_path: String,
    /// Language tag for `<html lang>`: the default language's code.
    pub language: String,
    /// Every language of the site, the default (`language:`) first, then
    /// `languages:` in their order. One entry on a single-language site.
    pub languages: Vec<SiteLanguage>,
    /// Put the default language's pages under `/<code>/` too
    /// (`default_language_in_path:`), with a root page that links to it.
    pub default_language_in_path: bool,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Briefs per page of the home page (and `/page/N/`).
    pub home_briefs: usize,
    /// Briefs (full cards) on the first page of country, actor, author,
    /// pair, source, topic and year pages.
    pub page_size: usize,
    /// Briefs per later page (2, 3, ...) of every listing: compact rows.
    pub archive_per_page: usize,
    /// Entries per Atom feed.
    pub feed_entries: usize,
    /// Which listings get a feed.
    pub feeds: FeedScope,
    /// What per-term feed entries carry (`feed_content:`).
    pub feed_content: FeedContent,
    /// Build the client-side search index (Pagefind) and the search page.
    pub search: bool,
    /// Briefs per search index shard (`search_shard_briefs:`).
    pub search_shard_briefs: usize,
    /// Make the PDF edition of every brief (`pdf:`; off by default).
    pub pdf: bool,
    /// Number of related briefs on a brief page.
    pub related_briefs: usize,
    /// Briefs two countries must share for their pair to get a page.
    pub pair_min_briefs: usize,
    /// The CSL style of the formatted citation and sources list (a name of
    /// hayagriva's style archive, e.g. `chicago-author-date`, `apa`).
    pub citation_style: String,
    /// Key of the disclaimer used when a brief names none.
    pub default_disclaimer: Option<String>,
    /// Disclaimer texts (Markdown) by key.
    pub disclaimers: BTreeMap<String, String>,
    /// Non-ISO places.
    pub places: Vec<PlaceConfig>,
    /// The zone of front matter date-times written without one (UTC by default).
    pub timezone: jiff::tz::TimeZone,
    /// Extra top-level front matter keys accepted in every brief and moved
    /// into its `extra` (for archives migrated from other generators).
    pub keep_keys: Vec<String>,
    /// Free data for themes.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// What happens to raw HTML in brief bodies (`raw_html:`, `embed_hosts:`).
    pub raw_html: HtmlPolicy,
}

impl Config {
    /// Parses `site.yaml` text. `path` is only used in diagnostics.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let split = Split {
            yaml: text,
            yaml_line_offset: 0,
            body: "",
            body_offset: text.len(),
        };
        let raw: RawConfig = parse(path, &split)?;
        Config::from_raw(path, raw)
    }

    fn from_raw(path: &Path, raw: RawConfig) -> Result<Config, Vec<Diagnostic>> {
        let RawConfig {
            title,
            tagline,
            description,
            base_url,
            language,
            languages,
            default_language_in_path,
            theme,
            home_briefs,
            page_size,
            archive_per_page,
            feed_entries,
            feeds,
            feed_content,
            search,
            search_shard_briefs,
            pdf,
            related_briefs,
            pair_min_briefs,
            citation_style,
            default_disclaimer,
            disclaimers,
            places,
            timezone,
            keep_keys,
            extra,
            raw_html,
            embed_hosts,
        } = raw;
        let mut errors = Vec::new();
        let title = title.unwrap_or_else(|| {
            errors.push(
                Diagnostic::file_error(path, "missing required field `title`")
                    .with_hint("add `title: \"Your site name\"` to site.yaml"),
            );
            String::new()
        });
        let (base_url, base_path) = resolve_base_url(path, base_url.as_ref(), &mut errors);
        let archive_per_page = paging::archive_per_page(path, archive_per_page, &mut errors);
        let feeds = feed_scope(path, feeds.as_ref(), &mut errors);
        let feed_content = feed_content_choice(path, feed_content.as_ref(), &mut errors);
        let default_disclaimer =
            resolve_default_disclaimer(path, default_disclaimer, &disclaimers, &mut errors);
        let timezone = resolve_timezone(path, timezone.as_ref(), &mut errors);
        let keep_keys = resolve_keep_keys(path, keep_keys, &mut errors);
        let raw_html = HtmlPolicy::from_raw(path, raw_html, embed_hosts, &mut errors);
        if search_shard_briefs == Some(0) {
            errors.push(
                Diagnostic::file_error(path, "`search_shard_briefs` must be at least 1")
                    .with_hint("leave it out for the default, 500 briefs per shard"),
            );
        }
        let citation_style = resolve_citation_style(path, citation_style.as_ref(), &mut errors);
        let pdf = pdf_choice(path, pdf.as_ref(), &mut errors);
        let language = site_language(path, language.as_ref(), &mut errors);
        let site = languages::SiteDefaults {
            code: &language,
            title: &title,
            tagline: &tagline,
            description: &description,
            disclaimers: &disclaimers,
            default_in_path: default_language_in_path.unwrap_or(false),
        };
        let languages = languages::resolve(path, &site, languages, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            title,
            tagline,
            description,
            base_url,
            base_path,
            language,
            languages,
            default_language_in_path: default_language_in_path.unwrap_or(false),
            theme: theme.unwrap_or_else(|| "default".into()),
            home_briefs: home_briefs.unwrap_or(20),
            page_size: page_size.unwrap_or(DEFAULT_PAGE_SIZE),
            archive_per_page,
            feed_entries: feed_entries.unwrap_or(DEFAULT_FEED_ENTRIES),
            feeds,
            feed_content,
            search: search.unwrap_or(true),
            search_shard_briefs: search_shard_briefs.unwrap_or(crate::publish::search::SHARD_PAGES),
            pdf,
            related_briefs: related_briefs.unwrap_or(4),
            pair_min_briefs: pair_min_briefs.unwrap_or(3).max(1),
            citation_style,
            default_disclaimer,
            disclaimers,
            places,
            timezone,
            keep_keys,
            extra,
            raw_html,
        })
    }

    /// Replaces the base URL (from `--base-url` or the preview server).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = normalize_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

/// `base_url:` as (`base_url`, `base_path`); `/` when absent or bad (and
/// reported).
fn resolve_base_url(
    path: &Path,
    base_url: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> (String, String) {
    match base_url {
        None => ("/".to_string(), "/".to_string()),
        Some(spanned) => match normalize_base_url(&spanned.value) {
            Ok(pair) => pair,
            Err(message) => {
                let (line, column) = file_position(0, &spanned.referenced);
                errors.push(
                    Diagnostic::error(path, line, column, message)
                        .with_hint("use an absolute URL such as `https://example.org/briefs/`, or `/` for local use"),
                );
                ("/".to_string(), "/".to_string())
            }
        },
    }
}

/// `language:` as a canonical BCP 47 tag; `en` when absent or bad (and
/// reported): every page without a brief of its own carries it.
fn site_language(
    path: &Path,
    language: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let Some(spanned) = language else {
        return "en".into();
    };
    crate::content::lang::normalize(&spanned.value).unwrap_or_else(|bad| {
        let (line, column) = file_position(0, &spanned.referenced);
        errors.push(Diagnostic::error(path, line, column, bad.message).with_hint(bad.hint));
        "en".into()
    })
}

/// `feeds:` as a [`FeedScope`]; `all` when absent or bad (and reported).
fn feed_scope(
    path: &Path,
    feeds: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> FeedScope {
    let choices = [
        ("all", FeedScope::All),
        ("site", FeedScope::Site),
        ("none", FeedScope::None),
    ];
    let hint = "use `all` (site, countries, actors, authors), `site` (only /feed.xml) or `none`";
    one_of(path, "feeds", feeds, &choices, hint, errors)
}

/// `pdf:`, off when absent: a cold build of a large archive would spend
/// most of its time typesetting (see the README's PDF edition). A binary
/// built without the `pdf` feature reports `pdf: true`.
fn pdf_choice(path: &Path, pdf: Option<&Spanned<bool>>, errors: &mut Vec<Diagnostic>) -> bool {
    let Some(pdf) = pdf else {
        return false;
    };
    if pdf.value && !cfg!(feature = "pdf") {
        let (line, column) = file_position(0, &pdf.referenced);
        errors.push(
            Diagnostic::error(path, line, column, "this briefly was built without PDF support")
                .with_hint("set `pdf: false`, or install briefly with its default features (`cargo install` without `--no-default-features`)"),
        );
    }
    pdf.value
}

/// `feed_content:` as a [`FeedContent`]; `summary` when absent or bad (and reported).
fn feed_content_choice(
    path: &Path,
    choice: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> FeedContent {
    let choices = [
        ("summary", FeedContent::Summary),
        ("full", FeedContent::Full),
    ];
    let hint = "use `summary` (per-term feeds carry summaries; the default) or `full` (every feed carries whole bodies)";
    one_of(path, "feed_content", choice, &choices, hint, errors)
}

/// `citation_style:`, a style of hayagriva's archive; the default
/// `chicago-author-date` when absent or unknown (and reported).
fn resolve_citation_style(
    path: &Path,
    style: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let default = crate::publish::cite::csl::DEFAULT_STYLE.to_string();
    let Some(v) = style else {
        return default;
    };
    let name = v.value.trim();
    if crate::publish::cite::csl::is_known_style(name) {
        return name.to_string();
    }
    let (line, column) = file_position(0, &v.referenced);
    let names = crate::publish::cite::csl::style_names();
    errors.push(
        Diagnostic::error(path, line, column, format!("`{name}` is not a citation style briefly knows"))
            .with_hint(match crate::diagnostic::did_you_mean(name, names.iter().copied()) {
                Some(g) => format!("did you mean `{g}`? Common styles: chicago-author-date (the default), apa, harvard-cite-them-right, modern-language-association, ieee"),
                None => "common styles: chicago-author-date (the default), apa, harvard-cite-them-right, modern-language-association, ieee".to_string(),
            }),
    );
    default
}

/// The value of a key that takes one of a few words; the first choice when
/// the key is absent, or when its word is none of them (reported at its
/// position with `hint`).
fn one_of<T: Copy>(
    path: &Path,
    key: &str,
    value: Option<&Spanned<String>>,
    choices: &[(&str, T)],
    hint: &str,
    errors: &mut Vec<Diagnostic>,
) -> T {
    let default = choices[0].1;
    let Some(v) = value else {
        return default;
    };
    if let Some(&(_, chosen)) = choices.iter().find(|(word, _)| *word == v.value) {
        return chosen;
    }
    let (line, column) = file_position(0, &v.referenced);
    let message = format!("`{key}: {}` is not a choice", v.value);
    errors.push(Diagnostic::error(path, line, column, message).with_hint(hint));
    default
}

/// `default_disclaimer:`, which must be a key of `disclaimers:`; `None`
/// when absent or unknown (and reported).
fn resolve_default_disclaimer(
    path: &Path,
    key: Option<Spanned<String>>,
    disclaimers: &BTreeMap<String, String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    match key {
        Some(key) if !disclaimers.contains_key(&key.value) => {
            let (line, column) = file_position(0, &key.referenced);
            errors.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!(
                        "default_disclaimer `{}` is not a key of `disclaimers`",
                        key.value
                    ),
                )
                .with_optional_hint(disclaimer_hint(&key.value, disclaimers)),
            );
            None
        }
        Some(key) => Some(key.value),
        None => None,
    }
}

/// `timezone:` as a zone of the system's database; UTC when absent or
/// unknown (and reported).
fn resolve_timezone(
    path: &Path,
    name: Option<&Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> jiff::tz::TimeZone {
    let Some(name) = name else {
        return jiff::tz::TimeZone::UTC;
    };
    if let Some(zone) = time_zone(name.value.trim()) {
        return zone;
    }
    let (line, column) = file_position(0, &name.referenced);
    errors.push(
        Diagnostic::error(
            path,
            line,
            column,
            format!("unknown time zone `{}`", name.value),
        )
        .with_hint(
            "use an IANA time zone name such as `America/New_York`, `Europe/Paris` or `UTC`",
        ),
    );
    jiff::tz::TimeZone::UTC
}

/// `keep_keys:`, which may not name a brief's own fields (they already
/// have a meaning) or `extra` (where kept keys go).
fn resolve_keep_keys(
    path: &Path,
    keys: Vec<Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let name = key.value.trim();
        if brief_keys().contains(&name) || name.is_empty() {
            let (line, column) = file_position(0, &key.referenced);
            errors.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!("`{name}` cannot be a kept key: it is a brief field"),
                )
                .with_hint("list only keys that briefly does not know, such as `weight` or `deck`"),
            );
        } else if !out.iter().any(|k| k == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// A hint naming the known disclaimer keys.
pub(crate) fn disclaimer_hint(key: &str, disclaimers: &BTreeMap<String, String>) -> Option<String> {
    if disclaimers.is_empty() {
        return Some("site.yaml has no `disclaimers:`; add one or remove the key".into());
    }
    Some(
        match crate::diagnostic::did_you_mean(key, disclaimers.keys().map(String::as_str)) {
            Some(guess) => format!("did you mean `{guess}`?"),
            None => format!(
                "known disclaimers: {}",
                disclaimers.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        },
    )
}

/// Returns (`base_url` ending in `/`, its path starting and ending in `/`).
/// Accepts `http(s)://host[/path]` or a bare path such as `/` or `/briefs/`.
fn normalize_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let with_slash = if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    };
    if with_slash.starts_with('/') {
        return Ok((with_slash.clone(), with_slash));
    }
    let rest = with_slash
        .strip_prefix("https://")
        .or_else(|| with_slash.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with http://, https:// or /"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || path.contains(['?', '#']) {
        return Err(format!("base_url `{url}` is not a valid site URL"));
    }
    Ok((with_slash.clone(), path.to_string()))
}

#[cfg(test)]
mod tests;
