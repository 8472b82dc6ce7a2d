//! Helpers shared by every test target that builds fixture sites.

use std::path::{Path, PathBuf};

/// Copies a folder tree (folders and files).
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A fresh copy of `tests/fixtures/site` with the repository's themes in
/// `<target tmp>/<name>/site`: the work folder and the site root. The copy
/// lives under the target folder so that a failed test leaves it to look at.
#[allow(dead_code)] // not every test target that includes this file copies the fixture
pub(crate) fn fixture_copy(name: &str) -> (PathBuf, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if work.exists() {
        std::fs::remove_dir_all(&work).expect("clear the old site");
    }
    let root = work.join("site");
    copy_tree(&repo.join("tests/fixtures/site"), &root);
    copy_tree(&repo.join("themes"), &root.join("themes"));
    (work, root)
}
