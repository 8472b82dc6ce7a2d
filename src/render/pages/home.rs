//! The home page (`index.html`): the first page of the home listing, with
//! the most covered countries and actors overall and in the latest year.

use std::collections::HashMap;

use tera::{Context, Value};

use super::super::routes::Listing;
use super::super::views::{ActorLinkView, Counted, CountryLinkView};
use super::Renderer;

/// The home page's own variables; `n` is the page number.
pub(super) fn context(r: &Renderer<'_>, path: &str, n: usize) -> Context {
    let language = r.site.language();
    let mut ctx = r.context_with_feed(
        "home",
        &language.title,
        path,
        &language.description,
        &Listing::Home,
    );
    ctx.insert("total_briefs", &r.site.index.newest_first.len());
    // Only the first page shows what is most covered, so a change of
    // counts re-renders one home page, not all of them.
    let extras = r.home_extras.get_or_init(|| home_extras(r));
    for (key, value) in extras {
        let empty = if *key == "latest_year" {
            Value::none()
        } else {
            Value::from(Vec::<Value>::new())
        };
        ctx.insert_value(*key, if n == 1 { value.clone() } else { empty });
    }
    ctx
}

/// `top_countries` / `top_actors` (overall) and `latest_year` with
/// `year_top_countries` / `year_top_actors` (briefs of the newest brief's
/// year: "this year" without depending on the day of the build).
fn home_extras(r: &Renderer<'_>) -> Vec<(&'static str, Value)> {
    let index = r.site.index;
    let overall_countries: Vec<(&str, usize)> = index
        .countries
        .iter()
        .map(|(c, l)| (c.as_str(), l.len()))
        .collect();
    let overall_actors: Vec<(&str, usize)> = index
        .actors
        .iter()
        .map(|(k, t)| (k.as_str(), t.briefs.len()))
        .collect();
    let latest_year = index.years.keys().next_back().copied();
    let (year_countries, year_actors) = latest_year_counts(r, latest_year);
    vec![
        ("top_countries", top_countries(r, overall_countries)),
        ("top_actors", top_actors(r, overall_actors)),
        (
            "latest_year",
            latest_year.map_or(Value::none(), |y| Value::from_serializable(&y)),
        ),
        ("year_top_countries", top_countries(r, year_countries)),
        ("year_top_actors", top_actors(r, year_actors)),
    ]
}

/// Brief counts by country code or actor key.
type Counts<'a> = Vec<(&'a str, usize)>;

/// Brief counts per country and per actor in the given year.
fn latest_year_counts<'a>(r: &Renderer<'a>, year: Option<i16>) -> (Counts<'a>, Counts<'a>) {
    let mut countries: HashMap<&str, usize> = HashMap::new();
    let mut actors: HashMap<&str, usize> = HashMap::new();
    let site = r.site;
    if let Some(list) = year.and_then(|y| site.index.years.get(&y)) {
        for &id in list {
            let b = &site.briefs[id];
            for c in &b.countries {
                *countries.entry(c).or_default() += 1;
            }
            for a in &b.actors {
                *actors.entry(&a.key).or_default() += 1;
            }
        }
    }
    (
        countries.into_iter().collect(),
        actors.into_iter().collect(),
    )
}

/// The eight most covered countries, with counts.
fn top_countries(r: &Renderer<'_>, counts: Vec<(&str, usize)>) -> Value {
    let top: Vec<Counted<CountryLinkView<'_>>> = top_eight(counts)
        .into_iter()
        .filter_map(|(code, count)| {
            r.place(code).map(|p| Counted {
                link: r.country_link(p),
                count,
            })
        })
        .collect();
    Value::from_serializable(&top)
}

/// The eight most named actors, with counts.
fn top_actors<'a>(r: &Renderer<'a>, counts: Vec<(&'a str, usize)>) -> Value {
    let top: Vec<Counted<ActorLinkView<'_>>> = top_eight(counts)
        .into_iter()
        .filter_map(|(key, count)| r.actor_link(key).map(|link| Counted { link, count }))
        .collect();
    Value::from_serializable(&top)
}

/// The eight largest counts, ties by key, so the choice never depends on map order.
fn top_eight(mut counts: Vec<(&str, usize)>) -> Vec<(&str, usize)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    counts.truncate(8);
    counts
}
