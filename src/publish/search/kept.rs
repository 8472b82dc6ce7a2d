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

/// The record's form of the shards' outputs (serialized as [`Recorded`]).
pub(crate) fn to_record(outputs: &ShardOutputs) -> Vec<(&str, usize, u128, &[PathBuf])> {
    let mut recorded: Vec<_> = (outputs.iter())
        .map(|((language, place), (key, paths))| {
            (language.as_str(), *place, *key, paths.as_slice())
        })
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
    /// The shard being indexed ahead of the render, if any.
    pub(crate) ahead: Option<&'a super::ahead::Ahead>,
}

impl KeptShards<'_> {
    /// Keeps the files of the shard at `place` of `language` when its
    /// layout key is the last build's; returns what to record of them.
    pub(crate) fn keep(&self, language: &str, place: usize, layout: u128) -> Option<Vec<PathBuf>> {
        let (recorded, paths) = self.previous.get(&(language.to_string(), place))?;
        (*recorded == layout && (self.keep)(paths)).then(|| paths.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::cache::{BuildCache, Key};
    use crate::{BuildError, BuildOptions};

    /// A site of the test fixture in a temporary folder, one brief per
    /// search shard.
    fn fixture_site(dir: &Path) -> std::path::PathBuf {
        let root = crate::fixture::copy_site(dir);
        let config = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
        std::fs::write(
            root.join("site.yaml"),
            format!("{config}search_shard_briefs: 1\n"),
        )
        .expect("site.yaml");
        root
    }

    /// What a page key that missed something only the search index reads
    /// would look like: the last build's record says a kept page indexed as
    /// something else, and the cache holds a shard for that. Verification
    /// renders the kept page and finds that it indexes differently.
    #[test]
    fn verify_kept_catches_a_kept_page_that_indexes_differently() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = fixture_site(dir.path());
        let options = BuildOptions {
            root: root.clone(),
            verify_kept: true,
            ..BuildOptions::default()
        };
        crate::build(&options).expect("first build");

        let cache = BuildCache::open(&root);
        let mut record = cache.get("last-build", Key::from_u128(0)).expect("record");
        let (_, field) = (record.iter_mut())
            .find(|(name, _)| name == Path::new("index-hashes"))
            .expect("index hashes");
        let mut hashes =
            crate::cache::codec::read_keyed(field, crate::cache::codec::string).expect("hashes");
        let (path, hash) = (hashes.iter_mut())
            .find(|(path, _)| path == "briefs/beta/index.html")
            .expect("beta's hash");
        let real =
            super::super::shards::shard_key_of("en", std::iter::once((path.as_str(), *hash)));
        *hash ^= 1;
        let forged =
            super::super::shards::shard_key_of("en", std::iter::once((path.as_str(), *hash)));
        let mut list: Vec<(&[u8], u128)> = (hashes.iter())
            .map(|(path, hash)| (path.as_bytes(), *hash))
            .collect();
        *field = crate::cache::codec::keyed_list(&mut list);
        cache.put("last-build", Key::from_u128(0), &record);
        let shard = cache
            .get(super::super::shards::CACHE_KIND, real)
            .expect("beta's shard");
        cache.put(super::super::shards::CACHE_KIND, forged, &shard);

        // Another brief's edit past its summary (which beta's related card
        // shows), so that beta's page and shard are kept.
        let alpha = root.join("content/briefs/alpha.md");
        let text = std::fs::read_to_string(&alpha).expect("alpha");
        std::fs::write(&alpha, text.replace("More text.", "More text, edited.")).expect("edit");
        match crate::build(&options) {
            Err(BuildError::Invalid(problems)) => {
                let text = format!("{problems:?}");
                assert!(
                    text.contains("briefs/beta/index.html") && text.contains("indexes differently"),
                    "{text}"
                );
            }
            other => panic!("the build should fail verification: {other:?}"),
        }
    }
}
