//! The actor registry (`actors/<key>.md`): one entry per file, and a lookup
//! from every name and alias to the actor's key.
//!
//! Owns the rule that a name or alias belongs to one actor only. Reads no
//! files: it gets their text. Briefs are checked against the registry in
//! `brief.rs`, not here.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::countries::{Gazetteer, lookup_key};
use crate::content::frontmatter::{self, Split, span_position};
use crate::content::markdown;
use crate::content::model::ActorEntry;
use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;

/// Registered actors, looked up by name or alias.
#[derive(Debug, Default, Clone)]
pub struct ActorRegistry {
    /// Entries by key.
    pub entries: BTreeMap<String, ActorEntry>,
    lookup: HashMap<String, String>,
}

impl ActorRegistry {
    /// The canonical key for an actor name as written in a brief.
    pub fn key_for(&self, written: &str) -> String {
        let normalized = lookup_key(written);
        self.lookup.get(&normalized).cloned().unwrap_or(normalized)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActor {
    name: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    kind: Option<String>,
    country: Option<Spanned<String>>,
    /// The actor's name in other languages, by language tag.
    #[serde(default)]
    names: BTreeMap<String, Spanned<String>>,
}

/// Reads the actor registry; a name or alias claimed by two actors is an error.
pub(crate) fn actor_registry(
    files: &[TextFile],
    gazetteer: &Gazetteer,
) -> (ActorRegistry, Vec<Diagnostic>) {
    let mut reader = Reader {
        gazetteer,
        registry: ActorRegistry::default(),
        errors: Vec::new(),
        claimed_by: HashMap::new(),
    };
    for file in files {
        reader.add(file);
    }
    (reader.registry, reader.errors)
}

/// The registry being filled, file by file.
struct Reader<'a> {
    gazetteer: &'a Gazetteer,
    registry: ActorRegistry,
    errors: Vec<Diagnostic>,
    /// Who claimed each lookup key, to name both files in a conflict.
    claimed_by: HashMap<String, PathBuf>,
}

impl Reader<'_> {
    /// Adds one actor file, or records why it cannot be added.
    fn add(&mut self, file: &TextFile) {
        let path = file.path.as_path();
        let parsed = frontmatter::split(path, &file.text)
            .map_err(|d| vec![d])
            .and_then(|split| frontmatter::parse(path, &split).map(|raw| (split, raw)));
        let (split, raw) = match parsed {
            Ok(p) => p,
            Err(d) => {
                self.errors.extend(d);
                return;
            }
        };
        // Destructure so that a new front matter field cannot be silently ignored.
        let RawActor {
            name,
            aliases,
            kind,
            country,
            names,
        } = raw;
        // The file name is the key, so links stay stable when the name changes.
        let key = lookup_key(
            &path
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default(),
        );
        let Some(name) = name else {
            self.errors.push(
                Diagnostic::error(path, 1, 1, "missing required field `name`")
                    .with_hint("add `name: \"Display Name\"` to the front matter"),
            );
            return;
        };
        let country = country.and_then(|c| self.country(path, &split, &c));
        let names = self.names(path, &split, names);
        self.claim_names(path, &split, &key, &name, &aliases);
        let body = split.body.trim();
        let entry = ActorEntry {
            path: path.to_path_buf(),
            key: key.clone(),
            name: name.value.trim().to_string(),
            aliases: aliases
                .into_iter()
                .map(|a| a.value.trim().to_string())
                .collect(),
            kind: kind.map(|k| k.trim().to_string()).filter(|k| !k.is_empty()),
            country,
            names,
            bio_html: (!body.is_empty()).then(|| markdown::render_plain(body).html),
        };
        self.registry.entries.insert(key, entry);
    }

    /// `names:`, the actor's name by language tag (checked like a brief's
    /// `lang:`), for its pages in those languages.
    fn names(
        &mut self,
        path: &Path,
        split: &Split<'_>,
        names: BTreeMap<String, Spanned<String>>,
    ) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (tag, name) in names {
            match crate::content::lang::normalize(&tag) {
                Ok(tag) => {
                    out.insert(tag, name.value.trim().to_string());
                }
                Err(bad) => {
                    let (line, column) = span_position(split.yaml_line_offset, &name);
                    self.errors.push(
                        Diagnostic::error(path, line, column, bad.message).with_hint(bad.hint),
                    );
                }
            }
        }
        out
    }

    /// The code of the actor's `country:`, or `None` after reporting it.
    fn country(&mut self, path: &Path, split: &Split<'_>, c: &Spanned<String>) -> Option<String> {
        if let Some(place) = self.gazetteer.resolve(&c.value) {
            return Some(place.code.clone());
        }
        let (line, column) = span_position(split.yaml_line_offset, c);
        self.errors.push(
            Diagnostic::error(path, line, column, format!("unknown country `{}`", c.value))
                .with_optional_hint(
                    self.gazetteer
                        .suggest(&c.value)
                        .map(|g| format!("did you mean `{g}`?")),
                ),
        );
        None
    }

    /// Points the key, the name and every alias at `key`, reporting names an
    /// earlier actor already claimed (the earlier one keeps them).
    fn claim_names(
        &mut self,
        path: &Path,
        split: &Split<'_>,
        key: &str,
        name: &Spanned<String>,
        aliases: &[Spanned<String>],
    ) {
        let mut own_keys: Vec<String> = vec![key.to_string()];
        for n in std::iter::once(name).chain(aliases) {
            let k = lookup_key(&n.value);
            if k.is_empty() || own_keys.contains(&k) {
                continue;
            }
            own_keys.push(k.clone());
            if let Some(other) = self.claimed_by.get(&k) {
                let (line, column) = span_position(split.yaml_line_offset, n);
                self.errors.push(
                    Diagnostic::error(path, line, column, format!("`{}` also names the actor in `{}`", n.value, other.display()))
                        .with_hint("an alias may belong to one actor only; remove it from one of the two files"),
                );
            }
        }
        for k in own_keys {
            self.claimed_by
                .entry(k.clone())
                .or_insert_with(|| path.to_path_buf());
            self.registry
                .lookup
                .entry(k)
                .or_insert_with(|| key.to_string());
        }
    }
}
