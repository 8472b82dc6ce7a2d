//! The incremental rebuild of a multilingual site: each language is updated
//! against its own index ([`of_language`], [`within`]), and then what links
//! languages to each other ([`across`]): a brief's translations show its
//! URL in their switchers and `hreflang` links, and a term page links the
//! same term's page in each language that has it (`render::pages::languages`).
//!
//! Nothing here renders or writes; it names pages for `update` to render.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::State;
use super::brief_list::{Renumbering, positions};
use crate::index::{BriefId, Index};
use crate::render::{self, Listing, Page};

/// The briefs among `ids` (positions in the new list) in language `lang`.
pub(super) fn of_language(state: &State, ids: &[BriefId], lang: usize) -> Vec<BriefId> {
    let (briefs, config) = (&state.loaded.briefs, &state.loaded.config);
    (ids.iter().copied())
        .filter(|&i| config.language_index(&briefs[i].lang) == Some(lang))
        .collect()
}

/// The renumbering seen from language `lang`: a changed brief that is not
/// (or no more) in it counts as gone (or come), as in its index.
pub(super) fn within(
    state: &State,
    renumbered: &Renumbering,
    changed: &[BriefId],
    lang: usize,
) -> Renumbering {
    let (briefs, config) = (&state.loaded.briefs, &state.loaded.config);
    let elsewhere: Vec<BriefId> = (changed.iter().copied())
        .filter(|&i| config.language_index(&briefs[i].lang) != Some(lang))
        .collect();
    let mut old_to_new = renumbered.old_to_new.clone();
    let mut new_to_old = renumbered.new_to_old.clone();
    for &i in &elsewhere {
        if let Some(o) = new_to_old[i].take() {
            old_to_new[o] = None;
        }
    }
    Renumbering {
        old_to_new,
        new_to_old,
    }
}

/// What a changed brief's translations show of it: its group (by path),
/// slug and language.
#[derive(PartialEq, Eq)]
struct Membership {
    group: Vec<PathBuf>,
    slug: String,
    lang: String,
}

/// The memberships of the changed briefs, by path (none for a brief that
/// does not exist).
pub(super) struct Memberships(HashMap<PathBuf, Membership>);

impl Memberships {
    /// The changed briefs' memberships in the session's current state.
    pub(super) fn capture(state: &State, files: &BTreeSet<PathBuf>) -> Memberships {
        let briefs = &state.loaded.briefs;
        let Some(index) = state.language_indexes().first() else {
            return Memberships(HashMap::new());
        };
        let memberships = positions(briefs, files)
            .into_iter()
            .map(|i| {
                let group = (index.translation_of.get(&i))
                    .map(|&g| {
                        (index.translations[g].iter())
                            .map(|&t| briefs[t].path.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                let b = &briefs[i];
                let membership = Membership {
                    group,
                    slug: b.slug.clone(),
                    lang: b.lang.clone(),
                };
                (b.path.clone(), membership)
            })
            .collect();
        Memberships(memberships)
    }
}

/// Adds to each language's `pages` the pages that link other languages'
/// changed pages, and says whether the sitemap (which lists the same
/// alternates) changed:
/// - the brief pages of the old and new translations of a changed brief
///   whose group, slug or language changed;
/// - every page of a term listing (among `listings`, the ones that showed
///   the changed briefs, and those that show them now) in every language,
///   when the languages that have a page for it changed.
pub(super) fn across(
    state: &State,
    old_indexes: &[Index],
    before: &Memberships,
    files: &BTreeSet<PathBuf>,
    mut listings: BTreeSet<Listing>,
    pages: &mut [BTreeSet<Page>],
) -> bool {
    let (briefs, config) = (&state.loaded.briefs, &state.loaded.config);
    let after = Memberships::capture(state, files);
    let mut sitemap = false;
    for file in files {
        let (old, new) = (before.0.get(file), after.0.get(file));
        if old == new {
            continue;
        }
        let members = old.into_iter().chain(new).flat_map(|m| &m.group);
        for path in members {
            let Ok(id) = briefs.binary_search_by(|b| b.path.cmp(path)) else {
                continue;
            };
            if let Some(lang) = config.language_index(&briefs[id].lang) {
                pages[lang].insert(Page::Brief(id));
                sitemap = true;
            }
        }
    }
    let changed = positions(briefs, files);
    listings.extend(render::invalidate::listings_of(
        changed.iter().map(|&i| &briefs[i]),
    ));
    let new_sites = state.sites(None);
    let old_sites = state.loaded.site(&state.index).languages(old_indexes);
    for listing in &listings {
        let exists = |sites: &[render::Site<'_>]| -> Vec<bool> {
            (sites.iter())
                .map(|site| render::listing_exists(site, listing))
                .collect()
        };
        let now = exists(&new_sites);
        if exists(&old_sites) == now {
            continue;
        }
        sitemap = true;
        for (lang, site) in new_sites.iter().enumerate().filter(|(l, _)| now[*l]) {
            pages[lang].extend(render::listing_pages(site, listing));
        }
    }
    sitemap
}
