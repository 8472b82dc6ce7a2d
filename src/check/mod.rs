//! `check`: build the site in memory and report what a reader would trip
//! over, without writing anything but the `--external` cache.
//!
//! Errors: everything `build` rejects, and internal links (in briefs or
//! templates) that point to no page or no anchor. Warnings: sources without
//! a URL, briefs without countries, actor spellings that look like one actor,
//! author records no brief names, interface strings a language of the site
//! lacks (`i18n/<lang>.yaml`).
//! With `external`, links to other sites are fetched (cached between runs).
//!
//! This module runs the checks and holds the content rules; [`links`] checks
//! internal links, [`external`] fetches the others and [`cache`] keeps their
//! answers. `check` never writes under the output folder; the cache is its
//! only write.

mod actors;
mod authors;
mod body;
mod cache;
mod external;
mod html;
mod links;
mod publishers;

use crate::diagnostic::{self, Diagnostic};
use crate::{BuildOptions, Loaded, index};
use links::Links;

/// Runs every check; the result holds errors and warnings, sorted.
pub fn run(options: &BuildOptions, external: bool) -> Vec<Diagnostic> {
    let loaded = match crate::load(options) {
        Ok(l) => l,
        Err(errors) => return errors,
    };
    let files = match crate::render_in_memory(&loaded) {
        Ok((files, _)) => files,
        Err(errors) => return errors,
    };
    let index = index::build(&loaded.briefs, &loaded.actors, loaded.config.related_briefs);
    let mut found = content_warnings(&loaded, &index);
    let links = Links::new(&options.root, &loaded, &files);
    found.extend(links.internal_errors());
    if external {
        found.extend(external::errors(&options.root, &links.external));
    }
    diagnostic::sort(&mut found);
    found
}

/// Warnings about content that builds but is probably not what the author meant.
fn content_warnings(loaded: &Loaded, index: &index::Index) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for b in &loaded.briefs {
        if b.countries.is_empty() {
            found.push(
                Diagnostic::file_error(
                    &b.path,
                    "the brief names no country, so no country page lists it",
                )
                .with_hint("add `countries: [...]` to the front matter")
                .warning(),
            );
        }
        for s in &b.sources {
            if s.url.is_none() {
                found.push(
                    Diagnostic::error(&b.path, s.at.0, s.at.1, format!("source `{}` has no URL", s.title))
                        .with_hint("add `url:` so readers can check it (the published page, an archive copy, a DOI link)")
                        .warning(),
                );
            }
        }
    }
    found.extend(actors::similar_actors(loaded, index));
    found.extend(authors::unused_records(loaded, index));
    found.extend(authors::near_record_names(loaded, index));
    found.extend(publishers::similar_publishers(loaded, index));
    found.extend(missing_interface_strings(loaded));
    found
}

/// Interface strings the languages of the site lack (its `language`, its
/// `languages:` and those of its briefs): each falls back to the default
/// language, then English, so a reader would see another language there.
fn missing_interface_strings(loaded: &Loaded) -> Vec<Diagnostic> {
    let config = &loaded.config;
    let mut tags: Vec<&str> = std::iter::once(config.language.as_str())
        .chain(config.languages.iter().map(|l| l.code.as_str()))
        .chain(loaded.briefs.iter().map(|b| b.lang.as_str()))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    loaded.i18n.missing_keys(&tags)
}
