//! Author records and the names briefs write: a record whose key no brief
//! author reaches is usually a spelling apart from the name the briefs
//! write ("Leila Hadad" against `leila-haddad.md`), and its author page
//! shows none of it; a brief author without a record whose name is a
//! record's but for a letter or two is the same mistake the other way.

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::{Loaded, index};

/// A warning for every author record no published brief names, with the
/// briefs' nearest spelling as the hint when there is one.
pub(super) fn unused_records(loaded: &Loaded, index: &index::Index) -> Vec<Diagnostic> {
    loaded
        .authors
        .values()
        .filter(|record| !index.authors.contains_key(&record.key))
        .map(|record| {
            let names = index.authors.values().map(|t| t.name.as_str());
            let hint = match did_you_mean(&record.name, names) {
                Some(name) => format!(
                    "briefs write `{name}`: rename the record's file to match that name's slug, or correct the briefs"
                ),
                None => format!(
                    "briefs reach a record by its file name: `{}.md` is for authors written `{}` (drafts and scheduled briefs are not counted)",
                    record.key, record.name
                ),
            };
            Diagnostic::file_error(
                &record.path,
                format!("no brief names the author `{}`, so this record is shown nowhere", record.name),
            )
            .with_hint(hint)
            .warning()
        })
        .collect()
}

/// A warning for every brief author without a record whose name is close
/// to a record's, at the newest brief that writes it.
pub(super) fn near_record_names(loaded: &Loaded, index: &index::Index) -> Vec<Diagnostic> {
    if loaded.authors.is_empty() {
        return Vec::new();
    }
    let names = || loaded.authors.values().map(|r| r.name.as_str());
    (index.authors.iter())
        .filter(|(key, _)| !loaded.authors.contains_key(*key))
        .filter_map(|(_, term)| {
            let near = did_you_mean(&term.name, names())?;
            let brief = loaded.briefs.get(*term.briefs.first()?)?;
            let count = term.briefs.len();
            Some(
                Diagnostic::file_error(
                    &brief.path,
                    format!("author `{}` has no record, but `{near}` has one", term.name),
                )
                .with_hint(format!(
                    "if they are one person, write `{near}` ({count} brief(s) write `{}`)",
                    term.name
                ))
                .warning(),
            )
        })
        .collect()
}
