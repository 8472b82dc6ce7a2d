//! The publishing calendar: scheduled briefs stay out of every output until
//! the build's clock (`--now`) reaches their date; drafts and scheduled
//! briefs in previews are `noindex` and stay out of feeds and the sitemap.

use std::io::Read;
use std::path::Path;

use crate::common::{TestSite, snapshot_tree};

/// A brief dated 2030-03-01 09:00 UTC whose every term is its own: a
/// country, an actor and an author no other brief names.
const EMBARGOED: &str = "---
title: \"Zanzibar embargo marker\"
date: 2030-03-01T09:00:00Z
authors: [\"Embargo Writer\"]
countries: [\"Tanzania\"]
actors: [\"Embargoactor Council\"]
---
Embargoed body with quokkaword in it.
";

/// Every file under `dir`, gzip files (Pagefind's index) decompressed.
fn readable_tree(dir: &Path) -> Vec<(String, String)> {
    snapshot_tree(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let mut text = Vec::new();
            let bytes = if bytes.starts_with(&[0x1f, 0x8b])
                && flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut text)
                    .is_ok()
            {
                text
            } else {
                bytes
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            (path.display().to_string(), text)
        })
        .collect()
}

fn files_mentioning(dir: &Path, needles: &[&str]) -> Vec<String> {
    readable_tree(dir)
        .into_iter()
        .filter(|(_, text)| needles.iter().any(|n| text.contains(n)))
        .map(|(path, _)| path)
        .collect()
}

const MARKERS: &[&str] = &[
    "Zanzibar",
    "embargoed",
    "quokkaword",
    "Tanzania",
    "Embargoactor",
    "Embargo Writer",
    "embargo-writer",
];

#[test]
fn a_scheduled_brief_is_absent_from_every_output_file_until_its_time() {
    let site = TestSite::fixture();
    // The same site without the brief, at the same clock: the reference.
    site.build(&["--now", "2030-03-01T08:59:59Z", "--output", "without"])
        .success();
    site.write("content/briefs/embargoed.md", EMBARGOED);
    let before = site
        .build(&["--now", "2030-03-01T08:59:59Z"])
        .success()
        .get_output()
        .stdout
        .clone();
    let summary = String::from_utf8_lossy(&before);
    assert!(
        summary.contains("1 scheduled brief left out"),
        "summary says so: {summary}"
    );
    let output = site.root().join("output");
    assert_eq!(
        files_mentioning(&output, MARKERS),
        Vec::<String>::new(),
        "no output file may mention the scheduled brief"
    );
    // Not a single byte differs from a build without the brief: counts,
    // "most covered", related lists, feeds, sitemap, search index.
    let with = snapshot_tree(&output);
    let without = snapshot_tree(&site.root().join("without"));
    assert_eq!(
        with.keys().collect::<Vec<_>>(),
        without.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &without {
        assert!(with.get(path) == Some(bytes), "{} differs", path.display());
    }

    // At its time, it is published everywhere.
    site.build(&["--now", "2030-03-01T09:00:00Z"]).success();
    let page = site.out("briefs/embargoed/index.html");
    assert!(page.contains("Zanzibar embargo marker"));
    assert!(!page.contains("noindex"), "a published brief is indexable");
    assert!(!page.contains("banner--scheduled"));
    assert!(site.out("index.html").contains("Zanzibar embargo marker"));
    assert!(site.out("feed.xml").contains("Zanzibar embargo marker"));
    assert!(site.out("sitemap.xml").contains("/briefs/embargoed/"));
    assert!(site.out_exists("countries/tanzania/index.html"));
    let search_hits = files_mentioning(&output.join("pagefind"), &["quokkaword"]);
    assert!(!search_hits.is_empty(), "the search index has it");
}

#[test]
fn a_plain_day_is_published_from_midnight_in_the_site_timezone() {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    site.write("site.yaml", &format!("{config}timezone: Asia/Tokyo\n"));
    site.write(
        "content/briefs/tomorrow.md",
        "---\ntitle: Dated a day\ndate: 2030-03-01\n---\nBody.\n",
    );
    // 2030-03-01 00:00 in Tokyo is 2030-02-28 15:00 UTC.
    site.build(&["--now", "2030-02-28T14:59:59Z"]).success();
    assert!(!site.out_exists("briefs/tomorrow/index.html"));
    site.build(&["--now", "2030-02-28T15:00:00Z"]).success();
    assert!(site.out_exists("briefs/tomorrow/index.html"));
    // `--now` as a plain day is that midnight too.
    site.build(&["--now", "2030-03-01"]).success();
    assert!(site.out_exists("briefs/tomorrow/index.html"));
}

#[test]
fn a_bad_now_is_an_error_that_names_the_option() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let before = snapshot_tree(&site.root().join("output"));
    let out = site.build(&["--now", "next tuesday"]).failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("--now: error: `next tuesday`"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    assert_eq!(snapshot_tree(&site.root().join("output")), before);
}

#[test]
fn previews_mark_drafts_and_scheduled_briefs_noindex_and_keep_them_out_of_feeds_and_sitemap() {
    let site = TestSite::fixture();
    site.write("content/briefs/embargoed.md", EMBARGOED);
    site.build(&["--drafts", "--scheduled", "--now", "2029-01-01"])
        .success();
    for slug in ["gamma", "embargoed"] {
        let page = site.out(&format!("briefs/{slug}/index.html"));
        assert!(
            page.contains(r#"<meta name="robots" content="noindex">"#),
            "{slug} is noindex"
        );
        assert!(
            !site
                .out("sitemap.xml")
                .contains(&format!("/briefs/{slug}/"))
        );
        assert!(!site.out("feed.xml").contains(&format!("/briefs/{slug}/")));
        assert!(
            !site
                .out("countries/iran/feed.xml")
                .contains(&format!("/briefs/{slug}/"))
        );
    }
    let page = site.out("briefs/embargoed/index.html");
    assert!(
        page.contains("banner--scheduled"),
        "a scheduled brief has a banner"
    );
    assert!(
        page.contains("2030-03-01T09:00:00Z"),
        "the banner names the time"
    );
    assert!(
        !site
            .out("briefs/gamma/index.html")
            .contains("banner--scheduled")
    );
    // Listings show it, labelled.
    assert!(site.out("index.html").contains("label--scheduled"));
    // Published briefs stay in the feed and sitemap.
    assert!(site.out("feed.xml").contains("/briefs/alpha/"));
    assert!(site.out("sitemap.xml").contains("/briefs/alpha/"));
}

#[test]
fn list_prints_scheduled_briefs_and_drafts_with_times_and_files() {
    let site = TestSite::fixture();
    site.write("content/briefs/embargoed.md", EMBARGOED);
    site.write(
        "content/briefs/sooner.md",
        "---\ntitle: Sooner\ndate: 2029-06-01\n---\nBody.\n",
    );
    let out = site
        .cmd()
        .args(["list", "scheduled", "--now", "2029-01-01"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("2029-06-01 "),
        "soonest first: {stdout}"
    );
    assert!(lines[0].contains("content/briefs/sooner.md") && lines[0].ends_with("Sooner"));
    assert!(lines[1].starts_with("2030-03-01T09:00:00Z"));
    assert!(lines[1].contains("content/briefs/embargoed.md"));
    // After their time, nothing is scheduled.
    let out = site
        .cmd()
        .args(["list", "scheduled", "--now", "2031-01-01"])
        .assert()
        .success();
    assert!(out.get_output().stdout.is_empty());

    let out = site.cmd().args(["list", "drafts"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("2018-02-01") && stdout.contains("content/briefs/gamma.md"));
    assert!(stdout.contains("Gamma: a draft"));
}

#[test]
fn check_leaves_scheduled_briefs_out_as_build_does() {
    let site = TestSite::fixture();
    site.write("content/briefs/embargoed.md", EMBARGOED);
    // A published brief linking to the scheduled one links to no page yet.
    let beta = std::fs::read_to_string(site.root().join("content/briefs/beta.md")).expect("read");
    site.write(
        "content/briefs/beta.md",
        &format!("{beta}\nSee [the next one](embargoed.md).\n"),
    );
    site.cmd()
        .args(["check", "--now", "2030-01-01"])
        .assert()
        .failure();
    site.cmd()
        .args(["check", "--now", "2030-03-02"])
        .assert()
        .success();
}

/// `serve`'s incremental rebuilds agree with a full build at the same clock
/// while briefs become scheduled, published, or drafts.
#[test]
fn incremental_rebuilds_of_scheduled_briefs_equal_full_builds() {
    use briefly::BuildOptions;
    use briefly::internals::session::{Session, classify};
    use std::collections::BTreeMap;

    for previews in [true, false] {
        let site = TestSite::fixture();
        let options = BuildOptions {
            root: site.root().to_path_buf(),
            scheduled: previews,
            now: Some("2030-01-01T00:00:00Z".into()),
            ..BuildOptions::default()
        };
        let (mut session, _) = Session::start(options).expect("session starts");
        let mut step = |site: &TestSite, rel: &str, text: Option<&str>, what: &str| {
            match text {
                Some(text) => site.write(rel, text),
                None => site.remove(rel),
            }
            let root = site.root().to_path_buf();
            let output = session.output().to_path_buf();
            let path = root.join(rel);
            let changes: BTreeMap<_, _> = classify(&root, &output, "default", &path)
                .map(|k| (path, k))
                .into_iter()
                .collect();
            session.apply(&changes).expect("rebuild writes");
            assert!(
                session.errors().is_empty(),
                "{what}: {:?}",
                session.errors()
            );
            let mut args = vec!["--now", "2030-01-01T00:00:00Z", "--output", "full"];
            if previews {
                args.push("--scheduled");
            }
            site.build(&args).success();
            let tree = |dir: &str| -> BTreeMap<_, _> {
                snapshot_tree(&site.root().join(dir))
                    .into_iter()
                    .filter(|(p, _)| !p.starts_with("pagefind"))
                    .collect()
            };
            let (live, full) = (tree("output"), tree("full"));
            assert_eq!(
                live.keys().collect::<Vec<_>>(),
                full.keys().collect::<Vec<_>>(),
                "{what} (previews: {previews}): file sets"
            );
            for (path, bytes) in &full {
                assert!(
                    live.get(path) == Some(bytes),
                    "{what} (previews: {previews}): {} differs",
                    path.display()
                );
            }
        };
        let alpha =
            std::fs::read_to_string(site.root().join("content/briefs/alpha.md")).expect("read");
        let rel = "content/briefs/embargoed.md";
        step(&site, rel, Some(EMBARGOED), "a scheduled brief is added");
        let earlier = EMBARGOED.replace("2030-03-01T09:00:00Z", "2029-12-31");
        step(
            &site,
            rel,
            Some(&earlier),
            "its date moves before the clock",
        );
        step(&site, rel, Some(EMBARGOED), "and back after it");
        let alpha_later = alpha.replace("date: 2018-01-02", "date: 2031-01-02");
        let a = "content/briefs/alpha.md";
        step(
            &site,
            a,
            Some(&alpha_later),
            "a published brief is rescheduled",
        );
        step(&site, a, Some(&alpha), "and published again");
        step(&site, rel, None, "the scheduled brief is deleted");
    }
}
