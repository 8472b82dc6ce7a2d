//! Every user mistake is reported as `path:line:column: error: message` with a
//! hint, all at once, with a non-zero exit and the previous output untouched.

use crate::common::{TestSite, snapshot_tree, stderr};

/// Builds the fixture with one extra file and returns stderr (the build must fail).
fn fails_with(rel: &str, text: &str) -> String {
    let site = TestSite::fixture();
    site.write(rel, text);
    let assert = site.build(&[]).failure().code(1);
    stderr(&assert)
}

fn assert_reports(err: &str, location: &str, message: &str) {
    let line = err
        .lines()
        .find(|l| l.starts_with(location))
        .unwrap_or_else(|| panic!("no diagnostic at {location} in:\n{err}"));
    assert!(
        line.contains(": error: ") && line.contains(message),
        "expected `{message}` at {location}, got:\n{err}"
    );
}

#[test]
fn yaml_syntax_error_points_at_the_file_line() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: \"x\"\ndate: 2018-01-02\ncountries: [Iran\n---\nBody\n",
    );
    assert!(err.contains("content/briefs/x.md:"), "{err}");
    let line: usize = err
        .split("content/briefs/x.md:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .expect("a line number");
    assert!(
        (4..=5).contains(&line),
        "YAML error should be on file line 4 or 5 (not the block's line), got {line}: {err}"
    );
    assert!(err.contains("hint:"));
}

#[test]
fn unknown_field_gets_did_you_mean() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: x\ndate: 2018-01-02\ncontries: [Iran]\n---\n",
    );
    assert_reports(&err, "content/briefs/x.md:4:1", "unknown field `contries`");
    assert!(err.contains("did you mean `countries`"), "{err}");
}

#[test]
fn duplicate_key_is_an_error() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: x\ndate: 2018-01-02\ntitle: y\n---\n",
    );
    assert_reports(&err, "content/briefs/x.md:4:1", "duplicate");
}

#[test]
fn missing_title_and_bad_date() {
    let err = fails_with("content/briefs/x.md", "---\ndate: 2018-02-30\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:1:1",
        "missing required field `title`",
    );
    assert_reports(&err, "content/briefs/x.md:2:7", "not a valid date");
}

#[test]
fn unknown_country_has_suggestion_and_own_position() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: x\ndate: 2018-01-02\ncountries:\n  - Iran\n  - Irqa\n---\n",
    );
    assert_reports(&err, "content/briefs/x.md:6:5", "unknown country `Irqa`");
    assert!(err.contains("did you mean `Iraq`"), "{err}");
}

#[test]
fn unknown_disclaimer_and_citation() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: x\ndate: 2018-01-02\ndisclaimer: fundd\nsources:\n  - id: one\n    title: T\n---\nFirst.\n\nSecond [@two].\n",
    );
    assert_reports(
        &err,
        "content/briefs/x.md:4:13",
        "unknown disclaimer `fundd`",
    );
    assert!(err.contains("did you mean `funded`"), "{err}");
    assert_reports(&err, "content/briefs/x.md:11:8", "citation `[@two]`");
}

#[test]
fn duplicate_slug_names_both_files() {
    let err = fails_with(
        "content/briefs/zz-copy.md",
        "---\ntitle: x\ndate: 2018-01-02\nslug: alpha\n---\n",
    );
    assert_reports(
        &err,
        "content/briefs/zz-copy.md:4:7",
        "two briefs have the slug `alpha`",
    );
    assert!(err.contains("content/briefs/alpha.md"), "{err}");
}

#[test]
fn slug_must_be_a_plain_segment() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: x\ndate: 2018-01-02\nslug: ../../etc\n---\n",
    );
    assert_reports(
        &err,
        "content/briefs/x.md:4:7",
        "not a plain URL path segment",
    );
}

#[test]
fn source_url_must_be_http() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: x\ndate: 2018-01-02\nsources:\n  - title: T\n    url: \"javascript:alert(1)\"\n---\n",
    );
    assert_reports(
        &err,
        "content/briefs/x.md:5:5",
        "must start with http:// or https://",
    );
}

#[test]
fn non_utf8_and_unclosed_front_matter() {
    let site = TestSite::fixture();
    std::fs::write(
        site.root().join("content/briefs/bin.md"),
        b"---\ntitle: \"caf\xe9\"\n---\n",
    )
    .expect("write");
    site.write(
        "content/briefs/open.md",
        "---\ntitle: x\ndate: 2018-01-02\n",
    );
    let err = stderr(&site.build(&[]).failure());
    assert_reports(&err, "content/briefs/bin.md:2:", "not valid UTF-8");
    assert_reports(&err, "content/briefs/open.md:1:1", "never closed");
}

#[test]
fn template_syntax_error_is_located_in_the_template() {
    let err = fails_with(
        "templates/author.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
    );
    assert_reports(&err, "templates/author.html:3:", "");
}

#[test]
fn template_unknown_variable_is_located_in_the_template() {
    let err = fails_with(
        "templates/author.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ author.nmae }}</p>\n{% endblock content %}\n",
    );
    assert_reports(&err, "templates/author.html:3:", "");
    assert!(
        err.contains("theme reference"),
        "hint names the reference: {err}"
    );
    // Reported once, not once per author page.
    assert_eq!(err.matches("templates/author.html:3:").count(), 1, "{err}");
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = TestSite::fixture();
    site.write("content/briefs/e1.md", "---\ntitle: x\ndate: nope\n---\n");
    site.write(
        "content/briefs/e2.md",
        "---\ntitle: y\ndate: 2018-01-02\ncountries: [Narnia]\n---\n",
    );
    site.write("content/actors/bad.md", "---\naliases: [x]\n---\n");
    let err = stderr(&site.build(&[]).failure());
    assert_reports(&err, "content/briefs/e1.md:3:7", "not a valid date");
    assert_reports(
        &err,
        "content/briefs/e2.md:4:13",
        "unknown country `Narnia`",
    );
    assert_reports(
        &err,
        "content/actors/bad.md:1:1",
        "missing required field `name`",
    );
    assert!(err.contains("build failed with 3 error(s)"), "{err}");
}

#[test]
fn alias_claimed_by_two_actors_is_an_error() {
    let err = fails_with(
        "content/actors/other.md",
        "---\nname: \"Someone Else\"\naliases: [\"Rouhani\"]\n---\n",
    );
    assert_reports(
        &err,
        "content/actors/other.md:3:",
        "`Rouhani` also names the actor in",
    );
}

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let before = snapshot_tree(&site.root().join("output"));
    site.write(
        "content/briefs/alpha.md",
        "---\ntitle: broken\ndate: [\n---\n",
    );
    site.write("templates/author.html", "{% if %}");
    site.build(&[]).failure();
    let after = snapshot_tree(&site.root().join("output"));
    assert_eq!(before, after);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("read root")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("briefly-"))
        .filter(|e| e.file_name() != ".briefly-cache")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folders left: {leftovers:?}"
    );
}

#[test]
fn alias_bomb_is_bounded() {
    let mut yaml = String::from(
        "---\ntitle: x\ndate: 2018-01-02\nextra:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..12 {
        let prev = format!("*a{}", i - 1);
        yaml.push_str(&format!("  a{i}: &a{i} [{}]\n", vec![prev; 9].join(",")));
    }
    yaml.push_str("---\nBody\n");
    let err = fails_with("content/briefs/bomb.md", &yaml);
    assert!(err.contains("content/briefs/bomb.md:"), "{err}");
}

#[test]
fn huge_file_is_refused() {
    let big = format!(
        "---\ntitle: x\ndate: 2018-01-02\n---\n{}",
        "word ".repeat(2_000_000)
    );
    let err = fails_with("content/briefs/huge.md", &big);
    assert_reports(&err, "content/briefs/huge.md:1:1", "the limit is");
}

#[test]
fn diagnostics_listing_snapshot() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/s1.md",
        "---\ntitle: x\ndate: 2018-01-02\ncountries: [Irann]\nactors: [\"\"]\n---\nSee [@nope].\n",
    );
    site.write("content/countries/atlantis.md", "Lost.\n");
    let err = stderr(&site.build(&[]).failure());
    insta::assert_snapshot!(err);
}

#[test]
fn year_slugs_would_clash_with_the_archive() {
    let err = fails_with(
        "content/briefs/2019.md",
        "---\ntitle: x\ndate: 2019-01-02\n---\n",
    );
    assert_reports(
        &err,
        "content/briefs/2019.md:1:1",
        "clash with the archive page",
    );
}

#[test]
fn each_bad_source_is_reported_at_its_line_with_the_other_mistakes() {
    let err = fails_with(
        "content/briefs/x.md",
        "---\ntitle: x\ndate: 2018-01-02\ncountries: [Irqa]\nsources:\n  - title: Fine\n    id: 7\n  - title: T\n    pubisher: Fars\n  - [a, b]\n  - title: [x, y]\n  - 42\n  - \"Plain title\"\n  - title: Also fine\n    date: 2018-02-30\n---\n",
    );
    assert_reports(&err, "content/briefs/x.md:4:13", "unknown country `Irqa`");
    assert_reports(
        &err,
        "content/briefs/x.md:8:5",
        "unknown source field `pubisher`",
    );
    assert!(err.contains("did you mean `publisher`"), "{err}");
    assert_reports(
        &err,
        "content/briefs/x.md:10:5",
        "invalid entry in `sources`",
    );
    assert_reports(&err, "content/briefs/x.md:11:5", "`title` must be text");
    assert_reports(
        &err,
        "content/briefs/x.md:12:5",
        "invalid entry in `sources`",
    );
    assert_reports(&err, "content/briefs/x.md:14:5", "source date `2018-02-30`");
    // A number where text is expected is read as written; a plain string is a title.
    assert!(!err.contains(":6:5"), "{err}");
    assert!(!err.contains(":13:5"), "{err}");
}
