//! A build into an output folder that is as the last build left it writes
//! only the files whose bytes changed and deletes those no longer made,
//! instead of writing a whole new site; the result is byte for byte what a
//! build without the cache writes.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::common::{TestSite, snapshot_tree, stderr};

/// Inode and modification time: a file written again (or swapped in with
/// a new folder) gets another inode.
fn identity(path: &Path) -> (u64, i64, i64) {
    let meta = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (meta.ino(), meta.mtime(), meta.mtime_nsec())
}

#[test]
fn an_edit_rewrites_only_the_files_it_changes() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let out = site.root().join("output");
    let untouched = out.join("briefs/delta/index.html");
    let edited = out.join("briefs/alpha/index.html");
    let before = (identity(&untouched), identity(&edited), identity(&out).0);

    site.edit(
        "content/briefs/alpha.md",
        "Alpha first paragraph",
        "Alpha opening paragraph",
    );
    site.build(&[]).success();
    assert_eq!(
        identity(&untouched),
        before.0,
        "an unchanged page was written again"
    );
    assert_ne!(
        identity(&edited),
        before.1,
        "the edited page was not written"
    );
    assert_eq!(identity(&out).0, before.2, "the output folder was replaced");
    assert!(
        site.out("briefs/alpha/index.html")
            .contains("Alpha opening paragraph")
    );
    site.assert_output_as_clean_build(&[]);

    // A deleted brief takes its page and its folder with it.
    site.remove("content/briefs/beta.md");
    site.build(&[]).success();
    assert!(
        !out.join("briefs/beta").exists(),
        "the deleted brief's folder stays"
    );
    assert_eq!(identity(&out).0, before.2, "the output folder was replaced");
    site.assert_output_as_clean_build(&[]);
}

#[test]
fn an_output_changed_by_someone_else_is_replaced_whole() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let out = site.root().join("output");
    let page = out.join("briefs/delta/index.html");
    fs::write(out.join("foreign.txt"), "not ours").expect("write");
    let before = identity(&page);
    site.edit("content/briefs/alpha.md", "Alpha first", "Alpha opening");
    site.build(&[]).success();
    assert!(
        !out.join("foreign.txt").exists(),
        "a file nobody built stays"
    );
    assert_ne!(identity(&page), before, "the output was not rebuilt whole");
    site.assert_output_as_clean_build(&[]);
    // And the next edit is in place again.
    let before = identity(&page);
    site.edit("content/briefs/alpha.md", "Alpha opening", "Alpha first");
    site.build(&[]).success();
    assert_eq!(identity(&page), before);
    site.assert_output_as_clean_build(&[]);
}

#[test]
fn a_failed_build_leaves_the_output_as_it_was() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let out = site.root().join("output");
    let before = snapshot_tree(&out);
    site.edit("content/briefs/alpha.md", "Alpha first", "Alpha opening");
    site.edit(
        "content/briefs/delta.md",
        "date: 2017-09-25",
        "date: 2017-13-25",
    );
    let failed = site.build(&[]).failure();
    assert!(
        stderr(&failed).contains("delta.md:3"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(
        snapshot_tree(&out),
        before,
        "the failed build changed the output"
    );
    // Fixed: built in place from the same record.
    site.edit(
        "content/briefs/delta.md",
        "date: 2017-13-25",
        "date: 2017-09-25",
    );
    site.build(&[]).success();
    site.assert_output_as_clean_build(&[]);
}

/// The output check reads only the folders whose status changed since the
/// last build recorded them (older than two seconds then). A file slipped
/// into a folder no later build touched still changes that folder's status:
/// the next build sees it, says nothing is as left, and replaces the
/// output whole, with or without edits of its own.
#[test]
fn a_file_added_to_an_untouched_folder_of_an_older_output_is_seen() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    // Old enough that an in-place build records its untouched folders as
    // trusted (their status changed more than two seconds before).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    site.build(&[]).success();
    let untouched = site.root().join("output/briefs/delta");
    let nothing_changed = site.build(&[]).success();
    let said = String::from_utf8_lossy(&nothing_changed.get_output().stdout).into_owned();
    assert!(said.contains("nothing changed"), "{said}");

    fs::write(untouched.join("stray.html"), "not ours").expect("stray");
    let built = site.build(&["--timings"]).success();
    let said = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
    assert!(!said.contains("nothing changed"), "{said}");
    assert!(
        !untouched.join("stray.html").exists(),
        "the stray file is gone"
    );
    site.assert_output_as_clean_build(&[]);

    // The same behind an edit: no page is kept in an output changed by
    // someone else.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    site.edit(
        "content/briefs/alpha.md",
        "More text, edited.",
        "More text.",
    );
    site.build(&[]).success();
    fs::write(untouched.join("stray.html"), "not ours").expect("stray");
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    let built = site.build(&["--timings"]).success();
    let said = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
    assert!(said.contains("brief pages: 0 of"), "{said}");
    assert!(!untouched.join("stray.html").exists());
    site.assert_output_as_clean_build(&[]);
}

/// A build whose inputs changed checks the output while it renders
/// (`cache::output_check`), and waits for the answer before it moves a
/// file in: a page someone rewrote in place (its folder's status unchanged)
/// is still seen, and the output is built whole, with every page as a
/// clean build makes it.
#[test]
fn a_page_rewritten_in_place_behind_an_edit_is_put_back() {
    let site = TestSite::fixture();
    // A search shard per brief, so that the edit renders alpha's page only.
    let config = fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{config}search_shard_briefs: 1\n"));
    site.build(&[]).success();
    // Old enough that the next build trusts the folders' times.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    site.edit("content/briefs/alpha.md", "More text.", "Other text.");
    site.build(&[]).success();
    let page = site.root().join("output/briefs/delta/index.html");
    let clean = fs::read_to_string(&page).expect("read");
    fs::write(&page, clean.replace("Delta", "Changed by hand")).expect("rewrite");

    // An edit that leaves delta's page as it is: only the check can tell.
    site.edit("content/briefs/alpha.md", "Other text.", "More text.");
    let built = site.build(&["--timings"]).success();
    let said = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
    assert!(said.contains("wait for the output check"), "{said}");
    assert!(
        said.contains("brief pages: 0 of"),
        "not built whole: {said}"
    );
    assert_eq!(fs::read_to_string(&page).expect("read"), clean);
    site.assert_output_as_clean_build(&[]);
}

/// A static file at a page's path loses to the page, in place as in a
/// clean build, also when the page's bytes are the ones already in the
/// output (the output's file is kept, the staged static file dropped).
#[test]
fn a_static_file_at_a_page_path_loses_to_the_page_in_place() {
    let site = TestSite::fixture();
    site.write("static/briefs/delta/index.html", "a static file\n");
    site.build(&[]).success();
    let page = site.root().join("output/briefs/delta/index.html");
    let rendered = fs::read_to_string(&page).expect("read");
    assert!(rendered.contains("Delta"), "{rendered}");
    site.edit("content/briefs/alpha.md", "More text.", "Other text.");
    site.build(&[]).success();
    assert_eq!(fs::read_to_string(&page).expect("read"), rendered);
    site.assert_output_as_clean_build(&[]);
    // The next build finds the output as this one recorded it.
    let again = site.build(&[]).success();
    let said = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(said.contains("nothing changed"), "{said}");
}
