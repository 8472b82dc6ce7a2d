//! JSON-LD: a brief's schema.org `AnalysisNewsArticle`, as embedded in its
//! page (`brief.jsonld`).
//!
//! Serialized straight from borrowed structs, with no intermediate JSON
//! tree. It reads the site but must not call templates or write files.

use crate::content::slugs::url_path;
use serde::Serialize;

use crate::content::model::Brief;
use crate::render::Site;

/// schema.org `AnalysisNewsArticle`, as embedded in brief pages.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LdArticle<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    headline: &'a str,
    description: &'a str,
    url: &'a str,
    main_entity_of_page: &'a str,
    date_published: &'a str,
    date_modified: &'a str,
    in_language: &'a str,
    word_count: usize,
    author: Vec<LdThing<'a>>,
    about: Vec<LdThing<'a>>,
    mentions: Vec<LdThing<'a>>,
    publisher: LdThing<'a>,
    is_accessible_for_free: bool,
}

/// A person, organization or country in JSON-LD.
#[derive(Serialize)]
struct LdThing<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<&'a str>,
    url: String,
}

/// The schema.org metadata of a brief, as JSON safe to embed in a `<script>`.
pub(crate) fn brief_jsonld(site: &Site<'_>, b: &Brief) -> String {
    let config = site.config;
    let url = permalink(site, &["briefs/", &b.slug, "/"].concat());
    let article = LdArticle {
        context: "https://schema.org",
        kind: "AnalysisNewsArticle",
        headline: &b.title,
        description: &b.summary,
        url: &url,
        main_entity_of_page: &url,
        date_published: &b.date.machine,
        date_modified: &b.updated.as_ref().unwrap_or(&b.date).machine,
        in_language: &config.language,
        word_count: b.word_count,
        author: authors(site, b),
        about: countries(site, b),
        mentions: actors(site, b),
        publisher: LdThing {
            kind: "Organization",
            name: &config.title,
            identifier: None,
            url: config.base_url.clone(),
        },
        is_accessible_for_free: true,
    };
    // Plain structs of strings and numbers: serializing cannot fail.
    let json = serde_json::to_string(&article).unwrap_or_default();
    // `</script>` inside a string would end the script element early.
    json.replace('<', "\\u003c")
}

fn permalink(site: &Site<'_>, path: &str) -> String {
    [site.config.base_url.as_str(), &url_path(path)].concat()
}

/// `author`: the brief's authors, linked to their pages.
fn authors<'a>(site: &Site<'_>, b: &'a Brief) -> Vec<LdThing<'a>> {
    b.authors
        .iter()
        .zip(&b.author_keys)
        .map(|(name, key)| LdThing {
            kind: "Person",
            name,
            identifier: None,
            url: permalink(site, &["authors/", key, "/"].concat()),
        })
        .collect()
}

/// `about`: the countries the brief is about, by ISO code.
fn countries<'a>(site: &Site<'a>, b: &Brief) -> Vec<LdThing<'a>> {
    b.countries
        .iter()
        .filter_map(|c| site.gazetteer.get(c))
        .map(|p| LdThing {
            kind: "Country",
            name: &p.name,
            identifier: Some(&p.code),
            url: permalink(site, &["countries/", &p.slug, "/"].concat()),
        })
        .collect()
}

/// `mentions`: the actors the brief names, as people or organizations.
fn actors<'a>(site: &Site<'a>, b: &Brief) -> Vec<LdThing<'a>> {
    b.actors
        .iter()
        .filter_map(|a| site.index.actors.get_key_value(&a.key))
        .map(|(key, term)| {
            let kind = site.actors.entries.get(key).and_then(|e| e.kind.as_deref());
            LdThing {
                kind: match kind {
                    Some("person") => "Person",
                    _ => "Organization",
                },
                name: &term.name,
                identifier: None,
                url: permalink(site, &["actors/", key, "/"].concat()),
            }
        })
        .collect()
}
