//! The countries page (`countries.html`, with the shaded world map) and
//! country listings (`country.html`).

use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::index::BriefId;
use crate::publish::worldmap;

use super::super::routes::{Listing, country_codes};
use super::super::views::{CountryListItem, CountryPage};
use super::Renderer;

/// `/countries/`: every country with a page, by name.
pub(super) fn render(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.context(
        "countries",
        &r.ui("nav_countries"),
        &r.in_lang("countries/"),
        &r.ui("countries_description"),
    );
    let mut items: Vec<CountryListItem<'_>> = country_codes(r.site)
        .iter()
        .filter_map(|code| r.place(code))
        .map(|p| CountryListItem {
            link: r.country_link(p),
            count: r.site.index.countries.get(&p.code).map_or(0, Vec::len),
            region: p.region.as_deref().map(|label| region_name(r, label)),
        })
        .collect();
    items.sort_by(|a, b| a.link.name.cmp(b.link.name));
    let world_map = r.site.world_map.map(|svg| {
        let shaded: Vec<worldmap::MapCountry<'_>> = items
            .iter()
            .map(|c| worldmap::MapCountry {
                code: c.link.code,
                name: c.link.name,
                url: &c.link.url,
                count: c.count,
            })
            .collect();
        worldmap::annotate(svg, &shaded)
    });
    ctx.insert("world_map", &world_map);
    ctx.insert("countries", &items);
    ctx.insert("total_briefs", &r.site.index.newest_first.len());
    r.finish("countries.html", ctx)
}

/// A country listing's own variables: `country`, with its profile.
pub(super) fn country_context(r: &Renderer<'_>, code: &str, path: &str) -> Context {
    let Some(place) = r.place(code) else {
        unreachable!("country pages are only made for known codes");
    };
    let name = r.place_name(place);
    let description = r.ui_with("country_description", None, &[("name", name.to_string())]);
    let mut ctx = r.context_with_feed(
        "country",
        name,
        path,
        &description,
        &Listing::Country(code.to_string()),
    );
    let list: &[BriefId] = r.site.index.countries.get(code).map_or(&[], Vec::as_slice);
    let mut country = Value::from_serializable(&CountryPage {
        link: r.country_link(place),
        count: list.len(),
        region: place.region.as_deref().map(|label| region_name(r, label)),
        profile: r.profiles.get(code).map(|p| p.html.as_str()),
    })
    .into_map()
    .unwrap_or_default();
    country.insert("pairs".into(), super::pairs::partners(r, code));
    ctx.insert_value("country", Value::from(country));
    ctx
}

/// A UN sub-region (`Western Asia`) in the site's language: the theme's
/// string `region_western_asia`, else the English name the gazetteer gives.
fn region_name(r: &Renderer<'_>, label: &str) -> String {
    let key = ["region_", &label.to_lowercase().replace([' ', '-'], "_")].concat();
    let lang = r.site.i18n.language(&r.site.language().code);
    match lang.message(&key) {
        Some(_) => lang.text(&key).into_owned(),
        None => label.to_string(),
    }
}
