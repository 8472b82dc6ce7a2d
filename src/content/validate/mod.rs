//! Validate: raw front matter and Markdown -> `Brief`, `ActorEntry`,
//! `CountryProfile`, collecting every diagnostic instead of stopping at one.
//!
//! This module runs the checks over every brief and owns what needs the
//! whole set (unique slugs). Each kind of file has its own module: `brief`
//! (with `sources` and `raw_source`), `actors`, `profiles`; `dates` parses
//! dates and `fields` lists a raw struct's keys. Reading files is
//! `content::source`'s job, not this one's: only [`briefs`] asks it to.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::config::Config;
use crate::content::countries::Gazetteer;
use crate::content::frontmatter;
use crate::content::model::{Brief, BriefLink};
use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;

mod actors;
mod aliases;
mod authors;
mod brief;
mod brief_fields;
mod dates;
mod fields;
mod links;
mod one_or_many;
mod profiles;
mod publishers;
mod raw_source;
mod sources;
mod translations;

pub(crate) use actors::{ActorRegistry, actor_registry};
pub(crate) use authors::author_records;
pub(crate) use brief::brief_keys;
pub use dates::parse_date;
pub(crate) use dates::time_zone;
pub(crate) use fields::field_names;
pub(crate) use links::{SiteFiles, resolve as resolve_links, slugs};
pub(crate) use profiles::country_profiles;
pub(crate) use publishers::{PublisherRegistry, publisher_registry};
pub(crate) use translations::groups as translation_groups;
pub(crate) use translations::groups_unchecked as translation_groups_unchecked;

use brief::{BriefBuilder, RawBrief};

/// What validating a brief needs to know about the rest of the site.
pub struct Context<'a> {
    /// Site configuration (disclaimers).
    pub config: &'a Config,
    /// Countries and places.
    pub gazetteer: &'a Gazetteer,
    /// Registered actors and their aliases.
    pub actors: &'a ActorRegistry,
    /// Registered source publishers and their aliases.
    pub(crate) publishers: &'a PublisherRegistry,
    /// Static files and the site folder, for images in bodies.
    pub(crate) files: &'a SiteFiles,
    /// The raw HTML policy.
    pub(crate) sanitizer: &'a crate::content::html::Sanitizer,
    /// The build's clock (seconds since the epoch): a brief dated after it is scheduled.
    pub(crate) now: i64,
}

/// Every brief validated in parallel (sorted by path), the diagnostics,
/// and the brief links of the briefs that failed (checked by
/// [`resolve_all_links`] so that all errors show in one run).
pub(crate) type Validated = (Vec<Brief>, Vec<Diagnostic>, Vec<(PathBuf, Vec<BriefLink>)>);

/// Validates every brief in parallel, then checks what needs the whole set
/// (unique slugs). Briefs come back sorted by path.
///
/// `restored` holds briefs the build cache kept from an earlier build of
/// the same file text in the same context: they are taken as they are
/// (only the clock is applied again), not read or parsed.
pub(crate) fn briefs(
    root: &Path,
    files: &[PathBuf],
    ctx: &Context<'_>,
    restored: &mut crate::cache::briefs::Restored,
) -> Validated {
    let known: Vec<Option<Brief>> = (files.iter())
        .map(|rel| restored.remove(rel.as_os_str()))
        .collect();
    let results: Vec<(PathBuf, Result<Brief, Failed>)> = files
        .par_iter()
        .zip(known)
        .map(|(rel, known)| {
            if let Some(mut brief) = known {
                brief.scheduled = brief::is_scheduled(&brief.date, ctx.now);
                return (rel.clone(), Ok(brief));
            }
            // Each text is dropped as soon as its brief is built.
            let result = match crate::content::source::read_text(root, rel) {
                Ok(file) => brief_and_links(&file, ctx),
                Err(d) => Err((vec![d], Vec::new())),
            };
            (rel.clone(), result)
        })
        .collect();
    let mut briefs = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut failed_links = Vec::new();
    for (rel, r) in results {
        match r {
            Ok(b) => briefs.push(b),
            Err((e, links)) => {
                errors.extend(e);
                if !links.is_empty() {
                    failed_links.push((rel, links));
                }
            }
        }
    }
    errors.extend(duplicate_slugs(&briefs));
    (briefs, errors, failed_links)
}

/// Resolves the brief links of every brief (after drafts are left out:
/// a link to an unpublished brief is broken on the published site), and
/// reports the links of failed briefs that point to no brief.
pub(crate) fn resolve_all_links(
    briefs: &mut [Brief],
    failed: Vec<(PathBuf, Vec<BriefLink>)>,
    base_path: &str,
) -> Vec<Diagnostic> {
    // Most archives have no links between briefs: then no map of every
    // brief's slug is made (50,000 paths and slugs copied at 50,000 briefs).
    if failed.is_empty() && briefs.iter().all(|b| b.links.is_empty()) {
        return Vec::new();
    }
    let slugs = links::slugs(briefs);
    let mut errors: Vec<Diagnostic> = briefs
        .par_iter_mut()
        .filter_map(|b| links::resolve(b, &slugs, base_path).err())
        .flatten()
        .collect();
    for (path, links) in failed {
        errors.extend(links::missing_targets(&path, &links, &slugs));
    }
    errors
}

/// Two briefs with one slug would write one page over the other.
pub(crate) fn duplicate_slugs(briefs: &[Brief]) -> Vec<Diagnostic> {
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
    brief_and_links(file, ctx).map_err(|(errors, _)| errors)
}

/// A brief that failed: its diagnostics and its body's brief links.
type Failed = (Vec<Diagnostic>, Vec<BriefLink>);

fn brief_and_links(file: &TextFile, ctx: &Context<'_>) -> Result<Brief, Failed> {
    let path = file.path.as_path();
    let split = frontmatter::split(path, &file.text).map_err(|d| (vec![d], Vec::new()))?;
    let keys = frontmatter::Keys {
        keep: &ctx.config.keep_keys,
        expects: brief::expects,
    };
    let parsed = frontmatter::parse_lenient::<RawBrief>(path, &split, keys)
        .map_err(|d| (vec![d], Vec::new()))?;
    BriefBuilder {
        path,
        split: &split,
        file_text: &file.text,
        ctx,
        // Unknown keys are reported with the file's other mistakes.
        errors: parsed.unknown,
    }
    .build(parsed.value, parsed.kept)
}
