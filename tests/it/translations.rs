//! A multilingual site: `languages:` in site.yaml, translations of briefs
//! linked to each other, and the pages of each language under `/<code>/`.

use crate::common::{TestSite, stderr};

const SITE: &str = "title: Briefs\nbase_url: \"https://example.org/\"\nsearch: false\nlanguage: en\nlanguages:\n  - code: fr\n  - code: ar\n";

fn multilingual(briefs: &[(&str, &str)]) -> TestSite {
    let site = TestSite::empty();
    site.write("site.yaml", SITE);
    for (name, text) in briefs {
        site.write(&format!("content/briefs/{name}"), text);
    }
    site
}

#[test]
fn a_brief_in_an_undeclared_language_is_an_error_at_its_lang() {
    let brief = "---\ntitle: Örnek\ndate: 2020-01-02\nlang: tr\n---\nMetin.\n";
    let site = multilingual(&[("tr.md", brief)]);
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("tr.md:4:7: error: `tr` is not one of the site's languages (en, fr, ar)"),
        "{err}"
    );
    assert!(err.contains("add `- code: tr` to `languages:`"), "{err}");
    // A regional tag belongs to its language: `fr-CA` is French here.
    site.write(
        "content/briefs/tr.md",
        "---\ntitle: Exemple\ndate: 2020-01-02\nlang: fr-CA\n---\nTexte.\n",
    );
    site.build(&[]).success();
}

#[test]
fn a_bad_language_in_site_yaml_is_located() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nlanguage: en\nlanguages:\n  - code: xx-nonsense\n",
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("site.yaml:4:11: error: `xx-nonsense` is not a language tag"),
        "{err}"
    );
}

const ENGLISH: &str = "---\ntitle: The deal\ndate: 2020-01-02\nauthors: [Leila Haddad]\ncountries: [Iran, Germany]\nactors: [John Kerry]\ntopics: [Nuclear]\nsources:\n  - title: A\n    publisher: United Nations\n    url: https://www.un.org/\n---\nText.\n";
const FRENCH: &str = "---\ntitle: L'accord\ndate: 2020-01-03\nlang: fr\ntranslation_of: deal\nauthors: [Leila Haddad]\ncountries: [Iran, Allemagne]\nactors: [John Kerry]\ntopics: [Nuclear]\nsources:\n  - title: A\n    publisher: United Nations\n    url: https://www.un.org/\n---\nTexte.\n";
const ARABIC: &str = "---\ntitle: الاتفاق\ndate: 2020-01-04\nlang: ar\ntranslation_key: deal-group\ncountries: [إيران]\n---\nنص.\n";
const ENGLISH_ONLY: &str =
    "---\ntitle: Only English\ndate: 2021-05-06\ncountries: [Germany]\n---\nText.\n";

/// An English brief, its French translation (`translation_of`), an Arabic
/// one joined through the English brief's key, and an English-only brief.
fn translated_site() -> TestSite {
    let english = ENGLISH.replace(
        "date: 2020-01-02\n",
        "date: 2020-01-02\ntranslation_key: deal-group\n",
    );
    multilingual(&[
        ("deal.md", &english),
        ("deal-fr.md", FRENCH),
        ("deal-ar.md", ARABIC),
        ("only.md", ENGLISH_ONLY),
    ])
}

fn hreflangs(html: &str) -> Vec<(String, String)> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .filter_map(|rest| {
            let (lang, rest) = rest.split_once('"')?;
            let href = rest.split_once("href=\"")?.1.split_once('"')?.0;
            Some((lang.to_string(), href.to_string()))
        })
        .collect()
}

#[test]
fn translations_link_both_ways_with_x_default() {
    let site = translated_site();
    site.build(&[]).success();
    let expected = [
        ("en", "https://example.org/briefs/deal/"),
        ("fr", "https://example.org/fr/briefs/deal-fr/"),
        ("ar", "https://example.org/ar/briefs/deal-ar/"),
        ("x-default", "https://example.org/briefs/deal/"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(l, h)| (l.to_string(), h.to_string()))
        .collect();
    for page in [
        "briefs/deal/index.html",
        "fr/briefs/deal-fr/index.html",
        "ar/briefs/deal-ar/index.html",
    ] {
        let html = site.out(page);
        assert_eq!(hreflangs(&html), expected, "{page}");
    }
    // A brief with no translation has no alternates.
    assert!(hreflangs(&site.out("briefs/only/index.html")).is_empty());
    // The switcher names each language in itself, marks the current one,
    // and sends a language without this page to its home.
    let fr = site.out("fr/briefs/deal-fr/index.html");
    assert!(fr.contains(r#"<html lang="fr" dir="ltr">"#), "{fr}");
    // Its label is in the page's language too.
    assert!(
        fr.contains(r#"<nav class="languages" aria-label="Langues">"#),
        "{fr}"
    );
    let ar = site.out("ar/briefs/deal-ar/index.html");
    assert!(
        ar.contains(r#"<nav class="languages" aria-label="اللغات">"#),
        "{ar}"
    );
    assert!(fr.contains(r#"<a href="/fr/briefs/deal-fr/" lang="fr" hreflang="fr" aria-current="page"><bdi>Français</bdi></a>"#), "{fr}");
    assert!(
        fr.contains(r#"<a href="/briefs/deal/" lang="en" hreflang="en"><bdi>English</bdi></a>"#)
    );
    assert!(fr.contains(
        r#"<a href="/ar/briefs/deal-ar/" lang="ar" hreflang="ar"><bdi>العربية</bdi></a>"#
    ));
    let only = site.out("briefs/only/index.html");
    assert!(
        only.contains(
            r#"<a href="/fr/" lang="fr" hreflang="fr" rel="nofollow"><bdi>Français</bdi></a>"#
        ),
        "{only}"
    );
    // The French page's navigation stays in French.
    assert!(fr.contains(r#"<a href="/fr/countries/""#), "{fr}");
    assert!(!fr.contains(r#"<a href="/countries/""#));
}

#[test]
fn the_sitemap_lists_each_version_with_its_alternates() {
    let site = translated_site();
    site.build(&[]).success();
    let xml = site.out("sitemap.xml");
    assert!(
        xml.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#),
        "{xml}"
    );
    for loc in [
        "https://example.org/briefs/deal/",
        "https://example.org/fr/briefs/deal-fr/",
    ] {
        let entry = xml
            .split(&format!("<loc>{loc}</loc>"))
            .nth(1)
            .unwrap()
            .split("</url>")
            .next()
            .unwrap();
        assert!(entry.contains(r#"<xhtml:link rel="alternate" hreflang="fr" href="https://example.org/fr/briefs/deal-fr/"/>"#), "{entry}");
        assert!(entry.contains(r#"<xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/briefs/deal/"/>"#), "{entry}");
    }
}

#[test]
fn every_page_kind_has_its_language_url_and_feed() {
    let site = translated_site();
    site.build(&[]).success();
    for page in [
        "fr/index.html",
        "fr/briefs/index.html",
        "fr/briefs/2020/index.html",
        "fr/countries/index.html",
        "fr/countries/iran/index.html",
        "fr/actors/index.html",
        "fr/actors/john-kerry/index.html",
        "fr/authors/index.html",
        "fr/authors/leila-haddad/index.html",
        "fr/topics/nuclear/index.html",
        "fr/sources/index.html",
        "ar/countries/iran/index.html",
    ] {
        let html = site.out(page);
        assert!(html.contains(r#"<html lang=""#), "{page}");
    }
    assert!(
        site.out("fr/index.html")
            .contains(r#"<html lang="fr" dir="ltr">"#)
    );
    assert!(
        site.out("ar/index.html")
            .contains(r#"<html lang="ar" dir="rtl">"#)
    );
    // No French brief of 2021, so no French page for that year.
    assert!(!site.out_exists("fr/briefs/2021/index.html"));
    assert!(site.out_exists("briefs/2021/index.html"));
    let feed = site.out("fr/feed.xml");
    assert!(feed.contains(r#"xml:lang="fr">"#), "{feed}");
    assert!(feed.contains("https://example.org/fr/briefs/deal-fr/"));
    assert!(!feed.contains("https://example.org/briefs/deal/"), "{feed}");
    let root_feed = site.out("feed.xml");
    assert!(!root_feed.contains("deal-fr"), "{root_feed}");
}

#[test]
fn a_term_page_lists_its_language_and_links_its_siblings() {
    let site = translated_site();
    site.build(&[]).success();
    let fr = site.out("fr/countries/germany/index.html");
    // The country's name in French (keshvar's translations), only the
    // French brief, and the English page as its sibling.
    assert!(fr.contains("Allemagne"), "{fr}");
    assert!(fr.contains("/fr/briefs/deal-fr/"));
    assert!(!fr.contains(r#"href="/briefs/deal/""#), "{fr}");
    assert!(!fr.contains("/briefs/only/"));
    let links = hreflangs(&fr);
    assert!(
        links.contains(&("en".into(), "https://example.org/countries/germany/".into())),
        "{links:?}"
    );
    assert!(links.contains(&(
        "fr".into(),
        "https://example.org/fr/countries/germany/".into()
    )));
    // No Arabic brief is about Germany: no Arabic page, the switcher
    // sends Arabic readers to the Arabic home.
    assert!(!site.out_exists("ar/countries/germany/index.html"));
    assert!(
        fr.contains(r#"<a href="/ar/" lang="ar" hreflang="ar" rel="nofollow">"#),
        "{fr}"
    );
    let en = site.out("countries/germany/index.html");
    assert!(
        en.contains("/briefs/only/") && !en.contains("deal-fr"),
        "{en}"
    );
}

#[test]
fn translation_mistakes_are_located() {
    let site = multilingual(&[
        ("deal.md", ENGLISH),
        (
            "missing.md",
            "---\ntitle: A\ndate: 2020-01-05\nlang: fr\ntranslation_of: dael\n---\nx\n",
        ),
        (
            "itself.md",
            "---\ntitle: B\ndate: 2020-01-05\nlang: fr\ntranslation_of: itself\n---\nx\n",
        ),
        (
            "same.md",
            "---\ntitle: C\ndate: 2020-01-05\ntranslation_of: deal\n---\nx\n",
        ),
        (
            "k1.md",
            "---\ntitle: D\ndate: 2020-01-05\ntranslation_key: one\n---\nx\n",
        ),
        (
            "k2.md",
            "---\ntitle: E\ndate: 2020-01-05\nlang: ar\ntranslation_of: k1\ntranslation_key: two\n---\nx\n",
        ),
    ]);
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("missing.md:5:17: error: `translation_of: dael` names no brief"),
        "{err}"
    );
    assert!(err.contains("did you mean `deal`?"), "{err}");
    assert!(
        err.contains("itself.md:5:17: error: `translation_of: itself` points at this brief itself"),
        "{err}"
    );
    assert!(err.contains("same.md:4:17: error: this brief and `content/briefs/deal.md` are translations of each other in the same language (en)"), "{err}");
    assert!(
        err.contains(
            "k2.md:6:18: error: `translation_key: two` disagrees with `translation_key: one`"
        ),
        "{err}"
    );
}

#[test]
fn a_site_without_languages_has_no_language_folders_or_switcher() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/\"\nsearch: false\n",
    );
    site.write("content/briefs/deal.md", ENGLISH);
    site.write(
        "content/briefs/deal-ar.md",
        &ARABIC.replace("translation_key: deal-group\n", ""),
    );
    site.build(&[]).success();
    assert!(!site.out_exists("en/index.html"));
    assert!(!site.out_exists("ar/index.html"));
    // The Arabic brief stays at the root, as before languages existed.
    assert!(site.out_exists("briefs/deal-ar/index.html"));
    for page in [
        "index.html",
        "briefs/deal/index.html",
        "briefs/deal-ar/index.html",
    ] {
        let html = site.out(page);
        assert!(!html.contains("class=\"languages\""), "{page}");
        assert!(!html.contains("hreflang"), "{page}");
    }
    assert!(!site.out("sitemap.xml").contains("xhtml"));
}

#[test]
fn the_default_language_can_have_its_folder() {
    let site = translated_site();
    site.write(
        "site.yaml",
        &SITE.replace(
            "language: en\n",
            "language: en\ndefault_language_in_path: true\n",
        ),
    );
    site.build(&[]).success();
    assert!(
        site.out("en/briefs/deal/index.html")
            .contains(r#"<html lang="en""#)
    );
    assert!(!site.out_exists("briefs/deal/index.html"));
    let root = site.out("index.html");
    assert!(
        root.contains(r#"<meta http-equiv="refresh" content="0; url=/en/">"#),
        "{root}"
    );
    assert!(
        root.contains(r#"<a href="/fr/" lang="fr" hreflang="fr">Français</a>"#),
        "{root}"
    );
}

#[test]
fn an_actor_page_shows_its_name_in_the_language() {
    let site = translated_site();
    site.write(
        "content/actors/john-kerry.md",
        "---\nname: John Kerry\nnames:\n  fr: \"John Kerry (secrétaire d'État)\"\n  ar: جون كيري\n---\n",
    );
    site.build(&[]).success();
    let fr = site.out("fr/actors/john-kerry/index.html");
    assert!(
        fr.contains(r#"<h1 class="page-title" dir="auto">John Kerry (secrétaire d&#39;État)</h1>"#),
        "{fr}"
    );
    let en = site.out("actors/john-kerry/index.html");
    assert!(!en.contains("secrétaire"), "{en}");
    // A bad language tag among the names is an error at its line.
    site.write(
        "content/actors/john-kerry.md",
        "---\nname: John Kerry\nnames:\n  xx-nonsense: Kerry\n---\n",
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(err.contains("john-kerry.md:4:16: error:"), "{err}");
}

#[test]
fn a_translation_published_before_its_scheduled_original_builds_and_links_later() {
    // The English original is scheduled after the French translation.
    let english = ENGLISH.replace("date: 2020-01-02\n", "date: 2030-03-01\n");
    let french = FRENCH.replace("date: 2020-01-03\n", "date: 2030-01-01\n");
    let site = multilingual(&[("deal.md", &english), ("deal-fr.md", &french)]);
    site.build(&["--now", "2030-02-01"]).success();
    let page = site.out("fr/briefs/deal-fr/index.html");
    assert!(
        !page.contains(r#"<link rel="alternate" hreflang="en""#),
        "no link to the scheduled original yet"
    );
    assert!(!site.out_exists("briefs/deal/index.html"));
    site.build(&["--now", "2030-03-02"]).success();
    let page = site.out("fr/briefs/deal-fr/index.html");
    assert!(
        page.contains(
            r#"<link rel="alternate" hreflang="en" href="https://example.org/briefs/deal/">"#
        ),
        "{page}"
    );
    // A target that is no brief at all stays an error.
    site.remove("content/briefs/deal.md");
    let err = stderr(&site.build(&["--now", "2030-03-02"]).failure());
    assert!(
        err.contains("`translation_of: deal` names no brief"),
        "{err}"
    );
}

#[test]
fn a_language_has_its_own_name_title_tagline_disclaimers_and_direction() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: Briefs\ntagline: Analysis\nbase_url: \"https://example.org/\"\nsearch: false\nlanguage: en\ndefault_disclaimer: standard\ndisclaimers:\n  standard: Our views are our own.\nlanguages:\n  - code: fr\n    name: Français (France)\n    title: Notes\n    tagline: Analyses\n    disclaimers:\n      standard: Nos opinions sont les nôtres.\n  - code: ku\n    dir: rtl\n",
    );
    site.write("content/briefs/deal.md", ENGLISH);
    site.write("content/briefs/deal-fr.md", FRENCH);
    site.write(
        "content/briefs/ku.md",
        "---\ntitle: Kurdî\ndate: 2020-01-05\nlang: ku\n---\nNivîs.\n",
    );
    site.build(&[]).success();
    let home = site.out("fr/index.html");
    assert!(home.contains("<title>Notes — Analyses</title>"), "{home}");
    let french = site.out("fr/briefs/deal-fr/index.html");
    assert!(french.contains("Nos opinions sont les nôtres."), "{french}");
    assert!(!french.contains("Our views are our own."), "{french}");
    assert!(french.contains("Français (France)"), "{french}");
    let english = site.out("briefs/deal/index.html");
    assert!(english.contains("Our views are our own."), "{english}");
    // `dir:` overrides the direction the language's script gives.
    assert!(site.out("ku/index.html").contains(r#"dir="rtl""#));
    assert!(
        site.out("ku/briefs/ku/index.html")
            .contains(r#"<html lang="ku" dir="rtl""#)
    );
    // A direction that is not one is located.
    site.write(
        "site.yaml",
        "title: Briefs\nlanguage: en\nlanguages:\n  - code: ku\n    dir: sideways\n",
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("site.yaml:5:10: error: `dir: sideways` is not a direction"),
        "{err}"
    );
}
