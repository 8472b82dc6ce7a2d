//! Links and images in brief bodies (issue 11): sub-path deploys, links to
//! brief files, brief folders with their images, raw HTML and leftovers of
//! other generators. See: issue 11, "Links and images in briefs".

use std::fs;

use crate::common::{TestSite, assert_local_links_resolve, stderr};

/// A 40x30 PNG (the smallest valid header imagesize reads).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

/// The fixture plus a brief folder with an image, a static image and a
/// brief that links to other briefs by file.
fn site_with_links() -> TestSite {
    let site = TestSite::fixture();
    let root = site.root();
    fs::create_dir_all(root.join("content/briefs/red-sea/img")).expect("mkdir");
    fs::write(root.join("content/briefs/red-sea/chart.png"), png(40, 30)).expect("png");
    fs::write(
        root.join("content/briefs/red-sea/img/map.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 150\"></svg>",
    )
    .expect("svg");
    fs::create_dir_all(root.join("static/img")).expect("mkdir");
    fs::write(root.join("static/img/logo.png"), png(8, 6)).expect("png");
    site.write(
        "content/briefs/red-sea/index.md",
        "---\ntitle: \"Red Sea\"\ndate: 2024-01-01\ncountries: [Yemen]\n---\n\
         ![Chart](chart.png) ![Map](img/map.svg) ![Logo](/img/logo.png)\n\n\
         See [alpha](../alpha.md#context), [beta](@/briefs/beta.md), [Iran](/countries/iran/) \
         and [home](/briefs/) and [out](https://example.net/).\n",
    );
    site
}

#[test]
fn sub_path_build_resolves_every_href_and_src_of_briefs_links_and_images() {
    let site = site_with_links();
    site.build(&["--base-url", "https://org.github.io/briefs/"])
        .success();
    let page = site.out("briefs/red-sea/index.html");
    assert!(
        page.contains("<a href=\"/briefs/briefs/alpha/#context\">alpha</a>"),
        "{page}"
    );
    assert!(page.contains("<a href=\"/briefs/briefs/beta/\">beta</a>"));
    assert!(page.contains("<a href=\"/briefs/countries/iran/\">Iran</a>"));
    assert!(
        page.contains("<a href=\"/briefs/\">home</a>"),
        "base path not doubled"
    );
    assert!(page.contains("<img src=\"/briefs/briefs/red-sea/chart.png\" alt=\"Chart\" width=\"40\" height=\"30\" />"), "{page}");
    assert!(page.contains("<img src=\"/briefs/briefs/red-sea/img/map.svg\" alt=\"Map\" width=\"300\" height=\"150\" loading=\"lazy\" />"));
    assert!(page.contains("<img src=\"/briefs/img/logo.png\" alt=\"Logo\" width=\"8\" height=\"6\" loading=\"lazy\" />"));
    // The body is rendered once: feeds carry the same URLs.
    assert!(
        site.out("feed.xml")
            .contains("/briefs/briefs/red-sea/chart.png")
    );
    let checked = assert_local_links_resolve(&site.root().join("output"), "/briefs/");
    assert!(checked > 50, "only {checked} links checked");
    // `check` agrees: the images beside a folder brief are published files.
    let assert = site
        .cmd()
        .args(["check", "--base-url", "https://org.github.io/briefs/"])
        .assert();
    let said = stderr(&assert);
    assert!(
        !said.contains("chart.png") && !said.contains("map.svg"),
        "{said}"
    );
}

#[test]
fn root_build_leaves_root_relative_links_as_written() {
    let site = site_with_links();
    site.build(&["--base-url", "https://example.org/"])
        .success();
    let page = site.out("briefs/red-sea/index.html");
    assert!(page.contains("<a href=\"/countries/iran/\">Iran</a>"));
    assert!(page.contains("<a href=\"/briefs/alpha/#context\">alpha</a>"));
    assert!(
        site.out_exists("briefs/red-sea/chart.png")
            && site.out_exists("briefs/red-sea/img/map.svg")
    );
}

#[test]
fn broken_brief_links_and_missing_images_are_errors_at_their_place() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/bad.md",
        "---\ntitle: \"Bad\"\ndate: 2024-01-02\n---\nSee [x](alpah.md).\n\n![m](missing.png) ![n](/img/nope.png)\n",
    );
    site.write("content/briefs/flat.png", "not really");
    site.write(
        "content/briefs/flat.md",
        "---\ntitle: \"Flat\"\ndate: 2024-01-02\n---\n![f](flat.png)\n",
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("content/briefs/bad.md:5:5: error: link `alpah.md` points to no brief"),
        "{err}"
    );
    assert!(err.contains("did you mean `briefs/alpha.md`?"), "{err}");
    assert!(
        err.contains("content/briefs/bad.md:7:1: error: image `missing.png` not found"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/briefs/bad.md:7:19: error: image `/img/nope.png` is not a file of the site"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/briefs/flat.md:5:1: error: image `flat.png` is not published"),
        "{err}"
    );
    assert!(err.contains("build failed with 4 error(s)"), "{err}");
}

#[test]
fn raw_html_is_sanitised_with_warnings_unless_trusted() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/raw.md",
        "---\ntitle: \"Raw\"\ndate: 2024-01-02\n---\nText <sup>2</sup> and [bad](javascript:alert(1)).\n\n\
         <table><tr><td onmouseover=\"x()\">1</td></tr></table>\n\n<script>alert(1)</script>\n\n\
         <iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n\
         <details>\n<summary>More</summary>\n\nMarkdown *inside*.\n\n</details>\n",
    );
    let ok = site.build(&[]).success();
    let err = stderr(&ok);
    let page = site.out("briefs/raw/index.html");
    let body = &page[page.find("Text <sup>").expect("body")..];
    assert!(
        !body.contains("alert") || body.contains("<p>alert"),
        "{body}"
    );
    assert!(
        !page.contains("onmouseover")
            && !page.contains("javascript:")
            && !page.contains("evil.example"),
        "{page}"
    );
    assert!(
        body.contains("<table><tbody><tr><td>1</td></tr></tbody></table>"),
        "{body}"
    );
    assert!(
        body.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>"),
        "{body}"
    );
    assert!(
        body.contains(
            "<details>\n<summary>More</summary>\n<p>Markdown <em>inside</em>.</p>\n</details>"
        ),
        "{body}"
    );
    for (line, what) in [
        (5, "`javascript:` URL removed"),
        (7, "event handler `onmouseover`"),
        (9, "<script> removed"),
        (13, "embed_hosts"),
    ] {
        assert!(
            err.contains(&format!("content/briefs/raw.md:{line}:")) && err.contains(what),
            "{line} {what}: {err}"
        );
    }

    let yaml = fs::read_to_string(site.root().join("site.yaml")).expect("yaml");
    site.write("site.yaml", &format!("{yaml}raw_html: trusted\n"));
    let err = stderr(&site.build(&[]).success());
    assert!(!err.contains("warning"), "{err}");
    assert!(
        site.out("briefs/raw/index.html")
            .contains("<script>alert(1)</script>")
    );
    site.write("site.yaml", &format!("{yaml}raw_html: maybe\n"));
    let err = stderr(&site.build(&[]).failure());
    assert!(err.contains("`raw_html: maybe` is not a choice"), "{err}");
}

#[test]
fn leftover_template_syntax_warns_once_per_file_outside_code() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/hugo.md",
        "---\ntitle: \"Hugo\"\ndate: 2024-01-02\n---\nIntro.\n\n{{< figure src=\"x.png\" >}}\n\n{{ page.url | relative_url }} {% include x %}\n\n`{{ code }}`\n\n```\n{{ block }}\n```\n",
    );
    site.write(
        "content/briefs/clean.md",
        "---\ntitle: \"Clean\"\ndate: 2024-01-02\n---\nOnly `{{ code }}`.\n",
    );
    let err = stderr(&site.build(&[]).success());
    assert_eq!(
        err.matches("template syntax of another generator").count(),
        1,
        "{err}"
    );
    assert!(err.contains("content/briefs/hugo.md:7:1: warning: template syntax of another generator shows as text: `{{< figure src=\"x.png\" >}}` and 2 more"), "{err}");
}
