//! Parsed briefs kept in the build cache (`.briefly-cache/build/briefs/`):
//! a build parses only brief files whose text or context changed, and what
//! it writes is byte for byte what a build without the cache writes.

use std::fs;

use crate::common::{TestSite, stderr};

/// Builds with the cache (`--timings`) and without it into `clean/`,
/// asserts both outputs hold the same bytes, and returns the cached
/// build's "parsed briefs: N of M from the build cache" line and stderr.
fn build_both(site: &TestSite, args: &[&str]) -> (String, String) {
    let mut with_timings = vec!["--timings"];
    with_timings.extend_from_slice(args);
    let cached = site.build(&with_timings).success();
    site.assert_output_as_clean_build(args);
    let stdout = String::from_utf8_lossy(&cached.get_output().stdout).into_owned();
    let line = (stdout.lines())
        .find(|l| l.contains("parsed briefs:"))
        .unwrap_or_else(|| panic!("no parsed-briefs line in {stdout}"))
        .trim()
        .to_string();
    (line, stderr(&cached))
}

/// How many briefs the line says came from the cache.
fn restored(line: &str) -> usize {
    line.trim_start_matches("parsed briefs: ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line:?}"))
}

fn pack_entries(site: &TestSite) -> usize {
    fs::read_dir(site.root().join(".briefly-cache/build/briefs"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn briefs_are_parsed_again_only_when_their_text_or_context_changes() {
    let site = TestSite::fixture();
    let (line, _) = build_both(&site, &[]);
    assert_eq!(line, "parsed briefs: 0 of 4 from the build cache");
    let packs = pack_entries(&site);
    assert!(packs >= 1, "packs are saved");

    // A template edit changes pages, not briefs: every brief is kept.
    site.edit(
        "themes/default/templates/brief.html",
        "<article",
        "<!-- edited --><article",
    );
    let (line, _) = build_both(&site, &[]);
    assert_eq!(line, "parsed briefs: 4 of 4 from the build cache");

    // One edited brief: only its pack is parsed again.
    site.edit(
        "content/briefs/alpha.md",
        "Alpha first paragraph",
        "Alpha opening paragraph",
    );
    let (line, _) = build_both(&site, &[]);
    let kept = restored(&line);
    assert!((1..4).contains(&kept), "{line}");
    assert!(
        site.out("briefs/alpha/index.html")
            .contains("Alpha opening paragraph")
    );

    // A new brief, a renamed one and a deleted one.
    site.write(
        "content/briefs/epsilon.md",
        "---\ntitle: \"Epsilon\"\ndate: 2019-06-01\nauthors: [\"Eve Other\"]\ncountries: [\"Chile\"]\n---\nEpsilon body.\n",
    );
    build_both(&site, &[]);
    fs::rename(
        site.root().join("content/briefs/epsilon.md"),
        site.root().join("content/briefs/epsilon-renamed.md"),
    )
    .expect("rename");
    build_both(&site, &[]);
    site.remove("content/briefs/beta.md");
    let (line, _) = build_both(&site, &[]);
    assert!(line.ends_with("of 4 from the build cache"), "{line}");

    // What validation reads besides the brief: the actor registry and
    // site.yaml. Either change parses every brief again.
    site.edit(
        "content/actors/irgc.md",
        "\"Revolutionary Guards\"]",
        "\"Revolutionary Guards\", \"Sepah\"]",
    );
    let (line, _) = build_both(&site, &[]);
    assert_eq!(line, "parsed briefs: 0 of 4 from the build cache");
    site.edit(
        "site.yaml",
        "Fixture Institute",
        "Fixture Institute of Packs",
    );
    let (line, _) = build_both(&site, &[]);
    assert_eq!(line, "parsed briefs: 0 of 4 from the build cache");
    // Packs of earlier builds are pruned.
    assert!(pack_entries(&site) <= 4, "{} packs", pack_entries(&site));
}

#[test]
fn a_kept_brief_is_scheduled_by_the_clock_of_the_build_that_uses_it() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/later.md",
        "---\ntitle: \"Later\"\ndate: 2030-06-01\nauthors: [\"Dana Analyst\"]\ncountries: [\"Iran\"]\n---\nLater body.\n",
    );
    let (line, _) = build_both(&site, &["--now", "2030-01-01"]);
    assert_eq!(line, "parsed briefs: 0 of 5 from the build cache");
    assert!(!site.out_exists("briefs/later/index.html"));
    // The same texts under a later clock: the kept brief is due now.
    let (line, _) = build_both(&site, &["--now", "2030-07-01"]);
    assert_eq!(line, "parsed briefs: 5 of 5 from the build cache");
    assert!(site.out_exists("briefs/later/index.html"));
    // And back: scheduled again.
    let (line, _) = build_both(&site, &["--now", "2030-01-01"]);
    assert_eq!(line, "parsed briefs: 5 of 5 from the build cache");
    assert!(!site.out_exists("briefs/later/index.html"));
}

#[test]
fn a_damaged_pack_is_ignored_with_a_warning_and_parsed_again() {
    let site = TestSite::fixture();
    build_both(&site, &[]);
    let dir = site.root().join(".briefly-cache/build/briefs");
    for entry in fs::read_dir(&dir).expect("packs").flatten() {
        let bytes = fs::read(entry.path()).expect("pack");
        fs::write(entry.path(), &bytes[..bytes.len() / 2]).expect("truncate");
    }
    // A change outside the briefs' context, so the same packs are asked for.
    site.write("templates/extra.html", "unused");
    let (line, warnings) = build_both(&site, &[]);
    assert_eq!(line, "parsed briefs: 0 of 4 from the build cache");
    assert!(warnings.contains("is damaged"), "{warnings}");
    assert!(
        warnings.contains(".briefly-cache/build/briefs/"),
        "{warnings}"
    );
    // Saved again, and trusted again.
    site.write("templates/extra.html", "still unused");
    let (line, warnings) = build_both(&site, &[]);
    assert_eq!(line, "parsed briefs: 4 of 4 from the build cache");
    assert!(!warnings.contains("build cache entry"), "{warnings}");
}

#[test]
fn a_failing_brief_is_reported_again_by_every_build() {
    let site = TestSite::fixture();
    build_both(&site, &[]);
    site.edit(
        "content/briefs/alpha.md",
        "date: 2018-01-02",
        "date: 2018-13-45",
    );
    for _ in 0..2 {
        let failed = site.build(&[]).failure();
        let err = stderr(&failed);
        assert!(err.contains("content/briefs/alpha.md:3"), "{err}");
    }
}

#[test]
fn an_edit_to_the_sites_interface_strings_builds_again() {
    let site = TestSite::fixture();
    let stdout = |a: assert_cmd::assert::Assert| {
        String::from_utf8_lossy(&a.get_output().stdout).into_owned()
    };
    site.build(&[]).success();
    assert!(stdout(site.build(&[]).success()).starts_with("nothing changed"));
    site.write("i18n/en.yaml", "nav_briefs: \"Papers\"\n");
    let again = stdout(site.build(&[]).success());
    assert!(again.starts_with("built "), "{again}");
    assert!(site.out("index.html").contains(">Papers<"));
}
