//! Pages a build need not render: brief and listing pages whose key
//! (`render::page_keys`, a hash of what the page shows) is the one the last
//! build recorded for the same output path, while the output folder is as
//! that build left it (checked file by file: the in-place build). Such a
//! page would come out byte for byte as it is, so it is kept without being
//! rendered or read. Brief pages are keyed before rendering; listing pages
//! once their template variables are built (`render::KeepPages`). The
//! search index's shard keys hash each page's indexed HTML, which the last
//! build recorded: a shard whose changed pages index as before comes from
//! the build cache without its other pages being rendered.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::cache::up_to_date::PageKeys;
use crate::content::model::Brief;
use crate::index::BriefId;
use crate::publish::search;
use crate::publish::search::kept::{KeptShards, ShardOutputs};
use crate::render::{self, Page, Site};

/// Whether kept pages are rendered after all and compared: with
/// `--verify-kept`, and in debug builds (the test suite's) unless
/// `BRIEFLY_VERIFY_KEPT=0`, so that a test can take the release path, where
/// kept pages also let go of their bodies.
pub(crate) fn verify_wanted(options: &crate::BuildOptions) -> bool {
    options.verify_kept
        || (cfg!(debug_assertions)
            && std::env::var_os("BRIEFLY_VERIFY_KEPT").is_none_or(|v| v != "0"))
}

/// What a build needs to find unchanged pages.
pub(crate) struct Reuse<'a> {
    /// The build's render key (`cache::up_to_date::render_base`).
    pub(crate) base: u128,
    /// The last build's page keys; empty unless the output is updated in place.
    pub(crate) previous: PageKeys,
    /// The last build's hash of each brief page's indexed HTML
    /// (`search::shards::page_hash`), by path with `/` separators.
    pub(crate) previous_index: HashMap<String, u128>,
    /// Keeps an output file as it is; false when there is none to keep
    /// (the in-place staging's `keep_unrendered`).
    pub(crate) keep: &'a (dyn Fn(&Path) -> bool + Sync),
    /// The last build's search shard files (empty unless the output is
    /// updated in place), and a way to keep them all as they are.
    pub(crate) previous_shards: ShardOutputs,
    /// The last build's listings key (`render::page_keys::listings_key`).
    pub(crate) previous_listings: Option<u128>,
    /// The files the last build made of the whole page list (`render::
    /// site_files`: sitemap, robots.txt, redirects), when it recorded them.
    pub(crate) previous_site_files: Option<Vec<PathBuf>>,
    pub(crate) keep_files: &'a (dyn Fn(&[PathBuf]) -> bool + Sync),
    /// The output folder, when it is updated in place: the search index
    /// reads kept brief pages there ([`UnchangedPages::published`]).
    pub(crate) in_place: Option<&'a Path>,
    /// The output folder, when every kept page is to be rendered after all
    /// and compared with its file there ([`UnchangedPages::verify`]).
    pub(crate) verify_in: Option<&'a Path>,
    /// Briefs' identities hashed when they were parsed (the build cache's).
    pub(crate) known: render::page_keys::Known,
    /// The search shard being indexed ahead of the render, if any.
    pub(crate) ahead: Option<&'a search::ahead::Ahead>,
}

/// This build's page keys, and which pages were kept unrendered.
pub(crate) struct UnchangedPages<'a> {
    /// Brief pages' keys, made before rendering.
    keys: PageKeys,
    /// Whether each brief page's key is the last build's, by site language
    /// and brief.
    same: Vec<Vec<bool>>,
    /// Listing pages' keys, made while rendering.
    listing_keys: Mutex<Vec<(PathBuf, u128)>>,
    /// Hashes of the brief pages' indexed HTML (`search::shards::page_hash`).
    index_hashes: Mutex<Vec<(String, u128)>>,
    /// The search shards' files, as written or kept, and which brief files'
    /// pages each holds.
    shard_outputs: Mutex<(ShardOutputs, search::ahead::Recorded)>,
    card_keys: Vec<u128>,
    cards_remembered: usize,
    /// Each brief's identity (`render::page_keys::identities`), which feeds' keys hash.
    identities: Vec<u128>,
    /// This build's listings key (`render::page_keys::listings_key`), and
    /// whether it is the last build's: every listing page and feed without
    /// bodies is then kept as that build wrote it, unkeyed.
    listings_key: u128,
    listings_as_before: bool,
    reuse: &'a Reuse<'a>,
    kept: AtomicUsize,
    listings_kept: AtomicUsize,
    /// Feeds keyed, and kept (their keys are among `listing_keys`).
    feeds: AtomicUsize,
    feeds_kept: AtomicUsize,
    /// The output paths of the pages kept, when they are to be verified.
    kept_paths: Option<Mutex<Vec<PathBuf>>>,
    /// The paths of the site files (`render::site_files`) made or kept, to record.
    site_files: Mutex<Vec<PathBuf>>,
}

impl<'a> UnchangedPages<'a> {
    /// Keys every brief page of `sites` (each rendering `pages_of` its
    /// position), from the briefs' `identities` and card keys (of which
    /// `cards_remembered` came from the build cache).
    pub(crate) fn new(
        reuse: &'a Reuse<'a>,
        briefs: &[Brief],
        (identities, card_keys, cards_remembered): (Vec<u128>, Vec<u128>, usize),
        sites: &[Site<'_>],
        pages_of: &[Vec<Page>],
    ) -> UnchangedPages<'a> {
        let listing_hashes = render::page_keys::listing_hashes(briefs, &reuse.known);
        let listings_key = render::page_keys::listings_key(reuse.base, &listing_hashes, &card_keys);
        let mut keys = PageKeys::default();
        let mut same = Vec::new();
        for (site, pages) in sites.iter().zip(pages_of) {
            let site_keys = render::page_keys::brief_page_keys(
                site,
                pages,
                reuse.base,
                (&identities, &card_keys),
            );
            // Whether each brief page's key is the last build's, looked up
            // once here: the render asks for each page several times.
            let same_as_before: Vec<bool> = (site_keys.par_iter())
                .map(|(path, key)| reuse.previous.get(path.as_os_str()) == Some(key))
                .collect();
            let ids = pages.iter().filter_map(|page| match page {
                Page::Brief(id) => Some(*id),
                _ => None,
            });
            if same.len() <= site.lang {
                same.resize(site.lang + 1, Vec::new());
            }
            let of_site = &mut same[site.lang];
            of_site.resize(briefs.len(), false);
            for (id, same) in ids.zip(same_as_before) {
                if let Some(slot) = of_site.get_mut(id) {
                    *slot = same;
                }
            }
            keys.extend(
                site_keys
                    .into_iter()
                    .map(|(path, key)| (path.into_os_string(), key)),
            );
        }
        UnchangedPages {
            keys,
            same,
            listing_keys: Mutex::new(Vec::new()),
            index_hashes: Mutex::new(Vec::new()),
            shard_outputs: Mutex::new(Default::default()),
            card_keys,
            cards_remembered,
            identities,
            listings_as_before: !reuse.previous.is_empty()
                && reuse.previous_listings == Some(listings_key),
            listings_key,
            reuse,
            kept: AtomicUsize::new(0),
            listings_kept: AtomicUsize::new(0),
            feeds: AtomicUsize::new(0),
            feeds_kept: AtomicUsize::new(0),
            kept_paths: reuse.verify_in.map(|_| Mutex::new(Vec::new())),
            site_files: Mutex::new(Vec::new()),
        }
    }

    /// Whether `page` is a brief page whose key is the last build's.
    pub(crate) fn same_key(&self, site: &Site<'_>, page: &Page) -> bool {
        let Page::Brief(id) = page else { return false };
        (self.same.get(site.lang)).is_some_and(|same| same.get(*id) == Some(&true))
    }

    /// Whether the last build's page keys are known (the output is updated
    /// in place), so that pages can keep their keys.
    pub(crate) fn updates_in_place(&self) -> bool {
        !self.reuse.previous.is_empty()
    }

    /// The last build's hash of the indexed HTML of the brief page at `path`
    /// (`/` separators): this build's too when the page's key is the last
    /// build's ([`UnchangedPages::same_key`]), as it is then the same page.
    pub(crate) fn recorded_index_hash(&self, path: &str) -> Option<u128> {
        self.reuse.previous_index.get(path).copied()
    }

    /// The last build's search shards, to keep those that did not change
    /// where they are (none unless the output is updated in place).
    pub(crate) fn kept_shards(&self) -> Option<KeptShards<'_>> {
        (!self.reuse.previous_shards.is_empty()).then_some(KeptShards {
            previous: &self.reuse.previous_shards,
            keep: self.reuse.keep_files,
            ahead: self.reuse.ahead,
        })
    }

    /// Notes the search shards' files and which brief files' pages each
    /// holds, to record.
    pub(crate) fn shard_outputs(&self, outputs: ShardOutputs, sources: search::ahead::Recorded) {
        if let Ok(mut all) = self.shard_outputs.lock() {
            all.0.extend(outputs);
            all.1.extend(sources);
        }
    }

    /// Notes the hashes of the brief pages' indexed HTML, to record.
    pub(crate) fn index_hashes(&self, hashes: Vec<(String, u128)>) {
        if let Ok(mut all) = self.index_hashes.lock() {
            all.extend(hashes);
        }
    }

    /// The file the last build published at `path` (under the output
    /// folder updated in place), as it is now.
    pub(crate) fn published(&self, path: &Path) -> Option<Vec<u8>> {
        std::fs::read(self.reuse.in_place?.join(path)).ok()
    }

    /// Whether `page` is kept as the last build wrote it, without rendering.
    pub(crate) fn kept(&self, site: &Site<'_>, page: &Page) -> bool {
        if !self.same_key(site, page) {
            return false;
        }
        let path = render::output_path(site, page);
        let kept = (self.reuse.keep)(&path);
        if kept {
            self.kept.fetch_add(1, Ordering::Relaxed);
            self.note_kept(path);
        }
        kept
    }

    /// The pages among `pages` that must be rendered (the others are kept):
    /// all of them without `unchanged`, or when the last build left no keys
    /// to compare with (a cold build then copies no page list).
    pub(crate) fn to_render<'p>(
        unchanged: Option<&Self>,
        site: &Site<'_>,
        pages: &'p [Page],
    ) -> Cow<'p, [Page]> {
        match unchanged {
            Some(unchanged) if unchanged.updates_in_place() => Cow::Owned(
                (pages.par_iter())
                    .filter(|page| !unchanged.kept(site, page))
                    .cloned()
                    .collect(),
            ),
            _ => Cow::Borrowed(pages),
        }
    }

    /// Keeps the last build's site files (sitemap, robots.txt, redirects)
    /// as they are, unmade, when no brief changed in anything listing pages
    /// show (the listings key, which starts from the render key, is the last
    /// build's): they are made from the page list, the briefs' dates,
    /// slugs, aliases and translations, and the configuration, all of which
    /// are then as they were. Returns whether they were kept.
    pub(crate) fn keep_site_files(&self) -> bool {
        let Some(paths) =
            (self.reuse.previous_site_files.as_ref()).filter(|_| self.listings_as_before)
        else {
            return false;
        };
        let kept = (self.reuse.keep_files)(paths);
        if kept {
            self.note_site_files(paths.clone());
        }
        kept
    }

    /// Notes the paths of the site files made or kept, to record.
    pub(crate) fn note_site_files(&self, paths: Vec<PathBuf>) {
        if let Ok(mut all) = self.site_files.lock() {
            *all = paths;
        }
    }

    /// Compares site files made after all with those kept (when kept pages
    /// are verified): a difference means the listings key misses something
    /// they show.
    pub(crate) fn verify_site_files(&self, files: &[render::OutputFile]) -> Vec<crate::Diagnostic> {
        let Some(output) = self.reuse.verify_in else {
            return Vec::new();
        };
        (files.iter())
            .filter(|file| std::fs::read(output.join(&file.path)).ok().as_deref() != Some(&file.bytes[..]))
            .map(|file| {
                crate::Diagnostic::file_error(
                    output.join(&file.path),
                    "this file was kept as the last build wrote it, but it comes out differently now",
                )
                .with_hint(
                    "either the listings key misses something it shows (a bug in briefly: \
                     please report it) or the file was changed behind the build's back; \
                     `briefly build --no-cache` writes it right",
                )
            })
            .collect()
    }

    /// Whether the pages kept are rendered after all, to verify them.
    pub(crate) fn verifies(&self) -> bool {
        self.reuse.verify_in.is_some()
    }

    fn note_kept(&self, path: PathBuf) {
        if let Some(Ok(mut paths)) = self.kept_paths.as_ref().map(Mutex::lock) {
            paths.push(path);
        }
    }

    /// Renders every page kept unrendered after all and compares it with
    /// the file the last build left: a difference means a page key misses
    /// something the page shows. Done when [`verify_wanted`] says so, which
    /// the test suite's debug builds do: every test that builds twice
    /// checks the keys.
    pub(crate) fn verify(
        &self,
        sites: &[Site<'_>],
        pages_of: &[Vec<Page>],
        rendering: (
            &tera::Tera,
            &[(String, crate::content::source::TextFile)],
            &dyn render::CardSource,
        ),
    ) -> Vec<crate::Diagnostic> {
        let (Some(output), Some(kept)) = (self.reuse.verify_in, &self.kept_paths) else {
            return Vec::new();
        };
        let kept: HashSet<PathBuf> = kept
            .lock()
            .map(|k| k.iter().cloned().collect())
            .unwrap_or_default();
        let (tera, templates, cards) = rendering;
        // Compared as they render, not collected: at 50,000 briefs the kept
        // pages are over a gigabyte.
        let problems = Mutex::new(Vec::new());
        let differs = |file: render::OutputFile| {
            let on_disk = std::fs::read(output.join(&file.path));
            if on_disk.ok().as_deref() != Some(&file.bytes[..])
                && let Ok(mut problems) = problems.lock()
            {
                problems.push(
                    crate::Diagnostic::file_error(
                        output.join(&file.path),
                        "this page was kept as the last build wrote it, but it renders differently now",
                    )
                    .with_hint(
                        "either its page key misses something the page shows (a bug in \
                         briefly: please report it) or the file was changed behind the \
                         build's back; `briefly build --no-cache` writes it right",
                    ),
                );
            }
            Ok::<(), std::convert::Infallible>(())
        };
        // A kept search shard was made from the pages' indexed HTML as the
        // last build recorded it: what a kept brief page gives the index now
        // must hash the same, search-only parts included (they are not in
        // the published file compared above).
        let indexes_differently = |site: &Site<'_>, lang: &str, page: &render::Rendered| {
            let path = page.file.path.to_string_lossy().replace('\\', "/");
            let Some(recorded) = self.reuse.previous_index.get(&path) else {
                return;
            };
            let now = crate::publish::search::index_hash(&page.index_copy(), lang, site.config);
            if now != *recorded
                && let Ok(mut problems) = problems.lock()
            {
                problems.push(
                    crate::Diagnostic::file_error(
                        output.join(&page.file.path),
                        "this page's search index entry was kept as the last build made it, but the page indexes differently now",
                    )
                    .with_hint(
                        "its page key misses something only the search index reads (a bug in \
                         briefly: please report it); `briefly build --no-cache` indexes it right",
                    ),
                );
            }
        };
        for (site, pages) in sites.iter().zip(pages_of) {
            let pages: Vec<Page> = (pages.iter())
                .filter(|page| kept.contains(&render::output_path(site, page)))
                .cloned()
                .collect();
            let lang_of: HashMap<PathBuf, &str> = (pages.iter())
                .filter_map(|page| match page {
                    Page::Brief(id) => Some((
                        render::output_path(site, page),
                        site.briefs[*id].lang.as_str(),
                    )),
                    _ => None,
                })
                .collect();
            let rendered =
                render::render_each(site, tera, templates, cards, &pages, None, |page| {
                    if let Some(lang) = lang_of.get(&page.file.path) {
                        indexes_differently(site, lang, &page);
                    }
                    differs(page.into_file())
                });
            if let Err(render::RenderError::Templates(errors)) = rendered
                && let Ok(mut problems) = problems.lock()
            {
                problems.extend(errors);
            }
        }
        let mut problems = problems.into_inner().unwrap_or_default();
        crate::diagnostic::sort(&mut problems);
        problems
    }

    /// Brief pages kept unrendered, of all brief pages; the same of listing
    /// pages; and every page's key, to record.
    pub(crate) fn finish(self) -> Kept {
        let listing_keys = self.listing_keys.into_inner().unwrap_or_default();
        let brief_pages = (self.kept.into_inner(), self.keys.len());
        let feeds = (self.feeds_kept.into_inner(), self.feeds.into_inner());
        let listing_pages = (
            self.listings_kept.into_inner(),
            listing_keys.len() - feeds.1,
        );
        let (shard_outputs, shard_sources) = self.shard_outputs.into_inner().unwrap_or_default();
        let mut keys = self.keys;
        keys.extend((listing_keys.into_iter()).map(|(path, key)| (path.into_os_string(), key)));
        Kept {
            card_keys: (self.cards_remembered, self.card_keys.len()),
            brief_pages,
            listing_pages,
            feeds,
            keys,
            index_hashes: self.index_hashes.into_inner().unwrap_or_default(),
            shard_outputs,
            shard_sources,
            listings_key: self.listings_key,
            listings_as_before: self.listings_as_before,
            site_files: self.site_files.into_inner().unwrap_or_default(),
        }
    }
}

/// What [`UnchangedPages::finish`] reports.
#[derive(Default)]
pub(crate) struct Kept {
    /// Card keys remembered, of all briefs'.
    pub(crate) card_keys: (usize, usize),
    pub(crate) brief_pages: (usize, usize),
    pub(crate) listing_pages: (usize, usize),
    pub(crate) feeds: (usize, usize),
    pub(crate) keys: PageKeys,
    pub(crate) index_hashes: Vec<(String, u128)>,
    pub(crate) shard_outputs: ShardOutputs,
    /// Which brief files' pages each search shard holds.
    pub(crate) shard_sources: search::ahead::Recorded,
    pub(crate) listings_key: u128,
    pub(crate) listings_as_before: bool,
    /// The paths of the site files made or kept.
    pub(crate) site_files: Vec<PathBuf>,
}

impl render::KeepPages for UnchangedPages<'_> {
    fn base(&self) -> u128 {
        self.reuse.base
    }

    fn card_key(&self, id: BriefId) -> u128 {
        self.card_keys.get(id).copied().unwrap_or_default()
    }

    fn keep(&self, path: &Path, key: u128) -> bool {
        let kept = self.keep_keyed(path, key);
        if kept {
            self.listings_kept.fetch_add(1, Ordering::Relaxed);
        }
        kept
    }

    fn identity(&self, id: BriefId) -> u128 {
        self.identities.get(id).copied().unwrap_or_default()
    }

    fn keep_as_before(&self, path: &Path, feed: bool) -> bool {
        if !self.listings_as_before {
            return false;
        }
        // Kept with the key it had; otherwise the caller keys the page.
        let Some(&key) = self.reuse.previous.get(path.as_os_str()) else {
            return false;
        };
        if !(self.reuse.keep)(path) {
            return false;
        }
        if let Ok(mut keys) = self.listing_keys.lock() {
            keys.push((path.to_path_buf(), key));
        }
        self.note_kept(path.to_path_buf());
        if feed {
            self.feeds.fetch_add(1, Ordering::Relaxed);
            self.feeds_kept.fetch_add(1, Ordering::Relaxed);
        } else {
            self.listings_kept.fetch_add(1, Ordering::Relaxed);
        }
        true
    }

    fn keep_feed(&self, path: &Path, key: u128) -> bool {
        self.feeds.fetch_add(1, Ordering::Relaxed);
        let kept = self.keep_keyed(path, key);
        if kept {
            self.feeds_kept.fetch_add(1, Ordering::Relaxed);
        }
        kept
    }
}

impl UnchangedPages<'_> {
    /// Records a page keyed while rendering, and keeps it when its key is
    /// the last build's.
    fn keep_keyed(&self, path: &Path, key: u128) -> bool {
        if let Ok(mut keys) = self.listing_keys.lock() {
            keys.push((path.to_path_buf(), key));
        }
        let kept =
            self.reuse.previous.get(path.as_os_str()) == Some(&key) && (self.reuse.keep)(path);
        if kept {
            self.note_kept(path.to_path_buf());
        }
        kept
    }
}
