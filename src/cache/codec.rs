//! A compact form for the last build's long lists of paths (130,000 output
//! files, 75,000 page keys and 50,000 index hashes at 50,000 briefs): each
//! path is written as the length it shares with the one before and the rest
//! of its bytes, numbers as LEB128 and keys as 16 bytes. In postcard these
//! lists were 24 MB, which every build wrote and read again, and encoding
//! them (each path checked as UTF-8, each key as a 19-byte varint) cost
//! 0.12 s of CPU. Sorted paths share most of their bytes.

use std::ffi::OsString;
use std::path::PathBuf;

/// Appends `n` as LEB128.
fn put_number(out: &mut Vec<u8>, mut n: u128) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads what [`put_number`] wrote.
fn number(bytes: &mut &[u8]) -> Option<u128> {
    let mut n: u128 = 0;
    for shift in (0..128).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u128::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

/// Writes a list of paths (as bytes), each with what `put` writes after it.
pub(crate) struct Writer {
    out: Vec<u8>,
    last: Vec<u8>,
}

impl Writer {
    /// A list of `len` entries.
    pub(crate) fn new(len: usize) -> Writer {
        let mut out = Vec::with_capacity(len * 24);
        put_number(&mut out, len as u128);
        Writer {
            out,
            last: Vec::new(),
        }
    }

    /// The next entry's path.
    pub(crate) fn path(&mut self, path: &[u8]) -> &mut Self {
        let shared = (self.last.iter().zip(path))
            .take_while(|(a, b)| a == b)
            .count();
        put_number(&mut self.out, shared as u128);
        put_number(&mut self.out, (path.len() - shared) as u128);
        self.out.extend_from_slice(&path[shared..]);
        self.last.clear();
        self.last.extend_from_slice(path);
        self
    }

    /// A number of the current entry.
    pub(crate) fn number(&mut self, n: u128) -> &mut Self {
        put_number(&mut self.out, n);
        self
    }

    /// A key (a hash) of the current entry: 16 bytes, as hashes fill them.
    pub(crate) fn key(&mut self, key: u128) -> &mut Self {
        self.out.extend_from_slice(&key.to_le_bytes());
        self
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// Reads what a [`Writer`] wrote, entry by entry, in the same order of
/// calls. Any call gives `None` on bytes it did not write.
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
    last: Vec<u8>,
    /// Entries left.
    pub(crate) len: usize,
}

impl<'b> Reader<'b> {
    pub(crate) fn new(mut bytes: &'b [u8]) -> Option<Reader<'b>> {
        let len = usize::try_from(number(&mut bytes)?).ok()?;
        // Each entry takes two bytes at least: a length read from foreign
        // bytes never sizes an allocation past what they could hold.
        if len > bytes.len() / 2 {
            return None;
        }
        Some(Reader {
            bytes,
            last: Vec::new(),
            len,
        })
    }

    /// The next entry's path, as bytes.
    pub(crate) fn path(&mut self) -> Option<&[u8]> {
        self.len = self.len.checked_sub(1)?;
        let shared = usize::try_from(number(&mut self.bytes)?).ok()?;
        let rest = usize::try_from(number(&mut self.bytes)?).ok()?;
        if shared > self.last.len() || rest > self.bytes.len() {
            return None;
        }
        let (tail, after) = self.bytes.split_at(rest);
        self.bytes = after;
        self.last.truncate(shared);
        self.last.extend_from_slice(tail);
        Some(&self.last)
    }

    pub(crate) fn number(&mut self) -> Option<u128> {
        number(&mut self.bytes)
    }

    pub(crate) fn key(&mut self) -> Option<u128> {
        let (key, rest) = self.bytes.split_first_chunk::<16>()?;
        self.bytes = rest;
        Some(u128::from_le_bytes(*key))
    }

    /// Whether every entry was read and nothing follows.
    pub(crate) fn done(&self) -> bool {
        self.len == 0 && self.bytes.is_empty()
    }
}

/// A list of paths with a key each, sorted first by path bytes (which
/// orders keys by path) so that paths share most of their bytes.
pub(crate) fn keyed_list(list: &mut [(&[u8], u128)]) -> Vec<u8> {
    use rayon::slice::ParallelSliceMut;
    list.par_sort_unstable();
    let mut writer = Writer::new(list.len());
    for (path, key) in list.iter() {
        writer.path(path).key(*key);
    }
    writer.finish()
}

/// What [`keyed_list`] wrote, each path made by `make` from its bytes;
/// `None` on anything else.
pub(crate) fn read_keyed<P>(
    bytes: &[u8],
    make: impl Fn(&[u8]) -> Option<P>,
) -> Option<Vec<(P, u128)>> {
    let mut list = Reader::new(bytes)?;
    let mut entries = Vec::with_capacity(list.len);
    while list.len > 0 {
        let path = make(list.path()?)?;
        entries.push((path, list.key()?));
    }
    list.done().then_some(entries)
}

/// A path from the bytes [`Writer::path`] was given (`as_encoded_bytes`).
pub(crate) fn os_string(bytes: &[u8]) -> Option<OsString> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(std::ffi::OsStr::from_bytes(bytes).to_os_string())
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes).ok().map(OsString::from)
    }
}

/// A `String` from path bytes, when they are UTF-8.
pub(crate) fn string(bytes: &[u8]) -> Option<String> {
    String::from_utf8(bytes.to_vec()).ok()
}

/// [`os_string`] as a `PathBuf`.
pub(crate) fn path_buf(bytes: &[u8]) -> Option<PathBuf> {
    os_string(bytes).map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_back_as_written() {
        let entries: [(&str, u128, u128); 5] = [
            ("", 0, 0),
            ("briefs/a/index.html", 127, u128::MAX),
            ("briefs/a-b/index.html", 128, 1),
            ("briefs/b/index.html", u128::from(u64::MAX), 1 << 100),
            ("é/ü", 1_764_000_000_000_000_000, 42),
        ];
        let mut writer = Writer::new(entries.len());
        for (path, n, key) in entries {
            writer.path(path.as_bytes()).number(n).key(key);
        }
        let bytes = writer.finish();
        let mut reader = Reader::new(&bytes).expect("header");
        for (path, n, key) in entries {
            assert_eq!(reader.path(), Some(path.as_bytes()));
            assert_eq!((reader.number(), reader.key()), (Some(n), Some(key)));
        }
        assert!(reader.done());
        assert_eq!(reader.path(), None, "no entry past the end");
    }

    #[test]
    fn cut_or_foreign_bytes_give_none_not_a_panic() {
        let mut writer = Writer::new(2);
        writer.path(b"briefs/a/index.html").key(7);
        writer.path(b"briefs/b/index.html").key(8);
        let bytes = writer.finish();
        for cut in 0..bytes.len() {
            let read = Reader::new(&bytes[..cut]).and_then(|mut r| {
                let a = (r.path()?.to_vec(), r.key()?);
                let b = (r.path()?.to_vec(), r.key()?);
                r.done().then_some((a, b))
            });
            assert_eq!(read, None, "cut at {cut}");
        }
        let mut reader = Reader::new(&[1, 9, 1, b'x']).expect("header");
        assert_eq!(reader.path(), None, "shares more than the last path had");
        assert_eq!(number(&mut &[0xff; 20][..]), None, "too long a number");
    }
}
