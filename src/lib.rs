//! briefly: a static site generator for policy briefs.
//!
//! The pipeline runs one way: load -> validate -> index -> render -> write.
//! [`load`] reads and validates everything; [`build`] indexes, renders and
//! writes page by page; [`render_in_memory`] does the same without writing
//! (for `check`).

mod cache;
mod check;
mod content;
mod diagnostic;
mod escape;
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

pub use timings::Timings;
pub(crate) use timings::timed;

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
    let summary = render_site(loaded, None, None, SearchIndex::Skip, None, |file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
        Ok(())
    })
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
    /// Input files read and hashed, of all input files (`(0, 0)` without a
    /// cache); the others' hashes were remembered by their status.
    pub inputs_read: (usize, usize),
    /// Brief files taken from the build cache instead of parsed, of all
    /// brief files (`(0, 0)` without a cache).
    pub briefs_from_cache: (usize, usize),
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
        let card_keys = timed(timings, "card keys", || cards.keys());
        timed(timings, "page keys", || {
            unchanged_pages::UnchangedPages::new(
                reuse,
                &loaded.briefs,
                card_keys,
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
    let sitemap = || {
        for file in timed(timings, "sitemap", || render::site_files(&sites, &pages_of)) {
            sink(file)?;
        }
        Ok::<(), BuildError>(())
    };
    let mut search_shards = (0, 0);
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
        search_shards = search_pages::render_indexing(
            &plan,
            (&sites, &pages_of),
            cache,
            unchanged.as_ref(),
            timings,
            (render, sitemap),
            &sink,
        )?;
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
        inputs_read: (0, 0),
        briefs_from_cache: loaded.briefs_from_cache,
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

/// Builds the site and replaces the output folder. Pages are written as they
/// are rendered into a staging folder that replaces the output only when
/// everything succeeded: on any error the previous output is left exactly as
/// it was.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    // Refuse a dangerous output before doing any work.
    let output = output::check_location(&options.root, &options.output_dir())?;
    let timings = options.timings.as_deref();
    let cache = (!options.no_cache).then(|| cache::BuildCache::open(&options.root));
    let mut last_build = cache.as_ref().and_then(cache::up_to_date::LastBuild::read);
    let hashed = cache.as_ref().map(|cache| {
        let hash = || cache::up_to_date::inputs(options, &output, cache);
        let Some(last_build) = &last_build else {
            return timed(timings, "hash inputs", hash);
        };
        // Both are mostly system calls on thousands of files, so the
        // output folder is walked alongside (at 50,000 briefs: 0.11 s and
        // 0.33 s one after the other).
        timed(timings, "hash inputs, check output", || {
            rayon::join(hash, || last_build.output_as_left(&output)).0
        })
    });
    let inputs = hashed.as_ref().map(|h| h.key);
    let inputs_read = hashed.as_ref().map_or((0, 0), |h| (h.read, h.files.len()));
    // A fixed `--now` is part of the inputs; the real clock can make a
    // scheduled brief due.
    let clock = match options.now {
        Some(_) => i64::MIN,
        None => jiff::Timestamp::now().as_second(),
    };
    if let (Some(last_build), Some(inputs)) = (&last_build, inputs)
        && let Some(last) = last_build.unchanged(inputs, &output, clock)
    {
        return Ok(BuildSummary {
            warnings: last.warnings,
            briefs: last.briefs,
            pages: last.pages,
            drafts_skipped: last.drafts_skipped,
            search_shards: (0, 0),
            inputs_read,
            briefs_from_cache: (0, 0),
            brief_pages_kept: (0, 0),
            listing_pages_kept: (0, 0),
            feeds_kept: (0, 0),
            listings_unkeyed: false,
            up_to_date: true,
            scheduled_skipped: last.scheduled_skipped,
            output_bytes: last.output_bytes,
            output_files: last.output_files,
        });
    }
    let mut briefs_memo = None;
    let restore = || {
        (cache.as_ref().zip(hashed.as_ref())).map(|(cache, hashed)| {
            timed(timings, "restore parsed briefs", || {
                cache::briefs::BriefMemo::restore(cache, hashed, options)
            })
        })
    };
    // When the output is as the last build left it, only changed files are
    // written (and moved in at the end) instead of the whole site; that
    // build's record of it is decoded while the site loads.
    let previous = || {
        (last_build.as_mut())
            .and_then(|last| timed(timings, "check output", || last.previous_with_keys(&output)))
    };
    let (loaded, previous) = rayon::join(
        || content::load_with(options, &mut briefs_memo, restore),
        previous,
    );
    let loaded = loaded.map_err(BuildError::Invalid)?;
    if let Some(cache) = &cache {
        publish::cite::memo::restore(&loaded.config, cache);
    }
    let bar = progress::bar(options.progress);
    let (previous, found, (previous_keys, previous_index, previous_shards, previous_listings)) =
        match previous {
            Some((previous, found, keys)) => (Some(previous), found, keys),
            None => Default::default(),
        };
    drop(last_build);
    let staging = match previous {
        Some(previous) => output::Staging::in_place(&output, previous)?,
        None => output::Staging::create(&output)?,
    };
    let keep = |path: &std::path::Path| staging.keep_unrendered(path);
    let keep_files = |paths: &[PathBuf]| staging.keep_all_unrendered(paths);
    let reuse = hashed.as_ref().map(|hashed| unchanged_pages::Reuse {
        base: cache::up_to_date::render_base(hashed, options, &loaded.static_files).as_u128(),
        previous: previous_keys,
        previous_index,
        keep: &keep,
        previous_shards,
        previous_listings,
        keep_files: &keep_files,
        verify_in: unchanged_pages::verify_wanted(options).then_some(output.as_path()),
        known: (briefs_memo.as_mut())
            .map(|memo| std::mem::take(&mut memo.known))
            .unwrap_or_default(),
    });
    let rendered = staging
        .copy_static(&loaded.static_files)
        .and_then(|()| staging.copy_static(&loaded.bundle_files))
        .and_then(|()| staging.copy_static(&loaded.flag_files))
        .map_err(BuildError::from)
        .and_then(|()| {
            render_site(
                &loaded,
                Some(&bar),
                timings,
                SearchIndex::Build(cache.as_ref()),
                reuse.as_ref(),
                |file| staging.write_one(&file),
            )
        });
    drop(reuse);
    bar.finish_and_clear();
    match rendered {
        Ok((mut summary, kept)) => {
            summary.inputs_read = inputs_read;
            if let (Some(cache), true) = (&cache, staging.is_in_place()) {
                cache::up_to_date::forget(cache);
            }
            // The keys are encoded for the record while files are moved.
            let keys = (
                &kept.keys,
                kept.index_hashes.as_slice(),
                kept.shard_outputs,
                kept.listings_key,
            );
            let encode =
                || (cache.as_ref()).and_then(|_| cache::up_to_date::EncodedKeys::new(keys));
            let (written, keys) = rayon::join(
                || timed(timings, "replace output", || staging.commit()),
                encode,
            );
            let (written, changed) = written?;
            (summary.output_bytes, summary.output_files) = output::size::total(&written);
            // The record holds the build's warnings, the size warning among
            // them; what it encodes besides, and the memos, are done meanwhile.
            let finish_cache = || {
                let cache = cache.as_ref()?;
                let finished = timed(timings, "build cache", || {
                    rayon::join(
                        || {
                            let changes = (&found, changed.as_slice());
                            cache::up_to_date::EncodedOutput::new(&output, &written, changes)
                        },
                        || {
                            let warnings = (briefs_memo.as_mut()).map(|m| m.finish());
                            publish::cite::memo::save(&loaded.config, cache);
                            warnings.unwrap_or_default()
                        },
                    )
                });
                Some(finished)
            };
            let (over_limit, finished) = rayon::join(
                || output::size::over_host_limit(&output, &written),
                finish_cache,
            );
            summary.warnings.extend(over_limit);
            if let (Some(cache), Some(inputs), Some((encoded, memo_warnings))) =
                (&cache, inputs, finished)
            {
                let record = cache::up_to_date::Record::of(&summary, loaded.next_scheduled);
                timed(timings, "record", || {
                    if let (Some(keys), Some(encoded)) = (keys, encoded) {
                        cache::up_to_date::record(cache, inputs, encoded, &record, keys);
                    }
                });
                summary.warnings.extend(memo_warnings);
                summary.warnings.extend(cache.take_warnings());
            }
            // Nothing reads the site again: a thread of its own frees it (at
            // 50,000 briefs 50 ms of the one-edit build), and a process that
            // exits first does not wait for it.
            std::thread::spawn(move || drop(loaded));
            Ok(summary)
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
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
