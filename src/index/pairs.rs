//! Country pairs: for every two countries named together in a brief, the
//! briefs naming both, newest first. Which pairs get a page
//! (`pair_min_briefs`) is the routes' decision, not the index's.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::BriefId;
use crate::content::model::Brief;

/// Briefs of each pair of country codes, the smaller code first.
pub(super) fn collect(
    briefs: &[Brief],
    newest_first: &[BriefId],
) -> BTreeMap<(String, String), Vec<BriefId>> {
    let mut lists: FxHashMap<(&str, &str), Vec<BriefId>> = FxHashMap::default();
    for &id in newest_first {
        let countries = &briefs[id].countries;
        for (i, a) in countries.iter().enumerate() {
            for b in &countries[i + 1..] {
                let pair = if a < b { (a, b) } else { (b, a) };
                lists.entry((pair.0, pair.1)).or_default().push(id);
            }
        }
    }
    lists
        .into_iter()
        .map(|((a, b), list)| ((a.to_string(), b.to_string()), list))
        .collect()
}
