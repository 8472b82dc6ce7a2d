//! A cache entry's bytes as read, and parts of them copied out: large
//! entries are mapped rather than read, and the pages a build reads of
//! them are given back to the kernel once copied.

use std::fs;
use std::path::{Path, PathBuf};

/// A cache entry's bytes as read: large entries mapped rather than copied.
/// At 50,000 briefs a build after one edit reads 300 MB of parsed briefs;
/// copying them into fresh memory (zeroed page by page first) was over a
/// third of restoring them, and most of their bodies are never read.
pub(crate) enum EntryBytes {
    Read(Vec<u8>),
    #[cfg(unix)]
    Mapped(MappedEntry),
}

/// A mapped entry, with its file's path and identity (device, inode) to
/// read parts of it from the file rather than through the map
/// ([`EntryBytes::copy_range`]).
#[cfg(unix)]
pub(crate) struct MappedEntry {
    map: memmap2::Mmap,
    path: PathBuf,
    file_id: (u64, u64),
}

impl EntryBytes {
    /// Entries smaller than this are read: mapping costs more than copying.
    #[cfg(unix)]
    const MAP_FROM: u64 = 256 * 1024;

    pub(super) fn read(path: &Path) -> Option<EntryBytes> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let file = fs::File::open(path).ok()?;
            let metadata = file.metadata().ok()?;
            if metadata.len() >= Self::MAP_FROM {
                // SAFETY: a mapped file must not change while mapped. Cache
                // entries never do: they are written to a temporary file
                // and renamed into place (`put`), so an entry replaced or
                // deleted during the build keeps its bytes until unmapped.
                // Only a process truncating the file in place could break
                // this, which neither briefly nor its documented use does.
                #[allow(unsafe_code)]
                let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
                return Some(EntryBytes::Mapped(MappedEntry {
                    map,
                    path: path.to_path_buf(),
                    file_id: (metadata.dev(), metadata.ino()),
                }));
            }
        }
        fs::read(path).ok().map(EntryBytes::Read)
    }

    /// Whether the entry is mapped from its file rather than read into memory.
    pub(crate) fn is_mapped(&self) -> bool {
        match self {
            EntryBytes::Read(_) => false,
            #[cfg(unix)]
            EntryBytes::Mapped(_) => true,
        }
    }

    /// Bytes `range` of the entry, copied out. A mapped entry's are read
    /// from its file, the one that was mapped (same device and inode), not
    /// through the map: a read through the map maps a large folio of pages
    /// into this process, and giving them back ([`EntryBytes::forget_pages`])
    /// costs every CPU running the build a TLB flush. In a cold build at
    /// 50,000 briefs that was 41,000 `madvise` calls and 2-3 s of system
    /// time, reading each brief's body once. Through the map when the file
    /// is gone or another.
    pub(crate) fn copy_range(&self, range: std::ops::Range<usize>) -> Option<Vec<u8>> {
        match self {
            EntryBytes::Read(bytes) => bytes.get(range).map(<[u8]>::to_vec),
            #[cfg(unix)]
            EntryBytes::Mapped(entry) => {
                let through_map = || {
                    let bytes = entry.map.get(range.clone())?.to_vec();
                    self.forget_pages(range.clone());
                    Some(bytes)
                };
                entry.read_from_file(range.clone()).or_else(through_map)
            }
        }
    }

    /// Gives the pages of `range` this process has read back to the
    /// kernel, with those it mapped around them: they count in its memory
    /// while mapped, though the kernel's cache holds them, and reading them
    /// again reads them from there. Nothing for an entry read into memory.
    #[cfg_attr(not(unix), allow(unused_variables))]
    pub(crate) fn forget_pages(&self, range: std::ops::Range<usize>) {
        // A read maps more than its page: the cached pages around it
        // (`fault_around_bytes`), and a large folio of the page cache whole,
        // up to 2 MiB and aligned to its size (Linux 6.18 here maps 2 MiB
        // of a freshly written file for one byte read). Forgetting only a
        // body's own pages left 60% of a 50,000-brief site's packs mapped.
        #[cfg(unix)]
        const AROUND: usize = 2 * 1024 * 1024;
        #[cfg(unix)]
        if let EntryBytes::Mapped(MappedEntry { map, .. }) = self {
            if range.end > map.len() || range.is_empty() {
                return;
            }
            let start = range.start - range.start % AROUND;
            let range = start..range.end.next_multiple_of(AROUND).min(map.len());
            // SAFETY: `MADV_DONTNEED` on a read-only mapping of a file only
            // unmaps the pages from this process; the next read maps them
            // again with the file's bytes, which never change while mapped
            // (see `read`). No reference into the map is invalidated.
            #[allow(unsafe_code)]
            let _ = unsafe {
                map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    range.start,
                    range.len(),
                )
            };
        }
    }
}

#[cfg(unix)]
impl MappedEntry {
    /// Bytes `range`, read from the mapped file when its path still leads to it.
    fn read_from_file(&self, range: std::ops::Range<usize>) -> Option<Vec<u8>> {
        use std::os::unix::fs::{FileExt, MetadataExt};
        if range.end > self.map.len() {
            return None;
        }
        let file = fs::File::open(&self.path).ok()?;
        let metadata = file.metadata().ok()?;
        if (metadata.dev(), metadata.ino()) != self.file_id {
            return None;
        }
        let mut bytes = vec![0; range.len()];
        file.read_exact_at(&mut bytes, range.start as u64).ok()?;
        Some(bytes)
    }
}

impl std::ops::Deref for EntryBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            EntryBytes::Read(bytes) => bytes,
            #[cfg(unix)]
            EntryBytes::Mapped(entry) => &entry.map,
        }
    }
}
