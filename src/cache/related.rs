//! Related briefs kept across builds. A brief's related list is a function
//! of every brief's country and actor terms and of the briefs' order (see
//! `index::related_of`), not of titles, bodies or anything else a brief
//! says, so an edit that leaves every brief's terms and date alone (most
//! edits) finds the lists of the last build. At 50,000 briefs computing
//! them is 0.3 s of CPU in every build.

use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3;

use super::{BuildCache, KeyBuilder};
use crate::index::{self, BriefId, Index};

/// The cache kind of related lists.
const KIND: &str = "related";

/// The one file of an entry.
const FILE: &str = "related.postcard";

/// Every index of the site (`index::build_languages`), with related briefs
/// from the cache where it has them; entries of earlier builds are removed.
pub(crate) fn indexes(
    cache: &BuildCache,
    briefs: &[crate::content::model::Brief],
    actors: &crate::content::validate::ActorRegistry,
    config: &crate::content::config::Config,
) -> Vec<Index> {
    let related = |index: &Index, ids: &[BriefId], limit| related_of(cache, index, ids, limit);
    let indexes = index::build_languages_with(briefs, actors, config, &related);
    cache.prune(KIND);
    indexes
}

/// [`index::related_of`], from the cache when the same terms, order and
/// limit were seen before.
fn related_of(
    cache: &BuildCache,
    index: &Index,
    ids: &[BriefId],
    limit: usize,
) -> Vec<Vec<BriefId>> {
    let key = KeyBuilder::new(KIND)
        .part(&what_related_reads(index, ids, limit).to_le_bytes())
        .finish();
    let kept = cache
        .get(KIND, key)
        .and_then(|entry| match entry.as_slice() {
            [(name, bytes)] if name == Path::new(FILE) => {
                postcard::from_bytes::<Vec<Vec<BriefId>>>(bytes).ok()
            }
            _ => None,
        });
    // An entry is only ever written with one list per id.
    if let Some(lists) = kept.filter(|lists| lists.len() == ids.len()) {
        return lists;
    }
    let lists = index::related_of(index, ids, limit);
    if let Ok(bytes) = postcard::to_stdvec(&lists) {
        cache.put(KIND, key, &[(PathBuf::from(FILE), bytes)]);
    }
    lists
}

/// A hash of everything `index::related_with` reads: the limit, the briefs
/// asked for, each brief's rank and term numbers, and each term's briefs.
fn what_related_reads(index: &Index, ids: &[BriefId], limit: usize) -> u128 {
    let mut hasher = Xxh3::new();
    let mut number = |n: usize| hasher.update(&(n as u64).to_le_bytes());
    number(limit);
    number(ids.len());
    ids.iter().for_each(|&id| number(id));
    number(index.rank.len());
    index.rank.iter().for_each(|&r| number(r));
    number(index.brief_terms.len());
    for terms in &index.brief_terms {
        number(terms.len());
        terms.iter().for_each(|&t| number(t as usize));
    }
    number(index.term_briefs.len());
    for briefs in &index.term_briefs {
        number(briefs.len());
        briefs.iter().for_each(|&b| number(b));
    }
    hasher.digest128()
}
