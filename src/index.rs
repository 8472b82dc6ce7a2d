//! Index: which briefs are about which country, actor and author, newest
//! first, and which briefs are related. Stores brief positions, not copies.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::countries::lookup_key;
use crate::model::Brief;
use crate::validate::ActorRegistry;

/// Position of a brief in the site's brief list.
pub type BriefId = usize;

/// A named term (actor or author) and the briefs that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Display name.
    pub name: String,
    /// Briefs, newest first.
    pub briefs: Vec<BriefId>,
}

/// The site's indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    /// Every brief, newest first.
    pub newest_first: Vec<BriefId>,
    /// Briefs by country code, newest first.
    pub countries: BTreeMap<String, Vec<BriefId>>,
    /// Actors by key.
    pub actors: BTreeMap<String, Term>,
    /// Authors by key.
    pub authors: BTreeMap<String, Term>,
    /// For each brief, its related briefs, best first.
    pub related: Vec<Vec<BriefId>>,
}

/// How many candidate entries a brief may scan when scoring related briefs.
/// Rare terms are scanned first and completely; very common ones (Iran in a
/// third of the archive) only contribute their newest briefs. This keeps the
/// cost linear in the number of briefs.
const RELATED_SCAN_BUDGET: usize = 600;

/// Builds every index.
pub fn build(briefs: &[Brief], actors: &ActorRegistry, related_per_brief: usize) -> Index {
    let mut newest_first: Vec<BriefId> = (0..briefs.len()).collect();
    newest_first.sort_by(|&a, &b| newer_first(&briefs[a], &briefs[b]));
    // Rank of each brief in that order, so lists sort by one integer compare.
    let mut rank = vec![0usize; briefs.len()];
    for (r, &id) in newest_first.iter().enumerate() {
        rank[id] = r;
    }

    let mut countries: BTreeMap<String, Vec<BriefId>> = BTreeMap::new();
    let mut actor_lists: BTreeMap<String, (Vec<BriefId>, HashMap<&str, usize>)> = BTreeMap::new();
    let mut author_lists: BTreeMap<String, (Vec<BriefId>, HashMap<&str, usize>)> = BTreeMap::new();
    for &id in &newest_first {
        let b = &briefs[id];
        for code in &b.countries {
            countries.entry(code.clone()).or_default().push(id);
        }
        for a in &b.actors {
            let entry = actor_lists.entry(a.key.clone()).or_default();
            entry.0.push(id);
            *entry.1.entry(a.written.as_str()).or_default() += 1;
        }
        for name in &b.authors {
            let entry = author_lists.entry(lookup_key(name)).or_default();
            entry.0.push(id);
            *entry.1.entry(name.as_str()).or_default() += 1;
        }
    }
    let actors = actor_lists
        .into_iter()
        .map(|(key, (list, spellings))| {
            let name = match actors.entries.get(&key) {
                Some(entry) => entry.name.clone(),
                None => most_common(&spellings),
            };
            (key, Term { name, briefs: list })
        })
        .collect();
    let authors = author_lists
        .into_iter()
        .map(|(key, (list, spellings))| {
            (
                key,
                Term {
                    name: most_common(&spellings),
                    briefs: list,
                },
            )
        })
        .collect();

    let mut index = Index {
        newest_first,
        countries,
        actors,
        authors,
        related: Vec::new(),
    };
    index.related = (0..briefs.len())
        .into_par_iter()
        .map(|id| related(briefs, &index, &rank, id, related_per_brief))
        .collect();
    index
}

/// Newest first; ties broken by slug so order never depends on input order.
pub fn newer_first(a: &Brief, b: &Brief) -> std::cmp::Ordering {
    b.date
        .sort_key
        .cmp(&a.date.sort_key)
        .then_with(|| a.slug.cmp(&b.slug))
}

/// The spelling used most often; ties go to the alphabetically first, so the
/// result does not depend on brief order.
fn most_common(spellings: &HashMap<&str, usize>) -> String {
    spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s.to_string())
        .unwrap_or_default()
}

/// Briefs sharing the most countries and actors with `id`; ties go to the
/// newer brief.
fn related(
    briefs: &[Brief],
    index: &Index,
    rank: &[usize],
    id: BriefId,
    limit: usize,
) -> Vec<BriefId> {
    if limit == 0 {
        return Vec::new();
    }
    let b = &briefs[id];
    let mut lists: Vec<&[BriefId]> = b
        .countries
        .iter()
        .filter_map(|c| index.countries.get(c))
        .chain(
            b.actors
                .iter()
                .filter_map(|a| index.actors.get(&a.key).map(|t| &t.briefs)),
        )
        .map(Vec::as_slice)
        .collect();
    lists.sort_by_key(|l| l.len());
    let mut candidates: Vec<BriefId> = Vec::new();
    for list in lists {
        let room = RELATED_SCAN_BUDGET.saturating_sub(candidates.len());
        if room == 0 {
            break;
        }
        candidates.extend(list.iter().take(room).copied().filter(|&c| c != id));
    }
    candidates.sort_unstable();
    let mut scored: Vec<(usize, BriefId)> = Vec::new();
    for group in candidates.chunk_by(|a, b| a == b) {
        scored.push((group.len(), group[0]));
    }
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| rank[a.1].cmp(&rank[b.1])));
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}
