//! `init`, `new` and `--help`.

use assert_cmd::Command;
use predicates::str::contains;

use crate::common::{TestSite, stderr};

#[test]
fn help_for_every_command() {
    for sub in ["build", "init", "new", "copy-theme", "serve", "check"] {
        Command::cargo_bin("briefly")
            .expect("binary")
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(contains("Usage"));
    }
}

#[test]
fn init_creates_a_site_that_builds() {
    let parent = TestSite::empty();
    let assert = parent.cmd().args(["init", "newsite"]).assert().success();
    let said = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    // What init prints is what to do next, and it is true: no build yet.
    assert!(said.contains("cd newsite && briefly serve"), "{said}");
    let root = parent.root().join("newsite");
    assert!(root.join("site.yaml").is_file());
    assert!(!root.join("output").exists(), "init does not build");
    // The default theme is built in: a new site has no theme folder.
    assert!(!root.join("themes").exists());
    Command::cargo_bin("briefly")
        .expect("binary")
        .current_dir(&root)
        .arg("build")
        .assert()
        .success();
    assert!(root.join("output/briefs/welcome/index.html").is_file());
}

#[test]
fn new_refuses_to_run_outside_a_site() {
    let dir = TestSite::empty();
    let assert = dir.cmd().args(["new", "A brief"]).assert().failure();
    assert!(
        stderr(&assert).contains("no site.yaml"),
        "{}",
        stderr(&assert)
    );
    assert!(!dir.root().join("content").exists());
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = TestSite::empty();
    site.write("x/keep.txt", "keep");
    let assert = site.cmd().args(["init", "x"]).assert().failure();
    assert!(stderr(&assert).contains("not empty"));
}

#[test]
fn new_writes_a_skeleton_with_todays_date_and_never_overwrites() {
    let site = TestSite::fixture();
    let assert = site
        .cmd()
        .args(["new", "Iran's Missile Programme: What Next?"])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        said.contains("draft") && said.contains("draft: false"),
        "{said}"
    );
    let path = site
        .root()
        .join("content/briefs/iran-s-missile-programme-what-next.md");
    let text = std::fs::read_to_string(&path).expect("written");
    let today = jiff::Zoned::now().date().to_string();
    assert!(text.contains(&format!("date: {today}")), "{text}");
    assert!(
        text.contains("title: \"Iran's Missile Programme: What Next?\""),
        "{text}"
    );
    // The skeleton is a valid draft: the site still builds, with it as a draft.
    site.build(&["--drafts"]).success();
    assert!(site.out_exists("briefs/iran-s-missile-programme-what-next/index.html"));
    let assert = site
        .cmd()
        .args(["new", "Iran's Missile Programme: What Next?"])
        .assert()
        .failure();
    assert!(stderr(&assert).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), text);
}

#[test]
fn build_timings_lists_every_stage() {
    let site = TestSite::fixture();
    let plain = site.build(&[]).success();
    let plain = String::from_utf8_lossy(&plain.get_output().stdout).into_owned();
    assert!(!plain.contains(" ms  "), "no timings unless asked: {plain}");
    // A change, so that the build is not skipped as up to date.
    site.write("static/extra.txt", "changed");
    let timed = site.build(&["--timings"]).success();
    let out = String::from_utf8_lossy(&timed.get_output().stdout).into_owned();
    for stage in [
        "hash inputs",
        "read sources",
        "parse and validate briefs",
        "index and related briefs",
        "card keys",
        "render and write pages",
        "sitemap",
        "replace output",
    ] {
        assert!(out.contains(&format!(" ms  {stage}")), "{stage}: {out}");
    }
}
