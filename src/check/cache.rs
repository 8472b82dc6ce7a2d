//! The cache of `check --external`: the last answer of every external link,
//! in one JSON file under `.briefly-cache/` in the site root (outside the
//! output folder, which every build replaces).
//!
//! The only code of `check` that touches the disk. A missing or unreadable
//! cache is an empty one, and a cache that cannot be saved only costs the
//! next run its fetches: neither stops a check.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where `--external` keeps its results, under the site root.
pub(crate) const CACHE_FILE: &str = ".briefly-cache/external-links.json";

/// A good external link is not fetched again for this long.
const CACHE_FOR: Duration = Duration::from_secs(7 * 24 * 3600);

/// One external link's last result.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Checked {
    /// HTTP status, or 0 when no answer came.
    pub(super) status: u16,
    /// Why there was no answer.
    pub(super) error: Option<String>,
    /// Seconds since the epoch.
    pub(super) checked: u64,
}

impl Checked {
    /// Whether the link works (redirects count as working).
    pub(super) fn ok(&self) -> bool {
        (200..400).contains(&self.status)
    }
}

/// The cached results, by URL.
pub(super) struct Cache {
    path: PathBuf,
    entries: BTreeMap<String, Checked>,
}

impl Cache {
    /// Reads the cache of the site at `root`.
    pub(super) fn load(root: &Path) -> Cache {
        let path = root.join(CACHE_FILE);
        let entries = fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        Cache { path, entries }
    }

    /// Whether `url` must be fetched at `now` (seconds since the epoch):
    /// never checked, broken last time, or good but older than a week.
    pub(super) fn needs_fetch(&self, url: &str, now: u64) -> bool {
        self.entries
            .get(url)
            .is_none_or(|c| !c.ok() || now.saturating_sub(c.checked) > CACHE_FOR.as_secs())
    }

    /// The last result for `url`.
    pub(super) fn get(&self, url: &str) -> Option<&Checked> {
        self.entries.get(url)
    }

    /// Records new results.
    pub(super) fn extend(&mut self, results: BTreeMap<String, Checked>) {
        self.entries.extend(results);
    }

    /// Writes the cache back (best effort, see the module doc).
    pub(super) fn save(&self) {
        if let Some(dir) = self.path.parent() {
            let _ = fs::create_dir_all(dir);
        }
        if let Ok(json) = serde_json::to_string_pretty(&self.entries) {
            let _ = fs::write(&self.path, json);
        }
    }
}
