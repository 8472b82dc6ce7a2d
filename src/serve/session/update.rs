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
//! Phases 3 and 4 run once per site language, against that language's
//! index (a single-language site has one); [`languages`] adds the pages
//! that link languages to each other. The rules for phase 4 live in
//! [`invalidate`], next to the views they mirror; this module only feeds
//! them. A phase that fails leaves the last good site on disk and asks the
//! next rebuild to render everything.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::brief_list::{self, Renumbering, Revalidated, positions};
use super::change::changed_brief_files;
use super::languages;
use super::{Rebuild, Session, State, failed};
use crate::content::calendar::is_shown;
use crate::content::model::Brief;
use crate::content::source;
use crate::content::validate;
use crate::diagnostic::Diagnostic;
use crate::index::{self, BriefId, Index, TermKey};
use crate::output::{Live, WriteError};
use crate::render::invalidate::{self, Edit, Version};
use crate::render::{self, Listing, Page};

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
        let before = Before::capture_languages(state, &files);
        let translations_before = languages::Memberships::capture(state, &files);
        let old_paths: Vec<PathBuf> = (state.loaded.briefs.iter())
            .map(|b| b.path.clone())
            .collect();
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
        let (briefs, actors, config) = (
            &state.loaded.briefs,
            &state.loaded.actors,
            &state.loaded.config,
        );
        let lists = index::build_lists(briefs, actors);
        let old_index = std::mem::replace(&mut state.index, lists);
        // Each language's index (the one index of a single-language site).
        let old_indexes = if config.is_multilingual() {
            let lists = index::build_language_lists(briefs, actors, config);
            std::mem::replace(&mut state.languages, lists)
        } else {
            vec![old_index]
        };
        // Redirect pages of old URLs are few and rarely edited: a change to
        // them renders everything, which also deletes the redirects that went.
        let aliases_changed = aliases_before != aliases_of(&state.loaded.briefs, &files);
        let names_changed = (old_indexes.iter())
            .zip(state.language_indexes())
            .any(|(old, new)| invalidate::names_changed(old, new));
        if self.needs_full_render || aliases_changed || names_changed {
            let mut report = self.render_all(started)?;
            self.sync_flags(&mut report)?;
            return Ok(report);
        }
        let changed_ids = positions(&state.loaded.briefs, &files);
        if let Err(errors) = render_cards(state, &changed_ids) {
            return Ok(self.give_up(errors, started));
        }
        let renumbered = Renumbering::between(&old_paths, &state.loaded.briefs);
        // 4.
        let mut pages = Vec::new();
        let mut sitemap = false;
        for (lang, (before, old_index)) in before.iter().zip(&old_indexes).enumerate() {
            let changed = languages::of_language(state, &changed_ids, lang);
            let renumbered = languages::within(state, &renumbered, &changed_ids, lang);
            let related = related_lists(state, lang, old_index, &renumbered, before, &changed);
            let edit = Edit::between(
                &before.versions,
                &files,
                &changed,
                &state.loaded.briefs,
                &state.cards,
            );
            sitemap |= invalidate::sitemap_changes(&edit);
            pages.push(affected_pages(
                state,
                lang,
                (old_index, &renumbered),
                before,
                &edit,
                related,
            ));
        }
        if state.loaded.config.is_multilingual() {
            let listings = before.iter().flat_map(|b| b.listings.iter().cloned());
            sitemap |= languages::across(
                state,
                &old_indexes,
                &translations_before,
                &files,
                listings.collect(),
                &mut pages,
            );
        }
        // 5.
        let pdf_sizes = super::pdf_sizes_of(&self.pdf_sizes, &state.loaded);
        let sites = state.sites(pdf_sizes.as_deref());
        let pages: Vec<Vec<Page>> = pages.into_iter().map(Vec::from_iter).collect();
        let rendered = render_affected(state, &sites, &self.live, &pages, sitemap);
        let (render::InMemory { files, indexed }, stale_sitemaps) = match rendered {
            Ok(rendered) => rendered,
            Err(errors) => return Ok(self.give_up(errors, started)),
        };
        // 6.
        let mut stale: Vec<PathBuf> = (sites.iter().zip(&before).zip(&pages))
            .flat_map(|((site, before), pages)| stale_pages(site, &self.live, before, pages))
            .collect();
        stale.extend(stale_sitemaps);
        drop(sites);
        let (mut written, mut deleted) = self.live.update(&files, &stale)?;
        for path in &stale {
            self.indexed
                .remove(&path.to_string_lossy().replace('\\', "/"));
        }
        self.indexed
            .extend(indexed.into_iter().map(|(p, h)| (p, h.into())));
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

/// The changed briefs of one language as they were before the change: what
/// the pages on disk show.
pub(super) struct Before {
    /// Their positions in the old list.
    changed: Vec<BriefId>,
    /// Their countries and actors (related briefs are found through them).
    terms: BTreeSet<TermKey>,
    /// The listings that showed them.
    pub(super) listings: BTreeSet<Listing>,
    /// Output paths of the pages that showed them.
    pages: Vec<PathBuf>,
    /// What other pages showed of each of them, by source path.
    versions: HashMap<PathBuf, Version>,
}

impl Before {
    /// The changed briefs of each site language, before the change.
    fn capture_languages(state: &State, files: &BTreeSet<PathBuf>) -> Vec<Before> {
        let changed = positions(&state.loaded.briefs, files);
        (state.sites(None).iter())
            .map(|site| Before::capture(site, &state.cards, &changed))
            .collect()
    }

    /// The briefs among `changed` that are in `site`'s language.
    fn capture(site: &render::Site<'_>, cards: &[tera::Value], changed: &[BriefId]) -> Before {
        let briefs = site.briefs;
        let changed: Vec<BriefId> = (changed.iter().copied())
            .filter(|&i| site.config.language_index(&briefs[i].lang) == Some(site.lang))
            .collect();
        let old = || changed.iter().map(|&i| &briefs[i]);
        let listings = invalidate::listings_of(old());
        let pages = invalidate::pages_of_listings(site, &listings)
            .into_iter()
            .chain(changed.iter().map(|&i| Page::Brief(i)))
            .map(|p| render::output_path(site, &p))
            .collect();
        let versions = changed
            .iter()
            .map(|&i| (briefs[i].path.clone(), Version::of(&briefs[i], &cards[i])))
            .collect();
        Before {
            terms: term_keys(old()),
            listings,
            pages,
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

/// Phase 3: the cards of the changed briefs, rendered again (each links to
/// its own language's terms).
fn render_cards(state: &mut State, changed: &[BriefId]) -> Result<(), Vec<Diagnostic>> {
    let sites = state.sites(None);
    let mut errors = Vec::new();
    let mut cards = Vec::with_capacity(changed.len());
    for &i in changed {
        match render::card(&sites[0], &state.loaded.tera, &state.loaded.templates, i) {
            Ok(card) => cards.push((i, card)),
            Err(error) => errors.push(error),
        }
    }
    drop(sites);
    for (i, card) in cards {
        state.cards[i] = card;
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
    /// Briefs whose list showed a brief that is gone: their pages change.
    lost: Vec<BriefId>,
}

/// Phase 3: related lists (within language `lang`) are carried over, and
/// recomputed only where [`index::related_affected`] says they may differ:
/// computing all of them would cost every save at 10k briefs.
fn related_lists(
    state: &State,
    lang: usize,
    old_index: &Index,
    renumbered: &Renumbering,
    before: &Before,
    changed: &[BriefId],
) -> Related {
    let briefs = &state.loaded.briefs;
    let new_index = &state.language_indexes()[lang];
    let mut terms = term_keys(changed.iter().map(|&i| &briefs[i]));
    terms.extend(before.terms.iter().cloned());
    let terms: Vec<TermKey> = terms.into_iter().collect();
    let mut affected =
        index::related_affected(old_index, new_index, &terms, &before.changed, changed);
    // A list that showed a brief now gone (from this language) is made again.
    let mut lost = Vec::new();
    let carried = (renumbered.new_to_old.iter().enumerate())
        .map(|(i, old)| {
            let Some(o) = old else {
                return Vec::new();
            };
            let list = (old_index.related[*o].iter())
                .map(|&j| renumbered.old_to_new[j])
                .collect::<Option<Vec<_>>>();
            list.unwrap_or_else(|| {
                lost.push(i);
                Vec::new()
            })
        })
        .collect();
    affected.extend(&lost);
    affected.sort_unstable();
    affected.dedup();
    let limit = state.loaded.config.related_briefs;
    let fresh = affected
        .iter()
        .copied()
        .zip(index::related_of(new_index, &affected, limit))
        .collect();
    Related {
        carried,
        fresh,
        lost,
    }
}

/// Phase 4: the pages of language `lang` that show what changed (and the
/// new related lists go into its index, which the pages are rendered from).
/// `old` is its index before the change and the renumbering within it.
fn affected_pages(
    state: &mut State,
    lang: usize,
    old: (&Index, &Renumbering),
    before: &Before,
    edit: &Edit<'_>,
    related: Related,
) -> BTreeSet<Page> {
    let (old_index, renumbered) = old;
    let mut pages: BTreeSet<Page> = invalidate::own_pages(edit).into_iter().collect();
    let Related {
        mut carried,
        fresh,
        lost,
    } = related;
    pages.extend(invalidate::related_pages(&carried, &fresh, edit));
    pages.extend(lost.into_iter().map(Page::Brief));
    for (i, list) in fresh {
        carried[i] = list;
    }
    state.language_indexes_mut()[lang].related = carried;
    let sites = state.sites(None);
    let site = &sites[lang];
    let briefs = &state.loaded.briefs;
    let mut listings = invalidate::listings_of(edit.changed.iter().map(|&i| &briefs[i]));
    listings.extend(before.listings.iter().cloned());
    pages.extend(invalidate::listing_pages(
        site,
        old_index,
        &renumbered.old_to_new,
        &listings,
        edit,
    ));
    if site.index.topics.is_empty() {
        pages.remove(&Page::Topics);
    }
    pages
}

/// Phase 5: renders each language's pages (with the indexed part of each
/// brief page), and the sitemap when it changed; also returns the sitemap
/// files on disk that the new sitemap no longer has.
fn render_affected(
    state: &State,
    sites: &[render::Site<'_>],
    live: &Live,
    pages: &[Vec<Page>],
    sitemap: bool,
) -> Result<(render::InMemory, Vec<PathBuf>), Vec<Diagnostic>> {
    let (tera, templates) = (&state.loaded.tera, &state.loaded.templates);
    let mut files = Vec::new();
    let mut indexed = Vec::new();
    for (site, pages) in sites.iter().zip(pages) {
        let rendered = render::render_in_memory(site, tera, templates, &state.cards, pages)?;
        files.extend(rendered.files);
        indexed.extend(rendered.indexed);
    }
    let mut stale = Vec::new();
    if sitemap {
        let all: Vec<Vec<Page>> = sites.iter().map(render::all_pages).collect();
        let site_files = render::site_files(sites, &all);
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
    Ok((render::InMemory { files, indexed }, stale))
}

/// Phase 6: pages of the old versions that `site` (one language) no longer has.
fn stale_pages(
    site: &render::Site<'_>,
    live: &Live,
    before: &Before,
    rendered: &[Page],
) -> Vec<PathBuf> {
    let still_there: HashSet<PathBuf> = invalidate::pages_of_listings(site, &before.listings)
        .iter()
        .chain(rendered)
        .map(|p| render::output_path(site, p))
        .collect();
    (before.pages.iter())
        .filter(|p| !still_there.contains(*p) && live.has_page(p))
        .cloned()
        .collect()
}
