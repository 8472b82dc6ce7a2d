//! Languages: a brief's `lang:` gives its page `lang` and `dir`, its feed
//! entry `xml:lang`, its JSON-LD `inLanguage` and its citations' language;
//! country names in other scripts resolve to one country.

use crate::common::{TestSite, attr_values, stderr};

fn site_with(briefs: &[(&str, &str)]) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/\"\nsearch: false\nlanguage: en\n",
    );
    for (name, text) in briefs {
        site.write(&format!("content/briefs/{name}"), text);
    }
    site
}

const ARABIC: &str = "---\ntitle: \"عينة: الاتفاق النووي\"\ndate: 2020-01-02\nlang: ar\ncountries: [\"إيران\"]\nauthors: [\"Leila Haddad\"]\n---\nنص تجريبي.\n";
const PERSIAN: &str = "---\ntitle: \"نمونه: توافق هسته‌ای\"\ndate: 2020-01-03\nlang: fa-ir\ncountries: [\"ایران\"]\n---\nمتن نمونه.\n";
const SPANISH: &str =
    "---\ntitle: \"Muestra\"\ndate: 2020-01-04\nlang: es\ncountries: [\"Irán\"]\n---\nTexto.\n";
const ENGLISH: &str = "---\ntitle: Sample\ndate: 2020-01-05\ncountries: [Iran]\n---\nText.\n";

#[test]
fn arabic_and_persian_briefs_get_their_lang_and_dir() {
    let site = site_with(&[("ar.md", ARABIC), ("fa.md", PERSIAN), ("en.md", ENGLISH)]);
    site.build(&[]).success();
    let ar = site.out("briefs/ar/index.html");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#), "{ar}");
    let fa = site.out("briefs/fa/index.html");
    assert!(fa.contains(r#"<html lang="fa-IR" dir="rtl">"#), "{fa}");
    let en = site.out("briefs/en/index.html");
    assert!(en.contains(r#"<html lang="en" dir="ltr">"#));
    // Listings stay in the site's language; a card in another one says so.
    let home = site.out("index.html");
    assert!(home.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(
        home.contains(r#"class="card__title" lang="ar" dir="rtl""#),
        "{home}"
    );
    assert!(home.contains(r#"class="card__title" dir="auto""#));
}

#[test]
fn feed_jsonld_and_citations_carry_the_language() {
    let site = site_with(&[("ar.md", ARABIC), ("en.md", ENGLISH)]);
    site.build(&[]).success();
    let feed = site.out("feed.xml");
    assert!(feed.contains(r#"xml:lang="en">"#), "{feed}");
    assert_eq!(
        feed.matches(r#"<entry xml:lang="ar">"#).count(),
        1,
        "{feed}"
    );
    assert_eq!(feed.matches("<entry>").count(), 1);
    let ar = site.out("briefs/ar/index.html");
    assert!(ar.contains(r#""inLanguage":"ar""#), "{ar}");
    assert!(ar.contains(r#"<meta name="citation_language" content="ar">"#));
    let decoded = percent_encoding::percent_decode_str(&ar)
        .decode_utf8_lossy()
        .into_owned();
    assert!(decoded.contains("langid = {arabic}"), "no langid");
    assert!(decoded.contains("LA  - ar"), "no LA");
    let en = site.out("briefs/en/index.html");
    assert!(en.contains(r#""inLanguage":"en""#));
}

#[test]
fn a_bad_lang_is_an_error_at_its_line() {
    let site = site_with(&[(
        "x.md",
        "---\ntitle: X\ndate: 2020-01-02\nlang: xx-nonsense\n---\nBody.\n",
    )]);
    let err = stderr(&site.build(&[]).failure().code(1));
    let line = err
        .lines()
        .find(|l| l.starts_with("content/briefs/x.md:4:7: error: "))
        .unwrap_or_else(|| panic!("no diagnostic at 4:7 in:\n{err}"));
    assert!(line.contains("xx-nonsense"), "{err}");
    assert!(err.contains("`fa-IR`"), "no hint in {err}");
}

#[test]
fn country_names_in_three_scripts_make_one_country_page() {
    let site = site_with(&[("ar.md", ARABIC), ("fa.md", PERSIAN), ("es.md", SPANISH)]);
    site.build(&[]).success();
    let iran = site.out("countries/iran/index.html");
    for title in ["عينة: الاتفاق النووي", "نمونه: توافق هسته‌ای", "Muestra"]
    {
        assert!(iran.contains(title), "{title} missing from the Iran page");
    }
    let countries = site.out("countries/index.html");
    let pages: Vec<&str> = attr_values(&countries, "href")
        .into_iter()
        .filter(|h| h.starts_with("/countries/") && *h != "/countries/")
        .collect();
    assert!(
        !pages.is_empty() && pages.iter().all(|h| *h == "/countries/iran/"),
        "{pages:?}"
    );
}
