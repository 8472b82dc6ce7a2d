//! What readers notice in the default theme: footnotes with a heading and
//! links back, separated citation and footnote markers, search text that
//! starts with the brief rather than its byline and tags, and flags as SVG
//! files (only those of the countries the site names).

use std::io::Read;

use crate::common::TestSite;

const NOTED: &str = "---
title: \"Noted brief\"
date: 2018-03-01
authors: [\"Dana Analyst\"]
countries: [\"Iran\"]
sources:
  - id: fars
    title: \"A report\"
    url: \"https://example.org/report\"
---
The minister said \"no\"[@fars][^1] and later[^1] again.

[^1]: A note with *emphasis*.
";

#[test]
fn footnotes_have_a_heading_and_links_back_and_markers_do_not_run_together() {
    let site = TestSite::fixture();
    site.write("content/briefs/noted.md", NOTED);
    site.build(&[]).success();
    let page = site.out("briefs/noted/index.html");
    assert!(
        page.contains(r#"id="footnotes-heading">Notes</h2>"#),
        "{page}"
    );
    assert!(page.contains(r##"<a href="#fn-1" id="fnref-1-1" role="doc-noteref">1</a>"##));
    assert!(page.contains(r##"class="footnote-backref" href="#fnref-1-1""##));
    assert!(page.contains(r##"class="footnote-backref" href="#fnref-1-2""##));
    assert!(
        page.contains(r#"[1]</a></sup><sup class="marker-sep" aria-hidden="true">"#),
        "a separator between the citation and the footnote marker"
    );
    // Every anchor the notes use exists: check finds no broken link.
    site.cmd().arg("check").assert().success();
}

/// The text Pagefind keeps for a brief page (its fragment, gzip + JSON).
fn search_fragment(site: &TestSite, slug: &str) -> serde_json::Value {
    let dir = site.root().join("output/pagefind/fragment");
    for entry in std::fs::read_dir(&dir).expect("fragments") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut text)
            .expect("gzip");
        let json = text.strip_prefix(b"pagefind_dcd").unwrap_or(&text);
        let value: serde_json::Value = serde_json::from_slice(json).expect("JSON");
        if value["url"].as_str().is_some_and(|u| u.contains(slug)) {
            return value;
        }
    }
    panic!("no fragment for {slug}");
}

#[test]
fn search_text_starts_with_the_brief_not_the_byline_and_tags() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let fragment = search_fragment(&site, "/briefs/alpha/");
    let content = fragment["content"].as_str().expect("content");
    assert!(
        content.starts_with("Alpha: Rouhani calls Macron. Alpha first paragraph"),
        "title then body: {content}"
    );
    // Names and tags stay searchable, after the text.
    for name in [
        "Dana Analyst",
        "France",
        "Islamic Revolutionary Guard Corps",
    ] {
        let at = content
            .find(name)
            .unwrap_or_else(|| panic!("{name} in {content}"));
        assert!(
            at > content.find("More text").expect("body"),
            "{name} after the body"
        );
    }
    // No flag became the result's image.
    assert!(fragment["meta"].get("image").is_none(), "{fragment}");
}

#[test]
fn flags_are_svg_files_of_the_countries_in_use_only() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/draft-japan.md",
        "---\ntitle: A draft on Japan\ndate: 2018-03-01\ncountries: [Japan]\ndraft: true\n---\nBody.\n",
    );
    site.build(&[]).success();
    let mut flags: Vec<String> = std::fs::read_dir(site.root().join("output/flags"))
        .expect("flags folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    flags.sort();
    // Iran, the US, France, Ivory Coast and Iraq; the Kurdistan Region is a
    // place of site.yaml (no flag), Japan only in a draft.
    assert_eq!(flags, ["ci.svg", "fr.svg", "iq.svg", "ir.svg", "us.svg"]);
    let svg = site.out("flags/ir.svg");
    assert!(svg.starts_with("<svg"), "the flag-icons file");
    let page = site.out("briefs/alpha/index.html");
    assert!(
        page.contains(
            r#"<img class="flag" src="/briefs/flags/ir.svg" alt="" width="20" height="15""#
        ),
        "{page}"
    );
    assert!(!page.contains('\u{1F1EE}'), "no regional-indicator emoji");
    assert!(
        site.out("countries/iran/index.html")
            .contains("flag--large")
    );
    site.build(&["--drafts"]).success();
    assert!(site.out_exists("flags/jp.svg"));
}
