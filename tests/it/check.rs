//! `briefly check` finds each class of problem in a broken fixture and
//! writes nothing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::TestSite;

#[test]
fn a_clean_site_passes_and_nothing_is_written() {
    let site = TestSite::fixture();
    let (ok, text) = site.check(&[]);
    assert!(ok, "{text}");
    assert!(text.contains("no errors"), "{text}");
    assert!(!site.root().join("output").exists(), "check writes nothing");
}

#[test]
fn broken_links_and_anchors_in_briefs_are_located_in_the_brief() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/links.md",
        "---\ntitle: \"Links\"\ndate: 2019-01-01\ncountries: [Iran]\n---\nSee [beta](../beta/) and [alpha's comment](../alpha/#comment).\n\nBut [this](../no-such-brief/) is gone,\n[that](#no-such-section) too, and [Iran](/briefs/countries/iran/#nope).\n",
    );
    let (ok, text) = site.check(&[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains(
            "content/briefs/links.md:8:12: error: link `../no-such-brief/` points to no page"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "content/briefs/links.md:9:8: error: link `#no-such-section` points to no anchor"
        ),
        "{text}"
    );
    assert!(
        text.contains("link `/briefs/countries/iran/#nope` points to no anchor"),
        "{text}"
    );
    assert!(
        !text.contains("`../beta/`") && !text.contains("alpha/#comment"),
        "good links pass: {text}"
    );
}

#[test]
fn broken_template_links_are_reported_once() {
    let site = TestSite::fixture();
    site.write(
        "templates/author.html",
        "{% extends \"base.html\" %}\n{% block content %}<a href=\"{{ site.base_path }}nowhere/\">x</a>{% endblock content %}\n",
    );
    let (ok, text) = site.check(&[]);
    assert!(!ok);
    assert_eq!(
        text.matches("link `/briefs/nowhere/` points to no page")
            .count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("comes from a template (it is on 2 pages)"),
        "{text}"
    );
}

#[test]
fn warnings_do_not_fail_the_check() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/warn.md",
        "---\ntitle: \"Warnings\"\ndate: 2019-01-01\nactors: [\"Hasan Rouhani\"]\nsources:\n  - title: \"A report without a link\"\n---\nBody.\n",
    );
    let (ok, text) = site.check(&[]);
    assert!(ok, "warnings only: {text}");
    assert!(
        text.contains("content/briefs/warn.md:1:1: warning: the brief names no country"),
        "{text}"
    );
    assert!(
        text.contains(
            "content/briefs/warn.md:6:5: warning: source `A report without a link` has no URL"
        ),
        "{text}"
    );
    assert!(text.contains("content/briefs/warn.md:4:10: warning: actor `Hasan Rouhani` looks like `Hassan Rouhani`"), "{text}");
    assert!(
        text.contains("aliases:` in content/actors/hassan-rouhani.md"),
        "{text}"
    );
    assert!(text.contains("check: no errors, 4 warning(s)"), "{text}");
}

#[test]
fn front_matter_errors_are_reported_like_build() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/bad.md",
        "---\ntitle: x\ndate: 2019-13-01\n---\n",
    );
    let (ok, text) = site.check(&[]);
    assert!(!ok);
    assert!(text.contains("content/briefs/bad.md:3:7: error:"), "{text}");
}

/// A tiny HTTP server: `/ok` answers 200, everything else 404; counts requests.
fn link_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let status = if request.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (base, hits)
}

#[test]
fn external_links_are_fetched_and_cached() {
    let site = TestSite::fixture();
    let (base, hits) = link_server();
    site.write(
        "content/briefs/ext.md",
        &format!("---\ntitle: \"External\"\ndate: 2019-01-01\ncountries: [Iran]\nsources:\n  - title: \"Live\"\n    url: \"{base}/ok\"\n  - title: \"Dead\"\n    url: \"{base}/gone\"\n---\nBody.\n"),
    );
    let (ok, text) = site.check(&[]);
    assert!(
        ok && hits.load(Ordering::SeqCst) == 0,
        "no fetching without --external: {text}"
    );
    let (ok, text) = site.check(&["--external"]);
    assert!(!ok, "a 404 is an error: {text}");
    assert!(
        text.contains(&format!("external link {base}/gone answers HTTP 404")),
        "{text}"
    );
    assert!(!text.contains(&format!("{base}/ok ")), "{text}");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert!(
        site.root()
            .join(".briefly-cache/external-links.json")
            .is_file()
    );
    // Second run: the good link comes from the cache, the broken one is asked again.
    let (ok, _) = site.check(&["--external"]);
    assert!(!ok);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

/// Issue 11: what check reads as a link, and where it says the link is.
#[test]
fn each_broken_link_is_reported_at_its_own_line_and_column() {
    let site = TestSite::fixture();
    let mut body = String::new();
    for i in 0..3 {
        body.push_str(&format!("Line {i}: [gone](../gone/).\n\n"));
    }
    site.write(
        "content/briefs/many.md",
        &format!("---\ntitle: \"Many\"\ndate: 2019-01-01\ncountries: [Iran]\n---\n{body}"),
    );
    let (ok, text) = site.check(&[]);
    assert!(!ok, "{text}");
    for line in [6, 8, 10] {
        assert!(
            text.contains(&format!(
                "content/briefs/many.md:{line}:16: error: link `../gone/` points to no page"
            )),
            "{text}"
        );
    }
    assert!(
        !text.contains("output/"),
        "body links are located in the brief: {text}"
    );
}

#[test]
fn only_real_tags_are_links_and_raw_html_anchors_count() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/html.md",
        concat!(
            "---\ntitle: \"Html\"\ndate: 2019-01-01\ncountries: [Iran]\n---\n",
            "{{< figure src=\"missing.png\" >}} is shortcode text, `<a href=\"../code/\">` is code.\n\n",
            "```html\n<a href=\"../block/\">x</a>\n```\n\n",
            "<a name=\"old-anchor\"></a>\n\n<div id=\"box\">A box</div>\n\n",
            "Jump to [old](#old-anchor) and [box](#box), not [nothing](#nothing).\n\n",
            "Protocol-relative links are external: <script src=\"//cdn.example.com/x.js\"></script> ",
            "and [this](//other.example.org/page/).\n"
        ),
    );
    let (ok, text) = site.check(&[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("content/briefs/html.md:16:59: error: link `#nothing` points to no anchor"),
        "{text}"
    );
    for not_a_link in [
        "missing.png",
        "../code/",
        "../block/",
        "#old-anchor",
        "#box",
        "cdn.example.com",
        "other.example.org",
    ] {
        assert!(!text.contains(not_a_link), "`{not_a_link}` is fine: {text}");
    }
    assert!(text.contains("check: 1 error(s)"), "{text}");
}

#[test]
fn template_links_point_at_the_generated_line() {
    let site = TestSite::fixture();
    site.write(
        "templates/author.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<a href=\"{{ site.base_path }}nowhere/\">x</a>{% endblock content %}\n",
    );
    let (_, text) = site.check(&[]);
    let line = text
        .lines()
        .find(|l| l.contains("`/briefs/nowhere/` points to no page"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.starts_with("output/authors/"), "{line}");
    assert!(!line.contains(":0:0:"), "a real line and column: {line}");
}

#[test]
fn base_url_is_as_in_build_and_hints_know_the_base_path() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/root.md",
        "---\ntitle: \"Root\"\ndate: 2019-01-01\ncountries: [Iran]\n---\nSee <a href=\"/countries/iran/\">Iran</a>.\n",
    );
    // site.yaml deploys under /briefs/: the link misses it. (Markdown links
    // get the base path when rendered; a link in raw HTML is kept as written.)
    let (ok, text) = site.check(&[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("content/briefs/root.md:6:14: error: link `/countries/iran/` leaves the site (it is not under /briefs/)"),
        "{text}"
    );
    assert!(
        text.contains(
            "hint: this link lacks the base path /briefs/; write it as `/briefs/countries/iran/`"
        ),
        "{text}"
    );
    // Deployed at the root, the same link is right.
    let (ok, text) = site.check(&["--base-url", "https://example.org/"]);
    assert!(ok, "{text}");
    let (ok, text) = site.check(&["--base-url", "not a url"]);
    assert!(!ok && text.contains("base"), "{text}");
}

#[test]
fn external_link_reports_point_at_the_brief() {
    let site = TestSite::fixture();
    let (base, _) = link_server();
    site.write(
        "content/briefs/ext.md",
        &format!("---\ntitle: \"External\"\ndate: 2019-01-01\ncountries: [Iran]\n---\nFirst line.\n\nA [dead link]({base}/gone) here.\n"),
    );
    let (ok, text) = site.check(&["--external"]);
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!(
            "content/briefs/ext.md:8:15: error: external link {base}/gone answers HTTP 404"
        )),
        "{text}"
    );
}

/// Issue 11: near-duplicate actors beyond one-letter spellings; the
/// registry entry is the name to keep.
#[test]
fn near_duplicate_actors_are_found_and_the_registry_name_is_kept() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/names.md",
        concat!(
            "---\ntitle: \"Names\"\ndate: 2019-01-01\ncountries: [Iran]\n",
            "actors: [\"I.R.G.C.\", \"Macron\", \"Emmanuel Macron\", \"Muhammad Khatami\", \"Mohammed Khatami\",",
            " \"حسن روحاني\", \"حسن روحانی\", \"AEOI\", \"Atomic Energy Organization of Iran\",",
            " \"Hossein Rouhani\", \"Ali Larijani\", \"Sadegh Larijani\", \"Revolutionary Guards\"]\n---\nBody.\n"
        ),
    );
    let (ok, text) = site.check(&[]);
    assert!(ok, "warnings only: {text}");
    let warns = |odd: &str, kept: &str| {
        text.contains(&format!("warning: actor `{odd}` looks like `{kept}`"))
    };
    assert!(
        warns("I.R.G.C.", "Islamic Revolutionary Guard Corps"),
        "{text}"
    );
    assert!(
        text.contains("list `I.R.G.C.` under `aliases:` in content/actors/irgc.md"),
        "{text}"
    );
    assert!(warns("Macron", "Emmanuel Macron"), "{text}");
    assert!(
        warns("Muhammad Khatami", "Mohammed Khatami")
            || warns("Mohammed Khatami", "Muhammad Khatami"),
        "{text}"
    );
    assert!(
        warns("حسن روحاني", "حسن روحانی") || warns("حسن روحانی", "حسن روحاني"),
        "{text}"
    );
    assert!(
        warns("AEOI", "Atomic Energy Organization of Iran"),
        "{text}"
    );
    // Different people, and names the registry already joins, are not pairs.
    for fine in [
        "`Hossein Rouhani` looks",
        "looks like `Hossein Rouhani`",
        "`Ali Larijani` looks",
        "`Sadegh Larijani` looks",
        "`Revolutionary Guards` looks",
    ] {
        assert!(!text.contains(fine), "{fine}: {text}");
    }
    assert_eq!(text.matches("looks like").count(), 5, "{text}");
}
