//! `briefly import`: fixture archives of each kind (tests/fixtures/import/)
//! imported with the real binary, then built.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use assert_fs::TempDir;

use crate::common::{repo, snapshot_tree};

fn fixture(kind: &str) -> std::path::PathBuf {
    repo().join("tests/fixtures/import").join(kind)
}

fn import(args: &[&str], into: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("briefly")
        .expect("binary")
        .arg("import")
        .args(args)
        .arg("--into")
        .arg(into)
        .assert()
}

fn build(root: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("briefly")
        .expect("binary")
        .args(["build", "--root"])
        .arg(root)
        .assert()
}

fn out(a: &assert_cmd::assert::Assert) -> (String, String) {
    let o = a.get_output();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every alias of every brief has a redirect page in the built folder that
/// points at the brief's page, which exists.
fn assert_aliases_resolve(root: &Path) {
    let briefs = walkdir::WalkDir::new(root.join("content/briefs"));
    let mut checked = 0;
    for entry in briefs.into_iter().filter_map(Result::ok) {
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        if text.contains("draft: true") {
            continue;
        }
        let Some(line) = text.lines().find(|l| l.starts_with("aliases: ")) else {
            continue;
        };
        let aliases: Vec<String> =
            serde_json::from_str(&line["aliases: ".len()..]).expect("aliases are a JSON list");
        for alias in aliases {
            let decoded = percent_encoding::percent_decode_str(&alias)
                .decode_utf8_lossy()
                .into_owned();
            let rel = decoded.trim_start_matches('/');
            let file = if rel.ends_with(".html") {
                rel.to_string()
            } else {
                format!("{}/index.html", rel.trim_end_matches('/'))
            };
            let page = read(&root.join("output"), &file);
            let target = page
                .split("url=")
                .nth(1)
                .and_then(|t| t.split('"').next())
                .expect("refresh target");
            let target_file = root
                .join("output")
                .join(target.trim_start_matches('/'))
                .join("index.html");
            assert!(target_file.is_file(), "{alias} -> {target}: no page");
            checked += 1;
        }
    }
    assert!(checked > 0, "no alias was checked");
}

#[test]
fn a_hugo_site_imports_with_mapped_terms_bundles_and_old_urls_and_builds() {
    let site = TempDir::new().expect("tmp");
    fs::write(
        site.path().join("import-map.yaml"),
        "irgc: {actor: \"Islamic Revolutionary Guard Corps\"}\n",
    )
    .expect("map");
    let a = import(
        &["hugo", fixture("hugo").to_str().expect("utf-8")],
        site.path(),
    )
    .failure();
    let (stdout, stderr) = out(&a);
    // The broken page is reported at its line; the others are imported.
    assert!(stderr.contains("content/posts/broken.md:3:"), "{stderr}");
    assert!(
        stderr.contains("TOML front matter does not parse"),
        "{stderr}"
    );
    // A date that is no day is reported at its own line.
    assert!(
        stderr.contains(
            "content/posts/baddate.md:3: error: `Bad date`: date `2019-02-30` is not a date"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/posts/oil-deal.md:17:1: warning: kept as written: `{{% notice warning %}}`"
        ),
        "{stderr}"
    );
    assert!(stdout.contains("imported 5 briefs"), "{stdout}");
    assert!(stdout.contains("1 pages without a date"), "{stdout}");
    assert!(
        stdout.contains(
            "slug `oil-deal` was taken: content/posts/dup.md became `oil-deal-2019-06-01`"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("      1  sanctions"), "{stdout}");
    let oil = read(site.path(), "content/briefs/oil-deal.md");
    for expected in [
        "countries: [\"Iran\"]",
        "actors: [\"Islamic Revolutionary Guard Corps\"]",
        "topics: [\"Energy\"]",
        "aliases: [\"/2019/05/oil-deal/\",\"/old/oil/\"]",
        "date: \"2019-05-20T10:00:00-04:00\"",
        "![Exports, 2019](/images/chart.png)",
        "[the bundle](@/briefs/red-sea/index.md)",
        "youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ] {
        assert!(oil.contains(expected), "{expected} in\n{oil}");
    }
    let sea = read(site.path(), "content/briefs/red-sea/index.md");
    assert!(
        sea.contains("countries: [\"United States\",\"Côte d'Ivoire\"]"),
        "{sea}"
    );
    assert!(site.path().join("content/briefs/red-sea/map.png").is_file());
    assert!(site.path().join("static/images/chart.png").is_file());
    assert!(read(site.path(), "content/briefs/later.md").contains("draft: true"));
    build(site.path()).success();
    assert_aliases_resolve(site.path());
    let topics = read(&site.path().join("output"), "topics/index.html");
    assert!(topics.contains("Energy") && topics.contains("Security"));
}

#[test]
fn a_re_import_rewrites_nothing_and_keeps_edited_briefs_unless_forced() {
    let site = TempDir::new().expect("tmp");
    let source = fixture("jekyll");
    let source = source.to_str().expect("utf-8");
    import(&["jekyll", source], site.path()).failure();
    let first = snapshot_tree(site.path());
    let (stdout, _) = out(&import(&["jekyll", source], site.path()).failure());
    assert!(stdout.contains("(3 unchanged; 1 drafts)"), "{stdout}");
    assert_eq!(
        first,
        snapshot_tree(site.path()),
        "a second import changed files"
    );
    let brief = site.path().join("content/briefs/other.md");
    fs::write(&brief, "---\ntitle: Edited\ndate: 2019-03-05\n---\nMine.\n").expect("edit");
    let (stdout, _) = out(&import(&["jekyll", source], site.path()).failure());
    assert!(
        stdout.contains("kept content/briefs/other.md: edited since the last import"),
        "{stdout}"
    );
    assert!(read(site.path(), "content/briefs/other.md").contains("Mine."));
    import(&["jekyll", source, "--force"], site.path()).failure();
    assert!(!read(site.path(), "content/briefs/other.md").contains("Mine."));
}

#[test]
fn a_dry_run_writes_nothing() {
    let parent = TempDir::new().expect("tmp");
    let site = parent.path().join("new-site");
    let (stdout, _) = out(&import(
        &[
            "wordpress",
            fixture("wordpress/export.xml").to_str().expect("utf-8"),
            "--dry-run",
        ],
        &site,
    )
    .success());
    assert!(stdout.contains("would import 4 briefs"), "{stdout}");
    assert!(
        stdout.contains("nothing was written (--dry-run)"),
        "{stdout}"
    );
    assert!(!site.exists());
}

#[test]
fn a_jekyll_site_imports_with_file_name_dates_permalinks_and_authors() {
    let site = TempDir::new().expect("tmp");
    let (_, stderr) = out(&import(
        &["jekyll", fixture("jekyll").to_str().expect("utf-8")],
        site.path(),
    )
    .failure());
    assert!(
        stderr.contains("_posts/2019-03-06-bad.md:3: error: YAML front matter does not parse"),
        "{stderr}"
    );
    let gulf = read(site.path(), "content/briefs/gulf-talks.md");
    for expected in [
        "date: \"2019-03-04\"",
        "authors: [\"Jane Doe\"]",
        "countries: [\"Iran\",\"Qatar\"]",
        "aliases: [\"/security/2019/03/04/gulf-talks/\"]",
        "![m](/assets/x.png) and [other](@/briefs/other.md)",
        "![X marks](/assets/x.png)",
    ] {
        assert!(gulf.contains(expected), "{expected} in\n{gulf}");
    }
    assert!(
        read(site.path(), "content/briefs/other.md").contains("aliases: [\"/custom/other.html\"]")
    );
    assert!(read(site.path(), "content/briefs/idea.md").contains("draft: true"));
    build(site.path()).success();
    assert_aliases_resolve(site.path());
    assert!(read(&site.path().join("output"), "custom/other.html").contains("url=/briefs/other/"));
}

#[test]
fn a_wordpress_export_imports_cdata_gutenberg_non_ascii_slugs_and_old_slugs() {
    let site = TempDir::new().expect("tmp");
    let export = fixture("wordpress/export.xml");
    let (stdout, stderr) =
        out(&import(&["wordpress", export.to_str().expect("utf-8")], site.path()).success());
    assert!(
        stderr.contains("export.xml:20:1: warning: kept as written: `[gallery ids=\"7,8\"]`"),
        "{stderr}"
    );
    assert!(stdout.contains("1 attachments, 1 pages"), "{stdout}");
    assert!(stdout.contains("1 images left on the old host"), "{stdout}");
    let post = read(site.path(), "content/briefs/sanctions-shipping.md");
    for expected in [
        "title: \"Sanctions & shipping\"",
        "date: \"2019-05-20T13:00:00+02:00\"",
        "authors: [\"Jane Doe\"]",
        "countries: [\"Iran\",\"United States\"]",
        "topics: [\"Energy\"]",
        "aliases: [\"/2019/05/sanctions-shipping/\",\"/2019/05/sanctions-and-shipping/\"]",
        "Ships & ports.",
        "![Port](https://old.example.org/wp-content/uploads/2019/05/port.jpg)",
    ] {
        assert!(post.contains(expected), "{expected} in\n{post}");
    }
    assert!(
        !post.contains("wp:paragraph") && !post.contains("Uncategorized"),
        "{post}"
    );
    let arabic = read(site.path(), "content/briefs/slm.md");
    assert!(
        arabic.contains("title: \"سلام\"") && arabic.contains("/2020/01/%d8%b3%d9%84%d8%a7%d9%85/"),
        "{arabic}"
    );
    assert!(
        read(
            site.path(),
            "content/briefs/sanctions-shipping-2020-02-01.md"
        )
        .contains("Sanctions again")
    );
    build(site.path()).success();
    assert_aliases_resolve(site.path());
    assert!(site.path().join("output/2020/01/سلام/index.html").is_file());
    assert!(
        read(&site.path().join("output"), "_redirects")
            .contains("/2019/05/sanctions-and-shipping/ /briefs/sanctions-shipping/ 301")
    );
}

#[test]
fn a_cut_off_export_keeps_the_posts_before_the_cut_and_names_the_line() {
    let dir = TempDir::new().expect("tmp");
    let whole = fs::read_to_string(fixture("wordpress/export.xml")).expect("export");
    let cut_at = whole.find("<title>Sanctions again").expect("third post");
    let export = dir.path().join("cut.xml");
    fs::write(&export, &whole[..cut_at + 30]).expect("write");
    let site = dir.path().join("site");
    let (stdout, stderr) =
        out(&import(&["wordpress", export.to_str().expect("utf-8")], &site).failure());
    assert!(stderr.contains("cut.xml:"), "{stderr}");
    assert!(
        stderr.contains("the 2 posts before it were read"),
        "{stderr}"
    );
    assert!(stdout.contains("imported 2 briefs"), "{stdout}");
}

#[test]
fn a_folder_or_file_of_the_wrong_kind_is_one_error_and_nothing_is_written() {
    let dir = TempDir::new().expect("tmp");
    let site = dir.path().join("site");
    let (_, stderr) =
        out(&import(&["hugo", fixture("jekyll").to_str().expect("utf-8")], &site).failure());
    assert!(
        stderr.contains("this is not a Hugo site: it has no `content/` folder"),
        "{stderr}"
    );
    let (_, stderr) = out(&import(
        &["jekyll", fixture("wordpress").to_str().expect("utf-8")],
        &site,
    )
    .failure());
    assert!(
        stderr.contains("this is not a Jekyll or Eleventy site"),
        "{stderr}"
    );
    let html = dir.path().join("page.xml");
    fs::write(&html, "<html><body>not an export</body></html>").expect("write");
    let (_, stderr) = out(&import(&["wordpress", html.to_str().expect("utf-8")], &site).failure());
    assert!(stderr.contains("page.xml:1:"), "{stderr}");
    assert!(
        stderr.contains("this is not a WordPress export (WXR): its first element is `<html>`"),
        "{stderr}"
    );
    assert!(!site.exists(), "nothing may be written");
    // A folder that is not a briefly site is not written into either.
    fs::write(dir.path().join("notes.txt"), "mine").expect("write");
    let (_, stderr) = out(&import(
        &["hugo", fixture("hugo").to_str().expect("utf-8")],
        dir.path(),
    )
    .failure());
    assert!(
        stderr.contains("is not a briefly site and not empty"),
        "{stderr}"
    );
    assert!(!dir.path().join("content").exists());
}

/// A PNG of 4x3 pixels.
fn png() -> Vec<u8> {
    let hex = "89504e470d0a1a0a0000000d49484452000000040000000308020000003b96399100\
               00001049444154789c63f8cfc000470c383900f5310bf5357bfb820000000049454e44ae426082";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn fetch_media_downloads_the_old_hosts_images_into_the_brief_folder() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(3) {
            let Ok(mut s) = stream else { continue };
            let mut request = [0u8; 2048];
            let n = s.read(&mut request).unwrap_or(0);
            let found = String::from_utf8_lossy(&request[..n])
                .starts_with("GET /wp-content/uploads/map.png");
            let body = if found { png() } else { Vec::new() };
            let status = if found { "200 OK" } else { "404 Not Found" };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    let dir = TempDir::new().expect("tmp");
    let whole = fs::read_to_string(fixture("wordpress/export.xml")).expect("export");
    let img = |name: &str| {
        format!("<img src=\"http://127.0.0.1:{port}/wp-content/uploads/{name}\" alt=\"Map\" />")
    };
    let export = dir.path().join("export.xml");
    // No request leaves the machine: the fixture's own image is served (404) here too.
    let local = whole
        .replace(
            "https://old.example.org/wp-content",
            &format!("http://127.0.0.1:{port}/wp-content"),
        )
        .replace(
            "[gallery ids=\"7,8\"]",
            &format!("{}{}", img("map.png"), img("gone.png")),
        );
    fs::write(&export, local).expect("write");
    let site = dir.path().join("site");
    let (stdout, stderr) = out(&import(
        &[
            "wordpress",
            export.to_str().expect("utf-8"),
            "--fetch-media",
        ],
        &site,
    )
    .success());
    assert!(
        stderr.contains("image not fetched, left on the old host"),
        "{stderr}"
    );
    // gone.png and the fixture's port.jpg answer 404.
    assert!(
        stdout.contains("1 files copied (1 new); 2 images left on the old host"),
        "{stdout}"
    );
    let brief = read(&site, "content/briefs/sanctions-shipping/index.md");
    assert!(brief.contains("![Map](map.png)"), "{brief}");
    assert!(brief.contains("gone.png"), "{brief}");
    assert_eq!(
        fs::read(site.join("content/briefs/sanctions-shipping/map.png")).ok(),
        Some(png())
    );
    build(&site).success();
    assert!(
        site.join("output/briefs/sanctions-shipping/map.png")
            .is_file()
    );
}
