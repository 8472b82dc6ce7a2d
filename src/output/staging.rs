//! The staging folder of `build`: a fresh folder next to the output that
//! is filled while pages render and swapped in with two renames, or, when
//! the output is as the last build left it, holds only the files whose
//! bytes changed, which are then moved into the output one by one.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::previous::PreviousOutput;
use super::{MARKER, MARKER_TEXT, WriteError, io_err};
use crate::content::source::StaticFile;
use crate::render::OutputFile;

/// A fresh folder next to the output that a build fills chunk by chunk and
/// then swaps in place of the output with two renames.
pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    /// Every file written so far (in place: besides those kept as they
    /// are), so that the build cache's record of the output needs no walk
    /// over it afterwards.
    written: Mutex<Vec<WrittenFile>>,
    /// In place: the output's files as the last build left them (the
    /// folder holds only files whose bytes differ from these).
    previous: Option<PreviousOutput>,
    /// Static files staged in place, which a page of the same path replaces.
    staged_static: std::sync::RwLock<std::collections::HashSet<PathBuf>>,
}

/// A file a build wrote: its path under the output folder, size and
/// modification time (nanoseconds since the epoch), as a later look at the
/// folder would find them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(crate) struct WrittenFile {
    pub(crate) path: PathBuf,
    pub(crate) len: u64,
    pub(crate) modified: u128,
}

/// A path as a walk of the folder spells it (no `.` or doubled `/`).
/// Borrowed when it is spelled so already, as rendered pages' paths are
/// (75,000 lookups per build at 50,000 briefs).
fn normal(rel: &Path) -> std::borrow::Cow<'_, Path> {
    let bytes = rel.as_os_str().as_encoded_bytes();
    let spelled_so = cfg!(unix)
        && !(bytes.starts_with(b"./") || bytes == b"." || bytes.ends_with(b"/."))
        && !bytes.ends_with(b"/")
        && !(bytes.windows(2).any(|w| w == b"//") || bytes.windows(3).any(|w| w == b"/./"));
    if spelled_so {
        return std::borrow::Cow::Borrowed(rel);
    }
    (rel.components())
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect::<PathBuf>()
        .into()
}

/// A file's modification time in nanoseconds since the epoch, as the build
/// cache records it.
pub(crate) fn modified_nanos(meta: &fs::Metadata) -> Option<u128> {
    let modified = meta.modified().ok()?;
    Some(
        modified
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

/// Writes `bytes` to `target` and returns what the file's metadata says
/// afterwards (one `fstat` on the open file instead of a later walk).
fn write_file(target: &Path, bytes: &[u8]) -> io::Result<fs::Metadata> {
    use std::io::Write;
    let mut file = fs::File::create(target)?;
    file.write_all(bytes)?;
    file.metadata()
}

impl Staging {
    /// Creates the staging folder for `output` (already checked by
    /// [`check_location`]), clearing what crashed builds left behind.
    pub(crate) fn create(output: &Path) -> Result<Staging, WriteError> {
        Staging::new(output, None)
    }

    /// Like [`Staging::create`], for an output folder that holds exactly
    /// `previous` (the build cache checked it): files whose bytes are
    /// unchanged are not written again, and [`Staging::commit`] moves the
    /// others into the output and deletes the files no longer made, instead
    /// of replacing the whole folder.
    pub(crate) fn in_place(output: &Path, previous: PreviousOutput) -> Result<Staging, WriteError> {
        Staging::new(output, Some(previous))
    }

    /// Whether this staging updates the output in place.
    pub(crate) fn is_in_place(&self) -> bool {
        self.previous.is_some()
    }

    fn new(output: &Path, previous: Option<PreviousOutput>) -> Result<Staging, WriteError> {
        let parent = output.parent().unwrap_or(Path::new("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "output".into());
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        remove_leftovers(parent, &name);
        let pid = std::process::id();
        let staging = Staging {
            output: output.to_path_buf(),
            dir: parent.join(format!(".{name}.briefly-new-{pid}")),
            retired: parent.join(format!(".{name}.briefly-old-{pid}")),
            written: Mutex::new(Vec::new()),
            previous,
            staged_static: Default::default(),
        };
        for leftover in [&staging.dir, &staging.retired] {
            if leftover.exists() {
                fs::remove_dir_all(leftover).map_err(io_err(leftover))?;
            }
        }
        fs::create_dir_all(&staging.dir).map_err(io_err(&staging.dir))?;
        Ok(staging)
    }

    /// Copies static files (before pages, so a page of the same path wins).
    pub(crate) fn copy_static(&self, static_files: &[StaticFile]) -> Result<(), WriteError> {
        static_files.iter().try_for_each(|s| {
            let bytes = s.read().map_err(io_err(&s.source))?;
            self.write_one(&OutputFile {
                path: s.output_path.clone(),
                bytes: bytes.into_owned(),
            })?;
            if self.is_in_place()
                && let Ok(mut staged) = self.staged_static.write()
            {
                staged.insert(normal(&s.output_path).into_owned());
            }
            Ok(())
        })
    }

    fn remember(&self, rel: &Path, meta: &fs::Metadata) {
        let Some(modified) = modified_nanos(meta) else {
            return;
        };
        self.keep(WrittenFile {
            path: normal(rel).into_owned(),
            len: meta.len(),
            modified,
        });
    }

    fn keep(&self, file: WrittenFile) {
        if let Ok(mut written) = self.written.lock() {
            written.push(file);
        }
    }

    /// In place: the place of the output's file among the previous ones
    /// when it already holds these bytes (compared with what is on disk:
    /// cheaper than hashing every page of every build, and read only when
    /// the sizes agree).
    fn unchanged(&self, rel: &Path, bytes: &[u8]) -> Option<usize> {
        let (i, previous) = self.previous.as_ref()?.get(&normal(rel))?;
        if previous.len != bytes.len() as u64 {
            return None;
        }
        let on_disk = fs::read(self.output.join(rel)).ok()?;
        (on_disk == bytes).then_some(i)
    }

    /// In place: keeps the output's file at `rel` as it is, without its
    /// page being rendered (the caller knows it would come out the same).
    /// False when the output has no such file: the page must be rendered.
    pub(crate) fn keep_unrendered(&self, rel: &Path) -> bool {
        let (Some(previous), Some(i)) = (&self.previous, self.keepable(rel)) else {
            return false;
        };
        previous.keep(i);
        true
    }

    /// The place of the output's file at `rel` among the previous ones,
    /// when it may be kept: a static file staged at this path would replace it.
    fn keepable(&self, rel: &Path) -> Option<usize> {
        let rel = normal(rel);
        let (i, _) = self.previous.as_ref()?.get(&rel)?;
        let clash = (self.staged_static.read()).is_ok_and(|s| s.contains(rel.as_ref()));
        (!clash).then_some(i)
    }

    /// In place: keeps every one of the output's files at `rels` as it is,
    /// or none of them (false) when one is missing: the caller then writes
    /// them all.
    pub(crate) fn keep_all_unrendered(&self, rels: &[PathBuf]) -> bool {
        let found: Option<Vec<usize>> = rels.iter().map(|rel| self.keepable(rel)).collect();
        let (Some(previous), Some(found)) = (&self.previous, found) else {
            return false;
        };
        found.into_iter().for_each(|i| previous.keep(i));
        true
    }

    /// Writes rendered files, in parallel.
    pub(crate) fn write(&self, files: &[OutputFile]) -> Result<(), WriteError> {
        let mut dirs: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| f.path.parent().map(|p| self.dir.join(p)))
            .collect();
        dirs.sort();
        dirs.dedup();
        for d in &dirs {
            fs::create_dir_all(d).map_err(io_err(d))?;
        }
        files.par_iter().try_for_each(|f| {
            let target = self.dir.join(&f.path);
            let meta = write_file(&target, &f.bytes).map_err(io_err(&target))?;
            self.remember(&f.path, &meta);
            Ok(())
        })
    }

    /// Writes one rendered file (called from many threads at once).
    pub(crate) fn write_one(&self, file: &OutputFile) -> Result<(), WriteError> {
        let target = self.dir.join(&file.path);
        if let (Some(previous), Some(same)) =
            (&self.previous, self.unchanged(&file.path, &file.bytes))
        {
            // A static file of this path staged earlier loses to this page:
            // listed after it, the output's file is the last write of its path.
            if self
                .staged_static
                .read()
                .is_ok_and(|s| s.contains(normal(&file.path).as_ref()))
            {
                let _ = fs::remove_file(&target);
                self.keep(previous.file(same).clone());
            } else {
                previous.keep(same);
            }
            return Ok(());
        }
        if let Some(p) = target.parent() {
            // Most pages get a folder of their own whose parent exists: one
            // mkdir, instead of create_dir_all's look-up first.
            match fs::create_dir(p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => fs::create_dir_all(p).map_err(io_err(p))?,
            }
        }
        let meta = write_file(&target, &file.bytes).map_err(io_err(&target))?;
        self.remember(&file.path, &meta);
        Ok(())
    }

    /// Marks the folder as ours and swaps it in place of the output.
    /// Returns every file the output now holds (sorted by path bytes, each
    /// once), and the paths of the files an in-place commit moved in or
    /// deleted (none when the output was replaced whole).
    pub(crate) fn commit(self) -> Result<(Vec<WrittenFile>, Vec<PathBuf>), WriteError> {
        self.write_one(&OutputFile {
            path: PathBuf::from(MARKER),
            bytes: MARKER_TEXT.as_bytes().to_vec(),
        })?;
        if self.previous.is_some() {
            return self.commit_in_place();
        }
        if self.output.exists() {
            fs::rename(&self.output, &self.retired).map_err(io_err(&self.output))?;
        }
        if let Err(source) = fs::rename(&self.dir, &self.output) {
            // Put the previous site back before reporting.
            if self.retired.exists() {
                let _ = fs::rename(&self.retired, &self.output);
            }
            let _ = fs::remove_dir_all(&self.dir);
            return Err(WriteError::Io {
                path: self.output.clone(),
                source,
            });
        }
        if self.retired.exists() {
            remove_tree(&self.retired).map_err(io_err(&self.retired))?;
        }
        Ok((self.into_written().0, Vec::new()))
    }

    /// Every file the output holds after this build (sorted by path bytes,
    /// each once), in place with whether each differs from the previous
    /// output's and the previous output's paths no longer written.
    fn into_written(self) -> (Vec<WrittenFile>, Vec<bool>, Vec<OsString>) {
        let written = last_writes(self.written.into_inner().unwrap_or_default());
        let Some(previous) = self.previous else {
            return (written, Vec::new(), Vec::new());
        };
        previous.merge(written)
    }

    /// Moves the staged files into the output, each with one rename, and
    /// deletes the files the build no longer makes (with folders left
    /// empty). Unlike the swap this is not one step: a build killed here
    /// leaves a mix, which the next build does not trust (its caller
    /// forgets the output's record first) and replaces whole.
    fn commit_in_place(self) -> Result<(Vec<WrittenFile>, Vec<PathBuf>), WriteError> {
        let (output, dir) = (self.output.clone(), self.dir.clone());
        let (written, changed, gone) = self.into_written();
        let mut moved = Vec::new();
        for (file, _) in written.iter().zip(changed).filter(|(_, changed)| *changed) {
            let staged = dir.join(&file.path);
            if !staged.exists() {
                continue;
            }
            let target = output.join(&file.path);
            if let Some(p) = target.parent() {
                fs::create_dir_all(p).map_err(io_err(p))?;
            }
            fs::rename(&staged, &target).map_err(io_err(&target))?;
            moved.push(file.path.clone());
        }
        for gone in gone {
            let target = output.join(&gone);
            moved.push(PathBuf::from(gone));
            let _ = fs::remove_file(&target);
            // Folders left empty go too (a deleted brief's `briefs/x/`).
            let mut folder = target.parent();
            while let Some(f) = folder.filter(|f| *f != output && fs::remove_dir(f).is_ok()) {
                folder = f.parent();
            }
        }
        let _ = fs::remove_dir_all(&dir);
        Ok((written, moved))
    }

    /// Throws the staging folder away; the output is untouched.
    pub(crate) fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Each path once, with its last write, sorted by path bytes (normalised
/// paths: equal bytes, equal paths; cheaper than comparing components).
fn last_writes(mut written: Vec<WrittenFile>) -> Vec<WrittenFile> {
    // A stable sort keeps the last write of a path first among equals.
    written.reverse();
    written.par_sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    written.dedup_by(|later, first| later.path.as_os_str() == first.path.as_os_str());
    written
}

/// Removes a folder and everything in it, the entries of each folder in
/// parallel: deleting a replaced output of 130,000 files (50,000 briefs)
/// took 2 s on one thread, at the end of every build that replaces the
/// output whole. Symbolic links are removed, not followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_tree(&path)
        } else {
            fs::remove_file(&path)
        }
    })?;
    fs::remove_dir(dir)
}

/// Removes staging and retired folders of builds that crashed (their process
/// is gone); a running build's folders are left alone.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let pid = [".briefly-new-", ".briefly-old-"].iter().find_map(|infix| {
            file_name
                .strip_prefix(&format!(".{name}{infix}"))
                .and_then(|p| p.parse::<u32>().ok())
        });
        if let Some(pid) = pid {
            let alive =
                pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists();
            if !alive {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-place commit lists every file the output then holds, each once
    /// with its size and modification time as on disk, moves in the files
    /// written with new bytes (the last write of a path), keeps those
    /// written with the same bytes or kept unrendered, and deletes the rest.
    #[test]
    fn an_in_place_commit_keeps_moves_and_deletes_what_it_must() {
        let write = |staging: &Staging, path: &str, bytes: &str| {
            let file = OutputFile {
                path: path.into(),
                bytes: bytes.into(),
            };
            staging.write_one(&file).expect("write");
        };
        let dir = tempfile::tempdir().expect("temp");
        let output = dir.path().join("out");
        let first = Staging::create(&output).expect("staging");
        for (path, bytes) in [
            ("index.html", "home"),
            ("briefs/a/index.html", "a"),
            ("briefs/b/index.html", "b"),
            ("briefs/c/index.html", "c"),
            ("briefs/gone/index.html", "gone"),
            ("briefs/kept/index.html", "kept"),
        ] {
            write(&first, path, bytes);
        }
        let (previous, _) = first.commit().expect("commit");
        let in_place = PreviousOutput::new(previous.clone());
        let staging = Staging::in_place(&output, in_place).expect("in place");
        write(&staging, "index.html", "home");
        write(&staging, "briefs/a/index.html", "a, edited");
        write(&staging, "briefs/b/index.html", "b, first");
        write(&staging, "briefs/new/index.html", "new");
        write(&staging, "briefs/b/index.html", "b, second");
        write(&staging, "./briefs/c/index.html", "c");
        assert!(staging.keep_unrendered(Path::new("briefs/kept/index.html")));
        assert!(!staging.keep_unrendered(Path::new("briefs/missing/index.html")));
        write(&staging, "pagefind/new.pf", "index");
        let (written, moved) = staging.commit().expect("commit");

        let paths: Vec<&str> = (written.iter())
            .map(|f| f.path.to_str().expect("utf-8"))
            .collect();
        assert_eq!(
            paths,
            [
                MARKER,
                "briefs/a/index.html",
                "briefs/b/index.html",
                "briefs/c/index.html",
                "briefs/kept/index.html",
                "briefs/new/index.html",
                "index.html",
                "pagefind/new.pf",
            ]
        );
        for file in &written {
            let meta = fs::metadata(output.join(&file.path)).expect("on disk");
            assert_eq!(
                (meta.len(), modified_nanos(&meta)),
                (file.len, Some(file.modified)),
                "{}",
                file.path.display()
            );
        }
        let unchanged = |path: &str| previous.iter().find(|f| f.path == Path::new(path));
        for path in [
            "index.html",
            "briefs/c/index.html",
            "briefs/kept/index.html",
        ] {
            assert_eq!(
                written.iter().find(|f| f.path == Path::new(path)),
                unchanged(path)
            );
            assert!(!moved.contains(&PathBuf::from(path)), "{path} moved");
        }
        for path in [
            "briefs/a/index.html",
            "briefs/b/index.html",
            "briefs/new/index.html",
            "pagefind/new.pf",
            "briefs/gone/index.html",
        ] {
            assert!(moved.contains(&PathBuf::from(path)), "{path}: {moved:?}");
        }
        let read = |path: &str| fs::read_to_string(output.join(path)).expect("read");
        assert_eq!(read("briefs/b/index.html"), "b, second");
        assert_eq!(read("briefs/kept/index.html"), "kept");
        assert!(!output.join("briefs/gone").exists());
    }

    /// A tree is removed whole, folders, files and links, without
    /// following a link out of it.
    #[cfg(unix)]
    #[test]
    fn a_tree_is_removed_whole_and_links_are_not_followed() {
        let dir = tempfile::tempdir().expect("temp");
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).expect("outside");
        fs::write(outside.join("keep.txt"), "kept").expect("keep");
        let tree = dir.path().join("tree");
        for i in 0..50 {
            let folder = tree.join(format!("briefs/b{i}/deeper"));
            fs::create_dir_all(&folder).expect("folder");
            fs::write(folder.join("index.html"), "x").expect("file");
        }
        fs::create_dir(tree.join("empty")).expect("empty");
        std::os::unix::fs::symlink(&outside, tree.join("link")).expect("link");
        remove_tree(&tree).expect("removed");
        assert!(!tree.exists());
        assert!(outside.join("keep.txt").exists(), "a link was followed");
    }

    /// Borrowed or not, a path comes out as its components spell it.
    #[test]
    fn normal_paths_are_spelled_as_their_components() {
        for path in [
            "briefs/a/index.html",
            "./page.html",
            "a//b.html",
            "a/./b.html",
            "a/b/.",
            "a/b/",
            ".hidden/x.html",
            "a/.well-known/x",
            "index.html",
        ] {
            let slow: PathBuf = (Path::new(path).components())
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect();
            let fast = normal(Path::new(path));
            assert_eq!(
                fast.as_os_str().as_encoded_bytes(),
                slow.as_os_str().as_encoded_bytes(),
                "{path}"
            );
        }
    }
}
