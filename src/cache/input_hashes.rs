//! Input files' hashes remembered by their status, so a build reads only the
//! files that changed since the last one (at 50,000 briefs reading and
//! hashing every input took 0.3 s of a one-edit build; looking at each
//! file's status is a fraction of that).
//!
//! A file's hash is reused only when its size, inode, modification time and
//! status-change time (`ctime`) are what they were when it was hashed. The
//! status-change time is set by the kernel on every write and cannot be set
//! back, so an edit that restores the size and modification time still
//! shows. A file whose status changed within [`RACY_WINDOW_NANOS`] of the build
//! that hashed it is not remembered: a second write in the same clock tick
//! would leave every field as it was (git's "racily clean" entries). A fresh
//! clone (every file new) is read in full, as before; so is every file on a
//! platform without these fields.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{BuildCache, Key};

/// The cache kind of the remembered hashes.
const KIND: &str = "input-hashes";

/// The one file of the entry.
const FILE: &str = "hashes.postcard";

/// How recent a status change must not be for its hash to be remembered
/// (two seconds: coarser than any file system clock tick).
const RACY_WINDOW_NANOS: i128 = 2_000_000_000;

/// What a file's hash is remembered by: size, inode, modification and
/// status-change time (nanoseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Status {
    len: u64,
    inode: u64,
    modified: i128,
    changed: i128,
}

impl Status {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Option<Status> {
        use std::os::unix::fs::MetadataExt;
        let nanos = |secs: i64, nsecs: i64| i128::from(secs) * 1_000_000_000 + i128::from(nsecs);
        Some(Status {
            len: meta.len(),
            inode: meta.ino(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    fn of(_meta: &fs::Metadata) -> Option<Status> {
        None
    }
}

/// One input file: its path relative to the site root and, when it could be
/// read, its status.
pub(super) struct Listed {
    pub(super) path: PathBuf,
    status: Option<Status>,
}

impl Listed {
    /// A file and what its metadata says, if anything.
    pub(super) fn new(path: PathBuf, meta: Option<&fs::Metadata>) -> Listed {
        Listed {
            status: meta.and_then(Status::of),
            path,
        }
    }
}

/// Every file under `dir`, with its status read relative to its open
/// folder. Symbolic links are followed, as the loader follows them; a
/// linked folder is read once, so a link to its own parent ends.
pub(super) fn list(dir: &Path, files: &mut Vec<Listed>) {
    let mut entries = Vec::new();
    let mut linked_folders = std::collections::HashSet::new();
    let mut to_read = vec![dir.to_path_buf()];
    while let Some(dir) = to_read.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => to_read.push(entry.path()),
                Ok(kind) if kind.is_file() => entries.push(entry),
                Ok(kind) if kind.is_symlink() => match fs::metadata(entry.path()) {
                    Ok(meta) if meta.is_file() => {
                        files.push(Listed::new(entry.path(), Some(&meta)));
                    }
                    Ok(meta)
                        if meta.is_dir()
                            && linked_folders.insert(fs::canonicalize(entry.path()).ok()) =>
                    {
                        to_read.push(entry.path());
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
    files.par_extend(
        (entries.into_par_iter())
            .map(|entry| Listed::new(entry.path(), entry.metadata().ok().as_ref())),
    );
}

/// The hashes remembered from the last build, by path relative to the root.
pub(super) struct Remembered {
    /// By the path's bytes, which hash faster than a `PathBuf`'s components.
    /// No status: one too recent to be trusted, the file is read again.
    hashes: std::collections::HashMap<std::ffi::OsString, (Option<Status>, u128)>,
    /// When this build started looking at its inputs (nanoseconds).
    now: i128,
}

/// The entry as stored.
pub(super) type Stored = Vec<(PathBuf, Option<Status>, u128)>;

impl Remembered {
    /// What the cache holds (nothing when the entry is missing or damaged).
    pub(super) fn read(cache: &BuildCache) -> Remembered {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        let hashes = (cache.get(KIND, Key(0)))
            .and_then(|entry| match entry.as_slice() {
                [(name, bytes)] if name == Path::new(FILE) => {
                    postcard::from_bytes::<Stored>(bytes).ok()
                }
                _ => None,
            })
            .map(|stored| {
                (stored.into_iter())
                    .map(|(path, status, hash)| (path.into_os_string(), (status, hash)))
                    .collect()
            })
            .unwrap_or_default();
        Remembered { hashes, now }
    }

    /// The hash of a file whose status is as it was when it was hashed.
    pub(super) fn hash(&self, rel: &Path, file: &Listed) -> Option<u128> {
        let status = file.status?;
        let (was, hash) = self.hashes.get(rel.as_os_str())?;
        (*was == Some(status)).then_some(*hash)
    }

    /// The hash a file had when the last build hashed it, whatever its status.
    pub(super) fn last_hash(&self, rel: &Path) -> Option<u128> {
        self.hashes.get(rel.as_os_str()).map(|(_, hash)| *hash)
    }

    /// What to remember of this build's inputs (`(relative path, listed,
    /// hash)`), without the status of files whose status changed too
    /// recently to be trusted (they are read again; their hash still tells
    /// the next build whether they changed); `None` when it is what was
    /// remembered. [`store`] stores it.
    pub(super) fn to_store<'f>(
        &self,
        files: impl Iterator<Item = (&'f Path, &'f Listed, u128)>,
    ) -> Option<Stored> {
        let stored: Stored = files
            .map(|(rel, file, hash)| {
                let status = (file.status).filter(|s| s.changed < self.now - RACY_WINDOW_NANOS);
                (rel.to_path_buf(), status, hash)
            })
            .collect();
        let same = stored.len() == self.hashes.len()
            && (stored.iter()).all(|(path, status, hash)| {
                self.hashes.get(path.as_os_str()) == Some(&(*status, *hash))
            });
        (!same).then_some(stored)
    }
}

/// Stores what [`Remembered::to_store`] gave.
pub(super) fn store(cache: &BuildCache, stored: &Stored) {
    if let Ok(bytes) = postcard::to_stdvec(stored) {
        cache.put(KIND, Key(0), &[(PathBuf::from(FILE), bytes)]);
    }
}
