//! The built-in default theme, theme folders that override single files,
//! and `copy-theme`.

use crate::common::{TestSite, copy_tree, repo, snapshot_tree, stderr};

/// `tests/fixtures/site` with no `themes/` folder at all.
fn site_without_theme() -> TestSite {
    let site = TestSite::empty();
    copy_tree(&repo().join("tests/fixtures/site"), site.root());
    assert!(!site.root().join("themes").exists());
    site
}

#[test]
fn a_site_without_a_theme_folder_builds_like_one_with_the_theme_copied() {
    let builtin = site_without_theme();
    builtin.build(&[]).success();
    let copied = TestSite::fixture();
    copied.build(&[]).success();
    let a = snapshot_tree(&builtin.root().join("output"));
    let b = snapshot_tree(&copied.root().join("output"));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{} differs", path.display());
    }
    assert!(a.keys().any(|p| p.starts_with("countries")));
    // The built-in world map is there: the countries page draws it.
    assert!(builtin.out("countries/index.html").contains("<svg"));
}

#[test]
fn a_theme_folder_needs_only_the_files_it_changes() {
    let site = site_without_theme();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    site.write("site.yaml", &yaml.replace("theme: default", "theme: house"));
    site.write(
        "themes/house/templates/authors.html",
        "{% extends \"base.html\" %}{% block content %}<p>house-authors-marker</p>{% endblock %}",
    );
    site.write(
        "themes/house/static/style.css",
        "body { color: #123456; }\n",
    );
    site.build(&[]).success();
    assert!(
        site.out("authors/index.html")
            .contains("house-authors-marker")
    );
    // Every other template comes from the built-in theme.
    assert!(site.out("index.html").contains("<main"));
    let css: Vec<_> = std::fs::read_dir(site.root().join("output"))
        .expect("output")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("style.") && n.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "{css:?}");
    assert_eq!(site.out(&css[0]), "body { color: #123456; }\n");
    assert!(site.out("index.html").contains(&css[0]));
    // The site's own templates/ folder wins over the theme folder.
    site.write(
        "templates/authors.html",
        "{% extends \"base.html\" %}{% block content %}<p>site-authors-marker</p>{% endblock %}",
    );
    site.build(&[]).success();
    assert!(
        site.out("authors/index.html")
            .contains("site-authors-marker")
    );
}

#[test]
fn a_missing_theme_is_one_error_at_its_line_with_a_hint() {
    let site = site_without_theme();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("read");
    assert!(yaml.contains("theme: default"));
    site.write(
        "site.yaml",
        &yaml.replace("theme: default", "theme: nonesuch"),
    );
    let line = yaml
        .lines()
        .position(|l| l.starts_with("theme:"))
        .expect("theme line")
        + 1;
    let assert = site.build(&[]).failure();
    let err = stderr(&assert);
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "site.yaml:{line}: error: theme `nonesuch` not found"
        )),
        "{err}"
    );
    assert!(err.contains("hint:") && err.contains("copy-theme"), "{err}");
    assert!(!err.contains(":0"), "no made-up positions: {err}");
}

#[test]
fn copy_theme_writes_the_built_in_theme_and_never_overwrites() {
    let site = site_without_theme();
    site.cmd()
        .args(["copy-theme", "--name", "house"])
        .assert()
        .success();
    for file in ["templates/base.html", "static/style.css", "world.svg"] {
        let copied = std::fs::read(site.root().join("themes/house").join(file)).expect(file);
        let original = std::fs::read(repo().join("themes/default").join(file)).expect(file);
        assert!(copied == original, "{file} differs");
    }
    site.write("themes/house/static/style.css", "edited");
    let assert = site
        .cmd()
        .args(["copy-theme", "--name", "house"])
        .assert()
        .failure();
    assert!(stderr(&assert).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(site.root().join("themes/house/static/style.css")).expect("read"),
        "edited"
    );
    // Outside a site it refuses and writes nothing.
    let empty = TestSite::empty();
    let assert = empty.cmd().arg("copy-theme").assert().failure();
    assert!(stderr(&assert).contains("no site.yaml"));
    assert!(!empty.root().join("themes").exists());
}

#[test]
fn the_skip_the_map_link_has_a_target_when_no_brief_names_a_country() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: \"No countries\"\nbase_url: \"https://example.org/\"\n",
    );
    site.write(
        "content/briefs/one.md",
        "---\ntitle: \"One\"\ndate: 2020-01-02\nauthors: [\"A. Writer\"]\n---\nText.\n",
    );
    site.build(&[]).success();
    let page = site.out("countries/index.html");
    assert!(page.contains("href=\"#country-list\""), "the map is drawn");
    assert!(
        page.contains("id=\"country-list\""),
        "its skip link has a target"
    );
    // `check` agrees: no anchor points nowhere.
    let assert = site.cmd().arg("check").assert().success();
    assert!(!crate::common::stderr(&assert).contains("#country-list"));
}
