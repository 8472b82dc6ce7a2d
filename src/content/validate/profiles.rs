//! Country profiles (`countries/<name>.md`): which country each file is
//! about, and its Markdown as HTML.
//!
//! Owns the rule that a profile names its country by `country:` or by its
//! file name, and that a country has one profile. Reads no files: it gets
//! their text.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::countries::Gazetteer;
use crate::content::frontmatter::{self, span_position};
use crate::content::markdown;
use crate::content::model::CountryProfile;
use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    country: Option<Spanned<String>>,
}

/// The country a profile names, where it names it, and its Markdown body.
struct Named<'a> {
    name: String,
    at: (usize, usize),
    body: &'a str,
}

/// Reads country profiles; the country comes from `country:` or the file name.
pub(crate) fn country_profiles(
    files: &[TextFile],
    gazetteer: &Gazetteer,
) -> (Vec<CountryProfile>, Vec<Diagnostic>) {
    let mut profiles: Vec<CountryProfile> = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let path = file.path.as_path();
        let named = match named_country(file) {
            Ok(n) => n,
            Err(d) => {
                errors.extend(d);
                continue;
            }
        };
        let Some(place) = gazetteer.resolve(&named.name) else {
            errors.push(unknown_country(file, &named, gazetteer));
            continue;
        };
        if let Some(other) = profiles.iter().find(|p| p.code == place.code) {
            errors.push(
                Diagnostic::file_error(
                    path,
                    format!(
                        "{} already has a profile in `{}`",
                        place.name,
                        other.path.display()
                    ),
                )
                .with_hint("keep one profile per country"),
            );
            continue;
        }
        profiles.push(CountryProfile {
            path: path.to_path_buf(),
            code: place.code.clone(),
            html: markdown::render_plain(named.body).html,
        });
    }
    (profiles, errors)
}

/// The country a profile is about: its `country:` when it has front matter
/// that sets one, else its file name (front matter is optional here).
fn named_country(file: &TextFile) -> Result<Named<'_>, Vec<Diagnostic>> {
    let path = file.path.as_path();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if !file.text.trim_start_matches('\u{feff}').starts_with("---") {
        return Ok(Named {
            name: stem,
            at: (1, 1),
            body: file.text.as_str(),
        });
    }
    let split = frontmatter::split(path, &file.text).map_err(|d| vec![d])?;
    let raw: RawProfile = frontmatter::parse(path, &split)?;
    Ok(match raw.country {
        Some(c) => Named {
            at: span_position(split.yaml_line_offset, &c),
            name: c.value,
            body: split.body,
        },
        None => Named {
            name: stem,
            at: (1, 1),
            body: split.body,
        },
    })
}

fn unknown_country(file: &TextFile, named: &Named<'_>, gazetteer: &Gazetteer) -> Diagnostic {
    let name = &named.name;
    Diagnostic::error(
        &file.path,
        named.at.0,
        named.at.1,
        format!("country profile for unknown country `{name}`"),
    )
    .with_optional_hint(
        gazetteer.suggest(name).map(|g| {
            format!("did you mean `{g}`? Name the file after an ISO code or country name")
        }),
    )
}
