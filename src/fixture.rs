//! Unit tests' copy of the test fixture site (`tests/fixtures/site`).

use std::path::{Path, PathBuf};

/// The fixture site copied into `dir/site`, to build and change freely.
pub(crate) fn copy_site(dir: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
    let root = dir.join("site");
    for entry in walkdir::WalkDir::new(&from).into_iter().flatten() {
        let to = root.join(entry.path().strip_prefix(&from).expect("under the fixture"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("folder");
        } else {
            std::fs::copy(entry.path(), &to).expect("file");
        }
    }
    root
}
