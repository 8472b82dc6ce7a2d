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
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct LdThing<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<&'a str>,
    url: String,
    /// An author's record: ORCID and profile pages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<LdOrganization<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
}

/// An author's institution.
#[derive(Serialize)]
struct LdOrganization<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
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
        in_language: &b.lang,
        word_count: b.word_count,
        author: authors(site, b),
        about: countries(site, b),
        mentions: actors(site, b),
        publisher: LdThing {
            kind: "Organization",
            name: &config.title,
            url: config.base_url.clone(),
            ..LdThing::default()
        },
        is_accessible_for_free: true,
    };
    // Plain structs of strings and numbers: serializing cannot fail.
    let json = serde_json::to_string(&article).unwrap_or_default();
    // `</script>` inside a string would end the script element early.
    json.replace('<', "\\u003c")
}

fn permalink(site: &Site<'_>, path: &str) -> String {
    [
        site.config.base_url.as_str(),
        site.lang_path(),
        &url_path(path),
    ]
    .concat()
}

/// `author`: the brief's authors, linked to their pages, with what their
/// records say (a `Person` unless the record says `kind: organization`).
fn authors<'a>(site: &Site<'a>, b: &'a Brief) -> Vec<LdThing<'a>> {
    b.authors
        .iter()
        .zip(&b.author_keys)
        .map(|(name, key)| {
            let url = permalink(site, &["authors/", key, "/"].concat());
            let Some(record) = site.authors.get(key) else {
                return LdThing {
                    kind: "Person",
                    name,
                    url,
                    ..LdThing::default()
                };
            };
            let orcid = (record.orcid.iter()).map(|id| format!("https://orcid.org/{id}"));
            LdThing {
                kind: if record.organization {
                    "Organization"
                } else {
                    "Person"
                },
                name,
                url,
                same_as: orcid.chain(record.links.iter().cloned()).collect(),
                job_title: record.role.as_deref(),
                affiliation: (record.affiliation.as_deref()).map(|name| LdOrganization {
                    kind: "Organization",
                    name,
                }),
                image: record.photo.as_ref().map(|p| absolute(site, p)),
                ..LdThing::default()
            }
        })
        .collect()
}

/// A photo URL made absolute: a root-relative one is under the base URL's host.
fn absolute(site: &Site<'_>, url: &str) -> String {
    if url.contains("://") {
        return url.to_string();
    }
    let base = &site.config.base_url;
    let path_start = (base.find("://").map(|i| i + 3))
        .and_then(|host| base[host..].find('/').map(|i| host + i))
        .unwrap_or(base.len());
    [&base[..path_start], url].concat()
}

/// Whether an actor registry `kind` names a person: schema.org has
/// `Person` and `Organization`, registries use many words for both.
fn is_person_kind(kind: &str) -> bool {
    const PEOPLE: &[&str] = &[
        "person",
        "people",
        "individual",
        "politician",
        "leader",
        "official",
        "head of state",
        "head of government",
        "president",
        "prime minister",
        "minister",
        "commander",
        "cleric",
        "diplomat",
        "journalist",
        "activist",
    ];
    PEOPLE.contains(&kind.trim().to_lowercase().as_str())
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
            ..LdThing::default()
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
                // Without a registry kind, schema.org's most general type:
                // an unregistered name may be a person or a body.
                kind: match kind {
                    Some(k) if is_person_kind(k) => "Person",
                    Some(_) => "Organization",
                    None => "Thing",
                },
                name: &term.name,
                url: permalink(site, &["actors/", key, "/"].concat()),
                ..LdThing::default()
            }
        })
        .collect()
}
