//! The build cache (`.briefly-cache/build/`): a build that reuses it writes
//! exactly the bytes of a build without it, whatever changed in between, and
//! an entry it cannot trust is ignored with a warning.

use std::fs;
use std::path::PathBuf;

use crate::common::{TestSite, stderr};

/// The fixture with two briefs per search shard, so that its four briefs
/// make two shards and an edit leaves one of them alone.
fn sharded_site() -> TestSite {
    let site = TestSite::fixture();
    let config = fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{config}search_shard_briefs: 2\n"));
    site
}

/// Builds with the cache into `output/` and without it into `clean/`,
/// asserts both folders hold the same bytes, and returns the cached build's
/// "N of M shard(s) from the build cache" line and its stderr.
fn build_both(site: &TestSite) -> (String, String) {
    let cached = site.build(&["--timings"]).success();
    site.assert_output_as_clean_build(&[]);
    let stdout = String::from_utf8_lossy(&cached.get_output().stdout).into_owned();
    let shards = stdout
        .lines()
        .find(|l| l.contains("search index:") || l.starts_with("nothing changed"))
        .unwrap_or_else(|| panic!("no shard line in {stdout}"))
        .trim()
        .to_string();
    (shards, stderr(&cached))
}

fn cache_entries(site: &TestSite) -> Vec<PathBuf> {
    let dir = site.root().join(".briefly-cache/build/search");
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the search cache exists")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn cached_builds_write_the_bytes_of_clean_builds_through_edits() {
    let site = sharded_site();
    let (shards, _) = build_both(&site);
    assert_eq!(shards, "search index: 0 of 2 shard(s) from the build cache");
    // Nothing changed: nothing to do.
    let (line, _) = build_both(&site);
    assert!(
        line.starts_with("nothing changed since the last build: 3 briefs"),
        "{line}"
    );
    // A change no brief page shows: every shard from the cache.
    site.write("static/extra.txt", "new");
    let (shards, _) = build_both(&site);
    assert_eq!(shards, "search index: 2 of 2 shard(s) from the build cache");

    // An edit re-indexes only its own shard.
    site.edit(
        "content/briefs/alpha.md",
        "Alpha first paragraph",
        "Alpha opening paragraph",
    );
    let (shards, _) = build_both(&site);
    assert_eq!(shards, "search index: 1 of 2 shard(s) from the build cache");

    // A newer brief joins the newest shard (the fixture publishes three
    // briefs: shards of 1 and 2, newest first); the older shard stays as it
    // was (the new brief shares no country, actor or author, so no other
    // page lists it).
    site.write(
        "content/briefs/epsilon.md",
        "---\ntitle: \"Epsilon\"\ndate: 2025-06-01\nauthors: [\"Eve Other\"]\ncountries: [\"Chile\"]\n---\nEpsilon body.\n",
    );
    let (shards, _) = build_both(&site);
    assert_eq!(shards, "search index: 1 of 2 shard(s) from the build cache");

    // Renames, deletions, templates and site.yaml: all still byte for byte.
    fs::rename(
        site.root().join("content/briefs/epsilon.md"),
        site.root().join("content/briefs/epsilon-renamed.md"),
    )
    .expect("rename");
    build_both(&site);
    site.remove("content/briefs/beta.md");
    build_both(&site);
    site.edit(
        "themes/default/templates/brief.html",
        "<article",
        "<!-- edited --><article",
    );
    build_both(&site);
    site.edit(
        "site.yaml",
        "Fixture Institute",
        "Fixture Institute of Caches",
    );
    let (shards, _) = build_both(&site);
    assert!(shards.starts_with("search index: 0 of"), "{shards}");

    // Unused entries are pruned: one per shard of the last build.
    assert_eq!(cache_entries(&site).len(), 2);
}

#[test]
fn a_damaged_cache_entry_is_ignored_with_a_warning() {
    let site = sharded_site();
    build_both(&site);
    let entries = cache_entries(&site);
    let bytes = fs::read(&entries[0]).expect("entry");
    fs::write(&entries[0], &bytes[..bytes.len() / 2]).expect("truncate");
    fs::write(&entries[1], b"not a cache file at all").expect("overwrite");
    // Into a new output folder: one updated in place keeps unchanged shards
    // without reading their entries (kept_pages.rs).
    fs::remove_dir_all(site.root().join("output")).expect("remove output");
    site.write("static/extra.txt", "changed");
    let (shards, warnings) = build_both(&site);
    assert_eq!(shards, "search index: 0 of 2 shard(s) from the build cache");
    assert!(warnings.contains("is damaged"), "{warnings}");
    assert!(
        warnings.contains("is not a briefly cache file"),
        "{warnings}"
    );
    assert!(
        warnings.contains(".briefly-cache/build/search/"),
        "{warnings}"
    );
    // Rebuilt and trusted again.
    site.write("static/extra.txt", "new");
    let (shards, warnings) = build_both(&site);
    assert_eq!(shards, "search index: 2 of 2 shard(s) from the build cache");
    assert!(!warnings.contains("cache"), "{warnings}");
}

#[test]
fn a_cache_entry_from_another_version_is_ignored() {
    let site = sharded_site();
    build_both(&site);
    let entry = &cache_entries(&site)[0];
    let bytes = fs::read(entry).expect("entry");
    let version = format!("briefly {}", env!("CARGO_PKG_VERSION"));
    let at = find(&bytes, version.as_bytes()).expect("the entry names its version");
    let mut other = bytes.clone();
    other[at + "briefly ".len()] = b'9';
    fs::write(entry, other).expect("write");
    fs::remove_dir_all(site.root().join("output")).expect("remove output");
    site.write("static/extra.txt", "changed");
    let (shards, warnings) = build_both(&site);
    assert_eq!(shards, "search index: 1 of 2 shard(s) from the build cache");
    assert!(
        warnings.contains("another version of briefly"),
        "{warnings}"
    );
}

#[test]
fn an_unchanged_site_is_built_again_only_when_something_differs() {
    let site = TestSite::fixture();
    let stdout = |a: assert_cmd::assert::Assert| {
        String::from_utf8_lossy(&a.get_output().stdout).into_owned()
    };
    let built = |out: &str| out.starts_with("built ");
    let skipped = |out: &str| out.starts_with("nothing changed since the last build");
    assert!(built(&stdout(site.build(&[]).success())));
    assert!(skipped(&stdout(site.build(&[]).success())));

    // Someone edited the output: build again (and put it right).
    let page = site.root().join("output/index.html");
    let original = fs::read(&page).expect("home page");
    fs::write(&page, b"defaced").expect("write");
    assert!(built(&stdout(site.build(&[]).success())));
    assert_eq!(fs::read(&page).expect("home page"), original);
    assert!(skipped(&stdout(site.build(&[]).success())));

    // Other options, a deleted output, a source edit: build again.
    assert!(built(&stdout(site.build(&["--drafts"]).success())));
    assert!(built(&stdout(site.build(&[]).success())));
    let other_url = ["--base-url", "https://other.example/"];
    assert!(built(&stdout(site.build(&other_url).success())));
    assert!(skipped(&stdout(site.build(&other_url).success())));
    fs::remove_dir_all(site.root().join("output")).expect("rm output");
    assert!(built(&stdout(site.build(&other_url).success())));
    site.edit("content/briefs/delta.md", "---\n", "---\n# edited\n");
    assert!(built(&stdout(site.build(&other_url).success())));

    // A damaged record is ignored with a warning.
    let record = site.root().join(".briefly-cache/build/last-build");
    let entry = fs::read_dir(&record)
        .expect("record")
        .flatten()
        .next()
        .expect("entry");
    fs::write(entry.path(), b"BRFCACHE???").expect("damage");
    let again = site.build(&other_url).success();
    assert!(
        stderr(&again).contains("build cache entry"),
        "{}",
        stderr(&again)
    );
    assert!(built(&stdout(again)));
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = TestSite::fixture();
    site.build(&["--no-cache"]).success();
    assert!(!site.root().join(".briefly-cache/build").exists());
    site.build(&[]).success();
    assert!(site.root().join(".briefly-cache/build/search").is_dir());
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn a_scheduled_brief_falling_due_makes_an_unchanged_site_build_again() {
    let site = TestSite::fixture();
    let due = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    site.write(
        "content/briefs/soon.md",
        &format!("---\ntitle: \"Soon\"\ndate: {due}\nauthors: [\"Dana Analyst\"]\ncountries: [\"Iran\"]\n---\nSoon.\n"),
    );
    let stdout = |a: assert_cmd::assert::Assert| {
        String::from_utf8_lossy(&a.get_output().stdout).into_owned()
    };
    assert!(stdout(site.build(&[]).success()).starts_with("built 3 briefs"));
    assert!(!site.out_exists("briefs/soon/index.html"));
    let again = stdout(site.build(&[]).success());
    assert!(again.starts_with("nothing changed"), "{again}");
    std::thread::sleep(std::time::Duration::from_secs(4));
    let due_now = stdout(site.build(&[]).success());
    assert!(due_now.starts_with("built 4 briefs"), "{due_now}");
    assert!(site.out_exists("briefs/soon/index.html"));
}

#[test]
fn formatted_references_are_kept_between_builds_and_give_the_same_bytes() {
    let site = TestSite::fixture();
    let config = fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{config}citation_style: apa\n"));
    build_both(&site);
    let dir = site.root().join(".briefly-cache/build/citations");
    let entries: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the references are cached")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let kept = fs::read(&entries[0]).expect("entry");
    assert!(
        find(&kept, b"Fars News Agency").is_some(),
        "the APA reference of alpha's source is in the cache"
    );
    // Built again from the kept references: the same bytes as without them.
    site.write("static/extra.txt", "changed");
    build_both(&site);
    // A damaged entry is ignored, and the references are formatted again.
    fs::write(&entries[0], &kept[..kept.len() / 3]).expect("damage");
    site.write("static/extra.txt", "changed again");
    let (_, warnings) = build_both(&site);
    assert!(warnings.contains("is damaged"), "{warnings}");
}

/// The "input files: N of M read" line of a `--timings` build.
fn inputs_read(assert: &assert_cmd::assert::Assert) -> String {
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    stdout
        .lines()
        .find(|l| l.contains("input files:"))
        .unwrap_or_else(|| panic!("no input files line in {stdout}"))
        .trim()
        .to_string()
}

/// Input files are read again only when their status changed; an edit that
/// puts the size and modification time back still changes the status-change
/// time, which nobody can set, so the build sees it.
#[test]
fn unchanged_inputs_are_not_read_and_an_edit_with_its_times_put_back_is_seen() {
    let site = TestSite::fixture();
    let total = inputs_read(&site.build(&["--timings"]).success());
    let total = total
        .split(" of ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("input count")
        .to_string();
    // Files whose status changed in the last two seconds are read every
    // time (a second write within one clock tick would not show).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let line = inputs_read(&site.build(&["--timings"]).success());
    assert_eq!(
        line,
        format!(
            "input files: {total} of {total} read, the others unchanged since they were hashed"
        )
    );
    let line = inputs_read(&site.build(&["--timings"]).success());
    assert!(line.starts_with("input files: 0 of "), "{line}");

    // Same length, same modification time.
    let brief = site.root().join("content/briefs/alpha.md");
    let modified = fs::metadata(&brief)
        .and_then(|m| m.modified())
        .expect("mtime");
    let text = fs::read_to_string(&brief).expect("alpha");
    assert!(text.contains("Alpha first paragraph"), "{text}");
    fs::write(
        &brief,
        text.replace("Alpha first paragraph", "Alpha FIRST paragraph"),
    )
    .expect("edit");
    fs::File::options()
        .write(true)
        .open(&brief)
        .and_then(|f| f.set_times(fs::FileTimes::new().set_modified(modified)))
        .expect("mtime back");
    let edited = site.build(&["--timings"]).success();
    assert!(inputs_read(&edited).starts_with("input files: 1 of "));
    assert!(
        site.out("briefs/alpha/index.html")
            .contains("Alpha FIRST paragraph")
    );
    site.assert_output_as_clean_build(&[]);
}

/// A brief that is a symbolic link is read through it by the loader, so
/// the build's inputs follow it too: an edit to the file it points to is
/// not "nothing changed".
#[cfg(unix)]
#[test]
fn an_edit_behind_a_linked_brief_builds_again() {
    let site = TestSite::fixture();
    let elsewhere = tempfile::tempdir().expect("tmp");
    let target = elsewhere.path().join("linked.md");
    let brief = |body: &str| {
        format!(
            "---\ntitle: \"Linked\"\ndate: 2025-05-01\nauthors: [\"Eve Other\"]\ncountries: [\"Chile\"]\n---\n{body}\n"
        )
    };
    fs::write(&target, brief("Linked first text.")).expect("target");
    std::os::unix::fs::symlink(&target, site.root().join("content/briefs/linked.md"))
        .expect("symlink");
    site.build(&[]).success();
    assert!(
        site.out("briefs/linked/index.html")
            .contains("Linked first text.")
    );
    fs::write(&target, brief("Linked second text.")).expect("edit");
    let again = site.build(&[]).success();
    let stdout = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(stdout.starts_with("built "), "{stdout}");
    assert!(
        site.out("briefs/linked/index.html")
            .contains("Linked second text.")
    );
}

/// The one entry of related lists in the cache.
fn related_entry(site: &TestSite) -> PathBuf {
    let dir = site.root().join(".briefly-cache/build/related");
    let entries: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the related cache exists")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "one entry, the others pruned: {entries:?}"
    );
    entries[0].clone()
}

/// Related lists come from the cache while every brief's terms and order
/// stay; a country added to a brief makes them anew, and the pages show it.
#[test]
fn related_briefs_are_kept_until_a_brief_changes_its_terms() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let first = related_entry(&site);
    assert!(
        !site
            .out("briefs/alpha/index.html")
            .contains("briefs/delta/")
    );

    site.edit("content/briefs/delta.md", "---\n", "---\n# edited\n");
    site.build(&[]).success();
    assert_eq!(related_entry(&site), first, "a text edit keeps the lists");

    site.edit(
        "content/briefs/delta.md",
        "countries: [\"Iraqi Kurdistan\", \"Iraq\"]",
        "countries: [\"Iraqi Kurdistan\", \"Iraq\", \"France\"]",
    );
    site.build(&[]).success();
    assert_ne!(related_entry(&site), first, "new terms, new lists");
    assert!(
        site.out("briefs/alpha/index.html")
            .contains("briefs/delta/")
    );
    site.assert_output_as_clean_build(&[]);
}
