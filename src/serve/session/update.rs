//! One incremental rebuild after brief files changed, in phases:
//!
//! 1. re-validate the changed files ([`revalidate`]), and note what the pages
//!    on disk show of them ([`Before::capture`]);
//! 2. apply them to the brief list ([`brief_list::apply`], which renumbers positions);
//! 3. re-index: lists in full (cheap), related briefs only where they can
//!    change ([`related_lists`]), cards of the changed briefs ([`render_cards`]);
//! 4. find the pages that show what changed ([`affected_pages`]);
//! 5. render them, and the sitemap if it changed ([`render_affected`]);
//! 6. write what changed and delete pages that are gone ([`stale_pages`], [`Live::update`]).
//!
//! The rules for phase 4 live in [`invalidate`], next to the views they
//! mirror; this module only feeds them. A phase that fails leaves the last
//! good site on disk and asks the next rebuild to render everything.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::brief_list::{self, Renumbering, Revalidated, positions};
use super::change::changed_brief_files;
use super::{Rebuild, Session, State, failed};
use crate::content::calendar::is_shown;
use crate::content::model::Brief;
use crate::content::source;
use crate::content::validate;
use crate::diagnostic::Diagnostic;
use crate::index::{self, BriefId, Index, TermKey};
use crate::output::{Live, WriteError};
use crate::render::invalidate::{self, Edit, Version};
use crate::render::{self, Listing, OutputFile, Page};

impl Session {
    /// Re-validates changed brief files and re-renders what shows them.
    pub(super) fn update_briefs(&mut self, changed: &[&Path]) -> Result<Rebuild, WriteError> {
        let started = Instant::now();
        let root = &self.options.root;
        let Some(state) = self.state.as_mut() else {
            return self.reload();
        };
        let mut files =
            changed_brief_files(root, changed, &state.loaded.briefs, &self.broken_briefs);
        if files.is_empty() {
            return Ok(Rebuild::none(started));
        }
        files.extend(linking_briefs(state, &self.broken_briefs, &files));
        // 1. Nothing is changed until every file is read and validated.
        let mut results = revalidate(root, state, &files);
        if !self.options.drafts {
            self.hidden_drafts = drafts_among(&results);
        }
        self.saved_scheduled = scheduled_among(&results);
        resolve_links(state, &mut results, &self.options);
        let before = Before::capture(state, &files);
        let aliases_before = aliases_of(&state.loaded.briefs, &files);
        let changed_folders = files.iter().any(|f| f.ends_with("index.md"));
        // 2.
        let (briefs, cards) = (&mut state.loaded.briefs, &mut state.cards);
        brief_list::apply(
            briefs,
            cards,
            &mut self.broken_briefs,
            results,
            &self.options,
        );
        self.site_errors = validate::duplicate_slugs(briefs);
        (self.site_errors).extend(validate::translation_groups(briefs, &state.loaded.config).1);
        let limit = state.loaded.config.related_briefs;
        if !self.site_errors.is_empty() || !self.broken_briefs.is_empty() {
            // Keep the index consistent with the briefs for the next rebuild.
            state.index = index::build(&state.loaded.briefs, &state.loaded.actors, limit);
            self.needs_full_render = true;
            return Ok(failed(started));
        }
        // 3.
        let lists = index::build_lists(&state.loaded.briefs, &state.loaded.actors);
        let old_index = std::mem::replace(&mut state.index, lists);
        // Redirect pages of old URLs are few and rarely edited: a change to
        // them renders everything, which also deletes the redirects that went.
        let aliases_changed = aliases_before != aliases_of(&state.loaded.briefs, &files);
        // A multilingual site is rendered whole: a brief's edit can change
        // pages in other languages (its translations' switchers).
        if self.needs_full_render
            || state.loaded.config.is_multilingual()
            || aliases_changed
            || invalidate::names_changed(&old_index, &state.index)
        {
            let mut report = self.render_all(started)?;
            self.sync_flags(&mut report)?;
            return Ok(report);
        }
        let changed_ids = positions(&state.loaded.briefs, &files);
        if let Err(errors) = render_cards(state, &changed_ids) {
            return Ok(self.give_up(errors, started));
        }
        let renumbered = Renumbering::between(&before.paths, &state.loaded.briefs);
        let related = related_lists(state, &old_index, &renumbered, &before, &changed_ids);
        // 4.
        let edit = Edit::between(
            &before.versions,
            &files,
            &changed_ids,
            &state.loaded.briefs,
            &state.cards,
        );
        let pages = affected_pages(state, &old_index, &renumbered, &before, &edit, related);
        // 5.
        let pdf_sizes = super::pdf_sizes_of(&self.pdf_sizes, &state.loaded);
        let rendered = render_affected(state, &self.live, &pages, &edit, pdf_sizes.as_deref());
        let (files, stale_sitemaps) = match rendered {
            Ok(rendered) => rendered,
            Err(errors) => return Ok(self.give_up(errors, started)),
        };
        // 6.
        let mut stale = stale_pages(state, &self.live, before, &pages);
        stale.extend(stale_sitemaps);
        let (mut written, mut deleted) = self.live.update(&files, &stale)?;
        if changed_folders {
            // A brief folder's files follow its slug.
            state.loaded.refresh_bundle_files(root);
            let (w, d) = self.live.sync_static(&state.loaded.published_files())?;
            (written, deleted) = (written + w, deleted + d);
        }
        let mut report = Rebuild {
            mode: "incremental",
            rendered: files.len(),
            written,
            deleted,
            elapsed: started.elapsed(),
        };
        self.sync_flags(&mut report)?;
        Ok(report)
    }
}

impl Session {
    /// A country named for the first time (or no more) brings (or takes)
    /// its flag. Only called where the rebuild wrote its pages, so the
    /// flag list in memory is always the one on disk.
    fn sync_flags(&mut self, report: &mut Rebuild) -> Result<(), WriteError> {
        let Some(state) = self.state.as_mut() else {
            return Ok(());
        };
        if state.loaded.refresh_flag_files() {
            self.sync_static(report)?;
        }
        Ok(())
    }

    /// A rebuild that failed on site errors: they are shown, and the next
    /// change renders everything.
    fn give_up(&mut self, errors: Vec<Diagnostic>, started: Instant) -> Rebuild {
        self.site_errors = errors;
        self.needs_full_render = true;
        failed(started)
    }
}

/// The changed files that are drafts, for serve's notice that they are
/// not shown.
fn drafts_among(results: &[Revalidated]) -> Vec<PathBuf> {
    results
        .iter()
        .filter(|(_, r)| matches!(r, Some(Ok(b)) if b.draft))
        .map(|(rel, _)| rel.clone())
        .collect()
}

/// The changed files that are scheduled (and not drafts), with their
/// dates, for serve's notice that `build` leaves them out until then.
fn scheduled_among(results: &[Revalidated]) -> Vec<(PathBuf, String)> {
    results
        .iter()
        .filter_map(|(rel, r)| match r {
            Some(Ok(b)) if b.scheduled && !b.draft => Some((rel.clone(), b.date.machine.clone())),
            _ => None,
        })
        .collect()
}

/// Phase 1: reads and validates the changed files, in parallel.
/// The aliases (old URLs) of the briefs among `files`, by path.
fn aliases_of(briefs: &[Brief], files: &BTreeSet<PathBuf>) -> Vec<(PathBuf, Vec<String>)> {
    briefs
        .iter()
        .filter(|b| !b.aliases.is_empty() && files.contains(&b.path))
        .map(|b| {
            let paths = b.aliases.iter().map(|a| a.path.clone()).collect();
            (b.path.clone(), paths)
        })
        .collect()
}

fn revalidate(root: &Path, state: &State, files: &BTreeSet<PathBuf>) -> Vec<Revalidated> {
    let ctx = state.loaded.validation_context();
    files
        .par_iter()
        .map(|rel| {
            let result = root.join(rel).is_file().then(|| {
                source::read_text(root, rel)
                    .map_err(|d| vec![d])
                    .and_then(|f| validate::brief(&f, &ctx))
            });
            (rel.clone(), result)
        })
        .collect()
}

/// Briefs whose links point at one of `files` (their links must be
/// resolved again: the target's slug may have changed, or it may be gone),
/// and the broken briefs (one may be waiting for a brief that now exists).
fn linking_briefs(
    state: &State,
    broken: &std::collections::BTreeMap<PathBuf, Vec<Diagnostic>>,
    files: &BTreeSet<PathBuf>,
) -> Vec<PathBuf> {
    let points_at_changed = |b: &&Brief| {
        b.links.iter().any(|l| {
            files.contains(&l.target)
                || files.contains(&l.target.with_extension("").join("index.md"))
        })
    };
    let mut linking: Vec<PathBuf> = (state.loaded.briefs.iter())
        .filter(points_at_changed)
        .map(|b| b.path.clone())
        .collect();
    linking.extend(broken.keys().cloned());
    linking
}

/// Phase 1, continued: fills in the brief links of the re-validated briefs
/// against the brief list as it will be; a link to no brief makes its
/// brief broken.
fn resolve_links(state: &State, results: &mut [Revalidated], options: &crate::BuildOptions) {
    let mut slugs = validate::slugs(&state.loaded.briefs);
    for (rel, result) in results.iter() {
        match result {
            Some(Ok(b)) if is_shown(b, options) => {
                slugs.insert(rel.clone(), b.slug.clone());
            }
            // A broken file keeps its last good version, slug included.
            Some(Err(_)) => {}
            _ => {
                slugs.remove(rel);
            }
        }
    }
    let base_path = &state.loaded.config.base_path;
    for (_, result) in results.iter_mut() {
        if let Some(Ok(brief)) = result
            && let Err(errors) = validate::resolve_links(brief, &slugs, base_path)
        {
            *result = Some(Err(errors));
        }
    }
}

/// The changed briefs as they were before the change: what the pages on disk show.
struct Before {
    /// Their positions in the old list.
    changed: Vec<BriefId>,
    /// Their countries and actors (related briefs are found through them).
    terms: BTreeSet<TermKey>,
    /// The listings that showed them.
    listings: BTreeSet<Listing>,
    /// Output paths of the pages that showed them.
    pages: Vec<PathBuf>,
    /// The path of every brief, in the old order (to renumber).
    paths: Vec<PathBuf>,
    /// What other pages showed of each of them, by source path.
    versions: HashMap<PathBuf, Version>,
}

impl Before {
    fn capture(state: &State, files: &BTreeSet<PathBuf>) -> Before {
        let briefs = &state.loaded.briefs;
        let changed = positions(briefs, files);
        let old = || changed.iter().map(|&i| &briefs[i]);
        let listings = invalidate::listings_of(old());
        let site = state.loaded.site(&state.index);
        let pages = invalidate::pages_of_listings(&site, &listings)
            .into_iter()
            .chain(changed.iter().map(|&i| Page::Brief(i)))
            .map(|p| render::output_path(&site, &p))
            .collect();
        let versions = changed
            .iter()
            .map(|&i| {
                (
                    briefs[i].path.clone(),
                    Version::of(&briefs[i], &state.cards[i]),
                )
            })
            .collect();
        Before {
            terms: term_keys(old()),
            listings,
            pages,
            paths: briefs.iter().map(|b| b.path.clone()).collect(),
            versions,
            changed,
        }
    }
}

/// The countries and actors of these briefs.
fn term_keys<'a>(briefs: impl Iterator<Item = &'a Brief>) -> BTreeSet<TermKey> {
    let mut keys = BTreeSet::new();
    for b in briefs {
        keys.extend(b.countries.iter().cloned().map(TermKey::Country));
        keys.extend(b.actors.iter().map(|a| TermKey::Actor(a.key.clone())));
    }
    keys
}

/// Phase 3: the cards of the changed briefs, rendered again.
fn render_cards(state: &mut State, changed: &[BriefId]) -> Result<(), Vec<Diagnostic>> {
    let site = state.loaded.site(&state.index);
    let mut errors = Vec::new();
    for &i in changed {
        match render::card(&site, &state.loaded.tera, &state.loaded.templates, i) {
            Ok(card) => state.cards[i] = card,
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Related lists after the change.
struct Related {
    /// Every brief's list from before the change, renumbered.
    carried: Vec<Vec<BriefId>>,
    /// The lists recomputed, by brief.
    fresh: Vec<(BriefId, Vec<BriefId>)>,
}

/// Phase 3: related lists are carried over, and recomputed only where
/// [`index::related_affected`] says they may differ: computing all of them
/// would cost every save at 10k briefs.
fn related_lists(
    state: &State,
    old_index: &Index,
    renumbered: &Renumbering,
    before: &Before,
    changed: &[BriefId],
) -> Related {
    let briefs = &state.loaded.briefs;
    let mut terms = term_keys(changed.iter().map(|&i| &briefs[i]));
    terms.extend(before.terms.iter().cloned());
    let terms: Vec<TermKey> = terms.into_iter().collect();
    let affected =
        index::related_affected(old_index, &state.index, &terms, &before.changed, changed);
    let carried = renumbered
        .new_to_old
        .iter()
        .map(|old| {
            old.and_then(|o| {
                old_index.related[o]
                    .iter()
                    .map(|&j| renumbered.old_to_new[j])
                    .collect::<Option<Vec<_>>>()
            })
            .unwrap_or_default()
        })
        .collect();
    let limit = state.loaded.config.related_briefs;
    let fresh = affected
        .iter()
        .copied()
        .zip(index::related_of(&state.index, &affected, limit))
        .collect();
    Related { carried, fresh }
}

/// Phase 4: the pages that show what changed (and the new related lists go
/// into the index, which the pages are rendered from).
fn affected_pages(
    state: &mut State,
    old_index: &Index,
    renumbered: &Renumbering,
    before: &Before,
    edit: &Edit<'_>,
    related: Related,
) -> Vec<Page> {
    let mut pages: BTreeSet<Page> = invalidate::own_pages(edit).into_iter().collect();
    let Related { mut carried, fresh } = related;
    pages.extend(invalidate::related_pages(&carried, &fresh, edit));
    for (i, list) in fresh {
        carried[i] = list;
    }
    state.index.related = carried;
    let site = state.loaded.site(&state.index);
    let briefs = &state.loaded.briefs;
    let mut listings = invalidate::listings_of(edit.changed.iter().map(|&i| &briefs[i]));
    listings.extend(before.listings.iter().cloned());
    pages.extend(invalidate::listing_pages(
        &site,
        old_index,
        &renumbered.old_to_new,
        &listings,
        edit,
    ));
    if site.index.topics.is_empty() {
        pages.remove(&Page::Topics);
    }
    pages.into_iter().collect()
}

/// Phase 5: renders the pages, and the sitemap when it changed; also returns
/// the sitemap files on disk that the new sitemap no longer has.
fn render_affected(
    state: &State,
    live: &Live,
    pages: &[Page],
    edit: &Edit<'_>,
    pdf_sizes: Option<&[Option<u64>]>,
) -> Result<(Vec<OutputFile>, Vec<PathBuf>), Vec<Diagnostic>> {
    let site = render::Site {
        pdf_sizes,
        ..state.loaded.site(&state.index)
    };
    let (tera, templates) = (&state.loaded.tera, &state.loaded.templates);
    let mut files = render::render_pages(&site, tera, templates, &state.cards, pages)?;
    let mut stale = Vec::new();
    if invalidate::sitemap_changes(edit) {
        let site_files = render::site_files(&[site], &[render::all_pages(&site)]);
        stale = live
            .pages()
            .filter(|p| {
                p.to_string_lossy().starts_with("sitemap")
                    && !site_files.iter().any(|f| &f.path == *p)
            })
            .cloned()
            .collect();
        files.extend(site_files);
    }
    Ok((files, stale))
}

/// Phase 6: pages of the old versions that the site no longer has.
fn stale_pages(state: &State, live: &Live, before: Before, rendered: &[Page]) -> Vec<PathBuf> {
    let site = state.loaded.site(&state.index);
    let still_there: HashSet<PathBuf> = invalidate::pages_of_listings(&site, &before.listings)
        .iter()
        .chain(rendered)
        .map(|p| render::output_path(&site, p))
        .collect();
    before
        .pages
        .into_iter()
        .filter(|p| !still_there.contains(p) && live.has_page(p))
        .collect()
}
