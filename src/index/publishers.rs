//! Source publishers as an index: the briefs citing each publisher (by the
//! key validation resolved through the registry), newest first, with the
//! spelling and the kind most sources gave it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::terms::most_common;
use super::{BriefId, Term};
use crate::content::model::Brief;

/// Publishers by key, and the kind most of their sources were given.
pub(super) fn collect(
    briefs: &[Brief],
    newest_first: &[BriefId],
) -> (BTreeMap<String, Term>, BTreeMap<String, String>) {
    type Tally<'a> = (
        Vec<BriefId>,
        FxHashMap<&'a str, usize>,
        FxHashMap<&'a str, usize>,
    );
    let mut lists: FxHashMap<&str, Tally<'_>> = FxHashMap::default();
    for &id in newest_first {
        for s in &briefs[id].sources {
            let (Some(key), Some(name)) = (&s.publisher_key, &s.publisher) else {
                continue;
            };
            let entry = lists.entry(key).or_default();
            // A brief citing one publisher twice is listed once.
            if entry.0.last() != Some(&id) {
                entry.0.push(id);
            }
            *entry.1.entry(name.trim()).or_default() += 1;
            if let Some(kind) = s.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
                *entry.2.entry(kind).or_default() += 1;
            }
        }
    }
    let mut terms = BTreeMap::new();
    let mut kinds = BTreeMap::new();
    for (key, (list, names, kind)) in lists {
        if !kind.is_empty() {
            kinds.insert(key.to_string(), most_common(&kind));
        }
        terms.insert(
            key.to_string(),
            Term {
                name: most_common(&names),
                briefs: list,
            },
        );
    }
    (terms, kinds)
}
