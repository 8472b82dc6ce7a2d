//! Indexing shards: cutting the pages into shards that stay the same from
//! build to build, keying each for the build cache, and running Pagefind on
//! the shards that are not cached, two at a time, each on a thread and a
//! tokio runtime of its own. `super` assembles the bundle.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Mutex;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{SearchError, indexed_part};
use crate::cache::{Files, Key, KeyBuilder};

/// Shards indexed at once (each holds its own index in memory).
pub(super) const MAX_THREADS: usize = 2;

/// The build cache's kind for search shards.
pub(super) const CACHE_KIND: &str = "search";

/// Splits pages (newest first) into shards of `shard_pages`, counted from
/// the oldest page, and returns them newest shard first, each still newest
/// first. Always at least one (maybe empty) shard.
pub(super) fn stable_shards<T>(pages: Vec<T>, shard_pages: usize) -> Vec<Vec<T>> {
    let shard_pages = shard_pages.max(1);
    let mut oldest_first = pages;
    oldest_first.reverse();
    let mut shards: Vec<Vec<T>> = Vec::new();
    let mut rest = oldest_first.into_iter();
    loop {
        let mut shard: Vec<_> = rest.by_ref().take(shard_pages).collect();
        if shard.is_empty() {
            break;
        }
        shard.reverse();
        shards.push(shard);
    }
    shards.reverse();
    if shards.is_empty() {
        shards.push(Vec::new());
    }
    shards
}

/// What a shard's index depends on: Pagefind's version, the language, and
/// every page's path and indexed HTML, in order.
pub(super) fn shard_key(pages: &[(String, String)], language: &str) -> Key {
    shard_key_of(
        language,
        pages
            .iter()
            .map(|(path, html)| (path.as_str(), page_hash(html))),
    )
}

/// The hash of one page's indexed HTML, of which a shard's key is made: a
/// build that kept a page unrendered still knows it (the last build's).
pub(crate) fn page_hash(html: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(html.as_bytes())
}

/// [`shard_key`] from each page's path and [`page_hash`], in order.
pub(super) fn shard_key_of<'p>(
    language: &str,
    pages: impl Iterator<Item = (&'p str, u128)>,
) -> Key {
    let mut key = KeyBuilder::new(CACHE_KIND);
    key.part(PAGEFIND_VERSION.as_bytes())
        .part(language.as_bytes());
    for (path, hash) in pages {
        key.part(path.as_bytes()).part(&hash.to_le_bytes());
    }
    key.finish()
}

/// Pagefind is pinned in Cargo.toml; its version is part of every shard's key.
const PAGEFIND_VERSION: &str = "pagefind 1.6.0";

/// A shard to index: its position, its cache key, its language and its
/// (cut) pages.
pub(super) type Job = (usize, Key, String, Vec<(String, String)>);

/// Indexes the shards on up to [`MAX_THREADS`] threads.
pub(super) fn index_in_parallel(jobs: Vec<Job>) -> Result<Vec<(usize, Key, Files)>, SearchError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MAX_THREADS)
        .min(jobs.len());
    // The newest shard first: workers pop from the end.
    let mut jobs = jobs;
    jobs.reverse();
    let jobs = Mutex::new(jobs);
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| index_shards(&jobs, &done)))
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().map_err(|_| SearchError::Panicked)?)
    })?;
    done.into_inner().map_err(|_| SearchError::Panicked)
}

/// A worker: indexes shards from `jobs` until none is left or one fails
/// (then the others are dropped).
#[allow(clippy::type_complexity)]
fn index_shards(
    jobs: &Mutex<Vec<Job>>,
    done: &Mutex<Vec<(usize, Key, Files)>>,
) -> Result<(), SearchError> {
    loop {
        let job = jobs.lock().map_err(|_| SearchError::Panicked)?.pop();
        let Some((i, key, language, pages)) = job else {
            return Ok(());
        };
        match index_on_own_runtime(pages, &language) {
            Ok(files) => done
                .lock()
                .map_err(|_| SearchError::Panicked)?
                .push((i, key, files)),
            Err(e) => {
                if let Ok(mut jobs) = jobs.lock() {
                    jobs.clear();
                }
                return Err(e);
            }
        }
    }
}

/// Runs Pagefind on a fresh current-thread runtime; returns file names
/// relative to the bundle folder with their bytes.
pub(super) fn index_on_own_runtime(
    pages: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, SearchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SearchError::Runtime)?;
    // The pages come cut to their indexed part.
    runtime.block_on(index(pages, language, false))
}

/// Indexes `pages`, each cut to [`indexed_part`] when `cut` (always, but
/// for the tests that compare with whole pages).
pub(super) async fn index(
    pages: Vec<(String, String)>,
    language: &str,
    cut: bool,
) -> Result<Vec<(PathBuf, Vec<u8>)>, SearchError> {
    let mut index = new_index(language)?;
    // Pages are moved in one by one so that each page's HTML is freed once
    // Pagefind has parsed it.
    for (path, html) in pages {
        let html = if cut {
            indexed_part(&html).unwrap_or(html)
        } else {
            html
        };
        index
            .add_html_file(Some(path.clone()), None, html)
            .await
            .map_err(|e| SearchError::Page {
                path,
                message: format!("{e:#}"),
            })?;
    }
    built(&mut index).await
}

/// An empty Pagefind index for pages in `language`.
pub(super) fn new_index(language: &str) -> Result<PagefindIndex, SearchError> {
    let config = PagefindServiceConfig::builder()
        .force_language(language.to_string())
        .build();
    PagefindIndex::new(Some(config)).map_err(|e| SearchError::Config {
        language: language.to_string(),
        message: format!("{e:#}"),
    })
}

/// The files of `index` built: names relative to the bundle folder, and
/// their bytes.
pub(super) async fn built(index: &mut PagefindIndex) -> Result<Files, SearchError> {
    let files = index
        .get_files()
        .await
        .map_err(|e| SearchError::Build(format!("{e:#}")))?;
    Ok(files
        .into_iter()
        .map(|file| (file.filename, file.contents))
        .collect())
}
