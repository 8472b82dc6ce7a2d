//! Parts of a page meant for the search index alone: a template wraps them
//! in `<!--search-only-->` … `<!--/search-only-->` (the default theme's
//! `brief.html` wraps its hidden Pagefind filters and metadata, about 1 KB a
//! brief). Pages are published without them; the copy handed to Pagefind
//! has them, markers removed, exactly where they stood, so the index is
//! what it was when they were published.
//!
//! Two ways back to the index, both in this file:
//! * `build` hands each page to its sink, which hands it to the indexer
//!   before writing it (`lib.rs`), both taking the one [`OutputFile`]: the
//!   parts cut from a page are lent to the indexer on the rendering thread
//!   for the length of that sink call ([`lend_while`], [`index_copy`]).
//!   Nothing is kept after the call.
//! * `briefly serve` writes what `render_pages` returns and indexes the
//!   written pages later, on another thread: `render_pages` remembers each
//!   page's parts by the published page's bytes ([`remember`]), and
//!   `search::indexed` puts them back ([`recall`]); one entry per page, about
//!   1 KB a brief, held while the process runs.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

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

thread_local! {
    /// The parts of the page being handed to the sink on this thread.
    static LENT: RefCell<Option<Parts>> = const { RefCell::new(None) };
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

/// Runs `hand_over` (the sink call for the page the parts were cut from)
/// with `parts` lent to [`index_copy`] on this thread.
pub(crate) fn lend_while<R>(parts: Option<Parts>, hand_over: impl FnOnce() -> R) -> R {
    let Some(parts) = parts else {
        return hand_over();
    };
    /// Takes the parts back even if the sink panics.
    struct Return;
    impl Drop for Return {
        fn drop(&mut self) {
            LENT.with(|lent| lent.borrow_mut().take());
        }
    }
    LENT.with(|lent| *lent.borrow_mut() = Some(parts));
    let _back = Return;
    hand_over()
}

/// The page as the search index reads it: `file` with the search-only parts
/// cut from it put back when they are lent (inside the sink call of its
/// render), else `file` as it is.
pub(crate) fn index_copy(file: &OutputFile) -> Cow<'_, [u8]> {
    LENT.with(|lent| match lent.borrow().as_ref() {
        Some(parts) if parts.path == file.path => Cow::Owned(joined(&file.bytes, parts)),
        _ => Cow::Borrowed(file.bytes.as_slice()),
    })
}

/// A published page as [`recall`] finds it: its length and hash.
type PageKey = (usize, u64);

fn page_key(bytes: &[u8]) -> PageKey {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    (bytes.len(), hasher.finish())
}

/// The parts [`remember`] kept, by published page, and each path's page.
#[derive(Default)]
struct Remembered {
    parts: HashMap<PageKey, Parts>,
    page_of: HashMap<PathBuf, PageKey>,
}

static REMEMBERED: LazyLock<Mutex<Remembered>> = LazyLock::new(Mutex::default);

fn remembered() -> std::sync::MutexGuard<'static, Remembered> {
    REMEMBERED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps the parts lent for `file` (inside the sink call of its render) for
/// [`recall`], in place of those of the page written at its path before.
pub(crate) fn remember(file: &OutputFile) {
    let lent = LENT.with(|lent| {
        lent.borrow()
            .as_ref()
            .filter(|p| p.path == file.path)
            .cloned()
    });
    let Some(parts) = lent else {
        return;
    };
    let key = page_key(&file.bytes);
    let mut kept = remembered();
    if let Some(old) = kept.page_of.insert(file.path.clone(), key)
        && old != key
    {
        kept.parts.remove(&old);
    }
    kept.parts.insert(key, parts);
}

/// `html` (a page as published) with the parts [`remember`] kept for it put
/// back; `html` itself when none were kept (a page of `build`, which lends
/// them instead, or of a theme without search-only parts).
pub(crate) fn recall(html: String) -> String {
    let kept = remembered();
    if kept.parts.is_empty() {
        return html;
    }
    match kept.parts.get(&page_key(html.as_bytes())) {
        Some(parts) => String::from_utf8(joined(html.as_bytes(), parts)).unwrap_or(html),
        None => html,
    }
}

/// [`index_copy`] as a file of its own, taking `file`'s bytes when nothing
/// is lent for it.
#[cfg(test)]
pub(crate) fn whole(file: OutputFile) -> OutputFile {
    let rejoined = match index_copy(&file) {
        Cow::Owned(bytes) => Some(bytes),
        Cow::Borrowed(_) => None,
    };
    match rejoined {
        Some(bytes) => OutputFile {
            path: file.path,
            bytes,
        },
        None => file,
    }
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
        // Outside a sink call, and for another page, nothing is lent.
        assert_eq!(index_copy(&published).as_ref(), published.bytes.as_slice());
        let seen = lend_while(parts, || {
            let other = page("briefs/b/index.html", "<p>b</p>");
            assert_eq!(index_copy(&other).as_ref(), b"<p>b</p>");
            String::from_utf8_lossy(&index_copy(&published)).into_owned()
        });
        assert_eq!(seen, full);
        assert_eq!(index_copy(&published).as_ref(), published.bytes.as_slice());
        let (published, parts) = split(page("briefs/a/index.html", html));
        let rejoined = lend_while(parts, || whole(published.clone()));
        assert_eq!(rejoined.bytes, full.as_bytes());
        assert_eq!(whole(published.clone()), published);
    }

    /// What `briefly serve` writes is the published page; its indexer
    /// reads it back and gets the parts the render remembered, the newest
    /// for each path.
    #[test]
    fn remembered_parts_come_back_for_the_written_page() {
        let render = |html: &str| {
            let (published, parts) = split(page("briefs/remembered/index.html", html));
            lend_while(parts, || remember(&published));
            String::from_utf8(published.bytes).expect("UTF-8")
        };
        let old = render("<p>A<!--search-only--><i>1</i><!--/search-only--></p>");
        assert_eq!(old, "<p>A</p>");
        assert_eq!(recall(old.clone()), "<p>A<i>1</i></p>");
        let new = render("<p>B<!--search-only--><i>2</i><!--/search-only--></p>");
        assert_eq!(recall(new), "<p>B<i>2</i></p>");
        assert_eq!(recall(old), "<p>A</p>", "replaced by the newer page");
        assert_eq!(recall("<p>other</p>".into()), "<p>other</p>");
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
