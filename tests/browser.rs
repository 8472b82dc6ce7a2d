//! The default theme, verified in a real browser and by the Nu Html Checker.
//!
//! Two sites are built with the real `briefly` binary: the repository's
//! example site (served under the sub-path `/briefs/`, so every link and the
//! favicon must honour the base path) and a generated 1,000-brief site
//! (`bench/gen_corpus.py --n 1000 --seed 1`, served at the root).
//!
//! * `site_in_a_real_browser` drives Debian's `chromium` through
//!   `chromedriver` (one browser for both sites): on the home page, briefs,
//!   the countries index and map, a country, the actor and author indexes and
//!   pages and the 404 page it checks that there are no console errors or
//!   failed requests, no serious or critical axe-core violations (WCAG 2 A and
//!   AA, plus colour contrast in dark mode), no horizontal overflow at 320 and
//!   390 px, a favicon under the base path, a working skip link, the print
//!   stylesheet, and that clicking a country on the map lands on its page.
//!   Screenshots (390 px, 1280 px, 1280 px dark, print) go to
//!   `target/browser-artifacts/<site>/`.
//! * `reader_details_in_a_real_browser` (the example site only): a footnote
//!   marker jumps to the Notes section and its ↩ link back to the marker,
//!   the flags are SVG images that load, and search results for "Rouhani"
//!   start with the briefs' text rather than their bylines and tag lists.
//! * `other_languages_in_a_real_browser` (the example site only) gives the
//!   same page checks to its Arabic, Persian and French pages
//!   ([`LANGUAGE_PAGES`]); `arabic_brief_is_right_to_left_in_a_real_browser`
//!   and `persian_brief_is_right_to_left_in_a_real_browser` check that the
//!   right-to-left briefs mirror at 390 and 1280 px.
//! * `html_passes_the_nu_html_checker` runs `vnu.jar` (npm `vnu-jar`) with the
//!   system Java over every generated HTML page of both sites.
//!
//! Both are `#[ignore]`d so a plain `cargo test` needs no browser; run them
//! with `cargo test --test browser -- --include-ignored` after
//! `.ci/browser-setup` (as root) has installed chromium, chromium-driver and
//! the npm tools in `tests/browser/`.
//!
//! `BRIEFLY_SCREENSHOTS=DIR` also writes `DIR/brief.png`,
//! `DIR/countries.png` and `DIR/brief-{ar,fa,fr}.png` (1280 px wide, top of
//! the page) of the example site; `scripts/screenshots.sh` uses it for
//! `docs/screenshots/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::{Engine, engine::general_purpose::STANDARD};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

#[path = "support/chromium.rs"]
mod chromium;
use chromium::{cdp, severe_log, start_browser};
#[path = "support/fixtures.rs"]
mod fixtures;
use fixtures::copy_tree;

/// Where the example site is served: a sub-path, like most institutes' sites.
const EXAMPLE_BASE_PATH: &str = "/briefs/";
/// Briefs in the generated site.
const CORPUS_BRIEFS: usize = 1000;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `target/` (or wherever cargo puts it).
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_path_buf()
}

fn artifacts_dir() -> PathBuf {
    target_dir().join("browser-artifacts")
}

// ---- the sites ------------------------------------------------------------

/// A built site: its output folder and the base path its links use.
struct BuiltSite {
    name: &'static str,
    out: PathBuf,
    base_path: &'static str,
}

/// Both sites, built once per test binary run (the tests share them).
fn sites() -> &'static [BuiltSite; 2] {
    static SITES: OnceLock<[BuiltSite; 2]> = OnceLock::new();
    SITES.get_or_init(|| {
        let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-sites");
        if work.exists() {
            std::fs::remove_dir_all(&work).expect("clear old sites");
        }
        [example_site(&work), corpus_site(&work)]
    })
}

/// The repository's own example site, built for `http://localhost/briefs/`
/// (only the path matters: every internal link is root-relative).
fn example_site(work: &Path) -> BuiltSite {
    let root = work.join("example/site");
    for part in ["content", "themes", "static", "templates"] {
        if repo().join(part).is_dir() {
            copy_tree(&repo().join(part), &root.join(part));
        }
    }
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
    let out = work.join("example/out");
    build(
        &root,
        &out,
        &[
            "--base-url",
            &format!("http://localhost{EXAMPLE_BASE_PATH}"),
        ],
    );
    BuiltSite {
        name: "example",
        out,
        base_path: EXAMPLE_BASE_PATH,
    }
}

/// A generated 1,000-brief site with the benchmark's site.yaml and the theme.
fn corpus_site(work: &Path) -> BuiltSite {
    let root = work.join("corpus/site");
    let result = Command::new("python3")
        .arg(repo().join("bench/gen_corpus.py"))
        .args(["--n", &CORPUS_BRIEFS.to_string(), "--seed", "1", "--out"])
        .arg(&root)
        .output()
        .expect("run python3 bench/gen_corpus.py");
    assert!(
        result.status.success(),
        "gen_corpus.py failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::copy(repo().join("bench/site.yaml"), root.join("site.yaml")).expect("site.yaml");
    copy_tree(&repo().join("themes/default"), &root.join("themes/default"));
    let out = work.join("corpus/out");
    build(&root, &out, &[]);
    BuiltSite {
        name: "corpus-1000",
        out,
        base_path: "/",
    }
}

fn build(root: &Path, out: &Path, args: &[&str]) {
    let result = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(args)
        .output()
        .expect("run briefly");
    assert!(
        result.status.success(),
        "briefly build --root {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Serves `site` on 127.0.0.1 under its base path; returns the base URL
/// (ending in `/`).
async fn serve(site: &BuiltSite) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let files = tower_http::services::ServeDir::new(&site.out);
    let app = match site.base_path.trim_end_matches('/') {
        "" => axum::Router::new().fallback_service(files),
        prefix => axum::Router::new().nest_service(prefix, files),
    };
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}{}", site.base_path)
}

// ---- the browser ----------------------------------------------------------

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// Sets the viewport width and the emulated media (`screen`/`print`) and
/// colour scheme (`light`/`dark`).
async fn emulate(c: &Client, width: u32, media: &str, scheme: &str) {
    let metrics =
        json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600});
    cdp(c, "Emulation.setDeviceMetricsOverride", metrics).await;
    let features = json!([{"name": "prefers-color-scheme", "value": scheme}]);
    cdp(
        c,
        "Emulation.setEmulatedMedia",
        json!({"media": media, "features": features}),
    )
    .await;
}

/// axe-core violations as `{id, impact, help, targets}`; `rules` limits the
/// run to some rule ids, otherwise the WCAG 2 A and AA rules run.
async fn axe(c: &Client, axe_src: &str, rules: Option<&[&str]>) -> Vec<Value> {
    js(c, axe_src).await;
    let only = match rules {
        Some(ids) => json!({"type": "rule", "values": ids}),
        None => json!({"type": "tag", "values": ["wcag2a", "wcag2aa"]}),
    };
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{runOnly: {only}, resultTypes: ['violations']}}).then(
           r => done(r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
             targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}}))),
           e => done([{{id: 'axe-error', impact: 'critical', help: String(e), targets: []}}]))"
    );
    let result = c.execute_async(&script, vec![]).await.expect("run axe");
    result.as_array().cloned().unwrap_or_default()
}

/// A full-page PNG; returns its bytes.
async fn full_page_png(c: &Client, max_height: Option<f64>) -> Vec<u8> {
    let size = cdp(c, "Page.getLayoutMetrics", json!({})).await["cssContentSize"].clone();
    let height = size["height"].as_f64().unwrap_or(900.0);
    let height = max_height.map_or(height, |m| height.min(m));
    let clip = json!({"x": 0, "y": 0, "width": size["width"], "height": height, "scale": 1});
    let shot = cdp(
        c,
        "Page.captureScreenshot",
        json!({"captureBeyondViewport": true, "clip": clip}),
    )
    .await;
    STANDARD
        .decode(shot["data"].as_str().expect("png data"))
        .expect("base64")
}

/// Document wider than `width` (the emulated screen): the widest offenders.
/// Compared with the number, not `clientWidth`: mobile emulation widens the
/// layout viewport to fit overflowing content.
async fn overflow(c: &Client, width: u32) -> Option<String> {
    let r = c
        .execute(
            "const w = arguments[0];
             const sw = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
             if (sw <= w) return null;
             const wide = [...document.querySelectorAll('body *')]
               .filter(e => e.getBoundingClientRect().right > w + 1)
               .slice(0, 5)
               .map(e => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className
                 ? '.' + e.className.trim().replace(/\\s+/g, '.') : ''));
             return `scrollWidth ${sw} > ${w}: ${wide.join(', ')}`;",
            vec![json!(width)],
        )
        .await
        .expect("measure overflow");
    r.as_str().map(str::to_string)
}

/// Everything found wrong, page by page.
#[derive(Default)]
struct Report {
    problems: Vec<String>,
    notes: Vec<String>,
}

impl Report {
    fn problem(&mut self, page: &str, what: impl std::fmt::Display) {
        self.problems.push(format!("{page}: {what}"));
    }
}

/// What to do on one page besides the checks every page gets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extra {
    None,
    /// also take screenshots (390, 1280, 1280 dark, print)
    Shots,
}

struct Tester<'a> {
    c: &'a Client,
    axe_src: String,
    report: Report,
    shots: PathBuf,
    docs_shots: Option<PathBuf>,
    timings: Vec<(String, Duration)>,
}

impl Tester<'_> {
    /// Opens `url` (unless the browser is already there) and checks it.
    async fn check(&mut self, site: &BuiltSite, label: &str, url: &str, extra: Extra) {
        let started = Instant::now();
        let page = format!("{}/{label} ({url})", site.name);
        let c = self.c;
        if c.current_url().await.expect("url").as_str() != url {
            c.goto(url).await.expect("goto");
        }
        emulate(c, 1280, "screen", "light").await;

        // landmarks, names, contrast, headings, lang...: axe, light and dark
        let mut violations = axe(c, &self.axe_src, None).await;
        emulate(c, 1280, "screen", "dark").await;
        for mut v in axe(c, &self.axe_src, Some(&["color-contrast"])).await {
            v["id"] = json!(format!("{} (dark mode)", v["id"].as_str().unwrap_or("?")));
            violations.push(v);
        }
        for v in violations {
            let serious = matches!(v["impact"].as_str(), Some("serious" | "critical"));
            let line = format!(
                "axe {} [{}]: {} at {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                v["targets"]
            );
            if serious {
                self.report.problem(&page, line);
            } else {
                self.report.notes.push(format!("{page}: {line}"));
            }
        }

        // the favicon is served under the base path
        let icon = js(
            c,
            "const l = document.querySelector('link[rel~=\"icon\"]');
             return l ? l.getAttribute('href') : null;",
        )
        .await;
        match icon.as_str() {
            Some(href) if href.starts_with(site.base_path) => {
                let status = c
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                         fetch(arguments[0]).then(r => done(r.status + ' ' + r.headers.get('content-type')),
                           e => done(String(e)));",
                        vec![json!(href)],
                    )
                    .await
                    .expect("fetch favicon");
                if !status.as_str().unwrap_or("").starts_with("200 image/") {
                    self.report
                        .problem(&page, format!("favicon {href}: {status}"));
                }
            }
            other => self.report.problem(
                &page,
                format!("favicon link {other:?} is not under {}", site.base_path),
            ),
        }

        // responsive: nothing wider than the screen from 320 px up
        for width in [320, 390] {
            emulate(c, width, "screen", "light").await;
            if let Some(wide) = overflow(c, width).await {
                self.report
                    .problem(&page, format!("horizontal overflow at {width}px: {wide}"));
            }
        }

        if extra == Extra::Shots {
            let dir = self.shots.join(site.name);
            std::fs::create_dir_all(&dir).expect("artifacts dir");
            for (width, media, scheme) in [
                (390, "screen", "light"),
                (1280, "screen", "light"),
                (1280, "screen", "dark"),
                (1280, "print", "light"),
            ] {
                emulate(c, width, media, scheme).await;
                let png = full_page_png(c, None).await;
                let name = format!("{label}-{width}-{media}-{scheme}.png");
                std::fs::write(dir.join(name), &png).expect("write screenshot");
            }
            if let (
                Some(docs),
                "example",
                "brief" | "countries" | "brief-ar" | "brief-fa" | "brief-fr",
            ) = (&self.docs_shots, site.name, label)
            {
                emulate(c, 1280, "screen", "light").await;
                let png = full_page_png(c, Some(1000.0)).await;
                std::fs::create_dir_all(docs).expect("docs screenshot dir");
                std::fs::write(docs.join(format!("{label}.png")), &png).expect("write");
            }
        }
        emulate(c, 1280, "screen", "light").await;

        for entry in severe_log(c).await {
            self.report.problem(&page, format!("console: {entry}"));
        }
        self.timings.push((page, started.elapsed()));
    }

    /// The first link on the current page whose href starts with `prefix`
    /// and is longer than it (an item, not the index).
    async fn first_link(&self, prefix: &str) -> Option<String> {
        let href = self
            .c
            .execute(
                "const p = arguments[0];
                 const a = [...document.querySelectorAll('main a[href]')]
                   .find(a => a.getAttribute('href').startsWith(p) && a.getAttribute('href') !== p);
                 return a ? new URL(a.getAttribute('href'), location.href).href : null;",
                vec![json!(prefix)],
            )
            .await
            .expect("find link");
        href.as_str().map(str::to_string)
    }

    /// The brief page: its structure and the print stylesheet.
    async fn check_brief_details(&mut self, site: &BuiltSite) {
        let page = format!("{}/brief", site.name);
        let c = self.c;
        let dir_auto = js(c, "return !!document.querySelector('h1[dir=\"auto\"]');").await;
        if dir_auto != json!(true) {
            self.report
                .problem(&page, "the title has no dir=\"auto\" (RTL titles)");
        }
        emulate(c, 1280, "print", "light").await;
        let print = js(
            c,
            "const shown = e => e && getComputedStyle(e).display !== 'none';
             const links = [...document.querySelectorAll('.sources a[href^=\"http\"]')];
             return {
               nav: [...document.querySelectorAll('nav, .skip-link')].filter(shown).map(e => e.outerHTML.slice(0, 60)),
               disclaimer: document.querySelector('.disclaimer') ? shown(document.querySelector('.disclaimer')) : null,
               sources: links.length,
               downloads: shown(document.querySelector('.cite__downloads')),
               body_px: parseFloat(getComputedStyle(document.querySelector('.prose p') || document.body).fontSize),
               largest_tag_px: Math.max(0, ...[...document.querySelectorAll('.tag, .kicker, .byline, .prose td')]
                 .map(e => parseFloat(getComputedStyle(e).fontSize))),
               urls_missing: links.filter(a => !getComputedStyle(a, '::after').content.includes(a.getAttribute('href')))
                 .map(a => a.getAttribute('href')),
             };",
        )
        .await;
        emulate(c, 1280, "screen", "light").await;
        if print["nav"].as_array().is_none_or(|n| !n.is_empty()) {
            self.report
                .problem(&page, format!("navigation printed: {}", print["nav"]));
        }
        if print["downloads"] == json!(true) {
            self.report
                .problem(&page, "the BibTeX/RIS download line is printed");
        }
        // Issue 16: the body printed smaller than the tags.
        let body = print["body_px"].as_f64().unwrap_or(0.0);
        let tags = print["largest_tag_px"].as_f64().unwrap_or(0.0);
        if body < 13.0 || tags > body {
            self.report.problem(
                &page,
                format!("printed body text is {body}px, smaller than tags or tables ({tags}px)"),
            );
        }
        if print["disclaimer"] == json!(false) {
            self.report.problem(&page, "disclaimer hidden in print");
        }
        if print["urls_missing"]
            .as_array()
            .is_none_or(|u| !u.is_empty())
        {
            self.report.problem(
                &page,
                format!("source URLs not printed: {}", print["urls_missing"]),
            );
        }
        if print["sources"] == json!(0) && site.name == "example" {
            self.report
                .problem(&page, "the checked brief has no linked sources");
        }
    }

    /// The skip link is the first thing Tab reaches, shows up and focuses main.
    async fn check_skip_link(&mut self, site: &BuiltSite) {
        let page = format!("{}/home", site.name);
        let c = self.c;
        let body = c.find(Locator::Css("body")).await.expect("body");
        body.send_keys(&fantoccini::key::Key::Tab.to_string())
            .await
            .expect("tab");
        let focused = js(
            c,
            "const e = document.activeElement; const r = e.getBoundingClientRect();
             const s = getComputedStyle(e);
             return {cls: e.className, href: e.getAttribute('href'), top: r.top, height: r.height,
                     outline: s.outlineStyle + ' ' + s.outlineWidth};",
        )
        .await;
        if focused["cls"] != json!("skip-link") {
            self.report.problem(
                &page,
                format!("first Tab stop is not the skip link: {focused}"),
            );
            return;
        }
        if focused["top"].as_f64().unwrap_or(-1.0) < 0.0 || focused["height"] == json!(0) {
            self.report
                .problem(&page, format!("focused skip link not visible: {focused}"));
        }
        if focused["outline"]
            .as_str()
            .unwrap_or("none")
            .starts_with("none")
        {
            self.report
                .problem(&page, format!("no visible focus outline: {focused}"));
        }
        let target = focused["href"].as_str().unwrap_or("").to_string();
        let target_ok = js(
            c,
            &format!("return !!document.querySelector('main{target}');"),
        )
        .await;
        if target_ok != json!(true) {
            self.report
                .problem(&page, format!("skip link target {target} is not main"));
        }
    }

    /// On a term index page (actors, countries): typing the first term's
    /// name into the filter `input` leaves that term and hides some others.
    async fn check_filter(&mut self, site: &BuiltSite, terms: &str, input: &str) {
        let page = format!("{}/{terms} filter", site.name);
        let c = self.c;
        let Ok(field) = c.find(Locator::Css(input)).await else {
            self.report
                .notes
                .push(format!("{page}: no {input}; filter check skipped"));
            return;
        };
        // The name as written, without a flag (ChromeDriver types only BMP characters).
        let first = js(
            c,
            "const items = document.querySelectorAll('.term-list > li');
             const a = items[0].querySelector('a');
             const flag = a.querySelector('.flag');
             return {total: items.length,
                     name: a.textContent.replace(flag ? flag.textContent : '', '').trim(),
                     shown: !document.querySelector('.filter').hidden};",
        )
        .await;
        if first["shown"] != json!(true) {
            self.report
                .problem(&page, "the filter is still hidden: filter.js did not run");
            return;
        }
        let name = first["name"].as_str().unwrap_or_default().to_string();
        field.send_keys(&name).await.expect("type into the filter");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let after = js(
            c,
            "const items = [...document.querySelectorAll('.term-list > li')];
             const visible = items.filter(li => li.offsetParent !== null);
             return {visible: visible.length, first_visible: items[0].offsetParent !== null,
                     status: document.querySelector('.filter [role=status]').textContent};",
        )
        .await;
        let total = first["total"].as_u64().unwrap_or(0);
        let visible = after["visible"].as_u64().unwrap_or(0);
        if after["first_visible"] != json!(true)
            || visible == 0
            || (total > 2 && visible >= total)
            || after["status"].as_str().unwrap_or("").is_empty()
        {
            self.report.problem(
                &page,
                format!("typing {name:?} left {visible} of {total} {terms}: {after}"),
            );
        }
    }

    /// On the countries page: when the theme draws a map with links, a click
    /// on a country shape must land on a country page.
    async fn click_the_map(&mut self, site: &BuiltSite, base: &str) -> Option<String> {
        let page = format!("{}/countries map", site.name);
        let c = self.c;
        emulate(c, 1280, "screen", "light").await;
        let before = c.current_url().await.expect("url");
        // the biggest linked shape, and a point inside it that is really it
        let target = js(
            c,
            "const links = [...document.querySelectorAll('.world-map a')];
             if (!links.length) return null;
             const area = a => { const r = a.getBoundingClientRect(); return r.width * r.height; };
             const a = links.reduce((x, y) => area(y) > area(x) ? y : x);
             a.scrollIntoView({block: 'center'});
             const r = a.getBoundingClientRect();
             for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
               const x = r.left + r.width * i / 20, y = r.top + r.height * j / 20;
               const hit = document.elementFromPoint(x, y);
               if (hit && hit.closest('a') === a)
                 return {x, y, links: links.length, href: new URL(a.getAttribute('href'), location.href).href};
             }
             return {links: links.length, href: a.getAttribute('href')};",
        )
        .await;
        if target.is_null() {
            self.report.notes.push(format!(
                "{page}: no .world-map links on the page; map click skipped"
            ));
            return None;
        }
        let href = target["href"].as_str().unwrap_or_default().to_string();
        let (Some(x), Some(y)) = (target["x"].as_f64(), target["y"].as_f64()) else {
            self.report
                .problem(&page, format!("no clickable point on the link to {href}"));
            return None;
        };
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            cdp(
                c,
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            )
            .await;
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = c.current_url().await.expect("url");
            if now != before {
                let ready = js(c, "return document.readyState;").await;
                if ready == json!("complete") {
                    if now.as_str() != href {
                        self.report
                            .problem(&page, format!("clicked {href}, landed on {now}"));
                    } else if !now.as_str().starts_with(&format!("{base}countries/")) {
                        self.report
                            .problem(&page, format!("map link {href} is not a country page"));
                    }
                    return Some(now.to_string());
                }
            }
            if Instant::now() > deadline {
                self.report.problem(
                    &page,
                    format!("clicking the map at ({x:.0}, {y:.0}) for {href} went nowhere"),
                );
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn check_site(&mut self, site: &BuiltSite) {
        let base = serve(site).await;
        let bp = site.base_path;
        let c = self.c;

        c.goto(&base).await.expect("open home");
        self.check_skip_link(site).await;
        self.check(site, "home", &base, Extra::Shots).await;

        // a brief, reached by clicking its title on the home page
        let brief = self.first_link(&format!("{bp}briefs/")).await;
        match brief {
            Some(url) => {
                let link = c
                    .find(Locator::Css(".card__title a"))
                    .await
                    .expect("a brief card on the home page");
                link.click().await.expect("click a brief");
                let now = c.current_url().await.expect("url");
                if now.as_str() != url {
                    self.report.problem(
                        &format!("{}/home", site.name),
                        format!("clicked the first brief ({url}), landed on {now}"),
                    );
                }
                self.check(site, "brief", now.as_str(), Extra::Shots).await;
                self.check_brief_details(site).await;
            }
            None => self
                .report
                .problem(site.name, "no brief linked from the home page"),
        }
        // on the example site, every brief (they differ: tables, footnotes, RTL...)
        if site.name == "example" {
            let mut briefs: Vec<PathBuf> = std::fs::read_dir(site.out.join("briefs"))
                .expect("briefs dir")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.join("index.html").is_file())
                .collect();
            briefs.sort();
            for dir in briefs {
                let slug = dir.file_name().unwrap_or_default().to_string_lossy();
                let url = format!("{base}briefs/{slug}/");
                self.check(site, &format!("briefs/{slug}"), &url, Extra::None)
                    .await;
            }
        }

        // a later page of a listing: the compact archive's rows
        if site.out.join("page/2/index.html").is_file() {
            let later = format!("{base}page/2/");
            self.check(site, "page 2", &later, Extra::None).await;
        }

        let countries = format!("{base}countries/");
        self.check(site, "countries", &countries, Extra::Shots)
            .await;
        self.check_filter(site, "countries", "#country-filter")
            .await;
        c.goto(&countries).await.expect("countries");
        let country = match self.click_the_map(site, &base).await {
            Some(url) => Some(url),
            None => {
                c.goto(&countries).await.expect("countries");
                self.first_link(&format!("{bp}countries/")).await
            }
        };
        match country {
            Some(url) => self.check(site, "country", &url, Extra::None).await,
            None => self.report.problem(site.name, "no country page linked"),
        }

        let actors = format!("{base}actors/");
        self.check(site, "actors", &actors, Extra::None).await;
        self.check_filter(site, "actors", "#actor-filter").await;
        c.goto(&actors).await.expect("actors");
        match self.first_link(&format!("{bp}actors/")).await {
            Some(url) => self.check(site, "actor", &url, Extra::Shots).await,
            None => self.report.problem(site.name, "no actor page linked"),
        }

        let authors = format!("{base}authors/");
        self.check(site, "authors", &authors, Extra::None).await;
        match self.first_link(&format!("{bp}authors/")).await {
            Some(url) => self.check(site, "author", &url, Extra::None).await,
            None => self.report.problem(site.name, "no author page linked"),
        }

        self.check(site, "404", &format!("{base}404.html"), Extra::None)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium, chromium-driver and tests/browser/node_modules: run .ci/browser-setup"]
async fn site_in_a_real_browser() {
    let started = Instant::now();
    let sites = sites();
    let built = started.elapsed();
    let axe_src = axe_source();
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, c) = start_browser(profile.path()).await;
    let shots = artifacts_dir();
    let docs_shots = std::env::var_os("BRIEFLY_SCREENSHOTS").map(PathBuf::from);
    let mut tester = Tester {
        c: &c,
        axe_src,
        report: Report::default(),
        shots,
        docs_shots,
        timings: Vec::new(),
    };
    for site in sites {
        tester.check_site(site).await;
    }
    let Tester {
        report, timings, ..
    } = tester;
    c.close().await.expect("close the browser");

    let mut summary = format!(
        "sites built in {:.1}s; browser checks in {:.1}s; screenshots in {}\n",
        built.as_secs_f64(),
        (started.elapsed() - built).as_secs_f64(),
        artifacts_dir().display()
    );
    for (page, time) in &timings {
        let _ = writeln!(summary, "  {:>6.2}s  {page}", time.as_secs_f64());
    }
    for note in &report.notes {
        let _ = writeln!(summary, "  note: {note}");
    }
    eprintln!("{summary}");
    std::fs::write(artifacts_dir().join("report.txt"), &summary).expect("write report");
    assert!(
        report.problems.is_empty(),
        "{} problem(s):\n{}",
        report.problems.len(),
        report.problems.join("\n")
    );
}

/// axe-core's script, from the npm tools `.ci/browser-setup` installs.
fn axe_source() -> String {
    std::fs::read_to_string(repo().join("tests/browser/node_modules/axe-core/axe.min.js"))
        .expect("axe-core: run `npm ci --prefix tests/browser --ignore-scripts`")
}

/// The example site's pages in its other languages (issue 14), by label and
/// path under the site: the Arabic, Persian and French briefs, home pages
/// in a right-to-left and a left-to-right language, the Arabic countries
/// page with its world map, a French country page
/// and the Arabic search page. `other_languages_in_a_real_browser` gives
/// them the checks every page gets; the Nu Html Checker sees them with
/// every other page.
const LANGUAGE_PAGES: [(&str, &str); 8] = [
    ("brief-ar", "ar/briefs/2015-07-21-jcpoa-vienna-deal-ar/"),
    (
        "brief-fa",
        "fa/briefs/2021-06-21-iran-presidential-election-fa/",
    ),
    ("brief-fr", "fr/briefs/2015-07-21-jcpoa-vienna-deal-fr/"),
    ("home-ar", "ar/"),
    ("home-fr", "fr/"),
    ("countries-ar", "ar/countries/"),
    ("country-fr", "fr/countries/iran/"),
    ("search-ar", "ar/search/"),
];

/// [`LANGUAGE_PAGES`] in the browser, with the checks
/// `site_in_a_real_browser` gives every page: no serious or critical axe
/// violations in light and dark mode, no horizontal overflow at 320 and
/// 390 px, the favicon under the base path, no console errors. Screenshots
/// of the briefs go to `target/browser-artifacts/example/` (and, with
/// `BRIEFLY_SCREENSHOTS=DIR`, `DIR/brief-<lang>.png` at 1280 px).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium, chromium-driver and tests/browser/node_modules: run .ci/browser-setup"]
async fn other_languages_in_a_real_browser() {
    let site = example_site(&fresh_dir("browser-languages"));
    let base = serve(&site).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, c) = start_browser(profile.path()).await;
    let mut tester = Tester {
        c: &c,
        axe_src: axe_source(),
        report: Report::default(),
        shots: artifacts_dir(),
        docs_shots: std::env::var_os("BRIEFLY_SCREENSHOTS").map(PathBuf::from),
        timings: Vec::new(),
    };
    for (label, path) in LANGUAGE_PAGES {
        let extra = if label.starts_with("brief-") || label == "countries-ar" {
            Extra::Shots
        } else {
            Extra::None
        };
        tester
            .check(&site, label, &format!("{base}{path}"), extra)
            .await;
    }
    let Report { problems, notes } = tester.report;
    c.close().await.expect("close the browser");
    for note in &notes {
        eprintln!("note: {note}");
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
#[ignore = "needs Java and tests/browser/node_modules (vnu-jar): run .ci/browser-setup"]
fn html_passes_the_nu_html_checker() {
    let sites = sites();
    let jar = repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "{} missing: run `npm ci --prefix tests/browser --ignore-scripts`",
        jar.display()
    );
    let pages: usize = sites
        .iter()
        .map(|s| {
            walkdir::WalkDir::new(&s.out)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
                .count()
        })
        .sum();
    assert!(pages > CORPUS_BRIEFS, "only {pages} pages built");
    for (_, path) in LANGUAGE_PAGES {
        let page = sites[0].out.join(path).join("index.html");
        assert!(page.is_file(), "{} was not built", page.display());
    }
    let result = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .args(sites.iter().map(|s| &s.out))
        .output()
        .expect("run java (apt-get install default-jre-headless)");
    let messages = String::from_utf8_lossy(&result.stderr).to_string()
        + &String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success() && messages.trim().is_empty(),
        "the Nu Html Checker found errors in {pages} pages:\n{messages}"
    );
}

/// An empty folder of this name under the test target's temp dir.
fn fresh_dir(name: &str) -> std::path::PathBuf {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if work.exists() {
        std::fs::remove_dir_all(&work).expect("clear old site");
    }
    work
}

/// What readers notice, in the example site: footnote markers jump to the
/// Notes section and its ↩ links jump back; flags are SVG images that load;
/// search results start with the brief's text, not its byline and tags.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromium-driver: run .ci/browser-setup"]
async fn reader_details_in_a_real_browser() {
    let site = example_site(&fresh_dir("browser-reader"));
    let base = serve(&site).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, c) = start_browser(profile.path()).await;
    // Smooth scrolling would move the marker while WebDriver clicks it.
    let motion = json!([{"name": "prefers-reduced-motion", "value": "reduce"}]);
    cdp(
        &c,
        "Emulation.setEmulatedMedia",
        json!({"features": motion}),
    )
    .await;

    c.goto(&format!("{base}briefs/2015-07-21-jcpoa-vienna-deal/"))
        .await
        .expect("open a brief with a footnote");
    assert_eq!(
        js(
            &c,
            "return document.getElementById('footnotes-heading').textContent"
        )
        .await,
        "Notes"
    );
    c.find(Locator::Css("sup.footnote-reference a"))
        .await
        .expect("a footnote marker")
        .click()
        .await
        .expect("click it");
    assert_eq!(js(&c, "return location.hash").await, "#fn-1");
    c.find(Locator::Css("#fn-1 a.footnote-backref"))
        .await
        .expect("the note's link back")
        .click()
        .await
        .expect("click it");
    assert_eq!(js(&c, "return location.hash").await, "#fnref-1-1");
    let in_view = js(
        &c,
        "const r = document.getElementById('fnref-1-1').getBoundingClientRect();
         return r.top >= 0 && r.bottom <= innerHeight;",
    )
    .await;
    assert_eq!(in_view, true, "back at the marker");
    let flags = js(
        &c,
        "return [...document.querySelectorAll('img.flag')]
           .map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]);",
    )
    .await;
    let flags = flags.as_array().expect("flags").clone();
    assert!(!flags.is_empty(), "the brief shows flags");
    for flag in &flags {
        assert_eq!(flag[1], true, "flag {} loads", flag[0]);
        assert!(flag[0].as_str().is_some_and(|s| s.ends_with(".svg")));
    }
    let errors = severe_log(&c).await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    c.goto(&format!("{base}search/?q=Rouhani"))
        .await
        .expect("open the search page");
    let mut excerpts = Value::Null;
    for _ in 0..100 {
        excerpts = js(
            &c,
            "return [...document.querySelectorAll('#search-results .card__summary')]
               .map(s => s.textContent.trim());",
        )
        .await;
        if excerpts.as_array().is_some_and(|a| !a.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let excerpts = excerpts.as_array().expect("results").clone();
    assert!(!excerpts.is_empty(), "the search finds briefs");
    for excerpt in &excerpts {
        let text = excerpt.as_str().unwrap_or_default();
        for byline in [
            "Amira Saleh",
            "Leila Haddad",
            "Tom Becker",
            "Briefly Sample Desk",
        ] {
            assert!(!text.starts_with(byline), "{text}");
        }
        assert!(
            !text.starts_with("Iran. ") && !text.contains("Iran. France."),
            "no tag list: {text}"
        );
    }
    c.close().await.expect("close the browser");
}

/// The Arabic sample brief at 390 and 1280 px: see [`right_to_left_problems`].
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromium-driver: run .ci/browser-setup"]
async fn arabic_brief_is_right_to_left_in_a_real_browser() {
    let problems = right_to_left_problems(
        "browser-rtl-ar",
        "ar",
        "ar/briefs/2015-07-21-jcpoa-vienna-deal-ar/",
    )
    .await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The Persian sample brief at 390 and 1280 px: see [`right_to_left_problems`].
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromium-driver: run .ci/browser-setup"]
async fn persian_brief_is_right_to_left_in_a_real_browser() {
    let problems = right_to_left_problems(
        "browser-rtl-fa",
        "fa",
        "fa/briefs/2021-06-21-iran-presidential-election-fa/",
    )
    .await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A right-to-left brief of the example site (at `path` under the site, in
/// language `lang`) at 390 and 1280 px: `lang`/`dir` right, the first line
/// of the body starts at the right edge of its column (the layout mirrored,
/// not just the text), the kicker and the table's first column too, and
/// nothing overflows sideways. The example site is built in `work_dir`.
async fn right_to_left_problems(work_dir: &str, lang: &str, path: &str) -> Vec<String> {
    example_page_problems(work_dir, path, async |c: &Client, width: u32| {
        let mut problems = Vec::new();
        let html = js(
            c,
            "const h = document.documentElement; return [h.lang, h.dir, getComputedStyle(document.body).direction]",
        )
        .await;
        if html != json!([lang, "rtl", "rtl"]) {
            problems.push(format!("{width}px: lang/dir/direction {html}"));
        }
        // The first paragraph's first line: a collapsed range at its first
        // character, compared with the right edge of the paragraph's box.
        let edges = js(
            c,
            "const p = [...document.querySelectorAll('.brief-body > p')].find(p => p.textContent.trim());
             const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
             let t = walker.nextNode(); while (t && !t.textContent.trim()) t = walker.nextNode();
             const r = document.createRange(); const i = t.textContent.search(/\\S/);
             r.setStart(t, i); r.setEnd(t, i + 1);
             const box = p.getBoundingClientRect(), ch = r.getBoundingClientRect();
             return [box.right - ch.right, ch.left - box.left];",
        )
        .await;
        let from_right = edges[0].as_f64().unwrap_or(f64::MAX);
        if from_right > 2.0 {
            problems.push(format!(
                "{width}px: the body's first line starts {from_right}px from the right edge ({edges})"
            ));
        }
        // A wrapped right-to-left line starts at the right even in a
        // left-to-right box, so the mirrored layout is checked on short lines
        // too: the kicker and, when the brief has a table, its first column
        // start at the right edge.
        let mirrored = js(
            c,
            "const body = document.querySelector('.brief-body').getBoundingClientRect();
             const kicker = document.querySelector('.kicker > *').getBoundingClientRect();
             const head = document.querySelector('.kicker').getBoundingClientRect();
             const th = document.querySelector('.brief-body th');
             if (!th) return [head.right - kicker.right, 0, 0];
             const cell = th.getBoundingClientRect();
             const table = th.closest('table').getBoundingClientRect();
             return [head.right - kicker.right, table.right - cell.right, body.right - table.right];",
        )
        .await;
        let offsets: Vec<f64> = (0..3)
            .map(|i| mirrored[i].as_f64().unwrap_or(f64::MAX))
            .collect();
        if offsets.iter().any(|o| o.abs() > 2.0) {
            problems.push(format!(
                "{width}px: kicker, first column and table not at the right edge ({mirrored})"
            ));
        }
        problems
    })
    .await
}

/// The page at `path` of the example site (built in `work_dir`) at 390 and
/// 1280 px: what `check` finds at each width, and any sideways overflow.
async fn example_page_problems(
    work_dir: &str,
    path: &str,
    check: impl AsyncFn(&Client, u32) -> Vec<String>,
) -> Vec<String> {
    let site = example_site(&fresh_dir(work_dir));
    let base = serve(&site).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, c) = start_browser(profile.path()).await;
    let mut problems = Vec::new();
    for width in [390, 1280] {
        emulate(&c, width, "screen", "light").await;
        c.goto(&format!("{base}{path}"))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        problems.extend(check(&c, width).await);
        if let Some(o) = overflow(&c, width).await {
            problems.push(format!("{width}px: {o}"));
        }
    }
    c.close().await.expect("close the browser");
    problems
}

/// An Arabic site's search page: the labels come from the template and the
/// script's messages from the page's i18n island, in Arabic with Eastern
/// Arabic digits (issue 14).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromium-driver: run .ci/browser-setup"]
async fn arabic_search_page_speaks_arabic_in_a_real_browser() {
    let work = fresh_dir("browser-i18n");
    let root = work.join("site");
    std::fs::create_dir_all(root.join("content/briefs")).expect("mkdir");
    std::fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: \"http://localhost/\"\nlanguage: ar\nsearch: true\n",
    )
    .expect("site.yaml");
    for (name, title) in [("a", "الاتفاق النووي"), ("b", "الاتفاق والعقوبات")]
    {
        std::fs::write(
            root.join(format!("content/briefs/{name}.md")),
            format!("---\ntitle: \"{title}\"\ndate: 2018-01-02\ncountries: [\"إيران\"]\n---\nنص تجريبي عن الاتفاق.\n"),
        )
        .expect("brief");
    }
    let out = work.join("out");
    build(&root, &out, &[]);
    let site = BuiltSite {
        name: "arabic",
        out,
        base_path: "/",
    };
    let base = serve(&site).await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, c) = start_browser(profile.path()).await;
    c.goto(&format!(
        "{base}search/?q=%D8%A7%D9%84%D8%A7%D8%AA%D9%81%D8%A7%D9%82"
    ))
    .await
    .expect("open the search page");
    let mut status = Value::Null;
    for _ in 0..100 {
        status = js(
            &c,
            "return document.getElementById('search').hasAttribute('data-ready') && document.querySelectorAll('#search-results li').length ? document.getElementById('search-status').textContent : null",
        )
        .await;
        if !status.is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let label = js(
        &c,
        "return document.querySelector('label[for=search-input]').textContent",
    )
    .await;
    // Facet counts are written in the language's digits too.
    let counts = js(
        &c,
        "return [...document.querySelectorAll('#search .count')].map(e => e.textContent)",
    )
    .await;
    c.close().await.expect("close the browser");
    assert_eq!(status, json!("عُثر على موجزين عن «الاتفاق»."));
    assert_eq!(label, json!("البحث في الموجزات"));
    let counts: Vec<&str> = (counts.as_array().expect("counts").iter())
        .filter_map(Value::as_str)
        .collect();
    assert!(
        !counts.is_empty()
            && counts
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|d| ('٠'..='٩').contains(&d))),
        "{counts:?}"
    );
}

/// The French sample translation at 390 and 1280 px: `lang`/`dir` right,
/// the language switcher shows every language with French marked current
/// and visible, the page links its versions, and nothing overflows sideways.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromium-driver: run .ci/browser-setup"]
async fn french_translation_has_its_language_and_switcher_in_a_real_browser() {
    let path = "fr/briefs/2015-07-21-jcpoa-vienna-deal-fr/";
    let problems = example_page_problems("browser-fr", path, async |c: &Client, width: u32| {
        let seen = js(
            c,
            "const h = document.documentElement;
             const current = document.querySelector('.languages a[aria-current]');
             const box = current.getBoundingClientRect();
             return [h.lang, h.dir, current.lang, current.textContent.trim(),
                     document.querySelectorAll('.languages a').length,
                     box.width > 0 && box.height > 0,
                     [...document.querySelectorAll('link[rel=alternate][hreflang]')].map(l => l.hreflang)]",
        )
        .await;
        let expected = json!([
            "fr",
            "ltr",
            "fr",
            "Français",
            4,
            true,
            ["en", "ar", "fr", "x-default"]
        ]);
        if seen == expected {
            Vec::new()
        } else {
            vec![format!("{width}px: {seen}")]
        }
    })
    .await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
