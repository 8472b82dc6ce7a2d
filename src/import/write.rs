//! The one place the importer writes: briefs (`content/briefs/<slug>.md`,
//! or `<slug>/index.md` with a bundle's files), copied static files and
//! the manifest `.briefly-import.json`, which remembers what each file held
//! when the import wrote it, so that a re-run rewrites untouched briefs but
//! never one an editor changed (unless `--force`). Nothing outside `--into`.

use std::collections::BTreeMap;
use std::fs;
use std::hash::Hasher;
use std::io;
use std::path::{Path, PathBuf};

/// Where the manifest lives, relative to the site root.
pub(crate) const MANIFEST: &str = ".briefly-import.json";

/// What happened (or, in a dry run, would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    New,
    Updated,
    Unchanged,
    /// Edited since the last import; left alone (no `--force`).
    KeptEdited,
}

/// Writes files under one root, remembering what it wrote.
pub(crate) struct Writer {
    root: PathBuf,
    dry_run: bool,
    force: bool,
    manifest: BTreeMap<String, String>,
}

fn digest(bytes: &[u8]) -> String {
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    format!("{:016x}-{}", h.finish(), bytes.len())
}

impl Writer {
    pub(crate) fn new(root: &Path, dry_run: bool, force: bool) -> Self {
        let manifest = fs::read_to_string(root.join(MANIFEST))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        Writer {
            root: root.to_path_buf(),
            dry_run,
            force,
            manifest,
        }
    }

    /// Writes `bytes` at `rel` unless the file there was edited since the import wrote it.
    pub(crate) fn put(&mut self, rel: &Path, bytes: &[u8]) -> io::Result<Outcome> {
        let path = self.root.join(rel);
        let key = rel.to_string_lossy().replace('\\', "/");
        let outcome = match fs::read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Outcome::New,
            Err(e) => return Err(e),
            Ok(current) if current == bytes => Outcome::Unchanged,
            Ok(current) => {
                let ours = self.manifest.get(&key) == Some(&digest(&current));
                if ours || self.force {
                    Outcome::Updated
                } else {
                    return Ok(Outcome::KeptEdited);
                }
            }
        };
        if !self.dry_run && outcome != Outcome::Unchanged {
            write_atomically(&path, bytes)?;
        }
        self.manifest.insert(key, digest(bytes));
        Ok(outcome)
    }

    /// Copies a file (a bundle image, a static file) when it is absent or differs.
    pub(crate) fn copy(&mut self, from: &Path, rel: &Path) -> io::Result<Outcome> {
        let bytes = fs::read(from)?;
        self.put(rel, &bytes)
    }

    /// Saves the manifest (not in a dry run).
    pub(crate) fn finish(self) -> io::Result<()> {
        if self.dry_run {
            return Ok(());
        }
        let text = serde_json::to_string_pretty(&self.manifest).map_err(io::Error::other)?;
        write_atomically(&self.root.join(MANIFEST), text.as_bytes())
    }
}

/// Through a temporary file and a rename, so an interrupted import leaves
/// each file whole, old or new.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.briefly-tmp",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().expect("tmp");
        let rel = Path::new("content/briefs/x.md");
        let mut w = Writer::new(dir.path(), false, false);
        assert_eq!(w.put(rel, b"one").ok(), Some(Outcome::New));
        w.finish().expect("manifest");
        let mut w = Writer::new(dir.path(), false, false);
        assert_eq!(w.put(rel, b"one").ok(), Some(Outcome::Unchanged));
        assert_eq!(w.put(rel, b"two").ok(), Some(Outcome::Updated));
        w.finish().expect("manifest");
        fs::write(dir.path().join(rel), "edited").expect("edit");
        let mut w = Writer::new(dir.path(), false, false);
        assert_eq!(w.put(rel, b"three").ok(), Some(Outcome::KeptEdited));
        assert_eq!(
            fs::read_to_string(dir.path().join(rel)).ok().as_deref(),
            Some("edited")
        );
        let mut w = Writer::new(dir.path(), false, true);
        assert_eq!(w.put(rel, b"three").ok(), Some(Outcome::Updated));
    }
}
