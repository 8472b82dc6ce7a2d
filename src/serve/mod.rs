//! `serve`: build, serve the output folder over HTTP, watch the sources,
//! rebuild on change and tell open pages to reload.
//!
//! This module wires the parts together and owns the options: [`http`]
//! serves the output folder (axum + tower-http's `ServeDir`), [`watch`]
//! turns file events into batches of changes, [`session`] rebuilds
//! incrementally and writes through [`crate::output::Live`]. tower-livereload
//! injects a small Server-Sent Events script into served HTML (never into
//! `build` output). While the last rebuild failed, every served HTML page
//! also gets an overlay listing the errors, over the last good site.
//!
//! Nothing here renders or writes files itself.

mod http;
#[cfg(feature = "pdf")]
pub(crate) mod pdfs;
pub(crate) mod search;
pub(crate) mod session;
mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::{Arc, RwLock};

use notify_debouncer_full::notify;
use tower_livereload::LiveReloadLayer;

use crate::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::serve::session::{Rebuild, Session};

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

/// The status, written by the watcher thread and read by HTTP handlers.
type Shared = Arc<RwLock<LiveStatus>>;

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
    // A preview shows scheduled briefs, with a banner.
    build.scheduled = true;
    let (session, first) = Session::start(build)?;
    print_rebuild("initial build", &first, &session);
    let warnings = session.warnings(None).len();
    if warnings > 0 {
        eprintln!(
            "{warnings} warning(s): `briefly check` lists them; saving a brief prints its own"
        );
    }

    let status: Shared = Arc::new(RwLock::new(LiveStatus {
        generation: 1,
        errors: session.errors().iter().map(ToString::to_string).collect(),
    }));
    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let output = session.output().to_path_buf();

    let pdf_queue = PdfQueue::start(&session, &reloader);
    pdf_queue.after(&session, &first, None);
    let watcher_status = Arc::clone(&status);
    let watching = watch::start_watching(session.root(), options.poll)?;
    let indexer = search::Indexer::start(session.root().to_path_buf(), output.clone());
    indexer.request(session.search_request());
    std::thread::spawn(move || {
        watch::rebuild_on_changes(
            session,
            watching,
            &watcher_status,
            &reloader,
            &indexer,
            &pdf_queue,
        );
    });

    println!(
        "serving {} at {site_url} (Ctrl-C to stop)",
        output.display()
    );
    if options.open {
        open_browser(&site_url);
    }
    let app = http::router(&output, status).layer(livereload);
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

/// Where rebuilds send the PDFs to make: serve's PDF thread (none in a
/// binary built without the `pdf` feature).
pub(crate) struct PdfQueue {
    #[cfg(feature = "pdf")]
    tx: std::sync::mpsc::Sender<pdfs::Job>,
}

impl PdfQueue {
    #[cfg_attr(not(feature = "pdf"), allow(unused_variables))]
    fn start(session: &Session, reloader: &tower_livereload::Reloader) -> PdfQueue {
        PdfQueue {
            #[cfg(feature = "pdf")]
            tx: pdfs::start(
                session.output().to_path_buf(),
                session.root().to_path_buf(),
                session.pdf_sizes(),
                reloader.clone(),
            ),
        }
    }

    /// Queues the PDFs a rebuild may have changed (`changes`: `None` for
    /// every brief).
    #[cfg_attr(not(feature = "pdf"), allow(unused_variables))]
    pub(crate) fn after(
        &self,
        session: &Session,
        report: &Rebuild,
        changes: Option<&std::collections::BTreeMap<std::path::PathBuf, session::ChangeKind>>,
    ) {
        #[cfg(feature = "pdf")]
        if let Some(job) = session.pdf_job(report, changes) {
            // A closed queue means the PDF thread is gone: nothing to do.
            let _ = self.tx.send(job);
        }
    }
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

/// Prints what a rebuild did, or every error when it failed.
fn print_rebuild(what: &str, report: &Rebuild, session: &Session) {
    for draft in session.hidden_drafts() {
        println!(
            "{} is a draft: not shown (serve --drafts shows drafts)",
            draft.display()
        );
    }
    for (brief, date) in session.saved_scheduled() {
        println!(
            "{} is scheduled for {date}: shown here with a banner; `build` publishes it from then on",
            brief.display()
        );
    }
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
