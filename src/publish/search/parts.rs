//! The search-only parts of each shard's pages, kept in the build cache
//! beside the shard's index under its layout key (`super::kept::layout_key`,
//! which the build's record keeps). With them an in-place build makes the
//! index's copy of a kept page from its published file instead of
//! rendering it, when the page's shard must be indexed again (at 50,000
//! briefs, after one edit, 499 of 500 pages; `super::stream::Indexer`).

use std::collections::HashMap;

use crate::cache::{BuildCache, Files, Key};
use crate::render::search_only::{self, Parts};

/// The build cache's kind for them.
const KIND: &str = "search-parts";

/// The parts of the pages of the shard laid out as `layout`, by page path;
/// `None` when the cache does not hold them whole.
pub(super) fn read(cache: &BuildCache, layout: u128) -> Option<HashMap<String, Parts>> {
    Some(read_in_order(cache, layout)?.into_iter().collect())
}

/// The pages of the shard laid out as `layout`, in the shard's order, each
/// with its parts; `None` when the cache does not hold them whole.
pub(super) fn read_in_order(cache: &BuildCache, layout: u128) -> Option<Vec<(String, Parts)>> {
    let files = cache.get(KIND, Key::from_u128(layout))?;
    (files.into_iter())
        .map(|(path, bytes)| {
            let name = path.to_str()?.to_string();
            Some((name, search_only::decode(path, &bytes)?))
        })
        .collect()
}

/// Keeps the parts of the shard laid out as `layout` for the next build:
/// the entry there is kept, or `parts` (each page's, `search_only::encode`
/// by path) stored when there is none.
pub(super) fn keep(cache: &BuildCache, layout: u128, parts: Option<&Files>) {
    let key = Key::from_u128(layout);
    if cache.contains(KIND, key) {
        cache.claim(KIND, key);
    } else if let Some(parts) = parts {
        cache.put(KIND, key, parts);
    }
}

/// Removes the entries this build did not keep.
pub(super) fn prune(cache: &BuildCache) {
    cache.prune(KIND);
}
