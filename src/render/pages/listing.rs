//! Listing pages: page `n` of a listing, with the listing's own variables
//! (from its kind's builder), this page's cards and `pagination`. Page 1
//! prints full cards; later pages are the compact archive (`pagination.compact`),
//! which prints each card's one-line `row`.

use crate::diagnostic::Diagnostic;

use super::super::routes::{Listing, Pagination, listing_briefs, listing_page_dir};
use super::super::views::PaginationView;
use super::{Renderer, actors, archive, authors, countries, home, pairs, sources, topics};

/// Page `n` (from 1) of a listing.
pub(super) fn render(r: &Renderer<'_>, listing: &Listing, n: usize) -> Result<Vec<u8>, Diagnostic> {
    let site = r.site;
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
    ctx.insert_value("briefs", r.cards_of(pagination.page_slice(all, n)));
    let template = match listing {
        Listing::Home => "index.html",
        Listing::Country(_) => "country.html",
        Listing::Actor(_) => "actor.html",
        Listing::Author(_) => "author.html",
        Listing::Topic(_) => "topic.html",
        Listing::Year(_) => "year.html",
        Listing::Source(_) => "source.html",
        Listing::Pair(..) => "pair.html",
    };
    r.finish(template, ctx)
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
