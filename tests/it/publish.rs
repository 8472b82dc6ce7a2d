//! Feeds, sitemap, metadata and citations of a built site, read back with
//! real parsers.

use std::collections::BTreeSet;

use crate::common::{TestSite, attr_values, snapshot_tree};

fn parse_feed(xml: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom")
}

#[test]
fn site_and_term_feeds_are_valid_atom_newest_first() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let feed = parse_feed(&site.out("feed.xml"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert_eq!(
        titles,
        [
            "Beta: protests spread",
            "Alpha: Rouhani calls Macron",
            "Delta: Erbil votes"
        ],
        "newest first, drafts left out"
    );
    let alpha = &feed.entries[1];
    assert_eq!(
        alpha.links[0].href,
        "https://example.org/briefs/briefs/alpha/"
    );
    assert_eq!(alpha.authors[0].name, "Dana Analyst");
    assert!(alpha.published.is_some() && alpha.updated.is_some());
    assert!(
        alpha
            .summary
            .as_ref()
            .is_some_and(|s| s.content.contains("Alpha first paragraph"))
    );
    assert!(
        alpha
            .content
            .as_ref()
            .and_then(|c| c.body.as_ref())
            .is_some_and(|b| b.contains("<h2 id=\"comment\">")),
        "full content"
    );
    let labels: Vec<_> = alpha
        .categories
        .iter()
        .filter_map(|c| c.label.clone())
        .collect();
    assert!(
        labels.contains(&"Iran".to_string()) && labels.contains(&"Hassan Rouhani".to_string()),
        "{labels:?}"
    );

    let iran = parse_feed(&site.out("countries/iran/feed.xml"));
    assert_eq!(iran.entries.len(), 2);
    assert!(iran.title.is_some_and(|t| t.content.contains("Iran")));
    assert_eq!(
        parse_feed(&site.out("actors/hassan-rouhani/feed.xml"))
            .entries
            .len(),
        2
    );
    assert_eq!(
        parse_feed(&site.out("authors/sam-writer/feed.xml"))
            .entries
            .len(),
        2
    );
}

/// Whether every entry of a feed carries a body.
fn entries_have_content(feed: &feed_rs::model::Feed) -> bool {
    feed.entries
        .iter()
        .all(|e| e.content.as_ref().and_then(|c| c.body.as_ref()).is_some())
}

#[test]
fn term_feeds_carry_summaries_unless_feed_content_is_full() {
    // See issue 12: 3,000 actor feeds with full bodies made 189 MB.
    let site = TestSite::fixture();
    site.build(&[]).success();
    assert!(entries_have_content(&parse_feed(&site.out("feed.xml"))));
    for term_feed in [
        "countries/iran/feed.xml",
        "actors/hassan-rouhani/feed.xml",
        "authors/sam-writer/feed.xml",
    ] {
        let feed = parse_feed(&site.out(term_feed));
        assert!(!feed.entries.is_empty());
        for e in &feed.entries {
            assert!(e.content.is_none(), "{term_feed}: no body by default");
            assert!(e.summary.is_some(), "{term_feed}: a summary");
        }
    }
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    site.write("site.yaml", &format!("{yaml}\nfeed_content: full\n"));
    site.build(&[]).success();
    assert!(entries_have_content(&parse_feed(
        &site.out("countries/iran/feed.xml")
    )));
    site.write("site.yaml", &format!("{yaml}\nfeed_content: everything\n"));
    let assert = site.build(&[]).failure();
    let err = crate::common::stderr(&assert);
    assert!(
        err.contains("site.yaml:") && err.contains("`feed_content: everything` is not a choice"),
        "{err}"
    );
}

#[test]
fn feeds_are_linked_from_page_heads() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let iran = site.out("countries/iran/index.html");
    assert!(iran.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Fixture Institute: Iran\" href=\"/briefs/countries/iran/feed.xml\">"));
    assert!(
        site.out("briefs/alpha/index.html")
            .contains("href=\"/briefs/feed.xml\""),
        "other pages advertise the site feed"
    );
}

#[test]
fn feed_entry_limit_comes_from_site_yaml() {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    site.write("site.yaml", &format!("{config}feed_entries: 1\n"));
    site.build(&[]).success();
    assert_eq!(parse_feed(&site.out("feed.xml")).entries.len(), 1);
}

#[test]
fn json_ld_describes_the_brief() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let page = site.out("briefs/alpha/index.html");
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").expect("end");
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).expect("JSON");
    assert_eq!(data["@type"], "AnalysisNewsArticle");
    assert_eq!(data["headline"], "Alpha: Rouhani calls Macron");
    assert_eq!(data["datePublished"], "2018-01-02");
    assert_eq!(data["dateModified"], "2018-01-03");
    assert_eq!(data["author"][0]["name"], "Dana Analyst");
    assert_eq!(data["publisher"]["name"], "Fixture Institute");
    let about: Vec<&str> = data["about"]
        .as_array()
        .expect("about")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(about, ["Iran", "United States", "France"]);
    let mentions: Vec<&str> = data["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        mentions,
        ["Hassan Rouhani", "Islamic Revolutionary Guard Corps"]
    );
}

#[test]
fn scholar_and_social_tags_and_citation_downloads() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let page = site.out("briefs/beta/index.html");
    for tag in [
        "<meta name=\"citation_title\" content=\"Beta: protests spread\">",
        "<meta name=\"citation_author\" content=\"Dana Analyst\">",
        "<meta name=\"citation_author\" content=\"Sam Writer\">",
        "<meta name=\"citation_publication_date\" content=\"2018/01/05\">",
        "<meta property=\"og:title\" content=\"Beta: protests spread\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<link rel=\"canonical\" href=\"https://example.org/briefs/briefs/beta/\">",
    ] {
        assert!(page.contains(tag), "missing {tag}");
    }
    // X takes the card's title and description from og:*: no copies.
    assert!(!page.contains("twitter:title") && !page.contains("twitter:description"));
    // The downloads are embedded in the page: a brief is one file.
    assert!(!site.root().join("output/briefs/beta/cite.bib").exists());
    let bib = data_link(&page, "application/x-bibtex");
    assert!(
        bib.starts_with("@misc{") && bib.contains("author = {Analyst, Dana and Writer, Sam}"),
        "{bib}"
    );
    let ris = data_link(&page, "application/x-research-info-systems");
    assert!(
        ris.starts_with("TY  - ")
            && ris.contains("AU  - Analyst, Dana\r\n")
            && ris.trim_end().ends_with("ER  -"),
        "{ris}"
    );
}

#[test]
fn sitemap_lists_exactly_the_pages() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let out = site.root().join("output");
    let sitemap = site.out("sitemap.xml");
    let listed: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .map(str::to_string)
        .collect();
    let pages: BTreeSet<String> = snapshot_tree(&out)
        .keys()
        // The search page is `noindex`: a query page, not content.
        .filter(|p| p.file_name().is_some_and(|n| n == "index.html") && !p.starts_with("search"))
        .map(|p| {
            format!(
                "https://example.org/briefs/{}",
                p.to_string_lossy().trim_end_matches("index.html")
            )
        })
        .collect();
    assert_eq!(listed, pages);
    assert!(
        sitemap.contains("<lastmod>2018-01-03</lastmod>"),
        "a brief's last update"
    );
    assert_eq!(
        site.out("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/briefs/sitemap.xml\n"
    );
}

#[test]
fn no_feeds_or_sitemap_without_an_absolute_base_url() {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    site.write(
        "site.yaml",
        &config.replace(
            "base_url: \"https://example.org/briefs/\"",
            "base_url: \"/\"",
        ),
    );
    site.build(&[]).success();
    assert!(!site.out_exists("feed.xml") && !site.out_exists("sitemap.xml"));
    assert!(
        attr_values(&site.out("index.html"), "href")
            .iter()
            .all(|h| !h.ends_with("feed.xml")),
        "no dead feed links"
    );
}

#[test]
fn feeds_setting_limits_which_feeds_are_written() {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    site.write("site.yaml", &format!("{config}feeds: site\n"));
    site.build(&[]).success();
    assert!(site.out_exists("feed.xml"));
    assert!(!site.out_exists("countries/iran/feed.xml"));
    assert!(
        site.out("countries/iran/index.html")
            .contains("href=\"/briefs/feed.xml\""),
        "pages fall back to the site feed"
    );
    site.write("site.yaml", &format!("{config}feeds: nope\n"));
    let assert = site.build(&[]).failure();
    assert!(crate::common::stderr(&assert).contains("`feeds: nope` is not a choice"));
}

#[test]
fn search_index_and_page_are_built_and_can_be_turned_off() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    assert!(
        site.out_exists("pagefind/pagefind.js") && site.out_exists("pagefind/pagefind-entry.json")
    );
    assert!(site.out("search/index.html").contains("noindex"));
    assert!(
        site.out("index.html").contains("href=\"/briefs/search/\""),
        "nav links the search page"
    );
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    site.write("site.yaml", &format!("{config}search: false\n"));
    site.build(&[]).success();
    assert!(!site.out_exists("pagefind/pagefind.js") && !site.out_exists("search/index.html"));
    assert!(
        !site.out("index.html").contains("/search/"),
        "no link to a missing page"
    );
}

/// The decoded text of the page's `data:` link of this MIME type, checking
/// that the link offers a download with the right extension.
fn data_link(page: &str, mime: &str) -> String {
    let prefix = format!("href=\"data:{mime};charset=utf-8,");
    let start = page
        .find(&prefix)
        .unwrap_or_else(|| panic!("no {mime} link"))
        + prefix.len();
    let end = start + page[start..].find('"').expect("end of href");
    let tail = &page[end..end + 80];
    let ext = if mime.ends_with("bibtex") {
        ".bib\""
    } else {
        ".ris\""
    };
    assert!(tail.contains("download=\"") && tail.contains(ext), "{tail}");
    percent_encoding::percent_decode_str(&page[start..end])
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}
