//! `briefly serve` over real HTTP on 127.0.0.1: pages, assets, 404s,
//! traversal attempts, live reload, error overlay and recovery.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::TestSite;

/// The server process, killed when dropped.
struct Server {
    child: Child,
    base: String,
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &TestSite) -> Server {
        Self::start_with(site, &[])
    }

    fn start_with(site: &TestSite, extra: &[&str]) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_briefly"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        let (tx, lines) = mpsc::channel();
        // Owned by `Server` at once, so it is killed even if the start fails.
        let mut server = Server {
            child,
            base: String::new(),
            lines,
        };
        let out: Box<dyn Read + Send> = Box::new(server.child.stdout.take().expect("stdout"));
        let err: Box<dyn Read + Send> = Box::new(server.child.stderr.take().expect("stderr"));
        for stream in [out, err] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.base.is_empty() {
            let line = server
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("server prints its URL");
            if line.starts_with("serving")
                && let Some(url) = line
                    .split(" at ")
                    .nth(1)
                    .and_then(|r| r.split_whitespace().next())
            {
                server.base = url.trim_end_matches('/').to_string();
            }
        }
        server
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent
            .get(format!("{}{path}", self.base))
            .call()
            .expect("request");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, content_type, body)
    }

    /// Sends a raw request line, so the path reaches the server unnormalised.
    fn raw_status(&self, path: &str) -> u16 {
        let host = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }

    /// Polls `path` until `check` holds on its body, or panics after 10 s.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (status, _, body) = self.get(path);
            if check(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out (30 s) waiting for {what} at {path}; last status {status}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Opens the live reload event stream and returns a receiver that gets
/// every event name the server sends.
fn subscribe(server: &Server) -> mpsc::Receiver<String> {
    let host = server.base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&host).expect("connect");
    write!(stream, "GET /_tower-livereload/event-stream HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n").expect("send");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(event) = line.strip_prefix("event: ") {
                let _ = tx.send(event.to_string());
            }
        }
    });
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(5)).expect("init event"),
        "init"
    );
    rx
}

/// Saves a file the way editors do: write a temporary file, then rename it over the original.
fn save_like_an_editor(site: &TestSite, rel: &str, text: &str) {
    let target = site.root().join(rel);
    let temp = target.with_file_name(format!(
        ".{}.swp",
        target.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    std::fs::write(&temp, text).expect("write temp");
    std::fs::rename(&temp, &target).expect("rename");
}

#[test]
fn serves_pages_assets_and_404s() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    let (status, content_type, body) = server.get("/briefs/alpha/");
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.contains("Alpha: Rouhani calls Macron"));
    assert!(
        body.contains("/_tower-livereload/event-stream"),
        "live reload script injected when serving"
    );
    let built = std::fs::read_to_string(site.root().join("output/briefs/alpha/index.html"))
        .expect("on disk");
    assert!(
        !built.contains("tower-livereload"),
        "never injected into the written files"
    );
    let stylesheet = body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("stylesheet link")
        .to_string();
    let (status, content_type, _) = server.get(&stylesheet);
    assert_eq!((status, content_type.as_str()), (200, "text/css"));
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("Site-level override of the 404 page"),
        "the theme's 404 page"
    );
    // Links in served pages point at the server, not at the site's base_url.
    assert!(server.get("/").2.contains("href=\"/countries/iran/\""));
}

#[test]
fn never_serves_files_outside_the_output_folder() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/briefs/%2e%2e/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
    ] {
        let status = server.raw_status(path);
        assert!(matches!(status, 400 | 404), "{path} gave {status}");
    }
    std::os::unix::fs::symlink(
        site.root().join("site.yaml"),
        site.root().join("output/leak.txt"),
    )
    .expect("symlink");
    assert_eq!(
        server.get("/leak.txt").0,
        404,
        "symlink pointing out of the output folder"
    );
}

/// A path the file system cannot hold (a name over 255 bytes, a whole path
/// over 4096) is no page of the site: 404, not 500. Found under load.
#[test]
fn paths_too_long_for_the_file_system_are_not_found() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    let long_name = "a".repeat(300);
    let long_path = format!("/{}", vec!["b".repeat(250); 20].join("/"));
    for path in [
        format!("/{long_name}"),
        format!("/{long_name}/"),
        format!("/briefs/{long_name}/index.html"),
        format!("/{}", "%61".repeat(300)),
        long_path.clone(),
        format!("{long_path}/"),
    ] {
        let status = server.raw_status(&path);
        assert_eq!(status, 404, "{}... ({} bytes)", &path[..40], path.len());
    }
    assert_eq!(server.get("/").0, 200, "the server still serves");
}

#[test]
fn edits_reload_the_browser_and_errors_show_over_the_last_good_page() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    let events = subscribe(&server);

    let beta = std::fs::read_to_string(site.root().join("content/briefs/beta.md")).expect("read");
    save_like_an_editor(
        &site,
        "content/briefs/beta.md",
        &beta.replace("Beta body.", "Beta body, revised."),
    );
    assert_eq!(
        events
            .recv_timeout(Duration::from_secs(30))
            .expect("reload event"),
        "reload"
    );
    server.wait_for("/briefs/beta/", "the edit", |s, b| {
        s == 200 && b.contains("Beta body, revised.")
    });

    // Break the YAML: the old page stays, with the overlay naming file and line.
    save_like_an_editor(
        &site,
        "content/briefs/beta.md",
        "---\ntitle: \"Beta\"\ndate: [oops\n---\nBroken.\n",
    );
    let page = server.wait_for("/briefs/beta/", "the error overlay", |_, b| {
        b.contains("briefly-errors")
    });
    assert!(
        page.contains("content/briefs/beta.md:3:"),
        "overlay names file and line"
    );
    assert!(
        page.contains("Beta body, revised."),
        "last good page still served underneath"
    );
    let (_, _, status) = server.get("/__briefly/status");
    assert!(status.contains("content/briefs/beta.md:3:"), "{status}");

    // Fix it: the overlay goes away.
    save_like_an_editor(&site, "content/briefs/beta.md", &beta);
    server.wait_for("/briefs/beta/", "recovery", |_, b| {
        !b.contains("briefly-errors") && b.contains("Beta body.")
    });

    // Delete a brief: its page is gone and its country page no longer lists it.
    assert!(
        server
            .get("/countries/cote-d-ivoire/")
            .1
            .starts_with("text/html")
    );
    std::fs::remove_file(site.root().join("content/briefs/beta.md")).expect("delete");
    server.wait_for("/briefs/beta/", "the page to go", |s, _| s == 404);
    let iran = server.wait_for("/countries/iran/", "the country page to update", |_, b| {
        !b.contains("Beta: protests spread")
    });
    assert!(iran.contains("Alpha: Rouhani calls Macron"));
    assert_eq!(
        server.get("/countries/cote-d-ivoire/").0,
        404,
        "country with no briefs left has no page"
    );
}

#[test]
fn swap_files_and_output_changes_do_not_trigger_rebuilds() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    let events = subscribe(&server);
    site.write("content/briefs/.alpha.md.swp", "garbage");
    site.write("content/briefs/alpha.md~", "garbage");
    site.write("content/briefs/4913", "");
    site.write("output/stray.html", "<p>x</p>");
    assert!(
        events.recv_timeout(Duration::from_millis(800)).is_err(),
        "no reload for ignored files"
    );
    // A real change still goes through.
    site.write(
        "content/briefs/new.md",
        "---\ntitle: \"Fresh\"\ndate: 2020-01-01\ncountries: [Iran]\n---\nFresh body.\n",
    );
    assert_eq!(
        events
            .recv_timeout(Duration::from_secs(30))
            .expect("reload"),
        "reload"
    );
    server.wait_for("/briefs/new/", "the new brief", |s, _| s == 200);
    let log: Vec<String> = server.lines.try_iter().collect();
    assert!(
        log.iter()
            .any(|l| l.contains("content/briefs/new.md") && l.contains("ms")),
        "a rebuild line with timing: {log:?}"
    );
}

#[test]
fn a_taken_port_is_reported() {
    let site = TestSite::fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_briefly"))
        .args(["serve", "--port", &port])
        .current_dir(site.root())
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("is taken"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_search_index_is_built_in_the_background() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    server.wait_for("/pagefind/pagefind.js", "the search index", |s, _| s == 200);
    assert_eq!(server.get("/search/").0, 200);
}

/// The text of every page Pagefind recorded (its gzipped fragments).
fn indexed_text(site: &TestSite) -> String {
    let mut text = String::new();
    let dir = site.root().join("output/pagefind/fragment");
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        // Pagefind writes a "pagefind_dcd" signature before the JSON, gzipped.
        let mut json = String::new();
        let _ = flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut json);
        text.push_str(&json);
    }
    text
}

/// Waits for the server to print that the search index is ready.
fn wait_for_index(server: &Server) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = server
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server reports the search index");
        if line.starts_with("search index of") {
            return line;
        }
    }
}

#[test]
fn a_saved_edit_becomes_findable_in_search() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    let first = wait_for_index(&server);
    assert!(first.contains("search index of 3 briefs ready"), "{first}");
    assert!(!indexed_text(&site).contains("zebracorn"));

    let path = "content/briefs/alpha.md";
    let text = std::fs::read_to_string(site.root().join(path)).expect("read");
    save_like_an_editor(
        &site,
        path,
        &text.replace("Alpha first paragraph", "Alpha zebracorn paragraph"),
    );
    let again = wait_for_index(&server);
    // Only the edited brief's shard is indexed again (one shard here), and
    // the new word is in the index the search page loads.
    assert!(again.contains("(0 of 1 shard(s) reused)"), "{again}");
    assert!(indexed_text(&site).contains("zebracorn"));
}

/// The preview indexes the pages it writes, so they keep the search-only
/// filters the build publishes without: serve's search has its facets.
#[test]
fn serves_search_index_has_the_facets() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    wait_for_index(&server);
    let text = indexed_text(&site);
    for facet in ["\"country\":[", "\"author\":[", "\"year\":["] {
        assert!(text.contains(facet), "{facet} in {text}");
    }
}

#[test]
fn polling_sees_edits_where_native_events_do_not_arrive() {
    let site = TestSite::fixture();
    let server = Server::start_with(&site, &["--poll"]);
    let events = subscribe(&server);
    // Saved within the same second as the fixture was written: a poller that
    // compares whole-second modification times alone would miss it.
    let beta = std::fs::read_to_string(site.root().join("content/briefs/beta.md")).expect("read");
    site.write(
        "content/briefs/beta.md",
        &beta.replace("Beta body.", "Beta body, polled."),
    );
    let event = events.recv_timeout(Duration::from_secs(30));
    let log: Vec<String> = server.lines.try_iter().collect();
    assert_eq!(event.as_deref(), Ok("reload"), "server said: {log:?}");
    server.wait_for("/briefs/beta/", "the edit", |s, b| {
        s == 200 && b.contains("Beta body, polled.")
    });
}

/// Issue 11: saving a draft says why it does not show.
#[test]
fn saving_a_draft_says_it_is_not_shown() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    save_like_an_editor(
        &site,
        "content/briefs/new.md",
        "---\ntitle: \"New\"\ndate: 2019-01-01\ncountries: [Iran]\ndraft: true\n---\nBody.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = server
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a rebuild line");
        if line.contains("rebuild") {
            panic!("the draft notice comes before the rebuild line: {line}");
        }
        if line.contains("new.md") {
            assert_eq!(
                line,
                "content/briefs/new.md is a draft: not shown (serve --drafts shows drafts)"
            );
            break;
        }
    }
}

/// Issue 11: a saved brief's warnings (here: a script the sanitiser
/// removed) are printed by `serve` too, not only by `build`.
#[test]
fn saving_a_brief_prints_its_warnings() {
    let site = TestSite::fixture();
    let server = Server::start(&site);
    save_like_an_editor(
        &site,
        "content/briefs/warned.md",
        "---\ntitle: \"Warned\"\ndate: 2019-01-01\ncountries: [Iran]\n---\nBody.\n\n<script>alert(1)</script>\n",
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        let line = server
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no warning printed: {seen:?}"));
        if line.starts_with("content/briefs/warned.md:") && line.contains("warning:") {
            assert!(line.contains("<script>"), "{line}");
            break;
        }
        seen.push(line);
    }
}

/// Issue 11: non-Latin actor and author names get Unicode URLs, served
/// from Unicode file names; hrefs are percent-encoded.
#[test]
fn unicode_term_pages_are_served() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/fa.md",
        "---\ntitle: \"Fa\"\ndate: 2019-01-01\ncountries: [Iran]\nauthors: [\"Мария Иванова\"]\nactors: [\"حسن روحانی\", \"Hassan Rouhani\"]\n---\nBody.\n",
    );
    let server = Server::start(&site);
    let encoded = "/actors/%D8%AD%D8%B3%D9%86-%D8%B1%D9%88%D8%AD%D8%A7%D9%86%DB%8C/";
    let (status, _, page) = server.get(encoded);
    assert_eq!(status, 200);
    assert!(page.contains("حسن روحانی"), "{page}");
    assert!(
        site.root()
            .join("output/actors/حسن-روحانی/index.html")
            .is_file()
    );
    assert!(
        site.root()
            .join("output/authors/мария-иванова/index.html")
            .is_file()
    );
    let (_, _, brief) = server.get("/briefs/fa/");
    assert!(brief.contains(&format!("{encoded}\"")), "{brief}");
    assert!(!brief.contains("/actors/حسن"), "hrefs are percent-encoded");
    assert!(
        brief.contains("/actors/hassan-rouhani/\""),
        "Latin slugs unchanged"
    );
}

/// Issue 16: `serve` previews scheduled briefs with a banner, `noindex`,
/// and keeps them out of the feed.
#[test]
fn serve_shows_scheduled_briefs_with_a_banner() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/embargoed.md",
        "---\ntitle: \"Embargoed\"\ndate: 2099-03-01T09:00:00Z\ncountries: [Iran]\n---\nBody.\n",
    );
    let server = Server::start(&site);
    let (status, _, page) = server.get("/briefs/embargoed/");
    assert_eq!(status, 200);
    assert!(page.contains("banner--scheduled"), "{page}");
    assert!(page.contains(r#"<meta name="robots" content="noindex">"#));
    let (_, _, feed) = server.get("/feed.xml");
    assert!(!feed.contains("/briefs/embargoed/"), "{feed}");
    // Saving one says what will happen to it.
    save_like_an_editor(
        &site,
        "content/briefs/later.md",
        "---\ntitle: \"Later\"\ndate: 2099-01-01\n---\nBody.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = server
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a notice");
        if line.contains("later.md") {
            assert_eq!(
                line,
                "content/briefs/later.md is scheduled for 2099-01-01: shown here with a banner; `build` publishes it from then on"
            );
            break;
        }
    }
    // `--now` after its date: an ordinary published brief.
    drop(server);
    let server = Server::start_with(&site, &["--now", "2099-03-02"]);
    let (_, _, page) = server.get("/briefs/embargoed/");
    assert!(!page.contains("banner--scheduled"));
    let (_, _, feed) = server.get("/feed.xml");
    assert!(feed.contains("/briefs/embargoed/"));
}

#[test]
fn scheduled_briefs_and_drafts_stay_out_of_serves_search_index() {
    let site = TestSite::fixture();
    site.write(
        "content/briefs/later.md",
        "---\ntitle: \"Later\"\ndate: 2099-01-01\nauthors: [\"Dana Analyst\"]\ncountries: [\"Iran\"]\n---\nLater text.\n",
    );
    let server = Server::start_with(&site, &["--drafts"]);
    // Four briefs are shown (a draft and a scheduled one among them); the
    // index holds the three a build would publish.
    let ready = wait_for_index(&server);
    assert!(ready.contains("search index of 3 briefs ready"), "{ready}");
    assert_eq!(server.get("/briefs/later/").0, 200);
}
