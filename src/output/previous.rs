//! The output folder as the last build left it, in an in-place build: its
//! files (from the build cache's record, sorted by path bytes) and which of
//! them the build keeps as they are, and the merge of those with the files
//! the build wrote that gives the output's files after the commit.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::WrittenFile;

/// The files of an output folder that is as the last build left it, and
/// which of them the build keeps as they are. Most are kept (at 50,000
/// briefs, 129,000 of 130,000 after one edit): marked here rather than
/// listed again, so that the commit merges the few files written with the
/// kept ones in order instead of sorting and comparing them all.
pub(crate) struct PreviousOutput {
    /// Sorted by path bytes.
    files: Vec<WrittenFile>,
    /// Each file's place in `files`, by the path's bytes: a `PathBuf` key
    /// hashes component by component, which cost 0.3 s of CPU per build at
    /// 50,000 briefs; the paths are normalised (`staging::normal`), so equal
    /// bytes are equal paths. Hashed with FxHash: the paths are the build's
    /// own output paths, and SipHash was a third of the in-place commit's time.
    at: HashMap<OsString, usize, rustc_hash::FxBuildHasher>,
    /// Whether the build keeps each of `files` as it is.
    kept: Vec<AtomicBool>,
}

impl PreviousOutput {
    /// Of `files`, sorted by path bytes (as the build cache records them).
    pub(crate) fn new(mut files: Vec<WrittenFile>) -> PreviousOutput {
        // The commit's merge relies on the order and on each path being
        // there once; a record made otherwise is put right (a look, when it is).
        let by_path = |a: &WrittenFile, b: &WrittenFile| a.path.as_os_str().cmp(b.path.as_os_str());
        if !files.is_sorted_by(|a, b| by_path(a, b).is_lt()) {
            files.sort_by(by_path);
            files.dedup_by(|a, b| a.path.as_os_str() == b.path.as_os_str());
        }
        let at = (files.iter().enumerate())
            .map(|(i, f)| (f.path.clone().into_os_string(), i))
            .collect();
        let kept = files.iter().map(|_| Default::default()).collect();
        PreviousOutput { files, at, kept }
    }

    /// The file at `rel` (a normalised path) and its place.
    pub(super) fn get(&self, rel: &Path) -> Option<(usize, &WrittenFile)> {
        let &i = self.at.get(rel.as_os_str())?;
        Some((i, &self.files[i]))
    }

    /// The file at place `i`.
    pub(super) fn file(&self, i: usize) -> &WrittenFile {
        &self.files[i]
    }

    pub(super) fn keep(&self, i: usize) {
        self.kept[i].store(true, Ordering::Relaxed);
    }

    /// Every file the output holds once the build's `written` files (sorted
    /// by path bytes, each once) are moved in: the kept files and the
    /// written ones merged in order, a path written winning over the same
    /// path kept; with whether each differs from the last build's file of
    /// its path, and the last build's paths neither kept nor written again.
    pub(super) fn merge(
        self,
        written: Vec<WrittenFile>,
    ) -> (Vec<WrittenFile>, Vec<bool>, Vec<OsString>) {
        let mut files = Vec::with_capacity(self.files.len() + written.len());
        let mut changed = Vec::with_capacity(files.capacity());
        let mut gone = Vec::new();
        let mut written = written.into_iter().peekable();
        let kept = self.kept.into_iter().map(AtomicBool::into_inner);
        for (before, kept) in self.files.into_iter().zip(kept) {
            while let Some(new) = written.next_if(|w| w.path.as_os_str() < before.path.as_os_str())
            {
                files.push(new);
                changed.push(true);
            }
            if let Some(again) = written.next_if(|w| w.path.as_os_str() == before.path.as_os_str())
            {
                changed.push(again != before);
                files.push(again);
            } else if kept {
                files.push(before);
                changed.push(false);
            } else {
                gone.push(before.path.into_os_string());
            }
        }
        for new in written {
            files.push(new);
            changed.push(true);
        }
        (files, changed, gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of the output out of order or with a path twice (no record
    /// briefly writes is) is put in order, each path once.
    #[test]
    fn the_previous_output_is_put_in_order() {
        let file = |path: &str, len| WrittenFile {
            path: path.into(),
            len,
            modified: 1,
        };
        let previous = PreviousOutput::new(vec![
            file("b/index.html", 1),
            file("a-b/index.html", 2),
            file("a/index.html", 3),
            file("b/index.html", 1),
        ]);
        let paths: Vec<&Path> = previous.files.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(
            paths,
            ["a-b/index.html", "a/index.html", "b/index.html"].map(Path::new)
        );
        assert_eq!(
            previous.get(Path::new("a/index.html")).map(|(i, _)| i),
            Some(1)
        );
    }
}
