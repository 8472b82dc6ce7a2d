//! Search per language: the fixture site (`tests/fixtures/site`) plus a
//! Persian, an Arabic and a French brief, built with the real `briefly`
//! binary, which writes one Pagefind index per language.
//!
//! * `each_language_has_its_own_index` (plain `cargo test`): the English
//!   briefs are in `pagefind/` (the site's language), the Persian one in
//!   `pagefind/fa/`, the Arabic one in `pagefind/ar/`, the French one in
//!   `pagefind/fr/`, each a complete bundle of that language alone, and
//!   `pagefind/languages.json` maps them; the Arabic-script text is folded.
//! * `arabic_script_queries_find_their_variants` (`#[ignore]`d like
//!   `tests/search.rs`: needs chromium): the search page of each language
//!   (the built `search/index.html` with its `<html lang>` set to `fa`, `ar`
//!   or `fr`, standing in for `/<lang>/search/`) loads only its language's
//!   index, and `ایران` finds a brief written `ايران` and the reverse, with
//!   or without ZWNJ and diacritics.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};

#[path = "support/chromium.rs"]
mod chromium;
use chromium::{severe_log, start_browser};
#[path = "support/fixtures.rs"]
mod fixtures;
use fixtures::fixture_copy;

const BASE_PATH: &str = "/briefs/";

/// Written with Arabic yeh (ايران) and kaf (كه), a ZWNJ in می‌خواهد.
const PERSIAN: &str = "---\ntitle: \"نمونه: ايران و برجام\"\ndate: 2021-04-06\nlang: fa\ncountries: [\"Iran\"]\n---\nنمونه (sample). ايران در سال ۲۰۱۵ با شش قدرت جهانی به برجام رسید. تهران می\u{200C}خواهد كه تحریم\u{200C}ها برداشته شود.\n";
/// Written with Persian yeh (ایران), tashkeel (الاتِّفاقِ) and a tatweel.
const ARABIC: &str = "---\ntitle: \"عينة: ایران والاتفاق النووي\"\ndate: 2021-04-07\nlang: ar\ncountries: [\"Iran\"]\n---\nعينة (sample). استؤنفت في فيينا محادثات ایران حول الاتِّفاقِ النووي مع القــوى الكبرى.\n";
const FRENCH: &str = "---\ntitle: \"Exemple : reprise des négociations à Vienne\"\ndate: 2021-04-08\nlang: fr\ncountries: [\"Iran\"]\n---\nExemple (sample). Les négociations sur le programme nucléaire iranien reprennent à Vienne.\n";

/// The built site, once per test binary run.
fn out() -> &'static PathBuf {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let (work, root) = fixture_copy("search-languages");
        // The site publishes in Persian, Arabic and French too.
        let yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
        let yaml = format!("{yaml}languages:\n  - code: fa\n  - code: ar\n  - code: fr\n");
        std::fs::write(root.join("site.yaml"), yaml).expect("write site.yaml");
        let briefs = root.join("content/briefs");
        for (name, text) in [
            ("iran-fa", PERSIAN),
            ("iran-ar", ARABIC),
            ("iran-fr", FRENCH),
        ] {
            std::fs::write(briefs.join(format!("{name}.md")), text).expect("write brief");
        }
        let out = work.join("out");
        let result = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .args(["build", "--no-cache", "--root"])
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
        out
    })
}

fn json_file(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).expect("JSON")
}

#[test]
fn each_language_has_its_own_index() {
    let pagefind = out().join("pagefind");
    assert_eq!(
        json_file(&pagefind.join("languages.json")),
        json!({
            "en": {"path": ""},
            "fa": {"path": "fa/", "folding": "persian"},
            "ar": {"path": "ar/", "folding": "arabic"},
            "fr": {"path": "fr/"},
        })
    );
    // Each folder is a complete bundle of its language's briefs alone.
    for (dir, language, pages) in [
        ("", "en", 3),
        ("fa/", "fa", 1),
        ("ar/", "ar", 1),
        ("fr/", "fr", 1),
    ] {
        let entry = json_file(&pagefind.join(format!("{dir}pagefind-entry.json")));
        let languages = entry["languages"].as_object().expect("languages");
        assert_eq!(
            languages.keys().collect::<Vec<_>>(),
            [language],
            "{dir}: {entry}"
        );
        assert_eq!(languages[language]["page_count"], pages, "{dir}: {entry}");
        assert_eq!(
            json_file(&pagefind.join(format!("{dir}shards.json"))),
            json!([])
        );
        assert!(
            pagefind.join(format!("{dir}pagefind.js")).is_file(),
            "{dir}"
        );
    }
    // Pagefind ships the stemmers it has (Arabic, French, English); it has
    // none for Persian, whose index falls back to its generic core.
    for wasm in [
        "wasm.en.pagefind",
        "ar/wasm.ar.pagefind",
        "fr/wasm.fr.pagefind",
    ] {
        assert!(pagefind.join(wasm).is_file(), "{wasm}");
    }
    assert!(!pagefind.join("fa/wasm.fa.pagefind").exists());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromium-driver: run .ci/browser-setup"]
async fn arabic_script_queries_find_their_variants() {
    let out = out();
    // The search page of each language, at /<code>/search/ with its <html lang>.
    for language in ["fa", "ar", "fr"] {
        let page = std::fs::read_to_string(out.join(format!("{language}/search/index.html")))
            .expect("the language's search page");
        assert!(
            page.contains(&format!("<html lang=\"{language}\"")),
            "{language}/search/ is in {language}"
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let files = tower_http::services::ServeDir::new(out);
    let app = axum::Router::new().nest_service(BASE_PATH.trim_end_matches('/'), files);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{addr}{BASE_PATH}");

    let profile = tempfile::tempdir().expect("profile dir");
    let (_driver, c) = start_browser(profile.path()).await;
    let persian = format!("{BASE_PATH}fa/briefs/iran-fa/");
    let arabic = format!("{BASE_PATH}ar/briefs/iran-ar/");
    let french = format!("{BASE_PATH}fr/briefs/iran-fr/");
    let cases: Vec<(&str, &str, Vec<&str>)> = vec![
        // Persian yeh finds the brief written with Arabic yeh, and itself.
        ("fa/search/", "ایران", vec![&persian]),
        ("fa/search/", "ايران", vec![&persian]),
        // with and without the ZWNJ, and Arabic kaf in the text
        ("fa/search/", "میخواهد", vec![&persian]),
        ("fa/search/", "می\u{200C}خواهد", vec![&persian]),
        ("fa/search/", "که", vec![&persian]),
        // the reverse: Arabic yeh finds the brief written with Persian yeh
        ("ar/search/", "ايران", vec![&arabic]),
        ("ar/search/", "ایران", vec![&arabic]),
        // diacritics and tatweel ignored on either side
        ("ar/search/", "الاتفاق", vec![&arabic]),
        ("ar/search/", "الاتِّفاقِ", vec![&arabic]),
        ("ar/search/", "القوى", vec![&arabic]),
        // French, stemmed; the English page finds only English briefs
        ("fr/search/", "négociation", vec![&french]),
        ("search/", "ایران", vec![]),
        (
            "search/",
            "Rouhani",
            vec!["/briefs/briefs/alpha/", "/briefs/briefs/beta/"],
        ),
    ];
    for (page, query, expected) in cases {
        let url =
            url::Url::parse_with_params(&format!("{base}{page}"), [("q", query)]).expect("url");
        c.goto(url.as_str()).await.expect("open the search page");
        let script = r##"const done = arguments[arguments.length - 1];
            (async () => {
              const root = document.getElementById("search");
              for (let i = 0; i < 200 && !root.hasAttribute("data-ready"); i++)
                await new Promise(r => setTimeout(r, 50));
              const status = () => document.getElementById("search-status").textContent;
              for (let i = 0; i < 200 && /Loading/.test(status()); i++)
                await new Promise(r => setTimeout(r, 50));
              await new Promise(r => setTimeout(r, 300));
              return {status: status(), hrefs: [...document.querySelectorAll("#search-results .card__title a")]
                .map(a => a.getAttribute("href")).sort()};
            })().then(done, e => done({error: String(e)}));"##;
        let r = c.execute_async(script, vec![]).await.expect("script");
        let hrefs: Vec<&str> = (r["hrefs"].as_array().expect("hrefs").iter())
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(hrefs, expected, "{page} ?q={query}: {r:#}");
    }
    let errors = severe_log(&c).await;
    assert!(
        errors.is_empty(),
        "console errors or failed loads: {errors:#?}"
    );
    c.close().await.expect("close the browser");
}
