//! The PDF cache: `.briefly-cache/pdf/<key>.pdf` in the site root, where
//! the key is a hash of everything that goes into a brief's PDF (its
//! generated document, the template, its images, the fonts and briefly's
//! version), so a hit is the PDF a compile would give, byte for byte.
//!
//! The only code of the PDF edition that touches the disk for itself. A
//! missing or unreadable entry is a miss, and an entry that cannot be saved
//! only costs the next build a compile: neither stops a build.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The cache folder, under the site root.
pub(crate) const CACHE_DIR: &str = ".briefly-cache/pdf";

/// Bump when the PDF output changes for the same inputs without the
/// version changing (the generated markup is in the key, so changes to it
/// need no bump).
const FORMAT: &str = "briefly-pdf-1";

/// A hash of the inputs of one PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key(pub(super) u128);

impl Key {
    /// The key of a document, its template and its images.
    pub(super) fn of(main: &str, template: &str, images: &[Vec<u8>]) -> Key {
        Key(typst::utils::hash128(&(
            FORMAT,
            env!("CARGO_PKG_VERSION"),
            super::world::fonts_hash(),
            main,
            template,
            images,
        )))
    }

    fn file_name(self) -> String {
        format!("{:032x}.pdf", self.0)
    }
}

/// The cache of one site.
pub(crate) struct PdfCache {
    dir: PathBuf,
    /// Entries used by this build, kept when the cache is pruned.
    used: Mutex<HashSet<String>>,
}

impl PdfCache {
    /// The cache of the site at `root`.
    pub(crate) fn new(root: &Path) -> PdfCache {
        PdfCache {
            dir: root.join(CACHE_DIR),
            used: Mutex::new(HashSet::new()),
        }
    }

    fn mark_used(&self, name: String) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(name);
        }
    }

    /// The cached PDF of `key`.
    pub(super) fn get(&self, key: Key) -> Option<Vec<u8>> {
        let name = key.file_name();
        let bytes = fs::read(self.dir.join(&name)).ok()?;
        // A truncated entry (a crash while saving) is a miss.
        bytes.starts_with(b"%PDF-").then(|| {
            self.mark_used(name);
            bytes
        })
    }

    /// Saves the PDF of `key` (through a temporary file and a rename, so a
    /// reader never sees half a file).
    pub(super) fn put(&self, key: Key, bytes: &[u8]) {
        let name = key.file_name();
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, self.dir.join(&name)).is_ok() {
            self.mark_used(name);
        } else {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// Deletes the entries this build did not use (briefs edited or gone),
    /// so the cache stays the size of the site.
    pub(crate) fn prune(&self) {
        let Ok(used) = self.used.lock() else {
            return;
        };
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".pdf") && !used.contains(&name) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}
