//! Rebuilds in a running session write exactly what a full build writes,
//! after edits, additions, renames, deletions and broken files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use briefly::BuildOptions;
use briefly::internals::session::{Session, classify};

use crate::common::{TestSite, snapshot_tree};

/// A fixture site served by a session (shared with `incremental_languages`).
pub(crate) struct Live {
    pub(crate) site: TestSite,
    session: Session,
}

impl Live {
    pub(crate) fn start() -> Self {
        let site = TestSite::fixture();
        let options = BuildOptions {
            root: site.root().to_path_buf(),
            ..BuildOptions::default()
        };
        let (session, report) = Session::start(options).expect("session starts");
        assert_eq!(report.mode, "full");
        assert!(session.errors().is_empty(), "{:?}", session.errors());
        Live { site, session }
    }

    /// Tells the session that these files changed (as the watcher would).
    pub(crate) fn changed(&mut self, rels: &[&str]) -> briefly::internals::session::Rebuild {
        let root = self.site.root().to_path_buf();
        let output = self.session.output().to_path_buf();
        let changes: BTreeMap<PathBuf, _> = rels
            .iter()
            .map(|r| root.join(r))
            .filter_map(|p| classify(&root, &output, "default", &p).map(|k| (p, k)))
            .collect();
        self.session.apply(&changes).expect("rebuild writes")
    }

    /// The session's output must equal a fresh full build of the same files.
    pub(crate) fn assert_same_as_full_build(&self, step: &str) {
        assert!(
            self.session.errors().is_empty(),
            "{step}: {:?}",
            self.session.errors()
        );
        self.site.build(&["--output", "full-build"]).success();
        // The search index is rebuilt in the background by `serve`, not on every save.
        let without_search = |tree: BTreeMap<PathBuf, Vec<u8>>| -> BTreeMap<PathBuf, Vec<u8>> {
            tree.into_iter()
                .filter(|(p, _)| !p.starts_with("pagefind"))
                .collect()
        };
        let live = without_search(snapshot_tree(&self.site.root().join("output")));
        let full = without_search(snapshot_tree(&self.site.root().join("full-build")));
        let live_paths: Vec<_> = live.keys().collect();
        let full_paths: Vec<_> = full.keys().collect();
        assert_eq!(live_paths, full_paths, "{step}: different file sets");
        for (path, bytes) in &full {
            assert!(
                live.get(path) == Some(bytes),
                "{step}: {} differs from a full build",
                path.display()
            );
        }
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let mut live = Live::start();
    live.assert_same_as_full_build("start");

    let alpha =
        std::fs::read_to_string(live.site.root().join("content/briefs/alpha.md")).expect("read");
    live.site.write(
        "content/briefs/alpha.md",
        &alpha.replace("More text.", "More text, edited."),
    );
    let r = live.changed(&["content/briefs/alpha.md"]);
    // A body edit may show on the brief's page and in the 8 feeds that carry
    // it (site, Iran, United States, France, 2 actors, 1 author, 1 source
    // publisher), which are
    // rendered; only the page and the site feed (the one feed with whole
    // bodies; alpha has a written summary) change on disk. No listing page
    // is touched.
    assert_eq!(
        (r.mode, r.rendered, r.written, r.deleted),
        ("incremental", 9, 2, 0),
        "a body edit touches only its page and feeds"
    );
    live.assert_same_as_full_build("body edit");
    live.site.write(
        "content/briefs/alpha.md",
        &alpha.replace("Alpha: Rouhani calls Macron", "Alpha: a new title"),
    );
    let r = live.changed(&["content/briefs/alpha.md"]);
    assert_eq!(r.mode, "incremental");
    assert!(
        r.rendered < 30,
        "only affected pages are rendered, got {}",
        r.rendered
    );
    live.assert_same_as_full_build("title edit");

    live.site.write(
        "content/briefs/epsilon.md",
        "---\ntitle: \"Epsilon\"\ndate: 2019-03-01\nauthors: [\"New Author\"]\ncountries: [Iran, Egypt]\nactors: [\"IRGC\", \"A New Actor\"]\n---\nEpsilon body.\n",
    );
    live.changed(&["content/briefs/epsilon.md"]);
    live.assert_same_as_full_build("new brief with new terms");

    std::fs::rename(
        live.site.root().join("content/briefs/beta.md"),
        live.site.root().join("content/briefs/beta-renamed.md"),
    )
    .expect("rename");
    live.changed(&["content/briefs/beta.md", "content/briefs/beta-renamed.md"]);
    assert!(
        !live.site.out_exists("briefs/beta/index.html"),
        "old page removed"
    );
    live.assert_same_as_full_build("rename");

    live.site.remove("content/briefs/delta.md");
    live.changed(&["content/briefs/delta.md"]);
    assert!(
        !live
            .site
            .out_exists("countries/kurdistan-region/index.html")
    );
    live.assert_same_as_full_build("delete");

    let eps =
        std::fs::read_to_string(live.site.root().join("content/briefs/epsilon.md")).expect("read");
    live.site.write(
        "content/briefs/epsilon.md",
        &eps.replace("2019-03-01", "2017-01-01"),
    );
    live.changed(&["content/briefs/epsilon.md"]);
    live.assert_same_as_full_build("date change reorders lists");

    // A spelling change that changes an author's display name touches every card.
    let eps =
        std::fs::read_to_string(live.site.root().join("content/briefs/epsilon.md")).expect("read");
    live.site.write(
        "content/briefs/epsilon.md",
        &eps.replace("New Author", "Dana analyst"),
    );
    live.changed(&["content/briefs/epsilon.md"]);
    live.assert_same_as_full_build("author spelling");

    // A broken brief writes nothing; fixing it brings the site up to date.
    let before = snapshot_tree(&live.site.root().join("output"));
    live.site.write(
        "content/briefs/alpha.md",
        "---\ntitle: broken\ndate: [\n---\n",
    );
    let r = live.changed(&["content/briefs/alpha.md"]);
    assert_eq!(r.mode, "failed");
    let errors = live.session.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.path == std::path::Path::new("content/briefs/alpha.md") && e.line == 3),
        "{errors:?}"
    );
    assert_eq!(
        before,
        snapshot_tree(&live.site.root().join("output")),
        "nothing written while broken"
    );
    live.site.write("content/briefs/alpha.md", &alpha);
    live.changed(&["content/briefs/alpha.md"]);
    live.assert_same_as_full_build("fixed");

    // Turning a brief into a draft removes it.
    let eps =
        std::fs::read_to_string(live.site.root().join("content/briefs/epsilon.md")).expect("read");
    live.site.write(
        "content/briefs/epsilon.md",
        &eps.replace("---\nEpsilon", "draft: true\n---\nEpsilon"),
    );
    live.changed(&["content/briefs/epsilon.md"]);
    assert!(!live.site.out_exists("briefs/epsilon/index.html"));
    live.assert_same_as_full_build("draft");

    live.site.write(
        "content/actors/new-actor.md",
        "---\nname: \"A New Actor\"\nkind: person\n---\nBio.\n",
    );
    let r = live.changed(&["content/actors/new-actor.md"]);
    assert_eq!(r.mode, "full");
    live.assert_same_as_full_build("registry change");

    live.site.write("templates/author.html", "{% extends \"base.html\" %}\n{% block content %}<h1>{{ author.name }} (custom)</h1>{% endblock content %}\n");
    live.changed(&["templates/author.html"]);
    live.assert_same_as_full_build("template change");

    // Every brief about Iran goes: its page stays, with the profile only.
    live.site.remove("content/briefs/alpha.md");
    live.site.remove("content/briefs/beta-renamed.md");
    live.changed(&["content/briefs/alpha.md", "content/briefs/beta-renamed.md"]);
    assert!(
        live.site
            .out("countries/iran/index.html")
            .contains("Iran profile paragraph")
    );
    live.assert_same_as_full_build("profile-only country");

    live.site.write("static/extra.txt", "changed static\n");
    let r = live.changed(&["static/extra.txt"]);
    assert_eq!((r.mode, r.written), ("static", 1));
    live.assert_same_as_full_build("static change");

    // A stylesheet change renames it (content hash), so every page changes.
    let css_path = "themes/default/static/style.css";
    let css = std::fs::read_to_string(live.site.root().join(css_path)).expect("read");
    live.site
        .write(css_path, &format!("{css}\n/* new rule */\n"));
    live.changed(&[css_path]);
    live.assert_same_as_full_build("stylesheet change");
}

/// Writes `n` briefs all about Iran (a term common enough to stop proposing
/// related candidates), some also about Iraq or an actor, some about Iran only.
fn write_many(site: &TestSite, range: std::ops::Range<usize>) -> Vec<String> {
    range
        .map(|i| {
            let rel = format!("content/briefs/gen-{i:03}.md");
            let iraq = if i % 3 == 0 { ", Iraq" } else { "" };
            let actors = if i % 5 == 0 { String::new() } else { format!("\"Actor {}\"", i % 40) };
            let day = jiff::civil::date(2001, 1, 1) + jiff::Span::new().days(i as i64);
            site.write(
                &rel,
                &format!("---\ntitle: \"Brief {i}\"\ndate: {day}\ncountries: [Iran{iraq}]\nactors: [{actors}]\n---\nBody {i}.\n"),
            );
            rel
        })
        .collect()
}

#[test]
fn incremental_related_briefs_with_common_terms_equal_full_builds() {
    let mut live = Live::start();
    let all = write_many(&live.site, 0..260);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    live.changed(&refs);
    live.assert_same_as_full_build("260 briefs about Iran");

    // The newest brief (inside Iran's window of newest briefs) moves to the past.
    let newest = "content/briefs/gen-259.md";
    let text = std::fs::read_to_string(live.site.root().join(newest)).expect("read");
    assert!(text.contains("date: 2001-09-17"), "{text}");
    live.site.write(
        newest,
        &text.replace("date: 2001-09-17", "date: 1999-01-01"),
    );
    let r = live.changed(&[newest]);
    assert_eq!(r.mode, "incremental");
    live.assert_same_as_full_build("window change");

    // An old Iran-only brief changes outside the window.
    let old = "content/briefs/gen-010.md";
    let text = std::fs::read_to_string(live.site.root().join(old)).expect("read");
    live.site.write(old, &text.replace("Body 10.", "Body ten."));
    live.changed(&[old]);
    live.assert_same_as_full_build("outside the window");

    // A new title shows on one page of each paginated listing it is on.
    let mid = "content/briefs/gen-100.md";
    let text = std::fs::read_to_string(live.site.root().join(mid)).expect("read");
    live.site.write(
        mid,
        &text.replace("title: \"Brief 100\"", "title: \"Brief one hundred\""),
    );
    let r = live.changed(&[mid]);
    assert_eq!(r.mode, "incremental");
    assert!(
        r.rendered < 25,
        "only the pages showing the brief, got {}",
        r.rendered
    );
    live.assert_same_as_full_build("title on paginated listings");

    // Iran drops below the threshold: it proposes candidates again.
    for rel in &all[..70] {
        live.site.remove(rel);
    }
    live.changed(&refs[..70]);
    live.assert_same_as_full_build("common term becomes uncommon");

    write_many(&live.site, 0..70);
    live.changed(&refs[..70]);
    live.assert_same_as_full_build("and common again");
}

#[test]
fn unchanged_bytes_are_not_rewritten() {
    let mut live = Live::start();
    let page = live.site.root().join("output/countries/france/index.html");
    let before = std::fs::metadata(&page)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    // Touch beta: same bytes, so nothing but its own (identical) pages render and nothing is written.
    let beta =
        std::fs::read_to_string(live.site.root().join("content/briefs/beta.md")).expect("read");
    live.site.write("content/briefs/beta.md", &beta);
    let r = live.changed(&["content/briefs/beta.md"]);
    assert_eq!(r.written, 0, "{r:?}");
    let after = std::fs::metadata(&page)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(before, after);
}

#[test]
fn a_change_of_countries_updates_every_page_of_the_actor_listings_only() {
    let mut live = Live::start();
    // 70 briefs naming one actor: its listing has several pages, all showing
    // the countries of all its briefs.
    let all: Vec<String> = (0..70)
        .map(|i| {
            let rel = format!("content/briefs/paged-{i:03}.md");
            let day = jiff::civil::date(2003, 1, 1) + jiff::Span::new().days(i as i64);
            live.site.write(
                &rel,
                &format!("---\ntitle: \"Paged {i}\"\ndate: {day}\ncountries: [Iran]\nactors: [\"Paged Actor\"]\n---\nBody {i}.\n"),
            );
            rel
        })
        .collect();
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    live.changed(&refs);
    live.assert_same_as_full_build("70 briefs naming one actor");
    assert!(
        live.site
            .root()
            .join("output/actors/paged-actor/page/2/index.html")
            .is_file()
    );

    // The newest brief gains a country: every page of the actor's listing
    // lists it; of Iran's pages only the one with the brief's card changes.
    let newest = "content/briefs/paged-069.md";
    let text = std::fs::read_to_string(live.site.root().join(newest)).expect("read");
    live.site.write(
        newest,
        &text.replace("countries: [Iran]", "countries: [Iran, Oman]"),
    );
    let r = live.changed(&[newest]);
    assert_eq!(r.mode, "incremental");
    live.assert_same_as_full_build("a country added to a brief of a paginated actor");
    let page2 = live.site.out("actors/paged-actor/page/2/index.html");
    assert!(page2.contains("Oman"), "co-countries on every actor page");
    let iran_pages = live
        .site
        .root()
        .join("output/countries/iran/page")
        .read_dir()
        .map_or(0, |d| d.count());
    assert!(iran_pages >= 1, "Iran's listing is paginated");
}

/// Issue 11: a brief that links to another brief's file follows that
/// brief's slug, and gets an error when it is gone.
#[test]
fn briefs_linking_to_a_changed_brief_are_rendered_again() {
    let mut live = Live::start();
    live.site.write(
        "content/briefs/linker.md",
        "---\ntitle: \"Linker\"\ndate: 2019-05-01\ncountries: [Oman]\n---\nSee [beta](beta.md#top).\n",
    );
    live.changed(&["content/briefs/linker.md"]);
    live.assert_same_as_full_build("a brief linking to beta");
    assert!(
        live.site
            .out("briefs/linker/index.html")
            .contains("href=\"/briefs/briefs/beta/#top\"")
    );

    let beta =
        std::fs::read_to_string(live.site.root().join("content/briefs/beta.md")).expect("read");
    live.site.write(
        "content/briefs/beta.md",
        &beta.replacen("---\n", "---\nslug: beta-moved\n", 1),
    );
    let r = live.changed(&["content/briefs/beta.md"]);
    assert_eq!(r.mode, "incremental");
    assert!(
        live.site
            .out("briefs/linker/index.html")
            .contains("href=\"/briefs/briefs/beta-moved/#top\"")
    );
    live.assert_same_as_full_build("the linked brief's slug changed");

    live.site.remove("content/briefs/beta.md");
    let r = live.changed(&["content/briefs/beta.md"]);
    assert_eq!(r.mode, "failed");
    let errors = live.session.errors();
    assert!(
        errors.iter().any(
            |e| e.path == std::path::Path::new("content/briefs/linker.md")
                && (e.line, e.column) == (6, 5)
                && e.message.contains("points to no brief")
        ),
        "{errors:?}"
    );

    live.site.write("content/briefs/beta.md", &beta);
    live.changed(&["content/briefs/beta.md"]);
    live.assert_same_as_full_build("the linked brief is back");
}

#[test]
fn topics_and_aliases_edited_while_serving_equal_full_builds() {
    let mut live = Live::start();
    let alpha =
        std::fs::read_to_string(live.site.root().join("content/briefs/alpha.md")).expect("read");
    let with = |extra: &str| alpha.replacen("---\n", &format!("---\n{extra}"), 1);
    let steps = [
        (
            "topics added",
            with("topics: [Energy]\naliases: [/2018/01/old-alpha/]\n"),
        ),
        (
            "topic renamed",
            with("topics: [Security]\naliases: [/2018/01/old-alpha/]\n"),
        ),
        // Only the alias: no term changes, so this needs its own rule.
        (
            "alias changed",
            with("topics: [Security]\naliases: [/old/alpha.html]\n"),
        ),
        ("topics and aliases removed", alpha.clone()),
    ];
    for (step, text) in steps {
        live.site.write("content/briefs/alpha.md", &text);
        live.changed(&["content/briefs/alpha.md"]);
        live.assert_same_as_full_build(step);
    }
    assert!(!live.site.out_exists("_redirects"));
    assert!(!live.site.out_exists("topics/index.html"));
}

#[test]
fn source_and_pair_pages_follow_edits_as_a_full_build_would() {
    let mut live = Live::start();
    // One brief per page: country partners show on every page of a country.
    let yaml = std::fs::read_to_string(live.site.root().join("site.yaml")).expect("site.yaml");
    live.site
        .write("site.yaml", &format!("{yaml}page_size: 1\n"));
    live.changed(&["site.yaml"]);
    let brief = |slug: &str, countries: &str, publisher: &str| {
        format!(
            "---\ntitle: \"{slug}\"\ndate: 2019-0{}-01\ncountries: [{countries}]\nsources:\n  - title: \"Item\"\n    publisher: \"{publisher}\"\n    kind: news\n---\nBody.\n",
            slug.len() % 9 + 1
        )
    };
    // Two more Iran and France briefs: with alpha, the pair gets its page
    // and both country pages list it; a new publisher gets its page.
    live.site.write(
        "content/briefs/p1.md",
        &brief("p1", "Iran, France", "Reuters"),
    );
    live.site.write(
        "content/briefs/p22.md",
        &brief("p22", "France, Iran", "Fars"),
    );
    live.changed(&["content/briefs/p1.md", "content/briefs/p22.md"]);
    assert!(
        live.site
            .root()
            .join("output/countries/france/iran/index.html")
            .exists()
    );
    live.assert_same_as_full_build("pair reached");

    // A publisher renamed: its old page goes, the new one comes.
    live.site.write(
        "content/briefs/p1.md",
        &brief("p1", "Iran, France", "Al Jazeera"),
    );
    live.changed(&["content/briefs/p1.md"]);
    assert!(
        !live
            .site
            .root()
            .join("output/sources/reuters/index.html")
            .exists()
    );
    live.assert_same_as_full_build("publisher renamed");

    // A country dropped: the pair falls under the threshold.
    live.site
        .write("content/briefs/p22.md", &brief("p22", "Iran", "Fars"));
    live.changed(&["content/briefs/p22.md"]);
    assert!(
        !live
            .site
            .root()
            .join("output/countries/france/iran/index.html")
            .exists()
    );
    live.assert_same_as_full_build("pair dropped");

    // A registry entry joins `Fars` to `Fars News Agency`.
    live.site.write(
        "content/sources/fars-news-agency.md",
        "---\nname: \"Fars News Agency\"\naliases: [Fars]\nkind: state-media\n---\n",
    );
    live.changed(&["content/sources/fars-news-agency.md"]);
    assert!(
        !live
            .site
            .root()
            .join("output/sources/fars/index.html")
            .exists()
    );
    live.assert_same_as_full_build("registry added");
}

#[test]
fn editing_the_sites_interface_strings_rebuilds_like_a_full_build() {
    let mut live = Live::start();
    live.site.write("i18n/en.yaml", "nav_briefs: Papers\n");
    let report = live.changed(&["i18n/en.yaml"]);
    assert_eq!(report.mode, "full");
    live.assert_same_as_full_build("i18n edit");
    assert!(live.site.out("index.html").contains(">Papers</a>"));
}

#[test]
fn translation_edits_while_serving_equal_full_builds() {
    let mut live = Live::start();
    let yaml = std::fs::read_to_string(live.site.root().join("site.yaml")).expect("read");
    live.site.write(
        "site.yaml",
        &yaml.replace("language: en\n", "language: en\nlanguages:\n  - code: fr\n"),
    );
    let french = |extra: &str| {
        format!(
            "---\ntitle: \"Alpha : Rohani appelle Macron\"\ndate: 2018-01-04\nlang: fr\n{extra}countries: [Iran, France]\nactors: [Rouhani]\n---\nTexte.\n"
        )
    };
    live.site.write("content/briefs/alpha-fr.md", &french(""));
    live.changed(&["site.yaml", "content/briefs/alpha-fr.md"]);
    live.assert_same_as_full_build("French brief added");
    assert!(live.site.out_exists("fr/briefs/alpha-fr/index.html"));
    // Linking it to its original changes both briefs' pages (their
    // switchers and hreflang links), and the sitemap.
    live.site.write(
        "content/briefs/alpha-fr.md",
        &french("translation_of: alpha\n"),
    );
    live.changed(&["content/briefs/alpha-fr.md"]);
    live.assert_same_as_full_build("translation linked");
    let linked = r#"<link rel="alternate" hreflang="fr""#;
    assert!(live.site.out("briefs/alpha/index.html").contains(linked));
    live.site.write("content/briefs/alpha-fr.md", &french(""));
    live.changed(&["content/briefs/alpha-fr.md"]);
    live.assert_same_as_full_build("translation unlinked");
    assert!(!live.site.out("briefs/alpha/index.html").contains(linked));
}
