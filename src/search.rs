//! Search: the brief pages, rendered in memory -> a Pagefind bundle, in memory.
//!
//! [Pagefind](https://pagefind.app) indexes HTML in-process (its Rust crate,
//! no Node); the bundle it returns (`pagefind.js`, the WebAssembly search
//! core, `pagefind-entry.json`, the word index chunks under `index/`, one
//! fragment per page under `fragment/`, the filter values under `filter/` and
//! Pagefind's own UI files) is what the theme's `search.html` loads from
//! `{{ site.base_path }}pagefind/`. Everything runs in the browser, so the
//! search page works from any static host.
//!
//! What is indexed and how is decided by the theme's markup, not here: only
//! the element marked `data-pagefind-body` (the brief's `<article>`) is
//! indexed; `data-pagefind-filter="country|actor|author|year"` spans give the
//! facets; `data-pagefind-ignore` keeps them out of excerpts. Pages without
//! `data-pagefind-body` are left out once any page has it.
//!
//! Like `render.rs`, this module never touches the disk: it returns
//! [`OutputFile`]s for `output.rs` to write. Pagefind's API is async; [`bundle`]
//! runs it on a current-thread tokio runtime of its own (on a helper thread
//! when it is called from inside a runtime, where `block_on` would panic).
//!
//! Cost: about 4 s and 0.27 GB per 1,000 briefs on one core, linear in the
//! number of briefs (Pagefind keeps every page's word positions in memory
//! until the index is built). Keep it off the hot path of `serve`.

use std::path::{Component, Path, PathBuf};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::render::OutputFile;

/// Folder of the bundle under the output root; the theme loads
/// `{{ site.base_path }}pagefind/pagefind.js`.
pub const BUNDLE_DIR: &str = "pagefind";

/// Why the search bundle could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A page path is not a relative path to an `.html` file under the output
    /// root (absolute, empty, with `..`, or not ending in `.html`).
    #[error("search index: `{path}` is not a relative path to an .html file in the output folder")]
    BadPath {
        /// The path as given.
        path: String,
    },
    /// The tokio runtime Pagefind needs could not be started.
    #[error("search index: could not start the indexing runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// Pagefind rejected its configuration (for example an unusable language).
    #[error("search index: Pagefind could not be configured for language `{language}`: {message}")]
    Config {
        /// The language asked for.
        language: String,
        /// Pagefind's message.
        message: String,
    },
    /// Pagefind failed on one page.
    #[error("search index: Pagefind could not index `{path}`: {message}")]
    Page {
        /// The page's path under the output root.
        path: String,
        /// Pagefind's message.
        message: String,
    },
    /// Pagefind failed while building the index from the pages.
    #[error("search index: Pagefind could not build the index: {0}")]
    Build(String),
    /// The indexing thread panicked (inside Pagefind).
    #[error("search index: the indexing thread panicked")]
    Panicked,
}

/// Indexes `pages` with Pagefind and returns the search bundle.
///
/// Each page is `(path, html)`: `path` is the page's file under the output
/// root with `/` separators and no leading `/`, e.g.
/// `briefs/x/index.html`, which Pagefind turns into the result URL
/// `/briefs/x/` (the browser side adds the base path: the theme calls
/// `pagefind.options({baseUrl})`); `html` is the whole rendered page.
/// `language` is the site's language (`site.language`, e.g. `en` or
/// `en-GB`): every page is indexed with its stemmer, whatever its `lang`.
///
/// Returns every file of the bundle with its path under the output root
/// (`pagefind/pagefind.js`, `pagefind/pagefind-entry.json`,
/// `pagefind/index/…`, `pagefind/fragment/…`, …), sorted by path. The hashed
/// file names change with the content, so the folder must be emptied before
/// a new bundle is written. With no pages the bundle is still complete (an
/// empty index), so the search page loads and finds nothing.
///
/// Safe to call from inside a tokio runtime (it then indexes on a helper
/// thread and blocks the caller), but it takes seconds: from async code call
/// it through `tokio::task::spawn_blocking`.
pub fn bundle(
    pages: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<OutputFile>, SearchError> {
    for (path, _) in &pages {
        check_path(path)?;
    }
    let language = normalize_language(language);
    let files = if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|scope| {
            scope
                .spawn(|| index_on_own_runtime(pages, &language))
                .join()
                .map_err(|_| SearchError::Panicked)?
        })?
    } else {
        index_on_own_runtime(pages, &language)?
    };
    let mut out: Vec<OutputFile> = files
        .into_iter()
        .map(|(name, bytes)| OutputFile {
            path: Path::new(BUNDLE_DIR).join(name),
            bytes,
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Runs Pagefind on a fresh current-thread runtime; returns file names
/// relative to the bundle folder with their bytes.
fn index_on_own_runtime(
    pages: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, SearchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SearchError::Runtime)?;
    runtime.block_on(index(pages, language))
}

async fn index(
    pages: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, SearchError> {
    let config = PagefindServiceConfig::builder()
        .force_language(language.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| SearchError::Config {
        language: language.to_string(),
        message: format!("{e:#}"),
    })?;
    // Pages are moved in one by one so that each page's HTML is freed once
    // Pagefind has parsed it.
    for (path, html) in pages {
        index
            .add_html_file(Some(path.clone()), None, html)
            .await
            .map_err(|e| SearchError::Page {
                path,
                message: format!("{e:#}"),
            })?;
    }
    let files = index
        .get_files()
        .await
        .map_err(|e| SearchError::Build(format!("{e:#}")))?;
    Ok(files
        .into_iter()
        .map(|file| (file.filename, file.contents))
        .collect())
}

/// Accepts `a/b/index.html`; refuses absolute paths, `..`, `.`, empty
/// segments, backslashes and anything that is not an `.html` file.
fn check_path(path: &str) -> Result<(), SearchError> {
    let bad = || SearchError::BadPath {
        path: path.to_string(),
    };
    if path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.split('/').any(str::is_empty)
        || !path.ends_with(".html")
    {
        return Err(bad());
    }
    if !Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(bad());
    }
    Ok(())
}

/// `en-GB` -> `en-gb`; empty -> `en`. Pagefind picks the stemmer from the
/// part before `-` and names the index after the whole code; the browser
/// falls back to it whatever the page's `lang`.
fn normalize_language(language: &str) -> String {
    let language = language.trim();
    if language.is_empty() {
        "en".to_string()
    } else {
        language.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_be_relative_html_files() {
        for good in ["index.html", "briefs/x/index.html", "a/b.html"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/briefs/x/index.html",
            "briefs/../x/index.html",
            "./index.html",
            "briefs//index.html",
            "briefs\\x\\index.html",
            "briefs/x/",
            "feed.xml",
        ] {
            assert!(
                matches!(check_path(bad), Err(SearchError::BadPath { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn language_codes_are_lowercased() {
        assert_eq!(normalize_language("en-GB"), "en-gb");
        assert_eq!(normalize_language(" fa "), "fa");
        assert_eq!(normalize_language(""), "en");
    }

    #[test]
    fn a_bad_path_fails_before_indexing() {
        let err = bundle(vec![("../x.html".into(), "<html></html>".into())], "en")
            .expect_err("bad path");
        assert!(err.to_string().contains("../x.html"), "{err}");
    }
}
