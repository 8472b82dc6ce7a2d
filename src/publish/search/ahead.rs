//! A search shard indexed ahead of the render. After one edit, the edited
//! brief's shard of 500 is the one Pagefind indexes again, and it is the
//! build's longest chain: at 50,000 briefs it started once the pages were
//! keyed and rendered (about half the build) and ran about 0.55 s, most of
//! it reading the 500 pages' words (the rest builds and compresses the
//! index).
//!
//! The input hashes tell which brief files changed before anything is
//! loaded, and the last build's record tells which shard each brief file's
//! pages were in ([`Recorded`]). So, when the changed briefs' pages were all
//! in one shard, a thread of its own hands Pagefind that shard's pages as
//! the last build published them (its output files with the search-only
//! parts the cache kept), while the site loads, validates and renders.
//! When the shard comes to be indexed, its pages (paths, in order) must be
//! the ones handed ahead, or it is indexed from nothing as before; each
//! page whose indexed HTML differs from what was handed ahead is handed
//! again, and Pagefind puts it in the first one's place (a page is known by
//! its URL), so the index is the one the pages give in that order: the
//! edited page, and any other whose text moved. Pages are numbered in the
//! order they were first handed, which is the shard's.
//!
//! A build that verifies kept pages (`--verify-kept`, debug builds) also
//! indexes the shard from nothing and fails when the two differ.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use pagefind::api::PagefindIndex;

use super::plan::Plan;
use super::shards::{index_on_own_runtime, page_hash};
use super::{SearchError, indexed_for, kept::ShardOutputs, parts};
use crate::cache::{BuildCache, Files};
use crate::render::search_only;

/// What a build's record keeps of each search shard for the next build:
/// its index language, its place, its layout key ([`super::kept::layout_key`],
/// under which the cache keeps its pages' search-only parts) and the
/// [`source_hash`] of each brief file whose page it holds.
pub(crate) type Recorded = Vec<(String, usize, u128, Vec<u64>)>;

/// A brief file's path (relative to the site root) as [`Recorded`] keeps it.
pub(crate) fn source_hash(path: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_encoded_bytes())
}

/// [`Recorded`] of the shards of `plan` that were written or kept
/// (`outputs`), the [`source_hash`] of each brief page's file given by
/// `source_of`.
pub(crate) fn to_record<T>(
    plan: &Plan<T>,
    outputs: &ShardOutputs,
    source_of: impl Fn(&T) -> u64,
) -> Recorded {
    (plan.shards.iter())
        .filter_map(|shard| {
            let (layout, _) = outputs.get(&(shard.language.clone(), shard.place))?;
            let mut sources: Vec<u64> = (shard.pages.iter())
                .map(|(_, item)| source_of(item))
                .collect();
            sources.sort_unstable();
            sources.dedup();
            Some((shard.language.clone(), shard.place, *layout, sources))
        })
        .collect()
}

/// The shard being indexed ahead, and the thread doing it.
pub(crate) struct Ahead {
    language: String,
    place: usize,
    requests: Mutex<Option<Sender<Request>>>,
    cancel: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// The shard's pages as they are now, and where to answer: the shard's
/// files, an error when they differ from its pages indexed anew (a verified
/// build), or nothing when it must be indexed as before.
struct Request {
    pages: Arc<Vec<(String, String)>>,
    answer: Sender<Option<Result<Files, SearchError>>>,
}

/// What [`Ahead::finish`] gives.
pub(crate) enum Finished {
    /// The shard's files, from the pages handed ahead and those handed again.
    Indexed(Result<Files, SearchError>),
    /// Not the shard handed ahead, or not its pages: index them as before.
    NotAhead(Vec<(String, String)>),
}

impl Ahead {
    /// Starts indexing the one shard that held the pages of the brief files
    /// `changed` (relative to the site root), as the last build recorded
    /// (`recorded`), from the output folder `output` (updated in place) and
    /// the search-only parts in `cache`. `None` when they were in no shard
    /// or in several.
    pub(crate) fn start(
        cache: BuildCache,
        recorded: Recorded,
        changed: &[PathBuf],
        output: &Path,
        verify: bool,
    ) -> Option<Ahead> {
        let hashes: Vec<u64> = changed.iter().map(|p| source_hash(p)).collect();
        let mut held = (recorded.into_iter())
            .filter(|(_, _, _, sources)| hashes.iter().any(|h| sources.binary_search(h).is_ok()));
        let (language, place, layout, _) = held.next()?;
        if held.next().is_some() {
            return None;
        }
        let (requests, received) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let thread = {
            let (language, output, cancel) =
                (language.clone(), output.to_path_buf(), cancel.clone());
            std::thread::Builder::new()
                .name("briefly-search-ahead".into())
                .spawn(move || {
                    let ahead = HandedAhead {
                        language,
                        verify,
                        cancel,
                    };
                    ahead.run(&cache, &output, layout, &received);
                })
                .ok()?
        };
        Some(Ahead {
            language,
            place,
            requests: Mutex::new(Some(requests)),
            cancel,
            thread: Some(thread),
        })
    }

    /// Shard `place` of `language` from its `pages` (paths and indexed
    /// HTML, in order): indexed from the pages handed ahead when it is the
    /// shard handed ahead and they are its pages; otherwise handed back.
    pub(crate) fn finish(
        &self,
        language: &str,
        place: usize,
        pages: Vec<(String, String)>,
    ) -> Finished {
        let sender = (language == self.language && place == self.place)
            .then(|| self.requests.lock().ok()?.take())
            .flatten();
        let Some(sender) = sender else {
            return Finished::NotAhead(pages);
        };
        let pages = Arc::new(pages);
        let (answer, answered) = mpsc::channel();
        let request = Request {
            pages: pages.clone(),
            answer,
        };
        let answer = (sender.send(request).ok()).and_then(|()| answered.recv().ok());
        match answer.flatten() {
            Some(files) => Finished::Indexed(files),
            // The pages handed ahead could not be indexed, or the pages are
            // not the shard's (the thread let go of them before answering).
            None => Finished::NotAhead(
                Arc::try_unwrap(pages).unwrap_or_else(|shared| (*shared).clone()),
            ),
        }
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Ok(mut requests) = self.requests.lock() {
            requests.take();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread's side.
struct HandedAhead {
    language: String,
    verify: bool,
    cancel: Arc<AtomicBool>,
}

impl HandedAhead {
    fn run(&self, cache: &BuildCache, output: &Path, layout: u128, requests: &Receiver<Request>) {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        let Some((mut index, handed)) =
            runtime.block_on(self.hand_last_pages(cache, output, layout))
        else {
            return;
        };
        let Ok(Request { pages, answer }) = requests.recv() else {
            return;
        };
        let same_pages = pages.len() == handed.len()
            && (pages.iter().zip(&handed)).all(|((path, _), (handed, _))| path == handed);
        // A page Pagefind fails on is reported by indexing as before.
        let files = (same_pages)
            .then(|| {
                runtime
                    .block_on(self.hand_changed(&mut index, &pages, &handed))
                    .ok()
            })
            .flatten();
        let files = match files {
            Some(files) if self.verify => Some(self.verified(files, &pages)),
            other => other.map(Ok),
        };
        drop(pages);
        let _ = answer.send(files);
    }

    /// A Pagefind index of the pages of the shard laid out as `layout` as
    /// the output holds them, and each page's path and [`page_hash`] as
    /// handed; `None` when one cannot be read or indexed, or the build no
    /// longer wants them.
    async fn hand_last_pages(
        &self,
        cache: &BuildCache,
        output: &Path,
        layout: u128,
    ) -> Option<(PagefindIndex, Vec<(String, u128)>)> {
        let pages = parts::read_in_order(cache, layout)?;
        let mut index = super::shards::new_index(&self.language).ok()?;
        let mut handed = Vec::with_capacity(pages.len());
        for (path, parts) in pages {
            if self.cancel.load(Ordering::Relaxed) {
                return None;
            }
            let published = std::fs::read(output.join(&path)).ok()?;
            let copy = search_only::index_copy_of(&published, &parts)?;
            let html = indexed_for(&self.language, String::from_utf8(copy).ok()?);
            let hash = page_hash(&html);
            index
                .add_html_file(Some(path.clone()), None, html)
                .await
                .ok()?;
            handed.push((path, hash));
        }
        Some((index, handed))
    }

    /// Hands `index` again each of `pages` whose indexed HTML is not the
    /// one handed ahead (`handed`), and builds it.
    async fn hand_changed(
        &self,
        index: &mut PagefindIndex,
        pages: &[(String, String)],
        handed: &[(String, u128)],
    ) -> Result<Files, SearchError> {
        for ((path, html), (_, hash)) in pages.iter().zip(handed) {
            if page_hash(html) != *hash {
                (index
                    .add_html_file(Some(path.clone()), None, html.clone())
                    .await)
                    .map_err(|e| SearchError::Page {
                        path: path.clone(),
                        message: format!("{e:#}"),
                    })?;
            }
        }
        super::shards::built(index).await
    }

    /// `files` when indexing `pages` from nothing gives the same.
    fn verified(&self, files: Files, pages: &[(String, String)]) -> Result<Files, SearchError> {
        let fresh = index_on_own_runtime(pages.to_vec(), &self.language)?;
        // Pagefind lists some files in no fixed order.
        if sorted(&fresh) == sorted(&files) {
            Ok(files)
        } else {
            Err(SearchError::AheadDiffers {
                first_page: pages
                    .first()
                    .map(|(path, _)| path.clone())
                    .unwrap_or_default(),
            })
        }
    }
}

/// `files` in the order of their names, to compare.
fn sorted(files: &Files) -> Vec<&(PathBuf, Vec<u8>)> {
    let mut sorted: Vec<&(PathBuf, Vec<u8>)> = files.iter().collect();
    sorted.sort_unstable();
    sorted
}
