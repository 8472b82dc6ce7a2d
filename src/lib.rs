//! briefly: a static site generator for policy briefs.
//!
//! The pipeline runs one way: load -> validate -> index -> render -> write.
//! [`load`] reads and validates everything; [`build`] indexes, renders and
//! writes page by page; [`render_in_memory`] does the same without writing
//! (for `check`).

mod background;
mod build;
mod cache;
mod check;
mod content;
mod diagnostic;
mod escape;
#[cfg(test)]
mod fixture;
mod i18n;
mod import;
mod index;
mod output;
mod progress;
mod publish;
mod render;
mod scaffold;
mod search_pages;
mod serve;
mod timings;
mod unchanged_pages;

pub use build::build;
pub use check::run as check;
pub use content::calendar::{ListKind, Listed, list};
pub use content::{Loaded, load};
pub use diagnostic::{Diagnostic, Severity};
pub use i18n::I18n;
pub use import::{ImportKind, ImportOptions, ImportReport, run as import};
pub use output::WriteError;
pub use output::size::{display as output_size_display, display_count as output_count_display};
pub use scaffold::{copy_theme, init, new_brief};
pub use serve::{ServeError, ServeOptions, run as serve};

/// Single stages, for the integration tests and benchmarks that drive
/// them directly. Not a stable API: the command line is.
#[doc(hidden)]
pub mod internals {
    /// Front matter splitting and parsing.
    pub mod frontmatter {
        pub use crate::content::frontmatter::{Split, parse, split};
    }
    /// Markdown to HTML.
    pub mod markdown {
        pub use crate::content::markdown::render;
    }
    /// Validation of one brief and of dates.
    pub mod validate {
        pub use crate::content::validate::{brief, parse_date};
    }
    /// Reading site files.
    pub mod source {
        pub use crate::content::source::{TextFile, read_text};
    }
    /// Validated content.
    pub mod model {
        pub use crate::content::model::Brief;
    }
    /// The index over the briefs.
    pub mod index {
        pub use crate::index::build;
    }
    /// Pages in memory.
    pub mod render {
        pub use crate::render::{Listing, OutputFile, Page, cards, render_pages};
    }
    /// The Pagefind bundle.
    pub mod search {
        pub use crate::publish::search::{BUNDLE_DIR, bundle, bundle_in_shards};
    }
    /// The preview server's incremental engine.
    pub mod session {
        pub use crate::serve::session::{ChangeKind, Rebuild, Session, classify};
    }
}

use std::path::PathBuf;

use crate::render::OutputFile;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (holds `site.yaml`).
    pub root: PathBuf,
    /// Output folder; default `root/output`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Include scheduled briefs (dated after the clock), as previews:
    /// `serve`, and `build --scheduled` for a staging copy.
    pub scheduled: bool,
    /// The build's clock (`--now`), written like a front matter date;
    /// `None` is the current time. Briefs dated after it are scheduled.
    pub now: Option<String>,
    /// Show a progress bar on a terminal when the build takes over a second.
    pub progress: bool,
    /// Where to record the wall time of each stage (`build --timings`).
    pub timings: Option<std::sync::Arc<Timings>>,
    /// Neither read nor write the build cache (`build --no-cache`).
    pub no_cache: bool,
    /// Render the pages the build cache would keep after all, and fail if
    /// any differs from the file the last build left (`build
    /// --verify-kept`; debug builds do it unless `BRIEFLY_VERIFY_KEPT=0`).
    pub verify_kept: bool,
}

pub(crate) use timings::timed;
pub use timings::{Stage, Timings};

impl BuildOptions {
    /// The output folder these options write to.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The site has mistakes; all of them are listed.
    #[error("the site has {} error(s)", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// The output could not be written.
    #[error(transparent)]
    Write(#[from] output::WriteError),
}

/// Renders a loaded site into memory, files sorted by path, for `check`
/// (`build` streams to disk instead). Leaves out the search index: no link
/// points into it, and on a large archive it costs ten times the rest.
pub fn render_in_memory(
    loaded: &Loaded,
) -> Result<(Vec<OutputFile>, BuildSummary), Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    let keep = |file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
        Ok(())
    };
    let summary = render_site(loaded, None, None, SearchIndex::Skip, None, keep)
        .map(|(summary, _)| summary)
        .map_err(|e| match e {
            BuildError::Invalid(d) => d,
            BuildError::Write(w) => vec![Diagnostic::error("output", 0, 0, w.to_string())],
        })?;
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, summary))
}

/// What a build made.
#[derive(Debug, Clone, Default)]
pub struct BuildSummary {
    /// Problems that did not stop the build (printed before the summary).
    pub warnings: Vec<Diagnostic>,
    /// Briefs published.
    pub briefs: usize,
    /// Pages written (static files not counted).
    pub pages: usize,
    /// Drafts left out.
    pub drafts_skipped: usize,
    /// Shards of the search index, and how many of them were reused from
    /// the build cache (`(0, 0)` without search).
    pub search_shards: (usize, usize),
    /// Search shards indexed from the pages the last build published, handed
    /// to Pagefind ahead of the render (after an edit; 0 otherwise).
    pub search_shards_ahead: usize,
    /// Input files read and hashed, of all input files (`(0, 0)` without a
    /// cache); the others' hashes were remembered by their status.
    pub inputs_read: (usize, usize),
    /// Brief files taken from the build cache instead of parsed, of all
    /// brief files (`(0, 0)` without a cache).
    pub briefs_from_cache: (usize, usize),
    /// Briefs whose card keys were remembered from the last build rather
    /// than made, of all briefs (`(0, 0)` without a cache or pages to keep).
    pub card_keys_remembered: (usize, usize),
    /// Brief pages kept as the last build wrote them instead of rendered,
    /// of all brief pages (`(0, 0)` without a cache).
    pub brief_pages_kept: (usize, usize),
    /// The same of listing pages (home, term and year listings).
    pub listing_pages_kept: (usize, usize),
    /// The same of Atom feeds.
    pub feeds_kept: (usize, usize),
    /// No brief changed in anything listing pages and feeds without bodies
    /// can show, so those were kept without being keyed one by one.
    pub listings_unkeyed: bool,
    /// Nothing changed since the last build into this output folder: its
    /// inputs, options and output are as that build left them, so nothing
    /// was rendered or written (the other fields repeat that build's).
    pub up_to_date: bool,
    /// Scheduled briefs left out (dated after the build's clock).
    pub scheduled_skipped: usize,
    /// Bytes and files in the output folder (`0` for `check`, which writes none).
    pub output_bytes: u64,
    /// See `output_bytes`.
    pub output_files: usize,
}

/// Whether a render makes the search index (when the site has search).
#[derive(Clone, Copy)]
enum SearchIndex<'a> {
    /// `build`: the Pagefind bundle is part of the site; shards whose pages
    /// did not change come from the build cache when there is one.
    Build(Option<&'a cache::BuildCache>),
    /// `check`: nothing reads the bundle, so neither keep pages for it nor make it.
    Skip,
}

/// Indexes and renders a loaded site, handing each page to `sink` as soon
/// as it is rendered. Every template error is collected. With `reuse`,
/// brief and listing pages are keyed, and those the last build wrote with
/// the same key are kept instead of rendered; the keys are returned, to record.
fn render_site(
    loaded: &Loaded,
    progress: Option<&indicatif::ProgressBar>,
    timings: Option<&Timings>,
    search_index: SearchIndex<'_>,
    reuse: Option<&unchanged_pages::Reuse<'_>>,
    sink: impl Fn(OutputFile) -> Result<(), output::WriteError> + Sync,
) -> Result<(BuildSummary, unchanged_pages::Kept), BuildError> {
    let cache = match search_index {
        SearchIndex::Build(cache) => cache,
        SearchIndex::Skip => None,
    };
    let indexes = timed(timings, "index and related briefs", || match cache {
        Some(cache) => {
            cache::related::indexes(cache, &loaded.briefs, &loaded.actors, &loaded.config)
        }
        None => index::build_languages(&loaded.briefs, &loaded.actors, &loaded.config),
    });
    let index = &indexes[0];
    let site = render::Site {
        indexes: &indexes,
        ..loaded.site(index)
    };
    // `check` (Skip) makes no PDFs either: nothing it checks is in them.
    #[cfg(feature = "pdf")]
    let pdf_sizes = if site.config.pdf && matches!(search_index, SearchIndex::Build(_)) {
        let made = timed(timings, "PDF edition", || {
            publish::pdf::for_build(loaded, &site, &sink)
        })?;
        Some(made.map_err(BuildError::Invalid)?)
    } else {
        None
    };
    #[cfg(not(feature = "pdf"))]
    let pdf_sizes: Option<Vec<Option<u64>>> = None;
    let site = render::Site {
        pdf_sizes: pdf_sizes.as_deref(),
        ..site
    };
    // Each language's pages are rendered by its own site (its index, its
    // folder); a single-language site has one.
    let sites = site.languages(&indexes);
    let pages_of: Vec<Vec<render::Page>> = sites.iter().map(render::all_pages).collect();
    let pages = &pages_of[0];
    let clashes = render::alias_collisions(&site, pages);
    if !clashes.is_empty() {
        return Err(BuildError::Invalid(clashes));
    }
    if let Some(bar) = progress {
        bar.set_length(pages_of.iter().map(Vec::len).sum::<usize>() as u64);
    }
    // A build that keeps pages makes each card when a page first shows it;
    // one that renders every page makes them all first.
    let cards = render::LazyCards::new(&sites, &loaded.tera, &loaded.templates);
    if reuse.is_none_or(|reuse| reuse.previous.is_empty()) {
        timed(timings, "cards", || cards.make_all()).map_err(BuildError::Invalid)?;
    }
    let unchanged = reuse.map(|reuse| {
        let (identities, (card_keys, remembered)) = timed(timings, "card keys", || {
            let identities = render::page_keys::identities(&loaded.briefs, &reuse.known);
            let card_keys = cache::card_keys::keys(cache, &cards, reuse.base, &identities);
            (identities, card_keys)
        });
        timed(timings, "page keys", || {
            unchanged_pages::UnchangedPages::new(
                reuse,
                &loaded.briefs,
                (identities, card_keys, remembered),
                &sites,
                &pages_of,
            )
        })
    });
    let with_search = site.search && matches!(search_index, SearchIndex::Build(_));
    let render = |site: &render::Site<'_>,
                  pages: &[render::Page],
                  keep: &(dyn Fn(&render::Rendered) + Sync)| {
        render::render_each(
            site,
            &loaded.tera,
            &loaded.templates,
            &cards,
            pages,
            unchanged.as_ref().map(|u| u as &dyn render::KeepPages),
            |page| {
                if let Some(bar) = progress {
                    bar.inc(1);
                }
                keep(&page);
                sink(page.into_file())
            },
        )
        .map_err(|e| match e {
            render::RenderError::Templates(mut d) => {
                diagnostic::sort(&mut d);
                BuildError::Invalid(d)
            }
            render::RenderError::Sink(w) => BuildError::Write(w),
        })
    };
    // Kept as they are when nothing they show changed; made after all to
    // compare when kept pages are verified.
    let sitemap = || {
        let kept = unchanged.as_ref().is_some_and(|u| u.keep_site_files());
        if kept && unchanged.as_ref().is_none_or(|u| !u.verifies()) {
            return Ok(());
        }
        let files = timed(timings, "sitemap", || render::site_files(&sites, &pages_of));
        if let Some(unchanged) = &unchanged {
            if kept {
                let problems = unchanged.verify_site_files(&files);
                if !problems.is_empty() {
                    return Err(BuildError::Invalid(problems));
                }
            }
            unchanged.note_site_files(files.iter().map(|f| f.path.clone()).collect());
        }
        for file in files {
            sink(file)?;
        }
        Ok::<(), BuildError>(())
    };
    let mut search_shards = (0, 0);
    let mut search_shards_ahead = 0;
    if with_search {
        // One search index of every language's briefs, newest first, until
        // search is split by language.
        let all_newest_first;
        let search_order = if indexes.len() == 1 {
            &index.newest_first
        } else {
            let mut all: Vec<index::BriefId> = (0..loaded.briefs.len()).collect();
            all.sort_by(|&a, &b| index::newer_first(&loaded.briefs[a], &loaded.briefs[b]));
            all_newest_first = all;
            &all_newest_first
        };
        let shard_briefs = loaded.config.search_shard_briefs;
        let plan = search_pages::plan(&sites, &pages_of, search_order, shard_briefs)?;
        let indexed = search_pages::render_indexing(
            &plan,
            (&sites, &pages_of),
            cache,
            unchanged.as_ref(),
            timings,
            (render, sitemap),
            &sink,
        )?;
        search_shards = (indexed.shards, indexed.from_cache);
        search_shards_ahead = indexed.ahead;
    } else {
        let started = std::time::Instant::now();
        for (site, pages) in sites.iter().zip(&pages_of) {
            let pages = unchanged_pages::UnchangedPages::to_render(unchanged.as_ref(), site, pages);
            render(site, &pages, &|_| {})?;
        }
        if let Some(t) = timings {
            t.add("render and write pages", started.elapsed());
        }
        sitemap()?;
    }
    if let Some(unchanged) = unchanged.as_ref().filter(|u| u.verifies()) {
        let problems = timed(timings, "verify kept pages", || {
            unchanged.verify(&sites, &pages_of, (&loaded.tera, &loaded.templates, &cards))
        });
        if !problems.is_empty() {
            return Err(BuildError::Invalid(problems));
        }
    }
    let kept = unchanged
        .map(unchanged_pages::UnchangedPages::finish)
        .unwrap_or_default();
    let summary = BuildSummary {
        warnings: loaded.warnings.clone(),
        briefs: loaded.briefs.len(),
        pages: pages_of.iter().map(Vec::len).sum(),
        drafts_skipped: loaded.drafts_skipped,
        search_shards,
        search_shards_ahead,
        inputs_read: (0, 0),
        briefs_from_cache: loaded.briefs_from_cache,
        card_keys_remembered: kept.card_keys,
        brief_pages_kept: kept.brief_pages,
        listing_pages_kept: kept.listing_pages,
        feeds_kept: kept.feeds,
        listings_unkeyed: kept.listings_as_before,
        up_to_date: false,
        scheduled_skipped: loaded.scheduled_skipped,
        output_bytes: 0,
        output_files: 0,
    };
    Ok((summary, kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::search;

    /// `check` renders through `render_in_memory`: on a site with search, it
    /// must neither keep pages for the index nor make the bundle (issue 11).
    #[test]
    fn rendering_in_memory_makes_no_search_index() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let options = BuildOptions {
            root: root.clone(),
            ..BuildOptions::default()
        };
        let loaded = load(&options).expect("the example site loads");
        assert!(loaded.config.search, "the example site has search");
        let (files, _) = render_in_memory(&loaded).expect("renders");
        assert!(files.iter().any(|f| f.path.ends_with("index.html")));
        assert!(
            !files.iter().any(|f| f.path.starts_with(search::BUNDLE_DIR)),
            "no pagefind files"
        );
        // And the build path still makes it.
        let files = std::sync::Mutex::new(Vec::new());
        let timings = Timings::default();
        render_site(
            &loaded,
            None,
            Some(&timings),
            SearchIndex::Build(None),
            None,
            |f| {
                if let Ok(mut v) = files.lock() {
                    v.push(f.path);
                }
                Ok(())
            },
        )
        .expect("renders");
        let files = files.into_inner().unwrap_or_default();
        assert!(files.iter().any(|p| p.starts_with(search::BUNDLE_DIR)));
        assert!(timings.stages().iter().any(|(s, _)| *s == "search index"));
    }
}
