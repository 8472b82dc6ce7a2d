//! The build cache: results that are expensive to make and are a pure
//! function of their inputs, kept across builds in `.briefly-cache/build/`
//! under the site root (outside the output folder, which every build
//! replaces, and git-ignored by `init`).
//!
//! An entry is a list of files (name, bytes) stored under a [`Key`] that
//! hashes everything the result depends on, so a changed input never finds
//! a stale entry: it finds none. What the cache promises is therefore only
//! that it returns exactly the bytes that were put in. Every entry carries
//! the cache format, the identity of the binary that wrote it and a checksum;
//! an entry that fails any of these is ignored with a warning and rebuilt,
//! never trusted. A cache that cannot be written costs the next build its
//! time and nothing else.
//!
//! The one module that reads or writes the build cache.

use std::collections::HashSet;
use std::fs;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use siphasher::sip128::{Hasher128, SipHasher13};

use crate::diagnostic::Diagnostic;
pub(crate) use entry_bytes::EntryBytes;

pub(crate) mod briefs;
pub(crate) mod card_keys;
pub(crate) mod codec;
mod entry_bytes;
mod input_hashes;
pub(crate) mod output_check;
pub(crate) mod output_folders;
pub(crate) mod related;
pub(crate) mod up_to_date;

/// The build cache's folder under the site root.
pub(crate) const CACHE_DIR: &str = ".briefly-cache/build";

/// The preview server's: its pages carry the server's address, so its
/// entries never match a build's, and each would prune the other's.
pub(crate) const SERVE_CACHE_DIR: &str = ".briefly-cache/serve";

/// First bytes of every entry.
const MAGIC: &[u8; 8] = b"BRFCACHE";

/// Bumped whenever the entry layout changes (2: CRC-32 checksum).
const FORMAT: u32 = 2;

/// A 128-bit hash of everything a cached result depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key(u128);

impl Key {
    /// The key as a number (to store it).
    pub(crate) fn as_u128(self) -> u128 {
        self.0
    }

    /// A key stored with [`Key::as_u128`].
    pub(crate) fn from_u128(key: u128) -> Key {
        Key(key)
    }

    /// The entry's file name: 32 hex digits.
    fn file_name(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Builds a [`Key`] from the parts of an input, in order. Each part is
/// length-prefixed, so `("ab", "c")` and `("a", "bc")` differ.
pub(crate) struct KeyBuilder(SipHasher13);

impl KeyBuilder {
    /// A key for results of `kind` (e.g. `search`) made by this binary.
    pub(crate) fn new(kind: &str) -> KeyBuilder {
        let mut builder = KeyBuilder(SipHasher13::new_with_keys(
            0x6272_6965_666c_7920,
            FORMAT.into(),
        ));
        builder.part(kind.as_bytes());
        builder.part(binary_identity().as_bytes());
        builder
    }

    /// Adds one part of the input.
    pub(crate) fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.write_u64(bytes.len() as u64);
        self.0.write(bytes);
        self
    }

    /// The key of everything added.
    pub(crate) fn finish(&self) -> Key {
        Key(self.0.finish128().as_u128())
    }
}

/// What identifies the binary that wrote an entry: its version, and the size
/// and modification time of its executable, so that a rebuilt binary (same
/// version number, other code) does not read a cache it did not write.
fn binary_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let exe = std::env::current_exe()
            .and_then(fs::metadata)
            .map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}-{modified}", m.len())
            })
            .unwrap_or_default();
        format!("briefly {} {exe}", env!("CARGO_PKG_VERSION"))
    })
}

/// One cached result: files by name, relative to wherever the caller puts
/// them.
pub(crate) type Files = Vec<(PathBuf, Vec<u8>)>;

/// The cache of one build: reads and writes entries of one kind at a time,
/// remembers which were used, and collects warnings about bad entries.
pub(crate) struct BuildCache {
    dir: PathBuf,
    used: Mutex<HashSet<(String, Key)>>,
    warnings: Mutex<Vec<Diagnostic>>,
}

impl BuildCache {
    /// The cache of the site at `root` (nothing is read or created yet).
    pub(crate) fn open(root: &Path) -> BuildCache {
        Self::open_at(root, CACHE_DIR)
    }

    /// The cache in `dir` (e.g. [`SERVE_CACHE_DIR`]) under the site root.
    pub(crate) fn open_at(root: &Path, dir: &str) -> BuildCache {
        BuildCache {
            dir: root.join(dir),
            used: Mutex::new(HashSet::new()),
            warnings: Mutex::new(Vec::new()),
        }
    }

    fn entry_path(&self, kind: &str, key: Key) -> PathBuf {
        self.dir.join(kind).join(key.file_name())
    }

    /// The files stored under `key`, or `None` when there is no entry or it
    /// cannot be trusted (then a warning says why and the entry is removed).
    pub(crate) fn get(&self, kind: &str, key: Key) -> Option<Files> {
        self.read_with(kind, key, |_, files| {
            Some(
                (files.iter())
                    .map(|(name, data)| (PathBuf::from(name), data.to_vec()))
                    .collect(),
            )
        })
    }

    /// What `read` makes of the files stored under `key`, borrowed from the
    /// entry as read rather than copied out of it first (at 50,000 briefs,
    /// 300 MB of parsed briefs a build restores); `read` is also given the
    /// entry as read, to hold on to. `None` as for [`BuildCache::get`], or
    /// when `read` gives none.
    pub(crate) fn read_with<R>(
        &self,
        kind: &str,
        key: Key,
        read: impl FnOnce(&std::sync::Arc<EntryBytes>, &[(&str, &[u8])]) -> Option<R>,
    ) -> Option<R> {
        let path = self.entry_path(kind, key);
        let bytes = std::sync::Arc::new(EntryBytes::read(&path)?);
        self.mark_used(kind, key);
        match decode(&bytes) {
            Ok(files) => read(&bytes, &files),
            Err(why) => {
                self.warn(&path, why);
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores `files` under `key`: written to a temporary file and renamed,
    /// so a killed build leaves either the whole entry or none.
    pub(crate) fn put(&self, kind: &str, key: Key, files: &[(PathBuf, Vec<u8>)]) {
        self.mark_used(kind, key);
        let path = self.entry_path(kind, key);
        let written = (|| -> std::io::Result<()> {
            let folder = self.dir.join(kind);
            fs::create_dir_all(&folder)?;
            // Unique within the process too: threads may store the same entry.
            static TEMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = TEMPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let temp = folder.join(format!(
                ".{}.tmp-{}-{n}",
                key.file_name(),
                std::process::id()
            ));
            let mut file = fs::File::create(&temp)?;
            file.write_all(&encode(files))?;
            drop(file);
            fs::rename(&temp, &path)
        })();
        if let Err(e) = written {
            self.warn(
                &path,
                format!("could not be saved ({e}); the next build redoes this work"),
            );
        }
    }

    /// A handle on the same folder for another thread: what it puts is
    /// not marked used here (see [`BuildCache::claim`]) and its warnings
    /// are its own.
    pub(crate) fn sibling(&self) -> BuildCache {
        BuildCache {
            dir: self.dir.clone(),
            used: Mutex::new(HashSet::new()),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// Marks an entry another handle puts as used by this build.
    pub(crate) fn claim(&self, kind: &str, key: Key) {
        self.mark_used(kind, key);
    }

    /// Whether the cache holds an entry for `key` (not read, so not checked).
    pub(crate) fn contains(&self, kind: &str, key: Key) -> bool {
        self.entry_path(kind, key).is_file()
    }

    /// Removes an entry (a record about to stop being true).
    pub(crate) fn remove(&self, kind: &str, key: Key) {
        let _ = fs::remove_file(self.entry_path(kind, key));
    }

    /// Removes the entries of `kind` this build did not use, so the cache
    /// holds what the current site needs and does not grow build by build.
    pub(crate) fn prune(&self, kind: &str) {
        let Ok(used) = self.used.lock() else { return };
        let Ok(entries) = fs::read_dir(self.dir.join(kind)) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let keep = u128::from_str_radix(&name, 16)
                .is_ok_and(|k| name.len() == 32 && used.contains(&(kind.to_string(), Key(k))));
            if !keep {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Warnings about entries that were ignored or could not be saved.
    pub(crate) fn take_warnings(&self) -> Vec<Diagnostic> {
        self.warnings
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default()
    }

    fn mark_used(&self, kind: &str, key: Key) {
        if let Ok(mut used) = self.used.lock() {
            used.insert((kind.to_string(), key));
        }
    }

    fn warn(&self, path: &Path, why: String) {
        let shown = path
            .strip_prefix(
                self.dir
                    .parent()
                    .and_then(Path::parent)
                    .unwrap_or(Path::new("")),
            )
            .unwrap_or(path);
        let warning = Diagnostic::error(shown, 0, 0, format!("build cache entry {why}"))
            .warning()
            .with_hint(
                "the cache is only an optimisation: `rm -rf .briefly-cache/build` is always safe",
            );
        if let Ok(mut warnings) = self.warnings.lock() {
            warnings.push(warning);
        }
    }
}

/// `MAGIC, FORMAT, identity, count, (name, bytes)*, checksum`.
fn encode(files: &[(PathBuf, Vec<u8>)]) -> Vec<u8> {
    let size: usize = files
        .iter()
        .map(|(n, b)| n.as_os_str().len() + b.len() + 12)
        .sum();
    let mut out = Vec::with_capacity(size + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    put_bytes(&mut out, binary_identity().as_bytes());
    out.extend_from_slice(&(files.len() as u64).to_le_bytes());
    for (name, bytes) in files {
        put_bytes(&mut out, name.to_string_lossy().as_bytes());
        put_bytes(&mut out, bytes);
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// A check against damage (truncation, a changed byte), not against
/// forgery: entries are the site's own, and their names are SipHash keys.
fn checksum(bytes: &[u8]) -> u128 {
    u128::from(crc32fast::hash(bytes))
}

/// The files of an entry, or why it cannot be trusted.
fn decode(bytes: &[u8]) -> Result<Vec<(&str, &[u8])>, String> {
    let damaged = || "is damaged (truncated or changed); it was ignored and rebuilt".to_string();
    let body_len = bytes.len().checked_sub(16).ok_or_else(damaged)?;
    let (body, sum) = bytes.split_at(body_len);
    let mut reader = Reader(body);
    if reader.take(MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err("is not a briefly cache file; it was ignored and rebuilt".to_string());
    }
    let format = reader
        .take(4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes);
    let identity = reader.bytes();
    if format != Some(FORMAT) || identity != Some(binary_identity().as_bytes()) {
        return Err(
            "was written by another version of briefly; it was ignored and rebuilt".to_string(),
        );
    }
    if sum.try_into().ok().map(u128::from_le_bytes) != Some(checksum(body)) {
        return Err(damaged());
    }
    let count = reader.u64().ok_or_else(damaged)?;
    let mut files = Vec::new();
    for _ in 0..count {
        let name = reader.bytes().ok_or_else(damaged)?;
        let name = std::str::from_utf8(name).map_err(|_| damaged())?;
        let data = reader.bytes().ok_or_else(damaged)?;
        files.push((name, data));
    }
    if !reader.0.is_empty() {
        return Err(damaged());
    }
    Ok(files)
}

/// Reads an entry front to back; `None` when it ends early.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u64()?).ok()?;
        self.take(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        vec![
            (PathBuf::from("pagefind.js"), b"js".to_vec()),
            (PathBuf::from("index/en_1.pf_index"), vec![0, 1, 2, 255]),
        ]
    }

    #[test]
    fn an_entry_returns_exactly_what_was_put() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::open(dir.path());
        let key = KeyBuilder::new("search").part(b"x").finish();
        assert!(cache.get("search", key).is_none());
        cache.put("search", key, &files());
        assert_eq!(cache.get("search", key), Some(files()));
        assert!(cache.take_warnings().is_empty());
    }

    #[test]
    fn keys_separate_their_parts() {
        let ab_c = KeyBuilder::new("k").part(b"ab").part(b"c").finish();
        let a_bc = KeyBuilder::new("k").part(b"a").part(b"bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_ne!(KeyBuilder::new("k").finish(), KeyBuilder::new("j").finish());
    }

    #[test]
    fn every_truncation_and_flipped_byte_is_refused() {
        let bytes = encode(&files());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        for i in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[i] ^= 0x40;
            assert!(decode(&changed).is_err(), "byte {i} flipped");
        }
        let decoded = decode(&bytes).map(|files| {
            (files.into_iter())
                .map(|(name, data)| (PathBuf::from(name), data.to_vec()))
                .collect::<Files>()
        });
        assert_eq!(decoded, Ok(files()));
    }

    #[test]
    fn a_bad_entry_is_removed_with_a_warning_and_unused_ones_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::open(dir.path());
        let (good, bad, old) = (
            KeyBuilder::new("s").part(b"1").finish(),
            KeyBuilder::new("s").part(b"2").finish(),
            KeyBuilder::new("s").part(b"3").finish(),
        );
        for key in [good, bad, old] {
            cache.put("s", key, &files());
        }
        fs::write(cache.entry_path("s", bad), b"BRFCACHE garbage").unwrap();
        let next = BuildCache::open(dir.path());
        assert!(next.get("s", good).is_some());
        assert!(next.get("s", bad).is_none());
        let warnings = next.take_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        next.prune("s");
        assert!(next.entry_path("s", good).exists());
        assert!(!next.entry_path("s", bad).exists());
        assert!(!next.entry_path("s", old).exists());
    }
    /// Entries from `EntryBytes::MAP_FROM` on are mapped, not read: their
    /// bytes are the same, a damaged one is refused, and one replaced while
    /// mapped keeps the bytes it had.
    #[test]
    fn a_large_entry_is_mapped_and_checked_as_a_small_one() {
        let dir = tempfile::tempdir().unwrap();
        let cache = BuildCache::open(dir.path());
        let key = KeyBuilder::new("briefs").part(b"large").finish();
        let large: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        let entry = vec![(PathBuf::from("briefs.postcard"), large.clone())];
        cache.put("briefs", key, &entry);
        let read = |cache: &BuildCache| {
            cache.read_with("briefs", key, |bytes, files| {
                let mapped = matches!(**bytes, EntryBytes::Mapped(_));
                Some((mapped, bytes.clone(), files[0].1.to_vec()))
            })
        };
        let (mapped, held, data) = read(&cache).expect("read");
        assert!(mapped, "a large entry is mapped");
        assert_eq!(data, large);
        // Part of it copied out, from the file while it is the one mapped.
        let file_part = |bytes: &EntryBytes| {
            let files = decode(bytes).expect("decodes");
            let start = files[0].1.as_ptr() as usize - bytes.as_ptr() as usize;
            start + 1000..start + 301_000
        };
        let part = file_part(&held);
        assert_eq!(
            held.copy_range(part.clone()),
            Some(large[1000..301_000].to_vec())
        );
        // Replaced while mapped (as `put` does, by renaming): what is held
        // keeps its bytes.
        let other = vec![(PathBuf::from("briefs.postcard"), vec![7u8; 600_000])];
        cache.put("briefs", key, &other);
        assert_eq!(
            held.copy_range(part),
            Some(large[1000..301_000].to_vec()),
            "copied out of the map when the path leads to another file"
        );
        assert_eq!(decode(&held).map(|f| f[0].1.to_vec()), Ok(large));
        // Damaged: refused with a warning, and removed.
        let path = cache.entry_path("briefs", key);
        let mut bytes = fs::read(&path).unwrap();
        bytes[300_000] ^= 1;
        fs::write(&path, bytes).unwrap();
        assert!(read(&cache).is_none());
        assert_eq!(cache.take_warnings().len(), 1);
        assert!(!path.exists());
    }
}
