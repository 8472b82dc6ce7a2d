//! The defaults that keep a large archive's output small: first pages of
//! term listings with `page_size` cards, feeds with `feed_entries` entries.

use crate::archive_pages::{cards_and_rows, site_of};

/// Every kind of term listing (and a year) with 11 briefs: 10 full cards on
/// the first page by default (Hugo's and WordPress's page size), the 11th
/// a row on page 2; the home page keeps `home_briefs` (20).
#[test]
fn first_pages_of_term_listings_show_10_cards_by_default() {
    let site = site_of(11, "");
    site.build(&[]).success();
    for dir in [
        "briefs/2020/",
        "countries/egypt/",
        "countries/egypt/iran/",
        "actors/rouhani/",
        "authors/dana-analyst/",
        "topics/energy/",
        "sources/example-press/",
    ] {
        assert_eq!(
            cards_and_rows(&site.out(&format!("{dir}index.html"))),
            (10, 0),
            "/{dir}"
        );
        assert_eq!(
            cards_and_rows(&site.out(&format!("{dir}page/2/index.html"))),
            (0, 1),
            "/{dir}page/2/"
        );
    }
    assert_eq!(cards_and_rows(&site.out("index.html")), (11, 0), "home");
    assert!(!site.out_exists("page/2/index.html"));
}

/// Every feed (the site's and each term's) holds the 10 newest briefs of
/// 11 by default, as WordPress's feeds do: a reader polls, it does not
/// page through an archive.
#[test]
fn feeds_hold_10_entries_by_default() {
    let site = site_of(11, "");
    site.build(&[]).success();
    for feed in [
        "feed.xml",
        "countries/egypt/feed.xml",
        "actors/rouhani/feed.xml",
        "authors/dana-analyst/feed.xml",
        "topics/energy/feed.xml",
    ] {
        let xml = site.out(feed);
        let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom");
        assert_eq!(parsed.entries.len(), 10, "{feed}");
        // The newest ten: Brief 0 to Brief 9, not the oldest, Brief 10.
        assert!(
            xml.contains(">Brief 0<") && !xml.contains(">Brief 10<"),
            "{feed}"
        );
    }
}

/// Brief pages are published without the templates' indentation (about
/// 500 bytes a page): no line of a brief page starts with a space or a tab
/// (the fixture's bodies have no `<pre>`, the one place it would matter).
#[test]
fn brief_pages_carry_no_indentation() {
    let site = crate::common::TestSite::fixture();
    site.build(&[]).success();
    for brief in ["alpha", "beta", "delta"] {
        let page = site.out(&format!("briefs/{brief}/index.html"));
        assert!(!page.contains("<pre"), "{brief}");
        let indented: Vec<&str> = (page.lines())
            .filter(|l| l.starts_with([' ', '\t']))
            .collect();
        assert!(indented.is_empty(), "{brief}: {indented:#?}");
    }
}
