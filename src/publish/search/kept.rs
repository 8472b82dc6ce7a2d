//! Shards kept where they are. When the output folder is updated in place
//! (as the last build left it), a shard whose cache key and layout are the
//! last build's has its files in the output already, byte for byte what
//! the cache would give: they are kept without reading the cache entry or
//! the files. At 50,000 briefs that spares reading about 200 MB twice (the
//! entries, then the output files to compare) when one brief changed.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::cache::Key;

/// A shard's files: its [`layout_key`] and their paths under the output folder.
pub(crate) type ShardFiles = (u128, Vec<PathBuf>);

/// Each shard's files as the last build wrote them, by index language and place.
pub(crate) type ShardOutputs = HashMap<(String, usize), ShardFiles>;

/// What the build's record holds of [`ShardOutputs`].
pub(crate) type Recorded = Vec<(String, usize, u128, Vec<PathBuf>)>;

/// The record's form of the shards' outputs.
pub(crate) fn to_record(outputs: ShardOutputs) -> Recorded {
    let mut recorded: Recorded = (outputs.into_iter())
        .map(|((language, place), (key, paths))| (language, place, key, paths))
        .collect();
    recorded.sort();
    recorded
}

/// [`ShardOutputs`] from the record.
pub(crate) fn from_record(recorded: Recorded) -> ShardOutputs {
    (recorded.into_iter())
        .map(|(language, place, key, paths)| ((language, place), (key, paths)))
        .collect()
}

/// A shard's files depend on its cache key and on the site's language,
/// which decides the folder of each index language's shards.
pub(crate) fn layout_key(key: Key, site_language: &str) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&key.as_u128().to_le_bytes());
    hasher.update(site_language.as_bytes());
    hasher.digest128()
}

/// The last build's shard files and a way to keep output files in place.
pub(crate) struct KeptShards<'a> {
    pub(crate) previous: &'a ShardOutputs,
    /// Keeps every file at the paths as it is, or none (false).
    pub(crate) keep: &'a (dyn Fn(&[PathBuf]) -> bool + Sync),
}

impl KeptShards<'_> {
    /// Keeps the files of the shard at `place` of `language` when its
    /// layout key is the last build's; returns what to record of them.
    pub(crate) fn keep(&self, language: &str, place: usize, layout: u128) -> Option<Vec<PathBuf>> {
        let (recorded, paths) = self.previous.get(&(language.to_string(), place))?;
        (*recorded == layout && (self.keep)(paths)).then(|| paths.clone())
    }
}
