//! The plan of a streamed search bundle ([`super::stream`]): every brief
//! page's shard, known before rendering from its rank newest first and its
//! index language, cut as [`super::bundle_cached`] cuts them.

use std::collections::BTreeMap;

use super::shards::stable_shards;
use super::{SearchError, check_path, layout, normalize_language};

/// A brief page to index: its path under the output root (`/` separators),
/// its rank among the briefs newest first, its index language
/// ([`super::index_language`]) and what the caller renders it from.
pub(crate) struct PlannedPage<T> {
    pub(crate) path: String,
    pub(crate) rank: usize,
    pub(crate) language: String,
    pub(crate) item: T,
}

/// Which shard each brief page belongs to, in the order they are rendered
/// and indexed.
pub(crate) struct Plan<T> {
    pub(super) shards: Vec<Shard<T>>,
    pub(super) site_language: String,
    pub(super) shards_of: BTreeMap<String, usize>,
}

/// One shard: its index language, its place in that language (0 is the
/// newest, the main bundle) and its pages, newest first.
pub(super) struct Shard<T> {
    pub(super) language: String,
    pub(super) place: usize,
    pub(super) pages: Vec<(String, T)>,
}

impl<T> Plan<T> {
    /// Cuts `pages` into shards of `shard_pages` per index language as
    /// [`super::bundle_cached`] does; fails on a page path it would refuse.
    pub(crate) fn new(
        pages: Vec<PlannedPage<T>>,
        site_language: &str,
        shard_pages: usize,
    ) -> Result<Plan<T>, SearchError> {
        let site_language = normalize_language(site_language);
        let mut groups: BTreeMap<String, Vec<(usize, String, T)>> = BTreeMap::new();
        groups.entry(site_language.clone()).or_default();
        for page in pages {
            check_path(&page.path)?;
            let language = layout::index_of(page.language, &site_language);
            (groups.entry(language).or_default()).push((page.rank, page.path, page.item));
        }
        let mut shards = Vec::new();
        let mut shards_of = BTreeMap::new();
        for (language, mut pages) in groups {
            pages.sort_by_key(|(rank, _, _)| *rank);
            let cut = stable_shards(pages, shard_pages);
            shards_of.insert(language.clone(), cut.len());
            for (place, pages) in cut.into_iter().enumerate() {
                shards.push(Shard {
                    language: language.clone(),
                    place,
                    pages: pages
                        .into_iter()
                        .map(|(_, path, item)| (path, item))
                        .collect(),
                });
            }
        }
        Ok(Plan {
            shards,
            site_language,
            shards_of,
        })
    }

    /// The items of each shard's pages, shard by shard in the order the
    /// indexer expects them (any order works; this one holds the least).
    pub(crate) fn shards(&self) -> impl Iterator<Item = impl Iterator<Item = &T>> {
        (self.shards.iter()).map(|shard| shard.pages.iter().map(|(_, item)| item))
    }
}
