//! Pages whose key (a hash of what they show) is the one the last build
//! recorded are kept as they are in an output folder the last build left
//! as it was, without being rendered; after every kind of edit the output
//! is byte for byte what a clean build writes.

use crate::common::TestSite;

/// Builds with `--timings` and returns what it printed.
fn timings(site: &TestSite) -> String {
    let built = site.build(&["--timings"]).success();
    String::from_utf8_lossy(&built.get_output().stdout).into_owned()
}

/// The "N of M" of the `--timings` line starting with `label`.
fn count(stdout: &str, label: &str) -> (usize, usize) {
    let line = (stdout.lines())
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no `{label}` line in {stdout}"));
    let numbers: Vec<usize> = (line.split_whitespace())
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// Builds and returns the "N of M kept" counts of brief pages and of
/// listing pages.
fn kept_counts(site: &TestSite) -> ((usize, usize), (usize, usize)) {
    let said = timings(site);
    (count(&said, "brief pages:"), count(&said, "listing pages:"))
}

/// Builds and returns the "N of M kept" count of feeds.
fn kept_feeds(site: &TestSite) -> (usize, usize) {
    count(&timings(site), "feeds:")
}

/// The fixture with a search shard per brief, so that an edit indexes
/// one brief's shard again and leaves the others' files in place.
fn fixture() -> TestSite {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{config}search_shard_briefs: 1\n"));
    site
}

#[test]
fn each_kind_of_edit_keeps_the_pages_that_do_not_show_it() {
    let site = fixture();
    let (briefs, listings) = kept_counts(&site);
    assert_eq!(briefs.0, 0, "a first build has nothing to keep");
    assert_eq!(listings.0, 0);
    let (brief_pages, listing_pages) = (briefs.1, listings.1);
    assert!(
        brief_pages >= 3 && listing_pages >= 10,
        "{brief_pages} {listing_pages}"
    );

    // A paragraph no card shows: only the brief's own page is rendered.
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    assert_eq!(
        kept_counts(&site),
        (
            (brief_pages - 1, brief_pages),
            (listing_pages, listing_pages)
        )
    );
    site.assert_output_as_clean_build(&[]);
    assert!(
        site.out("briefs/alpha/index.html")
            .contains("More text, edited.")
    );

    // A title is on the brief's card: the briefs that list it as related
    // and the listings that show it are rendered too.
    site.edit(
        "content/briefs/alpha.md",
        "Alpha: Rouhani calls Macron",
        "Alpha: Rouhani telephones Macron",
    );
    let (briefs, listings) = kept_counts(&site);
    assert!(briefs.0 < brief_pages - 1, "{briefs:?}");
    assert!(listings.0 < listing_pages && listings.0 > 0, "{listings:?}");
    site.assert_output_as_clean_build(&[]);

    // A static file no page names: everything kept.
    site.write("static/extra.txt", "changed");
    assert_eq!(
        kept_counts(&site),
        ((brief_pages, brief_pages), (listing_pages, listing_pages))
    );
    site.assert_output_as_clean_build(&[]);

    // The stylesheet is published under a hash of its bytes, which every
    // page names: nothing kept.
    site.edit(
        "themes/default/static/style.css",
        "body",
        "/* edited */ body",
    );
    assert_eq!(kept_counts(&site), ((0, brief_pages), (0, listing_pages)));
    site.assert_output_as_clean_build(&[]);

    // A template: nothing kept.
    site.edit(
        "themes/default/templates/brief.html",
        "<article",
        "<!-- edited --><article",
    );
    assert_eq!(kept_counts(&site).0, (0, brief_pages));
    site.assert_output_as_clean_build(&[]);

    // An output changed by someone else is replaced whole: nothing kept.
    site.write("output/stray.html", "not ours");
    site.edit(
        "content/briefs/alpha.md",
        "More text, edited.",
        "More text.",
    );
    assert_eq!(kept_counts(&site), ((0, brief_pages), (0, listing_pages)));
    site.assert_output_as_clean_build(&[]);
}

/// With every brief of the fixture in one search shard, a paragraph edit
/// indexes that shard again, yet renders only the edited page: the index
/// reads the other pages from their published files and the search-only
/// parts the build cache kept. The output, bundle included, is a clean
/// build's; without those parts the shard's pages are rendered, as they
/// are when one of them was changed by hand.
#[test]
fn a_shard_indexed_again_reads_the_pages_it_keeps_from_the_output() {
    let site = TestSite::fixture();
    let ((_, brief_pages), _) = kept_counts(&site);
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    assert_eq!(kept_counts(&site).0, (brief_pages - 1, brief_pages));
    site.assert_output_as_clean_build(&[]);

    // The cache without the parts: the shard's other pages are rendered.
    let parts = site.root().join(".briefly-cache/build/search-parts");
    assert!(parts.is_dir(), "no search-only parts in the cache");
    std::fs::remove_dir_all(&parts).expect("remove the parts");
    site.edit(
        "content/briefs/alpha.md",
        "More text, edited.",
        "More text.",
    );
    let (kept, _) = kept_counts(&site);
    assert!(kept.0 < brief_pages - 1, "{kept:?}");
    site.assert_output_as_clean_build(&[]);

    // A kept page rewritten by hand: not indexed as it is now, and the
    // output is built whole.
    let page = site.root().join("output/briefs/delta/index.html");
    let clean = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, clean.replace("Delta", "Changed by hand")).expect("rewrite");
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    assert_eq!(kept_counts(&site).0, (0, brief_pages));
    assert_eq!(std::fs::read_to_string(&page).expect("read"), clean);
    site.assert_output_as_clean_build(&[]);
}

/// Builds and returns the "card keys: N of M remembered" count.
fn cards_remembered(site: &TestSite) -> (usize, usize) {
    count(&timings(site), "card keys:")
}

/// Card keys are remembered under each brief's identity and all a card
/// shows besides: an edit takes back every other brief's key, a new
/// country in the index (which every card's links come from) none, and
/// the output stays a clean build's.
#[test]
fn card_keys_are_remembered_until_what_cards_show_changes() {
    let site = fixture();
    let (none, briefs) = cards_remembered(&site);
    assert_eq!(none, 0, "a first build remembers no card");
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    assert_eq!(cards_remembered(&site), (briefs - 1, briefs));
    site.assert_output_as_clean_build(&[]);

    site.edit(
        "content/briefs/delta.md",
        "countries: [\"Iraqi Kurdistan\", \"Iraq\"]",
        "countries: [\"Iraqi Kurdistan\", \"Iraq\", \"Japan\"]",
    );
    assert_eq!(cards_remembered(&site), (0, briefs));
    site.assert_output_as_clean_build(&[]);
    site.edit("content/briefs/beta.md", "Beta body.", "Beta body, edited.");
    assert_eq!(cards_remembered(&site), (briefs - 1, briefs));
}

/// The sitemap, robots.txt and redirects are kept unmade while no brief
/// changed in anything listing pages show (a paragraph edit), and made
/// again when one did (a new `updated:` date, which the sitemap shows);
/// verified builds make them after all and fail if a kept one differs. The
/// output is a clean build's each time.
#[test]
fn site_files_are_kept_until_a_listed_field_changes() {
    let site = fixture();
    let stages = |site: &TestSite, verify: &str| {
        let built = (site.cmd())
            .env("BRIEFLY_VERIFY_KEPT", verify)
            .args(["build", "--timings"])
            .assert()
            .success();
        String::from_utf8_lossy(&built.get_output().stdout).into_owned()
    };
    let made = |said: &str| said.contains(" sitemap (from");
    assert!(made(&stages(&site, "0")), "a first build makes them");
    // Verified (kept or not, made after all and compared), then not.
    for verify in ["1", "0"] {
        site.edit(
            "content/briefs/alpha.md",
            "More text.",
            "More text, edited.",
        );
        let said = stages(&site, verify);
        assert_eq!(made(&said), verify == "1", "{said}");
        site.assert_output_as_clean_build(&[]);

        site.edit(
            "content/briefs/alpha.md",
            "updated: 2018-01-03",
            "updated: 2018-01-09",
        );
        let said = stages(&site, verify);
        assert!(made(&said), "{said}");
        assert!(site.out("sitemap.xml").contains("2018-01-09"));
        site.assert_output_as_clean_build(&[]);

        site.edit(
            "content/briefs/alpha.md",
            "More text, edited.",
            "More text.",
        );
        site.edit(
            "content/briefs/alpha.md",
            "updated: 2018-01-09",
            "updated: 2018-01-03",
        );
        stages(&site, verify);
    }
}

const ENGLISH: &str = "---\ntitle: The deal\ndate: 2020-01-02\ntranslation_key: deal\ncountries: [Iran]\n---\nText.\n";
const FRENCH: &str = "---\ntitle: L'accord\ndate: 2020-01-03\nlang: fr\ntranslation_key: deal\ncountries: [Iran]\n---\nTexte.\n";

/// A brief page links its translations: renaming one re-renders the other.
#[test]
fn a_renamed_translation_renders_the_pages_that_link_it() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: Briefs\nbase_url: \"https://example.org/\"\nsearch_shard_briefs: 1\nlanguage: en\nlanguages:\n  - code: fr\n",
    );
    site.write("content/briefs/deal.md", ENGLISH);
    site.write("content/briefs/deal-fr.md", FRENCH);
    site.write(
        "content/briefs/other.md",
        "---\ntitle: Other\ndate: 2021-01-02\ncountries: [Chile]\n---\nOther text.\n",
    );
    kept_counts(&site);
    site.edit(
        "content/briefs/deal-fr.md",
        "lang: fr\n",
        "lang: fr\nslug: le-nouvel-accord\n",
    );
    let (briefs, _) = kept_counts(&site);
    assert_eq!(briefs, (1, 3), "only the unrelated brief's page is kept");
    assert!(
        site.out("briefs/deal/index.html")
            .contains("/fr/briefs/le-nouvel-accord/")
    );
    site.assert_output_as_clean_build(&[]);
}

/// `--verify-kept` (always on in debug builds) renders the pages it keeps
/// after all: a kept page that would render differently fails the build,
/// naming the page, and leaves the output as it was. A page changed behind
/// the build's back with its size and modification time put back is what a
/// page key that missed something would look like.
#[test]
fn verify_kept_catches_a_kept_page_that_renders_differently() {
    let site = fixture();
    site.build(&[]).success();
    let page = site.root().join("output/briefs/beta/index.html");
    let modified = std::fs::metadata(&page)
        .and_then(|m| m.modified())
        .expect("mtime");
    let tampered = site
        .out("briefs/beta/index.html")
        .replacen("<main", "<MAIN", 1);
    std::fs::write(&page, &tampered).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&page)
        .and_then(|f| f.set_times(std::fs::FileTimes::new().set_modified(modified)))
        .expect("mtime back");
    // Another brief's edit, so that the build runs in place and keeps beta's page.
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );

    let failed = site.build(&["--verify-kept"]).failure();
    let stderr = crate::common::stderr(&failed);
    assert!(
        stderr.contains("briefs/beta/index.html") && stderr.contains("renders differently"),
        "{stderr}"
    );
    assert_eq!(
        site.out("briefs/beta/index.html"),
        tampered,
        "output left as it was"
    );
    assert!(
        !site
            .out("briefs/alpha/index.html")
            .contains("More text, edited.")
    );
}

/// Every file under `dir` with its inode and modification time.
fn stamps(
    dir: &std::path::Path,
) -> std::collections::BTreeMap<std::path::PathBuf, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((
                e.path().strip_prefix(dir).ok()?.to_path_buf(),
                (meta.ino(), meta.modified().ok()?),
            ))
        })
        .collect()
}

/// The "search index: N of M from the build cache" counts of `--timings`.
fn shards_from_cache(assert: &assert_cmd::assert::Assert) -> (usize, usize) {
    count(
        &String::from_utf8_lossy(&assert.get_output().stdout),
        "search index:",
    )
}

/// In an output updated in place, the search shards whose pages index as
/// before keep their files where they are, without even reading their
/// cache entries (damaged here: reading one would warn and index the shard
/// again); the edited brief's shard is indexed again, and the cache keeps
/// the kept shards' entries.
#[test]
fn unchanged_search_shards_keep_their_files_in_place() {
    let site = fixture();
    site.build(&["--output", "first"]).success();
    // Every shard's entry is in the cache: a build into a new folder reads
    // them all (and leaves the cache's record of its output).
    let (from_cache, shards) = shards_from_cache(&site.build(&["--timings"]).success());
    assert!(
        shards >= 2 && from_cache == shards,
        "{from_cache} of {shards}"
    );
    for entry in
        std::fs::read_dir(site.root().join(".briefly-cache/build/search")).expect("search entries")
    {
        std::fs::write(entry.expect("entry").path(), "damaged").expect("damage");
    }
    let pagefind = site.root().join("output/pagefind");
    let before = stamps(&pagefind);

    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    let built = site.build(&["--timings"]).success();
    assert_eq!(
        shards_from_cache(&built),
        (shards - 1, shards),
        "all but the edited brief's shard kept"
    );
    let stderr = crate::common::stderr(&built);
    assert!(
        !stderr.contains("ignored"),
        "no cache entry was read: {stderr}"
    );
    let after = stamps(&pagefind);
    let changed = (before.iter())
        .filter(|(path, stamp)| after.get(*path) != Some(*stamp))
        .count();
    let kept = (before.iter())
        .filter(|(path, stamp)| {
            path.to_string_lossy().starts_with("shard-") && after.get(*path) == Some(*stamp)
        })
        .count();
    assert!(kept > 0 && changed > 0, "{kept} kept, {changed} changed");
    site.assert_output_as_clean_build(&[]);
}

/// Without verification (release builds; here `BRIEFLY_VERIFY_KEPT=0` in
/// this debug build), kept pages let go of their bodies too: the output
/// after edits is still byte for byte a clean build's.
#[test]
fn without_verification_kept_pages_give_a_clean_builds_bytes() {
    let site = fixture();
    let build = |site: &TestSite| {
        site.cmd()
            .env("BRIEFLY_VERIFY_KEPT", "0")
            .args(["build", "--timings"])
            .assert()
            .success()
    };
    build(&site);
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    let built = build(&site);
    let stdout = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
    assert!(!stdout.contains("verify kept pages"), "{stdout}");
    assert!(stdout.contains("brief pages: 2 of 3 kept"), "{stdout}");
    site.assert_output_as_clean_build(&[]);
    site.edit(
        "content/briefs/beta.md",
        "Beta: protests spread",
        "Beta: protests spread further",
    );
    build(&site);
    site.assert_output_as_clean_build(&[]);
}

/// Feeds are keyed too: a paragraph shows only in the feed that carries
/// whole bodies (the site's), a title in every feed that lists the brief,
/// and the output stays what a clean build writes.
#[test]
fn feeds_are_kept_until_an_entry_they_show_changes() {
    let site = fixture();
    let (kept, feeds) = kept_feeds(&site);
    assert_eq!(kept, 0, "a first build has nothing to keep");
    assert!(feeds >= 5, "{feeds}");
    let site_feed = site.out("feed.xml");

    // A later paragraph (the first one makes the summary).
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    assert_eq!(kept_feeds(&site), (feeds - 1, feeds));
    site.assert_output_as_clean_build(&[]);
    assert_ne!(site.out("feed.xml"), site_feed);
    assert!(site.out("feed.xml").contains("More text, edited."));

    // Iran's feed lists alpha: its title shows there.
    site.edit(
        "content/briefs/alpha.md",
        "Alpha: Rouhani calls Macron",
        "Alpha: Rouhani telephones Macron",
    );
    let (kept, _) = kept_feeds(&site);
    assert!(kept < feeds - 1 && kept > 0, "{kept} of {feeds}");
    site.assert_output_as_clean_build(&[]);
    assert!(
        site.out("countries/iran/feed.xml")
            .contains("Rouhani telephones Macron")
    );

    // Nothing any feed shows: all kept.
    site.write("static/extra.txt", "changed");
    assert_eq!(kept_feeds(&site), (feeds, feeds));
}

/// After an edit no listing page or feed without bodies can show (a later
/// paragraph, which changes the word count too), every listing page and
/// summary feed is kept without being keyed one by one; after a title
/// edit they are keyed again. Either way the output is what a clean build
/// writes (and the tests' debug builds render every kept page to compare).
#[test]
fn a_body_edit_keeps_listings_and_summary_feeds_unkeyed() {
    let site = fixture();
    let unkeyed = |site: &TestSite| {
        let built = site.build(&["--timings"]).success();
        let stdout = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
        stdout.contains("listing pages and feeds without bodies: kept unkeyed")
    };
    assert!(!unkeyed(&site), "a first build keeps nothing");
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited with a few more words than before.",
    );
    let built = site.build(&["--timings"]).success();
    let stdout = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
    assert!(stdout.contains("kept unkeyed"), "{stdout}");
    let listing = (stdout.lines())
        .find(|l| l.trim_start().starts_with("listing pages:"))
        .expect("listing line");
    let numbers: Vec<usize> = (listing.split_whitespace())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(numbers[0], numbers[1], "{listing}");
    site.assert_output_as_clean_build(&[]);

    site.edit(
        "content/briefs/alpha.md",
        "Alpha: Rouhani calls Macron",
        "Alpha: Rouhani telephones Macron",
    );
    assert!(!unkeyed(&site), "a title shows in listings");
    site.assert_output_as_clean_build(&[]);
    assert!(
        site.out("countries/iran/index.html")
            .contains("Rouhani telephones Macron")
    );
}

/// The "search index ahead: N of M" count of a build with `--timings`
/// (verified in this debug build: a shard indexed ahead is also indexed
/// anew, and the build fails if the two differ).
fn shards_ahead(site: &TestSite) -> (usize, usize) {
    count(&timings(site), "search index ahead:")
}

/// After a brief is edited, its search shard is handed to Pagefind from
/// the pages the last build published while the site loads, and only its
/// changed pages are handed again: the output is a clean build's, verified
/// or not. Two briefs edited in two shards hand none ahead; a date edit
/// that moves a brief to another shard makes the pages handed ahead not
/// the shard's, which is then indexed anew.
#[test]
fn an_edited_briefs_shard_is_indexed_ahead_from_the_last_pages() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    assert_eq!(shards_ahead(&site), (1, 1));
    site.assert_output_as_clean_build(&[]);
    site.edit(
        "content/briefs/alpha.md",
        "More text, edited.",
        "More text, edited again.",
    );
    let built = (site.cmd().env("BRIEFLY_VERIFY_KEPT", "0"))
        .args(["build", "--timings"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
    assert_eq!(count(&stdout, "search index ahead:"), (1, 1));
    site.assert_output_as_clean_build(&[]);

    let site = fixture();
    site.build(&[]).success();
    site.edit(
        "content/briefs/alpha.md",
        "More text.",
        "More text, edited.",
    );
    site.edit("content/briefs/beta.md", "Beta body.", "Beta body, edited.");
    assert_eq!(shards_ahead(&site), (0, 2));
    site.assert_output_as_clean_build(&[]);
    // Alpha becomes the oldest: its shard now holds delta (taken from the
    // cache), and alpha's new one is indexed anew.
    site.edit(
        "content/briefs/alpha.md",
        "date: 2018-01-02",
        "date: 2016-01-02",
    );
    assert_eq!(shards_ahead(&site), (0, 1));
    site.assert_output_as_clean_build(&[]);
    site.edit(
        "content/briefs/alpha.md",
        "More text, edited.",
        "More text.",
    );
    assert_eq!(shards_ahead(&site), (1, 1));
    site.assert_output_as_clean_build(&[]);
}
