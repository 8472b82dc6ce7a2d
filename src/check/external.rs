//! External links of `check --external`: fetched a few at a time with a
//! timeout, answers kept in the [`super::cache`] so good links are not
//! fetched again for a week.
//!
//! The only code of briefly that goes on the network; it reads and writes
//! nothing but the cache.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::cache::{Cache, Checked};
use super::links::Origin;
use crate::diagnostic::Diagnostic;

/// Links fetched at once, and how long one may take.
const CONCURRENT_FETCHES: usize = 8;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Checks external links (URL -> where it is written); a gone link (404,
/// 410) is an error, any other failure a warning. Each is reported once, at
/// its first place in a brief when a brief has it.
pub(super) fn errors(root: &Path, links: &BTreeMap<String, Vec<Origin>>) -> Vec<Diagnostic> {
    let mut cache = Cache::load(root);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let to_fetch: Vec<&String> = links.keys().filter(|u| cache.needs_fetch(u, now)).collect();
    cache.extend(fetch_all(&to_fetch, now));
    cache.save();
    let mut found = Vec::new();
    for (url, origins) in links {
        let Some(result) = cache.get(url) else {
            continue;
        };
        if result.ok() {
            continue;
        }
        let why = match (&result.error, result.status) {
            (Some(e), _) => format!("could not be fetched ({e})"),
            (None, s) => format!("answers HTTP {s}"),
        };
        let gone = matches!(result.status, 404 | 410);
        let Some(first) = origins.iter().find(|o| o.in_brief()).or(origins.first()) else {
            continue;
        };
        let d = first
            .error(format!("external link {url} {why}"))
            .with_hint(format!(
                "linked {} time(s); replace it with a working or archived copy",
                origins.len()
            ));
        found.push(if gone { d } else { d.warning() });
    }
    found
}

/// Fetches each URL once, [`CONCURRENT_FETCHES`] at a time.
fn fetch_all(urls: &[&String], now: u64) -> BTreeMap<String, Checked> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(FETCH_TIMEOUT))
        .user_agent("briefly-link-check")
        .build()
        .into();
    let queue = Mutex::new(
        urls.iter()
            .copied()
            .collect::<BTreeSet<&String>>()
            .into_iter()
            .collect::<Vec<_>>(),
    );
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENT_FETCHES.min(urls.len()) {
            scope.spawn(|| {
                while let Some(url) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    let checked = match agent.get(url.as_str()).call() {
                        Ok(response) => Checked {
                            status: response.status().as_u16(),
                            error: None,
                            checked: now,
                        },
                        Err(e) => Checked {
                            status: 0,
                            error: Some(e.to_string()),
                            checked: now,
                        },
                    };
                    if let Ok(mut r) = results.lock() {
                        r.insert(url.clone(), checked);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}
