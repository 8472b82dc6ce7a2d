//! Country flags as SVG files (flag-icons, vendored in the built-in theme's
//! `flags/`): which places have one, its path in the output, and the flag
//! files a site publishes, only those of the countries its pages name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::content::countries::{Gazetteer, Place};
use crate::content::model::{Brief, CountryProfile};
use crate::content::source::StaticFile;
use crate::content::theme;
use crate::content::validate::ActorRegistry;

/// The output path of a place's flag (`flags/ir.svg`), when it has one:
/// ISO countries only (a site's own place has no flag, even with a code
/// that looks like one).
pub(crate) fn flag_path(place: &Place) -> Option<String> {
    let code = place.code.to_ascii_lowercase();
    let iso = !place.flag.is_empty();
    (iso && theme::flag(&code).is_some()).then(|| format!("flags/{code}.svg"))
}

/// The flag files of every country a page can show: the briefs'
/// countries, the country profiles and the countries of the registered
/// actors the briefs name.
pub(crate) fn flag_files(
    briefs: &[Brief],
    profiles: &[CountryProfile],
    actors: &ActorRegistry,
    gazetteer: &Gazetteer,
) -> Vec<StaticFile> {
    use rayon::prelude::*;
    // Every build at 50,000 briefs looks at 400,000 mentions: in parallel.
    let mut codes: BTreeSet<&str> = (briefs.par_iter())
        .fold(BTreeSet::new, |mut codes, b| {
            codes.extend(b.countries.iter().map(String::as_str));
            let actor_countries = (b.actors.iter())
                .filter_map(|a| actors.entries.get(&a.key))
                .filter_map(|e| e.country.as_deref());
            codes.extend(actor_countries);
            codes
        })
        .reduce(BTreeSet::new, |mut a, b| {
            a.extend(b);
            a
        });
    codes.extend(profiles.iter().map(|p| p.code.as_str()));
    codes
        .into_iter()
        .filter_map(|code| gazetteer.get(code))
        .filter_map(|place| {
            let path = flag_path(place)?;
            let bytes = theme::flag(&place.code.to_ascii_lowercase())?;
            Some(StaticFile {
                name: path.clone(),
                output_path: PathBuf::from(&path),
                source: Path::new(theme::DISPLAY_PREFIX).join(&path),
                builtin: Some(bytes),
            })
        })
        .collect()
}
