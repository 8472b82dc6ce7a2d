//! Feed input: a listing's Atom feed as `publish::feeds` views (its newest
//! `feed_entries` briefs; whole bodies in the site feed, and in the others
//! only with `feed_content: full`). The XML itself is `publish::feeds`'s.

use crate::content::calendar::is_preview_only;
use crate::content::config::FeedContent;
use crate::content::model::Brief;
use crate::index::BriefId;
use crate::publish::feeds::{self, Category, Feed, FeedEntry};

use super::super::routes::{Listing, brief_dir, feed_path, listing_dir, listing_in};
use super::Renderer;

/// What every entry of one feed shares: the category schemes (the folders
/// of country and actor pages) and whether entries carry whole bodies.
struct Schemes {
    country: String,
    actor: String,
    full: bool,
}

/// A listing's Atom feed, or `None` when the build keeps the one the last
/// build wrote: its key hashes the feed as written but for the bodies, and,
/// when it carries bodies, each entry's brief whole
/// ([`super::super::KeepPages::identity`]). A kept feed is neither put
/// together nor escaped (3,300 feeds at 50,000 briefs), and an edit to a
/// brief's text keeps the feeds that show only its summary.
pub(super) fn render(r: &Renderer<'_>, listing: &Listing) -> Option<String> {
    let site = r.site;
    let config = site.config;
    let full = *listing == Listing::Home || config.feed_content == FeedContent::Full;
    let path = super::super::routes::output_path(site, &super::Page::Feed(listing.clone()));
    if !full && r.keep.is_some_and(|keep| keep.keep_as_before(&path, true)) {
        return None;
    }
    // Drafts and scheduled briefs in a preview are not announced.
    let ids: Vec<BriefId> = (listing_in(site.index, listing).iter().copied())
        .filter(|&id| !is_preview_only(&site.briefs[id]))
        .take(config.feed_entries)
        .collect();
    let briefs: Vec<&Brief> = ids.iter().map(|&id| &site.briefs[id]).collect();
    let schemes = Schemes {
        country: r.lang_permalink("countries/"),
        actor: r.lang_permalink("actors/"),
        full,
    };
    let permalinks: Vec<String> = briefs
        .iter()
        .map(|b| r.lang_permalink(&brief_dir(&b.slug)))
        .collect();
    // The feed changes when its newest entry does: no build timestamps.
    let updated = briefs
        .iter()
        .map(|b| feeds::rfc3339(last_change(b)))
        .max()
        .unwrap_or_default();
    let (id, title) = (
        r.permalink(&feed_path(site, listing)),
        feed_title(r, listing),
    );
    let html_url = r.permalink(&listing_dir(site, listing));
    let mut feed = Feed {
        id: &id,
        title: &title,
        subtitle: (!r.site.language().tagline.is_empty())
            .then_some(r.site.language().tagline.as_str()),
        html_url: &html_url,
        updated: &updated,
        generator: "briefly",
        lang: &r.site.language().code,
        entries: (briefs.iter().copied())
            .zip(&permalinks)
            .map(|(b, url)| entry(r, b, url, "", &schemes))
            .collect(),
    };
    if let Some(keep) = r.keep {
        // Only whole bodies are not in the feed hashed; a brief's identity covers its body.
        let identities = (ids.iter())
            .filter(|_| schemes.full)
            .map(|&id| keep.identity(id));
        let key = super::super::page_keys::feed_key(keep.base(), &feed, schemes.full, identities);
        if keep.keep_feed(&path, key) {
            return None;
        }
    }
    // Whole bodies with their Notes heading in the brief's language, as on
    // its page.
    let bodies: Vec<String> = briefs
        .iter()
        .map(|b| match schemes.full {
            true => {
                // Feeds are rendered before a build lets go of any body.
                let body = b.body_html.get();
                debug_assert!(body.is_some(), "a feed read a released body");
                super::brief::body_in_language(r, &b.lang, &body.unwrap_or_default())
            }
            false => String::new(),
        })
        .collect();
    for (entry, body) in feed.entries.iter_mut().zip(&bodies) {
        entry.content_html = body;
    }
    Some(feeds::atom(&feed))
}

/// The date a brief last changed (`updated`, else its date).
fn last_change(b: &Brief) -> &str {
    &b.updated.as_ref().unwrap_or(&b.date).machine
}

/// The feed's title: the site's, with the listing's name.
fn feed_title(r: &Renderer<'_>, listing: &Listing) -> String {
    let site_title = &r.site.language().title;
    let index = r.site.index;
    match listing {
        Listing::Home => site_title.clone(),
        Listing::Country(code) => format!(
            "{site_title}: {}",
            r.place(code).map_or(code.as_str(), |p| r.place_name(p))
        ),
        Listing::Actor(key) => format!(
            "{site_title}: {}",
            index
                .actors
                .get(key)
                .map_or(key.as_str(), |t| t.name.as_str())
        ),
        Listing::Author(key) => {
            let name = (index.authors.get(key)).map_or(key.as_str(), |t| t.name.as_str());
            let title = r.ui_with("feed_author_title", None, &[("name", name.to_string())]);
            format!("{site_title}: {title}")
        }
        Listing::Topic(key) => format!(
            "{site_title}: {}",
            index
                .topics
                .get(key)
                .map_or(key.as_str(), |t| t.name.as_str())
        ),
        Listing::Year(year) => format!("{site_title}: {year}"),
        Listing::Source(key) => {
            let name = (r.site.publishers.entries.get(key).map(|e| e.name.as_str()))
                .or_else(|| index.sources.get(key).map(|t| t.name.as_str()))
                .unwrap_or(key.as_str());
            let title = r.ui_with("feed_source_title", None, &[("name", name.to_string())]);
            format!("{site_title}: {title}")
        }
        // Pairs have no feeds (see routes::feed_page); named as their pages.
        Listing::Pair(a, b) => match super::pairs::in_title_order(r, a, b) {
            Some((_, _, names)) => {
                format!("{site_title}: {}", r.ui_with("pair_title", None, &names))
            }
            None => site_title.clone(),
        },
    }
}

/// One brief; `url` is its permalink, also the entry's id; `body` its
/// whole body, or empty.
fn entry<'a: 'e, 'e>(
    r: &Renderer<'a>,
    b: &'e Brief,
    url: &'e str,
    body: &'e str,
    schemes: &'e Schemes,
) -> FeedEntry<'e> {
    FeedEntry {
        id: url,
        title: &b.title,
        url,
        published: &b.date.machine,
        updated: last_change(b),
        summary: &b.summary,
        content_html: body,
        authors: b.authors.iter().map(String::as_str).collect(),
        categories: categories(r, b, schemes),
        lang: &b.lang,
    }
}

/// The brief's countries, then its actors, as Atom categories.
fn categories<'a: 'e, 'e>(
    r: &Renderer<'a>,
    b: &'e Brief,
    schemes: &'e Schemes,
) -> Vec<Category<'e>> {
    let countries = b
        .countries
        .iter()
        .filter_map(|c| r.place(c))
        .map(|p| Category {
            term: &p.slug,
            label: &p.name,
            scheme: Some(&schemes.country),
        });
    let actors = b.actors.iter().filter_map(|a| {
        r.site.index.actors.get(&a.key).map(|t| Category {
            term: &a.key,
            label: &t.name,
            scheme: Some(&schemes.actor),
        })
    });
    countries.chain(actors).collect()
}
