//! What a changed path means to the site: [`classify`] sorts watcher paths
//! by kind, [`changed_brief_files`] turns a batch of them into the brief
//! files to read again.
//!
//! Nothing here reads a brief or touches the output folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::content::model::Brief;
use crate::content::source;
use crate::diagnostic::Diagnostic;

/// What a changed path is, by where it lives in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `site.yaml`: everything is reloaded.
    Config,
    /// A file under `content/briefs/`.
    Brief,
    /// The actor registry or country profiles: names and pages of many briefs change.
    Registry,
    /// Theme or site templates.
    Template,
    /// Theme or site static files.
    Static,
}

/// Classifies a changed path; `None` for files that are not part of the site
/// (the output folder, editor swap files, anything else).
pub fn classify(root: &Path, output: &Path, theme: &str, path: &Path) -> Option<ChangeKind> {
    if path.starts_with(output) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    if rel
        .components()
        .any(|c| source::is_ignored_name(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    let theme_dir = Path::new("themes").join(theme);
    let is_md = rel.extension().is_some_and(|e| e == "md");
    if rel == Path::new(source::CONFIG_FILE) {
        Some(ChangeKind::Config)
    } else if rel.starts_with("content/briefs") {
        // A folder event (created, removed, renamed) may hide many briefs.
        // Another file is an image or download of a brief folder: its size
        // shows in pages and it is published, so everything is reloaded.
        Some(if is_md || rel.extension().is_none() {
            ChangeKind::Brief
        } else {
            ChangeKind::Registry
        })
    } else if rel.starts_with("content/actors")
        || rel.starts_with("content/authors")
        || rel.starts_with("content/countries")
        || rel.starts_with("content/sources")
    {
        (is_md || rel.extension().is_none()).then_some(ChangeKind::Registry)
    } else if rel.starts_with("templates") || rel.starts_with(theme_dir.join("templates")) {
        Some(ChangeKind::Template)
    } else if rel.starts_with("i18n") {
        // Interface strings feed every template, like a template.
        Some(ChangeKind::Template)
    } else if rel.starts_with("static") || rel.starts_with(theme_dir.join("static")) {
        Some(ChangeKind::Static)
    } else if rel.starts_with(&theme_dir) {
        // Other theme files (e.g. the world map) feed templates.
        Some(ChangeKind::Template)
    } else {
        None
    }
}

/// The brief files (relative to the root) a batch of changed paths stands
/// for: a changed folder (renamed, removed, created) stands for every brief
/// under it, on disk, in the brief list or among the broken ones.
pub(super) fn changed_brief_files(
    root: &Path,
    changed: &[&Path],
    briefs: &[Brief],
    broken: &BTreeMap<PathBuf, Vec<Diagnostic>>,
) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    let mut folders = Vec::new();
    for path in changed {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if rel.extension().is_some_and(|e| e == "md") {
            files.insert(rel.to_path_buf());
        } else {
            folders.push(rel.to_path_buf());
        }
    }
    if !folders.is_empty() {
        let on_disk = source::list_files(root, Path::new("content/briefs"), |p| {
            p.extension().is_some_and(|e| e == "md")
        });
        for folder in &folders {
            files.extend(on_disk.iter().filter(|p| p.starts_with(folder)).cloned());
            files.extend(
                briefs
                    .iter()
                    .map(|b| &b.path)
                    .filter(|p| p.starts_with(folder))
                    .cloned(),
            );
            files.extend(broken.keys().filter(|p| p.starts_with(folder)).cloned());
        }
    }
    files
}
