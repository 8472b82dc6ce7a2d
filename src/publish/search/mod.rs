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
//! `data-pagefind-body` are left out once any page has it. So Pagefind is
//! handed only that element (with the page's `<html>` tag and `<title>`),
//! not the head, navigation, related briefs and footer around it: see
//! `indexed_part`, which gives the whole page whenever the cut could
//! change what Pagefind records (the bundle is byte-identical either way).
//!
//! Each site language has an index of its own (see [`languages`]): the
//! site's language in `pagefind/`, the others in `pagefind/<lang>/`, listed
//! in `pagefind/languages.json` for the search page.
//!
//! Sites are indexed in shards of [`SHARD_PAGES`] pages. Pagefind holds
//! about 0.28 GB per 1,000 briefs until a bundle is built, and one bundle is
//! indexed on about one core: 50,000 briefs in one bundle took 167 s and
//! 15 GB (2 cores). So each shard is a complete bundle of its own (the first
//! in `pagefind/`, the others in `pagefind/shard-N/`), two are built at a
//! time, `pagefind/shards.json` lists the extra ones and the search page
//! merges them with Pagefind's `mergeIndex`. Measured on 2 cores (a shared
//! machine, medians of alternating runs): 1,000 briefs 1.3 s and 0.3 GB
//! (one bundle); 10,000 briefs 6.2-6.5 s when the machine is quiet, 11 s
//! when it is not, and 1.6 GB peak for the whole build (four shards; two
//! shards of 5,000 took 2.9 GB); 50,000 briefs 33 s and 3.1 GB peak for
//! the whole build (with the pages' HTML in memory; shards of 5,000: 35 s
//! and 3.9 GB).
//!
//! Like `render.rs`, this module never touches the disk: it returns
//! [`OutputFile`]s for `output.rs` to write. Pagefind's API is async; each
//! shard is indexed on a current-thread tokio runtime of its own, on a
//! thread of its own, so [`bundle`] may be called from anywhere, even from
//! inside a runtime (where it blocks its caller: use `spawn_blocking`).
//! Keep it off the hot path of `serve`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Component, Path};

use rayon::iter::{IntoParallelIterator, ParallelIterator};

use crate::cache::{BuildCache, Key};
use crate::render::OutputFile;

pub(crate) mod ahead;
mod cut;
pub(crate) mod kept;
mod languages;
mod layout;
mod parts;
mod plan;
mod shards;
pub(crate) mod stream;
use cut::indexed_part;
pub(crate) use languages::index_language;
use languages::{Folding, normalize_language};
use shards::{CACHE_KIND, index_in_parallel, shard_key, stable_shards};

/// Folder of the bundle under the output root; the theme loads
/// `{{ site.base_path }}pagefind/pagefind.js`.
pub const BUNDLE_DIR: &str = "pagefind";

/// Pages per shard (`search_shard_briefs:` changes it). 500 keeps the
/// default build of 50,000 briefs under 1 GiB (two shards are indexed at a
/// time, about 0.2 GB per 1,000 briefs each): peak 0.93 GB against 1.10 GB
/// with shards of 1,000, same wall time (one arena, see main.rs). Each shard
/// is an index more for the browser to load; merged in parallel by the
/// search page, the first query of a 50,000-brief site (page load, start-up,
/// query; Chromium, localhost, browser cache off, medians of 3) takes 1.1 s
/// with 50 shards and 1.4-1.5 s with 100, later queries 0.63-0.70 s in both
/// (`bench/search_latency.mjs`). Earlier, at 10,000: shards of 1,000 took
/// 15.1-15.2 s of CPU and 0.76-0.84 GB peak for the whole default build,
/// shards of 2,500 16.2-16.4 s and 1.49-1.54 GB (5,000: 2.9 GB). Smaller
/// shards also make `serve`'s re-index after a save shorter (one shard).
pub(crate) const SHARD_PAGES: usize = 500;

/// The file under [`BUNDLE_DIR`] that lists the extra shards' folders
/// (relative to it, e.g. `["shard-1/"]`; `[]` for a single bundle), for the
/// search page to merge.
pub(crate) const SHARDS_FILE: &str = "shards.json";

/// The file under [`BUNDLE_DIR`] that maps each index language to its
/// folder (relative to it: `""` for the site's language, `"fa/"`) and, for
/// Arabic-script languages, the folding its text went through, for the
/// search page to fold its queries alike:
/// `{"en": {"path": ""}, "fa": {"path": "fa/", "folding": "persian"}}`.
pub(crate) const LANGUAGES_FILE: &str = "languages.json";

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
    /// A shard indexed ahead of the render from the pages the last build
    /// published came out otherwise than its pages indexed anew (only a
    /// build that verifies kept pages compares them).
    #[error(
        "search index: the shard holding `{first_page}`, indexed ahead from the last build's pages, comes out differently from its pages indexed anew"
    )]
    AheadDiffers {
        /// The shard's first page.
        first_page: String,
    },
}

/// Indexes `pages` with Pagefind and returns the search bundle.
///
/// Each page is `(path, html)`: `path` is the page's file under the output
/// root with `/` separators and no leading `/`, e.g.
/// `briefs/x/index.html`, which Pagefind turns into the result URL
/// `/briefs/x/` (the browser side adds the base path: the theme calls
/// `pagefind.options({baseUrl})`); `html` is the whole rendered page.
/// Pass the pages newest first: shards split the list in that order, and the
/// search page lists filter-only results shard by shard.
/// `language` is the site's language (`site.language`, e.g. `en` or
/// `en-GB`): every page is indexed with its stemmer, whatever its `lang`.
///
/// Returns every file of the bundle with its path under the output root
/// (`pagefind/pagefind.js`, `pagefind/pagefind-entry.json`,
/// `pagefind/index/…`, `pagefind/fragment/…`, `pagefind/shards.json`,
/// `pagefind/languages.json` (one language: `{"en": {"path": ""}}`), and
/// `pagefind/shard-N/…` above [`SHARD_PAGES`] pages), sorted by path. The
/// hashed file names change with the content, so the folder must be emptied
/// before a new bundle is written. With no pages the bundle is still
/// complete (an empty index), so the search page loads and finds nothing.
/// The same pages give the same bytes.
///
/// Blocks for seconds (about 0.7 to 1.3 s per 1,000 briefs); from async code
/// call it through `tokio::task::spawn_blocking`.
pub fn bundle(
    pages: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<OutputFile>, SearchError> {
    bundle_in_shards(pages, language, SHARD_PAGES)
}

/// [`bundle`] with `shard_pages` pages per shard (at least 1), for tests
/// and for sites that want another trade between memory and the number of
/// indexes a browser loads.
pub fn bundle_in_shards(
    pages: Vec<(String, String)>,
    language: &str,
    shard_pages: usize,
) -> Result<Vec<OutputFile>, SearchError> {
    let site_language = normalize_language(language);
    let pages = pages
        .into_par_iter()
        .map(|(path, html)| Page {
            path,
            language: site_language.clone(),
            html: indexed(html),
        })
        .collect();
    bundle_cached(pages, &site_language, shard_pages, None).map(|b| b.files)
}

/// The part of a rendered page that the index reads (see [`cut`]): what
/// [`bundle_cached`] takes, and all a caller needs to keep of a page. The
/// page must have its search-only parts (`render::Rendered::index_copy`).
pub(crate) fn indexed(html: String) -> String {
    indexed_part(&html).unwrap_or(html)
}

/// The hash a shard's key takes of a brief page (`brief_lang` its brief's
/// language), from the page as rendered with its search-only parts: what
/// the indexer records, for `build --verify-kept` to compare.
pub(crate) fn index_hash(
    html: &[u8],
    brief_lang: &str,
    config: &crate::content::config::Config,
) -> u128 {
    let site_language = normalize_language(&config.language);
    let language = layout::index_of(index_language(brief_lang, config), &site_language);
    shards::page_hash(&indexed_for(
        &language,
        String::from_utf8_lossy(html).into_owned(),
    ))
}

/// A search bundle, with how many of its shards came from the build cache.
pub(crate) struct Bundle {
    /// Every file of the bundle, by path under the output root.
    pub(crate) files: Vec<OutputFile>,
    /// Shards in the bundle.
    pub(crate) shards: usize,
    /// Shards reused from the build cache rather than indexed.
    pub(crate) from_cache: usize,
}

/// A brief page for the index: its path under the output root, the index
/// it belongs to ([`index_language`]) and its [`indexed`] part.
pub(crate) struct Page {
    pub(crate) path: String,
    pub(crate) language: String,
    pub(crate) html: String,
}

/// The bundles of `pages` (newest first, cut to their [`indexed`] part),
/// one per index language, reusing from `cache` every shard whose pages are
/// the same as in an earlier build and storing the ones it indexes.
///
/// The site's language (`site_language`) is at `pagefind/`, every other
/// language at `pagefind/<language>/` (e.g. `pagefind/fa/`), each a complete
/// sharded bundle with its own `shards.json`; `pagefind/languages.json`
/// maps each language to its folder and folding for the search page (see
/// [`LANGUAGES_FILE`]). Pages of Arabic-script languages are folded first
/// (see [`languages`]).
///
/// Shards are cut from the oldest page on, so that they stay the same from
/// build to build: a new brief lands in the newest shard, an edit changes
/// only its own shard, and only those are indexed again. The newest shard is
/// the main bundle (`pagefind/`), the others `pagefind/shard-N/`, newest
/// first, as the search page expects.
pub(crate) fn bundle_cached(
    pages: Vec<Page>,
    site_language: &str,
    shard_pages: usize,
    cache: Option<&BuildCache>,
) -> Result<Bundle, SearchError> {
    for page in &pages {
        check_path(&page.path)?;
    }
    let site_language = normalize_language(site_language);
    let mut groups: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    groups.entry(site_language.clone()).or_default();
    for page in pages {
        let language = layout::index_of(page.language, &site_language);
        let html = fold(&language, page.html);
        groups.entry(language).or_default().push((page.path, html));
    }

    // Every shard of every language: (language, position in its language).
    let mut places = Vec::new();
    let mut keyed = Vec::new();
    let mut shards_of = BTreeMap::new();
    for (language, pages) in groups {
        let shards = stable_shards(pages, shard_pages);
        shards_of.insert(language.clone(), shards.len());
        let keys: Vec<(Key, Vec<(String, String)>)> = shards
            .into_par_iter()
            .map(|shard| (shard_key(&shard, &language), shard))
            .collect();
        for (i, shard) in keys.into_iter().enumerate() {
            places.push((language.clone(), i));
            keyed.push(shard);
        }
    }
    let count = keyed.len();
    let mut done = Vec::with_capacity(count);
    let mut jobs = Vec::new();
    for (at, (key, cut)) in keyed.into_iter().enumerate() {
        match cache.and_then(|c| c.get(CACHE_KIND, key)) {
            Some(files) => done.push((at, files)),
            None => jobs.push((at, key, places[at].0.clone(), cut)),
        }
    }
    let from_cache = done.len();
    for (at, key, files) in index_in_parallel(jobs)? {
        if let Some(cache) = cache {
            cache.put(CACHE_KIND, key, &files);
        }
        done.push((at, files));
    }
    if let Some(cache) = cache {
        cache.prune(CACHE_KIND);
    }

    let mut out = Vec::new();
    for (at, files) in done {
        let (language, i) = &places[at];
        out.extend(layout::shard_files(language, &site_language, *i, files));
    }
    out.extend(layout::manifests(&site_language, &shards_of)?);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Bundle {
        files: out,
        shards: count,
        from_cache,
    })
}

/// `html` folded for the index of `language` (see [`languages`]).
/// What a shard of index language `language` reads of a page: its
/// [`indexed`] part, folded for the language.
fn indexed_for(language: &str, html: String) -> String {
    fold(language, indexed(html))
}

fn fold(language: &str, html: String) -> String {
    match Folding::of(language).apply(&html) {
        Cow::Borrowed(_) => html,
        Cow::Owned(folded) => folded,
    }
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
    fn a_bad_path_fails_before_indexing() {
        let err =
            bundle(vec![("../x.html".into(), "<html></html>".into())], "en").expect_err("bad path");
        assert!(err.to_string().contains("../x.html"), "{err}");
    }
}

#[cfg(test)]
mod cut_tests {
    use super::*;
    use std::path::PathBuf;

    /// A brief page shaped like the default theme's `brief.html`: the
    /// head, navigation, related briefs and footer around the article.
    fn page(slug: &str, country: &str, article_extra: &str, outside: &str) -> String {
        format!(
            r#"<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{slug} — Policy Briefs</title>
<link rel="stylesheet" href="/style.css">
<script type="application/ld+json">{{"@type": "Report", "name": "{slug}"}}</script>
</head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/search/">Search</a></nav>
<main id="main">{outside}
<article class="brief" data-pagefind-body>
  <div hidden data-pagefind-ignore><span data-pagefind-filter="country">{country}</span>
    <span data-pagefind-filter="year">2018</span>
    <span data-pagefind-meta="date">2 January 2018</span>
    <span data-pagefind-sort="date">2018-01-02</span>
    <span data-pagefind-meta="summary">Why {slug} matters &amp; for whom.</span>
  </div>
  <header><p class="kicker" data-pagefind-ignore><a href="/c/">{country}</a></p>
    <h1 class="brief-title" data-pagefind-meta="title">{slug}: Rouhani calls Macron</h1>
    <p class="byline">By <a href="/authors/sam/">Sam Writer</a><br>and Dana</p></header>
  <div class="prose"><h2 id="context">Context</h2>
  <p>Rouhani called Macron about sanctions. <em>Modus</em>&nbsp;vivendi.</p>
  <article class="quote"><p>A nested article, <strong>indexed</strong> too.</p></article>
  <h2 id="outlook" data-pagefind-weight="3">Outlook</h2><p>Talks resume in spring.</p>
  {article_extra}</div>
  <section class="cite" data-pagefind-ignore><p>Cite as …</p></section>
</article>
<section class="related"><h2 id="related-heading">Related briefs</h2>
  <ul><li><a href="/briefs/other/">Other brief</a></li></ul></section>
</main>
<footer><p>Built with briefly</p><script src="/search.js"></script></footer>
</body>
</html>
"#
        )
    }

    #[test]
    fn the_cut_keeps_the_html_tag_the_title_and_the_body() {
        let html = page("alpha", "Iran", "", "");
        let cut = indexed_part(&html).expect("the theme's page is cut");
        assert!(cut.starts_with(r#"<html lang="en-GB"><head><title>alpha — Policy Briefs</title></head><body><article class="brief" data-pagefind-body>"#), "{cut}");
        assert!(cut.ends_with("</article></body></html>"), "{cut}");
        assert!(cut.contains(r#"<article class="quote">"#), "{cut}");
        assert!(cut.contains("Talks resume in spring."), "{cut}");
        for gone in [
            "ld+json",
            "site-nav",
            "Related briefs",
            "Built with briefly",
        ] {
            assert!(!cut.contains(gone), "{gone}: {cut}");
        }
        assert!(
            cut.len() < html.len() / 2 + 400,
            "{} of {}",
            cut.len(),
            html.len()
        );
    }

    #[test]
    fn the_cut_falls_back_to_the_whole_page_when_it_could_change_the_record() {
        let whole = [
            // markup Pagefind reads outside the body
            page(
                "a",
                "Iran",
                "",
                r#"<span data-pagefind-filter="region">Gulf</span>"#,
            ),
            page("a", "Iran", "", r#"<p DATA-PAGEFIND-META="x">y</p>"#),
            page("a", "Iran", "", "<h1>Site title</h1>"),
            page("a", "Iran", "", "").replace("Other brief</a>", "<img src=x.png></a>"),
            // more than one body
            page("a", "Iran", "<div data-pagefind-body>x</div>", ""),
            // what a scan for `</article>` could misread
            page("a", "Iran", "<!-- </article> -->", ""),
            page("a", "Iran", "<script>let a = '</article>';</script>", ""),
            page("a", "Iran", "<style>p{}</style>", ""),
            page("a", "Iran", "<textarea></article></textarea>", ""),
            page("a", "Iran", "<svg><title>t</title></svg>", ""),
            // unclosed
            page("a", "Iran", "", "").replace(
                "</article>\n<section class=\"related\"",
                "<section class=\"related\"",
            ),
            // none
            "<html><body><p>No body here.</p></body></html>".to_string(),
            // the attribute name outside a tag
            "<html><body><p>Mark it data-pagefind-body.</p></body></html>".to_string(),
        ];
        for html in whole {
            assert_eq!(indexed_part(&html), None, "{html}");
        }
        // an image before the body is no image fallback (it needs a title)
        assert!(indexed_part(&page("a", "Iran", "", "<img src=logo.png>")).is_some());
    }

    /// The bundle's files, sorted by name (Pagefind returns them in no
    /// particular order; [`bundle`] sorts them too).
    fn index_all(pages: &[(String, String)], cut: bool) -> Vec<(PathBuf, Vec<u8>)> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let mut files = runtime
            .block_on(shards::index(pages.to_vec(), "en-gb", cut))
            .expect("indexed");
        files.sort();
        files
    }

    /// The cut is only worth having if Pagefind records exactly the same:
    /// same words, excerpts, anchors, filters, meta and sort, so the same
    /// bytes.
    #[test]
    fn cut_pages_give_the_same_bundle_as_whole_pages() {
        let pages: Vec<(String, String)> = [
            ("alpha", "Iran", "", ""),
            (
                "beta",
                "France",
                "<p>Ünïcode – “quotes” and <a href='#x'>links</a>.</p>",
                "",
            ),
            ("gamma", "Iraq", "", "<img src=logo.png>"),
            // falls back: indexed whole either way
            ("delta", "Iran", "<!-- note -->", ""),
        ]
        .iter()
        .map(|(slug, country, extra, outside)| {
            (
                format!("briefs/{slug}/index.html"),
                page(slug, country, extra, outside),
            )
        })
        .collect();
        assert_eq!(
            pages
                .iter()
                .filter(|(_, h)| indexed_part(h).is_some())
                .count(),
            3
        );
        let cut = index_all(&pages, true);
        let whole = index_all(&pages, false);
        assert!(cut.iter().any(|(p, _)| p.starts_with("filter")), "{cut:?}");
        assert_eq!(cut.len(), whole.len());
        for ((a, x), (b, y)) in cut.iter().zip(&whole) {
            assert_eq!(a, b);
            assert!(x == y, "{} differs", a.display());
        }
    }
}
