//! The compact archive: the first page of every brief listing keeps full
//! cards; its later pages list `archive_per_page` briefs as one-line rows.

use crate::common::{TestSite, stderr};

/// A site of `n` briefs, all about Egypt and Iran, by one author, naming
/// one actor, under one topic and citing one publisher: every listing kind
/// holds all of them. Brief 0 is the newest.
pub(crate) fn site_of(n: usize, paging: &str) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        &format!("title: T\nbase_url: \"https://example.org/\"\nsearch: false\n{paging}"),
    );
    for i in 0..n {
        site.write(
            &format!("content/briefs/b{i}.md"),
            &format!(
                "---\ntitle: \"Brief {i}\"\ndate: 2020-01-{:02}\nauthors: [\"Dana Analyst\"]\n\
                 countries: [Egypt, Iran]\nactors: [Rouhani]\ntopics: [Energy]\nsources:\n  \
                 - title: \"Item {i}\"\n    publisher: \"Example Press\"\n    url: \"https://example.org/{i}\"\n---\n\
                 Body of brief {i}.\n",
                28 - i
            ),
        );
    }
    site
}

/// The full cards and the rows of a page.
pub(crate) fn cards_and_rows(html: &str) -> (usize, usize) {
    let rows = html
        .split("brief-list--compact\">")
        .skip(1)
        .map(|list| {
            list.split("</ul>")
                .next()
                .unwrap_or("")
                .matches("<li")
                .count()
        })
        .sum();
    (html.matches("<li class=\"card").count(), rows)
}

#[test]
fn later_pages_of_every_listing_are_rows_of_archive_per_page() {
    let site = site_of(7, "home_briefs: 2\npage_size: 2\narchive_per_page: 3\n");
    site.build(&[]).success();
    for dir in [
        "",
        "briefs/2020/",
        "countries/egypt/",
        "countries/egypt/iran/",
        "actors/rouhani/",
        "authors/dana-analyst/",
        "topics/energy/",
        "sources/example-press/",
    ] {
        let page = |n: usize| match n {
            1 => site.out(&format!("{dir}index.html")),
            n => site.out(&format!("{dir}page/{n}/index.html")),
        };
        // 7 briefs: 2 cards, then rows of 3 and 2.
        assert_eq!(cards_and_rows(&page(1)), (2, 0), "/{dir}");
        assert_eq!(cards_and_rows(&page(2)), (0, 3), "/{dir}page/2/");
        assert_eq!(cards_and_rows(&page(3)), (0, 2), "/{dir}page/3/");
        assert!(
            !site.out_exists(&format!("{dir}page/4/index.html")),
            "/{dir}"
        );
        // Rows carry the date and the title link, newest first across pages.
        let second = page(2);
        let titles: Vec<&str> = ["Brief 2", "Brief 3", "Brief 4"]
            .into_iter()
            .filter(|t| second.contains(&format!(" dir=\"auto\">{t}</a>")))
            .collect();
        assert_eq!(titles.len(), 3, "/{dir}page/2/: {second}");
        assert!(
            second.contains("<time datetime=\"2020-01-26\">"),
            "{second}"
        );
        assert!(page(3).contains(">Brief 6</a>"));
    }
}

#[test]
fn pagination_links_and_page_count_follow_the_two_page_sizes() {
    let site = site_of(7, "page_size: 2\narchive_per_page: 3\n");
    site.build(&[]).success();
    let base = "/countries/egypt/";
    let page = |n: usize| match n {
        1 => site.out("countries/egypt/index.html"),
        n => site.out(&format!("countries/egypt/page/{n}/index.html")),
    };
    let (first, second, third) = (page(1), page(2), page(3));
    assert!(first.contains(&format!("<link rel=\"next\" href=\"{base}page/2/\">")));
    assert!(!first.contains("rel=\"prev\""));
    assert!(
        first.contains(&format!("<a href=\"{base}page/3/\">Last</a>")),
        "{first}"
    );
    assert!(first.contains("Page 1 of 3"));
    assert!(second.contains(&format!("<link rel=\"prev\" href=\"{base}\">")));
    assert!(second.contains(&format!("<link rel=\"next\" href=\"{base}page/3/\">")));
    assert!(second.contains("Page 2 of 3"));
    assert!(third.contains(&format!("<link rel=\"prev\" href=\"{base}page/2/\">")));
    assert!(!third.contains("rel=\"next\""));
    assert!(
        third.contains(&format!("<a href=\"{base}\">First</a>")),
        "{third}"
    );
    assert!(third.contains("Page 3 of 3"));
    // A listing that fits its first page has no later page and no links.
    let short = site_of(2, "page_size: 2\narchive_per_page: 3\n");
    short.build(&[]).success();
    assert!(!short.out_exists("countries/egypt/page/2/index.html"));
    assert!(
        !short
            .out("countries/egypt/index.html")
            .contains("rel=\"next\"")
    );
    // One brief more than the first page makes a second page of one row.
    let one_more = site_of(3, "page_size: 2\narchive_per_page: 3\n");
    one_more.build(&[]).success();
    let last = one_more.out("countries/egypt/page/2/index.html");
    assert_eq!(cards_and_rows(&last), (0, 1));
    assert!(!one_more.out_exists("countries/egypt/page/3/index.html"));
}

#[test]
fn a_row_in_another_language_carries_its_lang_and_dir() {
    let site = site_of(3, "page_size: 2\narchive_per_page: 3\n");
    // The oldest brief, so it lands on page 2.
    site.write(
        "content/briefs/ar.md",
        "---\ntitle: \"عينة: الاتفاق النووي\"\ndate: 2019-05-01\nlang: ar\ncountries: [Egypt]\n---\nنص تجريبي.\n",
    );
    site.build(&[]).success();
    let second = site.out("countries/egypt/page/2/index.html");
    assert!(
        second.contains("<li lang=\"ar\" dir=\"rtl\"><bdi><time datetime=\"2019-05-01\">"),
        "{second}"
    );
    // Its title link takes the row's direction; a title in the page's
    // language gets dir="auto" for titles in other scripts.
    assert!(second.contains(">عينة: الاتفاق النووي</a></li>"), "{second}");
    assert!(second.contains("dir=\"auto\">Brief 2</a>"));
}

#[test]
fn a_bad_archive_per_page_is_an_error_at_its_line() {
    for (value, message) in [("0", "at least 1"), ("many", "")] {
        let site = site_of(1, &format!("archive_per_page: {value}\n"));
        let err = stderr(&site.build(&[]).failure().code(1));
        let line = err
            .lines()
            .find(|l| l.starts_with("site.yaml:4:19: error: "))
            .unwrap_or_else(|| panic!("no diagnostic at 4:19 for {value} in:\n{err}"));
        assert!(line.contains(message), "{err}");
        assert!(!site.out_exists("index.html"));
    }
}
