//! Cards: each brief's listing card, built once as a shared template value
//! (and, with the theme's card partial, rendered once to HTML), then reused
//! by every page that lists the brief.
//!
//! This module must not render whole pages; `pages` does.

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::{Context, Tera, Value};
use xxhash_rust::xxh3::Xxh3;

use crate::content::model::Brief;
use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;
use crate::index::BriefId;

use super::Site;
use super::routes::brief_dir;
use super::templates::{CARD_PARTIAL, template_diagnostic};
use super::views::{Card, Views, display_date};

/// The theme partial that renders a brief as one row of a later listing
/// page (the compact archive); its output is kept in `card.row`.
const ROW_PARTIAL: &str = "partials/brief_row.html";

/// The listing card of every brief, converted to a template value once and
/// shared by every page that lists the brief. When the theme has
/// [`CARD_PARTIAL`], the card is also rendered once to HTML (`card.html`), so
/// a brief listed on a dozen pages is rendered once, not a dozen times; so
/// is its row ([`ROW_PARTIAL`], `card.row`).
pub fn cards(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
) -> Result<Vec<Value>, Vec<Diagnostic>> {
    let sites = site.languages(site.indexes);
    let cards = LazyCards::new(&sites, tera, template_files);
    cards.make_all()?;
    Ok(cards.into_values())
}

/// Where pages take brief cards from: all made at once ([`cards`]), or each
/// made when a page first needs it ([`LazyCards`]).
pub(crate) trait CardSource: Sync {
    /// The card of brief `id`, or the error of its card template.
    fn card(&self, id: BriefId) -> Result<Value, Diagnostic>;
}

impl CardSource for &[Value] {
    fn card(&self, id: BriefId) -> Result<Value, Diagnostic> {
        Ok(self[id].clone())
    }
}

/// Cards made on first use, so a build that keeps most pages as the last
/// build wrote them makes only the cards of the pages it renders: at 50,000
/// briefs making every card took 0.23-0.27 s and 230 MiB of a build that
/// renders one brief's pages. Pages are keyed by [`LazyCards::keys`], which
/// hashes what each card is made from without rendering it.
pub(crate) struct LazyCards<'a> {
    /// One per site language: a card links to its brief's language's terms.
    views: Vec<Views<'a>>,
    tera: &'a Tera,
    template_files: &'a [(String, TextFile)],
    /// Boxed errors keep each slot small (50,000 of them).
    made: Vec<OnceLock<Result<Value, Box<Diagnostic>>>>,
}

impl<'a> LazyCards<'a> {
    /// The cards of every brief of `sites` (the site's languages), none made yet.
    pub(crate) fn new(
        sites: &'a [Site<'a>],
        tera: &'a Tera,
        template_files: &'a [(String, TextFile)],
    ) -> LazyCards<'a> {
        let briefs = sites.first().map_or(0, |s| s.briefs.len());
        LazyCards {
            views: sites.iter().map(Views::new).collect(),
            tera,
            template_files,
            made: (0..briefs).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Makes every card now, in parallel, and returns every card template
    /// error (each once). For a build that renders every page: made up
    /// front, the cards do not interleave with the pages in memory (at
    /// 50,000 briefs a cold default build peaked up to 70 MiB higher when
    /// they were made as pages needed them).
    pub(crate) fn make_all(&self) -> Result<(), Vec<Diagnostic>> {
        let mut errors: Vec<Diagnostic> = Vec::new();
        let failed: Vec<Diagnostic> = (0..self.made.len())
            .into_par_iter()
            .filter_map(|id| self.card(id).err())
            .collect();
        for d in failed {
            if !errors.contains(&d) {
                errors.push(d);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Every card, once [`LazyCards::make_all`] made them all.
    fn into_values(self) -> Vec<Value> {
        (self.made.into_iter())
            .map(|made| {
                made.into_inner()
                    .and_then(Result::ok)
                    .unwrap_or_else(Value::none)
            })
            .collect()
    }

    /// The position in `views` of brief `id`'s language: a card links to
    /// the terms of its brief's own language.
    fn language_of(&self, id: BriefId) -> usize {
        let site = self.views[0].site;
        let lang = site.config.language_index(&site.briefs[id].lang);
        lang.unwrap_or(0).min(self.views.len() - 1)
    }

    /// A hash of each brief's card: its typed values (names, links, dates,
    /// summary) and the `site` variable its templates see. The card
    /// templates themselves are in every page key's base, so two cards with
    /// the same hash render the same.
    pub(crate) fn keys(&self) -> Vec<u128> {
        let site_hashes = self.site_hashes();
        (0..self.made.len())
            .into_par_iter()
            .map(|id| self.key_of(id, &site_hashes))
            .collect()
    }

    /// Each language's hash of the `site` variable, which every card key starts from.
    fn site_hashes(&self) -> Vec<u128> {
        (self.views.iter())
            .map(|views| {
                let mut hasher = Xxh3::new();
                super::page_keys::hash_value(&views.site_value, &mut hasher);
                hasher.digest128()
            })
            .collect()
    }

    /// Brief `id`'s card key ([`LazyCards::keys`]).
    fn key_of(&self, id: BriefId, site_hashes: &[u128]) -> u128 {
        let lang = self.language_of(id);
        let views = &self.views[lang];
        let mut hasher = Xxh3::new();
        hasher.update(&site_hashes[lang].to_le_bytes());
        let card = card_view(views, &views.site.briefs[id]);
        super::page_keys::hash_serialized(&card, &mut hasher);
        hasher.digest128()
    }

    /// [`LazyCards::keys`], taken from `remembered` where it has them: each
    /// brief's key is remembered under a hash of its identity (every field)
    /// and of all else a card is made from (`base`, the build's render key:
    /// configuration, interface strings, the binary; the `site` variable;
    /// the names and links of every author, country, actor and topic, which
    /// come from the index). Returns each brief's `(remembered under, key)`.
    pub(crate) fn keys_remembered(
        &self,
        base: u128,
        identities: &[u128],
        remembered: &HashMap<u128, u128, rustc_hash::FxBuildHasher>,
    ) -> Vec<(u128, u128)> {
        let site_hashes = self.site_hashes();
        let contexts: Vec<u128> = (self.views.iter().zip(&site_hashes))
            .map(|(views, site_hash)| card_context(views, base, *site_hash))
            .collect();
        (0..self.made.len())
            .into_par_iter()
            .map(|id| {
                let mut under = Xxh3::new();
                under.update(&contexts[self.language_of(id)].to_le_bytes());
                under.update(
                    &identities
                        .get(id)
                        .copied()
                        .unwrap_or_default()
                        .to_le_bytes(),
                );
                let under = under.digest128();
                let key = (remembered.get(&under).copied())
                    .unwrap_or_else(|| self.key_of(id, &site_hashes));
                (under, key)
            })
            .collect()
    }
}

impl CardSource for LazyCards<'_> {
    fn card(&self, id: BriefId) -> Result<Value, Diagnostic> {
        self.made[id]
            .get_or_init(|| {
                let views = &self.views[self.language_of(id)];
                card_value(views, id, self.tera, self.template_files).map_err(Box::new)
            })
            .clone()
            .map_err(|d| *d)
    }
}

/// The card of one brief (after it changed).
pub(crate) fn card(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
    id: BriefId,
) -> Result<Value, Diagnostic> {
    let b = &site.briefs[id];
    let lang = site.config.language_index(&b.lang).unwrap_or(0);
    let sites = site.languages(site.indexes);
    let Some(site) = sites.get(lang) else {
        return Err(Diagnostic::file_error(
            &b.path,
            "the brief's language has no index",
        ));
    };
    let views = Views::new(site);
    // Only this brief's links: the preview server calls this on every save.
    let links = views.link_values_for(
        &mut b.author_keys.iter().map(String::as_str),
        &mut b.countries.iter().map(String::as_str),
        &mut b.actors.iter().map(|a| a.key.as_str()),
    );
    let _ = views.link_values.set(links);
    card_value(&views, id, tera, template_files)
}

/// The card as a template value, with its pre-rendered HTML: the card
/// (`html`) and the one-line row of later listing pages (`row`). The link
/// values of authors, countries and actors are shared between all cards
/// (tera values are reference-counted), which keeps 50,000 cards small.
fn card_value(
    views: &Views<'_>,
    id: BriefId,
    tera: &Tera,
    template_files: &[(String, TextFile)],
) -> Result<Value, Diagnostic> {
    let card = Value::from_serializable(&card_view(views, &views.site.briefs[id]));
    let partials = [("html", CARD_PARTIAL), ("row", ROW_PARTIAL)];
    if !partials.iter().any(|(_, p)| tera.contains_template(p)) {
        return Ok(card);
    }
    let mut rendered = Vec::with_capacity(partials.len());
    {
        let mut ctx = Context::new();
        ctx.insert_value("site", views.site_value.clone());
        ctx.insert_value("card", card.clone());
        for (key, partial) in partials {
            if !tera.contains_template(partial) {
                continue;
            }
            let mut html = tera.render(partial, &ctx).map_err(|err| {
                let paths: HashMap<&str, &TextFile> = template_files
                    .iter()
                    .map(|(n, f)| (n.as_str(), f))
                    .collect();
                template_diagnostic(&err, &paths)
            })?;
            // The partial file's last newline would follow it onto every page.
            html.truncate(html.trim_end().len());
            rendered.push((key, html));
        }
    }
    // The context is gone, so the map is not shared and is taken, not copied;
    // the rendered HTML keeps its place as the last keys.
    let mut map = card.into_map().unwrap_or_default();
    for (key, html) in rendered {
        map.insert(key.into(), Value::from(html));
    }
    Ok(Value::from(map))
}

/// A hash of what a card of `views`' language is made from besides its
/// brief: `base`, the `site` variable's hash, and every author, country,
/// actor and topic link cards show, in key order.
fn card_context(views: &Views<'_>, base: u128, site_hash: u128) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&base.to_le_bytes());
    hasher.update(&site_hash.to_le_bytes());
    let links = views
        .link_values
        .get_or_init(|| views.compute_link_values());
    for table in [&links.authors, &links.countries, &links.actors] {
        let mut sorted: Vec<(&&str, &Value)> = table.iter().collect();
        sorted.sort_unstable_by_key(|(key, _)| **key);
        hasher.update(&(sorted.len() as u64).to_le_bytes());
        for (key, value) in sorted {
            super::page_keys::hash_serialized(key, &mut hasher);
            super::page_keys::hash_value(value, &mut hasher);
        }
    }
    let topics = &views.site.index.topics;
    hasher.update(&(topics.len() as u64).to_le_bytes());
    for key in topics.keys() {
        super::page_keys::hash_serialized(&views.topic_link(key), &mut hasher);
    }
    hasher.digest128()
}

/// The typed card of a brief, its HTML not yet rendered.
fn card_view<'a>(views: &Views<'a>, b: &'a Brief) -> Card<'a> {
    let links = views
        .link_values
        .get_or_init(|| views.compute_link_values());
    let shared = |table: &HashMap<&str, Value>, keys: &mut dyn Iterator<Item = &str>| {
        Value::from(
            keys.filter_map(|k| table.get(k).cloned())
                .collect::<Vec<Value>>(),
        )
    };
    let path = [views.site.lang_path(), &brief_dir(&b.slug)].concat();
    Card {
        slug: &b.slug,
        title: &b.title,
        title_html: &b.title_html,
        url: views.url(&path),
        permalink: views.permalink(&path),
        date: &b.date.machine,
        date_display: display_date(views.site.i18n, &b.lang, &b.date),
        year: b.date.date.year(),
        updated: b.updated.as_ref().map(|u| u.machine.as_str()),
        updated_display: (b.updated.as_ref()).map(|d| display_date(views.site.i18n, &b.lang, d)),
        summary: &b.summary,
        summary_html: &b.summary_html,
        summary_given: b.summary_given,
        authors: shared(
            &links.authors,
            &mut b.author_keys.iter().map(String::as_str),
        ),
        countries: shared(
            &links.countries,
            &mut b.countries.iter().map(String::as_str),
        ),
        actors: shared(&links.actors, &mut b.actors.iter().map(|a| a.key.as_str())),
        // Few briefs have topics, so their links are made per card.
        topics: Value::from(
            b.topic_keys
                .iter()
                .filter_map(|k| views.topic_link(k))
                .map(|l| Value::from_serializable(&l))
                .collect::<Vec<Value>>(),
        ),
        lang: &b.lang,
        dir: views.site.config.direction_of(&b.lang).as_str(),
        draft: b.draft,
        scheduled: b.scheduled,
        html: None,
        row: None,
    }
}
