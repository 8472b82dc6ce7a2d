//! `serve`: build, serve the output folder over HTTP, watch the sources,
//! rebuild on change and tell open pages to reload.
//!
//! The HTTP side is axum + tower-http's `ServeDir`; tower-livereload injects a
//! small Server-Sent Events script into served HTML (never into `build`
//! output). While the last rebuild failed, every served HTML page also gets
//! an overlay listing the errors, over the last good site.

pub mod session;

use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::{LiveReloadLayer, Reloader};

use crate::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::serve::session::{ChangeKind, Rebuild, Session, classify};

/// Options of `serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build (the base URL is replaced by the server's address).
    pub build: BuildOptions,
    /// Address to bind; 127.0.0.1 unless asked.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Whether the port was chosen by the user (then a taken port is an error
    /// instead of a reason to try the next one).
    pub port_given: bool,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll the file system instead of relying on native events.
    pub poll: bool,
}

/// Why `serve` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port could not be bound.
    #[error("{0}")]
    Bind(String),
    /// The file watcher could not start.
    #[error("cannot watch the site for changes: {0}")]
    Watch(#[from] notify::Error),
    /// The output folder could not be written.
    #[error(transparent)]
    Write(#[from] crate::output::WriteError),
    /// Anything else from the OS.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// What pages and `/__briefly/status` report about the last rebuild.
#[derive(Debug, Default, Clone, serde::Serialize)]
struct LiveStatus {
    /// Increases with every rebuild.
    generation: u64,
    /// `path:line:column: error: message` of every current error.
    errors: Vec<String>,
}

type Shared = Arc<RwLock<LiveStatus>>;

const STATUS_PATH: &str = "/__briefly/status";

/// Runs the preview server until Ctrl-C.
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let listener = bind(&options)?;
    let addr = listener.local_addr()?;
    let url_host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let site_url = match addr.ip() {
        IpAddr::V6(_) => format!("http://[{url_host}]:{}/", addr.port()),
        IpAddr::V4(_) => format!("http://{url_host}:{}/", addr.port()),
    };
    let mut build = options.build.clone();
    build.base_url = Some(site_url.clone());
    let (session, first) = Session::start(build)?;
    print_rebuild("initial build", &first, &session);

    let status: Shared = Arc::new(RwLock::new(LiveStatus {
        generation: 1,
        errors: session.errors().iter().map(ToString::to_string).collect(),
    }));
    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let output = session.output().to_path_buf();

    let watcher_status = Arc::clone(&status);
    let watching = start_watching(session.root(), options.poll)?;
    if let Some(language) = session.search_language() {
        index_search_in_background(output.clone(), language);
    }
    std::thread::spawn(move || watch(session, watching, &watcher_status, &reloader));

    println!(
        "serving {} at {site_url} (Ctrl-C to stop)",
        output.display()
    );
    if options.open {
        open_browser(&site_url);
    }
    let app = router(&output, status).layer(livereload);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
                println!("\nstopping");
            })
            .await
    })?;
    Ok(())
}

/// Builds the search index once after start-up, on its own thread: it takes
/// seconds to minutes on a large archive, and a save must never wait for it.
/// Saves after that do not re-index (run `build` for a fresh index).
fn index_search_in_background(output: PathBuf, language: String) {
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let pages = crate::content::source::written_brief_pages(&output);
        let count = pages.len();
        match crate::publish::search::bundle(pages, &language)
            .map_err(|e| e.to_string())
            .and_then(|files| {
                crate::output::replace_search_bundle(&output, &files).map_err(|e| e.to_string())
            }) {
            Ok(()) => println!(
                "search index of {count} briefs ready in {} ms",
                started.elapsed().as_millis()
            ),
            Err(e) => eprintln!("warning: the search index could not be built: {e}"),
        }
    });
}

/// Binds the address; a taken default port moves on to the next free one.
fn bind(options: &ServeOptions) -> Result<TcpListener, ServeError> {
    let tries = if options.port_given || options.port == 0 {
        1
    } else {
        20
    };
    for offset in 0..tries {
        let port = options.port.saturating_add(offset);
        match TcpListener::bind(SocketAddr::new(options.bind, port)) {
            Ok(l) => {
                if offset > 0 {
                    println!("port {} is taken; using {port}", options.port);
                }
                return Ok(l);
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(ServeError::Bind(format!(
                    "cannot listen on {}:{port}: {e}",
                    options.bind
                )));
            }
        }
    }
    Err(ServeError::Bind(format!(
        "port {} on {} is taken{}; pass another with --port (or --port 0 for any free port)",
        options.port,
        options.bind,
        if tries > 1 {
            " and so are the next 19"
        } else {
            ""
        }
    )))
}

/// The HTTP routes: the status endpoint and the output folder.
fn router(output: &Path, status: Shared) -> Router {
    let not_found = ServeFile::new(output.join("404.html"));
    let files = ServeDir::new(output)
        .append_index_html_on_directories(true)
        .not_found_service(not_found);
    Router::new()
        .route(
            STATUS_PATH,
            get({
                let status = Arc::clone(&status);
                move || async move { axum::Json(read_status(&status)) }
            }),
        )
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(status, overlay_errors))
        .layer(middleware::from_fn_with_state(
            output.to_path_buf(),
            stay_inside,
        ))
}

fn read_status(status: &Shared) -> LiveStatus {
    status.read().map(|s| s.clone()).unwrap_or_default()
}

/// Refuses requests whose path would leave the output folder, including
/// through a symbolic link inside it. `ServeDir` already rejects `..`.
async fn stay_inside(State(output): State<PathBuf>, request: Request, next: Next) -> Response {
    let decoded = percent_decode(request.uri().path());
    let Some(decoded) = decoded else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let candidate = output.join(rel);
    if candidate.exists() {
        let inside = match (candidate.canonicalize(), output.canonicalize()) {
            (Ok(c), Ok(o)) => c.starts_with(o),
            _ => false,
        };
        if !inside {
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    let mut response = next.run(request).await;
    // A preview must never show a cached page from before the last save.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Adds the error overlay to HTML pages while the last rebuild failed.
async fn overlay_errors(State(status): State<Shared>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let errors = read_status(&status).errors;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if errors.is_empty() || !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    let overlay = overlay_html(&errors);
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &overlay),
        None => html.push_str(&overlay),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

fn overlay_html(errors: &[String]) -> String {
    let items: String = errors
        .iter()
        .map(|e| format!("<li><pre>{}</pre></li>", crate::escape::escaped(e)))
        .collect();
    format!(
        r#"<div id="briefly-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0e;color:#ffe3e3;font:14px/1.45 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d;box-shadow:0 -8px 24px rgba(0,0,0,.35)"><strong style="font:600 15px system-ui,sans-serif">briefly: the last rebuild failed ({n} error{s}); this is the last good version of the page.</strong><ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul></div>"#,
        n = errors.len(),
        s = if errors.len() == 1 { "" } else { "s" },
    )
}

/// Watches the site and rebuilds on every (debounced) batch of changes.
/// The file watcher, set up before the server says it is ready so that no
/// save made right after start-up is missed.
struct Watching {
    watcher: Box<dyn WatchPaths + Send>,
    events: mpsc::Receiver<DebounceEventResult>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    /// Polling reports edits as a changed modification time.
    poll: bool,
}

fn start_watching(root: &Path, poll: bool) -> notify::Result<Watching> {
    let root = root.canonicalize()?;
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    // 60 ms groups an editor's temp-file + rename dance and bursts of saves
    // without a noticeable delay.
    let debounce = Duration::from_millis(60);
    let mut watcher: Box<dyn WatchPaths + Send> = if poll {
        // notify's poller compares modification times in whole seconds: hashing
        // contents also catches a second save within the same second.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        Box::new(new_debouncer_opt::<_, notify::PollWatcher, _>(
            debounce,
            None,
            tx,
            notify_debouncer_full::NoCache,
            config,
        )?)
    } else {
        Box::new(new_debouncer(debounce, None, tx)?)
    };
    // The root itself only for `site.yaml` and for source folders created later.
    watcher.watch_path(&root, RecursiveMode::NonRecursive)?;
    let mut watched: Vec<PathBuf> = Vec::new();
    watch_source_dirs(&mut *watcher, &root, &mut watched);
    Ok(Watching {
        watcher,
        events: rx,
        root,
        watched,
        poll,
    })
}

/// Rebuilds on every (debounced) batch of changes until the process ends.
fn watch(mut session: Session, watching: Watching, status: &Shared, reloader: &Reloader) {
    let Watching {
        mut watcher,
        events: rx,
        root,
        mut watched,
        poll,
    } = watching;
    let output = session.output().to_path_buf();
    for batch in rx {
        let events = match batch {
            Ok(events) => events,
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watching: {e}");
                }
                continue;
            }
        };
        watch_source_dirs(&mut *watcher, &root, &mut watched);
        let theme = session.theme().to_string();
        let changes: BTreeMap<PathBuf, ChangeKind> = events
            .iter()
            .filter(|e| changes_content(&e.kind, poll))
            .flat_map(|e| e.paths.iter())
            .filter_map(|p| classify(&root, &output, &theme, p).map(|k| (p.clone(), k)))
            .collect();
        if changes.is_empty() {
            continue;
        }
        let what = describe(&root, &changes);
        match session.apply(&changes) {
            Ok(report) => print_rebuild(&what, &report, &session),
            Err(e) => eprintln!("error: {e}"),
        }
        if let Ok(mut s) = status.write() {
            s.generation += 1;
            s.errors = session.errors().iter().map(ToString::to_string).collect();
        }
        reloader.reload();
    }
}

/// Reads (our own rebuild reads every file) and attribute changes (`touch`,
/// `chmod`) do not change what a page shows; reacting to them would loop.
/// A polling watcher sees an edit only as a new modification time (and
/// reports no reads), so with `--poll` that counts as a change.
fn changes_content(kind: &notify::EventKind, poll: bool) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => poll,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Other => false,
    }
}

/// The folders holding site sources, watched recursively once they exist.
fn watch_source_dirs(watcher: &mut dyn WatchPaths, root: &Path, watched: &mut Vec<PathBuf>) {
    for dir in ["content", "themes", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir()
            && !watched.contains(&path)
            && watcher.watch_path(&path, RecursiveMode::Recursive).is_ok()
        {
            watched.push(path);
        } else if !path.is_dir() && watched.contains(&path) {
            watched.retain(|p| p != &path);
        }
    }
}

/// The two debouncer types (native and polling) behind one interface.
trait WatchPaths {
    fn watch_path(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()>;
}

impl<W: notify::Watcher, C: notify_debouncer_full::FileIdCache> WatchPaths
    for notify_debouncer_full::Debouncer<W, C>
{
    fn watch_path(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.watch(path, mode)
    }
}

fn describe(root: &Path, changes: &BTreeMap<PathBuf, ChangeKind>) -> String {
    let mut names: Vec<String> = changes
        .keys()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    names.dedup();
    match names.len() {
        1 => names.remove(0),
        n => format!("{} and {} more", names[0], n - 1),
    }
}

fn print_rebuild(what: &str, report: &Rebuild, session: &Session) {
    let errors: Vec<Diagnostic> = session.errors();
    if report.mode == "failed" || !errors.is_empty() {
        for e in &errors {
            eprintln!("{e}");
        }
        eprintln!(
            "{what}: rebuild failed with {} error(s) in {} ms; still serving the last good site",
            errors.len(),
            report.elapsed.as_millis()
        );
        return;
    }
    println!(
        "{what}: {} rebuild of {} briefs in {} ms ({} pages rendered, {} written, {} deleted)",
        report.mode,
        session.brief_count(),
        report.elapsed.as_millis(),
        report.rendered,
        report.written,
        report.deleted
    );
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: could not open a browser ({opener}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/a%2e%2e/b").as_deref(), Some("/a../b"));
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/caf%C3%A9").as_deref(), Some("/café"));
        assert_eq!(percent_decode("/bad%ff"), None);
        assert_eq!(
            percent_decode("/trailing%2").as_deref(),
            Some("/trailing%2")
        );
    }

    #[test]
    fn overlay_escapes_messages() {
        let html = overlay_html(&["a.md:1:1: error: <script>".into()]);
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("1 error)"));
    }
}
