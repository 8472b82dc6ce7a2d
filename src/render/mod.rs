//! Render: the validated site and its indexes -> pages in memory, through Tera.
//!
//! Split by job: `routes` (which pages exist, where they go, pagination),
//! `views` (the typed values templates see), `cards` (each brief's shared
//! card), `pages` (one context builder per template) and `templates` (Tera
//! setup and error mapping). This module holds the entry points that run
//! them in parallel, and re-exports what the rest of the crate uses, so
//! callers name `render::X` whatever file `X` lives in ([`Pagination`] is
//! exported for the preview session's page-by-page comparison). Templates reach Tera as strings; nothing here touches
//! the disk, and templates receive view structs (documented in the README's
//! theme reference), never internal types.

mod cards;
pub(crate) mod page_keys;
mod pages;
mod redirects;
mod routes;
pub(crate) mod search_only;
mod templates;
mod views;

pub(crate) mod invalidate;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Tera, Value};

use crate::content::config::Config;
use crate::content::countries::Gazetteer;
use crate::content::model::{Brief, CountryProfile};
use crate::content::source::TextFile;
use crate::content::validate::ActorRegistry;
use crate::diagnostic::Diagnostic;
use crate::index::{BriefId, Index};

pub use cards::cards;
pub(crate) use cards::{CardSource, LazyCards, card};
pub(crate) use redirects::alias_collisions;
pub use routes::{Listing, Page};
pub(crate) use routes::{
    Pagination, all_pages, feed_page, listing_briefs, listing_exists, listing_in, listing_pages,
    output_path, site_files,
};
pub(crate) use templates::templates;

use pages::Renderer;
use views::Views;

/// A rendered file, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder.
    pub path: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Everything rendering reads.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// Countries and places.
    pub gazetteer: &'a Gazetteer,
    /// Briefs to publish (drafts already filtered as asked).
    pub briefs: &'a [Brief],
    /// Registered actors.
    pub actors: &'a ActorRegistry,
    /// Registered source publishers.
    pub(crate) publishers: &'a crate::content::validate::PublisherRegistry,
    /// Country profiles.
    pub profiles: &'a [CountryProfile],
    /// Author records, by key.
    pub authors: &'a std::collections::BTreeMap<String, crate::content::model::AuthorEntry>,
    /// The theme's world map SVG, if any.
    pub world_map: Option<&'a str>,
    /// Interface strings, month names and digits per language.
    pub i18n: &'a crate::I18n,
    /// The size in bytes of each brief's PDF (by `BriefId`), when the
    /// site makes them; `None` in an entry: that brief has none yet.
    pub pdf_sizes: Option<&'a [Option<u64>]>,
    /// Whether the site has a search page (search on, and the theme has `search.html`).
    pub search: bool,
    /// Indexes over `briefs`: this language's briefs on a multilingual site.
    pub index: &'a Index,
    /// The language whose pages this site renders (a position in
    /// `config.languages`; 0 is the default).
    pub(crate) lang: usize,
    /// The index of each site language (one on a single-language site), to
    /// link a page to its versions in the other languages.
    pub(crate) indexes: &'a [Index],
}

impl<'a> Site<'a> {
    /// The same site for each of its languages, with that language's index.
    pub(crate) fn languages(&self, indexes: &'a [Index]) -> Vec<Site<'a>> {
        (0..indexes.len())
            .map(|lang| Site {
                lang,
                index: &indexes[lang],
                indexes,
                ..*self
            })
            .collect()
    }

    /// The folder of this language's pages under the base path (`fr/`, or
    /// empty for the default language).
    pub(crate) fn lang_path(&self) -> &'a str {
        &self.config.languages[self.lang].path
    }

    /// The site language of this site's pages.
    pub(crate) fn language(&self) -> &'a crate::content::config::SiteLanguage {
        &self.config.languages[self.lang]
    }
}

/// Pages rendered in memory, as `build` publishes them, and the indexed
/// part of each brief page among them (`search::indexed`), by output path
/// with `/` separators: what the preview server writes and indexes.
pub(crate) struct InMemory {
    pub(crate) files: Vec<OutputFile>,
    pub(crate) indexed: Vec<(String, String)>,
}

/// Renders the given pages in parallel; `cards` must come from [`cards()`] for
/// this site. Template errors are reported once per template position, not
/// once per page.
pub fn render_pages(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
    cards: &[Value],
    pages: &[Page],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_in_memory(site, tera, template_files, cards, pages).map(|rendered| rendered.files)
}

/// [`render_pages`], with the indexed part of each brief page.
pub(crate) fn render_in_memory(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
    cards: &[Value],
    pages: &[Page],
) -> Result<InMemory, Vec<Diagnostic>> {
    let brief_pages: std::collections::HashSet<PathBuf> = (pages.iter())
        .filter(|p| matches!(p, Page::Brief(_)))
        .map(|p| output_path(site, p))
        .collect();
    let rendered = std::sync::Mutex::new(InMemory {
        files: Vec::with_capacity(pages.len()),
        indexed: Vec::new(),
    });
    let collected = render_each(site, tera, template_files, &cards, pages, None, |page| {
        let indexed = brief_pages.contains(&page.file.path).then(|| {
            let html = String::from_utf8_lossy(&page.index_copy()).into_owned();
            let path = page.file.path.to_string_lossy().replace('\\', "/");
            (path, crate::publish::search::indexed(html))
        });
        if let Ok(mut rendered) = rendered.lock() {
            rendered.indexed.extend(indexed);
            rendered.files.push(page.into_file());
        }
        Ok::<(), std::convert::Infallible>(())
    });
    match collected {
        Ok(()) => Ok(rendered.into_inner().unwrap_or_else(|e| e.into_inner())),
        Err(RenderError::Templates(errors)) => Err(errors),
        Err(RenderError::Sink(never)) => match never {},
    }
}

/// A page just rendered: the file as published (without its search-only
/// parts) and those parts, for the copy the search index reads.
pub(crate) struct Rendered {
    pub(crate) file: OutputFile,
    parts: Option<search_only::Parts>,
}

impl Rendered {
    /// The page as the search index reads it (with its search-only parts).
    pub(crate) fn index_copy(&self) -> std::borrow::Cow<'_, [u8]> {
        search_only::index_copy(&self.file, self.parts.as_ref())
    }

    /// The search-only parts cut from the file.
    pub(crate) fn parts(&self) -> Option<&search_only::Parts> {
        self.parts.as_ref()
    }

    /// The file as published.
    pub(crate) fn into_file(self) -> OutputFile {
        self.file
    }
}

/// Pages a build may keep as the last build wrote them instead of
/// rendering them: listing pages are keyed by their variables
/// ([`page_keys::listing_key`]) once those are built, and kept when the key
/// is the last build's. Brief pages are decided before rendering (the build
/// leaves them out of the pages it asks for).
pub(crate) trait KeepPages: Sync {
    /// What every page's key starts from: the build's render key.
    fn base(&self) -> u128;
    /// A hash of brief `id`'s card, computed once per build.
    fn card_key(&self, id: BriefId) -> u128;
    /// Records `key` as the key of the page at `path`, and whether the file
    /// the last build wrote there is kept (then the page is not rendered).
    fn keep(&self, path: &Path, key: u128) -> bool;
    /// A hash of every field of brief `id` as validated
    /// ([`page_keys::identities`]), computed once per build.
    fn identity(&self, id: BriefId) -> u128;
    /// [`KeepPages::keep`] for a feed, counted apart from listing pages.
    fn keep_feed(&self, path: &Path, key: u128) -> bool;
    /// Keeps the listing page or feed without bodies at `path` (`feed`
    /// says which) as the last build wrote it, with the key it had, when
    /// nothing any of them can show changed
    /// ([`page_keys::listings_key`]); false otherwise, and then it is keyed.
    fn keep_as_before(&self, path: &Path, feed: bool) -> bool;
}

/// Why [`render_each`] stopped.
#[derive(Debug)]
pub(crate) enum RenderError<E> {
    /// Template errors, each reported once.
    Templates(Vec<Diagnostic>),
    /// The sink failed (e.g. a write error).
    Sink(E),
}

/// Renders the given pages in parallel and hands each one to `sink` as soon
/// as it is rendered, so rendering and writing overlap and no more than a
/// page per thread is held in memory. On a template error the caller must
/// discard what the sink received.
pub(crate) fn render_each<E: Send>(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
    cards: &dyn CardSource,
    pages: &[Page],
    keep: Option<&dyn KeepPages>,
    sink: impl Fn(Rendered) -> Result<(), E> + Sync,
) -> Result<(), RenderError<E>> {
    let renderer = Renderer::new(Views::new(site), tera, template_files, cards, keep);
    let templates_broken = std::sync::atomic::AtomicBool::new(false);
    let failures: Vec<Failure<'_, E>> = pages
        .par_iter()
        .filter_map(|page| match renderer.render_page(page) {
            Ok(_) if templates_broken.load(std::sync::atomic::Ordering::Relaxed) => None,
            Ok(None) => None,
            Ok(Some(file)) => {
                // Published without its search-only parts; the sink may
                // still hand the whole page to the index (`index_copy`).
                let (file, parts) = search_only::split(file);
                sink(Rendered { file, parts }).err().map(Failure::Sink)
            }
            Err(d) => {
                templates_broken.store(true, std::sync::atomic::Ordering::Relaxed);
                let brief = match page {
                    Page::Brief(id) => site.briefs.get(*id).map(|b| b.path.as_path()),
                    _ => None,
                };
                Some(Failure::Template(d, brief))
            }
        })
        .collect();
    // One diagnostic per template position, naming the briefs whose pages
    // hit it (Tera's message varies with each brief's `extra`).
    let mut grouped: Vec<Vec<(Option<&Path>, Diagnostic)>> = Vec::new();
    for failure in failures {
        match failure {
            Failure::Sink(e) => return Err(RenderError::Sink(e)),
            Failure::Template(d, brief) => {
                let same = |g: &&mut Vec<(Option<&Path>, Diagnostic)>| {
                    g.first().is_some_and(|(_, f)| {
                        (&f.path, f.line, f.column) == (&d.path, d.line, d.column)
                    })
                };
                match grouped.iter_mut().find(same) {
                    Some(group) => group.push((brief, d)),
                    None => grouped.push(vec![(brief, d)]),
                }
            }
        }
    }
    if grouped.is_empty() {
        return Ok(());
    }
    Err(RenderError::Templates(
        grouped.into_iter().filter_map(name_briefs).collect(),
    ))
}

/// What went wrong with one page.
enum Failure<'a, E> {
    Sink(E),
    /// A template error, and the brief whose page it was, if any.
    Template(Diagnostic, Option<&'a Path>),
}

/// The template error of the first page (by brief path) of a group, naming
/// the briefs whose pages failed.
fn name_briefs(mut group: Vec<(Option<&Path>, Diagnostic)>) -> Option<Diagnostic> {
    group.sort_by(|a, b| a.0.cmp(&b.0));
    let briefs = group.iter().filter(|(b, _)| b.is_some()).count();
    let (first, mut d) = group.into_iter().next()?;
    if let Some(first) = first {
        let others = match briefs - 1 {
            0 => String::new(),
            1 => " and 1 other brief".into(),
            n => format!(" and {n} other briefs"),
        };
        d.message = format!(
            "{} (rendering the page of `{}`{others})",
            d.message,
            first.display()
        );
    }
    Some(d)
}
