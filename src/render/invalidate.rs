//! Which page shows what: after briefs change, the pages that must be
//! rendered again. Used by the preview server's incremental rebuilds; a full
//! build renders everything and never asks.
//!
//! The rules, each mirroring the view (in `render/mod.rs`) that shows the data:
//!
//! - A brief's own page shows everything about it (`Renderer::brief`).
//! - Other pages show a brief's [`Version`]: its card (`Views::card_value`),
//!   its place in lists (date, slug) and its terms (countries, actors,
//!   authors, year). A body-only edit changes the brief's page and nothing else.
//! - Terms changed (or a brief came or went): the overview pages `/briefs/`,
//!   `/countries/`, `/actors/`, `/authors/` show counts (`Renderer::archive`,
//!   `countries`, `actors`, `authors`), and the first page of each listing
//!   the brief was or is on shows its term's link and count and, on the home
//!   page, the most covered terms (`Renderer::home`, first page only).
//! - Actor co-countries: an actor page shows the countries of all the
//!   actor's briefs (`Renderer::co_countries_of`), on every page of the
//!   listing; a change of terms re-renders every page of those actors.
//! - Listing pages (`Renderer::listing`) show the cards of one slice of the
//!   list and the pagination: a page changes when its slice changes order or
//!   holds a changed card; all pages change when the list's length does.
//! - Feeds (`pages::feed`) show their newest `feed_entries` briefs, in full
//!   or as summaries (derived from the body when none is written): any
//!   change to one of those, before or after, re-renders the feed.
//! - Related briefs (`Renderer::brief`, `index.related`): a brief page shows
//!   its related briefs' cards, so it changes when its list changes or one of
//!   those cards does.
//! - A term's display name changed: every card may show it, so everything
//!   is rendered ([`names_changed`]).
//! - The sitemap lists every page and each brief's date: it changes only when
//!   pages come or go or a date or slug changes ([`sitemap_changes`]).
//!
//! This module reads views' inputs only; it renders nothing and writes nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use tera::Value;

use super::{Listing, Page, Site};
use crate::content::calendar::is_preview_only;
use crate::content::model::Brief;
use crate::index::{BriefId, Index, Term};

/// What other pages show of a brief: its card, its place in lists, its terms.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    card: Value,
    sort_key: (i64, String),
    terms: (Vec<String>, Vec<String>, Vec<String>, Vec<String>, i16),
    /// Publisher keys and kinds of the sources: they decide source pages.
    sources: Vec<(Option<String>, Option<String>, Option<String>)>,
}

impl Version {
    /// The version of `brief` with its rendered `card`.
    pub(crate) fn of(brief: &Brief, card: &Value) -> Version {
        Version {
            card: card.clone(),
            sort_key: (brief.date.sort_key, brief.slug.clone()),
            terms: (
                brief.countries.clone(),
                brief.actors.iter().map(|a| a.key.clone()).collect(),
                brief.author_keys.clone(),
                brief.topic_keys.clone(),
                brief.date.date.year(),
            ),
            sources: brief
                .sources
                .iter()
                .map(|s| (s.publisher_key.clone(), s.publisher.clone(), s.kind.clone()))
                .collect(),
        }
    }
}

/// An edit of some briefs, seen from the pages that show them.
#[derive(Debug)]
pub(crate) struct Edit<'a> {
    /// Positions (in the new brief list) of the changed briefs that still exist.
    pub(crate) changed: &'a [BriefId],
    /// A brief came or went, or changed its countries, actors, authors or year.
    pub(crate) terms_changed: bool,
    /// Changed briefs whose card or place in lists changed.
    pub(crate) cards_changed: Vec<BriefId>,
}

impl<'a> Edit<'a> {
    /// Compares the changed files' old versions (`before`, by source path)
    /// with their new briefs (`changed`, positions in `briefs` and `cards`).
    pub(crate) fn between(
        before: &HashMap<PathBuf, Version>,
        files: &BTreeSet<PathBuf>,
        changed: &'a [BriefId],
        briefs: &[Brief],
        cards: &[Value],
    ) -> Edit<'a> {
        let mut edit = Edit {
            changed,
            terms_changed: false,
            cards_changed: Vec::new(),
        };
        for file in files {
            let now = changed.iter().copied().find(|&i| &briefs[i].path == file);
            match (before.get(file), now) {
                (None, None) => {}
                (None, Some(i)) => {
                    edit.terms_changed = true;
                    edit.cards_changed.push(i);
                }
                (Some(_), None) => edit.terms_changed = true,
                (Some(old), Some(i)) => {
                    let new = Version::of(&briefs[i], &cards[i]);
                    edit.terms_changed |= old.terms != new.terms || old.sources != new.sources;
                    if old.card != new.card || old.sort_key != new.sort_key {
                        edit.cards_changed.push(i);
                    }
                }
            }
        }
        edit
    }
}

/// Whether two indexes differ in an actor's or author's display name (or
/// in which actors and authors exist): then every card may differ. Compared
/// in place: this runs on every save.
pub(crate) fn names_changed(a: &Index, b: &Index) -> bool {
    let same = |x: &BTreeMap<String, Term>, y: &BTreeMap<String, Term>| {
        x.len() == y.len()
            && x.iter()
                .zip(y)
                .all(|((k1, t1), (k2, t2))| k1 == k2 && t1.name == t2.name)
    };
    !(same(&a.actors, &b.actors) && same(&a.authors, &b.authors) && same(&a.topics, &b.topics))
}

/// The changed briefs' own pages, and the overview pages when terms changed.
pub(crate) fn own_pages(edit: &Edit<'_>) -> Vec<Page> {
    let mut pages: Vec<Page> = edit.changed.iter().copied().map(Page::Brief).collect();
    if edit.terms_changed {
        // `/topics/` exists only while some brief has topics: the caller
        // drops it otherwise (see `routes::all_pages`).
        pages.extend([
            Page::Archive,
            Page::Countries,
            Page::Actors,
            Page::Authors,
            Page::Topics,
            Page::Sources,
        ]);
    }
    pages
}

/// Brief pages whose related briefs changed: `fresh` holds the recomputed
/// lists, `before` every brief's list carried over from before the edit.
pub(crate) fn related_pages(
    before: &[Vec<BriefId>],
    fresh: &[(BriefId, Vec<BriefId>)],
    edit: &Edit<'_>,
) -> Vec<Page> {
    fresh
        .iter()
        .filter(|(i, list)| {
            let shows_changed = list
                .iter()
                .chain(&before[*i])
                .any(|j| edit.cards_changed.contains(j));
            before[*i] != *list || shows_changed
        })
        .map(|(i, _)| Page::Brief(*i))
        .collect()
}

/// Every listing that shows any of these briefs.
pub(crate) fn listings_of<'a>(briefs: impl Iterator<Item = &'a Brief>) -> BTreeSet<Listing> {
    let mut listings = BTreeSet::from([Listing::Home]);
    for b in briefs {
        listings.insert(Listing::Year(b.date.date.year()));
        listings.extend(b.countries.iter().cloned().map(Listing::Country));
        listings.extend(b.actors.iter().map(|a| Listing::Actor(a.key.clone())));
        listings.extend(b.author_keys.iter().cloned().map(Listing::Author));
        listings.extend(b.topic_keys.iter().cloned().map(Listing::Topic));
        listings.extend(
            b.sources
                .iter()
                .filter_map(|s| s.publisher_key.clone())
                .map(Listing::Source),
        );
        for (i, x) in b.countries.iter().enumerate() {
            for y in &b.countries[i + 1..] {
                let (a, c) = if x < y { (x, y) } else { (y, x) };
                listings.insert(Listing::Pair(a.clone(), c.clone()));
            }
        }
    }
    listings
}

/// All pages of these listings that exist in the site, feeds included.
pub(crate) fn pages_of_listings(site: &Site<'_>, listings: &BTreeSet<Listing>) -> Vec<Page> {
    listings
        .iter()
        .filter(|l| super::listing_exists(site, l))
        .flat_map(|l| {
            super::listing_pages(site, l)
                .into_iter()
                .chain(super::feed_page(site, l))
        })
        .collect()
}

/// The pages of these listings (those that showed or show the changed
/// briefs) that must be rendered again. `old_index` is the index before the
/// edit, `old_to_new` maps its positions to the new ones.
pub(crate) fn listing_pages(
    site: &Site<'_>,
    old_index: &Index,
    old_to_new: &[Option<BriefId>],
    listings: &BTreeSet<Listing>,
    edit: &Edit<'_>,
) -> Vec<Page> {
    let mut pages = Vec::new();
    for listing in listings {
        if !super::listing_exists(site, listing) {
            continue;
        }
        let before: Vec<Option<BriefId>> = super::listing_in(old_index, listing)
            .iter()
            .map(|&o| old_to_new[o])
            .collect();
        let after = super::listing_briefs(site, listing);
        pages.extend(changed_feed(site, listing, &before, after, edit));
        pages.extend(changed_list_pages(site, listing, &before, after, edit));
    }
    pages
}

/// A feed shows its newest briefs (bodies or summaries): any change to one of them shows.
fn changed_feed(
    site: &Site<'_>,
    listing: &Listing,
    before: &[Option<BriefId>],
    after: &[BriefId],
    edit: &Edit<'_>,
) -> Option<Page> {
    let feed = super::feed_page(site, listing)?;
    // Feeds skip drafts and scheduled briefs, so their newest entries reach
    // further down the list; a changed brief may have been one of those
    // skipped before, hence the changed briefs' number on top.
    let skipped = (after.iter())
        .filter(|&&a| is_preview_only(&site.briefs[a]))
        .count();
    let newest = site.config.feed_entries + skipped + edit.changed.len();
    let was_in = before
        .iter()
        .take(newest)
        .any(|b| b.is_none_or(|b| edit.changed.contains(&b)));
    let is_in = after.iter().take(newest).any(|a| edit.changed.contains(a));
    (was_in || is_in).then_some(feed)
}

/// A listing page's view is its term's link and count, the cards on it and
/// the pagination; actor pages add the countries of all the actor's briefs.
fn changed_list_pages(
    site: &Site<'_>,
    listing: &Listing,
    before: &[Option<BriefId>],
    after: &[BriefId],
    edit: &Edit<'_>,
) -> Vec<Page> {
    let all_pages = super::listing_pages(site, listing);
    // Co-countries are on every page of an actor, country partners on every
    // page of a country, a publisher's name and kind on every page of it.
    if edit.terms_changed
        && matches!(
            listing,
            Listing::Actor(_) | Listing::Country(_) | Listing::Source(_)
        )
    {
        return all_pages;
    }
    // The count changes with the list's length; every page shows it.
    if before.len() != after.len() {
        return all_pages;
    }
    let mut pages = Vec::new();
    // The term's link and count, and the home page's most covered terms,
    // are on the first page only.
    if edit.terms_changed {
        pages.extend(all_pages.first().cloned());
    }
    let pagination = super::Pagination::of(site, listing);
    for (n, page) in (1..).zip(all_pages) {
        let range = pagination.range(n);
        let same_order = before[range.clone()]
            .iter()
            .zip(&after[range.clone()])
            .all(|(b, a)| *b == Some(*a));
        if !same_order
            || after[range]
                .iter()
                .any(|id| edit.cards_changed.contains(id))
        {
            pages.push(page);
        }
    }
    pages
}

/// Whether the sitemap must be made again: it lists every page and each
/// brief's date, so only pages coming or going or a date or slug changing
/// (which changes a card or a place in lists) shows in it.
pub(crate) fn sitemap_changes(edit: &Edit<'_>) -> bool {
    edit.terms_changed || !edit.cards_changed.is_empty()
}
