//! `serve` with `pdf: true`: briefs' PDFs are made on a thread of their own
//! after each rebuild, so a save never waits for Typst and page reloads
//! stay instant. Only PDFs whose inputs changed are made again (the others
//! are compared by the hash of their inputs); the site's PDF cache serves
//! the rest. Brief pages link their PDF at once and show its size once it
//! is known (on their next render).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tower_livereload::Reloader;

use crate::content::model::Brief;
use crate::publish::pdf::{self, PdfCache, PdfSite};

/// PDF sizes by brief slug, shared with the session that renders pages.
pub(crate) type Sizes = Arc<RwLock<HashMap<String, u64>>>;

/// PDFs to make after a rebuild.
pub(crate) struct Job {
    /// The site as it is now.
    pub(crate) site: Arc<PdfSite>,
    /// The briefs whose PDF may have changed.
    pub(crate) briefs: Vec<Brief>,
    /// The slug of every brief the site has now (PDFs of others are deleted).
    pub(crate) slugs: HashSet<String>,
}

/// Starts the PDF thread; send it a [`Job`] after each rebuild.
pub(crate) fn start(
    output: PathBuf,
    root: PathBuf,
    sizes: Sizes,
    reloader: Reloader,
) -> Sender<Job> {
    let (tx, rx) = channel();
    std::thread::spawn(move || run(&rx, &output, &PdfCache::new(&root), &sizes, &reloader));
    tx
}

fn run(
    rx: &Receiver<Job>,
    output: &std::path::Path,
    cache: &PdfCache,
    sizes: &Sizes,
    reloader: &Reloader,
) {
    // The hash of the inputs of every PDF on disk, by slug.
    let mut made: HashMap<String, u128> = HashMap::new();
    while let Ok(first) = rx.recv() {
        // Saves that came while PDFs were being made: the latest site, and
        // every brief any of them named.
        let mut job = first;
        let mut briefs: HashMap<String, Brief> = HashMap::new();
        loop {
            for b in std::mem::take(&mut job.briefs) {
                briefs.insert(b.slug.clone(), b);
            }
            match rx.try_recv() {
                Ok(next) => job = next,
                Err(_) => break,
            }
        }
        let started = Instant::now();
        let mut count = 0;
        for brief in briefs.values().filter(|b| job.slugs.contains(&b.slug)) {
            let prepared = match job.site.prepare(brief) {
                Ok(p) => p,
                Err(errors) => {
                    report(&errors);
                    continue;
                }
            };
            if made.get(&brief.slug) == Some(&prepared.inputs_hash()) {
                continue;
            }
            match prepared.make(&job.site, Some(cache)) {
                Ok((file, _)) => {
                    if let Err(e) = crate::output::write_beside_pages(output, &file) {
                        eprintln!("error: {e}");
                        continue;
                    }
                    if let Ok(mut s) = sizes.write() {
                        s.insert(brief.slug.clone(), file.bytes.len() as u64);
                    }
                    made.insert(brief.slug.clone(), prepared.inputs_hash());
                    count += 1;
                }
                Err(errors) => report(&errors),
            }
        }
        let gone: Vec<String> = (made.keys())
            .filter(|slug| !job.slugs.contains(*slug))
            .cloned()
            .collect();
        for slug in gone {
            crate::output::remove_beside_pages(output, &pdf::output_path(&slug));
            made.remove(&slug);
            if let Ok(mut s) = sizes.write() {
                s.remove(&slug);
            }
        }
        typst::comemo::evict(2);
        if count > 0 {
            println!(
                "{count} PDF(s) made in {} ms",
                started.elapsed().as_millis()
            );
            reloader.reload();
        }
    }
}

fn report(errors: &[crate::diagnostic::Diagnostic]) {
    for e in errors {
        eprintln!("{e}");
    }
}
