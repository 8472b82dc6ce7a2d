//! The preview server's search index: indexed on a thread of its own after
//! start-up and again after every save that changed pages, so an edit is
//! findable seconds later while page reloads never wait for it.
//!
//! Requests are coalesced (only the newest waiting one is indexed), and
//! the shards come from the build cache, which `build` shares: after a save
//! only the shard holding the edited brief is indexed again.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use crate::cache::BuildCache;
use crate::publish::search;

/// What to index: the brief pages (newest first, as `build` passes them:
/// each with its path under the output folder, its index language
/// ([`search::index_language`]) and its indexed HTML, as the session
/// rendered it), the site's language and the shard size.
pub(crate) struct Request {
    pub(crate) pages: Vec<(String, String, std::sync::Arc<str>)>,
    pub(crate) language: String,
    pub(crate) shard_briefs: usize,
}

/// The handle the watcher sends requests to.
pub(super) struct Indexer {
    requests: mpsc::Sender<Request>,
}

impl Indexer {
    /// Starts the indexing thread for the site at `root` served from `output`.
    pub(super) fn start(root: PathBuf, output: PathBuf) -> Indexer {
        let (requests, waiting) = mpsc::channel::<Request>();
        std::thread::spawn(move || {
            let cache = BuildCache::open_at(&root, crate::cache::SERVE_CACHE_DIR);
            while let Ok(mut request) = waiting.recv() {
                while let Ok(newer) = waiting.try_recv() {
                    request = newer;
                }
                index(&cache, &output, request);
            }
        });
        Indexer { requests }
    }

    /// Asks for the index of these pages (a newer request replaces a
    /// waiting one).
    pub(super) fn request(&self, request: Option<Request>) {
        if let Some(request) = request {
            let _ = self.requests.send(request);
        }
    }
}

fn index(cache: &BuildCache, output: &Path, request: Request) {
    let started = Instant::now();
    let pages: Vec<search::Page> = (request.pages.into_iter())
        .map(|(path, language, html)| search::Page {
            path,
            language,
            html: html.to_string(),
        })
        .collect();
    let count = pages.len();
    let made = search::bundle_cached(pages, &request.language, request.shard_briefs, Some(cache))
        .map_err(|e| e.to_string())
        .and_then(|bundle| {
            crate::output::replace_search_bundle(output, &bundle.files)
                .map(|()| bundle)
                .map_err(|e| e.to_string())
        });
    for warning in cache.take_warnings() {
        eprintln!("{warning}");
    }
    match made {
        Ok(bundle) => println!(
            "search index of {count} briefs ready in {} ms ({} of {} shard(s) reused)",
            started.elapsed().as_millis(),
            bundle.from_cache,
            bundle.shards
        ),
        Err(e) => eprintln!("warning: the search index could not be built: {e}"),
    }
}
