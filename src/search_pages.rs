//! Rendering a site with search: the brief pages are planned into index
//! shards before rendering; the other pages are rendered first, then the
//! brief pages shard by shard, each shard indexed as soon as its pages have
//! streamed past the sink (`publish::search::stream`), a bounded number of
//! shards at a time. An output updated in place renders the few shards with
//! changed pages before the other pages instead, so that they are indexed
//! meanwhile. Only the order pages are rendered in changes, not their bytes.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::index::BriefId;
use crate::output::WriteError;
use crate::publish::search;
use crate::publish::search::stream::{self, Indexer, Plan, PlannedPage, Stop};
use crate::publish::search::{SearchError, index_language};
use crate::render::{self, OutputFile, Page, Site, search_only};
use crate::unchanged_pages::UnchangedPages;
use crate::{BuildError, Timings, cache, content, timed};

/// A planned brief page: the site (language) that renders it, and the brief.
pub(crate) type Item = (usize, BriefId);

/// The shards of the brief pages `pages_of` renders for `sites`, ranked by
/// `newest_first` (scheduled and draft previews are not indexed).
pub(crate) fn plan(
    sites: &[Site<'_>],
    pages_of: &[Vec<Page>],
    newest_first: &[BriefId],
    shard_briefs: usize,
) -> Result<Plan<Item>, BuildError> {
    let Some(site) = sites.first() else {
        return Plan::new(Vec::new(), "en", shard_briefs).map_err(search_failed);
    };
    let rank_of: HashMap<BriefId, usize> = (newest_first.iter().enumerate())
        .filter(|(_, id)| !content::calendar::is_preview_only(&site.briefs[**id]))
        .map(|(rank, &id)| (id, rank))
        .collect();
    let mut planned = Vec::new();
    for (at, (site, pages)) in sites.iter().zip(pages_of).enumerate() {
        for page in pages {
            let Page::Brief(id) = page else { continue };
            let Some(&rank) = rank_of.get(id) else {
                continue;
            };
            let path = render::output_path(site, page);
            planned.push(PlannedPage {
                path: path.to_string_lossy().replace('\\', "/"),
                rank,
                language: index_language(&site.briefs[*id].lang, site.config),
                item: (at, *id),
            });
        }
    }
    Plan::new(planned, &site.config.language, shard_briefs).map_err(search_failed)
}

/// Renders every page of `sites` through `render` (which hands each file to
/// the sink) while indexing the brief pages, writes the bundle through
/// `sink`, and returns how many shards it made, reused from `cache` and
/// indexed ahead of the render.
///
/// With `unchanged` (the build keys its pages), a shard's pages whose keys
/// changed are rendered first; with the last build's hashes of the others'
/// indexed HTML they make the shard's cache key, and when the cache has it
/// the others are kept as the last build wrote them, unrendered.
pub(crate) fn render_indexing<'s>(
    plan: &Plan<Item>,
    (sites, pages_of): (&[Site<'s>], &[Vec<Page>]),
    cache: Option<&cache::BuildCache>,
    unchanged: Option<&UnchangedPages<'_>>,
    timings: Option<&Timings>,
    (render, meanwhile): (
        impl Fn(&Site<'s>, &[Page], &(dyn Fn(&render::Rendered) + Sync)) -> Result<(), BuildError>,
        impl FnOnce() -> Result<(), BuildError> + Send,
    ),
    sink: impl Fn(OutputFile) -> Result<(), WriteError> + Sync,
) -> Result<stream::Summary, BuildError> {
    let indexer =
        Indexer::new(plan, cache).keeping(unchanged.and_then(UnchangedPages::kept_shards));
    // The page as the index reads it: with its search-only parts, which
    // the published page goes without.
    let keep = |page: &render::Rendered| {
        let path = page.file.path.to_string_lossy().replace('\\', "/");
        indexer.keep(&path, &page.index_copy(), page.parts());
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(stream::WORKERS);
    // Set once the pages besides the planned brief pages have rendered.
    let others_rendered = std::cell::Cell::new(false);
    let started = std::time::Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| indexer.work());
        }
        // Whatever happens below, the workers stop (and the scope ends).
        let _close = CloseOnDrop(&indexer);
        let rendered = |site, pages: &[Page]| match render(site, pages, &keep) {
            Err(BuildError::Invalid(first)) => {
                // Every template error at once, as a plain render reports them.
                indexer.close();
                // Once the other pages have rendered without an error, only
                // the brief pages still holding their bodies are left to
                // look at (those let go of theirs rendered fine, and feeds
                // would read released bodies).
                let briefs_only = others_rendered.get();
                for (site, pages) in sites.iter().zip(pages_of) {
                    let unrendered: Vec<Page> = (pages.iter())
                        .filter(|p| match p {
                            Page::Brief(id) => site.briefs[*id].body_html.get().is_some(),
                            _ => !briefs_only,
                        })
                        .cloned()
                        .collect();
                    render(site, &unrendered, &|_| {})?;
                }
                Err(BuildError::Invalid(first))
            }
            other => other,
        };
        let shards: Vec<Vec<Item>> = plan.shards().map(|s| s.copied().collect()).collect();
        // A shard's brief pages: those whose keys changed first, then, unless
        // the cache holds the shard those give, the others, for the index.
        // With `release`, bodies are let go once rendered (feeds have read them).
        let render_shard = |number: usize, split: &Split, release: bool| {
            // The shards being indexed bound what is held: the next one is
            // rendered when a worker is free for it.
            let mut write = |file| sink(file);
            indexer
                .wait_for_room(workers, &mut write)
                .map_err(stopped)?;
            let (changed, same_keys) = split;
            for (site, pages) in sites.iter().zip(changed) {
                if !pages.is_empty() {
                    rendered(site, pages)?;
                    if release {
                        release_bodies(site, pages);
                    }
                }
            }
            // A page whose key is the last build's indexes as that build recorded.
            let known = |u: &UnchangedPages<'_>, at: usize, path: &str| {
                let &(site, id) = shards.get(number)?.get(at)?;
                (u.same_key(&sites[site], &Page::Brief(id)))
                    .then(|| u.recorded_index_hash(path))
                    .flatten()
            };
            let reused = unchanged.is_some_and(|u| indexer.reuse(number, |at, p| known(u, at, p)));
            // Otherwise, in an output updated in place, a page whose key is
            // the last build's is indexed from its published file and the
            // search-only parts the cache kept, and kept unrendered.
            let previous = (unchanged.filter(|u| !reused && u.updates_in_place()))
                .and_then(|u| Some((u, indexer.previous_parts(number)?)));
            for (site, pages) in sites.iter().zip(same_keys) {
                let pages = if reused {
                    UnchangedPages::to_render(unchanged, site, pages)
                } else if let Some((unchanged, parts)) = &previous {
                    let from_output =
                        |page: &&Page| indexed_from_output(&indexer, unchanged, parts, site, page);
                    std::borrow::Cow::Owned(
                        (pages.par_iter())
                            .filter(|page| !from_output(page))
                            .cloned()
                            .collect(),
                    )
                } else {
                    std::borrow::Cow::Borrowed(pages.as_slice())
                };
                if !pages.is_empty() {
                    rendered(site, &pages)?;
                    if release {
                        release_bodies(site, &pages);
                    }
                }
            }
            // Pages kept unrendered need their bodies only to be verified
            // (at 50,000 briefs, one edit held 250 MB of them to the end).
            let kept = reused || previous.is_some();
            if release && kept && unchanged.is_some_and(|u| !u.verifies()) {
                for (site, pages) in sites.iter().zip(same_keys) {
                    release_bodies(site, pages);
                }
            }
            Ok::<(), BuildError>(())
        };
        // Each shard's pages by site, those whose keys changed apart from
        // the others: with the others' recorded hashes the changed ones may
        // give a key the cache holds, and then the others need no rendering.
        let splits: Vec<Split> = (shards.par_iter())
            .map(|shard| {
                let mut split: Split =
                    (vec![Vec::new(); sites.len()], vec![Vec::new(); sites.len()]);
                for &(at, id) in shard {
                    let page = Page::Brief(id);
                    let same = unchanged.is_some_and(|u| u.same_key(&sites[at], &page));
                    (if same { &mut split.1 } else { &mut split.0 })[at].push(page);
                }
                split
            })
            .collect();
        // In an output updated in place, the few shards holding a page whose
        // key changed (one, after one edit) are rendered before the other
        // pages, so that they are indexed while the listings and feeds are
        // keyed and rendered rather than after them (at 50,000 briefs,
        // Pagefind takes 0.4 s on a shard). Their bodies are kept for the
        // feeds. A cold build renders the other pages first: rendering them
        // alongside the indexing workers raised its peak by 150 MB.
        let changed: Vec<usize> = match unchanged {
            Some(u) if u.updates_in_place() => (splits.iter().enumerate())
                .filter(|(_, (changed, _))| changed.iter().any(|pages| !pages.is_empty()))
                .map(|(number, _)| number)
                .collect(),
            _ => Vec::new(),
        };
        let first: HashSet<usize> = if changed.len() <= workers {
            changed.into_iter().collect()
        } else {
            HashSet::new()
        };
        // Work that needs no page (the sitemap) is done on a thread of its
        // own alongside an in-place build's rendering; after a cold build's,
        // while its last shards are indexed.
        let mut meanwhile = Some(meanwhile);
        let alongside = (!first.is_empty())
            .then(|| meanwhile.take().map(|work| scope.spawn(work)))
            .flatten();
        for &number in &first {
            render_shard(number, &splits[number], false)?;
        }
        // Feeds read bodies, which are let go shard by shard below.
        let planned: HashSet<&Item> = shards.iter().flatten().collect();
        for (at, (site, pages)) in sites.iter().zip(pages_of).enumerate() {
            let rest: Vec<Page> = (pages.iter())
                .filter(|p| !matches!(p, Page::Brief(id) if planned.contains(&(at, *id))))
                .cloned()
                .collect();
            // Pages the index does not need are rendered only when their keys changed.
            rendered(site, &UnchangedPages::to_render(unchanged, site, &rest))?;
        }
        others_rendered.set(true);
        if unchanged.is_none_or(|u| !u.verifies()) {
            for &(at, id) in first.iter().flat_map(|&number| &shards[number]) {
                release_bodies(&sites[at], &[Page::Brief(id)]);
            }
        }
        for (number, split) in splits.iter().enumerate() {
            if !first.contains(&number) {
                render_shard(number, split, true)?;
            }
        }
        if let Some(t) = timings {
            t.add("render and write pages", started.elapsed());
        }
        if let Some(work) = meanwhile {
            work()?;
        }
        if let Some(work) = alongside {
            work.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        }
        let mut write = |file| sink(file);
        let summary = timed(timings, "search index", || indexer.finish(&mut write));
        let summary = summary.map_err(stopped)?;
        if let Some(unchanged) = unchanged {
            unchanged.index_hashes(indexer.page_hashes());
            let outputs = indexer.shard_outputs();
            let sources = search::ahead::to_record(plan, &outputs, |&(at, id)| {
                search::ahead::source_hash(&sites[at].briefs[id].path)
            });
            unchanged.shard_outputs(outputs, sources);
        }
        Ok(summary)
    })
}

/// Hands `indexer` a brief page the build keeps, made from its published
/// file and the last build's search-only `parts` of it, and keeps the page;
/// false when it must be rendered: no parts or file, or it indexes
/// otherwise than the last build recorded (a changed file is no error: the
/// output check then has the output built whole).
fn indexed_from_output(
    indexer: &Indexer<'_>,
    unchanged: &UnchangedPages<'_>,
    parts: &HashMap<String, search_only::Parts>,
    site: &Site<'_>,
    page: &Page,
) -> bool {
    let path = render::output_path(site, page);
    let name = path.to_string_lossy().replace('\\', "/");
    // Only asked of pages whose keys are the last build's.
    let (Some(expected), Some(parts)) = (unchanged.recorded_index_hash(&name), parts.get(&name))
    else {
        return false;
    };
    let copy =
        (unchanged.published(&path)).and_then(|file| search_only::index_copy_of(&file, parts));
    copy.is_some_and(|copy| indexer.keep_known(&name, &copy, parts, expected))
        && unchanged.kept(site, page)
}

/// A shard's brief pages by site: those whose keys changed (all of them
/// when the build keeps no page), and those whose keys did not.
type Split = (Vec<Vec<Page>>, Vec<Vec<Page>>);

/// Lets go of the bodies of brief pages rendered and handed to the index,
/// or kept unrendered and not to be verified: nothing reads them again in
/// this build (feeds and PDFs came before).
fn release_bodies(site: &Site<'_>, pages: &[Page]) {
    for page in pages {
        if let Page::Brief(id) = page
            && let Some(brief) = site.briefs.get(*id)
        {
            brief.body_html.release();
        }
    }
}

/// Closes the indexer when dropped, so that its workers return.
struct CloseOnDrop<'i, 'c>(&'i Indexer<'c>);

impl Drop for CloseOnDrop<'_, '_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

fn stopped(stop: Stop<WriteError>) -> BuildError {
    match stop {
        Stop::Search(e) => search_failed(e),
        Stop::Write(e) => BuildError::Write(e),
    }
}

fn search_failed(e: SearchError) -> BuildError {
    BuildError::Invalid(vec![
        Diagnostic::error(
            "search",
            0,
            0,
            format!("building the search index failed: {e}"),
        )
        .with_hint("set `search: false` in site.yaml to build without search"),
    ])
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Mutex;

    use crate::publish::search::{self, BUNDLE_DIR};
    use crate::{BuildOptions, SearchIndex, content, index, load, render, render_site};

    /// The example site (four languages, 16 briefs) built with two briefs
    /// per search shard: the bundle made while rendering is byte for byte
    /// the one made from every brief page at once, and shards are indexed
    /// and written while brief pages are still being rendered.
    #[test]
    fn shards_are_indexed_as_their_pages_stream_past_and_give_the_same_bundle() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let options = BuildOptions {
            root,
            ..BuildOptions::default()
        };
        let mut loaded = load(&options).expect("the example site loads");
        loaded.config.search_shard_briefs = 2;
        loaded.config.pdf = false;
        let written = Mutex::new(Vec::new());
        let (summary, _) = render_site(
            &loaded,
            None,
            None,
            SearchIndex::Build(None),
            None,
            |file| {
                written.lock().expect("lock").push(file);
                Ok(())
            },
        )
        .expect("renders");
        // The build let go of the bodies it rendered: a fresh copy renders them again.
        assert!(loaded.briefs.iter().all(|b| b.body_html.get().is_none()));
        let mut loaded = load(&options).expect("the example site loads");
        loaded.config.search_shard_briefs = 2;
        loaded.config.pdf = false;
        // Each brief page as the index reads it (with its search-only parts).
        let indexes = index::build_languages(&loaded.briefs, &loaded.actors, &loaded.config);
        let site = render::Site {
            indexes: &indexes,
            ..loaded.site(&indexes[0])
        };
        let cards = render::cards(&site, &loaded.tera, &loaded.templates).expect("cards");
        let mut indexed = std::collections::HashMap::new();
        for site in site.languages(&indexes) {
            let pages: Vec<render::Page> = (render::all_pages(&site).into_iter())
                .filter(|p| matches!(p, render::Page::Brief(_)))
                .collect();
            let rendered =
                render::render_in_memory(&site, &loaded.tera, &loaded.templates, &cards, &pages)
                    .expect("renders");
            indexed.extend(rendered.indexed);
        }
        let written = written.into_inner().expect("lock");
        let (shards, from_cache) = summary.search_shards;
        assert!(shards >= 8, "{shards} shards");
        assert_eq!(from_cache, 0);

        // The brief pages, newest first, as the bundle from all pages wants them.
        let briefs = &loaded.briefs;
        let mut newest_first: Vec<index::BriefId> = (0..briefs.len()).collect();
        newest_first.sort_by(|&a, &b| index::newer_first(&briefs[a], &briefs[b]));
        let pages: Vec<search::Page> = (newest_first.iter())
            .map(|&id| &briefs[id])
            .filter(|b| !content::calendar::is_preview_only(b))
            .map(|brief| {
                let path = [loaded.config.language_path(&brief.lang), "briefs/"].concat();
                let path = format!("{path}{}/index.html", brief.slug);
                let html = (indexed.get(&path))
                    .unwrap_or_else(|| panic!("{path} was not rendered"))
                    .clone();
                search::Page {
                    language: search::index_language(&brief.lang, &loaded.config),
                    html,
                    path,
                }
            })
            .collect();
        let brief_paths: Vec<PathBuf> = pages.iter().map(|p| PathBuf::from(&p.path)).collect();
        let at_once = search::bundle_cached(pages, &loaded.config.language, 2, None)
            .expect("the bundle of all pages");
        assert_eq!(at_once.shards, shards);
        let mut streamed: Vec<_> = (written.iter())
            .filter(|f| f.path.starts_with(BUNDLE_DIR))
            .cloned()
            .collect();
        streamed.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(streamed.len(), at_once.files.len());
        for (a, b) in streamed.iter().zip(&at_once.files) {
            assert_eq!(a.path, b.path);
            assert!(a.bytes == b.bytes, "{} differs", a.path.display());
        }

        // A worker has room for one shard more than it indexes: after the
        // first few shards, each shard's files are written before the last
        // brief page is rendered, not after all of them.
        let first_bundle_file = (written.iter())
            .position(|f| f.path.starts_with(BUNDLE_DIR))
            .expect("a bundle file");
        let last_brief_page = (written.iter())
            .rposition(|f| brief_paths.contains(&f.path))
            .expect("a brief page");
        assert!(
            first_bundle_file < last_brief_page,
            "the bundle came after every brief page ({first_bundle_file} > {last_brief_page})"
        );
    }
}
