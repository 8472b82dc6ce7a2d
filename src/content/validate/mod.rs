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
use crate::content::model::Brief;
use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;

mod actors;
mod brief;
mod dates;
mod fields;
mod one_or_many;
mod profiles;
mod raw_source;
mod sources;

pub(crate) use actors::{ActorRegistry, actor_registry};
pub(crate) use brief::brief_keys;
pub use dates::parse_date;
pub(crate) use dates::time_zone;
pub(crate) use fields::field_names;
pub(crate) use profiles::country_profiles;

use brief::{BriefBuilder, RawBrief};

/// What validating a brief needs to know about the rest of the site.
pub struct Context<'a> {
    /// Site configuration (disclaimers).
    pub config: &'a Config,
    /// Countries and places.
    pub gazetteer: &'a Gazetteer,
    /// Registered actors and their aliases.
    pub actors: &'a ActorRegistry,
}

/// Validates every brief in parallel, then checks what needs the whole set
/// (unique slugs). Briefs come back sorted by path.
pub(crate) fn briefs(
    root: &Path,
    files: &[PathBuf],
    ctx: &Context<'_>,
) -> (Vec<Brief>, Vec<Diagnostic>) {
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
    let path = file.path.as_path();
    let split = frontmatter::split(path, &file.text).map_err(|d| vec![d])?;
    let keys = frontmatter::Keys {
        keep: &ctx.config.keep_keys,
        expects: brief::expects,
    };
    let parsed = frontmatter::parse_lenient::<RawBrief>(path, &split, keys).map_err(|d| vec![d])?;
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
