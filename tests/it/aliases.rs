//! `aliases:`: old URLs kept alive by redirect pages and `_redirects`.

use crate::common::TestSite;

fn site_with(briefs: &[(&str, &str)]) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/briefs/\"\nsearch: false\n",
    );
    for (name, text) in briefs {
        site.write(&format!("content/briefs/{name}"), text);
    }
    site
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn every_alias_gets_a_redirect_page_and_a_redirects_line_but_no_sitemap_entry() {
    let site = site_with(&[(
        "moved.md",
        "---\ntitle: Moved\ndate: 2019-05-20\naliases:\n  - /2019/05/20/old-post/\n  - https://old.example.org/news/item.html\n  - /%D8%B3%D9%84%D8%A7%D9%85/\n---\nBody.\n",
    )]);
    site.build(&[]).success();
    let page = site.out("2019/05/20/old-post/index.html");
    assert!(
        page.contains(r#"<meta http-equiv="refresh" content="0; url=/briefs/briefs/moved/">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<link rel="canonical" href="https://example.org/briefs/briefs/moved/">"#)
    );
    assert!(site.out_exists("news/item.html"));
    assert!(site.out_exists("سلام/index.html"));
    let redirects = site.out("_redirects");
    assert!(
        redirects.contains("/briefs/2019/05/20/old-post/ /briefs/briefs/moved/ 301"),
        "{redirects}"
    );
    assert!(redirects.contains("/briefs/news/item.html /briefs/briefs/moved/ 301"));
    assert!(redirects.contains("/briefs/%D8%B3%D9%84%D8%A7%D9%85/ /briefs/briefs/moved/ 301"));
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("/briefs/moved/"));
    assert!(!sitemap.contains("old-post"), "{sitemap}");
}

#[test]
fn a_site_without_aliases_has_no_redirects_file() {
    let site = site_with(&[("a.md", "---\ntitle: A\ndate: 2019-05-20\n---\nBody.\n")]);
    site.build(&[]).success();
    assert!(!site.out_exists("_redirects"));
}

#[test]
fn aliases_that_collide_with_a_page_or_each_other_are_errors_at_their_line() {
    let site = site_with(&[
        (
            "a.md",
            "---\ntitle: A\ndate: 2019-05-20\naliases: [/old/x/, /countries/]\n---\nBody.\n",
        ),
        (
            "b.md",
            "---\ntitle: B\ndate: 2019-05-21\naliases:\n  - /old/x\n---\nBody.\n",
        ),
    ]);
    let out = site.build(&[]).failure();
    let err = stderr(&out);
    assert!(err.contains("content/briefs/a.md:4:"), "{err}");
    assert!(
        err.contains("alias `/countries/` is the URL of a page of the site"),
        "{err}"
    );
    assert!(err.contains("content/briefs/b.md:5:5: error: alias `/old/x` is the URL of an alias of `content/briefs/a.md`"), "{err}");
    assert!(!site.out_exists("index.html"));
}

#[test]
fn aliases_that_are_no_plain_path_are_errors_with_a_hint() {
    let site = site_with(&[(
        "a.md",
        "---\ntitle: A\ndate: 2019-05-20\naliases: [\"/a/../b/\", \"/?p=12\", \"/\"]\n---\nBody.\n",
    )]);
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("alias `/a/../b/` is not a plain path"),
        "{err}"
    );
    assert!(err.contains("alias `/?p=12` has a query"), "{err}");
    assert!(err.contains("alias `/` is the site's home page"), "{err}");
    assert!(err.contains("hint: write the old URL's path"), "{err}");
}
