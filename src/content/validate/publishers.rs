//! The source publisher registry (`content/sources/<key>.md`): one entry
//! per file, and a lookup from every name and alias to the publisher's key,
//! so that `Fars`, `Fars News Agency` and `خبرگزاری فارس` make one source page.
//!
//! Owns the rule that a name or alias belongs to one publisher only. Reads
//! no files: it gets their text. Briefs' sources are resolved against the
//! registry in `sources.rs`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::countries::{Gazetteer, lookup_key};
use crate::content::frontmatter::{self, span_position};
use crate::content::markdown;
use crate::content::model::PublisherEntry;
use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;

/// Registered publishers, looked up by name or alias.
#[derive(Debug, Default, Clone)]
pub(crate) struct PublisherRegistry {
    /// Entries by key.
    pub(crate) entries: BTreeMap<String, PublisherEntry>,
    lookup: HashMap<String, String>,
}

impl PublisherRegistry {
    /// The key (URL slug) of a publisher name as a brief writes it; `None`
    /// for a name with no letter or digit.
    pub(crate) fn key_for(&self, written: &str) -> Option<String> {
        let normalized = lookup_key(written);
        if normalized.is_empty() {
            return None;
        }
        Some(self.lookup.get(&normalized).cloned().unwrap_or(normalized))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublisher {
    name: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    kind: Option<String>,
    country: Option<Spanned<String>>,
}

/// Reads the publisher registry; a name or alias claimed by two publishers
/// is an error, as is an unknown country.
pub(crate) fn publisher_registry(
    files: &[TextFile],
    gazetteer: &Gazetteer,
) -> (PublisherRegistry, Vec<Diagnostic>) {
    let mut registry = PublisherRegistry::default();
    let mut errors = Vec::new();
    let mut claimed_by: HashMap<String, PathBuf> = HashMap::new();
    for file in files {
        let path = file.path.as_path();
        let parsed = frontmatter::split(path, &file.text)
            .map_err(|d| vec![d])
            .and_then(|split| {
                frontmatter::parse::<RawPublisher>(path, &split).map(|raw| (split, raw))
            });
        let (split, raw) = match parsed {
            Ok(p) => p,
            Err(d) => {
                errors.extend(d);
                continue;
            }
        };
        let RawPublisher {
            name,
            aliases,
            kind,
            country,
        } = raw;
        // The file name is the key, so links stay stable when the name changes.
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        let key = lookup_key(&stem);
        let Some(name) = name else {
            errors.push(
                Diagnostic::error(path, 1, 1, "missing required field `name`")
                    .with_hint("add `name: \"Fars News Agency\"` to the front matter"),
            );
            continue;
        };
        let at = |s: &Spanned<String>| span_position(split.yaml_line_offset, s);
        let country = country.and_then(|c| country_code(path, gazetteer, &c, at(&c), &mut errors));
        let names: Vec<(&str, (usize, usize))> = std::iter::once(&name)
            .chain(&aliases)
            .map(|n| (n.value.as_str(), at(n)))
            .collect();
        let mut claim = Claim {
            path,
            key: &key,
            claimed_by: &mut claimed_by,
            registry: &mut registry,
            errors: &mut errors,
        };
        claim.names(&names);
        let body = split.body.trim();
        registry.entries.insert(
            key.clone(),
            PublisherEntry {
                path: path.to_path_buf(),
                key,
                name: name.value.trim().to_string(),
                aliases: aliases
                    .into_iter()
                    .map(|a| a.value.trim().to_string())
                    .collect(),
                kind: kind.map(|k| k.trim().to_string()).filter(|k| !k.is_empty()),
                country,
                about_html: (!body.is_empty()).then(|| markdown::render_plain(body).html),
            },
        );
    }
    (registry, errors)
}

/// One file's claim on its names, against those claimed before it.
struct Claim<'a> {
    path: &'a std::path::Path,
    key: &'a str,
    claimed_by: &'a mut HashMap<String, PathBuf>,
    registry: &'a mut PublisherRegistry,
    errors: &'a mut Vec<Diagnostic>,
}

impl Claim<'_> {
    /// Points the key, the name and every alias (with their positions) at
    /// the key, reporting names an earlier publisher already claimed (the
    /// earlier one keeps them).
    fn names(&mut self, names: &[(&str, (usize, usize))]) {
        let mut own: Vec<String> = vec![self.key.to_string()];
        for &(name, (line, column)) in names {
            let k = lookup_key(name);
            if k.is_empty() || own.contains(&k) {
                continue;
            }
            if let Some(other) = self.claimed_by.get(&k) {
                self.errors.push(
                    Diagnostic::error(self.path, line, column, format!("`{name}` also names the publisher in `{}`", other.display()))
                        .with_hint("a name or alias may belong to one publisher only; remove it from one of the two files"),
                );
                continue;
            }
            own.push(k);
        }
        for k in own {
            self.claimed_by
                .entry(k.clone())
                .or_insert_with(|| self.path.to_path_buf());
            self.registry
                .lookup
                .entry(k)
                .or_insert_with(|| self.key.to_string());
        }
    }
}

/// The code of a publisher's `country:`, or `None` after reporting it at `at`.
fn country_code(
    path: &std::path::Path,
    gazetteer: &Gazetteer,
    c: &Spanned<String>,
    (line, column): (usize, usize),
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    if let Some(place) = gazetteer.resolve(&c.value) {
        return Some(place.code.clone());
    }
    errors.push(
        Diagnostic::error(path, line, column, format!("unknown country `{}`", c.value))
            .with_optional_hint(
                gazetteer
                    .suggest(&c.value)
                    .map(|g| format!("did you mean `{g}`?")),
            ),
    );
    None
}
