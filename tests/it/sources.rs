//! Sources as an index (publisher pages, the registry and its aliases, feeds,
//! the search facet, `check`'s near-duplicates), country pairs and citation
//! styles, on fixture sites built with the real binary.

use crate::common::{TestSite, stderr};

/// A brief citing `publisher` (as `kind`), about `countries`, on `date`.
fn brief(site: &TestSite, slug: &str, date: &str, countries: &str, publisher: &str, kind: &str) {
    site.write(
        &format!("content/briefs/{slug}.md"),
        &format!(
            "---\ntitle: \"Brief {slug}\"\ndate: {date}\ncountries: [{countries}]\nsources:\n  - title: \"Item of {slug}\"\n    publisher: \"{publisher}\"\n    url: \"https://example.org/{slug}\"\n    date: {date}\n    kind: {kind}\n---\nBody of {slug}.\n"
        ),
    );
}

/// The registry entry of Fars with its aliases in two scripts.
fn register_fars(site: &TestSite) {
    site.write(
        "content/sources/fars-news-agency.md",
        "---\nname: \"Fars News Agency\"\naliases: [\"Fars\", \"خبرگزاری فارس\"]\nkind: state-media\ncountry: Iran\n---\nIranian news agency close to the IRGC.\n",
    );
}

#[test]
fn registry_aliases_make_one_source_page_with_every_citing_brief() {
    let site = TestSite::fixture();
    register_fars(&site);
    brief(&site, "s1", "2019-03-01", "Iran", "Fars", "news");
    brief(&site, "s2", "2020-05-01", "Iran", "خبرگزاری فارس", "news");
    brief(
        &site,
        "s3",
        "2017-01-01",
        "Iraq",
        "Reuters",
        "independent-press",
    );
    site.build(&[]).success();

    // alpha (fixture, "Fars News Agency"), s1 ("Fars"), s2 (Persian name).
    let page = site.out("sources/fars-news-agency/index.html");
    assert!(page.contains("Fars News Agency</h1>"), "{page}");
    assert!(page.contains("Cited in 3 briefs"), "{page}");
    assert!(page.contains("state media"), "the registry's kind: {page}");
    assert!(
        page.contains("Iranian news agency close to the IRGC."),
        "{page}"
    );
    assert!(page.contains("خبرگزاری فارس"), "aliases listed: {page}");
    let (s2, s1, alpha) = (
        page.find("Brief s2").expect("s2 listed"),
        page.find("Brief s1").expect("s1 listed"),
        page.find("Alpha: Rouhani calls Macron")
            .expect("alpha listed"),
    );
    assert!(s2 < s1 && s1 < alpha, "newest first");
    assert!(!page.contains("Brief s3"));
    assert!(
        !site.out_exists("sources/fars/index.html"),
        "an alias is no page of its own"
    );

    // An unregistered publisher gets a page under its name's slug, with the
    // kind its sources gave it.
    let reuters = site.out("sources/reuters/index.html");
    assert!(reuters.contains("Cited in 1 brief\n"), "{reuters}");
    assert!(reuters.contains("independent press"), "{reuters}");

    let index = site.out("sources/index.html");
    assert!(
        index.contains(r#"href="/briefs/sources/fars-news-agency/""#),
        "{index}"
    );
    assert!(
        index.contains(r#"href="/briefs/sources/reuters/""#),
        "{index}"
    );
    assert!(
        index.contains(">state media</span>"),
        "grouped by kind: {index}"
    );

    // Each source page has a feed of summaries; the brief links its publisher.
    let feed = site.out("sources/fars-news-agency/feed.xml");
    assert!(feed.contains("Briefs citing Fars News Agency"), "{feed}");
    assert!(feed.matches("<entry>").count() == 3, "{feed}");
    assert!(!feed.contains("<content"), "summaries only: {feed}");
    let s1_page = site.out("briefs/s1/index.html");
    assert!(
        s1_page.contains(r#"href="/briefs/sources/fars-news-agency/""#),
        "{s1_page}"
    );
    assert_eq!(
        site.search_filters("/briefs/s1/")["source"],
        serde_json::json!(["Fars News Agency"]),
        "search facet under the registry's name"
    );
    let search = site.out("search/index.html");
    assert!(search.contains(r#"data-facet="source""#), "{search}");
}

#[test]
fn registry_mistakes_are_reported_with_their_lines() {
    let site = TestSite::fixture();
    register_fars(&site);
    site.write(
        "content/sources/other.md",
        "---\nname: \"Other Agency\"\naliases: [\"Fars\"]\ncountry: Atlantis\n---\n",
    );
    site.write("content/sources/nameless.md", "---\nkind: official\n---\n");
    let assert = site.build(&[]).failure();
    let err = stderr(&assert);
    assert!(
        err.contains("content/sources/other.md:3:")
            && err.contains(
                "`Fars` also names the publisher in `content/sources/fars-news-agency.md`"
            ),
        "{err}"
    );
    assert!(
        err.contains("content/sources/other.md:4:") && err.contains("unknown country `Atlantis`"),
        "{err}"
    );
    assert!(
        err.contains("content/sources/nameless.md:1:1: error: missing required field `name`"),
        "{err}"
    );
    assert!(!site.root().join("output").exists(), "nothing written");
}

#[test]
fn check_flags_near_duplicate_publisher_names() {
    let site = TestSite::fixture();
    brief(
        &site,
        "typo",
        "2019-03-01",
        "Iran",
        "Fars News Agancy",
        "news",
    );
    // The spelling cited more often is the one to keep.
    brief(
        &site,
        "right",
        "2019-04-01",
        "Iran",
        "Fars News Agency",
        "news",
    );
    let output = site.cmd().arg("check").output().expect("run check");
    let text = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("content/briefs/typo.md:6:5: warning: publisher `Fars News Agancy` looks like `Fars News Agency`"),
        "{text}"
    );
    assert!(text.contains("aliases:"), "{text}");
    // Registered as an alias, the spelling is no longer flagged.
    register_fars(&site);
    site.write(
        "content/sources/fars-news-agency.md",
        "---\nname: \"Fars News Agency\"\naliases: [\"Fars News Agancy\"]\n---\n",
    );
    let output = site.cmd().arg("check").output().expect("run check");
    let text = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!text.contains("looks like `Fars News Agency`"), "{text}");
}

#[test]
fn country_pairs_sharing_enough_briefs_get_pages_linked_from_both_countries() {
    let site = TestSite::fixture();
    // Fixture: alpha is Iran, US, France. Two more Iran and France briefs
    // make three; Iran and Iraq share two.
    brief(&site, "p1", "2019-01-01", "Iran, France", "Reuters", "news");
    brief(&site, "p2", "2019-02-01", "France, Iran", "Reuters", "news");
    brief(&site, "q1", "2019-03-01", "Iran, Iraq", "Reuters", "news");
    brief(&site, "q2", "2019-04-01", "Iraq, Iran", "Reuters", "news");
    site.build(&[]).success();
    let pair = site.out("countries/france/iran/index.html");
    assert!(pair.contains("3 briefs about both"), "{pair}");
    assert!(pair.contains("<title>France and Iran"), "{pair}");
    for b in ["Brief p1", "Brief p2", "Alpha: Rouhani calls Macron"] {
        assert!(pair.contains(b), "{b}: {pair}");
    }
    assert!(!pair.contains("Brief q1"));
    assert!(
        !site.out_exists("countries/iran/iraq/index.html"),
        "two briefs are not enough"
    );
    let iran = site.out("countries/iran/index.html");
    assert!(iran.contains("Most covered with Iran"), "{iran}");
    assert!(
        iran.contains(r#"href="/briefs/countries/france/iran/""#),
        "{iran}"
    );
    let france = site.out("countries/france/index.html");
    assert!(
        france.contains(r#"href="/briefs/countries/france/iran/""#),
        "{france}"
    );
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("/countries/france/iran/"), "{sitemap}");

    // A lower threshold gives Iran and Iraq their page too, listed after France.
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{yaml}pair_min_briefs: 2\n"));
    site.build(&[]).success();
    assert!(
        site.out("countries/iran/iraq/index.html")
            .contains("2 briefs about both")
    );
    let iran = site.out("countries/iran/index.html");
    let (france, iraq) = (
        iran.find("/briefs/countries/france/iran/").expect("france"),
        iran.find("/briefs/countries/iran/iraq/").expect("iraq"),
    );
    assert!(france < iraq, "most shared briefs first");
}

#[test]
fn citation_style_changes_the_reference_and_the_sources_list() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    // The default style is briefly's own Chicago formatter; the sources
    // list keeps the theme's fields.
    let chicago = site.out("briefs/alpha/index.html");
    assert!(
        chicago.contains("Analyst, Dana. 2018. &quot;Alpha: Rouhani calls Macron.&quot; Fixture Institute, January 2, 2018."),
        "{chicago}"
    );
    assert!(
        chicago.contains(r#"<span class="source__publisher">Fars News Agency</span>"#),
        "{chicago}"
    );

    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{yaml}citation_style: apa\n"));
    site.build(&[]).success();
    let apa = site.out("briefs/alpha/index.html");
    assert!(
        apa.contains(
            "Analyst, D. (2018, January 2). <i>Alpha: Rouhani calls Macron</i>. Fixture Institute."
        ),
        "{apa}"
    );
    assert!(
        apa.contains("Rouhani&apos;s call. (2018, January 2). <i>Fars News Agency</i>."),
        "{apa}"
    );
    // BibTeX and RIS downloads do not depend on the style.
    assert!(apa.contains("download=\"analyst2018alpha.bib\""), "{apa}");

    site.write(
        "site.yaml",
        &format!("{yaml}citation_style: chicago-autor-date\n"),
    );
    let assert = site.build(&[]).failure();
    let err = stderr(&assert);
    assert!(
        err.contains("`chicago-autor-date` is not a citation style briefly knows")
            && err.contains("did you mean `chicago-author-date`?"),
        "{err}"
    );
    assert!(err.contains("site.yaml:"), "{err}");
}
