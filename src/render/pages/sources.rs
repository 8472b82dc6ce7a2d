//! The sources page (`sources.html`: every source publisher, grouped by
//! kind) and source listings (`source.html`: the briefs citing one
//! publisher). A publisher's name and kind come from the registry
//! (`content/sources/<key>.md`) when it has an entry, else from how most
//! sources wrote them.

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;

use super::super::routes::Listing;
use super::super::views::{Counted, CountryLinkView, TermLink, Views, by_kind, counted_terms};
use super::Renderer;

/// A link to a source publisher's page.
#[derive(Serialize, Clone)]
pub(crate) struct SourceLinkView<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: String,
    /// `state-media`, `official`, `independent-press`, `think-tank`... or null.
    pub(crate) kind: Option<&'a str>,
}

impl TermLink for SourceLinkView<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn slug(&self) -> &str {
        self.slug
    }
}

/// The publishers of one kind, on the sources page.
#[derive(Serialize)]
struct SourceGroup<'a> {
    kind: &'a str,
    sources: Vec<Counted<SourceLinkView<'a>>>,
}

/// `source` on a source page.
#[derive(Serialize)]
struct SourcePage<'a> {
    #[serde(flatten)]
    link: SourceLinkView<'a>,
    count: usize,
    aliases: &'a [String],
    country: Option<CountryLinkView<'a>>,
    about: Option<&'a str>,
}

/// The link to an indexed publisher's page.
pub(crate) fn source_link<'a>(r: &Views<'a>, key: &'a str) -> Option<SourceLinkView<'a>> {
    let site = r.site;
    let term = site.index.sources.get(key)?;
    let entry = site.publishers.entries.get(key);
    Some(SourceLinkView {
        name: entry.map_or(term.name.as_str(), |e| e.name.as_str()),
        slug: key,
        url: r.lang_url(&["sources/", key, "/"].concat()),
        kind: entry
            .and_then(|e| e.kind.as_deref())
            .or_else(|| site.index.source_kinds.get(key).map(String::as_str)),
    })
}

/// `/sources/`: every publisher by name, and again grouped by kind.
pub(super) fn render(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.context(
        "sources",
        &r.ui("nav_sources"),
        &r.in_lang("sources/"),
        &r.ui("sources_description"),
    );
    let all = counted_terms(&r.site.index.sources, |k| source_link(r, k));
    let groups: Vec<SourceGroup<'_>> = by_kind(&all, |link| link.kind)
        .into_iter()
        .map(|(kind, sources)| SourceGroup { kind, sources })
        .collect();
    ctx.insert("sources", &all);
    ctx.insert("source_groups", &groups);
    r.finish("sources.html", ctx)
}

/// A source listing's own variables: `source`, with its registry entry.
pub(super) fn source_context(r: &Renderer<'_>, key: &str, path: &str) -> Context {
    let Some((key, term)) = r.site.index.sources.get_key_value(key) else {
        unreachable!("source pages are only made for indexed publishers");
    };
    let Some(link) = source_link(r, key) else {
        unreachable!("an indexed publisher has a link");
    };
    let entry = r.site.publishers.entries.get(key);
    let description = r.ui_with(
        "source_description",
        None,
        &[("name", link.name.to_string())],
    );
    let mut ctx = r.context_with_feed(
        "source",
        link.name,
        path,
        &description,
        &Listing::Source(key.clone()),
    );
    ctx.insert(
        "source",
        &SourcePage {
            link,
            count: term.briefs.len(),
            aliases: entry.map_or(&[], |e| e.aliases.as_slice()),
            country: entry
                .and_then(|e| e.country.as_deref())
                .and_then(|c| r.place(c))
                .map(|p| r.country_link(p)),
            about: entry.and_then(|e| e.about_html.as_deref()),
        },
    );
    ctx
}

/// `brief.publishers`: the publishers a brief cites, once each, in the
/// order of its sources (for the search page's source facet).
pub(super) fn publishers_of<'a>(
    r: &Renderer<'a>,
    b: &'a crate::content::model::Brief,
) -> Vec<SourceLinkView<'a>> {
    let mut seen: Vec<&str> = Vec::new();
    b.sources
        .iter()
        .filter_map(|s| s.publisher_key.as_deref())
        .filter(|k| {
            let new = !seen.contains(k);
            seen.push(k);
            new
        })
        .filter_map(|k| source_link(r, k))
        .collect()
}
