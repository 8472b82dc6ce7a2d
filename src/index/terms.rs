//! The term lists of an index: each year's, country's, actor's, author's
//! and topic's briefs, and the names terms are shown by.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::{BriefId, Term};
use crate::content::model::Brief;
use crate::content::validate::ActorRegistry;

/// Years, countries, actors, authors and topics with their briefs, each list
/// in the order the briefs were collected in.
pub(super) struct TermLists {
    pub(super) years: BTreeMap<i16, Vec<BriefId>>,
    pub(super) countries: BTreeMap<String, Vec<BriefId>>,
    pub(super) actors: BTreeMap<String, Term>,
    pub(super) authors: BTreeMap<String, Term>,
    pub(super) topics: BTreeMap<String, Term>,
}

/// A term's briefs and how often each spelling of its name was written,
/// by key; keys are borrowed while collecting (one allocation per term,
/// not per mention).
type Mentions<'b> = FxHashMap<&'b str, (Vec<BriefId>, FxHashMap<&'b str, usize>)>;

fn mention<'b>(lists: &mut Mentions<'b>, key: &'b str, spelling: &'b str, id: BriefId) {
    let entry = lists.entry(key).or_default();
    entry.0.push(id);
    *entry.1.entry(spelling).or_default() += 1;
}

impl TermLists {
    /// The lists of the briefs `ids`, in that order. An actor in the
    /// registry is named as it says; other terms by their most common spelling.
    pub(super) fn collect(
        briefs: &[Brief],
        registry: &ActorRegistry,
        ids: &[BriefId],
    ) -> TermLists {
        let mut years: BTreeMap<i16, Vec<BriefId>> = BTreeMap::new();
        let mut countries: FxHashMap<&str, Vec<BriefId>> = FxHashMap::default();
        let (mut actors, mut authors, mut topics) = (
            Mentions::default(),
            Mentions::default(),
            Mentions::default(),
        );
        for &id in ids {
            let b = &briefs[id];
            years.entry(b.date.date.year()).or_default().push(id);
            for code in &b.countries {
                countries.entry(code).or_default().push(id);
            }
            for a in &b.actors {
                mention(&mut actors, &a.key, &a.written, id);
            }
            for (name, key) in b.authors.iter().zip(&b.author_keys) {
                mention(&mut authors, key, name, id);
            }
            for (name, key) in b.topics.iter().zip(&b.topic_keys) {
                mention(&mut topics, key, name, id);
            }
        }
        TermLists {
            years,
            countries: (countries.into_iter())
                .map(|(code, list)| (code.to_string(), list))
                .collect(),
            actors: named(actors, |key| {
                registry.entries.get(key).map(|entry| entry.name.clone())
            }),
            authors: named(authors, |_| None),
            topics: named(topics, |_| None),
        }
    }
}

/// Terms named by `registered`, else by their most common spelling.
fn named(
    lists: Mentions<'_>,
    registered: impl Fn(&str) -> Option<String>,
) -> BTreeMap<String, Term> {
    lists
        .into_iter()
        .map(|(key, (list, spellings))| {
            let name = registered(key).unwrap_or_else(|| most_common(&spellings));
            (key.to_string(), Term { name, briefs: list })
        })
        .collect()
}

/// The spelling used most often; ties go to the alphabetically first, so the
/// result does not depend on brief order.
pub(super) fn most_common(spellings: &FxHashMap<&str, usize>) -> String {
    spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s.to_string())
        .unwrap_or_default()
}
