//! Client-side search: the Pagefind bundle of a built fixture site.
//!
//! The fixture site (`tests/fixtures/site` with the repository's `themes/`)
//! is built with the real `briefly` binary under the sub-path base URL
//! `http://localhost/briefs/`; its brief pages, newest first, are handed to
//! `search::bundle` and the bundle is written into the output folder, as the
//! build does. A copy of the site gets the same pages in shards of two
//! briefs (`search::bundle_in_shards`), the layout of sites above
//! `search::SHARD_PAGES` briefs.
//!
//! * `bundle_has_the_pagefind_files` (plain `cargo test`): the bundle holds
//!   `pagefind.js`, `pagefind-entry.json` (one English index of the 3
//!   published briefs), word index chunks, one fragment per brief, the
//!   filter files and `shards.json`; the sharded one has a second complete
//!   bundle in `pagefind/shard-1/`; the same pages give the same bytes.
//! * `search_works_in_a_real_browser` (`#[ignore]`d like `tests/browser.rs`;
//!   needs chromium and chromium-driver from `.ci/browser-setup`): serves
//!   both outputs on 127.0.0.1 under `/briefs/`, opens them in headless
//!   Chromium and runs Pagefind's own search there (merging the shards as
//!   the search page does): a word query, the same query with
//!   `country = Iran` and `country = France`, filters with no query, newest
//!   first across shards, the facet counts, sub-path URLs and highlighted
//!   excerpts. When the site has a search page (`search/index.html`) it also
//!   types into it and ticks a facet. Run it with
//!   `cargo test --test search -- --include-ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use fantoccini::Client;
use serde_json::{Value, json};

#[path = "support/chromium.rs"]
mod chromium;
use chromium::{severe_log, start_browser};
#[path = "support/fixtures.rs"]
mod fixtures;
use fixtures::{copy_tree, fixture_copy};

use briefly::internals::render;
use briefly::internals::search;

/// The base path the fixture is built and served under.
const BASE_PATH: &str = "/briefs/";

/// The fixture's published briefs, newest first (gamma is a draft).
const BRIEFS: [&str; 3] = ["beta", "alpha", "delta"];

/// A built fixture site with the search bundle written into it, and a
/// copy with the bundle in shards.
struct Site {
    out: PathBuf,
    sharded: PathBuf,
    bundle: Vec<render::OutputFile>,
    sharded_bundle: Vec<render::OutputFile>,
    pages: Vec<(String, String)>,
}

/// Built once per test binary run; the tests share it.
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let (work, root) = fixture_copy("search-site");
        // The pages as Pagefind reads them: the build publishes brief pages
        // without their search-only parts (the hidden filters), so this
        // copy of the theme publishes them, markers left out.
        let brief = root.join("themes/default/templates/brief.html");
        let template = std::fs::read_to_string(&brief).expect("brief.html");
        let unmarked = template
            .replace("<!--search-only-->", "")
            .replace("<!--/search-only-->", "");
        assert_ne!(unmarked, template, "brief.html marks its search-only part");
        std::fs::write(&brief, unmarked).expect("write brief.html");
        let out = work.join("out");
        let result = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .args(["--base-url", &format!("http://localhost{BASE_PATH}")])
            .output()
            .expect("run briefly");
        assert!(
            result.status.success(),
            "briefly build failed:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        let sharded = work.join("sharded");
        copy_tree(&out, &sharded);
        let pages = brief_pages(&out);
        let bundle = search::bundle(pages.clone(), "en").expect("search bundle");
        write_bundle(&out, &bundle);
        let sharded_bundle =
            search::bundle_in_shards(pages.clone(), "en", 2).expect("sharded bundle");
        write_bundle(&sharded, &sharded_bundle);
        Site {
            out,
            sharded,
            bundle,
            sharded_bundle,
            pages,
        }
    })
}

/// What the build does: replace `pagefind/` with the new bundle.
fn write_bundle(out: &Path, bundle: &[render::OutputFile]) {
    let _ = std::fs::remove_dir_all(out.join(search::BUNDLE_DIR));
    for file in bundle {
        let path = out.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &file.bytes).expect("write bundle file");
    }
}

/// `(path under the output root, HTML)` of every brief page, newest first:
/// the pages the build indexes (`briefs/<slug>/index.html` rendered from
/// `brief.html`), in the order it passes them.
fn brief_pages(out: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out.join("briefs"))
        .min_depth(2)
        .max_depth(2)
    {
        let entry = entry.expect("walk");
        if entry.file_name() != "index.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read page");
        if !html.contains("class=\"kind-brief\"") {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out)
            .expect("under out")
            .to_string_lossy()
            .replace('\\', "/");
        pages.push((rel, html));
    }
    let date = |html: &str| {
        let tag = "data-pagefind-sort=\"date\">";
        let start = html.find(tag).expect("date sort key") + tag.len();
        html[start..start + 10].to_string()
    };
    pages.sort_by(|a, b| date(&b.1).cmp(&date(&a.1)).then(a.0.cmp(&b.0)));
    pages
}

// ---- the bundle -----------------------------------------------------------

#[test]
fn bundle_has_the_pagefind_files() {
    let site = site();
    let indexed: Vec<&str> = site.pages.iter().map(|(p, _)| p.as_str()).collect();
    let expected: Vec<String> = BRIEFS
        .iter()
        .map(|b| format!("briefs/{b}/index.html"))
        .collect();
    assert_eq!(indexed, expected, "the brief pages of the fixture");

    let names: Vec<String> = site
        .bundle
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    let count = |prefix: &str, suffix: &str| {
        names
            .iter()
            .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
            .count()
    };
    for needed in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
    ] {
        assert!(names.iter().any(|n| n == needed), "{needed} in {names:#?}");
    }
    assert!(count("pagefind/index/", ".pf_index") >= 1, "{names:#?}");
    assert_eq!(
        count("pagefind/fragment/", ".pf_fragment"),
        BRIEFS.len(),
        "one fragment per brief: {names:#?}"
    );
    assert!(count("pagefind/filter/", ".pf_filter") >= 4, "{names:#?}");
    assert!(count("pagefind/pagefind.", ".pf_meta") == 1, "{names:#?}");
    assert!(
        names.windows(2).all(|w| w[0] < w[1]),
        "sorted, no duplicates"
    );
    assert!(site.bundle.iter().all(|f| !f.bytes.is_empty()));

    let entry = site
        .bundle
        .iter()
        .find(|f| f.path == Path::new("pagefind/pagefind-entry.json"))
        .expect("entry");
    let entry: Value = serde_json::from_slice(&entry.bytes).expect("entry is JSON");
    assert_eq!(entry["version"], "1.6.0", "{entry}");
    let languages = entry["languages"].as_object().expect("languages");
    assert_eq!(languages.keys().collect::<Vec<_>>(), ["en"], "{entry}");
    assert_eq!(languages["en"]["page_count"], BRIEFS.len(), "{entry}");

    assert_eq!(file(&site.bundle, "pagefind/shards.json"), b"[]");

    // the same pages give the same bytes
    let again = search::bundle(site.pages.clone(), "en").expect("second bundle");
    assert!(again == site.bundle, "the bundle is not deterministic");
}

/// The hidden filters and metadata of a brief are for Pagefind alone: built
/// with the theme as it is, the published pages go without them (about
/// 1 KB a brief), and the bundle the build made is byte for byte the one
/// made from the pages with them, facets and all.
#[test]
fn published_pages_go_without_the_search_filters_the_index_has() {
    let site = site();
    let (work, root) = fixture_copy("search-site-published");
    let out = work.join("out");
    let result = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .args(["--base-url", &format!("http://localhost{BASE_PATH}")])
        .output()
        .expect("run briefly");
    assert!(result.status.success(), "{result:?}");
    for (path, indexed) in &site.pages {
        assert!(
            indexed.contains("data-pagefind-filter=\"country\""),
            "{path}"
        );
        let published = std::fs::read_to_string(out.join(path)).expect("published page");
        assert!(!published.contains("data-pagefind-filter"), "{path}");
        assert!(
            !published.contains("data-pagefind-meta=\"summary\""),
            "{path}"
        );
        assert!(!published.contains("search-only"), "{path}");
        assert!(published.contains("data-pagefind-body"), "{path}");
        assert!(published.len() + 300 < indexed.len(), "{path}");
    }
    let mut built: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(out.join(search::BUNDLE_DIR))
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(&out)
                .expect("under out")
                .to_path_buf();
            (path, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    built.sort();
    assert_eq!(built.len(), site.bundle.len());
    for ((path, bytes), made) in built.iter().zip(&site.bundle) {
        assert_eq!(path, &made.path);
        assert!(bytes == &made.bytes, "{} differs", path.display());
    }
}

/// The bytes of `path` in `bundle`.
fn file<'a>(bundle: &'a [render::OutputFile], path: &str) -> &'a [u8] {
    &bundle
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} is not in the bundle"))
        .bytes
}

fn page_count(bundle: &[render::OutputFile], dir: &str) -> Value {
    let entry: Value =
        serde_json::from_slice(file(bundle, &format!("{dir}pagefind-entry.json"))).expect("JSON");
    entry["languages"]["en"]["page_count"].clone()
}

#[test]
fn large_sites_are_indexed_in_shards() {
    let site = site();
    let bundle = &site.sharded_bundle;
    assert_eq!(file(bundle, "pagefind/shards.json"), br#"["shard-1/"]"#);
    // shards are cut from the oldest brief on (so that they stay the same
    // as briefs are added): the newest brief, then the two oldest, each a
    // complete bundle
    assert_eq!(page_count(bundle, "pagefind/"), 1);
    assert_eq!(page_count(bundle, "pagefind/shard-1/"), 2);
    for needed in ["pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"] {
        file(bundle, &format!("pagefind/shard-1/{needed}"));
    }
    // Pagefind's ready-made interfaces only in the main bundle: a merged
    // shard is read for its index alone.
    for ui in [
        "pagefind-ui.js",
        "pagefind-component-ui.js",
        "pagefind-highlight.js",
    ] {
        file(bundle, &format!("pagefind/{ui}"));
        assert!(
            !bundle
                .iter()
                .any(|f| f.path == Path::new("pagefind/shard-1").join(ui)),
            "{ui} in shard-1"
        );
    }
    let again = search::bundle_in_shards(site.pages.clone(), "en", 2).expect("again");
    assert!(again == *bundle, "the sharded bundle is not deterministic");
}

#[test]
fn no_pages_give_an_empty_but_complete_bundle() {
    let bundle = search::bundle(Vec::new(), "en").expect("empty bundle");
    let names: Vec<_> = bundle.iter().map(|f| f.path.clone()).collect();
    for needed in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
        assert!(names.iter().any(|n| n == Path::new(needed)), "{names:?}");
    }
}

/// A theme may put Pagefind's markup outside the `data-pagefind-body`
/// element, where Pagefind reads it too: such pages are indexed whole, so
/// the facet is there. (Pagefind writes one filter file per facet, named
/// by its hash: the theme's five, country, actor, author, source and year,
/// then six.)
#[test]
fn filters_outside_the_body_are_kept() {
    let site = site();
    let filter_files = |bundle: &[render::OutputFile]| {
        (bundle.iter())
            .filter(|f| f.path.starts_with("pagefind/filter/"))
            .count()
    };
    assert_eq!(filter_files(&site.bundle), 5);
    let pages: Vec<(String, String)> = (site.pages.iter())
        .map(|(path, html)| {
            let html = html.replacen(
                "<main ",
                r#"<span hidden data-pagefind-filter="region">Gulf</span><main "#,
                1,
            );
            assert!(html.contains("region"), "{html}");
            (path.clone(), html)
        })
        .collect();
    let bundle = search::bundle(pages, "en").expect("bundle");
    assert_eq!(filter_files(&bundle), 6);
}

// ---- the browser ----------------------------------------------------------

/// Serves `out` under [`BASE_PATH`] on 127.0.0.1; returns the base URL.
async fn serve(out: &Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let files = tower_http::services::ServeDir::new(out);
    let app = axum::Router::new().nest_service(BASE_PATH.trim_end_matches('/'), files);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}{BASE_PATH}")
}

/// Runs `body` (an async JS function body that returns a value) in the page.
async fn run_async(c: &Client, body: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         (async () => {{ {body} }})().then(done, e => done({{error: String(e && e.stack || e)}}));"
    );
    let value = c
        .execute_async(&script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"));
    assert!(value.get("error").is_none(), "{value}");
    value
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromium-driver: run .ci/browser-setup"]
async fn search_works_in_a_real_browser() {
    let site = site();
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, c) = start_browser(profile.path()).await;
    for out in [&site.out, &site.sharded] {
        check_search(&c, out).await;
    }
    c.close().await.expect("close the browser");
}

/// Serves `out` and queries its index, and its search page when it has one.
async fn check_search(c: &Client, out: &Path) {
    let base = serve(out).await;
    let url = |slug: &str| format!("{BASE_PATH}briefs/{slug}/");

    // Any page of the site will do: Pagefind is imported as a module, and
    // the shards are merged as the search page does.
    c.goto(&base).await.expect("open the home page");
    let r = run_async(
        c,
        &format!(
            r#"const pf = await import("{BASE_PATH}pagefind/pagefind.js");
            await pf.options({{baseUrl: "{BASE_PATH}"}});
            const shards = await (await fetch("{BASE_PATH}pagefind/shards.json")).json();
            for (const s of shards) {{
              await pf.mergeIndex("{BASE_PATH}pagefind/" + s, {{baseUrl: "{BASE_PATH}"}});
            }}
            // Listings (no words) as search.js makes them: a second
            // instance whose indexes weigh 0, so the shards keep their order.
            const listing = pf.createInstance({{basePath: "{BASE_PATH}pagefind/"}});
            await listing.options({{baseUrl: "{BASE_PATH}", indexWeight: 0}});
            for (const s of shards) {{
              await listing.mergeIndex("{BASE_PATH}pagefind/" + s,
                {{baseUrl: "{BASE_PATH}", indexWeight: 0}});
            }}
            const urls = async (r) => (await Promise.all(r.results.map(x => x.data())))
              .map(d => d.url).sort();
            const rouhani = await pf.search("Rouhani");
            const first = await rouhani.results[0].data();
            return {{
              rouhani: await urls(rouhani),
              rouhani_iran: await urls(await pf.search("Rouhani", {{filters: {{country: "Iran"}}}})),
              rouhani_france: await urls(await pf.search("Rouhani", {{filters: {{country: "France"}}}})),
              iran: await urls(await pf.search(null, {{filters: {{country: "Iran"}}}})),
              iraq_or_france: await urls(await pf.search(null,
                {{filters: {{country: {{any: ["Iraq", "France"]}}}}}})),
              year_2017: await urls(await pf.search(null, {{filters: {{year: "2017"}}}})),
              author: await urls(await pf.search(null, {{filters: {{author: "Sam Writer"}}}})),
              actor: await urls(await pf.search(null, {{filters: {{actor: "Islamic Revolutionary Guard Corps"}}}})),
              nothing: await urls(await pf.search("zzzyzzx")),
              newest: await Promise.all((await listing.search(null, {{filters: {{country: "Iran"}},
                sort: {{date: "desc"}}}})).results.map(async x => (await x.data()).url)),
              newest_all: await Promise.all((await listing.search(null,
                {{filters: {{year: {{any: ["2017", "2018"]}}}}, sort: {{date: "desc"}}}}))
                .results.map(async x => (await x.data()).url)),
              shards: shards.length,
              filters: await pf.filters(),
              first: {{url: first.url, title: first.meta.title, date: first.meta.date,
                excerpt: first.excerpt}},
            }};"#
        ),
    )
    .await;

    let layout = out.display();
    assert_eq!(
        strings(&r["rouhani"]),
        [url("alpha"), url("beta")],
        "{layout}: {r:#}"
    );
    let sharded = out.ends_with("sharded");
    assert_eq!(r["shards"], if sharded { 1 } else { 0 }, "{layout}");
    assert_eq!(strings(&r["rouhani_iran"]), [url("alpha"), url("beta")]);
    assert_eq!(strings(&r["rouhani_france"]), [url("alpha")]);
    assert_eq!(strings(&r["iran"]), [url("alpha"), url("beta")]);
    assert_eq!(strings(&r["iraq_or_france"]), [url("alpha"), url("delta")]);
    assert_eq!(strings(&r["year_2017"]), [url("delta")]);
    assert_eq!(strings(&r["author"]), [url("beta"), url("delta")]);
    assert_eq!(strings(&r["actor"]), [url("alpha")]);
    assert!(strings(&r["nothing"]).is_empty());
    assert_eq!(strings(&r["newest"]), [url("beta"), url("alpha")]);
    assert_eq!(
        strings(&r["newest_all"]),
        [url("beta"), url("alpha"), url("delta")],
        "{layout}: newest first, across shards"
    );

    let filters = &r["filters"];
    assert_eq!(filters["country"]["Iran"], 2, "{filters:#}");
    assert_eq!(filters["country"]["Iraq"], 1, "{filters:#}");
    assert_eq!(
        filters["year"],
        json!({"2017": 1, "2018": 2}),
        "{filters:#}"
    );
    assert_eq!(
        filters["author"],
        json!({"Dana Analyst": 2, "Sam Writer": 2}),
        "{filters:#}"
    );
    assert_eq!(filters["actor"]["Hassan Rouhani"], 2, "{filters:#}");

    let first = &r["first"];
    assert_eq!(first["url"], url("alpha"), "{first:#}");
    assert_eq!(first["title"], "Alpha: Rouhani calls Macron", "{first:#}");
    assert_eq!(first["date"], "2 January 2018", "{first:#}");
    let excerpt = first["excerpt"].as_str().expect("excerpt");
    assert!(excerpt.contains("<mark>Rouhani</mark>"), "{excerpt}");
    // the hidden facet spans and the citation stay out of excerpts
    assert!(!excerpt.contains("Some Unregistered Person"), "{excerpt}");

    // The search page, once the build renders it.
    let search_page = out.join("search/index.html").is_file();
    if search_page {
        c.goto(&format!("{base}search/?q=Rouhani"))
            .await
            .expect("open the search page");
        let page = run_async(
            c,
            r##"const until = async (test) => {
                 for (let i = 0; i < 200; i++) {
                   if (test()) return true;
                   await new Promise(r => setTimeout(r, 50));
                 }
                 return false;
               };
               const titles = () => [...document.querySelectorAll("#search-results .card__title a")]
                 .map(a => a.getAttribute("href")).sort();
               await until(() => titles().length === 2);
               const before = titles();
               const status = document.getElementById("search-status").textContent;
               const box = [...document.querySelectorAll('.facet[data-facet="country"] input')]
                 .find(i => i.value === "France");
               if (!box) return {before, status, after: null};
               box.click();
               await until(() => titles().length === 1);
               return {before, status, after: titles(), address: location.search,
                 marks: document.querySelectorAll("#search-results mark").length,
                 facets: [...document.querySelectorAll(".facet:not([hidden]) legend")]
                   .map(l => l.textContent)};"##,
        )
        .await;
        assert_eq!(
            strings(&page["before"]),
            [url("alpha"), url("beta")],
            "{page:#}"
        );
        assert_eq!(
            page["status"],
            "2 briefs found for \u{201c}Rouhani\u{201d}."
        );
        assert_eq!(strings(&page["after"]), [url("alpha")], "{page:#}");
        assert_eq!(page["address"], "?q=Rouhani&country=France", "{page:#}");
        assert!(page["marks"].as_u64().unwrap_or(0) >= 1, "{page:#}");
        assert_eq!(
            strings(&page["facets"]),
            // Topic is hidden: the fixture has no topics.
            ["Country", "Actor", "Author", "Source", "Year"],
            "{page:#}"
        );
    } else {
        eprintln!("note: the build writes no search/index.html yet; only the index was queried");
    }

    if search_page {
        // A listing (filters, no words) on the search page: newest first
        // across shards, through search.js's zero-weight instance.
        c.goto(&format!("{base}search/?year=2017&year=2018"))
            .await
            .expect("open the search page");
        let page = run_async(
            c,
            r##"for (let i = 0; i < 200; i++) {
                 const hrefs = [...document.querySelectorAll("#search-results .card__title a")]
                   .map(a => a.getAttribute("href"));
                 if (hrefs.length === 3) return {hrefs};
                 await new Promise(r => setTimeout(r, 50));
               }
               return {hrefs: [], status: document.getElementById("search-status").textContent};"##,
        )
        .await;
        assert_eq!(
            strings(&page["hrefs"]),
            [url("beta"), url("alpha"), url("delta")],
            "{layout}: {page:#}"
        );
    }

    let errors = severe_log(c).await;
    assert!(
        errors.is_empty(),
        "{layout}: console errors or failed loads: {errors:#?}"
    );
}
