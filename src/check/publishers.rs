//! Source publisher names that probably name one publisher ("Fars News
//! Agency"/"Fars News Agancy", "IRNA"/"Islamic Republic News Agency"),
//! found with the actors' rules (`check::actors`) over the source index.

use crate::content::model::Source;
use crate::diagnostic::Diagnostic;
use crate::{Loaded, index};

/// Warnings for pairs of publishers that look like one.
pub(super) fn similar_publishers(loaded: &Loaded, index: &index::Index) -> Vec<Diagnostic> {
    super::actors::alike_pairs(&index.sources, &loaded.gazetteer)
        .into_iter()
        .filter_map(|(a, b)| warning(loaded, index, a, b))
        .collect()
}

/// The warning for a pair, at the first source naming the spelling to
/// drop: the registered one is kept, else the longer name, else the more cited.
fn warning(loaded: &Loaded, index: &index::Index, a: &str, b: &str) -> Option<Diagnostic> {
    let registered = |k: &str| loaded.publishers.entries.contains_key(k);
    let rank = |k: &str| {
        let t = &index.sources[k];
        (registered(k), t.name.chars().count(), t.briefs.len())
    };
    let (keep, odd) = if rank(b) > rank(a) { (b, a) } else { (a, b) };
    let (path, source) = loaded.briefs.iter().find_map(|brief| {
        brief
            .sources
            .iter()
            .find(|s| s.publisher_key.as_deref() == Some(odd))
            .map(|s: &Source| (brief.path.as_path(), s))
    })?;
    let kept = loaded
        .publishers
        .entries
        .get(keep)
        .map_or(index.sources[keep].name.as_str(), |e| e.name.as_str());
    let odd_name = source.publisher.as_deref().unwrap_or(odd);
    let file = loaded.publishers.entries.get(keep).map_or_else(
        || format!("content/sources/{keep}.md"),
        |e| e.path.display().to_string(),
    );
    Some(
        Diagnostic::error(path, source.at.0, source.at.1, format!("publisher `{odd_name}` looks like `{kept}`"))
            .with_hint(format!(
                "if they are one publisher, list `{odd_name}` under `aliases:` in {file} (with `name: \"{kept}\"`), or write `{kept}`"
            ))
            .warning(),
    )
}
