//! Watching the site's sources for `serve`: native file events or `--poll`,
//! debounced into batches, classified, and handed to the session.
//!
//! Knows which folders hold sources and which events change content; does
//! not decide what to rebuild (the session does) or serve anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};
use tower_livereload::Reloader;

use super::session::{ChangeKind, Session, classify};
use super::{Shared, print_rebuild};

/// The file watcher, set up before the server says it is ready so that no
/// save made right after start-up is missed.
pub(super) struct Watching {
    watcher: Box<dyn WatchPaths + Send>,
    events: mpsc::Receiver<DebounceEventResult>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    /// Polling reports edits as a changed modification time.
    poll: bool,
}

pub(super) fn start_watching(root: &Path, poll: bool) -> notify::Result<Watching> {
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
pub(super) fn rebuild_on_changes(
    mut session: Session,
    watching: Watching,
    status: &Shared,
    reloader: &Reloader,
    indexer: &super::search::Indexer,
    pdfs: &super::PdfQueue,
) {
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
            Ok(report) => {
                print_rebuild(&what, &report, &session);
                if report.written > 0 || report.deleted > 0 {
                    indexer.request(session.search_request());
                }
                pdfs.after(&session, &report, Some(&changes));
                let saved: Vec<PathBuf> = changes
                    .keys()
                    .filter_map(|p| p.strip_prefix(&root).ok().map(Path::to_path_buf))
                    .collect();
                for w in session.warnings(Some(&saved)) {
                    eprintln!("{w}");
                }
            }
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
    for dir in ["content", "themes", "templates", "static", "i18n"] {
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
