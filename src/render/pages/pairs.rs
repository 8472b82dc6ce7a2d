//! Country pairs: pair listings (`pair.html`: the briefs naming both
//! countries) and, for country pages, the countries most often covered
//! with that country (`country.pairs`), each linking to its pair page.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Value};

use super::super::routes::{Listing, listing_exists, listing_in, pair_dir};
use super::super::views::CountryLinkView;
use super::Renderer;
use crate::content::countries::Place;

/// How many partner countries a country page lists.
const PARTNERS_SHOWN: usize = 8;

/// `pair` on a pair page: both countries and their shared count.
#[derive(Serialize)]
struct PairPage<'a> {
    countries: [CountryLinkView<'a>; 2],
    count: usize,
}

/// A country covered together with the page's country.
#[derive(Serialize)]
struct Partner<'a> {
    #[serde(flatten)]
    country: CountryLinkView<'a>,
    count: usize,
    /// The pair page.
    pair_url: String,
}

/// A pair's two places in title order, with the `first`/`second` arguments
/// of `pair_title` and `pair_description`.
pub(super) type TitleOrder<'a> = (&'a Place, &'a Place, [(&'static str, String); 2]);

/// The pair's two places by name in the page's language, so that its title
/// reads the same from either country (`None` for an unknown code).
pub(super) fn in_title_order<'a>(r: &Renderer<'a>, a: &str, b: &str) -> Option<TitleOrder<'a>> {
    let (pa, pb) = (r.place(a)?, r.place(b)?);
    let (first, second) = if r.place_name(pa) <= r.place_name(pb) {
        (pa, pb)
    } else {
        (pb, pa)
    };
    let names = [
        ("first", r.place_name(first).to_string()),
        ("second", r.place_name(second).to_string()),
    ];
    Some((first, second, names))
}

/// A pair listing's own variables: `pair`, the two countries by name.
pub(super) fn pair_context(r: &Renderer<'_>, a: &str, b: &str, path: &str) -> Context {
    let Some((first, second, names)) = in_title_order(r, a, b) else {
        unreachable!("pair pages are only made for known places");
    };
    let title = r.ui_with("pair_title", None, &names);
    let description = r.ui_with("pair_description", None, &names);
    let listing = Listing::Pair(a.to_string(), b.to_string());
    let mut ctx = r.context_with_feed("pair", &title, path, &description, &listing);
    ctx.insert(
        "pair",
        &PairPage {
            countries: [r.country_link(first), r.country_link(second)],
            count: listing_in(r.site.index, &listing).len(),
        },
    );
    ctx
}

/// `country.pairs`: the countries with a pair page together with `code`,
/// most shared briefs first (ties by code), at most [`PARTNERS_SHOWN`].
/// Computed for every country at once, on first use: every page of every
/// country listing shows them.
pub(super) fn partners(r: &Renderer<'_>, code: &str) -> Value {
    r.pair_partners
        .get_or_init(|| all_partners(r))
        .get(code)
        .cloned()
        .unwrap_or_else(|| Value::from(Vec::<Value>::new()))
}

/// The partners of every country, in one pass over the pairs.
fn all_partners(r: &Renderer<'_>) -> HashMap<String, Value> {
    let site = r.site;
    let min = site.config.pair_min_briefs;
    let mut found: HashMap<&str, Vec<(&str, usize)>> = HashMap::new();
    for ((a, b), list) in &site.index.pairs {
        if list.len() >= min {
            found.entry(a).or_default().push((b, list.len()));
            found.entry(b).or_default().push((a, list.len()));
        }
    }
    found
        .into_iter()
        .map(|(code, mut others)| {
            others.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0)));
            let shown: Vec<Partner<'_>> = others
                .into_iter()
                .filter_map(|(other, count)| {
                    let place = r.place(other)?;
                    listing_exists(site, &pair_listing(code, other)).then(|| Partner {
                        country: r.country_link(place),
                        count,
                        pair_url: r.lang_url(&pair_dir(site, code, other)),
                    })
                })
                .take(PARTNERS_SHOWN)
                .collect();
            (code.to_string(), Value::from_serializable(&shown))
        })
        .collect()
}

/// The listing of two countries, codes in the index's order.
fn pair_listing(a: &str, b: &str) -> Listing {
    if a < b {
        Listing::Pair(a.to_string(), b.to_string())
    } else {
        Listing::Pair(b.to_string(), a.to_string())
    }
}
