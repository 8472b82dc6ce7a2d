//! Indexing while the site renders. Every brief page's shard is known
//! before rendering (its rank newest first and its index language), so the
//! build plans the shards ([`Plan`]), renders the brief pages shard by
//! shard, and hands each shard to an indexing worker ([`Indexer`]) as soon
//! as its last page has streamed past; a finished shard's files go to the
//! output at once. Only the shards being indexed and the one being rendered
//! are held, rather than every brief page until rendering ends (about
//! 700 MB at 50,000 briefs) and then the whole bundle (290 MB).
//!
//! The bundle is byte for byte [`super::bundle_cached`]'s for the same
//! pages: the same cut, folding, shards, cache keys and folders.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::ahead::Finished;
use super::kept::{KeptShards, ShardFiles, ShardOutputs, layout_key};
pub(crate) use super::plan::{Plan, PlannedPage};
use super::shards::{CACHE_KIND, index_on_own_runtime, page_hash, shard_key_of};
use super::{SearchError, indexed_for, layout, parts};
use crate::cache::{BuildCache, Files, Key};
use crate::render::OutputFile;
use crate::render::search_only::{self, Parts};

/// Workers indexing shards at once (each holds a Pagefind index).
pub(crate) const WORKERS: usize = super::shards::MAX_THREADS;

/// Why a streamed bundle stopped.
#[derive(Debug)]
pub(crate) enum Stop<E> {
    /// Indexing failed.
    Search(SearchError),
    /// Writing a finished shard's files failed.
    Write(E),
}

/// Shards as they are gathered, indexed and written. Workers run
/// [`Indexer::work`] on threads of their own; the renderer hands pages to
/// [`Indexer::keep`]; the thread driving the render calls
/// [`Indexer::wait_for_room`] between shards and [`Indexer::finish`] at the
/// end, which write the finished shards' files.
pub(crate) struct Indexer<'a> {
    cache: Option<&'a BuildCache>,
    /// The [`page_hash`] of every brief page indexed or taken from the
    /// cache, by path: the next build's pages kept unrendered have the same.
    page_hashes: Mutex<Vec<(String, u128)>>,
    /// Shard and position of each planned page.
    slot_of: HashMap<String, (usize, usize)>,
    /// Each shard's page paths, in order.
    paths: Vec<Vec<String>>,
    /// Each shard's language and place.
    shards: Vec<(String, usize)>,
    gathering: Vec<Mutex<Gathering>>,
    state: Mutex<State>,
    changed: Condvar,
    failed: AtomicBool,
    site_language: String,
    shards_of: BTreeMap<String, usize>,
    /// In an output updated in place: the last build's shard files.
    kept: Option<KeptShards<'a>>,
    /// Each shard's layout key and files, as written or kept, to record.
    outputs: Mutex<Vec<Option<ShardFiles>>>,
}

/// A shard's pages received so far: `(path, indexed HTML)` by position,
/// with each page's search-only parts as the build cache keeps them
/// ([`search_only::encode`]).
struct Gathering {
    pages: Vec<Option<(String, String, Vec<u8>)>>,
    missing: usize,
}

/// A complete shard: its number, its pages `(path, indexed HTML)` and
/// their search-only parts, to store beside its index.
type Job = (usize, Vec<(String, String)>, Files);

#[derive(Default)]
struct State {
    /// Complete shards waiting for a worker.
    jobs: VecDeque<Job>,
    /// Shards handed over and not yet indexed (waiting or being indexed).
    unfinished: usize,
    /// Indexed shards whose files are not written yet, with their cache keys.
    done: Vec<(usize, Key, Files)>,
    failure: Option<SearchError>,
    /// No more jobs will come: workers stop when the queue is empty.
    closed: bool,
    from_cache: usize,
    /// Shards indexed from the pages handed ahead ([`super::ahead`]).
    ahead: usize,
    /// Brief pages whose HTML is held, now and at most.
    held: usize,
    peak_held: usize,
}

/// What [`Indexer::finish`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Shards in the bundle.
    pub(crate) shards: usize,
    /// Shards reused from the build cache rather than indexed.
    pub(crate) from_cache: usize,
    /// Shards indexed from the pages the last build published, handed to
    /// Pagefind ahead of the render ([`super::ahead`]).
    pub(crate) ahead: usize,
    /// The most brief pages whose HTML was held at once.
    pub(crate) peak_held: usize,
}

impl<'a> Indexer<'a> {
    /// An indexer for the shards of `plan`, reusing and storing shards in
    /// `cache` when there is one.
    pub(crate) fn new<T>(plan: &Plan<T>, cache: Option<&'a BuildCache>) -> Indexer<'a> {
        let mut slot_of = HashMap::new();
        let mut state = State::default();
        let mut gathering = Vec::with_capacity(plan.shards.len());
        for (i, shard) in plan.shards.iter().enumerate() {
            for (at, (path, _)) in shard.pages.iter().enumerate() {
                slot_of.insert(path.clone(), (i, at));
            }
            if shard.pages.is_empty() {
                // An empty language still gets its (empty) bundle.
                state.jobs.push_back((i, Vec::new(), Files::new()));
                state.unfinished += 1;
            }
            gathering.push(Mutex::new(Gathering {
                pages: shard.pages.iter().map(|_| None).collect(),
                missing: shard.pages.len(),
            }));
        }
        Indexer {
            cache,
            page_hashes: Mutex::new(Vec::new()),
            slot_of,
            paths: (plan.shards.iter())
                .map(|s| s.pages.iter().map(|(path, _)| path.clone()).collect())
                .collect(),
            shards: (plan.shards.iter())
                .map(|s| (s.language.clone(), s.place))
                .collect(),
            gathering,
            state: Mutex::new(state),
            changed: Condvar::new(),
            failed: AtomicBool::new(false),
            site_language: plan.site_language.clone(),
            shards_of: plan.shards_of.clone(),
            kept: None,
            outputs: Mutex::new(vec![None; plan.shards.len()]),
        }
    }

    /// Keeps in place the files of shards whose layout is the last build's
    /// (see [`super::kept`]).
    pub(crate) fn keeping(self, kept: Option<KeptShards<'a>>) -> Indexer<'a> {
        Indexer { kept, ..self }
    }

    /// Keeps shard `shard`'s files where the last build wrote them, when its
    /// key and layout are that build's and the cache still holds its entry
    /// (claimed, so that it stays for a build into a new folder).
    fn keep_in_place(&self, shard: usize, key: Key) -> bool {
        let (Some(kept), Some(cache)) = (&self.kept, self.cache) else {
            return false;
        };
        let (language, place) = &self.shards[shard];
        let layout = layout_key(key, &self.site_language);
        if !cache.contains(CACHE_KIND, key) {
            return false;
        }
        let Some(paths) = kept.keep(language, *place, layout) else {
            return false;
        };
        cache.claim(CACHE_KIND, key);
        self.outputs.lock().unwrap_or_else(|e| e.into_inner())[shard] = Some((layout, paths));
        true
    }

    /// Each shard's files as written or kept, for the build's record.
    pub(crate) fn shard_outputs(&self) -> ShardOutputs {
        let outputs = std::mem::take(&mut *self.outputs.lock().unwrap_or_else(|e| e.into_inner()));
        (self.shards.iter().cloned())
            .zip(outputs)
            .filter_map(|(shard, output)| Some((shard, output?)))
            .collect()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps a rendered page when it is a planned brief page (only the part
    /// the index reads), and hands its shard to the workers once complete.
    /// `parts` are the search-only parts cut from its published file.
    pub(crate) fn keep(&self, path: &str, html: &[u8], parts: Option<&Parts>) {
        let Some(&(shard, at)) = self.slot_of.get(path) else {
            return;
        };
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        let html = indexed_for(
            &self.shards[shard].0,
            String::from_utf8_lossy(html).into_owned(),
        );
        self.gather(shard, at, (path, html, search_only::encode(parts)));
    }

    /// Keeps a page the build does not render, from the index's copy made
    /// of its published file ([`Indexer::previous_parts`]), when it indexes
    /// as `expected` (the last build's [`page_hash`] of it); false when it
    /// does not, or is no planned page: then it must be rendered.
    pub(crate) fn keep_known(
        &self,
        path: &str,
        html: &[u8],
        parts: &Parts,
        expected: u128,
    ) -> bool {
        let Some(&(shard, at)) = self.slot_of.get(path) else {
            return false;
        };
        let Ok(html) = std::str::from_utf8(html) else {
            return false;
        };
        let html = indexed_for(&self.shards[shard].0, html.to_string());
        if page_hash(&html) != expected {
            return false;
        }
        self.gather(shard, at, (path, html, search_only::encode(Some(parts))));
        true
    }

    /// The search-only parts of the pages of shard `shard` as the last build
    /// indexed them, by path, when the output is updated in place and the
    /// cache holds them: for [`Indexer::keep_known`].
    pub(crate) fn previous_parts(&self, shard: usize) -> Option<HashMap<String, Parts>> {
        let (kept, cache) = (self.kept.as_ref()?, self.cache?);
        let (language, place) = &self.shards[shard];
        let (layout, _) = kept.previous.get(&(language.clone(), *place))?;
        parts::read(cache, *layout)
    }

    /// Puts a page in its shard's slot, and hands the shard to the workers
    /// once complete.
    fn gather(&self, shard: usize, at: usize, (path, html, parts): (&str, String, Vec<u8>)) {
        let complete = {
            let mut gathering = self.gathering[shard]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            // Taken from the cache before its pages came ([`Indexer::reuse`]).
            if gathering.missing == 0 {
                return;
            }
            let slot = &mut gathering.pages[at];
            if slot.is_some() {
                return;
            }
            *slot = Some((path.to_string(), html, parts));
            gathering.missing -= 1;
            (gathering.missing == 0).then(|| take_pages(&mut gathering))
        };
        let mut state = self.state();
        state.held += 1;
        state.peak_held = state.peak_held.max(state.held);
        if let Some((pages, parts)) = complete {
            state.jobs.push_back((shard, pages, parts));
            state.unfinished += 1;
            self.changed.notify_all();
        }
    }

    /// A worker: indexes (or takes from the cache) the complete shards
    /// until the indexer is closed and nothing is left.
    pub(crate) fn work(&self) {
        loop {
            let job = {
                let mut state = self.state();
                loop {
                    if let Some(job) = state.jobs.pop_front() {
                        break Some(job);
                    }
                    if state.closed {
                        break None;
                    }
                    state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
                }
            };
            let Some((shard, pages, parts)) = job else {
                return;
            };
            let held = pages.len();
            // A panic inside Pagefind fails the build instead of leaving the
            // renderer waiting for a shard that never finishes.
            let indexed = (!self.failed.load(Ordering::Relaxed)).then(|| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.index(shard, pages, &parts)
                }))
                .unwrap_or(Err(SearchError::Panicked))
            });
            let mut state = self.state();
            state.unfinished -= 1;
            state.held -= held;
            match indexed {
                Some(Ok((files, key, cached))) => {
                    state.from_cache += usize::from(cached);
                    state.done.extend(files.map(|files| (shard, key, files)));
                }
                Some(Err(e)) => {
                    self.failed.store(true, Ordering::Relaxed);
                    state.failure.get_or_insert(e);
                }
                None => {}
            }
            self.changed.notify_all();
        }
    }

    /// One shard's files, from the cache or indexed (then cached), its key,
    /// and whether they came from the cache; no files when they are kept
    /// where the last build wrote them.
    fn index(
        &self,
        shard: usize,
        pages: Vec<(String, String)>,
        parts: &Files,
    ) -> Result<(Option<Files>, Key, bool), SearchError> {
        let language = &self.shards[shard].0;
        let hashes: Vec<(&str, u128)> = (pages.iter())
            .map(|(path, html)| (path.as_str(), page_hash(html)))
            .collect();
        self.remember(&hashes);
        let key = shard_key_of(language, hashes.into_iter());
        self.keep_parts(key, Some(parts));
        if self.keep_in_place(shard, key) {
            return Ok((None, key, true));
        }
        if let Some(files) = self.cache.and_then(|c| c.get(CACHE_KIND, key)) {
            return Ok((Some(files), key, true));
        }
        let ahead = match self.kept.as_ref().and_then(|kept| kept.ahead) {
            Some(ahead) => ahead.finish(language, self.shards[shard].1, pages),
            None => Finished::NotAhead(pages),
        };
        let files = match ahead {
            Finished::Indexed(files) => {
                self.state().ahead += 1;
                files?
            }
            Finished::NotAhead(pages) => index_on_own_runtime(pages, language)?,
        };
        if let Some(cache) = self.cache {
            cache.put(CACHE_KIND, key, &files);
        }
        Ok((Some(files), key, false))
    }

    /// Keeps the search-only parts of the pages of the shard keyed `key`
    /// for the next build: the entry there is kept, or `parts` (every page's)
    /// stored when there is none.
    fn keep_parts(&self, key: Key, parts: Option<&Files>) {
        if let Some(cache) = self.cache {
            parts::keep(cache, layout_key(key, &self.site_language), parts);
        }
    }

    fn remember(&self, hashes: &[(&str, u128)]) {
        let mut remembered = self.page_hashes.lock().unwrap_or_else(|e| e.into_inner());
        remembered.extend(hashes.iter().map(|(path, hash)| (path.to_string(), *hash)));
    }

    /// Takes shard `shard` from the cache when each of its pages is either
    /// here already or has a known hash (`known`, given the page's place in
    /// the shard and its path: a page the build keeps unrendered has the one
    /// the last build recorded). True when the shard was there: its other
    /// pages then need not be rendered for the index, and are ignored if
    /// they are.
    pub(crate) fn reuse(&self, shard: usize, known: impl Fn(usize, &str) -> Option<u128>) -> bool {
        let Some(cache) = self.cache else {
            return false;
        };
        let mut gathering = self.gathering[shard]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if gathering.missing == 0 {
            return false;
        }
        let paths = &self.paths[shard];
        let hashes: Option<Vec<(&str, u128)>> = (paths.iter().zip(&gathering.pages))
            .enumerate()
            .map(|(at, (path, page))| {
                let hash = match page {
                    Some((_, html, _)) => page_hash(html),
                    None => known(at, path)?,
                };
                Some((path.as_str(), hash))
            })
            .collect();
        let Some(hashes) = hashes else {
            return false;
        };
        let language = &self.shards[shard].0;
        let key = shard_key_of(language, hashes.iter().copied());
        self.keep_parts(key, None);
        let files = if self.keep_in_place(shard, key) {
            None
        } else {
            let Some(files) = cache.get(CACHE_KIND, key) else {
                return false;
            };
            Some(files)
        };
        self.remember(&hashes);
        let held = gathering.pages.iter().filter(|p| p.is_some()).count();
        gathering.missing = 0;
        gathering.pages.iter_mut().for_each(|p| *p = None);
        let mut state = self.state();
        state.held -= held;
        state.from_cache += 1;
        state.done.extend(files.map(|files| (shard, key, files)));
        self.changed.notify_all();
        true
    }

    /// The [`page_hash`] of every page indexed or reused, by path: for the
    /// build's record, so that the next build knows those of the pages it keeps.
    pub(crate) fn page_hashes(&self) -> Vec<(String, u128)> {
        std::mem::take(&mut self.page_hashes.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Waits until at most `limit` shards are handed over and not indexed,
    /// writing the indexed shards' files meanwhile.
    pub(crate) fn wait_for_room<E>(
        &self,
        limit: usize,
        write: &mut impl FnMut(OutputFile) -> Result<(), E>,
    ) -> Result<(), Stop<E>> {
        loop {
            let (done, room) = {
                let mut state = self.state();
                if state.failure.is_none() && state.done.is_empty() && state.unfinished > limit {
                    state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
                }
                // Also a failure that came while waiting: the shard that
                // failed is no longer unfinished, and there would be room.
                if let Some(e) = state.failure.take() {
                    return Err(Stop::Search(e));
                }
                (std::mem::take(&mut state.done), state.unfinished <= limit)
            };
            for (shard, key, files) in done {
                let (language, place) = &self.shards[shard];
                let mut paths = Vec::new();
                for file in layout::shard_files(language, &self.site_language, *place, files) {
                    paths.push(file.path.clone());
                    write(file).map_err(Stop::Write)?;
                }
                let layout = layout_key(key, &self.site_language);
                self.outputs.lock().unwrap_or_else(|e| e.into_inner())[shard] =
                    Some((layout, paths));
            }
            if room {
                return Ok(());
            }
        }
    }

    /// Waits for every shard, writes the rest of the bundle (the last
    /// shards, `shards.json` and `languages.json`) and prunes the cache.
    /// Every planned page must have been kept by now: a shard still missing
    /// some (never rendered) is indexed with the pages it has.
    pub(crate) fn finish<E>(
        &self,
        write: &mut impl FnMut(OutputFile) -> Result<(), E>,
    ) -> Result<Summary, Stop<E>> {
        for (shard, gathering) in self.gathering.iter().enumerate() {
            let mut gathering = gathering.lock().unwrap_or_else(|e| e.into_inner());
            if gathering.missing > 0 {
                gathering.missing = 0;
                let (pages, parts) = take_pages(&mut gathering);
                let mut state = self.state();
                state.jobs.push_back((shard, pages, parts));
                state.unfinished += 1;
            }
        }
        {
            let mut state = self.state();
            state.closed = true;
            self.changed.notify_all();
        }
        self.wait_for_room(0, write)?;
        for file in layout::manifests(&self.site_language, &self.shards_of).map_err(Stop::Search)? {
            write(file).map_err(Stop::Write)?;
        }
        if let Some(cache) = self.cache {
            cache.prune(CACHE_KIND);
            parts::prune(cache);
        }
        let state = self.state();
        Ok(Summary {
            shards: self.shards.len(),
            from_cache: state.from_cache,
            ahead: state.ahead,
            peak_held: state.peak_held,
        })
    }

    /// Stops the workers once they finish the shard in hand (the build
    /// failed or the bundle is complete); pages kept afterwards are dropped.
    pub(crate) fn close(&self) {
        self.failed.store(true, Ordering::Relaxed);
        let mut state = self.state();
        state.jobs.clear();
        state.closed = true;
        self.changed.notify_all();
    }
}

/// The pages a shard has received, in order, and their search-only
/// parts, leaving it empty.
fn take_pages(gathering: &mut Gathering) -> (Vec<(String, String)>, Files) {
    (gathering.pages.iter_mut())
        .filter_map(Option::take)
        .map(|(path, html, parts)| ((path.clone(), html), (path.into(), parts)))
        .unzip()
}

#[cfg(test)]
mod tests;
