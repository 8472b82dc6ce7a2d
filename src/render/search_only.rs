//! Parts of a page meant for the search index alone: a template wraps them
//! in `<!--search-only-->` … `<!--/search-only-->` (the default theme's
//! `brief.html` wraps its hidden Pagefind filters and metadata, about 1 KB a
//! brief). Pages are published without them; the copy handed to Pagefind
//! has them, markers removed, exactly where they stood, so the index is
//! what it was when they were published.
//!
//! `render_each` cuts them from each page ([`split`]) and hands the sink a
//! [`super::Rendered`]: the published file, and the parts, from which the
//! sink makes the index's copy ([`index_copy`]) when it indexes the page.

use std::borrow::Cow;
use std::path::PathBuf;

use super::OutputFile;

/// Opens a search-only part.
pub(crate) const OPEN: &str = "<!--search-only-->";
/// Closes it.
pub(crate) const CLOSE: &str = "<!--/search-only-->";

/// The search-only parts cut from one page: where each stood in the
/// published bytes, and its HTML (markers removed).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Parts {
    path: PathBuf,
    cut: Vec<(usize, String)>,
}

/// `file` without its search-only parts, and the parts (`None` when it has
/// none: then the file is untouched). Only HTML pages are looked at; an
/// opening marker without its closing one is left in place.
pub(crate) fn split(file: OutputFile) -> (OutputFile, Option<Parts>) {
    let is_html = file.path.extension().is_some_and(|e| e == "html");
    let cut = (is_html.then(|| std::str::from_utf8(&file.bytes).ok()))
        .flatten()
        .filter(|html| html.contains(OPEN))
        .and_then(cut_parts);
    match cut {
        Some((published, cut)) => {
            let parts = Parts {
                path: file.path.clone(),
                cut,
            };
            let file = OutputFile {
                path: file.path,
                bytes: published.into_bytes(),
            };
            (file, Some(parts))
        }
        None => (file, None),
    }
}

/// `html` without its whole search-only parts, and the parts with where
/// each stood; `None` when it has none.
fn cut_parts(html: &str) -> Option<(String, Vec<(usize, String)>)> {
    let mut published = String::with_capacity(html.len());
    let mut cut = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find(OPEN) {
        let inside = &rest[open + OPEN.len()..];
        let Some(close) = inside.find(CLOSE) else {
            break;
        };
        published.push_str(&rest[..open]);
        cut.push((published.len(), inside[..close].to_string()));
        rest = &inside[close + CLOSE.len()..];
    }
    published.push_str(rest);
    (!cut.is_empty()).then_some((published, cut))
}

/// The page as the search index reads it: `file` (published) with the
/// search-only parts cut from it put back.
pub(crate) fn index_copy<'f>(file: &'f OutputFile, parts: Option<&Parts>) -> Cow<'f, [u8]> {
    match parts {
        Some(parts) if parts.path == file.path => Cow::Owned(joined(&file.bytes, parts)),
        _ => Cow::Borrowed(file.bytes.as_slice()),
    }
}

/// The page as the search index reads it, from the file the last build
/// published and the parts it cut from it ([`decode`]); `None` when the
/// parts do not fit the file (it is not the one they were cut from).
pub(crate) fn index_copy_of(published: &[u8], parts: &Parts) -> Option<Vec<u8>> {
    let mut from = 0;
    for (at, _) in &parts.cut {
        if *at < from || *at > published.len() {
            return None;
        }
        from = *at;
    }
    Some(joined(published, parts))
}

/// A page's parts as the build cache keeps them (none: an empty list):
/// each part's place and length as 8 bytes each, then its HTML.
pub(crate) fn encode(parts: Option<&Parts>) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (at, html) in parts.map_or(&[][..], |p| p.cut.as_slice()) {
        bytes.extend_from_slice(&(*at as u64).to_le_bytes());
        bytes.extend_from_slice(&(html.len() as u64).to_le_bytes());
        bytes.extend_from_slice(html.as_bytes());
    }
    bytes
}

/// What [`encode`] wrote for the page at `path`; `None` on other bytes.
pub(crate) fn decode(path: PathBuf, mut bytes: &[u8]) -> Option<Parts> {
    let mut cut = Vec::new();
    while !bytes.is_empty() {
        let (at, rest) = bytes.split_first_chunk::<8>()?;
        let (len, rest) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        if len > rest.len() {
            return None;
        }
        let (html, rest) = rest.split_at(len);
        let at = usize::try_from(u64::from_le_bytes(*at)).ok()?;
        cut.push((at, String::from_utf8(html.to_vec()).ok()?));
        bytes = rest;
    }
    Some(Parts { path, cut })
}

fn joined(published: &[u8], parts: &Parts) -> Vec<u8> {
    let extra: usize = parts.cut.iter().map(|(_, html)| html.len()).sum();
    let mut page = Vec::with_capacity(published.len() + extra);
    let mut from = 0;
    for (at, html) in &parts.cut {
        page.extend_from_slice(&published[from..*at]);
        page.extend_from_slice(html.as_bytes());
        from = *at;
    }
    page.extend_from_slice(&published[from..]);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            bytes: html.as_bytes().to_vec(),
        }
    }

    #[test]
    fn parts_leave_the_published_page_and_come_back_for_the_index() {
        let html = "<article data-pagefind-body><!--search-only--><div hidden><span data-pagefind-filter=\"year\">2020</span></div><!--/search-only--><h1>T</h1><!--search-only-->x<!--/search-only--></article>";
        let (published, parts) = split(page("briefs/a/index.html", html));
        assert_eq!(
            String::from_utf8_lossy(&published.bytes),
            "<article data-pagefind-body><h1>T</h1></article>"
        );
        let full = "<article data-pagefind-body><div hidden><span data-pagefind-filter=\"year\">2020</span></div><h1>T</h1>x</article>";
        assert_eq!(
            index_copy(&published, parts.as_ref()).as_ref(),
            full.as_bytes()
        );
        // Without parts, or with another page's, the page is as published.
        assert_eq!(
            index_copy(&published, None).as_ref(),
            published.bytes.as_slice()
        );
        let other = page("briefs/b/index.html", "<p>b</p>");
        assert_eq!(index_copy(&other, parts.as_ref()).as_ref(), b"<p>b</p>");
    }

    /// The parts as the cache keeps them give the same index copy from the
    /// published file; parts that do not fit a file, or damaged bytes, give none.
    #[test]
    fn parts_kept_in_the_cache_give_the_index_copy_from_the_published_file() {
        let html = "<article><!--search-only--><i>ایران</i><!--/search-only--><h1>T</h1><!--search-only-->x<!--/search-only--></article>";
        let (published, parts) = split(page("briefs/a/index.html", html));
        let bytes = encode(parts.as_ref());
        let back = decode(PathBuf::from("briefs/a/index.html"), &bytes).expect("decodes");
        assert_eq!(Some(&back), parts.as_ref());
        assert_eq!(
            index_copy_of(&published.bytes, &back).as_deref(),
            Some(index_copy(&published, parts.as_ref()).as_ref())
        );
        // A page without parts keeps an empty list: its copy is the file.
        let none = decode(PathBuf::from("b"), &encode(None)).expect("empty");
        assert_eq!(
            index_copy_of(b"<p>b</p>", &none).as_deref(),
            Some(&b"<p>b</p>"[..])
        );
        // A shorter file than the one the parts were cut from.
        assert_eq!(index_copy_of(b"<article>", &back), None);
        for cut_at in [1, 9, 17, bytes.len() - 1] {
            assert_eq!(
                decode(PathBuf::from("a"), &bytes[..cut_at]),
                None,
                "{cut_at}"
            );
        }
    }

    #[test]
    fn pages_without_a_whole_part_and_other_files_are_untouched() {
        for (path, html) in [
            ("a/index.html", "<p>plain</p>"),
            ("a/index.html", "<p><!--search-only-->never closed</p>"),
            ("feed.xml", "<!--search-only-->x<!--/search-only-->"),
        ] {
            let (file, parts) = split(page(path, html));
            assert_eq!(file.bytes, html.as_bytes(), "{path}: {html}");
            assert_eq!(parts, None);
        }
    }
}
