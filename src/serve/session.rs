//! A site kept in memory between rebuilds, for `serve`.
//!
//! The first build loads everything. After that, a change to brief files
//! re-validates only those files, rebuilds the (cheap) indexes and re-renders
//! only the pages that show the changed briefs; a change to `site.yaml`,
//! templates, actors or country profiles reloads everything. Either way only
//! files whose bytes changed are written, and pages that no longer exist are
//! deleted. A failed rebuild writes nothing: the last good site stays.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::model::Brief;
use crate::content::source::{self, StaticFile};
use crate::content::validate;
use crate::diagnostic::{self, Diagnostic};
use crate::index::{self, BriefId, Index};
use crate::output::{self, WriteError};
use crate::render::{self, Listing, OutputFile, Page};
use crate::{BuildOptions, Loaded};

/// What a changed path is, by where it lives in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `site.yaml`: everything is reloaded.
    Config,
    /// A file under `content/briefs/`.
    Brief,
    /// The actor registry or country profiles: names and pages of many briefs change.
    Registry,
    /// Theme or site templates.
    Template,
    /// Theme or site static files.
    Static,
}

/// Classifies a changed path; `None` for files that are not part of the site
/// (the output folder, editor swap files, anything else).
pub fn classify(root: &Path, output: &Path, theme: &str, path: &Path) -> Option<ChangeKind> {
    if path.starts_with(output) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    if rel
        .components()
        .any(|c| source::is_ignored_name(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    let theme_dir = Path::new("themes").join(theme);
    let is_md = rel.extension().is_some_and(|e| e == "md");
    if rel == Path::new(source::CONFIG_FILE) {
        Some(ChangeKind::Config)
    } else if rel.starts_with("content/briefs") {
        // A folder event (created, removed, renamed) may hide many briefs.
        (is_md || rel.extension().is_none()).then_some(ChangeKind::Brief)
    } else if rel.starts_with("content/actors") || rel.starts_with("content/countries") {
        (is_md || rel.extension().is_none()).then_some(ChangeKind::Registry)
    } else if rel.starts_with("templates") || rel.starts_with(theme_dir.join("templates")) {
        Some(ChangeKind::Template)
    } else if rel.starts_with("static") || rel.starts_with(theme_dir.join("static")) {
        Some(ChangeKind::Static)
    } else if rel.starts_with(&theme_dir) {
        // Other theme files (e.g. the world map) feed templates.
        Some(ChangeKind::Template)
    } else {
        None
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// `full`, `incremental`, `static` or `failed`.
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

/// The site in memory plus what is on disk.
pub struct Session {
    options: BuildOptions,
    output: PathBuf,
    state: Option<State>,
    /// Brief files whose current text is broken; their last good version stays.
    broken_briefs: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Errors that are not about one brief (config, templates, rendering, duplicates).
    site_errors: Vec<Diagnostic>,
    /// The next successful rebuild must reload everything (config or templates were broken).
    needs_reload: bool,
    /// The next successful rebuild must re-render every page (something was skipped).
    needs_full_render: bool,
}

struct State {
    loaded: Loaded,
    index: Index,
    cards: Vec<tera::Value>,
    /// Hash of every page on disk, by path under the output folder.
    pages_on_disk: HashMap<PathBuf, u64>,
    /// Static files on disk, by path under the output folder.
    statics_on_disk: HashMap<PathBuf, u64>,
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
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
        let mut session = Session {
            options,
            output,
            state: None,
            broken_briefs: BTreeMap::new(),
            site_errors: Vec::new(),
            needs_reload: true,
            needs_full_render: true,
        };
        let report = session.reload()?;
        Ok((session, report))
    }

    /// The resolved output folder.
    pub fn output(&self) -> &Path {
        &self.output
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

    /// Every current error, sorted; empty when the served site is up to date.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.site_errors.clone();
        all.extend(self.broken_briefs.values().flatten().cloned());
        diagnostic::sort(&mut all);
        all
    }

    /// The site language and whether the site has search, for the preview
    /// server's background search indexing.
    pub fn search_language(&self) -> Option<String> {
        let state = self.state.as_ref()?;
        let site = state.loaded.site(&state.index);
        site.search.then(|| state.loaded.config.language.clone())
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
        match crate::load(&self.options) {
            Err(errors) => {
                // Keep the last good state; report why it is stale.
                self.site_errors = errors;
                self.broken_briefs.clear();
                self.needs_reload = true;
                Ok(failed(started))
            }
            Ok(loaded) => {
                self.site_errors.clear();
                self.broken_briefs.clear();
                self.needs_reload = false;
                let (pages_on_disk, statics_on_disk) = match self.state.take() {
                    Some(old) => (old.pages_on_disk, old.statics_on_disk),
                    None => (HashMap::new(), HashMap::new()),
                };
                // Indexed by the full render that follows.
                self.state = Some(State {
                    cards: Vec::new(),
                    loaded,
                    index: Index::default(),
                    pages_on_disk,
                    statics_on_disk,
                });
                let first = self
                    .state
                    .as_ref()
                    .is_some_and(|s| s.pages_on_disk.is_empty());
                if first {
                    self.first_write(started)
                } else {
                    let mut report = self.render_all(started)?;
                    self.refresh_static_files(&mut report)?;
                    Ok(report)
                }
            }
        }
    }

    /// Indexes and renders every page (and the sitemap) in memory; on a
    /// template error records it and returns `None`.
    fn render_everything(&mut self) -> Option<Vec<OutputFile>> {
        let state = self.state.as_mut()?;
        state.index = index::build(
            &state.loaded.briefs,
            &state.loaded.actors,
            state.loaded.config.related_briefs,
        );
        let site = state.loaded.site(&state.index);
        let rendered =
            render::cards(&site, &state.loaded.tera, &state.loaded.templates).and_then(|cards| {
                state.cards = cards;
                let pages = render::all_pages(&site);
                render::render_pages(
                    &site,
                    &state.loaded.tera,
                    &state.loaded.templates,
                    &state.cards,
                    &pages,
                )
                .map(|mut files| {
                    files.extend(render::site_files(&site, &pages));
                    files
                })
            });
        match rendered {
            Ok(files) => {
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
        let Some(files) = self.render_everything() else {
            return Ok(failed(started));
        };
        let Some(state) = self.state.as_mut() else {
            return Ok(failed(started));
        };
        output::write_site(&self.output, &files, &state.loaded.static_files)?;
        state.pages_on_disk = files
            .par_iter()
            .map(|f| (f.path.clone(), hash_bytes(&f.bytes)))
            .collect();
        state.statics_on_disk = static_hashes(&state.loaded.static_files);
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
        let Some(files) = self.render_everything() else {
            return Ok(failed(started));
        };
        let Some(state) = self.state.as_mut() else {
            return Ok(failed(started));
        };
        let keep: HashSet<&PathBuf> = files.iter().map(|f| &f.path).collect();
        let stale: Vec<PathBuf> = state
            .pages_on_disk
            .keys()
            .filter(|p| !keep.contains(p))
            .cloned()
            .collect();
        let (written, deleted) =
            write_changed(&self.output, &mut state.pages_on_disk, &files, &stale)?;
        Ok(Rebuild {
            mode: "full",
            rendered: files.len(),
            written,
            deleted,
            elapsed: started.elapsed(),
        })
    }

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
        self.refresh_static_files(&mut report)?;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    fn refresh_static_files(&mut self, report: &mut Rebuild) -> Result<(), WriteError> {
        let Some(state) = self.state.as_mut() else {
            return Ok(());
        };
        let now = static_hashes(&state.loaded.static_files);
        for s in &state.loaded.static_files {
            let new_hash = now.get(&s.output_path).copied();
            if new_hash.is_some() && new_hash != state.statics_on_disk.get(&s.output_path).copied()
            {
                let target = self.output.join(&s.output_path);
                if let Some(p) = target.parent() {
                    fs::create_dir_all(p).map_err(|source| WriteError::Io {
                        path: p.to_path_buf(),
                        source,
                    })?;
                }
                output::copy_static_file(s, &target)?;
                report.written += 1;
            }
        }
        for old in state.statics_on_disk.keys() {
            // Never delete a page that replaced a static file of the same name.
            if !now.contains_key(old) && !state.pages_on_disk.contains_key(old) {
                let _ = fs::remove_file(self.output.join(old));
                report.deleted += 1;
            }
        }
        state.statics_on_disk = now;
        Ok(())
    }

    /// Re-validates changed brief files and re-renders what shows them.
    fn update_briefs(&mut self, changed: &[&Path]) -> Result<Rebuild, WriteError> {
        let started = Instant::now();
        let root = self.options.root.clone();
        let drafts = self.options.drafts;
        let Some(state) = self.state.as_mut() else {
            return self.reload();
        };
        let rel_changed =
            changed_brief_files(&root, changed, &state.loaded.briefs, &self.broken_briefs);
        if rel_changed.is_empty() {
            return Ok(Rebuild {
                mode: "none",
                elapsed: started.elapsed(),
                ..Rebuild::default()
            });
        }

        // Validate the new versions (in parallel; nothing is changed yet).
        let ctx = state.loaded.validation_context();
        // `None`: the file is gone.
        let results: Vec<(PathBuf, Option<BriefResult>)> = rel_changed
            .par_iter()
            .map(|rel| {
                let result = root.join(rel).is_file().then(|| {
                    source::read_text(&root, rel)
                        .map_err(|d| vec![d])
                        .and_then(|f| validate::brief(&f, &ctx))
                });
                (rel.clone(), result)
            })
            .collect();

        // What the changed briefs looked like before, to find the pages that showed them.
        let old_changed = positions(&state.loaded.briefs, &rel_changed);
        let old_briefs = || old_changed.iter().map(|&i| &state.loaded.briefs[i]);
        let old_terms = terms_of(old_briefs());
        let old_listings = listings_of(old_briefs());
        let old_pages: Vec<PathBuf> = {
            let site = state.loaded.site(&state.index);
            pages_of_listings(&site, &old_listings)
                .into_iter()
                .chain(old_changed.iter().map(|&i| Page::Brief(i)))
                .map(|p| render::output_path(&site, &p))
                .collect()
        };
        let old_paths: Vec<PathBuf> = state.loaded.briefs.iter().map(|b| b.path.clone()).collect();
        let old_versions: HashMap<PathBuf, Version> = old_changed
            .iter()
            .map(|&i| {
                (
                    old_paths[i].clone(),
                    Version::of(&state.loaded.briefs[i], &state.cards[i]),
                )
            })
            .collect();

        let briefs = &mut state.loaded.briefs;
        for (rel, result) in results {
            let position = briefs.binary_search_by(|b| b.path.as_path().cmp(&rel));
            match result {
                Some(Err(errors)) => {
                    self.broken_briefs.insert(rel, errors);
                }
                Some(Ok(brief)) if drafts || !brief.draft => {
                    self.broken_briefs.remove(&rel);
                    match position {
                        Ok(i) => briefs[i] = brief,
                        Err(i) => {
                            briefs.insert(i, brief);
                            state.cards.insert(i, tera::Value::none());
                        }
                    }
                }
                // Deleted, or turned into a draft that is not shown.
                Some(Ok(_)) | None => {
                    self.broken_briefs.remove(&rel);
                    if let Ok(i) = position {
                        briefs.remove(i);
                        state.cards.remove(i);
                    }
                }
            }
        }
        self.site_errors = validate::duplicate_slugs(briefs);
        let briefs = &state.loaded.briefs;
        let limit = state.loaded.config.related_briefs;
        if !self.site_errors.is_empty() || !self.broken_briefs.is_empty() {
            // Keep the index consistent with the briefs for the next rebuild.
            state.index = index::build(briefs, &state.loaded.actors, limit);
            self.needs_full_render = true;
            return Ok(failed(started));
        }

        let old_index = std::mem::replace(
            &mut state.index,
            index::build_lists(briefs, &state.loaded.actors),
        );
        if self.needs_full_render || !same_term_names(&old_index, &state.index) {
            // A term's display name changed (or the last render failed): every
            // card may show it, so render everything.
            return self.render_all(started);
        }

        // Related lists change only where `index::related_affected` says; the
        // others are carried over, renumbered.
        let changed_ids = positions(briefs, &rel_changed);
        let new_terms = terms_of(changed_ids.iter().map(|&i| &briefs[i]));
        let term_keys: Vec<index::TermKey> = old_terms
            .0
            .iter()
            .chain(&new_terms.0)
            .map(|c| index::TermKey::Country(c.clone()))
            .chain(
                old_terms
                    .1
                    .iter()
                    .chain(&new_terms.1)
                    .map(|k| index::TermKey::Actor(k.clone())),
            )
            .collect();
        let affected = index::related_affected(
            &old_index,
            &state.index,
            &term_keys,
            &old_changed,
            &changed_ids,
        );
        let (old_to_new, new_to_old) = renumbering(&old_paths, briefs);
        let mut related: Vec<Vec<BriefId>> = new_to_old
            .iter()
            .map(|old| {
                old.and_then(|o| {
                    old_index.related[o]
                        .iter()
                        .map(|&j| old_to_new[j])
                        .collect::<Option<Vec<_>>>()
                })
                .unwrap_or_default()
            })
            .collect();
        let fresh: Vec<(BriefId, Vec<BriefId>)> = affected
            .iter()
            .copied()
            .zip(index::related_of(&state.index, &affected, limit))
            .collect();
        let mut card_errors = Vec::new();
        {
            let site = state.loaded.site(&state.index);
            for &i in &changed_ids {
                match render::card(&site, &state.loaded.tera, &state.loaded.templates, i) {
                    Ok(card) => state.cards[i] = card,
                    Err(error) => card_errors.push(error),
                }
            }
        }
        if !card_errors.is_empty() {
            self.site_errors = card_errors;
            self.needs_full_render = true;
            return Ok(failed(started));
        }
        // What changed, seen from the pages: a body-only edit shows on the
        // brief's own page and nowhere else.
        let mut terms_changed = false;
        let mut cards_changed: Vec<BriefId> = Vec::new();
        for rel in &rel_changed {
            let now = changed_ids
                .iter()
                .copied()
                .find(|&i| &briefs[i].path == rel);
            match (old_versions.get(rel), now) {
                (None, None) => {}
                (None, Some(i)) => {
                    terms_changed = true;
                    cards_changed.push(i);
                }
                (Some(_), None) => terms_changed = true,
                (Some(old), Some(i)) => {
                    let new = Version::of(&briefs[i], &state.cards[i]);
                    terms_changed |= old.terms != new.terms;
                    if old.card != new.card || old.sort_key != new.sort_key {
                        cards_changed.push(i);
                    }
                }
            }
        }
        let mut pages: BTreeSet<Page> = changed_ids.iter().copied().map(Page::Brief).collect();
        if terms_changed {
            pages.extend([Page::Archive, Page::Countries, Page::Actors, Page::Authors]);
        }
        for (i, list) in fresh {
            let shows_changed = list
                .iter()
                .chain(&related[i])
                .any(|j| cards_changed.contains(j));
            if related[i] != list || shows_changed {
                pages.insert(Page::Brief(i));
            }
            related[i] = list;
        }
        state.index.related = related;

        let site = state.loaded.site(&state.index);
        let new_listings = listings_of(changed_ids.iter().map(|&i| &briefs[i]));
        for listing in old_listings.union(&new_listings) {
            if !render::listing_exists(&site, listing) {
                continue;
            }
            let all_pages = render::listing_pages(&site, listing);
            let before: Vec<Option<BriefId>> = render::listing_in(&old_index, listing)
                .iter()
                .map(|&o| old_to_new[o])
                .collect();
            let after = render::listing_briefs(&site, listing);
            // A feed shows its newest briefs in full: any change to one of them shows.
            if let Some(feed) = render::feed_page(&site, listing) {
                let newest = site.config.feed_entries;
                let was_in = before
                    .iter()
                    .take(newest)
                    .any(|b| b.is_none_or(|b| changed_ids.contains(&b)));
                let is_in = after.iter().take(newest).any(|a| changed_ids.contains(a));
                if was_in || is_in {
                    pages.insert(feed);
                }
            }
            // A listing page's view is its term's link and count, the cards
            // on it and the pagination; actor pages add the countries of all
            // the actor's briefs, so a change of terms can touch every actor
            // page. Counts change with the list's length (below); the home
            // page shows the most covered terms on its first page only.
            if terms_changed && matches!(listing, Listing::Actor(_)) {
                pages.extend(all_pages);
                continue;
            }
            if terms_changed {
                pages.extend(all_pages.first().cloned());
            }
            if before.len() != after.len() {
                pages.extend(all_pages);
                continue;
            }
            let size = render::page_size(&site, listing);
            for (n, page) in all_pages.into_iter().enumerate() {
                let range = n * size..((n + 1) * size).min(after.len());
                let same_order = before[range.clone()]
                    .iter()
                    .zip(&after[range.clone()])
                    .all(|(b, a)| *b == Some(*a));
                if !same_order || after[range].iter().any(|id| cards_changed.contains(id)) {
                    pages.insert(page);
                }
            }
        }
        let pages: Vec<Page> = pages.into_iter().collect();
        let mut files = match render::render_pages(
            &site,
            &state.loaded.tera,
            &state.loaded.templates,
            &state.cards,
            &pages,
        ) {
            Ok(files) => files,
            Err(errors) => {
                self.site_errors = errors;
                self.needs_full_render = true;
                return Ok(failed(started));
            }
        };
        // The sitemap lists every page and each brief's date: it changes
        // only when pages come or go or a date or slug changes.
        let mut stale_site_files = Vec::new();
        if terms_changed || !cards_changed.is_empty() {
            let site_files = render::site_files(&site, &render::all_pages(&site));
            stale_site_files = state
                .pages_on_disk
                .keys()
                .filter(|p| {
                    p.to_string_lossy().starts_with("sitemap")
                        && !site_files.iter().any(|f| &f.path == *p)
                })
                .cloned()
                .collect();
            files.extend(site_files);
        }
        // Pages of the old versions that the site no longer has.
        let still_there: HashSet<PathBuf> = pages_of_listings(&site, &old_listings)
            .iter()
            .chain(&pages)
            .map(|p| render::output_path(&site, p))
            .collect();
        let stale: Vec<PathBuf> = old_pages
            .into_iter()
            .filter(|p| !still_there.contains(p) && state.pages_on_disk.contains_key(p))
            .chain(stale_site_files)
            .collect();
        let (written, deleted) =
            write_changed(&self.output, &mut state.pages_on_disk, &files, &stale)?;
        Ok(Rebuild {
            mode: "incremental",
            rendered: files.len(),
            written,
            deleted,
            elapsed: started.elapsed(),
        })
    }
}

/// The brief files a batch of changed paths stands for: a changed folder
/// (renamed, removed, created) stands for every brief under it.
fn changed_brief_files(
    root: &Path,
    changed: &[&Path],
    briefs: &[Brief],
    broken: &BTreeMap<PathBuf, Vec<Diagnostic>>,
) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    let mut folders = Vec::new();
    for path in changed {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if rel.extension().is_some_and(|e| e == "md") {
            files.insert(rel.to_path_buf());
        } else {
            folders.push(rel.to_path_buf());
        }
    }
    if !folders.is_empty() {
        let on_disk = source::list_files(root, Path::new("content/briefs"), |p| {
            p.extension().is_some_and(|e| e == "md")
        });
        for folder in &folders {
            files.extend(on_disk.iter().filter(|p| p.starts_with(folder)).cloned());
            files.extend(
                briefs
                    .iter()
                    .map(|b| &b.path)
                    .filter(|p| p.starts_with(folder))
                    .cloned(),
            );
            files.extend(broken.keys().filter(|p| p.starts_with(folder)).cloned());
        }
    }
    files
}

/// Maps positions between the brief list before and after a change (both
/// sorted by path): `None` where a brief was removed or added.
fn renumbering(
    old_paths: &[PathBuf],
    briefs: &[Brief],
) -> (Vec<Option<BriefId>>, Vec<Option<BriefId>>) {
    let mut old_to_new = vec![None; old_paths.len()];
    let mut new_to_old = vec![None; briefs.len()];
    let (mut i, mut j) = (0, 0);
    while i < old_paths.len() && j < briefs.len() {
        match old_paths[i].cmp(&briefs[j].path) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                old_to_new[i] = Some(j);
                new_to_old[j] = Some(i);
                i += 1;
                j += 1;
            }
        }
    }
    (old_to_new, new_to_old)
}

/// Positions of the briefs with these paths (briefs are sorted by path).
fn positions(briefs: &[Brief], paths: &BTreeSet<PathBuf>) -> Vec<BriefId> {
    paths
        .iter()
        .filter_map(|p| {
            briefs
                .binary_search_by(|b| b.path.as_path().cmp(p.as_path()))
                .ok()
        })
        .collect()
}

/// Every listing that shows any of these briefs.
fn listings_of<'a>(briefs: impl Iterator<Item = &'a Brief>) -> BTreeSet<Listing> {
    let mut listings = BTreeSet::from([Listing::Home]);
    for b in briefs {
        listings.insert(Listing::Year(b.date.date.year()));
        listings.extend(b.countries.iter().cloned().map(Listing::Country));
        listings.extend(b.actors.iter().map(|a| Listing::Actor(a.key.clone())));
        listings.extend(b.author_keys.iter().cloned().map(Listing::Author));
    }
    listings
}

/// All pages of these listings that exist in the site.
fn pages_of_listings(site: &render::Site<'_>, listings: &BTreeSet<Listing>) -> Vec<Page> {
    listings
        .iter()
        .filter(|l| render::listing_exists(site, l))
        .flat_map(|l| {
            render::listing_pages(site, l)
                .into_iter()
                .chain(render::feed_page(site, l))
        })
        .collect()
}

/// What other pages show of a brief: its card, its place in lists, its terms.
struct Version {
    card: tera::Value,
    sort_key: (i64, String),
    terms: (Vec<String>, Vec<String>, Vec<String>, i16),
}

impl Version {
    fn of(brief: &Brief, card: &tera::Value) -> Version {
        Version {
            card: card.clone(),
            sort_key: (brief.date.sort_key, brief.slug.clone()),
            terms: (
                brief.countries.clone(),
                brief.actors.iter().map(|a| a.key.clone()).collect(),
                brief.author_keys.clone(),
                brief.date.date.year(),
            ),
        }
    }
}

fn failed(started: Instant) -> Rebuild {
    Rebuild {
        mode: "failed",
        elapsed: started.elapsed(),
        ..Rebuild::default()
    }
}

type BriefResult = Result<Brief, Vec<Diagnostic>>;

type Terms = (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>);

fn terms_of<'a>(briefs: impl Iterator<Item = &'a Brief>) -> Terms {
    let mut terms = Terms::default();
    for b in briefs {
        terms.0.extend(b.countries.iter().cloned());
        terms.1.extend(b.actors.iter().map(|a| a.key.clone()));
        terms.2.extend(b.author_keys.iter().cloned());
    }
    terms
}

/// Whether two indexes have the same actors and authors with the same
/// display names (compared in place: this runs on every save).
fn same_term_names(a: &Index, b: &Index) -> bool {
    let same = |x: &BTreeMap<String, index::Term>, y: &BTreeMap<String, index::Term>| {
        x.len() == y.len()
            && x.iter()
                .zip(y)
                .all(|((k1, t1), (k2, t2))| k1 == k2 && t1.name == t2.name)
    };
    same(&a.actors, &b.actors) && same(&a.authors, &b.authors)
}

fn static_hashes(files: &[StaticFile]) -> HashMap<PathBuf, u64> {
    files
        .iter()
        .filter_map(|s| {
            s.read()
                .ok()
                .map(|bytes| (s.output_path.clone(), hash_bytes(&bytes)))
        })
        .collect()
}

/// Writes files whose bytes differ from what is on disk (each via a
/// temporary file and a rename, so a reader never sees half a page) and
/// deletes `stale` pages. Returns (written, deleted).
fn write_changed(
    output: &Path,
    on_disk: &mut HashMap<PathBuf, u64>,
    files: &[OutputFile],
    stale: &[PathBuf],
) -> Result<(usize, usize), WriteError> {
    let changed: Vec<(&OutputFile, u64)> = files
        .iter()
        .map(|f| (f, hash_bytes(&f.bytes)))
        .filter(|(f, h)| on_disk.get(&f.path) != Some(h))
        .collect();
    changed.par_iter().try_for_each(|(f, _)| {
        let target = output.join(&f.path);
        let io = |source| WriteError::Io {
            path: target.clone(),
            source,
        };
        if let Some(p) = target.parent() {
            fs::create_dir_all(p).map_err(io)?;
        }
        let mut temp = target.clone().into_os_string();
        temp.push(".briefly-tmp");
        fs::write(&temp, &f.bytes).map_err(io)?;
        fs::rename(&temp, &target).map_err(io)
    })?;
    for (f, h) in &changed {
        on_disk.insert(f.path.clone(), *h);
    }
    for path in stale {
        let target = output.join(path);
        let _ = fs::remove_file(&target);
        // Remove the page's folder when it is now empty (a deleted brief's `briefs/x/`).
        if let Some(dir) = target.parent().filter(|d| *d != output) {
            let _ = fs::remove_dir(dir);
        }
        on_disk.remove(path);
    }
    Ok((changed.len(), stale.len()))
}
