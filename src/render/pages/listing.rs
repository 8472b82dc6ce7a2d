//! Listing pages: page `n` of a listing, with the listing's own variables
//! (from its kind's builder), this page's cards and `pagination`. Page 1
//! prints full cards; later pages are the compact archive (`pagination.compact`),
//! which prints each card's one-line `row`.

use crate::diagnostic::Diagnostic;

use super::super::routes::{Listing, Pagination, listing_briefs, listing_page_dir};
use super::super::views::PaginationView;
use super::{Renderer, actors, archive, authors, countries, home, pairs, sources, topics};

/// The variables a listing page's template may read: the common ones, and
/// each kind's own. A listing page's key hashes each of them
/// ([`super::super::page_keys::listing_key`]); debug builds check that no
/// other variable is set.
pub(crate) const VARIABLES: [&str; 17] = [
    "site",
    "page",
    "pagination",
    "briefs",
    "total_briefs",
    "top_countries",
    "top_actors",
    "latest_year",
    "year_top_countries",
    "year_top_actors",
    "country",
    "actor",
    "author",
    "topic",
    "year",
    "source",
    "pair",
];

/// Page `n` (from 1) of a listing, or `None` when the build keeps the page
/// the last build wrote (its key is unchanged: `Renderer::keep`).
pub(super) fn render(
    r: &Renderer<'_>,
    listing: &Listing,
    n: usize,
) -> Result<Option<Vec<u8>>, Diagnostic> {
    let site = r.site;
    let path = super::super::routes::output_path(site, &super::Page::List(listing.clone(), n));
    if r.keep.is_some_and(|keep| keep.keep_as_before(&path, false)) {
        return Ok(None);
    }
    let all = listing_briefs(site, listing);
    let pagination = Pagination::of(site, listing);
    let dir = listing_page_dir(site, listing, n);
    let mut ctx = match listing {
        Listing::Home => home::context(r, &dir, n),
        Listing::Country(code) => countries::country_context(r, code, &dir),
        Listing::Actor(key) => actors::actor_context(r, key, &dir),
        Listing::Author(key) => authors::author_context(r, key, &dir),
        Listing::Topic(key) => topics::topic_context(r, key, &dir),
        Listing::Year(year) => archive::year_context(r, *year, all.len(), &dir),
        Listing::Source(key) => sources::source_context(r, key, &dir),
        Listing::Pair(a, b) => pairs::pair_context(r, a, b, &dir),
    };
    ctx.insert("pagination", &pagination_view(r, listing, pagination, n));
    let slice = pagination.page_slice(all, n);
    if let Some(keep) = r.keep {
        let key = super::super::page_keys::listing_key(keep, &ctx, template_of(listing), slice);
        if keep.keep(&path, key) {
            return Ok(None);
        }
    }
    ctx.insert_value("briefs", r.cards_of(slice)?);
    debug_assert!(
        all_variables_known(&ctx),
        "a listing variable is not in VARIABLES"
    );
    r.finish(template_of(listing), ctx).map(Some)
}

/// Whether `ctx` holds no variable but [`VARIABLES`] (the page key hashes those).
fn all_variables_known(ctx: &tera::Context) -> bool {
    let mut known = tera::Context::new();
    for name in VARIABLES {
        if let Some(value) = ctx.get(name) {
            known.insert_value(name, value.clone());
        }
    }
    known == *ctx
}

/// The template of a listing's pages.
fn template_of(listing: &Listing) -> &'static str {
    match listing {
        Listing::Home => "index.html",
        Listing::Country(_) => "country.html",
        Listing::Actor(_) => "actor.html",
        Listing::Author(_) => "author.html",
        Listing::Topic(_) => "topic.html",
        Listing::Year(_) => "year.html",
        Listing::Source(_) => "source.html",
        Listing::Pair(..) => "pair.html",
    }
}

/// `pagination` of page `n`: its neighbours' URLs, none past either end.
fn pagination_view(
    r: &Renderer<'_>,
    listing: &Listing,
    pagination: Pagination,
    n: usize,
) -> PaginationView {
    let pages = pagination.page_count();
    let page_url =
        |k: usize| (k >= 1 && k <= pages).then(|| r.url(&listing_page_dir(r.site, listing, k)));
    PaginationView {
        page: n,
        pages,
        per_page: pagination.per_page(n),
        compact: pagination.is_compact(n),
        total: pagination.total,
        first_url: page_url(1).unwrap_or_default(),
        last_url: page_url(pages).unwrap_or_default(),
        prev_url: n.checked_sub(1).and_then(page_url),
        next_url: page_url(n + 1),
    }
}
