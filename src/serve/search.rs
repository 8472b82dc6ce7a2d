//! The preview server's search index: indexed on a thread of its own after
//! start-up and again after every save that changed pages, so an edit is
//! findable seconds later while page reloads never wait for it.
//!
//! Requests are coalesced (only the newest waiting one is indexed), and
//! the shards come from the build cache, which `build` shares: after a save
//! only the shard holding the edited brief is indexed again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Instant, SystemTime};

use crate::cache::BuildCache;
use crate::publish::search;

/// What to index: the brief pages (paths under the output folder, newest
/// first, as `build` passes them, each with its index language:
/// [`search::index_language`]), the site's language and the shard size.
pub(crate) struct Request {
    pub(crate) pages: Vec<(String, String)>,
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
            let mut pages = PageMemo::default();
            while let Ok(mut request) = waiting.recv() {
                while let Ok(newer) = waiting.try_recv() {
                    request = newer;
                }
                index(&cache, &mut pages, &output, request);
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

/// The indexed part of every page read so far, with the size and
/// modification time it was read at: after a save only the pages the
/// server rewrote are read and cut again.
#[derive(Default)]
struct PageMemo(HashMap<String, (Stamp, String)>);

/// A written page's size and modification time.
type Stamp = (u64, Option<SystemTime>);

impl PageMemo {
    /// The indexed part of each page at `paths`, in order; unreadable pages
    /// are left out.
    fn pages(&mut self, output: &Path, paths: Vec<(String, String)>) -> Vec<search::Page> {
        let stamp = |path: &str| {
            std::fs::metadata(output.join(path))
                .ok()
                .map(|m| (m.len(), m.modified().ok()))
        };
        let stale: Vec<String> = (paths.iter().map(|(p, _)| p))
            .filter(|p| {
                let now = stamp(p);
                now.is_none() || self.0.get(*p).map(|(s, _)| Some(*s)) != Some(now)
            })
            .cloned()
            .collect();
        for (path, html) in crate::content::source::written_pages(output, stale) {
            if let Some(now) = stamp(&path) {
                self.0.insert(path, (now, search::indexed(html)));
            }
        }
        let wanted: std::collections::HashSet<&String> = paths.iter().map(|(p, _)| p).collect();
        self.0.retain(|p, _| wanted.contains(p));
        paths
            .into_iter()
            .filter_map(|(path, language)| {
                let html = self.0.get(&path)?.1.clone();
                Some(search::Page {
                    path,
                    language,
                    html,
                })
            })
            .collect()
    }
}

fn index(cache: &BuildCache, memo: &mut PageMemo, output: &Path, request: Request) {
    let started = Instant::now();
    let pages = memo.pages(output, request.pages);
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
