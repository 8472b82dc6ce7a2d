//! `briefly check` finds each class of problem in a broken fixture and
//! writes nothing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::TestSite;

fn check(site: &TestSite, args: &[&str]) -> (bool, String) {
    let output = site
        .cmd()
        .arg("check")
        .args(args)
        .output()
        .expect("run check");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn a_clean_site_passes_and_nothing_is_written() {
    let site = TestSite::fixture();
    let (ok, text) = check(&site, &[]);
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
    let (ok, text) = check(&site, &[]);
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
    let (ok, text) = check(&site, &[]);
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
    let (ok, text) = check(&site, &[]);
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
    let (ok, text) = check(&site, &[]);
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
    let (ok, text) = check(&site, &[]);
    assert!(
        ok && hits.load(Ordering::SeqCst) == 0,
        "no fetching without --external: {text}"
    );
    let (ok, text) = check(&site, &["--external"]);
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
    let (ok, _) = check(&site, &["--external"]);
    assert!(!ok);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}
