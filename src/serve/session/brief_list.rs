//! The brief list between rebuilds: re-validated files are applied to it in
//! place (it stays sorted by path), and positions before and after are
//! mapped onto each other, because ids are positions in that list.
//!
//! Nothing here reads files, renders or decides which pages change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::content::calendar::is_shown;
use crate::content::model::Brief;
use crate::diagnostic::Diagnostic;
use crate::index::BriefId;

/// A re-validated brief file: `None` when the file is gone.
pub(super) type Revalidated = (PathBuf, Option<Result<Brief, Vec<Diagnostic>>>);

/// Applies re-validated files to the brief list and its cards (kept in
/// lockstep: a new brief gets a placeholder card, rendered later). A broken
/// file keeps its last good version in the list and is recorded in `broken`.
pub(super) fn apply(
    briefs: &mut Vec<Brief>,
    cards: &mut Vec<tera::Value>,
    broken: &mut BTreeMap<PathBuf, Vec<Diagnostic>>,
    results: Vec<Revalidated>,
    options: &crate::BuildOptions,
) {
    for (rel, result) in results {
        let position = briefs.binary_search_by(|b| b.path.as_path().cmp(&rel));
        match result {
            Some(Err(errors)) => {
                broken.insert(rel, errors);
            }
            Some(Ok(brief)) if is_shown(&brief, options) => {
                broken.remove(&rel);
                match position {
                    Ok(i) => briefs[i] = brief,
                    Err(i) => {
                        briefs.insert(i, brief);
                        cards.insert(i, tera::Value::none());
                    }
                }
            }
            // Deleted, or turned into a draft (or scheduled brief) that is not shown.
            Some(Ok(_)) | None => {
                broken.remove(&rel);
                if let Ok(i) = position {
                    briefs.remove(i);
                    cards.remove(i);
                }
            }
        }
    }
}

/// Positions between the brief list before and after a change (both sorted
/// by path): `None` where a brief was removed or added.
pub(super) struct Renumbering {
    /// For each old position, the new one.
    pub(super) old_to_new: Vec<Option<BriefId>>,
    /// For each new position, the old one.
    pub(super) new_to_old: Vec<Option<BriefId>>,
}

impl Renumbering {
    /// Maps `old_paths` (the old list's paths, in order) onto `briefs`.
    pub(super) fn between(old_paths: &[PathBuf], briefs: &[Brief]) -> Renumbering {
        let mut old_to_new = vec![None; old_paths.len()];
        let mut new_to_old = vec![None; briefs.len()];
        let (mut i, mut j) = (0, 0);
        while i < old_paths.len() && j < briefs.len() {
            match old_paths[i].cmp(&briefs[j].path) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    old_to_new[i] = Some(j);
                    new_to_old[j] = Some(i);
                    i += 1;
                    j += 1;
                }
            }
        }
        Renumbering {
            old_to_new,
            new_to_old,
        }
    }
}

/// Positions of the briefs with these paths (briefs are sorted by path).
pub(super) fn positions(briefs: &[Brief], paths: &BTreeSet<PathBuf>) -> Vec<BriefId> {
    paths
        .iter()
        .filter_map(|p| {
            briefs
                .binary_search_by(|b| b.path.as_path().cmp(p.as_path()))
                .ok()
        })
        .collect()
}
