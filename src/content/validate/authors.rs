//! Author records (`content/authors/<slug>.md`): who writes the briefs,
//! shown on author pages and in JSON-LD. The file name is the author's key,
//! the slug briefs reach it by (`Leila Haddad` -> `leila-haddad.md`).
//!
//! Reads no files: it gets their text.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::countries::lookup_key;
use crate::content::frontmatter::{self, Split, span_position};
use crate::content::markdown;
use crate::content::model::AuthorEntry;
use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthor {
    name: Option<Spanned<String>>,
    role: Option<String>,
    affiliation: Option<String>,
    photo: Option<Spanned<String>>,
    orcid: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    #[serde(default)]
    links: Vec<Spanned<String>>,
}

/// Reads every author record; a bad field is reported at its line.
pub(crate) fn author_records(
    files: &[TextFile],
    base_path: &str,
) -> (BTreeMap<String, AuthorEntry>, Vec<Diagnostic>) {
    let mut records = BTreeMap::new();
    let mut errors = Vec::new();
    for file in files {
        match record(file, base_path) {
            Ok(entry) => {
                records.insert(entry.key.clone(), entry);
            }
            Err(e) => errors.extend(e),
        }
    }
    (records, errors)
}

fn record(file: &TextFile, base_path: &str) -> Result<AuthorEntry, Vec<Diagnostic>> {
    let path = file.path.as_path();
    let split = frontmatter::split(path, &file.text).map_err(|d| vec![d])?;
    let raw: RawAuthor = frontmatter::parse(path, &split)?;
    // Destructure so that a new front matter field cannot be silently ignored.
    let RawAuthor {
        name,
        role,
        affiliation,
        photo,
        orcid,
        kind,
        links,
    } = raw;
    let mut errors = Vec::new();
    let at = |s: &Spanned<String>| span_position(split.yaml_line_offset, s);
    let Some(name) = name.filter(|n| !n.value.trim().is_empty()) else {
        return Err(vec![
            Diagnostic::error(path, 1, 1, "missing required field `name`")
                .with_hint("add `name: \"Display Name\"` as the briefs write it"),
        ]);
    };
    let orcid = orcid.and_then(|o| match orcid_id(&o.value) {
        Some(id) => Some(id),
        None => {
            let (line, column) = at(&o);
            errors.push(
                Diagnostic::error(path, line, column, format!("`{}` is not an ORCID iD", o.value))
                    .with_hint("write the 16 digits as on orcid.org, e.g. `0000-0002-1825-0097` (the last one checks the others; it may be X)"),
            );
            None
        }
    });
    let organization = kind.is_some_and(|k| is_organization(&k, &split, path, &mut errors));
    let links = links
        .into_iter()
        .filter(|l| web_url(l, &split, path, &mut errors))
        .map(|l| l.value.trim().to_string())
        .collect();
    let photo = photo.and_then(|p| photo_url(&p, base_path, &split, path, &mut errors));
    if !errors.is_empty() {
        return Err(errors);
    }
    let body = split.body.trim();
    let text = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(AuthorEntry {
        path: path.to_path_buf(),
        key: lookup_key(&path.file_stem().unwrap_or_default().to_string_lossy()),
        name: name.value.trim().to_string(),
        role: text(role),
        affiliation: text(affiliation),
        photo,
        orcid,
        organization,
        links,
        bio_html: (!body.is_empty()).then(|| markdown::render_plain(body).html),
    })
}

/// `kind: person` (the default) or `organization` (an institute's desk).
fn is_organization(
    kind: &Spanned<String>,
    split: &Split<'_>,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    match kind.value.trim().to_lowercase().as_str() {
        "person" => false,
        "organization" | "organisation" => true,
        other => {
            let (line, column) = span_position(split.yaml_line_offset, kind);
            errors.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!("`kind: {other}` is not a choice"),
                )
                .with_hint("write `kind: person` (the default) or `kind: organization`"),
            );
            false
        }
    }
}

/// Whether a profile link is an http(s) URL, reporting it when not.
fn web_url(
    link: &Spanned<String>,
    split: &Split<'_>,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    let url = link.value.trim();
    let ok = url.starts_with("https://") || url.starts_with("http://");
    if !ok {
        let (line, column) = span_position(split.yaml_line_offset, link);
        errors.push(
            Diagnostic::error(path, line, column, format!("`{url}` is not a web address"))
                .with_hint("profile links start with https:// (a personal page, Google Scholar, LinkedIn, Mastodon...)"),
        );
    }
    ok
}

/// The photo's URL: an http(s) address as written, or a root-relative path
/// into `static/` under the site's base path.
fn photo_url(
    photo: &Spanned<String>,
    base_path: &str,
    split: &Split<'_>,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let p = photo.value.trim();
    if p.starts_with("https://") || p.starts_with("http://") {
        return Some(p.to_string());
    }
    if let Some(rest) = p.strip_prefix('/') {
        return Some([base_path, rest].concat());
    }
    let (line, column) = span_position(split.yaml_line_offset, photo);
    errors.push(
        Diagnostic::error(path, line, column, format!("photo `{p}` is neither a root-relative path nor a web address"))
            .with_hint("put the image in `static/` and write its path from there, e.g. `photo: /img/authors/leila-haddad.jpg`"),
    );
    None
}

/// The 16-character ORCID iD in `text` (bare or as an orcid.org URL), if
/// its check digit is right (ISO 7064 MOD 11-2, as orcid.org computes it).
pub(crate) fn orcid_id(text: &str) -> Option<String> {
    let text = text.trim();
    let bare = ["https://orcid.org/", "http://orcid.org/", "orcid.org/"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    let chars: Vec<char> = bare.chars().filter(|c| *c != '-').collect();
    let shaped = bare.len() == 19 && bare.split('-').all(|g| g.len() == 4);
    if !shaped || chars.len() != 16 || !chars[..15].iter().all(char::is_ascii_digit) {
        return None;
    }
    let total = chars[..15]
        .iter()
        .fold(0u32, |total, c| (total + c.to_digit(10).unwrap_or(0)) * 2);
    let check = (12 - total % 11) % 11;
    let expected = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10)?
    };
    (chars[15].to_ascii_uppercase() == expected).then(|| bare.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::orcid_id;

    #[test]
    fn orcid_check_digits() {
        // orcid.org's documented examples.
        assert_eq!(
            orcid_id("0000-0002-1825-0097").as_deref(),
            Some("0000-0002-1825-0097")
        );
        assert_eq!(
            orcid_id("https://orcid.org/0000-0001-5109-3700").as_deref(),
            Some("0000-0001-5109-3700")
        );
        assert_eq!(
            orcid_id("0000-0002-1694-233x").as_deref(),
            Some("0000-0002-1694-233X")
        );
        assert_eq!(orcid_id("0000-0002-1825-0098"), None, "wrong check digit");
        assert_eq!(orcid_id("0000000218250097"), None, "no dashes");
        assert_eq!(orcid_id("Jane Doe"), None);
    }
}
