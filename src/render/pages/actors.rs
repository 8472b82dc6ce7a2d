//! The actors page (`actors.html`, grouped by kind) and actor listings
//! (`actor.html`, with the countries the actor appears with).

use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::index::Term;

use super::super::routes::Listing;
use super::super::views::{
    ActorGroup, ActorLinkView, ActorPage, Counted, CountryLinkView, by_kind, counted_terms,
};
use super::Renderer;

/// `/actors/`: every actor by name, and again grouped by kind.
pub(super) fn render(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.context(
        "actors",
        &r.ui("nav_actors"),
        &r.in_lang("actors/"),
        &r.ui("actors_description"),
    );
    let all = counted_terms(&r.site.index.actors, |k| r.actor_link(k));
    let groups = groups_by_kind(&all);
    ctx.insert("actors", &all);
    ctx.insert("actor_groups", &groups);
    r.finish("actors.html", ctx)
}

/// The actors grouped by kind, kinds in name order with "other" last.
fn groups_by_kind<'a>(all: &[Counted<ActorLinkView<'a>>]) -> Vec<ActorGroup<'a>> {
    by_kind(all, |link| link.kind)
        .into_iter()
        .map(|(kind, actors)| ActorGroup { kind, actors })
        .collect()
}

/// An actor listing's own variables: `actor`, with its entry and the
/// countries it appears with.
pub(super) fn actor_context(r: &Renderer<'_>, key: &str, path: &str) -> Context {
    let Some((key, term)) = r.site.index.actors.get_key_value(key) else {
        unreachable!("actor pages are only made for indexed actors");
    };
    let Some(link) = r.actor_link(key) else {
        unreachable!("an indexed actor has a link");
    };
    let entry = r.site.actors.entries.get(key);
    let description = r.ui_with(
        "actor_description",
        None,
        &[("name", link.name.to_string())],
    );
    let mut ctx = r.context_with_feed(
        "actor",
        link.name,
        path,
        &description,
        &Listing::Actor(key.clone()),
    );
    let co_countries = r
        .co_countries
        .get(key.as_str())
        .map(|cell| cell.get_or_init(|| co_countries_of(r, term)).clone())
        .unwrap_or_else(|| co_countries_of(r, term));
    ctx.insert(
        "actor",
        &ActorPage {
            link,
            count: term.briefs.len(),
            aliases: entry.map_or(&[], |e| e.aliases.as_slice()),
            country: entry
                .and_then(|e| e.country.as_deref())
                .and_then(|c| r.place(c))
                .map(|p| r.country_link(p)),
            bio: entry.and_then(|e| e.bio_html.as_deref()),
            co_countries,
        },
    );
    ctx
}

/// The twelve countries most often in the briefs naming an actor, with counts.
fn co_countries_of(r: &Renderer<'_>, term: &Term) -> Value {
    // Counted by term number: a brief's country terms are its countries,
    // and country terms are numbered in code order (`index::number_terms`).
    // Counting by code in a hash map took 0.14 s of CPU at 50,000 briefs.
    let index = r.site.index;
    let codes: Vec<&str> = index.countries.keys().map(String::as_str).collect();
    let mut counts = vec![0usize; codes.len()];
    for &id in &term.briefs {
        for &t in &index.brief_terms[id] {
            if let Some(count) = counts.get_mut(t as usize) {
                *count += 1;
            }
        }
    }
    let mut co: Vec<(&str, usize)> = (codes.iter().zip(counts))
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| (*c, n))
        .collect();
    co.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    // Only these few links are built: computing every term's link value
    // here would cost each preview rebuild that shows an actor page.
    let counted: Vec<Counted<CountryLinkView<'_>>> = co
        .into_iter()
        .take(12)
        .filter_map(|(c, n)| {
            r.place(c).map(|p| Counted {
                link: r.country_link(p),
                count: n,
            })
        })
        .collect();
    Value::from_serializable(&counted)
}
