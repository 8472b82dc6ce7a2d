//! `topics:`: the optional third taxonomy (index, pages, feeds, search facet).

use crate::common::TestSite;

fn site_with(briefs: &[(&str, &str)], search: bool) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        &format!("title: T\nbase_url: \"https://example.org/\"\nsearch: {search}\n"),
    );
    for (name, text) in briefs {
        site.write(&format!("content/briefs/{name}"), text);
    }
    site
}

#[test]
fn topics_get_an_index_pages_feeds_links_and_a_search_facet() {
    let site = site_with(
        &[
            (
                "a.md",
                "---\ntitle: Grid deal\ndate: 2020-01-02\ntopics: [Energy, Security]\n---\nBody.\n",
            ),
            (
                "b.md",
                "---\ntitle: Pipeline\ndate: 2020-02-03\ntopics: energy\n---\nBody.\n",
            ),
            (
                "c.md",
                "---\ntitle: No topic\ndate: 2020-03-04\n---\nBody.\n",
            ),
        ],
        true,
    );
    site.build(&[]).success();
    let index = site.out("topics/index.html");
    assert!(
        index.contains(r#"<a href="/topics/energy/" dir="auto">Energy</a> <span class="count">2"#),
        "{index}"
    );
    assert!(index.contains(r#"href="/topics/security/""#));
    let energy = site.out("topics/energy/index.html");
    assert!(
        energy.contains("Grid deal") && energy.contains("Pipeline") && !energy.contains("No topic")
    );
    let feed = site.out("topics/energy/feed.xml");
    assert!(feed.contains("<title>T: Energy</title>"), "{feed}");
    let brief = site.out("briefs/a/index.html");
    let filters = site.search_filters("/briefs/a/");
    assert!(
        filters["topic"]
            .as_array()
            .is_some_and(|t| t.contains(&"Energy".into())),
        "{filters}"
    );
    assert!(brief.contains(r#"<a class="tag" href="/topics/security/">Security</a>"#));
    assert!(
        brief.contains(r#"href="/topics/""#),
        "nav links the topics page"
    );
    assert!(
        site.out("search/index.html")
            .contains(r#"data-facet="topic""#)
    );
    assert!(
        site.out("sitemap.xml")
            .contains("https://example.org/topics/energy/")
    );
}

#[test]
fn a_site_without_topics_has_no_topic_pages_or_link() {
    let site = site_with(
        &[("a.md", "---\ntitle: A\ndate: 2020-01-02\n---\nBody.\n")],
        false,
    );
    site.build(&[]).success();
    assert!(!site.out_exists("topics/index.html"));
    assert!(!site.out("index.html").contains("/topics/"));
}
