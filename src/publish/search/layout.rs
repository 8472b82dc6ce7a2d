//! Where a bundle's files go under the output root: each index language's
//! folder, each shard's folder in it, and the two manifests the search page
//! reads (`shards.json` per language, `languages.json`). Shared by the
//! bundle made from all pages at once (`super::bundle_cached`) and the one
//! made while the site renders (`super::stream`), so both lay out the same
//! bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::languages::Folding;
use super::{BUNDLE_DIR, LANGUAGES_FILE, SHARDS_FILE, SearchError};
use crate::cache::Files;
use crate::render::OutputFile;

/// The index a page of `language` goes to: its own when it can be a folder
/// name, else the site's.
pub(super) fn index_of(language: String, site_language: &str) -> String {
    if is_folder_name(&language) {
        language
    } else {
        site_language.to_string()
    }
}

/// The folder of `language`'s bundle: `pagefind/` for the site's language,
/// `pagefind/<language>/` for the others.
fn folder_of(language: &str, site_language: &str) -> PathBuf {
    if language == site_language {
        PathBuf::from(BUNDLE_DIR)
    } else {
        Path::new(BUNDLE_DIR).join(language)
    }
}

/// The files of shard `place` (0: the newest, the language's main bundle)
/// of `language`, under the output root. Merged shards (`shard-N/`) leave
/// out Pagefind's UI files.
pub(super) fn shard_files(
    language: &str,
    site_language: &str,
    place: usize,
    files: Files,
) -> impl Iterator<Item = OutputFile> {
    let folder = folder_of(language, site_language);
    let dir = if place == 0 {
        folder
    } else {
        folder.join(format!("shard-{place}"))
    };
    files
        .into_iter()
        .filter(move |(name, _)| place == 0 || !is_ui_file(name))
        .map(move |(name, bytes)| OutputFile {
            path: dir.join(name),
            bytes,
        })
}

/// Each language's `shards.json` (its extra shards, `["shard-1/", …]`) and
/// `pagefind/languages.json`, from the number of shards of every index
/// language (the site's included).
pub(super) fn manifests(
    site_language: &str,
    shards_of: &BTreeMap<String, usize>,
) -> Result<Vec<OutputFile>, SearchError> {
    let json = |value: &serde_json::Value| {
        serde_json::to_vec(value).map_err(|e| SearchError::Build(e.to_string()))
    };
    let mut out = Vec::new();
    let mut manifest = serde_json::Map::new();
    for (language, &shards) in shards_of {
        let extra: Vec<String> = (1..shards).map(|i| format!("shard-{i}/")).collect();
        out.push(OutputFile {
            path: folder_of(language, site_language).join(SHARDS_FILE),
            bytes: json(&serde_json::json!(extra))?,
        });
        let path = if language == site_language {
            String::new()
        } else {
            format!("{language}/")
        };
        let mut entry = serde_json::Map::new();
        entry.insert("path".into(), path.into());
        if let Some(name) = Folding::of(language).name() {
            entry.insert("folding".into(), name.into());
        }
        manifest.insert(language.clone(), entry.into());
    }
    out.push(OutputFile {
        path: Path::new(BUNDLE_DIR).join(LANGUAGES_FILE),
        bytes: json(&serde_json::Value::Object(manifest))?,
    });
    Ok(out)
}

/// Pagefind's ready-made search interfaces (430 KB a bundle), which a
/// theme loads from a language's main bundle if at all: a merged shard is
/// read for its index, never for these, so they are left out of
/// `shard-N/` folders.
fn is_ui_file(name: &Path) -> bool {
    let name = name.to_string_lossy();
    name.starts_with("pagefind-")
        && (name.contains("-ui.") || name.starts_with("pagefind-highlight."))
}

/// A language code that can be a folder name under `pagefind/` (validated
/// tags always are): ASCII letters, digits and `-`, not empty.
fn is_folder_name(language: &str) -> bool {
    !language.is_empty()
        && language
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
