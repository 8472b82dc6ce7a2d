//! The output folder is replaced atomically and never points at sources.

use crate::common::{TestSite, stderr};

#[test]
fn refuses_output_that_is_or_contains_the_site() {
    let site = TestSite::fixture();
    for bad in [".", "..", "content", "themes", "content/briefs/out"] {
        let assert = site.build(&["--output", bad]).failure();
        assert!(
            stderr(&assert).contains("refusing"),
            "{bad}: {}",
            stderr(&assert)
        );
    }
    assert!(
        site.root().join("content/briefs/alpha.md").is_file(),
        "sources untouched"
    );
}

#[test]
fn refuses_a_foreign_non_empty_folder() {
    let site = TestSite::fixture();
    site.write("mine/notes.txt", "precious");
    let assert = site.build(&["--output", "mine"]).failure();
    assert!(
        stderr(&assert).contains("did not create"),
        "{}",
        stderr(&assert)
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("mine/notes.txt")).expect("kept"),
        "precious"
    );
}

#[test]
fn rebuild_replaces_stale_pages_and_keeps_neighbours() {
    let site = TestSite::fixture();
    site.write("neighbour.txt", "next to output");
    site.build(&[]).success();
    assert!(site.out_exists("briefs/delta/index.html"));
    site.remove("content/briefs/delta.md");
    site.build(&[]).success();
    assert!(
        !site.out_exists("briefs/delta/index.html"),
        "deleted brief's page is gone"
    );
    assert!(!site.out_exists("countries/kurdistan-region/index.html"));
    assert!(site.root().join("neighbour.txt").is_file());
}

#[test]
fn output_may_live_outside_the_site() {
    let site = TestSite::fixture();
    let elsewhere = assert_fs::TempDir::new().expect("temp");
    let target = elsewhere.path().join("public");
    site.build(&["--output", target.to_str().expect("utf-8 path")])
        .success();
    assert!(target.join("index.html").is_file());
}
