//! A site kept in memory between rebuilds, for `serve`.
//!
//! The first build loads everything. After that, a change to brief files
//! re-validates only those files, rebuilds the (cheap) indexes and re-renders
//! only the pages that show the changed briefs ([`update`], in phases); a
//! change to `site.yaml`, templates, actors or country profiles reloads
//! everything. Either way only files whose bytes changed are written, and
//! pages that no longer exist are deleted. A failed rebuild writes nothing:
//! the last good site stays.
//!
//! This module decides when to rebuild what; it does not decide which page
//! shows what ([`crate::render::invalidate`]) and never touches the disk
//! itself: reads go through [`crate::content::source`], writes through
//! [`crate::output::Live`].

mod brief_list;
mod change;
mod languages;
mod update;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use change::{ChangeKind, classify};

use crate::content::source;
use crate::diagnostic::{self, Diagnostic};
use crate::index::{self, Index};
use crate::output::{self, Live, WriteError};
use crate::render;
use crate::{BuildOptions, Loaded};

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// `full`, `incremental`, `static`, `none` or `failed`.
    pub mode: &'static str,
    /// Pages rendered.
    pub rendered: usize,
    /// Files written because their bytes changed.
    pub written: usize,
    /// Files deleted because their page no longer exists.
    pub deleted: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl Rebuild {
    /// Nothing to do.
    fn none(started: Instant) -> Rebuild {
        Rebuild {
            mode: "none",
            elapsed: started.elapsed(),
            ..Rebuild::default()
        }
    }
}

/// A rebuild that stopped on errors (recorded in the session).
fn failed(started: Instant) -> Rebuild {
    Rebuild {
        mode: "failed",
        elapsed: started.elapsed(),
        ..Rebuild::default()
    }
}

/// The site in memory plus what is on disk.
pub struct Session {
    options: BuildOptions,
    live: Live,
    state: Option<State>,
    /// Brief files whose current text is broken; their last good version stays.
    broken_briefs: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Errors that are not about one brief (config, templates, rendering, duplicates).
    site_errors: Vec<Diagnostic>,
    /// The next successful rebuild must reload everything (config or templates were broken).
    needs_reload: bool,
    /// The next successful rebuild must re-render every page (something was skipped).
    needs_full_render: bool,
    /// Brief files of the last rebuild that are drafts, left out without `--drafts`.
    hidden_drafts: Vec<PathBuf>,
    /// Brief files of the last rebuild that are scheduled, with their dates.
    saved_scheduled: Vec<(PathBuf, String)>,
    /// Sizes of the PDFs made so far (by the PDF thread), by brief slug.
    pdf_sizes: PdfSizes,
    /// The indexed part of every brief page on disk, by output path with `/`
    /// separators, as rendered (with its search-only parts): what the
    /// search index is made of (`search_request`).
    /// Shared with the search thread's requests, not copied.
    indexed: std::collections::HashMap<String, std::sync::Arc<str>>,
}

/// PDF sizes by brief slug, written by serve's PDF thread.
pub(crate) type PdfSizes =
    std::sync::Arc<std::sync::RwLock<std::collections::HashMap<String, u64>>>;

/// The last good site: briefs, index and cards, in lockstep by position.
struct State {
    loaded: Loaded,
    /// Every brief's index (on a single-language site, the one rendered).
    index: Index,
    /// The index of each language of a multilingual site (empty otherwise).
    languages: Vec<Index>,
    cards: Vec<tera::Value>,
}

impl State {
    /// The index each site language is rendered from.
    fn language_indexes(&self) -> &[Index] {
        if self.languages.is_empty() {
            std::slice::from_ref(&self.index)
        } else {
            &self.languages
        }
    }

    /// [`State::language_indexes`], to fill in related briefs.
    fn language_indexes_mut(&mut self) -> &mut [Index] {
        if self.languages.is_empty() {
            std::slice::from_mut(&mut self.index)
        } else {
            &mut self.languages
        }
    }

    /// The site of each language, with `pdf_sizes`.
    fn sites<'a>(&'a self, pdf_sizes: Option<&'a [Option<u64>]>) -> Vec<render::Site<'a>> {
        let site = render::Site {
            pdf_sizes,
            ..self.loaded.site(&self.index)
        };
        site.languages(self.language_indexes())
    }
}

impl Session {
    /// Loads and builds the site once, writing it to the output folder.
    /// The session exists even when the site has errors, so a server can
    /// show them and recover when they are fixed.
    pub fn start(mut options: BuildOptions) -> Result<(Session, Rebuild), WriteError> {
        let output = output::check_location(&options.root, &options.output_dir())?;
        // Watchers report absolute paths; keep the root absolute to match them.
        options.root = options
            .root
            .canonicalize()
            .map_err(|source| WriteError::Io {
                path: options.root.clone(),
                source,
            })?;
        // One clock for the whole session: a scheduled brief's time passing
        // between two saves would otherwise change pages no edit touched.
        options.now.get_or_insert_with(|| {
            jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        });
        let mut session = Session {
            options,
            live: Live::new(output),
            state: None,
            broken_briefs: BTreeMap::new(),
            site_errors: Vec::new(),
            needs_reload: true,
            needs_full_render: true,
            hidden_drafts: Vec::new(),
            saved_scheduled: Vec::new(),
            pdf_sizes: PdfSizes::default(),
            indexed: Default::default(),
        };
        let report = session.reload()?;
        Ok((session, report))
    }

    /// The resolved output folder.
    pub fn output(&self) -> &Path {
        self.live.dir()
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The theme in use (to classify changes).
    pub fn theme(&self) -> &str {
        self.state
            .as_ref()
            .map_or("default", |s| s.loaded.config.theme.as_str())
    }

    /// Brief files saved since the last rebuild that are drafts, so not
    /// shown (without `--drafts`): a saved brief that never appears would
    /// otherwise look like a broken preview.
    pub fn hidden_drafts(&self) -> &[PathBuf] {
        &self.hidden_drafts
    }

    /// Brief files saved since the last rebuild that are scheduled (dated
    /// after the session's clock), with their dates: shown with a banner
    /// here, but left out of `build` until then.
    pub fn saved_scheduled(&self) -> &[(PathBuf, String)] {
        &self.saved_scheduled
    }

    /// Every current error, sorted; empty when the served site is up to date.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.site_errors.clone();
        all.extend(self.broken_briefs.values().flatten().cloned());
        diagnostic::sort(&mut all);
        all
    }

    /// What the preview server's background indexer needs to index the
    /// site as `build` would (`None` when the site has no search).
    pub(crate) fn search_request(&self) -> Option<crate::serve::search::Request> {
        let state = self.state.as_ref()?;
        let site = state.loaded.site(&state.index);
        if !site.search {
            return None;
        }
        // Drafts and scheduled briefs in a preview stay out of search, as in `build`.
        let pages = (state.index.newest_first.iter())
            .filter(|&&id| !crate::content::calendar::is_preview_only(&site.briefs[id]))
            .filter_map(|&id| {
                let path = crate::render::output_path(&site, &crate::render::Page::Brief(id));
                let path = path.to_string_lossy().replace('\\', "/");
                let language = crate::publish::search::index_language(
                    &site.briefs[id].lang,
                    &state.loaded.config,
                );
                let html = self.indexed.get(&path)?.clone();
                Some((path, language, html))
            })
            .collect();
        Some(crate::serve::search::Request {
            pages,
            language: state.loaded.config.language.clone(),
            shard_briefs: state.loaded.config.search_shard_briefs,
        })
    }

    /// The warnings of the briefs at these paths (relative to the site
    /// root), to print after a save; all warnings when `paths` is `None`.
    pub fn warnings(&self, paths: Option<&[PathBuf]>) -> Vec<Diagnostic> {
        let Some(state) = self.state.as_ref() else {
            return Vec::new();
        };
        let briefs = &state.loaded.briefs;
        let Some(paths) = paths else {
            return state.loaded.warnings.clone();
        };
        paths
            .iter()
            .filter_map(|p| briefs.binary_search_by(|b| b.path.cmp(p)).ok())
            .flat_map(|i| briefs[i].warnings.iter().cloned())
            .collect()
    }

    /// Number of briefs published.
    pub fn brief_count(&self) -> usize {
        self.state.as_ref().map_or(0, |s| s.loaded.briefs.len())
    }

    /// Applies a batch of changed paths.
    pub fn apply(
        &mut self,
        changes: &BTreeMap<PathBuf, ChangeKind>,
    ) -> Result<Rebuild, WriteError> {
        self.hidden_drafts.clear();
        self.saved_scheduled.clear();
        let kinds: BTreeSet<ChangeKind> = changes.values().copied().collect();
        if kinds.is_empty() {
            return Ok(Rebuild {
                mode: "none",
                ..Rebuild::default()
            });
        }
        let only_briefs = kinds.iter().all(|k| *k == ChangeKind::Brief);
        let only_static = kinds.iter().all(|k| *k == ChangeKind::Static);
        if self.needs_reload || self.state.is_none() || !(only_briefs || only_static) {
            return self.reload();
        }
        if only_static {
            // Stylesheets and scripts have their content hash in their name:
            // every page that links them changes too.
            let fingerprinted = changes
                .keys()
                .any(|p| p.extension().is_some_and(|e| e == "css" || e == "js"));
            return if fingerprinted {
                self.reload()
            } else {
                self.refresh_static()
            };
        }
        let paths: Vec<&Path> = changes.keys().map(PathBuf::as_path).collect();
        self.update_briefs(&paths)
    }

    /// Loads everything again and re-renders every page.
    pub fn reload(&mut self) -> Result<Rebuild, WriteError> {
        let started = Instant::now();
        let loaded = match crate::load(&self.options) {
            Ok(loaded) => loaded,
            Err(errors) => {
                // Keep the last good state; report why it is stale.
                self.site_errors = errors;
                self.broken_briefs.clear();
                self.needs_reload = true;
                return Ok(failed(started));
            }
        };
        self.site_errors.clear();
        self.broken_briefs.clear();
        self.needs_reload = false;
        // Indexed by the full render that follows.
        self.state = Some(State {
            cards: Vec::new(),
            loaded,
            index: Index::default(),
            languages: Vec::new(),
        });
        if self.live.is_empty() {
            return self.first_write(started);
        }
        let mut report = self.render_all(started)?;
        self.sync_static(&mut report)?;
        Ok(report)
    }

    /// Indexes and renders every page (and the sitemap) in memory; on a
    /// template error records it and returns `None`.
    fn render_everything(&mut self) -> Option<render::InMemory> {
        let state = self.state.as_mut()?;
        let loaded = &state.loaded;
        // A multilingual site renders each language with its own index;
        // the session keeps them, and the index of every brief (search).
        let indexes = index::build_languages(&loaded.briefs, &loaded.actors, &loaded.config);
        state.index = if loaded.config.is_multilingual() {
            index::build(&loaded.briefs, &loaded.actors, loaded.config.related_briefs)
        } else {
            indexes[0].clone()
        };
        let pdf_sizes = pdf_sizes_of(&self.pdf_sizes, loaded);
        let site = render::Site {
            pdf_sizes: pdf_sizes.as_deref(),
            indexes: &indexes,
            ..loaded.site(&indexes[0])
        };
        let rendered = render::cards(&site, &loaded.tera, &loaded.templates).and_then(|cards| {
            state.cards = cards;
            let sites = site.languages(&indexes);
            let pages_of: Vec<Vec<render::Page>> = sites.iter().map(render::all_pages).collect();
            let mut all = render::InMemory {
                files: Vec::new(),
                indexed: Vec::new(),
            };
            for (site, pages) in sites.iter().zip(&pages_of) {
                let rendered = render::render_in_memory(
                    site,
                    &loaded.tera,
                    &loaded.templates,
                    &state.cards,
                    pages,
                )?;
                all.files.extend(rendered.files);
                all.indexed.extend(rendered.indexed);
            }
            all.files.extend(render::site_files(&sites, &pages_of));
            Ok(all)
        });
        match rendered {
            Ok(files) => {
                if loaded.config.is_multilingual() {
                    state.languages = indexes;
                }
                self.needs_full_render = false;
                Some(files)
            }
            Err(errors) => {
                self.site_errors = errors;
                self.needs_full_render = true;
                None
            }
        }
    }

    /// The first build of a session replaces the output folder atomically, as `build` does.
    fn first_write(&mut self, started: Instant) -> Result<Rebuild, WriteError> {
        let Some(render::InMemory { files, indexed }) = self.render_everything() else {
            return Ok(failed(started));
        };
        let Some(state) = self.state.as_ref() else {
            return Ok(failed(started));
        };
        self.live.replace(&files, &state.loaded.published_files())?;
        self.indexed = (indexed.into_iter()).map(|(p, h)| (p, h.into())).collect();
        Ok(Rebuild {
            mode: "full",
            rendered: files.len(),
            written: files.len(),
            deleted: 0,
            elapsed: started.elapsed(),
        })
    }

    /// Re-renders every page and writes the ones whose bytes changed.
    fn render_all(&mut self, started: Instant) -> Result<Rebuild, WriteError> {
        let Some(render::InMemory { files, indexed }) = self.render_everything() else {
            return Ok(failed(started));
        };
        let keep: HashSet<&PathBuf> = files.iter().map(|f| &f.path).collect();
        let stale = self.live.pages_not_in(&keep);
        let (written, deleted) = self.live.update(&files, &stale)?;
        self.indexed = (indexed.into_iter()).map(|(p, h)| (p, h.into())).collect();
        Ok(Rebuild {
            mode: "full",
            rendered: files.len(),
            written,
            deleted,
            elapsed: started.elapsed(),
        })
    }

    /// Only static files changed: list them again and copy what changed.
    fn refresh_static(&mut self) -> Result<Rebuild, WriteError> {
        let started = Instant::now();
        let Some(state) = self.state.as_mut() else {
            return self.reload();
        };
        // The list of static files may have changed: list them again.
        state.loaded.static_files =
            source::load(&self.options.root, &state.loaded.config.theme).static_files;
        let mut report = Rebuild {
            mode: "static",
            ..Rebuild::default()
        };
        self.sync_static(&mut report)?;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    fn sync_static(&mut self, report: &mut Rebuild) -> Result<(), WriteError> {
        let Some(state) = self.state.as_ref() else {
            return Ok(());
        };
        let (written, deleted) = self.live.sync_static(&state.loaded.published_files())?;
        report.written += written;
        report.deleted += deleted;
        Ok(())
    }
}

/// The PDF size of each brief, for its page: `None` when the site makes no
/// PDFs; a brief whose PDF is not made yet is linked without a size.
fn pdf_sizes_of(sizes: &PdfSizes, loaded: &Loaded) -> Option<Vec<Option<u64>>> {
    if !loaded.config.pdf {
        return None;
    }
    let sizes = sizes.read().ok()?;
    Some(
        loaded
            .briefs
            .iter()
            .map(|b| sizes.get(&b.slug).copied())
            .collect(),
    )
}

impl Session {
    #[cfg(feature = "pdf")]
    /// The sizes the PDF thread fills in.
    pub(crate) fn pdf_sizes(&self) -> PdfSizes {
        std::sync::Arc::clone(&self.pdf_sizes)
    }

    /// The PDFs to make after a rebuild (`report`) of `changed` files
    /// (absolute paths; `None`: every brief): `None` when the site makes
    /// no PDFs or the rebuild changed nothing.
    #[cfg(feature = "pdf")]
    pub(crate) fn pdf_job(
        &self,
        report: &Rebuild,
        changed: Option<&BTreeMap<PathBuf, ChangeKind>>,
    ) -> Option<crate::serve::pdfs::Job> {
        let state = self.state.as_ref().filter(|s| s.loaded.config.pdf)?;
        if matches!(report.mode, "failed" | "none" | "static") {
            return None;
        }
        let loaded = &state.loaded;
        let site = loaded.site(&state.index);
        let pdf_site = match crate::publish::pdf::PdfSite::new(loaded, &site) {
            Ok(s) => s,
            Err(d) => {
                eprintln!("{d}");
                return None;
            }
        };
        let wanted = |b: &&crate::content::model::Brief| match (changed, report.mode) {
            (Some(changes), "incremental") => {
                changes.contains_key(&self.options.root.join(&b.path))
            }
            _ => true,
        };
        Some(crate::serve::pdfs::Job {
            site: std::sync::Arc::new(pdf_site),
            briefs: loaded.briefs.iter().filter(wanted).cloned().collect(),
            slugs: loaded.briefs.iter().map(|b| b.slug.clone()).collect(),
        })
    }
}
