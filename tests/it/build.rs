//! A good site builds into the pages the README promises.

use crate::common::{TestSite, assert_local_links_resolve, snapshot_tree};

#[test]
fn builds_every_page_kind_with_clean_urls() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    for page in [
        "index.html",
        "404.html",
        "briefs/alpha/index.html",
        "briefs/beta/index.html",
        "briefs/delta/index.html",
        "countries/index.html",
        "countries/iran/index.html",
        "countries/united-states/index.html",
        "countries/cote-d-ivoire/index.html",
        "countries/kurdistan-region/index.html",
        "actors/index.html",
        "actors/hassan-rouhani/index.html",
        "actors/irgc/index.html",
        "actors/some-unregistered-person/index.html",
        "authors/index.html",
        "authors/dana-analyst/index.html",
        "authors/sam-writer/index.html",
        "extra.txt",
        "favicon.svg",
    ] {
        assert!(site.out_exists(page), "missing {page}");
    }
}

#[test]
fn actor_aliases_and_spellings_make_one_page() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let rouhani = site.out("actors/hassan-rouhani/index.html");
    assert!(rouhani.contains("Alpha: Rouhani calls Macron"));
    assert!(rouhani.contains("Beta: protests spread"));
    assert!(rouhani.contains("Seventh president of Iran"), "bio shown");
    assert!(rouhani.contains("President Rouhani"), "aliases shown");
    assert!(!site.out_exists("actors/rouhani/index.html"));
    // "Some Unregistered Person" and "some unregistered person" share a slug.
    let person = site.out("actors/some-unregistered-person/index.html");
    assert!(person.contains("Beta: protests spread") && person.contains("Delta: Erbil votes"));
    // The registry name is the display name, even when briefs use an alias.
    let alpha = site.out("briefs/alpha/index.html");
    assert!(alpha.contains("Islamic Revolutionary Guard Corps"));
}

#[test]
fn countries_resolve_codes_and_aliases() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let us = site.out("countries/united-states/index.html");
    assert!(
        us.contains("Alpha: Rouhani calls Macron"),
        "USA -> United States"
    );
    assert!(
        site.out("countries/france/index.html").contains("Alpha"),
        "FR -> France"
    );
    assert!(
        site.out("countries/cote-d-ivoire/index.html")
            .contains("Côte d&#39;Ivoire"),
        "Ivory Coast -> Côte d'Ivoire"
    );
    let kurdistan = site.out("countries/kurdistan-region/index.html");
    assert!(
        kurdistan.contains("Delta: Erbil votes"),
        "site-declared place alias"
    );
    let countries = site.out("countries/index.html");
    assert!(countries.contains("Kurdistan Region"));
}

#[test]
fn country_pages_list_newest_first_and_show_profiles() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let iran = site.out("countries/iran/index.html");
    assert!(iran.contains("Iran profile paragraph for tests."));
    let beta = iran.find("Beta: protests spread").expect("beta listed");
    let alpha = iran
        .find("Alpha: Rouhani calls Macron")
        .expect("alpha listed");
    assert!(beta < alpha, "2018-01-05 comes before 2018-01-02");
}

#[test]
fn brief_page_has_citations_sources_disclaimer_and_dates() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let alpha = site.out("briefs/alpha/index.html");
    assert!(
        alpha.contains("href=\"#source-1\""),
        "citation links to source"
    );
    assert!(alpha.contains("id=\"source-1\""), "numbered source entry");
    assert!(
        alpha.contains("id=\"cite-1-1\"") && alpha.contains("href=\"#cite-1-1\""),
        "source links back to its citation"
    );
    assert!(!alpha.contains("[@fars]"));
    assert!(alpha.contains("Fars News Agency") && alpha.contains("state-media"));
    assert!(alpha.contains("A plain string source"));
    assert!(
        alpha.contains("<strong>independent</strong>"),
        "default disclaimer as HTML"
    );
    assert!(alpha.contains("datetime=\"2018-01-02\"") && alpha.contains("2 January 2018"));
    assert!(alpha.contains("3 January 2018"), "updated date");
    assert!(alpha.contains("id=\"comment\""), "heading anchor");
    assert!(
        site.out("briefs/delta/index.html")
            .contains("Example Foundation"),
        "named disclaimer"
    );
}

#[test]
fn related_briefs_share_terms() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let beta = site.out("briefs/beta/index.html");
    let related = &beta[beta.find("Related").expect("related section")..];
    assert!(related.contains("Alpha: Rouhani calls Macron"));
}

#[test]
fn summary_defaults_to_first_paragraph() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let home = site.out("index.html");
    assert!(home.contains("Alpha first paragraph about the call."));
    assert!(home.contains("Given summary of beta."));
}

#[test]
fn drafts_only_with_flag() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    assert!(!site.out_exists("briefs/gamma/index.html"));
    assert!(
        !site
            .out("countries/iran/index.html")
            .contains("Gamma: a draft")
    );
    site.build(&["--drafts"]).success();
    assert!(site.out_exists("briefs/gamma/index.html"));
    assert!(
        site.out("countries/iran/index.html")
            .contains("Gamma: a draft")
    );
}

#[test]
fn site_templates_override_theme_templates_and_static_is_copied() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    assert!(
        site.out("404.html")
            .contains("Site-level override of the 404 page")
    );
    assert_eq!(site.out("extra.txt"), "site static file\n");
}

#[test]
fn every_internal_link_respects_the_sub_path_and_resolves() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let checked = assert_local_links_resolve(&site.root().join("output"), "/briefs/");
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn base_url_flag_overrides_config() {
    let site = TestSite::fixture();
    site.build(&["--base-url", "https://preview.example.net/x"])
        .success();
    let alpha = site.out("briefs/alpha/index.html");
    assert!(
        alpha.contains("https://preview.example.net/x/briefs/alpha/"),
        "canonical uses the override"
    );
    assert!(alpha.contains("href=\"/x/countries/iran/\""));
}

#[test]
fn same_input_gives_same_bytes() {
    let site = TestSite::fixture();
    site.build(&["--output", "out-a"]).success();
    site.build(&["--output", "out-b"]).success();
    let a = snapshot_tree(&site.root().join("out-a"));
    let b = snapshot_tree(&site.root().join("out-b"));
    assert_eq!(a.len(), b.len());
    for (path, bytes) in &a {
        assert!(
            b.get(path) == Some(bytes),
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn output_contains_no_file_system_paths() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let root = site.root().to_string_lossy().to_string();
    for (path, bytes) in snapshot_tree(&site.root().join("output")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&root),
            "{} leaks {root}",
            path.display()
        );
    }
}

#[test]
fn html_is_escaped_in_titles() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/xss.md",
        "---\ntitle: \"<script>alert(1)</script> & co\"\ndate: 2019-01-01\ncountries: [Iran]\n---\nBody.\n",
    );
    site.build(&[]).success();
    let page = site.out("briefs/xss/index.html");
    assert!(!page.contains("<script>alert(1)</script>"));
    // Titles are inline Markdown: a tag other than a few plain inline ones
    // is dropped (never passed through), the text kept and escaped.
    assert!(page.contains("alert(1) &amp; co</h1>"), "{page}");
    assert!(page.contains("<title>alert(1) &amp; co"));
}

#[test]
fn countries_page_has_a_shaded_linked_world_map() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let countries = site.out("countries/index.html");
    assert!(
        countries.contains("<a href=\"/briefs/countries/iran/\"><title>Iran: 2 briefs</title>"),
        "Iran links to its page"
    );
    assert!(
        countries.contains("class=\"map-n5\" data-iso=\"IR\""),
        "the most covered country gets the darkest shade"
    );
    assert!(
        countries.contains("class=\"map-n0\" data-iso=\"BR\""),
        "countries without briefs are unshaded"
    );
}

#[test]
fn long_listings_are_paginated_with_prev_next_links() {
    let site = TestSite::fixture();
    for i in 0..35 {
        site.write(
            &format!("content/briefs/egypt-{i:02}.md"),
            &format!(
                "---\ntitle: \"Egypt {i}\"\ndate: 2020-02-{:02}\ncountries: [Egypt]\n---\nBody.\n",
                i % 28 + 1
            ),
        );
    }
    site.build(&[]).success();
    let first = site.out("countries/egypt/index.html");
    let second = site.out("countries/egypt/page/2/index.html");
    assert!(!site.out_exists("countries/egypt/page/3/index.html"));
    assert!(
        first.contains("rel=\"next\" href=\"/briefs/countries/egypt/page/2/\""),
        "head link to the next page"
    );
    assert!(
        second.contains("rel=\"prev\" href=\"/briefs/countries/egypt/\""),
        "head link back to page 1"
    );
    assert_eq!(
        first.matches("<li class=\"card").count(),
        10,
        "page_size defaults to 10"
    );
    // Later pages are one-line rows, archive_per_page (100) of them.
    assert_eq!(second.matches("<li class=\"card").count(), 0);
    assert_eq!(second.matches("<li><bdi><time").count(), 25);
    // Home: home_briefs (10 in the fixture) on page 1, then up to 100 rows;
    // 3 + 35 briefs make 2 pages.
    assert!(site.out_exists("page/2/index.html") && !site.out_exists("page/3/index.html"));
    assert!(site.out("page/2/index.html").contains("Page 2 of 2"));
}

#[test]
fn archive_lists_years_and_year_pages_list_their_briefs() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let archive = site.out("briefs/index.html");
    assert!(
        archive.contains("href=\"/briefs/briefs/2018/\"")
            && archive.contains("href=\"/briefs/briefs/2017/\"")
    );
    let year = site.out("briefs/2018/index.html");
    assert!(year.contains("Alpha: Rouhani calls Macron") && year.contains("Beta: protests spread"));
    assert!(
        !year.contains("Delta: Erbil votes"),
        "2017 brief is on its own year page"
    );
}

#[test]
fn stylesheets_and_scripts_get_content_hashed_names() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let css_link = |html: &str| {
        html.split("<link rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("stylesheet link")
            .to_string()
    };
    let first = css_link(&site.out("index.html"));
    assert!(
        first.starts_with("/briefs/style.")
            && first.ends_with(".css")
            && first.len() == "/briefs/style.12345678.css".len(),
        "{first}"
    );
    assert!(site.out_exists(first.trim_start_matches("/briefs/")));
    assert!(
        !site.out_exists("style.css"),
        "only the fingerprinted name is published"
    );
    // A changed stylesheet gets a new name, and every page links the new one.
    let css =
        std::fs::read_to_string(site.root().join("themes/default/static/style.css")).expect("read");
    site.write(
        "themes/default/static/style.css",
        &format!("{css}\n/* changed */\n"),
    );
    site.build(&[]).success();
    let second = css_link(&site.out("briefs/alpha/index.html"));
    assert_ne!(first, second);
    assert!(site.out_exists(second.trim_start_matches("/briefs/")));
    assert!(
        !site.out_exists(first.trim_start_matches("/briefs/")),
        "the old name is gone"
    );
}

#[test]
fn serial_and_parallel_builds_write_the_same_bytes() {
    let site = TestSite::fixture();
    // Enough briefs that work really is split between threads.
    for i in 0..120 {
        site.write(
            &format!("content/briefs/many-{i:03}.md"),
            &format!(
                "---\ntitle: \"Brief {i}\"\ndate: 2019-{:02}-{:02}\ncountries: [Iran{}]\nactors: [\"Actor {}\", IRGC]\nauthors: [\"Author {}\"]\n---\nBody {i}.\n",
                i % 12 + 1,
                i % 28 + 1,
                if i % 3 == 0 { ", Iraq" } else { "" },
                i % 17,
                i % 5
            ),
        );
    }
    site.cmd()
        .env("RAYON_NUM_THREADS", "1")
        .args(["build", "--output", "serial"])
        .assert()
        .success();
    site.cmd()
        .env("RAYON_NUM_THREADS", "8")
        .args(["build", "--output", "parallel"])
        .assert()
        .success();
    let serial = snapshot_tree(&site.root().join("serial"));
    let parallel = snapshot_tree(&site.root().join("parallel"));
    assert!(serial.len() > 300, "{} files", serial.len());
    assert_eq!(
        serial.keys().collect::<Vec<_>>(),
        parallel.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &serial {
        assert!(
            parallel.get(path) == Some(bytes),
            "{} differs",
            path.display()
        );
    }
}

#[test]
fn home_shows_the_most_covered_terms_of_the_latest_year() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let home = site.out("index.html");
    let aside = &home[home
        .find("Most covered countries in 2018")
        .expect("latest year is 2018")..];
    assert!(
        aside.contains(" Iran</a> <span class=\"count\">2<"),
        "two 2018 briefs about Iran"
    );
    assert!(
        !aside[..aside.find("</aside>").unwrap_or(aside.len())].contains("Kurdistan Region"),
        "2017 only"
    );
}

/// The summary line says how big the output folder is (what static hosts
/// limit), and "nothing changed" repeats it.
#[test]
fn the_summary_says_how_big_the_output_is() {
    let site = TestSite::fixture();
    let stdout = |a: assert_cmd::assert::Assert| {
        String::from_utf8_lossy(&a.get_output().stdout).into_owned()
    };
    let built = stdout(site.build(&[]).success());
    let files: Vec<u64> = walkdir::WalkDir::new(site.root().join("output"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().expect("metadata").len())
        .collect();
    let size = format!(
        "pages, {} in {} files)",
        briefly::output_size_display(files.iter().sum()),
        files.len()
    );
    assert!(built.contains(&size), "{built} lacks {size}");
    let again = stdout(site.build(&[]).success());
    assert!(again.starts_with("nothing changed"), "{again}");
    assert!(again.contains(&size), "{again} lacks {size}");
}
