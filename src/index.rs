//! Index: which briefs are about which country, actor and author, newest
//! first, and which briefs are related. Stores brief positions, not copies.

use std::collections::BTreeMap;

mod pairs;
mod publishers;
mod terms;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::content::config::Config;
use crate::content::model::Brief;
use crate::content::validate::ActorRegistry;

/// A brief's position in `Loaded::briefs`, the site's one brief list.
///
/// This is the one place that owns brief ids, so the rules are here:
/// - The list is sorted by source path and never reordered while ids are
///   held; an id is valid only for the list it was taken from.
/// - Three things are kept in lockstep with that list, position for
///   position: the list itself, the shared cards (`render::cards`) and the
///   per-brief vectors of [`Index`] (`related`, `rank`, `brief_terms`).
///   Every other structure (listings, term lists) holds ids, never copies.
/// - Only the preview session changes the list after a build (a brief
///   added, removed or renamed); it maps old ids to new ones in one place,
///   `serve::session::brief_list::Renumbering`, and rebuilds the index and
///   re-keys the cards from that mapping before anything reads them.
///
/// A plain `usize` rather than a newtype: ids index hot per-brief scratch
/// arrays in related-brief scoring, and the invariant above is about which
/// list an id belongs to, which a newtype could not check either.
pub(crate) type BriefId = usize;

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
    /// Topics by key (empty when no brief has `topics:`).
    pub topics: BTreeMap<String, Term>,
    /// Briefs by year of publication, newest first.
    pub years: BTreeMap<i16, Vec<BriefId>>,
    /// Source publishers by key: the briefs citing each.
    pub sources: BTreeMap<String, Term>,
    /// The kind most sources of a publisher were given (`state-media`), by key.
    pub source_kinds: BTreeMap<String, String>,
    /// Briefs naming both countries of a pair (codes, the smaller first).
    pub pairs: BTreeMap<(String, String), Vec<BriefId>>,
    /// For each brief, its related briefs, best first.
    pub related: Vec<Vec<BriefId>>,
    /// Position of each brief in `newest_first`.
    pub rank: Vec<usize>,
    /// Country and actor terms of each brief, as sorted term numbers.
    pub brief_terms: Vec<Vec<u32>>,
    /// Briefs of each term number, newest first (countries first, then actors).
    pub term_briefs: Vec<Vec<BriefId>>,
    /// Groups of translations (`translation_of`, `translation_key`), each
    /// ordered by site language; the same in every language's index.
    pub translations: Vec<Vec<BriefId>>,
    /// The group in `translations` of each brief that has one.
    pub translation_of: FxHashMap<BriefId, usize>,
}

/// A term carried by more briefs than this says little about how two briefs
/// relate (Iran is in a third of a Middle East archive), so it does not
/// propose related candidates, though it still counts in their score.
/// Keeping candidate lists short keeps related briefs cheap to compute and
/// cheap to update when one brief changes.
pub(crate) const COMMON_TERM_BRIEFS: usize = 200;

/// A brief with only common terms takes candidates from the newest briefs of each.
pub(crate) const COMMON_TERM_WINDOW: usize = 50;

/// Builds every index.
pub fn build(briefs: &[Brief], actors: &ActorRegistry, related_per_brief: usize) -> Index {
    let mut index = build_lists(briefs, actors);
    index.related = related_of(
        &index,
        &(0..briefs.len()).collect::<Vec<_>>(),
        related_per_brief,
    );
    index
}

/// One index per site language (see `Config::languages`), each over that
/// language's briefs (ids stay positions in the whole list), with the
/// translation groups. A single-language site has one index of every brief.
pub(crate) fn build_languages(
    briefs: &[Brief],
    actors: &ActorRegistry,
    config: &Config,
) -> Vec<Index> {
    build_languages_with(briefs, actors, config, &related_of)
}

/// How related briefs are found: [`related_of`], or a memo of it.
pub(crate) type RelatedOf<'a> = dyn Fn(&Index, &[BriefId], usize) -> Vec<Vec<BriefId>> + 'a;

/// [`build_languages`], finding related briefs with `related`.
pub(crate) fn build_languages_with(
    briefs: &[Brief],
    actors: &ActorRegistry,
    config: &Config,
    related: &RelatedOf<'_>,
) -> Vec<Index> {
    let limit = config.related_briefs;
    if !config.is_multilingual() {
        let mut index = build_lists(briefs, actors);
        index.related = related(&index, &(0..briefs.len()).collect::<Vec<_>>(), limit);
        add_translations(briefs, config, std::slice::from_mut(&mut index));
        return vec![index];
    }
    let mut indexes = build_language_lists(briefs, actors, config);
    for index in &mut indexes {
        let ids = index.newest_first.clone();
        let related = related(index, &ids, limit);
        index.related = vec![Vec::new(); briefs.len()];
        for (id, list) in ids.into_iter().zip(related) {
            index.related[id] = list;
        }
    }
    indexes
}

/// [`build_languages`] of a multilingual site without related briefs (each
/// index's `related` is empty): the preview server recomputes them only
/// where they can change.
pub(crate) fn build_language_lists(
    briefs: &[Brief],
    actors: &ActorRegistry,
    config: &Config,
) -> Vec<Index> {
    let mut indexes: Vec<Index> = (0..config.languages.len())
        .map(|lang| {
            let ids: Vec<BriefId> = (0..briefs.len())
                .filter(|&id| config.language_index(&briefs[id].lang) == Some(lang))
                .collect();
            build_lists_of(briefs, actors, ids)
        })
        .collect();
    add_translations(briefs, config, &mut indexes);
    indexes
}

/// Gives every index the site's translation groups.
fn add_translations(briefs: &[Brief], config: &Config, indexes: &mut [Index]) {
    let groups = crate::content::validate::translation_groups_unchecked(briefs, config);
    let group_of: FxHashMap<BriefId, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, ids)| ids.iter().map(move |&id| (id, g)))
        .collect();
    for index in indexes {
        index.translations.clone_from(&groups);
        index.translation_of.clone_from(&group_of);
    }
}

/// Builds the term lists and the order, leaving `related` empty (the preview
/// server recomputes related briefs only where they can change).
pub(crate) fn build_lists(briefs: &[Brief], actors: &ActorRegistry) -> Index {
    build_lists_of(briefs, actors, (0..briefs.len()).collect())
}

/// [`build_lists`] over some of the briefs (one language's).
fn build_lists_of(
    briefs: &[Brief],
    actors: &ActorRegistry,
    mut newest_first: Vec<BriefId>,
) -> Index {
    newest_first.sort_by(|&a, &b| newer_first(&briefs[a], &briefs[b]));
    // Rank of each brief in that order, so lists sort by one integer compare.
    let mut rank = vec![0usize; briefs.len()];
    for (r, &id) in newest_first.iter().enumerate() {
        rank[id] = r;
    }

    // The term lists, the sources and the country pairs are three walks
    // over the briefs, made at once (at 50,000 briefs about 50 ms each).
    let (terms, ((sources, source_kinds), pairs)) = rayon::join(
        || terms::TermLists::collect(briefs, actors, &newest_first),
        || {
            rayon::join(
                || publishers::collect(briefs, &newest_first),
                || pairs::collect(briefs, &newest_first),
            )
        },
    );
    let terms::TermLists {
        years,
        countries,
        actors,
        authors,
        topics,
    } = terms;
    let mut index = Index {
        newest_first,
        countries,
        actors,
        authors,
        topics,
        years,
        sources,
        source_kinds,
        pairs,
        related: Vec::new(),
        rank,
        brief_terms: Vec::new(),
        term_briefs: Vec::new(),
        translations: Vec::new(),
        translation_of: FxHashMap::default(),
    };
    number_terms(briefs, &mut index);
    index
}

/// Numbers country and actor terms and records each brief's term numbers,
/// so related briefs are scored by merging two short sorted arrays.
fn number_terms(briefs: &[Brief], index: &mut Index) {
    let mut country_number: FxHashMap<&str, u32> = FxHashMap::default();
    let mut actor_number: FxHashMap<&str, u32> = FxHashMap::default();
    let mut term_briefs = Vec::with_capacity(index.countries.len() + index.actors.len());
    for (code, list) in &index.countries {
        country_number.insert(code, term_briefs.len() as u32);
        term_briefs.push(list.clone());
    }
    for (key, term) in &index.actors {
        actor_number.insert(key, term_briefs.len() as u32);
        term_briefs.push(term.briefs.clone());
    }
    index.brief_terms = briefs
        .par_iter()
        .map(|b| {
            let mut terms: Vec<u32> = b
                .countries
                .iter()
                .filter_map(|c| country_number.get(c.as_str()))
                .chain(
                    b.actors
                        .iter()
                        .filter_map(|a| actor_number.get(a.key.as_str())),
                )
                .copied()
                .collect();
            terms.sort_unstable();
            terms.dedup();
            terms
        })
        .collect();
    index.term_briefs = term_briefs;
}

/// Newest first; ties broken by slug so order never depends on input order.
pub(crate) fn newer_first(a: &Brief, b: &Brief) -> std::cmp::Ordering {
    b.date
        .sort_key
        .cmp(&a.date.sort_key)
        .then_with(|| a.slug.cmp(&b.slug))
}

/// Related briefs of each brief in `ids`, computed in parallel: the briefs
/// sharing the most countries and actors with it, best first; ties go to the
/// newer brief. Candidates come from the brief's uncommon terms (see
/// [`COMMON_TERM_BRIEFS`]); every candidate is scored on all terms.
pub(crate) fn related_of(index: &Index, ids: &[BriefId], limit: usize) -> Vec<Vec<BriefId>> {
    let briefs = index.rank.len();
    ids.par_iter()
        .map_init(
            || Scratch::new(briefs),
            |scratch, &id| related_with(index, id, limit, scratch),
        )
        .collect()
}

/// Per-thread working memory of [`related_with`]: which briefs the current
/// call has met (marked with a per-call stamp, so nothing is cleared between
/// calls) and how many uncommon terms each shares with the brief.
struct Scratch {
    seen: Vec<u32>,
    shared: Vec<u32>,
    met: Vec<BriefId>,
    stamp: u32,
}

impl Scratch {
    fn new(briefs: usize) -> Self {
        Scratch {
            seen: vec![0; briefs],
            shared: vec![0; briefs],
            met: Vec::new(),
            stamp: 0,
        }
    }

    fn next_stamp(&mut self) -> u32 {
        if self.stamp == u32::MAX {
            self.seen.fill(0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.met.clear();
        self.stamp
    }

    fn meet(&mut self, brief: BriefId, stamp: u32) {
        if self.seen[brief] != stamp {
            self.seen[brief] = stamp;
            self.shared[brief] = 0;
            self.met.push(brief);
        }
    }
}

fn related_with(index: &Index, id: BriefId, limit: usize, scratch: &mut Scratch) -> Vec<BriefId> {
    if limit == 0 {
        return Vec::new();
    }
    let terms = &index.brief_terms[id];
    let is_common = |t: u32| index.term_briefs[t as usize].len() > COMMON_TERM_BRIEFS;
    let stamp = scratch.next_stamp();
    let uncommon: Vec<u32> = terms.iter().copied().filter(|&t| !is_common(t)).collect();
    // Terms a candidate is scored on by look-up rather than by counting.
    let looked_up: Vec<u32> = if uncommon.is_empty() {
        // Only common terms: candidates are the newest briefs of each.
        for &t in terms {
            let list = &index.term_briefs[t as usize];
            for &c in &list[..list.len().min(COMMON_TERM_WINDOW)] {
                scratch.meet(c, stamp);
            }
        }
        terms.clone()
    } else {
        // Candidates are every brief of an uncommon term; counting them per
        // list gives their shared uncommon terms without comparing term lists.
        for &t in &uncommon {
            for &c in &index.term_briefs[t as usize] {
                scratch.meet(c, stamp);
                scratch.shared[c] += 1;
            }
        }
        terms.iter().copied().filter(|&t| is_common(t)).collect()
    };
    // The best `limit` so far as (score, rank, id), best first: higher score,
    // then newer (lower rank). The order is total, so candidate order is moot.
    let rank = &index.rank;
    let mut best: Vec<(u32, usize, BriefId)> = Vec::with_capacity(limit + 1);
    let better = |a: &(u32, usize, BriefId), b: &(u32, usize, BriefId)| {
        a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
    };
    for &c in &scratch.met {
        if c == id {
            continue;
        }
        let theirs = &index.brief_terms[c];
        let also = looked_up
            .iter()
            .filter(|t| theirs.binary_search(t).is_ok())
            .count() as u32;
        let entry = (scratch.shared[c] + also, rank[c], c);
        if best.len() == limit && !better(&entry, &best[limit - 1]) {
            continue;
        }
        let at = best.partition_point(|b| better(b, &entry));
        best.insert(at, entry);
        best.truncate(limit);
    }
    best.into_iter().map(|(_, _, c)| c).collect()
}

/// A country (by code) or an actor (by key), named the same way in two indexes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TermKey {
    /// A country code.
    Country(String),
    /// An actor key.
    Actor(String),
}

impl Index {
    fn list(&self, key: &TermKey) -> &[BriefId] {
        match key {
            TermKey::Country(c) => self.countries.get(c).map_or(&[], Vec::as_slice),
            TermKey::Actor(k) => self.actors.get(k).map_or(&[], |t| t.briefs.as_slice()),
        }
    }

    fn has_uncommon_term(&self, id: BriefId) -> bool {
        self.brief_terms[id]
            .iter()
            .any(|&t| self.term_briefs[t as usize].len() <= COMMON_TERM_BRIEFS)
    }
}

/// The briefs (positions in `new`) whose related list may differ between two
/// indexes that differ only in the changed briefs, which carried the terms
/// `terms` before or after the change (`old_changed` / `new_changed` are their
/// positions in each index). Follows [`related_of`]: a brief's candidates come
/// from its uncommon terms' lists, or from the newest briefs of its common ones.
pub(crate) fn related_affected(
    old: &Index,
    new: &Index,
    terms: &[TermKey],
    old_changed: &[BriefId],
    new_changed: &[BriefId],
) -> Vec<BriefId> {
    let mut affected: Vec<BriefId> = new_changed.to_vec();
    for term in terms {
        let (before, after) = (old.list(term), new.list(term));
        if before.len() <= COMMON_TERM_BRIEFS || after.len() <= COMMON_TERM_BRIEFS {
            // The changed brief is (or was) a candidate of every brief with this term.
            affected.extend_from_slice(after);
        } else {
            let in_window = |list: &[BriefId], changed: &[BriefId]| {
                list.iter()
                    .take(COMMON_TERM_WINDOW)
                    .any(|b| changed.contains(b))
            };
            if in_window(before, old_changed) || in_window(after, new_changed) {
                affected.extend(after.iter().copied().filter(|&b| !new.has_uncommon_term(b)));
            }
        }
    }
    affected.sort_unstable();
    affected.dedup();
    affected
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An index over briefs given only by their term numbers, brief `i`
    /// being the `i`-th newest.
    fn index_of(brief_terms: Vec<Vec<u32>>, term_count: usize) -> Index {
        let mut term_briefs = vec![Vec::new(); term_count];
        for (id, terms) in brief_terms.iter().enumerate() {
            for &t in terms {
                term_briefs[t as usize].push(id);
            }
        }
        Index {
            rank: (0..brief_terms.len()).collect(),
            newest_first: (0..brief_terms.len()).collect(),
            brief_terms,
            term_briefs,
            ..Index::default()
        }
    }

    /// Size of the intersection of two sorted arrays.
    fn shared_terms(a: &[u32], b: &[u32]) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// The definition: score every candidate, sort, take the best.
    fn related_by_definition(index: &Index, id: BriefId, limit: usize) -> Vec<BriefId> {
        let terms = &index.brief_terms[id];
        let lists: Vec<&Vec<BriefId>> = terms
            .iter()
            .map(|&t| &index.term_briefs[t as usize])
            .collect();
        let uncommon = lists.iter().any(|l| l.len() <= COMMON_TERM_BRIEFS);
        let mut candidates: Vec<BriefId> = lists
            .iter()
            .filter(|l| !uncommon || l.len() <= COMMON_TERM_BRIEFS)
            .flat_map(|l| {
                let take = if uncommon {
                    l.len()
                } else {
                    COMMON_TERM_WINDOW
                };
                l.iter().take(take).copied()
            })
            .filter(|&c| c != id)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut scored: Vec<(usize, BriefId)> = candidates
            .into_iter()
            .map(|c| (shared_terms(terms, &index.brief_terms[c]), c))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(index.rank[a.1].cmp(&index.rank[b.1])));
        scored.into_iter().take(limit).map(|(_, c)| c).collect()
    }

    proptest! {
        #[test]
        fn related_matches_its_definition(
            // Few terms over many briefs, so some terms are common (over 200 briefs).
            raw in proptest::collection::vec(proptest::collection::btree_set(0u32..12, 0..5), 1..700),
            limit in 0usize..8,
        ) {
            let brief_terms: Vec<Vec<u32>> = raw.into_iter().map(|s| s.into_iter().collect()).collect();
            let index = index_of(brief_terms, 12);
            let all: Vec<BriefId> = (0..index.rank.len()).collect();
            let fast = related_of(&index, &all, limit);
            for id in all {
                prop_assert_eq!(&fast[id], &related_by_definition(&index, id, limit), "brief {}", id);
            }
        }
    }
}
