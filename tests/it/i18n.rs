//! Interface strings in the reader's language (issue 14): the theme's
//! `i18n/<lang>.yaml`, `t()` with CLDR plural rules, dates with the
//! language's month names and digits, the fallback of a missing key and
//! what `check` says about it, and the mistakes a theme author can make.

use crate::common::{TestSite, stderr};

fn site_with(briefs: &[(&str, &str)]) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/\"\nsearch: true\nlanguage: en\n",
    );
    for (name, text) in briefs {
        site.write(&format!("content/briefs/{name}"), text);
    }
    site
}

const ARABIC: &str = "---\ntitle: \"عينة: الاتفاق النووي\"\ndate: 2018-01-02\nupdated: 2019-11-30\nlang: ar\ncountries: [\"إيران\"]\nauthors: [\"Leila Haddad\", \"Sam Writer\"]\n---\nنص تجريبي.\n";
const PERSIAN: &str = "---\ntitle: \"نمونه\"\ndate: 2018-01-02\nlang: fa-IR\ncountries: [\"ایران\"]\n---\nمتن نمونه.\n";
const FRENCH: &str =
    "---\ntitle: \"Exemple\"\ndate: 2018-01-02\nlang: fr\ncountries: [Iran]\n---\nTexte.\n";
const ENGLISH: &str = "---\ntitle: Sample\ndate: 2018-01-02\ncountries: [Iran]\n---\nText.\n";

#[test]
fn an_arabic_page_has_arabic_interface_strings_and_dates() {
    let site = site_with(&[("ar.md", ARABIC), ("en.md", ENGLISH)]);
    site.build(&[]).success();
    let ar = site.out("briefs/ar/index.html");
    for expected in [
        "<time datetime=\"2018-01-02\">٢ يناير ٢٠١٨</time>",
        "<time datetime=\"2019-11-30\">٣٠ نوفمبر ٢٠١٩</time>",
        ">نُشر في <bdi>",
        ">بقلم <bdi>",
        "</bdi> و <bdi>",
        "<h2 class=\"section-title\" id=\"cite-heading\">الاستشهاد بهذا الموجز</h2>",
        "قراءة في دقيقة واحدة",
        ">الدول</dt>",
    ] {
        assert!(ar.contains(expected), "`{expected}` missing:\n{ar}");
    }
    assert!(!ar.contains(">Published "), "{ar}");
    assert!(!ar.contains("Cite this brief"), "{ar}");
    // The English page of the same site is unchanged.
    let en = site.out("briefs/en/index.html");
    assert!(en.contains("<time datetime=\"2018-01-02\">2 January 2018</time>"));
    assert!(en.contains(">Published <bdi>") && en.contains("1 min read"));
    assert!(en.contains(">Cite this brief</h2>"));
}

#[test]
fn persian_dates_use_persian_digits_and_french_dates_read_french() {
    let site = site_with(&[("fa.md", PERSIAN), ("fr.md", FRENCH)]);
    site.build(&[]).success();
    let fa = site.out("briefs/fa/index.html");
    assert!(fa.contains(">۲ ژانویه ۲۰۱۸</time>"), "{fa}");
    assert!(fa.contains(">انتشار <bdi>"), "{fa}");
    let fr = site.out("briefs/fr/index.html");
    assert!(fr.contains(">2 janvier 2018</time>"), "{fr}");
    assert!(fr.contains(">Citer cette note</h2>"), "{fr}");
}

#[test]
fn plural_forms_follow_cldr_rules_through_t() {
    let site = site_with(&[("ar.md", ARABIC), ("fr.md", FRENCH)]);
    // A site template (the 404 page) prints the forms for several counts.
    site.write(
        "templates/404.html",
        "{% for n in [0, 1, 2, 3, 11, 100] %}[{{ t(key=\"count_briefs\", count=n, lang=\"ar\") }}]{% endfor %}\n{% for n in [0, 1, 2] %}[{{ t(key=\"count_briefs\", count=n, lang=\"fr\") }}]{% endfor %}\n[{{ t(key=\"brief_source_more\", publisher=\"<b>Reuters</b>\") }}]\n",
    );
    site.build(&[]).success();
    let page = site.out("404.html");
    assert!(
        page.contains("[لا موجزات][موجز واحد][موجزان][٣ موجزات][١١ موجزًا][١٠٠ موجز]"),
        "{page}"
    );
    assert!(page.contains("[0 note][1 note][2 notes]"), "{page}");
    // Placeholders are filled with text that is still escaped.
    assert!(
        page.contains("[&lt;b&gt;Reuters&lt;&#x2F;b&gt; in other briefs]")
            || page.contains("[&lt;b&gt;Reuters&lt;/b&gt; in other briefs]"),
        "{page}"
    );
}

#[test]
fn a_key_missing_in_french_falls_back_to_english_and_check_lists_it() {
    let site = site_with(&[("fr.md", FRENCH)]);
    site.write(
        "i18n/en.yaml",
        "brief_related: Further reading\nextra_note: Read on\n",
    );
    site.write(
        "templates/404.html",
        "{{ t(key=\"extra_note\", lang=\"fr\") }}|{{ t(key=\"nav_search\", lang=\"fr\") }}\n",
    );
    site.build(&[]).success();
    let page = site.out("404.html");
    assert!(page.contains("Read on|Rechercher"), "{page}");
    let (ok, text) = site.check(&[]);
    assert!(ok, "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("(built-in theme)/i18n/fr.yaml") && l.contains("warning"))
        .unwrap_or_else(|| panic!("no warning for fr:\n{text}"));
    assert!(line.contains("`extra_note`"), "{line}");
    assert!(!line.contains("`brief_related`"), "{line}");
}

#[test]
fn an_unknown_key_in_a_template_is_an_error_at_its_line() {
    let site = site_with(&[("en.md", ENGLISH)]);
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ t(key=\"no_such_key\") }}</p>\n{% endblock content %}\n",
    );
    let err = stderr(&site.build(&[]).failure().code(1));
    let line = err
        .lines()
        .find(|l| l.starts_with("templates/404.html:3:7: error: "))
        .unwrap_or_else(|| panic!("no diagnostic at 3:7 in:\n{err}"));
    assert!(line.contains("no_such_key"), "{err}");
    assert!(!site.out_exists("index.html"));
}

#[test]
fn a_malformed_i18n_file_is_an_error_at_its_line() {
    let site = site_with(&[("en.md", ENGLISH)]);
    site.write(
        "i18n/fr.yaml",
        "nav_search: Rechercher\nnav_briefs: [Notes\nand: et\n",
    );
    site.write("i18n/ar.yaml", "count_briefs:\n  one: x\n");
    let err = stderr(&site.build(&[]).failure().code(1));
    assert!(
        err.lines()
            .any(|l| l.starts_with("i18n/fr.yaml:2:") || l.starts_with("i18n/fr.yaml:3:")),
        "{err}"
    );
    // At the plural forms (the line after the key).
    let ar = err
        .lines()
        .find(|l| l.starts_with("i18n/ar.yaml:2:"))
        .unwrap_or_else(|| panic!("no diagnostic for ar.yaml:2 in:\n{err}"));
    assert!(ar.contains("`other`"), "{ar}");
}

#[test]
fn the_search_page_hands_its_strings_to_the_script() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/\"\nsearch: true\nlanguage: ar\n",
    );
    site.write("content/briefs/ar.md", ARABIC);
    site.build(&[]).success();
    let page = site.out("search/index.html");
    let start = page
        .find("<script type=\"application/json\" id=\"briefly-i18n\">")
        .unwrap_or_else(|| panic!("no i18n island:\n{page}"));
    let json = &page[start..];
    let json = &json[json.find('>').unwrap_or(0) + 1..json.find("</script>").unwrap_or(0)];
    let strings: serde_json::Value = serde_json::from_str(json).expect("island is JSON");
    assert_eq!(strings["lang"], "ar");
    assert_eq!(strings["digits"], "٠١٢٣٤٥٦٧٨٩");
    assert_eq!(strings["search_loading"], "جارٍ تحميل فهرس البحث…");
    assert_eq!(strings["search_found"]["two"], "عُثر على موجزين.");
    assert!(page.contains(">البحث في الموجزات</label>"), "{page}");
    // The script itself holds no English sentence.
    let js = std::fs::read_to_string(crate::common::repo().join("themes/default/static/search.js"))
        .expect("search.js");
    for english in [
        "Show more results",
        "Search failed",
        "briefs found",
        "Loading the search",
    ] {
        assert!(!js.contains(english), "search.js still says `{english}`");
    }
}

/// The titles and descriptions the program gives pages (country pairs,
/// years, countries) and the UN sub-regions come from the theme's strings,
/// with names and digits in the page's language, not `Iran and France` or
/// `Southern Asia` on every page; the 404 page too.
#[test]
fn program_titles_and_descriptions_are_in_the_page_language() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/\"\nsearch: false\nlanguage: en\npair_min_briefs: 1\nlanguages:\n  - code: fr\n  - code: ar\n",
    );
    for (name, lang, countries) in [
        ("en", "en", "[Iran, France]"),
        ("fr", "fr", "[Iran, France]"),
        ("ar", "ar", "[\"إيران\", \"فرنسا\"]"),
    ] {
        site.write(
            &format!("content/briefs/{name}.md"),
            &format!("---\ntitle: \"{name}\"\ndate: 2018-01-02\nlang: {lang}\ncountries: {countries}\n---\nText.\n"),
        );
    }
    site.build(&[]).success();
    let en = site.out("countries/france/iran/index.html");
    assert!(en.contains("<title>France and Iran — T</title>"), "{en}");
    assert!(
        en.contains("content=\"Briefs about both France and Iran.\""),
        "{en}"
    );
    let fr = site.out("fr/countries/france/iran/index.html");
    assert!(fr.contains("<title>France et Iran — "), "{fr}");
    assert!(
        fr.contains("content=\"Les notes qui portent sur les deux pays : France et Iran.\""),
        "{fr}"
    );
    // Sorted by the Arabic names: إيران before فرنسا.
    let ar = site.out("ar/countries/france/iran/index.html");
    assert!(ar.contains("<title>إيران وفرنسا — "), "{ar}");
    assert!(
        ar.contains("content=\"موجزات عن إيران وفرنسا معًا.\""),
        "{ar}"
    );
    for page in [&fr, &ar] {
        assert!(!page.contains(" and "), "{page}");
    }
    let year = site.out("ar/briefs/2018/index.html");
    assert!(year.contains("<title>موجزات ٢٠١٨ — "), "{year}");
    assert!(
        year.contains("content=\"كل الموجزات المنشورة في ٢٠١٨.\""),
        "{year}"
    );
    let year = site.out("fr/briefs/2018/index.html");
    assert!(year.contains("<title>Notes de 2018 — "), "{year}");
    assert!(
        year.contains("content=\"La note publiée en 2018.\""),
        "{year}"
    );
    let year = site.out("briefs/2018/index.html");
    assert!(year.contains("<title>Briefs of 2018 — "), "{year}");
    assert!(
        year.contains("content=\"The one brief published in 2018.\""),
        "{year}"
    );
    let country = site.out("fr/countries/iran/index.html");
    assert!(
        country.contains("content=\"Les notes qui traitent de ce pays : Iran.\""),
        "{country}"
    );
    let country = site.out("ar/countries/iran/index.html");
    assert!(
        country.contains("content=\"موجزات عن إيران.\""),
        "{country}"
    );
    // The UN sub-regions on the countries page and in a country's kicker.
    assert!(country.contains("<span>جنوب آسيا</span>"), "{country}");
    let countries = site.out("ar/countries/index.html");
    assert!(countries.contains("\">أوروبا الغربية</h2>"), "{countries}");
    let countries = site.out("fr/countries/index.html");
    assert!(countries.contains("\">Asie du Sud</h2>"), "{countries}");
    let countries = site.out("countries/index.html");
    assert!(countries.contains("\">Southern Asia</h2>"), "{countries}");
    // A 404 page per language: the root one's switcher and hreflang links
    // lead to pages that exist, so `check` finds no broken link.
    let not_found = site.out("ar/404.html");
    assert!(
        not_found.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{not_found}"
    );
    assert!(
        not_found.contains("<title>الصفحة غير موجودة — "),
        "{not_found}"
    );
    assert!(site.out("404.html").contains("<title>Page not found — "));
    assert!(site.out_exists("fr/404.html"));
    let (ok, text) = site.check(&[]);
    assert!(ok && !text.contains("points to no page"), "{text}");
}

/// The Notes heading of a brief's footnotes is in the brief's language.
#[test]
fn the_notes_heading_follows_the_brief_language() {
    let note = "\nنص[^1].\n\n[^1]: هامش.\n";
    let site = site_with(&[
        ("ar.md", &ARABIC.replace("\nنص تجريبي.\n", note)),
        (
            "en.md",
            &ENGLISH.replace("\nText.\n", "\nText[^1].\n\n[^1]: A note.\n"),
        ),
    ]);
    site.build(&[]).success();
    let ar = site.out("briefs/ar/index.html");
    assert!(ar.contains("id=\"footnotes-heading\">الهوامش</h2>"), "{ar}");
    let en = site.out("briefs/en/index.html");
    assert!(en.contains("id=\"footnotes-heading\">Notes</h2>"), "{en}");
}

/// Feeds speak the feed's language too: the titles the program gives the
/// author and source feeds, country names in feed titles, and the
/// footnotes' heading inside whole bodies (the site feed), not `briefs by`,
/// `Iran` or `Notes` in an Arabic feed.
#[test]
fn feeds_are_in_the_feed_language() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/\"\nsearch: false\nlanguage: en\npair_min_briefs: 1\nlanguages:\n  - code: ar\n",
    );
    for (name, lang) in [("en", "en"), ("ar", "ar")] {
        site.write(
            &format!("content/briefs/{name}.md"),
            &format!(
                "---\ntitle: \"{name}\"\ndate: 2018-01-02\nlang: {lang}\nauthors: [Dina Lindqvist]\ncountries: [Iran, France]\nsources:\n  - publisher: Fars News Agency\n    url: https://example.org/fars\n---\nText.[^1]\n\n[^1]: A note.\n"
            ),
        );
    }
    site.build(&[]).success();
    let ar_site = site.out("ar/feed.xml");
    assert!(ar_site.contains("&gt;الهوامش&lt;/h2&gt;"), "{ar_site}");
    assert!(!ar_site.contains("&gt;Notes&lt;/h2&gt;"), "{ar_site}");
    let en_site = site.out("feed.xml");
    assert!(en_site.contains("&gt;Notes&lt;/h2&gt;"), "{en_site}");
    let author = site.out("ar/authors/dina-lindqvist/feed.xml");
    assert!(author.contains("موجزات بقلم Dina Lindqvist"), "{author}");
    let source = site.out("ar/sources/fars-news-agency/feed.xml");
    assert!(
        source.contains("الموجزات التي تستشهد بـ Fars News Agency"),
        "{source}"
    );
    let country = site.out("ar/countries/iran/feed.xml");
    assert!(country.contains("<title>T: إيران</title>"), "{country}");
    let en_country = site.out("countries/iran/feed.xml");
    assert!(
        en_country.contains("<title>T: Iran</title>"),
        "{en_country}"
    );
    for feed in [&author, &source, &country] {
        assert!(
            !feed.contains(" and ") && !feed.contains("briefs "),
            "{feed}"
        );
    }
}
