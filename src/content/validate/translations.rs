//! Translations: `translation_of: <slug>` and `translation_key: <key>` link
//! briefs that say the same thing in different languages into groups.
//!
//! Owns the grouping (transitive: a translation of a translation is in the
//! same group) and its mistakes: a missing or self target, two keys in one
//! group, two briefs of one site language in one group. The index keeps
//! the groups (`index::Index::translations`); pages link within them.

use rustc_hash::FxHashMap;

use crate::content::config::Config;
use crate::content::model::Brief;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// Groups of translations (brief positions, ordered by site language), only
/// those of two or more briefs, and the mistakes found.
pub(crate) fn groups(briefs: &[Brief], config: &Config) -> (Vec<Vec<usize>>, Vec<Diagnostic>) {
    grouped(briefs, config, true)
}

/// The groups alone, for the index, which groups the briefs shown in this
/// build after the mistakes were reported over all of them: a translation
/// of a scheduled original is not a mistake and must not cost a "did you
/// mean" search over every slug (0.5 s on a 10k-brief bilingual corpus).
pub(crate) fn groups_unchecked(briefs: &[Brief], config: &Config) -> Vec<Vec<usize>> {
    grouped(briefs, config, false).0
}

fn grouped(briefs: &[Brief], config: &Config, report: bool) -> (Vec<Vec<usize>>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    if briefs
        .iter()
        .all(|b| b.translation_of.is_none() && b.translation_key.is_none())
    {
        return (Vec::new(), errors);
    }
    let by_slug: FxHashMap<&str, usize> = briefs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.slug.as_str(), i))
        .collect();
    let mut sets = UnionFind::new(briefs.len());
    for (id, b) in briefs.iter().enumerate() {
        let Some((target, at)) = &b.translation_of else {
            continue;
        };
        match by_slug.get(target.as_str()) {
            Some(&t) if t == id => errors.push(
                Diagnostic::error(&b.path, at.0, at.1, format!("`translation_of: {target}` points at this brief itself"))
                    .with_hint("name the slug of the brief this one translates (its original), or remove the line"),
            ),
            Some(&t) => sets.union(id, t),
            None if !report => {}
            None => {
                let hint = match did_you_mean(target, by_slug.keys().copied()) {
                    Some(guess) => format!("did you mean `{guess}`? `translation_of` takes the slug of the brief this one translates"),
                    None => "`translation_of` takes the slug of the brief this one translates (its folder name under /briefs/)".into(),
                };
                errors.push(
                    Diagnostic::error(&b.path, at.0, at.1, format!("`translation_of: {target}` names no brief"))
                        .with_hint(hint),
                );
            }
        }
    }
    // Within a group linked by `translation_of`, the keys must agree.
    let mut key_of_root: FxHashMap<usize, (&str, usize)> = FxHashMap::default();
    for (id, b) in briefs.iter().enumerate() {
        let Some((key, at)) = &b.translation_key else {
            continue;
        };
        let root = sets.find(id);
        match key_of_root.get(&root) {
            Some(&(other, other_id)) if other != key => errors.push(
                Diagnostic::error(&b.path, at.0, at.1, format!("`translation_key: {key}` disagrees with `translation_key: {other}` of `{}`, a translation of this brief", briefs[other_id].path.display()))
                    .with_hint("give translations of one brief the same `translation_key`, or remove one of the keys"),
            ),
            Some(_) => {}
            None => {
                key_of_root.insert(root, (key, id));
            }
        }
    }
    let mut first_with_key: FxHashMap<&str, usize> = FxHashMap::default();
    for (id, b) in briefs.iter().enumerate() {
        if let Some((key, _)) = &b.translation_key {
            match first_with_key.get(key.as_str()) {
                Some(&first) => sets.union(id, first),
                None => {
                    first_with_key.insert(key, id);
                }
            }
        }
    }
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for id in 0..briefs.len() {
        members.entry(sets.find(id)).or_default().push(id);
    }
    let language = |id: usize| config.language_index(&briefs[id].lang).unwrap_or(0);
    let mut out: Vec<Vec<usize>> = members.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut out {
        group.sort_by_key(|&id| (language(id), id));
        for pair in group.windows(2) {
            if language(pair[0]) != language(pair[1]) {
                continue;
            }
            let b = &briefs[pair[1]];
            let at = link_position(b);
            let hint = if config.is_multilingual() {
                "a translation is in another language: set its `lang:`, or link it to a different group"
            } else {
                "a translation is in another language: set its `lang:` and list that language under `languages:` in site.yaml"
            };
            errors.push(
                Diagnostic::error(
                    &b.path,
                    at.0,
                    at.1,
                    format!(
                        "this brief and `{}` are translations of each other in the same language ({})",
                        briefs[pair[0]].path.display(),
                        config.languages[language(pair[1])].code
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    out.sort();
    (out, errors)
}

/// Where a brief names its group: its `translation_of`, else its key.
fn link_position(b: &Brief) -> (usize, usize) {
    b.translation_of
        .as_ref()
        .or(b.translation_key.as_ref())
        .map_or((1, 1), |(_, at)| *at)
}

/// Disjoint sets of brief positions, for groups that close transitively.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}
