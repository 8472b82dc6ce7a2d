//! The PDF edition (issue 15), checked with independent tools from Debian:
//! qpdf, and poppler's pdftotext, pdffonts and pdfinfo.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{TestSite, repo, snapshot_tree, stderr};

/// The fixture site with PDFs on, an image brief, an Arabic brief and a
/// brief whose text looks like Typst code.
fn pdf_site() -> TestSite {
    let site = TestSite::fixture();
    let config = fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{config}pdf: true\n"));
    let fixtures = repo().join("tests/fixtures/pdf");
    let arabic = fs::read_to_string(fixtures.join("jcpoa-ar.md")).expect("arabic fixture");
    site.write("content/briefs/jcpoa-ar.md", &arabic);
    fs::create_dir_all(site.root().join("content/briefs/chart")).expect("mkdir");
    fs::copy(
        fixtures.join("chart.png"),
        site.root().join("content/briefs/chart/chart.png"),
    )
    .expect("copy png");
    site.write(
        "content/briefs/chart/index.md",
        "---\ntitle: \"Chart brief\"\ndate: 2019-03-01\nauthors: [\"Sam Writer\", \"Dana Analyst\"]\ncountries: [Iraq]\n---\nA chart follows.\n\n![Oil exports by month](chart.png)\n\nA remote one: ![Remote map](https://example.com/map.png)\n\nCode `#set page(paper: \"a0\")` and text #set text(red) $x^2$ <label> @ref \\ end[^n].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^n]: A footnote text.\n",
    );
    site
}

/// Runs a Debian tool; its stdout, or a panic naming the tool.
fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .args(if name == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed (apt-get install qpdf poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// pdftotext's text with lines joined (it breaks lines where the PDF does).
fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8"], pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_brief_gets_a_pdf_that_independent_tools_accept() {
    let site = pdf_site();
    site.build(&[]).success();
    let pdf = site.root().join("output/briefs/alpha/alpha.pdf");
    assert!(pdf.is_file(), "alpha.pdf is written beside its page");

    let check = tool("qpdf", &["--check"], &pdf);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );

    let text = text_of(&pdf);
    for expected in [
        "Alpha: Rouhani calls Macron",           // title
        "Alpha first paragraph about the call.", // body
        "Rouhani's call",                        // source 1
        "A plain string source",                 // source 2
        "donors have no say",                    // the disclaimer
        "Fixture Institute",                     // masthead
        "ANALYSIS",                              // the brief's type (extra.type)
        "Cite this brief",
        "Dana Analyst",
        "Iran",
        "[1]", // the citation, numbered as on the web page
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` missing from:\n{text}"
        );
    }

    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding] emb sub uni object ID: emb is 5th from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }

    let info = tool("pdfinfo", &[], &pdf);
    assert!(
        info.contains("Title:           Alpha: Rouhani calls Macron"),
        "{info}"
    );
    assert!(info.contains("Author:          Dana Analyst"), "{info}");
    assert!(info.contains("Pages:"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Keywords:") && info.contains("Iran"),
        "{info}"
    );
    assert!(
        !info.contains("CreationDate:") || info.contains("2018"),
        "{info}"
    );
}

#[test]
fn brief_pages_link_their_pdf_with_its_size_and_the_sitemap_lists_it() {
    let site = pdf_site();
    site.build(&[]).success();
    let size = fs::metadata(site.root().join("output/briefs/alpha/alpha.pdf"))
        .expect("pdf")
        .len();
    let page = site.out("briefs/alpha/index.html");
    assert!(
        page.contains("href=\"/briefs/briefs/alpha/alpha.pdf\" download"),
        "{page}"
    );
    assert!(
        page.contains(&format!("(PDF, {} KB)", size.div_ceil(1000))),
        "size shown: {page}"
    );
    assert!(page.contains(
        "<meta name=\"citation_pdf_url\" content=\"https://example.org/briefs/briefs/alpha/alpha.pdf\">"
    ));
    assert!(page.contains("rel=\"alternate\" type=\"application/pdf\""));
    let sitemap = site.out("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/briefs/briefs/alpha/alpha.pdf</loc>"),
        "{sitemap}"
    );
}

#[test]
fn images_footnotes_tables_and_typst_lookalike_text() {
    let site = pdf_site();
    site.build(&[]).success();
    let pdf = site.root().join("output/briefs/chart/chart.pdf");
    let text = text_of(&pdf);
    for expected in [
        "Remote map",                       // a remote image: its alt text, never fetched
        "#set page(paper: \"a0\")",         // code as code
        "#set text(red) $x^2$ @ref \\ end", // text as text
        "A footnote text.",
        "Sam Writer",
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` missing from:\n{text}"
        );
    }
    // The local image is embedded.
    let images = tool("pdfimages", &["-list"], &pdf);
    assert!(images.lines().count() > 2, "{images}");
    assert!(tool("pdfinfo", &[], &pdf).contains("Author:          Sam Writer, Dana Analyst"));
}

#[test]
fn an_arabic_brief_is_set_right_to_left_in_its_own_font() {
    let site = pdf_site();
    site.build(&[]).success();
    let pdf = site.root().join("output/briefs/jcpoa-ar/jcpoa-ar.pdf");
    let text = text_of(&pdf);
    // Logical order: what a reader copies out of the PDF reads correctly.
    for expected in [
        "خطة العمل الشاملة المشتركة",
        "انسحبت الولايات المتحدة من الاتفاق",
        // Headings and the date in Arabic, from the theme's i18n/ar.yaml.
        "المصادر",
        "الاستشهاد بهذا الموجز",
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` missing from:\n{text}"
        );
    }
    assert!(!text.contains("Cite this brief"), "{text}");
    let fonts = tool("pdffonts", &[], &pdf);
    assert!(fonts.contains("NotoNaskhArabic"), "{fonts}");
    // The language is tagged, so screen readers read Arabic.
    let plain = site.root().join("plain.pdf");
    let qdf = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&pdf)
        .arg(&plain)
        .status()
        .expect("qpdf");
    assert!(qdf.success());
    let raw = String::from_utf8_lossy(&fs::read(&plain).expect("pdf")).into_owned();
    assert!(raw.contains("/Lang (ar)"), "no /Lang (ar)");
    assert!(!raw.contains("/Lang (en)"), "the whole brief is Arabic");
}

#[test]
fn two_builds_give_the_same_bytes_with_and_without_the_cache() {
    let site = pdf_site();
    site.build(&[]).success();
    let first = snapshot_tree(&site.root().join("output"));
    fs::remove_dir_all(site.root().join(".briefly-cache")).expect("clear cache");
    site.build(&[]).success();
    let second = snapshot_tree(&site.root().join("output"));
    site.build(&[]).success(); // from the cache
    let third = snapshot_tree(&site.root().join("output"));
    let pdfs = |t: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        t.iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(pdfs(&first).len(), 5, "one PDF per published brief");
    assert!(
        pdfs(&first) == pdfs(&second),
        "a fresh compile gives the same bytes"
    );
    assert!(first == third, "a cached build gives the same site");
}

#[test]
fn the_cache_recompiles_only_the_edited_brief_and_forgets_old_entries() {
    let site = pdf_site();
    site.build(&[]).success();
    let cache = site.root().join(".briefly-cache/pdf");
    let entries = || -> std::collections::BTreeSet<String> {
        fs::read_dir(&cache)
            .expect("cache dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    };
    let before = entries();
    assert_eq!(before.len(), 5, "{before:?}");
    let alpha = fs::read_to_string(site.root().join("content/briefs/alpha.md")).expect("alpha");
    site.write(
        "content/briefs/alpha.md",
        &alpha.replace("More text.", "More text, edited."),
    );
    site.build(&[]).success();
    let after = entries();
    assert_eq!(after.len(), 5, "the old entry is pruned: {after:?}");
    assert_eq!(before.difference(&after).count(), 1);
    assert!(text_of(&site.root().join("output/briefs/alpha/alpha.pdf")).contains("edited"));
}

#[test]
fn pdfs_are_off_by_default() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    assert!(!site.out_exists("briefs/alpha/alpha.pdf"));
    assert!(!site.out("briefs/alpha/index.html").contains("Download PDF"));
    assert!(!site.root().join(".briefly-cache/pdf").exists());
}

#[test]
fn an_error_in_the_pdf_template_is_reported_at_its_line_and_nothing_is_written() {
    let site = pdf_site();
    site.build(&[]).success();
    let before = snapshot_tree(&site.root().join("output"));
    let template = fs::read_to_string(repo().join("themes/default/pdf/brief.typ")).expect("typ");
    let broken = template.replacen("  body\n", "  body\n  #let x = (\n", 1);
    assert_ne!(broken, template);
    site.write("themes/default/pdf/brief.typ", &broken);
    let assert = site.build(&[]).failure();
    let err = stderr(&assert);
    let line = broken
        .lines()
        .position(|l| l.contains("#let x = ("))
        .expect("line")
        + 1;
    assert!(
        err.contains(&format!("themes/default/pdf/brief.typ:{line}:")),
        "{err}"
    );
    assert!(err.contains("error: PDF:"), "{err}");
    assert_eq!(before, snapshot_tree(&site.root().join("output")));
}

#[test]
fn a_broken_image_is_an_error_at_its_line_in_the_brief() {
    let site = pdf_site();
    site.write("content/briefs/chart/chart.png", "not a png");
    let assert = site.build(&[]).failure();
    let err = stderr(&assert);
    assert!(
        err.contains("content/briefs/chart/index.md:9:"),
        "error at the image's line: {err}"
    );
    // With PDFs off the same site builds: the HTML is not held back.
    let config = fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &config.replace("pdf: true", "pdf: false"));
    site.build(&[]).success();
}

/// `serve` with PDFs on: they are made after start-up and after a save on
/// a thread of their own; the rebuild (and the page reload) comes first.
#[test]
fn serve_remakes_only_the_edited_briefs_pdf_in_the_background() {
    use std::io::{BufRead, BufReader};
    let site = pdf_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start serve");
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut seen = Vec::new();
    let ok = wait_line(&lines, &mut seen, "PDF(s) made");
    let pdf = site.root().join("output/briefs/alpha/alpha.pdf");
    let page = site.root().join("output/briefs/alpha/index.html");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert!(ok && pdf.is_file(), "PDFs after start-up: {seen:?}");
        assert!(
            fs::read_to_string(&page)
                .expect("page")
                .contains("Download PDF")
        );
        let alpha = fs::read_to_string(site.root().join("content/briefs/alpha.md")).expect("alpha");
        site.write(
            "content/briefs/alpha.md",
            &alpha.replace("More text.", "More text, saved while serving."),
        );
        // The rebuild (and the page reload) comes first, then one PDF.
        assert!(
            wait_line(&lines, &mut seen, "incremental rebuild"),
            "{seen:?}"
        );
        assert!(wait_line(&lines, &mut seen, "1 PDF(s) made"), "{seen:?}");
        assert!(text_of(&pdf).contains("saved while serving"));
    }));
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// Reads the server's lines into `seen` until one contains `want` (false
/// after two minutes).
fn wait_line(
    lines: &std::sync::mpsc::Receiver<String>,
    seen: &mut Vec<String>,
    want: &str,
) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let left = || deadline.saturating_duration_since(std::time::Instant::now());
    while let Ok(line) = lines.recv_timeout(left()) {
        let found = line.contains(want);
        seen.push(line);
        if found {
            return true;
        }
    }
    false
}

#[test]
fn a_file_where_the_pdf_goes_is_an_error() {
    let site = pdf_site();
    site.write("content/briefs/chart/chart.pdf", "%PDF-1.4 someone else's");
    let assert = site.build(&[]).failure();
    let err = stderr(&assert);
    assert!(
        err.contains(
            "content/briefs/chart/index.md:1:1: error: the brief's folder has a file `chart.pdf`"
        ),
        "{err}"
    );
}
