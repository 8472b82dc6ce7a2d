//! Formatted references remembered across builds. A CSL style costs about
//! 0.16-0.45 ms per entry through hayagriva, and the same entry always
//! formats the same way, so each reference is kept under a hash of its
//! entry: in memory for the process (every `serve` rebuild), and in the
//! build cache between builds (one cache entry per style and language,
//! holding what the last build used).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

use hayagriva::Entry;

use super::csl::{CslStyle, Reference};
use crate::cache::{BuildCache, Key, KeyBuilder};
use crate::content::config::Config;

/// The references a style has formatted, and which of them this build used.
#[derive(Default)]
pub(crate) struct Memo {
    pub(super) known: Mutex<HashMap<Key, Reference>>,
    pub(super) used: Mutex<HashSet<Key>>,
}

/// The cache kind of formatted references.
const KIND: &str = "citations";

impl Memo {
    /// The key of an entry: its whole content (hayagriva's `Debug` output
    /// lists every field) and hayagriva's version.
    pub(crate) fn key(entry: &Entry) -> Key {
        KeyBuilder::new(KIND)
            .part(b"hayagriva 0.10")
            .part(format!("{entry:?}").as_bytes())
            .finish()
    }

    /// The reference formatted earlier for this key.
    pub(crate) fn get(&self, key: Key) -> Option<Reference> {
        let found = self.known.lock().ok()?.get(&key).cloned();
        if found.is_some()
            && let Ok(mut used) = self.used.lock()
        {
            used.insert(key);
        }
        found
    }

    /// Remembers a reference just formatted.
    pub(crate) fn put(&self, key: Key, reference: &Reference) {
        if let Ok(mut known) = self.known.lock() {
            known.insert(key, reference.clone());
        }
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
    }
}

/// The cache entry of a site's style and language.
fn entry_key(config: &Config) -> Key {
    KeyBuilder::new(KIND)
        .part(config.citation_style.as_bytes())
        .part(config.language.as_bytes())
        .finish()
}

/// Loads the references the last build kept, before a build renders pages
/// (nothing for the default style, which briefly formats itself).
pub(crate) fn restore(config: &Config, cache: &BuildCache) {
    let Some(style) = CslStyle::for_site(&config.citation_style, &config.language) else {
        return;
    };
    let Some(files) = cache.get(KIND, entry_key(config)) else {
        return;
    };
    let Some((_, json)) = files.first() else {
        return;
    };
    let Ok(saved) = serde_json::from_slice::<Vec<(String, String, String)>>(json) else {
        return;
    };
    if let (Ok(mut known), Ok(mut used)) = (style.memo.known.lock(), style.memo.used.lock()) {
        used.clear();
        for (key, html, text) in saved {
            if let Ok(key) = u128::from_str_radix(&key, 16) {
                known.insert(Key::from_u128(key), Reference { html, text });
            }
        }
    }
}

/// Keeps the references this build used for the next one.
pub(crate) fn save(config: &Config, cache: &BuildCache) {
    let Some(style) = CslStyle::for_site(&config.citation_style, &config.language) else {
        return;
    };
    let (Ok(known), Ok(used)) = (style.memo.known.lock(), style.memo.used.lock()) else {
        return;
    };
    let mut saved: Vec<(String, &str, &str)> = used
        .iter()
        .filter_map(|key| {
            let r = known.get(key)?;
            Some((
                format!("{:032x}", key.as_u128()),
                r.html.as_str(),
                r.text.as_str(),
            ))
        })
        .collect();
    saved.sort();
    if let Ok(json) = serde_json::to_vec(&saved) {
        cache.put(
            KIND,
            entry_key(config),
            &[(PathBuf::from("references.json"), json)],
        );
        cache.prune(KIND);
    }
}
