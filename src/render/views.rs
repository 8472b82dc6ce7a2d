//! Views: the typed values templates see (documented in the README's theme
//! reference), and [`Views`], which builds the shared ones from the site.
//!
//! Field order is output: Tera keeps map order (`preserve_order`), and
//! templates that print a whole value print its keys in this order, so
//! reordering a field changes pages. This module must not call templates
//! or decide which pages exist (that is `routes`).

use crate::content::slugs::url_path;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use crate::content::countries::Place;
use crate::content::flags::flag_path;
use crate::content::markdown;
use crate::content::model::{BriefDate, CountryProfile};

use super::Site;

/// `site`: the configuration every template sees.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(crate) search: bool,
    pub(crate) title: &'a str,
    pub(crate) tagline: &'a str,
    pub(crate) description: &'a str,
    pub(crate) language: &'a str,
    /// The site language's direction (`ltr` or `rtl`).
    pub(crate) dir: &'static str,
    pub(crate) base_url: &'a str,
    pub(crate) base_path: &'a str,
    pub(crate) extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Whether the site has topic pages (some brief has `topics:`).
    pub(crate) topics: bool,
    /// Every site language, the default first (`code`, `name`, `dir`,
    /// `url` of its home page).
    pub(crate) languages: Vec<LanguageView<'a>>,
}

/// One of `site.languages`.
#[derive(Serialize)]
pub(crate) struct LanguageView<'a> {
    pub(crate) code: &'a str,
    pub(crate) name: &'a str,
    pub(crate) dir: &'static str,
    pub(crate) url: String,
}

/// `page`: what every page says about itself.
#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) kind: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) permalink: String,
    pub(crate) description: &'a str,
    pub(crate) feed_url: Option<String>,
    pub(crate) feed_title: Option<String>,
    /// `<html lang>`: the brief's on a brief page, else the site's.
    pub(crate) lang: &'a str,
    /// `<html dir>` (`ltr` or `rtl`), from `lang`.
    pub(crate) dir: &'static str,
    /// The home page of the page's site language (`/fr/`).
    pub(crate) home_url: String,
    /// The page in every site language (empty on a single-language site).
    pub(crate) translations: Vec<super::pages::languages::Version<'a>>,
    /// `<link rel="alternate" hreflang>` of the page (`lang`, `href`), with
    /// `x-default` last; empty without another language version.
    pub(crate) alternates: Vec<super::pages::languages::Alternate<'a>>,
}

/// A link to an author's page.
#[derive(Serialize, Clone)]
pub(crate) struct LinkView<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: String,
    /// From the author's record, for `citation_author_orcid`.
    pub(crate) orcid: Option<&'a str>,
}

/// `author` on an author page: the link, the count and the author's record.
#[derive(Serialize)]
pub(crate) struct AuthorPage<'a> {
    #[serde(flatten)]
    pub(crate) link: LinkView<'a>,
    pub(crate) count: usize,
    pub(crate) role: Option<&'a str>,
    pub(crate) affiliation: Option<&'a str>,
    pub(crate) photo: Option<&'a str>,
    pub(crate) orcid_url: Option<String>,
    pub(crate) links: Vec<ProfileLink<'a>>,
    pub(crate) bio: Option<&'a str>,
}

/// One of an author's profile links, with a label for it.
#[derive(Serialize)]
pub(crate) struct ProfileLink<'a> {
    pub(crate) url: &'a str,
    pub(crate) label: String,
}

/// A profile link's label: its host without `www.` (`scholar.google.com`).
pub(crate) fn profile_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// A link to a country's page.
#[derive(Serialize, Clone)]
pub(crate) struct CountryLinkView<'a> {
    pub(crate) name: &'a str,
    pub(crate) code: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: String,
    pub(crate) flag: &'a str,
    /// The country's flag as an SVG file, for `<img>` (null for places without one).
    pub(crate) flag_url: Option<String>,
}

/// A link to an actor's page.
#[derive(Serialize, Clone)]
pub(crate) struct ActorLinkView<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: String,
    pub(crate) kind: Option<&'a str>,
}

/// A link with the number of briefs behind it.
#[derive(Serialize)]
pub(crate) struct Counted<T> {
    #[serde(flatten)]
    pub(crate) link: T,
    pub(crate) count: usize,
}

/// Counted links grouped by kind (`other` when they have none), in their
/// order within a kind; kinds in name order with "other" last. For the
/// actors and sources index pages.
pub(crate) fn by_kind<'a, T: Clone>(
    all: &[Counted<T>],
    kind_of: impl Fn(&T) -> Option<&'a str>,
) -> Vec<(&'a str, Vec<Counted<T>>)> {
    let mut groups: Vec<(&'a str, Vec<Counted<T>>)> = Vec::new();
    for term in all {
        let kind = kind_of(&term.link).unwrap_or("other");
        let item = Counted {
            link: term.link.clone(),
            count: term.count,
        };
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, items)) => items.push(item),
            None => groups.push((kind, vec![item])),
        }
    }
    groups.sort_by(|(a, _), (b, _)| (*a == "other").cmp(&(*b == "other")).then_with(|| a.cmp(b)));
    groups
}

/// A term's link, by the name and slug index pages sort on.
pub(crate) trait TermLink {
    /// Display name.
    fn name(&self) -> &str;
    /// URL segment.
    fn slug(&self) -> &str;
}

impl TermLink for LinkView<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn slug(&self) -> &str {
        self.slug
    }
}

impl TermLink for ActorLinkView<'_> {
    fn name(&self) -> &str {
        self.name
    }
    fn slug(&self) -> &str {
        self.slug
    }
}

/// Every term with its count, sorted by name (ignoring case), then slug:
/// the order of the actors and authors index pages.
pub(crate) fn counted_terms<'a, L: TermLink>(
    terms: &'a std::collections::BTreeMap<String, crate::index::Term>,
    link: impl Fn(&'a str) -> Option<L>,
) -> Vec<Counted<L>> {
    let mut all: Vec<Counted<L>> = terms
        .iter()
        .filter_map(|(key, term)| {
            link(key).map(|link| Counted {
                link,
                count: term.briefs.len(),
            })
        })
        .collect();
    all.sort_by(|a, b| {
        (a.link
            .name()
            .to_lowercase()
            .cmp(&b.link.name().to_lowercase()))
        .then_with(|| a.link.slug().cmp(b.link.slug()))
    });
    all
}

/// The listing card of a brief (`briefs[]` on listings, `brief` on its own
/// page). Built once per brief and shared as a [`Value`]; the link lists are
/// shared [`Value`]s too, cloned by reference when serialized.
#[derive(Serialize)]
pub(crate) struct Card<'a> {
    pub(crate) slug: &'a str,
    pub(crate) title: &'a str,
    pub(crate) title_html: &'a str,
    pub(crate) url: String,
    pub(crate) permalink: String,
    pub(crate) date: &'a str,
    pub(crate) date_display: String,
    pub(crate) year: i16,
    pub(crate) updated: Option<&'a str>,
    pub(crate) updated_display: Option<String>,
    pub(crate) summary: &'a str,
    pub(crate) summary_html: &'a str,
    pub(crate) summary_given: bool,
    pub(crate) authors: Value,
    pub(crate) countries: Value,
    pub(crate) actors: Value,
    pub(crate) topics: Value,
    /// The brief's language tag and its direction (`ltr`/`rtl`): listings
    /// mark a card whose language is not the page's.
    pub(crate) lang: &'a str,
    pub(crate) dir: &'static str,
    pub(crate) draft: bool,
    /// Dated after the build's clock (only in previews: `serve`, `build --scheduled`).
    pub(crate) scheduled: bool,
    /// The card's pre-rendered HTML; filled in after the partial ran.
    pub(crate) html: Option<String>,
    /// The brief's pre-rendered row of later listing pages, likewise.
    pub(crate) row: Option<String>,
}

/// One of a brief's sources, numbered as cited.
#[derive(Serialize)]
pub(crate) struct SourceView<'a> {
    pub(crate) number: usize,
    pub(crate) anchor: String,
    pub(crate) id: Option<&'a str>,
    pub(crate) title: &'a str,
    pub(crate) publisher: Option<&'a str>,
    /// The publisher's source page.
    pub(crate) publisher_url: Option<String>,
    pub(crate) url: Option<&'a str>,
    pub(crate) date: Option<&'a str>,
    pub(crate) date_display: Option<String>,
    pub(crate) kind: Option<&'a str>,
    pub(crate) backlinks: &'a [String],
    /// The whole entry in the site's citation style (HTML).
    pub(crate) formatted: String,
}

/// `brief.citation`: how to cite a brief, with download links.
#[derive(Serialize)]
pub(crate) struct CitationView {
    pub(crate) text: String,
    /// `text` with the style's italics and the link, as HTML.
    pub(crate) html: String,
    /// `YYYY/MM/DD`, as Google Scholar's `citation_publication_date` wants it.
    pub(crate) date: String,
    pub(crate) key: String,
    pub(crate) bibtex_url: String,
    pub(crate) ris_url: String,
}

/// `country` on a country page.
#[derive(Serialize)]
pub(crate) struct CountryPage<'a> {
    #[serde(flatten)]
    pub(crate) link: CountryLinkView<'a>,
    pub(crate) count: usize,
    /// The UN sub-region, named in the page's language.
    pub(crate) region: Option<String>,
    pub(crate) profile: Option<&'a str>,
}

/// One row of the countries page.
#[derive(Serialize)]
pub(crate) struct CountryListItem<'a> {
    #[serde(flatten)]
    pub(crate) link: CountryLinkView<'a>,
    pub(crate) count: usize,
    /// The UN sub-region, named in the page's language.
    pub(crate) region: Option<String>,
}

/// `actor` on an actor page.
#[derive(Serialize)]
pub(crate) struct ActorPage<'a> {
    #[serde(flatten)]
    pub(crate) link: ActorLinkView<'a>,
    pub(crate) count: usize,
    pub(crate) aliases: &'a [String],
    pub(crate) country: Option<CountryLinkView<'a>>,
    pub(crate) bio: Option<&'a str>,
    pub(crate) co_countries: Value,
}

/// The actors of one kind, on the actors page.
#[derive(Serialize)]
pub(crate) struct ActorGroup<'a> {
    pub(crate) kind: &'a str,
    pub(crate) actors: Vec<Counted<ActorLinkView<'a>>>,
}

/// `pagination` on listing pages.
#[derive(Serialize)]
pub(crate) struct PaginationView {
    pub(crate) page: usize,
    pub(crate) pages: usize,
    pub(crate) per_page: usize,
    /// A later page: the compact archive of one-line rows.
    pub(crate) compact: bool,
    pub(crate) total: usize,
    pub(crate) first_url: String,
    pub(crate) last_url: String,
    pub(crate) prev_url: Option<String>,
    pub(crate) next_url: Option<String>,
}

/// A year with its brief count (archive and year pages).
#[derive(Serialize)]
pub(crate) struct YearView {
    pub(crate) year: i16,
    pub(crate) count: usize,
    pub(crate) url: String,
}

/// Human date in the language `lang` (its month names and digits, from
/// the i18n files): `2 January 2018`, `٢ يناير ٢٠١٨`, `2 janvier 2018`.
pub(crate) fn display_date(i18n: &crate::I18n, lang: &str, d: &BriefDate) -> String {
    i18n.language(lang).date(d.date)
}

/// Template values of every term link, by key.
pub(crate) struct LinkValues<'a> {
    pub(crate) authors: HashMap<&'a str, Value>,
    pub(crate) countries: HashMap<&'a str, Value>,
    pub(crate) actors: HashMap<&'a str, Value>,
}

/// Builds view values from the site, and keeps those that many pages share
/// (the `site` value, link values, home extras, co-countries) so that each
/// is computed once per build, not once per page.
pub(crate) struct Views<'a> {
    pub(crate) site: &'a Site<'a>,
    pub(crate) site_value: Value,
    /// Most covered countries and actors, overall and in the latest year.
    pub(crate) home_extras: OnceLock<Vec<(&'static str, Value)>>,
    /// Link values shared by all cards.
    pub(crate) link_values: OnceLock<LinkValues<'a>>,
    pub(crate) profiles: HashMap<&'a str, &'a CountryProfile>,
    /// Countries each actor appears with, computed on first use: every page
    /// of a paginated actor listing shows them.
    pub(crate) co_countries: HashMap<&'a str, OnceLock<Value>>,
    /// Each disclaimer of site.yaml as HTML, rendered once, not once per brief.
    pub(crate) disclaimers: HashMap<&'a str, String>,
}

impl<'a> Views<'a> {
    /// The views of a site; shared values are computed on first use.
    pub(crate) fn new(site: &'a Site<'a>) -> Self {
        let config = site.config;
        let site_value = Value::from_serializable(&SiteView {
            search: site.search,
            title: &site.language().title,
            tagline: &site.language().tagline,
            description: &site.language().description,
            language: &site.language().code,
            dir: site.language().dir.as_str(),
            base_url: &config.base_url,
            base_path: &config.base_path,
            extra: &config.extra,
            topics: !site.index.topics.is_empty(),
            languages: config
                .languages
                .iter()
                .map(|l| LanguageView {
                    code: &l.code,
                    name: &l.name,
                    dir: l.dir.as_str(),
                    url: [config.base_path.as_str(), &l.path].concat(),
                })
                .collect(),
        });
        Views {
            site,
            site_value,
            home_extras: OnceLock::new(),
            link_values: OnceLock::new(),
            profiles: site.profiles.iter().map(|p| (p.code.as_str(), p)).collect(),
            co_countries: site
                .index
                .actors
                .keys()
                .map(|k| (k.as_str(), OnceLock::new()))
                .collect(),
            disclaimers: site
                .language()
                .disclaimers
                .iter()
                .map(|(key, text)| (key.as_str(), markdown::render_plain(text).html))
                .collect(),
        }
    }

    /// The URL of a path under the base path. Plain concatenation: this
    /// runs several times per page.
    pub(crate) fn url(&self, path: &str) -> String {
        [self.site.config.base_path.as_str(), &url_path(path)].concat()
    }

    /// The URL of a path under this language's folder (`/fr/countries/`).
    pub(crate) fn lang_url(&self, path: &str) -> String {
        [
            self.site.config.base_path.as_str(),
            self.site.lang_path(),
            &url_path(path),
        ]
        .concat()
    }

    /// A path under this language's folder (`fr/search/`).
    pub(crate) fn in_lang(&self, path: &str) -> String {
        [self.site.lang_path(), path].concat()
    }

    /// The absolute URL of a path under this language's folder.
    pub(crate) fn lang_permalink(&self, path: &str) -> String {
        [
            self.site.config.base_url.as_str(),
            self.site.lang_path(),
            &url_path(path),
        ]
        .concat()
    }

    /// The absolute URL of a path under the base URL.
    pub(crate) fn permalink(&self, path: &str) -> String {
        [self.site.config.base_url.as_str(), &url_path(path)].concat()
    }

    /// A country or place by code.
    pub(crate) fn place(&self, code: &str) -> Option<&'a Place> {
        self.site.gazetteer.get(code)
    }

    /// A country's name in this site language: the gazetteer's (English)
    /// name on a single-language site and in English, else keshvar's
    /// translation when it has one.
    pub(crate) fn place_name(&self, place: &'a Place) -> &'a str {
        let lang = &self.site.language().code;
        if !self.site.config.is_multilingual() || crate::content::lang::primary(lang) == "en" {
            return &place.name;
        }
        crate::content::countries::localized_name(&place.code, lang).unwrap_or(&place.name)
    }

    /// The link to a country's page.
    pub(crate) fn country_link(&self, place: &'a Place) -> CountryLinkView<'a> {
        CountryLinkView {
            name: self.place_name(place),
            code: &place.code,
            slug: &place.slug,
            url: self.lang_url(&["countries/", &place.slug, "/"].concat()),
            flag: &place.flag,
            flag_url: flag_path(place).map(|p| self.url(&p)),
        }
    }

    /// An actor's name in this site language: the registry's `names:`
    /// entry for it (by tag, then language subtag) on a multilingual site,
    /// else `name`.
    pub(crate) fn actor_name(&self, key: &str, name: &'a str) -> &'a str {
        if !self.site.config.is_multilingual() {
            return name;
        }
        let Some(entry) = self.site.actors.entries.get(key) else {
            return name;
        };
        let lang = &self.site.language().code;
        (entry.names.get(lang.as_str()))
            .or_else(|| entry.names.get(crate::content::lang::primary(lang)))
            .map_or(name, String::as_str)
    }

    /// The link to an indexed actor's page.
    pub(crate) fn actor_link(&self, key: &'a str) -> Option<ActorLinkView<'a>> {
        let term = self.site.index.actors.get(key)?;
        Some(ActorLinkView {
            name: self.actor_name(key, &term.name),
            slug: key,
            url: self.lang_url(&["actors/", key, "/"].concat()),
            kind: self
                .site
                .actors
                .entries
                .get(key)
                .and_then(|e| e.kind.as_deref()),
        })
    }

    /// The link to an indexed author's page.
    pub(crate) fn author_link(&self, key: &'a str) -> Option<LinkView<'a>> {
        let term = self.site.index.authors.get(key)?;
        Some(LinkView {
            name: &term.name,
            slug: key,
            url: self.lang_url(&["authors/", key, "/"].concat()),
            orcid: (self.site.authors.get(key)).and_then(|a| a.orcid.as_deref()),
        })
    }

    /// The link to an indexed topic's page.
    pub(crate) fn topic_link(&self, key: &'a str) -> Option<LinkView<'a>> {
        let term = self.site.index.topics.get(key)?;
        Some(LinkView {
            name: &term.name,
            slug: key,
            url: self.lang_url(&["topics/", key, "/"].concat()),
            orcid: None,
        })
    }

    /// One template value per author, country and actor link.
    pub(crate) fn compute_link_values(&self) -> LinkValues<'a> {
        let index = self.site.index;
        self.link_values_for(
            &mut index.authors.keys().map(String::as_str),
            &mut index.countries.keys().map(String::as_str),
            &mut index.actors.keys().map(String::as_str),
        )
    }

    /// Template values of the given links (unknown keys are skipped).
    pub(crate) fn link_values_for(
        &self,
        authors: &mut dyn Iterator<Item = &str>,
        countries: &mut dyn Iterator<Item = &str>,
        actors: &mut dyn Iterator<Item = &str>,
    ) -> LinkValues<'a> {
        let index = self.site.index;
        LinkValues {
            authors: authors
                .filter_map(|k| index.authors.get_key_value(k))
                .filter_map(|(k, _)| {
                    self.author_link(k)
                        .map(|l| (k.as_str(), Value::from_serializable(&l)))
                })
                .collect(),
            countries: countries
                .filter_map(|c| index.countries.get_key_value(c))
                .filter_map(|(c, _)| {
                    self.place(c)
                        .map(|p| (c.as_str(), Value::from_serializable(&self.country_link(p))))
                })
                .collect(),
            actors: actors
                .filter_map(|k| index.actors.get_key_value(k))
                .filter_map(|(k, _)| {
                    self.actor_link(k)
                        .map(|l| (k.as_str(), Value::from_serializable(&l)))
                })
                .collect(),
        }
    }
}
