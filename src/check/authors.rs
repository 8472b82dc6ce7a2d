//! Author records nobody uses: a record whose key no brief author reaches
//! is usually a spelling apart from the name the briefs write
//! ("Leila Hadad" against `leila-haddad.md`), and its author page shows
//! none of it.

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
