//! Render: the validated site and its indexes -> pages in memory, through Tera.
//!
//! Templates reach Tera as strings; this module never touches the disk.
//! Templates receive view structs (documented in the README's theme
//! reference), never internal types.

pub mod invalidate;
use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::content::config::Config;
use crate::content::countries::{Gazetteer, Place};
use crate::content::markdown;
use crate::content::model::{Brief, BriefDate, CountryProfile};
use crate::content::source::TextFile;
use crate::content::validate::ActorRegistry;
use crate::diagnostic::Diagnostic;
use crate::index::{BriefId, Index};

/// A rendered file, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder.
    pub path: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "archive.html",
    "year.html",
    "brief.html",
    "countries.html",
    "country.html",
    "actors.html",
    "actor.html",
    "authors.html",
    "author.html",
    "404.html",
];

/// Everything rendering reads.
pub struct Site<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// Countries and places.
    pub gazetteer: &'a Gazetteer,
    /// Briefs to publish (drafts already filtered as asked).
    pub briefs: &'a [Brief],
    /// Registered actors.
    pub actors: &'a ActorRegistry,
    /// Country profiles.
    pub profiles: &'a [CountryProfile],
    /// The theme's world map SVG, if any.
    pub world_map: Option<&'a str>,
    /// Whether the site has a search page (search on, and the theme has `search.html`).
    pub search: bool,
    /// Indexes over `briefs`.
    pub index: &'a Index,
}

/// Compiles the theme templates (site overrides already come after theme
/// files, so they replace them). Reports every template with a syntax error.
pub fn templates(
    files: &[(String, TextFile)],
    base_path: &str,
    static_files: &[crate::content::source::StaticFile],
) -> Result<Tera, Vec<Diagnostic>> {
    let mut by_name: HashMap<&str, &TextFile> = HashMap::new();
    for (name, file) in files {
        by_name.insert(name.as_str(), file);
    }
    let mut errors = Vec::new();
    let mut names: Vec<&str> = by_name.keys().copied().collect();
    names.sort_unstable();
    // Compile each file alone first so that every broken template is reported,
    // not only the first one Tera meets.
    for name in &names {
        let mut alone = Tera::new();
        if let Err(err) = alone.add_raw_template(name, &by_name[name].text)
            && matches!(err.kind(), tera::ErrorKind::SyntaxError(_))
        {
            errors.push(template_diagnostic(&err, &by_name));
        }
    }
    for required in REQUIRED_TEMPLATES {
        if !by_name.contains_key(required) {
            errors.push(
                Diagnostic::error(
                    format!("templates/{required}"),
                    0,
                    0,
                    format!("the theme has no `{required}` template"),
                )
                .with_hint(
                    "add it to the theme's templates/ folder or to the site's templates/ folder",
                ),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    let base = base_path.to_string();
    let assets: HashMap<String, String> = static_files
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.output_path.to_string_lossy().replace('\\', "/"),
            )
        })
        .collect();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            // The fingerprinted name when the file exists; a missing asset
            // keeps its name, so the broken link shows up in `check`.
            let output = assets.get(path).map_or(path, String::as_str);
            Ok(format!("{base}{output}"))
        },
    );
    let pairs: Vec<(&str, &str)> = names
        .iter()
        .map(|n| (*n, by_name[n].text.as_str()))
        .collect();
    tera.add_raw_templates(pairs)
        .map_err(|err| vec![template_diagnostic(&err, &by_name)])?;
    Ok(tera)
}

/// Turns a Tera error into `templates/x.html:line:col: message`.
fn template_diagnostic(err: &tera::Error, files: &HashMap<&str, &TextFile>) -> Diagnostic {
    let path_of = |name: &str| {
        files
            .get(name)
            .map(|f| f.path.clone())
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let message = report.message();
            let hint = if message.contains("not found in context")
                || message.contains("not defined")
                || message.contains("undefined")
            {
                "templates may only use the variables listed in the README's theme reference; test optional values with `{% if x %}`"
            } else {
                "check the Tera 2 syntax at this position"
            };
            Diagnostic::error(
                path_of(report.filename()),
                span.start_line.max(1),
                span.start_col + 1,
                report.message().to_string(),
            )
            .with_hint(hint)
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::file_error(
            path_of(current),
            format!("extends `{parent}`, which does not exist"),
        )
        .with_hint("fix the name in `{% extends %}` or add the template"),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            format!("templates/{name}"),
            0,
            0,
            format!("template `{name}` not found"),
        )
        .with_hint("the theme must provide every template named in the README's theme reference"),
        other => Diagnostic::error("templates", 0, 0, first_line(&other.to_string()))
            .with_hint("check the theme's templates"),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

// ---- views: what templates see -------------------------------------------

#[derive(Serialize)]
struct SiteView<'a> {
    search: bool,
    title: &'a str,
    tagline: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'a str,
    title: &'a str,
    url: String,
    permalink: String,
    description: &'a str,
    feed_url: Option<String>,
    feed_title: Option<String>,
}

#[derive(Serialize, Clone)]
struct LinkView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
}

#[derive(Serialize, Clone)]
struct CountryLinkView<'a> {
    name: &'a str,
    code: &'a str,
    slug: &'a str,
    url: String,
    flag: &'a str,
}

#[derive(Serialize, Clone)]
struct ActorLinkView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    kind: Option<&'a str>,
}

#[derive(Serialize)]
struct Counted<T> {
    #[serde(flatten)]
    link: T,
    count: usize,
}

#[derive(Serialize)]
struct SourceView<'a> {
    number: usize,
    anchor: String,
    id: Option<&'a str>,
    title: &'a str,
    publisher: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<&'a str>,
    date_display: Option<String>,
    kind: Option<&'a str>,
    backlinks: &'a [String],
}

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

#[derive(Serialize)]
struct CitationView {
    text: String,
    /// `YYYY/MM/DD`, as Google Scholar's `citation_publication_date` wants it.
    date: String,
    key: String,
    bibtex_url: String,
    ris_url: String,
}

#[derive(Serialize)]
struct CountryPage<'a> {
    #[serde(flatten)]
    link: CountryLinkView<'a>,
    count: usize,
    region: Option<&'a str>,
    profile: Option<&'a str>,
}

#[derive(Serialize)]
struct CountryListItem<'a> {
    #[serde(flatten)]
    link: CountryLinkView<'a>,
    count: usize,
    region: Option<&'a str>,
}

#[derive(Serialize)]
struct ActorPage<'a> {
    #[serde(flatten)]
    link: ActorLinkView<'a>,
    count: usize,
    aliases: &'a [String],
    country: Option<CountryLinkView<'a>>,
    bio: Option<&'a str>,
    co_countries: Value,
}

#[derive(Serialize)]
struct ActorGroup<'a> {
    kind: &'a str,
    actors: Vec<Counted<ActorLinkView<'a>>>,
}

#[derive(Serialize)]
struct PaginationView {
    page: usize,
    pages: usize,
    per_page: usize,
    total: usize,
    first_url: String,
    last_url: String,
    prev_url: Option<String>,
    next_url: Option<String>,
}

#[derive(Serialize)]
struct YearView {
    year: i16,
    count: usize,
    url: String,
}

/// The eight largest counts, ties by key, so the choice never depends on map order.
fn top_eight(mut counts: Vec<(&str, usize)>) -> Vec<(&str, usize)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    counts.truncate(8);
    counts
}

/// Characters a URL may hold as they are (the URL Standard's URL code points,
/// ASCII part); everything else is percent-encoded.
const DATA_URL_ENCODE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b'-')
    .remove(b'.')
    .remove(b'/')
    .remove(b':')
    .remove(b';')
    .remove(b'=')
    .remove(b'?')
    .remove(b'@')
    .remove(b'_')
    .remove(b'~');

/// A `data:` URL holding `text` (UTF-8) for a download link.
fn data_url(mime: &str, text: &str) -> String {
    let mut url = String::with_capacity(text.len() * 2 + 40);
    url.push_str("data:");
    url.push_str(mime);
    url.push_str(";charset=utf-8,");
    url.extend(percent_encoding::utf8_percent_encode(text, DATA_URL_ENCODE));
    url
}

/// Human date: `2 January 2018`.
pub fn display_date(d: &BriefDate) -> String {
    d.date.strftime("%-d %B %Y").to_string()
}

/// A list of briefs that is shown over numbered pages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Listing {
    /// Every brief, on the home page and `/page/N/`.
    Home,
    /// Briefs about a country, by code.
    Country(String),
    /// Briefs naming an actor, by key.
    Actor(String),
    /// Briefs by an author, by key.
    Author(String),
    /// Briefs of a year, under `/briefs/<year>/`.
    Year(i16),
}

/// One page of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    /// `/briefs/<slug>/`, by position in [`Site::briefs`].
    Brief(BriefId),
    /// Page `n` (from 1) of a listing.
    List(Listing, usize),
    /// `/briefs/`: the years with their counts.
    Archive,
    /// `/countries/`
    Countries,
    /// `/actors/`
    Actors,
    /// `/authors/`
    Authors,
    /// `/404.html`
    NotFound,
    /// The Atom feed of a listing (`feed.xml` next to its first page).
    Feed(Listing),
    /// `/search/`, from `search.html`.
    Search,
}

impl Page {
    /// Whether the page is an HTML page a reader can land on (for the sitemap).
    fn is_html(&self) -> bool {
        // The search page is `noindex`: its content is the reader's query.
        !matches!(self, Page::NotFound | Page::Feed(_) | Page::Search)
    }
}

/// Whether the site gets feeds and sitemaps: they need absolute URLs.
pub fn has_absolute_urls(site: &Site<'_>) -> bool {
    site.config.base_url.starts_with("http://") || site.config.base_url.starts_with("https://")
}

/// The feed of a listing, if it has one (year pages and sites without an
/// absolute `base_url` have none).
pub fn feed_page(site: &Site<'_>, listing: &Listing) -> Option<Page> {
    use crate::content::config::FeedScope;
    let wanted = match (site.config.feeds, listing) {
        (_, Listing::Year(_)) | (FeedScope::None, _) => false,
        (FeedScope::Site, l) => *l == Listing::Home,
        (FeedScope::All, _) => true,
    };
    (wanted && has_absolute_urls(site)).then(|| Page::Feed(listing.clone()))
}

/// Every page the site has.
pub fn all_pages(site: &Site<'_>) -> Vec<Page> {
    let mut pages = vec![
        Page::Archive,
        Page::Countries,
        Page::Actors,
        Page::Authors,
        Page::NotFound,
    ];
    if site.search {
        pages.push(Page::Search);
    }
    pages.extend((0..site.briefs.len()).map(Page::Brief));
    for listing in all_listings(site) {
        pages.extend(listing_pages(site, &listing));
        pages.extend(feed_page(site, &listing));
    }
    pages
}

/// `sitemap.xml` (split above 50,000 URLs) and `robots.txt`, made from the
/// list of pages; empty without an absolute `base_url`.
pub fn site_files(site: &Site<'_>, pages: &[Page]) -> Vec<OutputFile> {
    if !has_absolute_urls(site) {
        return Vec::new();
    }
    let base = &site.config.base_url;
    let entries: Vec<(String, Option<&str>)> = pages
        .iter()
        .filter(|p| p.is_html())
        .map(|p| {
            let path = output_path(site, p).to_string_lossy().replace('\\', "/");
            let url = format!("{base}{}", path.trim_end_matches("index.html"));
            let lastmod = match p {
                Page::Brief(id) => {
                    let b = &site.briefs[*id];
                    Some(b.updated.as_ref().unwrap_or(&b.date).machine.as_str())
                }
                _ => None,
            };
            (url, lastmod)
        })
        .collect();
    let urls: Vec<crate::publish::sitemap::SitemapUrl<'_>> = entries
        .iter()
        .map(|(loc, lastmod)| crate::publish::sitemap::SitemapUrl {
            loc,
            lastmod: *lastmod,
        })
        .collect();
    let mut files: Vec<OutputFile> =
        crate::publish::sitemap::sitemaps(base, &urls, crate::publish::sitemap::MAX_URLS_PER_FILE)
            .into_iter()
            .map(|(path, xml)| OutputFile {
                path,
                bytes: xml.into_bytes(),
            })
            .collect();
    files.push(OutputFile {
        path: PathBuf::from("robots.txt"),
        bytes: crate::publish::sitemap::robots_txt(base).into_bytes(),
    });
    files
}

/// Every listing the site has.
pub fn all_listings(site: &Site<'_>) -> Vec<Listing> {
    let mut listings = vec![Listing::Home];
    listings.extend(country_codes(site).into_iter().map(Listing::Country));
    listings.extend(site.index.actors.keys().cloned().map(Listing::Actor));
    listings.extend(site.index.authors.keys().cloned().map(Listing::Author));
    listings.extend(site.index.years.keys().copied().map(Listing::Year));
    listings
}

/// The briefs of a listing, newest first.
pub fn listing_briefs<'s>(site: &'s Site<'_>, listing: &Listing) -> &'s [BriefId] {
    listing_in(site.index, listing)
}

/// The briefs of a listing in an index, newest first.
pub fn listing_in<'i>(index: &'i Index, listing: &Listing) -> &'i [BriefId] {
    match listing {
        Listing::Home => &index.newest_first,
        Listing::Country(code) => index.countries.get(code).map_or(&[], Vec::as_slice),
        Listing::Actor(key) => index.actors.get(key).map_or(&[], |t| t.briefs.as_slice()),
        Listing::Author(key) => index.authors.get(key).map_or(&[], |t| t.briefs.as_slice()),
        Listing::Year(year) => index.years.get(year).map_or(&[], Vec::as_slice),
    }
}

/// Briefs per page of a listing.
pub fn page_size(site: &Site<'_>, listing: &Listing) -> usize {
    match listing {
        Listing::Home => site.config.home_briefs,
        _ => site.config.page_size,
    }
    .max(1)
}

/// Whether the site has pages for this listing (a country with a profile
/// has one even without briefs).
pub fn listing_exists(site: &Site<'_>, listing: &Listing) -> bool {
    let index = site.index;
    match listing {
        Listing::Home => true,
        Listing::Country(code) => {
            index.countries.contains_key(code) || site.profiles.iter().any(|p| &p.code == code)
        }
        Listing::Actor(key) => index.actors.contains_key(key),
        Listing::Author(key) => index.authors.contains_key(key),
        Listing::Year(year) => index.years.contains_key(year),
    }
}

/// The pages of a listing: always at least one, even when it is empty.
pub fn listing_pages(site: &Site<'_>, listing: &Listing) -> Vec<Page> {
    let count = listing_briefs(site, listing)
        .len()
        .div_ceil(page_size(site, listing))
        .max(1);
    (1..=count)
        .map(|n| Page::List(listing.clone(), n))
        .collect()
}

/// The folder of a listing's first page, relative to the base URL.
fn listing_dir(site: &Site<'_>, listing: &Listing) -> String {
    match listing {
        Listing::Home => String::new(),
        Listing::Country(code) => match site.gazetteer.get(code) {
            Some(place) => ["countries/", &place.slug, "/"].concat(),
            None => format!("countries/{}/", code.to_lowercase()),
        },
        Listing::Actor(key) => ["actors/", key, "/"].concat(),
        Listing::Author(key) => ["authors/", key, "/"].concat(),
        Listing::Year(year) => format!("briefs/{year}/"),
    }
}

/// The folder of page `n` of a listing, relative to the base URL.
fn listing_page_dir(site: &Site<'_>, listing: &Listing, n: usize) -> String {
    let dir = listing_dir(site, listing);
    if n <= 1 {
        dir
    } else {
        format!("{dir}page/{n}/")
    }
}

/// Countries with a page: those with briefs, plus those with a profile.
fn country_codes(site: &Site<'_>) -> Vec<String> {
    let mut codes: Vec<String> = site.index.countries.keys().cloned().collect();
    for p in site.profiles {
        if !site.index.countries.contains_key(&p.code) {
            codes.push(p.code.clone());
        }
    }
    codes.sort();
    codes
}

/// Where a page is written, relative to the output root.
pub fn output_path(site: &Site<'_>, page: &Page) -> PathBuf {
    let dir = match page {
        Page::NotFound => return PathBuf::from("404.html"),
        Page::Feed(listing) => {
            return PathBuf::from([listing_dir(site, listing).as_str(), "feed.xml"].concat());
        }
        Page::Brief(id) => ["briefs/", &site.briefs[*id].slug, "/"].concat(),
        Page::List(listing, n) => listing_page_dir(site, listing, *n),
        Page::Archive => "briefs/".into(),
        Page::Search => "search/".into(),
        Page::Countries => "countries/".into(),
        Page::Actors => "actors/".into(),
        Page::Authors => "authors/".into(),
    };
    PathBuf::from([dir.as_str(), "index.html"].concat())
}

/// Bytes reserved for a rendered page: most pages of the default theme fit.
const PAGE_CAPACITY: usize = 48 * 1024;

/// The theme partial that renders one card; its output is kept in `card.html`.
pub const CARD_PARTIAL: &str = "partials/brief_card.html";

/// The listing card of every brief, converted to a template value once and
/// shared by every page that lists the brief. When the theme has
/// [`CARD_PARTIAL`], the card is also rendered once to HTML (`card.html`), so
/// a brief listed on a dozen pages is rendered once, not a dozen times.
pub fn cards(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
) -> Result<Vec<Value>, Vec<Diagnostic>> {
    let views = Views::new(site);
    let results: Vec<Result<Value, Diagnostic>> = (0..site.briefs.len())
        .into_par_iter()
        .map(|id| views.card_value(id, tera, template_files))
        .collect();
    let mut cards = Vec::with_capacity(results.len());
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(v) => cards.push(v),
            Err(d) if !errors.contains(&d) => errors.push(d),
            Err(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(cards)
    } else {
        Err(errors)
    }
}

/// The card of one brief (after it changed).
pub fn card(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
    id: BriefId,
) -> Result<Value, Diagnostic> {
    let views = Views::new(site);
    // Only this brief's links: the preview server calls this on every save.
    let b = &site.briefs[id];
    let links = views.link_values_for(
        &mut b.author_keys.iter().map(String::as_str),
        &mut b.countries.iter().map(String::as_str),
        &mut b.actors.iter().map(|a| a.key.as_str()),
    );
    let _ = views.link_values.set(links);
    views.card_value(id, tera, template_files)
}

/// Renders the given pages in parallel; `cards` must come from [`cards`] for
/// this site. Template errors are reported once per template position, not
/// once per page.
pub fn render_pages(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
    cards: &[Value],
    pages: &[Page],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::with_capacity(pages.len()));
    let collected = render_each(site, tera, template_files, cards, pages, |file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
        Ok::<(), std::convert::Infallible>(())
    });
    match collected {
        Ok(()) => Ok(files.into_inner().unwrap_or_default()),
        Err(RenderError::Templates(errors)) => Err(errors),
        Err(RenderError::Sink(never)) => match never {},
    }
}

/// Why [`render_each`] stopped.
#[derive(Debug)]
pub enum RenderError<E> {
    /// Template errors, each reported once.
    Templates(Vec<Diagnostic>),
    /// The sink failed (e.g. a write error).
    Sink(E),
}

/// Renders the given pages in parallel and hands each one to `sink` as soon
/// as it is rendered, so rendering and writing overlap and no more than a
/// page per thread is held in memory. On a template error the caller must
/// discard what the sink received.
pub fn render_each<E: Send>(
    site: &Site<'_>,
    tera: &Tera,
    template_files: &[(String, TextFile)],
    cards: &[Value],
    pages: &[Page],
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), RenderError<E>> {
    let renderer = Renderer {
        views: Views::new(site),
        tera,
        cards,
        template_paths: template_files
            .iter()
            .map(|(n, f)| (n.as_str(), f))
            .collect(),
    };
    let templates_broken = std::sync::atomic::AtomicBool::new(false);
    let failures: Vec<RenderError<E>> = pages
        .par_iter()
        .filter_map(|page| match renderer.render_page(page) {
            Ok(_) if templates_broken.load(std::sync::atomic::Ordering::Relaxed) => None,
            Ok(file) => sink(file).err().map(RenderError::Sink),
            Err(d) => {
                templates_broken.store(true, std::sync::atomic::Ordering::Relaxed);
                Some(RenderError::Templates(vec![d]))
            }
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for failure in failures {
        match failure {
            RenderError::Sink(e) => return Err(RenderError::Sink(e)),
            RenderError::Templates(ds) => {
                for d in ds {
                    if !diagnostics.contains(&d) {
                        diagnostics.push(d);
                    }
                }
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(RenderError::Templates(diagnostics))
    }
}

/// Builds view structs from the site; shared by card conversion and pages.
struct Views<'a> {
    site: &'a Site<'a>,
    site_value: Value,
    /// Most covered countries and actors, overall and in the latest year.
    home_extras: std::sync::OnceLock<Vec<(&'static str, Value)>>,
    /// Link values shared by all cards.
    link_values: std::sync::OnceLock<LinkValues<'a>>,
    profiles: HashMap<&'a str, &'a CountryProfile>,
    /// Countries each actor appears with, computed on first use: every page
    /// of a paginated actor listing shows them.
    co_countries: HashMap<&'a str, std::sync::OnceLock<Value>>,
    /// Each disclaimer of site.yaml as HTML, rendered once, not once per brief.
    disclaimers: HashMap<&'a str, String>,
}

/// Template values of every term link, by key.
struct LinkValues<'a> {
    authors: HashMap<&'a str, Value>,
    countries: HashMap<&'a str, Value>,
    actors: HashMap<&'a str, Value>,
}

struct Renderer<'a> {
    views: Views<'a>,
    tera: &'a Tera,
    cards: &'a [Value],
    template_paths: HashMap<&'a str, &'a TextFile>,
}

/// Pages are rendered from the same views the cards use.
impl<'a> std::ops::Deref for Renderer<'a> {
    type Target = Views<'a>;
    fn deref(&self) -> &Views<'a> {
        &self.views
    }
}

impl<'a> Views<'a> {
    fn new(site: &'a Site<'a>) -> Self {
        let config = site.config;
        let site_value = Value::from_serializable(&SiteView {
            search: site.search,
            title: &config.title,
            tagline: &config.tagline,
            description: &config.description,
            language: &config.language,
            base_url: &config.base_url,
            base_path: &config.base_path,
            extra: &config.extra,
        });
        Views {
            site,
            site_value,
            home_extras: std::sync::OnceLock::new(),
            link_values: std::sync::OnceLock::new(),
            profiles: site.profiles.iter().map(|p| (p.code.as_str(), p)).collect(),
            co_countries: site
                .index
                .actors
                .keys()
                .map(|k| (k.as_str(), std::sync::OnceLock::new()))
                .collect(),
            disclaimers: config
                .disclaimers
                .iter()
                .map(|(key, text)| (key.as_str(), markdown::render_plain(text).html))
                .collect(),
        }
    }

    // Plain concatenation: these run several times per page.
    fn url(&self, path: &str) -> String {
        [self.site.config.base_path.as_str(), path].concat()
    }

    fn permalink(&self, path: &str) -> String {
        [self.site.config.base_url.as_str(), path].concat()
    }

    fn place(&self, code: &str) -> Option<&'a Place> {
        self.site.gazetteer.get(code)
    }

    fn country_link(&self, place: &'a Place) -> CountryLinkView<'a> {
        CountryLinkView {
            name: &place.name,
            code: &place.code,
            slug: &place.slug,
            url: self.url(&["countries/", &place.slug, "/"].concat()),
            flag: &place.flag,
        }
    }

    fn actor_link(&self, key: &'a str) -> Option<ActorLinkView<'a>> {
        let term = self.site.index.actors.get(key)?;
        Some(ActorLinkView {
            name: &term.name,
            slug: key,
            url: self.url(&["actors/", key, "/"].concat()),
            kind: self
                .site
                .actors
                .entries
                .get(key)
                .and_then(|e| e.kind.as_deref()),
        })
    }

    fn author_link(&self, key: &'a str) -> Option<LinkView<'a>> {
        let term = self.site.index.authors.get(key)?;
        Some(LinkView {
            name: &term.name,
            slug: key,
            url: self.url(&["authors/", key, "/"].concat()),
        })
    }

    /// The card as a template value, with its pre-rendered HTML. The link
    /// values of authors, countries and actors are shared between all cards
    /// (tera values are reference-counted), which keeps 50,000 cards small.
    fn card_value(
        &self,
        id: BriefId,
        tera: &Tera,
        template_files: &[(String, TextFile)],
    ) -> Result<Value, Diagnostic> {
        let b: &'a Brief = &self.site.briefs[id];
        let links = self.link_values.get_or_init(|| self.compute_link_values());
        let path = ["briefs/", &b.slug, "/"].concat();
        let shared = |table: &HashMap<&str, Value>, keys: &mut dyn Iterator<Item = &str>| {
            Value::from(
                keys.filter_map(|k| table.get(k).cloned())
                    .collect::<Vec<Value>>(),
            )
        };
        let mut card: indexmap::IndexMap<&'static str, Value> =
            indexmap::IndexMap::with_capacity(16);
        card.insert("slug", Value::from(b.slug.as_str()));
        card.insert("title", Value::from(b.title.as_str()));
        card.insert("url", Value::from(self.url(&path)));
        card.insert("permalink", Value::from(self.permalink(&path)));
        card.insert("date", Value::from(b.date.machine.as_str()));
        card.insert("date_display", Value::from(display_date(&b.date)));
        card.insert("year", Value::from(b.date.date.year()));
        card.insert(
            "updated",
            Value::from(b.updated.as_ref().map(|u| u.machine.as_str())),
        );
        card.insert(
            "updated_display",
            Value::from(b.updated.as_ref().map(display_date)),
        );
        card.insert("summary", Value::from(b.summary.as_str()));
        card.insert("summary_given", Value::from(b.summary_given));
        card.insert(
            "authors",
            shared(
                &links.authors,
                &mut b.author_keys.iter().map(String::as_str),
            ),
        );
        card.insert(
            "countries",
            shared(
                &links.countries,
                &mut b.countries.iter().map(String::as_str),
            ),
        );
        card.insert(
            "actors",
            shared(&links.actors, &mut b.actors.iter().map(|a| a.key.as_str())),
        );
        card.insert("draft", Value::from(b.draft));
        card.insert("html", Value::none());
        if !tera.contains_template(CARD_PARTIAL) {
            return Ok(Value::from(card));
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("card", Value::from(card.clone()));
        let html = tera.render(CARD_PARTIAL, &ctx).map_err(|err| {
            let paths: HashMap<&str, &TextFile> = template_files
                .iter()
                .map(|(n, f)| (n.as_str(), f))
                .collect();
            template_diagnostic(&err, &paths)
        })?;
        card.insert("html", Value::from(html));
        Ok(Value::from(card))
    }

    /// One template value per author, country and actor link.
    fn compute_link_values(&self) -> LinkValues<'a> {
        let index = self.site.index;
        self.link_values_for(
            &mut index.authors.keys().map(String::as_str),
            &mut index.countries.keys().map(String::as_str),
            &mut index.actors.keys().map(String::as_str),
        )
    }

    /// Template values of the given links (unknown keys are skipped).
    fn link_values_for(
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

impl<'a> Renderer<'a> {
    fn cards_of(&self, ids: &[BriefId]) -> Value {
        Value::from(
            ids.iter()
                .map(|&id| self.cards[id].clone())
                .collect::<Vec<_>>(),
        )
    }

    fn render_page(&self, page: &Page) -> Result<OutputFile, Diagnostic> {
        let html = match page {
            Page::Brief(id) => self.brief(*id),
            Page::List(listing, n) => self.listing(listing, *n),
            Page::Archive => self.archive(),
            Page::Countries => self.countries(),
            Page::Actors => self.actors(),
            Page::Authors => self.authors(),
            Page::NotFound => {
                let ctx = self.context("404", "Page not found", "404.html", "");
                self.finish("404.html", ctx)
            }
            Page::Feed(listing) => Ok(self.feed(listing).into_bytes()),
            Page::Search => {
                let ctx = self.context(
                    "search",
                    "Search",
                    "search/",
                    "Search every brief by word, country, actor, author and year.",
                );
                self.finish("search.html", ctx)
            }
        }?;
        Ok(OutputFile {
            path: output_path(self.site, page),
            bytes: html,
        })
    }

    /// The common context; `path` is the page's path under the base URL.
    fn context(&self, kind: &str, title: &str, path: &str, description: &str) -> Context {
        self.context_with_feed(kind, title, path, description, &Listing::Home)
    }

    /// The common context of a page whose feed is `listing`'s (the site feed
    /// when that listing has none).
    fn context_with_feed(
        &self,
        kind: &str,
        title: &str,
        path: &str,
        description: &str,
        listing: &Listing,
    ) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("pagination", Value::none());
        let site_title = &self.site.config.title;
        let feed = match listing {
            Listing::Home => None,
            _ => feed_page(self.site, listing).map(|_| (listing, format!("{site_title}: {title}"))),
        }
        .or_else(|| {
            feed_page(self.site, &Listing::Home).map(|_| (&Listing::Home, site_title.clone()))
        });
        ctx.insert(
            "page",
            &PageView {
                kind,
                title,
                url: self.url(path),
                permalink: self.permalink(path),
                description,
                feed_url: feed.as_ref().map(|(l, _)| {
                    self.url(&[listing_dir(self.site, l).as_str(), "feed.xml"].concat())
                }),
                feed_title: feed.map(|(_, t)| t),
            },
        );
        ctx
    }

    /// Renders a page template. The output goes straight into bytes: sized
    /// for a typical page up front (no regrowing) and not re-validated as
    /// UTF-8, since Tera writes only UTF-8 text.
    fn finish(&self, template: &str, ctx: Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(template, &ctx, &mut out)
            .map_err(|err| template_diagnostic(&err, &self.template_paths))?;
        Ok(out)
    }

    /// Page `n` of a listing: the page's own variables, this page's cards and
    /// `pagination`.
    fn listing(&self, listing: &Listing, n: usize) -> Result<Vec<u8>, Diagnostic> {
        let all = listing_briefs(self.site, listing);
        let size = page_size(self.site, listing);
        let pages = all.len().div_ceil(size).max(1);
        let start = ((n - 1) * size).min(all.len());
        let on_page = &all[start..(start + size).min(all.len())];
        let dir = listing_page_dir(self.site, listing, n);
        let mut ctx = match listing {
            Listing::Home => self.home(&dir, n),
            Listing::Country(code) => self.country(code, &dir),
            Listing::Actor(key) => self.actor(key, &dir),
            Listing::Author(key) => self.author(key, &dir),
            Listing::Year(year) => self.year(*year, all.len(), &dir),
        };
        let page_url = |k: usize| {
            (k >= 1 && k <= pages).then(|| self.url(&listing_page_dir(self.site, listing, k)))
        };
        ctx.insert(
            "pagination",
            &PaginationView {
                page: n,
                pages,
                per_page: size,
                total: all.len(),
                first_url: page_url(1).unwrap_or_default(),
                last_url: page_url(pages).unwrap_or_default(),
                prev_url: n.checked_sub(1).and_then(page_url),
                next_url: page_url(n + 1),
            },
        );
        ctx.insert_value("briefs", self.cards_of(on_page));
        let template = match listing {
            Listing::Home => "index.html",
            Listing::Country(_) => "country.html",
            Listing::Actor(_) => "actor.html",
            Listing::Author(_) => "author.html",
            Listing::Year(_) => "year.html",
        };
        self.finish(template, ctx)
    }

    fn home(&self, path: &str, n: usize) -> Context {
        let config = self.site.config;
        let mut ctx = self.context_with_feed(
            "home",
            &config.title,
            path,
            &config.description,
            &Listing::Home,
        );
        ctx.insert("total_briefs", &self.site.briefs.len());
        // Only the first page shows what is most covered, so a change of
        // counts re-renders one home page, not all of them.
        let extras = self.home_extras.get_or_init(|| self.compute_home_extras());
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
    fn compute_home_extras(&self) -> Vec<(&'static str, Value)> {
        let index = self.site.index;
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
        let mut year_countries: HashMap<&str, usize> = HashMap::new();
        let mut year_actors: HashMap<&str, usize> = HashMap::new();
        if let Some(list) = latest_year.and_then(|y| index.years.get(&y)) {
            for &id in list {
                let b = &self.site.briefs[id];
                for c in &b.countries {
                    *year_countries.entry(c).or_default() += 1;
                }
                for a in &b.actors {
                    *year_actors.entry(&a.key).or_default() += 1;
                }
            }
        }
        let countries = |counts: Vec<(&'a str, usize)>| {
            let top: Vec<Counted<CountryLinkView<'_>>> = top_eight(counts)
                .into_iter()
                .filter_map(|(code, count)| {
                    self.place(code).map(|p| Counted {
                        link: self.country_link(p),
                        count,
                    })
                })
                .collect();
            Value::from_serializable(&top)
        };
        let actors = |counts: Vec<(&'a str, usize)>| {
            let top: Vec<Counted<ActorLinkView<'_>>> = top_eight(counts)
                .into_iter()
                .filter_map(|(key, count)| self.actor_link(key).map(|link| Counted { link, count }))
                .collect();
            Value::from_serializable(&top)
        };
        vec![
            ("top_countries", countries(overall_countries)),
            ("top_actors", actors(overall_actors)),
            (
                "latest_year",
                latest_year.map_or(Value::none(), |y| Value::from_serializable(&y)),
            ),
            (
                "year_top_countries",
                countries(year_countries.into_iter().collect()),
            ),
            ("year_top_actors", actors(year_actors.into_iter().collect())),
        ]
    }

    fn year(&self, year: i16, count: usize, path: &str) -> Context {
        let title = format!("Briefs of {year}");
        let description = format!("The {count} briefs published in {year}.");
        let mut ctx = self.context("year", &title, path, &description);
        ctx.insert(
            "year",
            &YearView {
                year,
                count,
                url: self.url(&format!("briefs/{year}/")),
            },
        );
        ctx
    }

    /// A listing's Atom feed: its newest `feed_entries` briefs, in full.
    fn feed(&self, listing: &Listing) -> String {
        let site = self.site;
        let config = site.config;
        let ids = listing_in(site.index, listing);
        let ids = &ids[..ids.len().min(config.feed_entries)];
        let feed_url = self.permalink(&[listing_dir(site, listing).as_str(), "feed.xml"].concat());
        let html_url = self.permalink(&listing_dir(site, listing));
        let title = match listing {
            Listing::Home => config.title.clone(),
            Listing::Country(code) => format!(
                "{}: {}",
                config.title,
                self.place(code).map_or(code.as_str(), |p| p.name.as_str())
            ),
            Listing::Actor(key) => format!(
                "{}: {}",
                config.title,
                site.index
                    .actors
                    .get(key)
                    .map_or(key.as_str(), |t| t.name.as_str())
            ),
            Listing::Author(key) => format!(
                "{}: briefs by {}",
                config.title,
                site.index
                    .authors
                    .get(key)
                    .map_or(key.as_str(), |t| t.name.as_str())
            ),
            Listing::Year(year) => format!("{}: {year}", config.title),
        };
        let country_scheme = self.permalink("countries/");
        let actor_scheme = self.permalink("actors/");
        struct Owned {
            permalink: String,
            updated: String,
            categories: Vec<(String, String, bool)>,
        }
        let owned: Vec<Owned> = ids
            .iter()
            .map(|&id| {
                let b = &site.briefs[id];
                let mut categories: Vec<(String, String, bool)> = b
                    .countries
                    .iter()
                    .filter_map(|c| self.place(c))
                    .map(|p| (p.slug.clone(), p.name.clone(), true))
                    .collect();
                categories.extend(b.actors.iter().filter_map(|a| {
                    site.index
                        .actors
                        .get(&a.key)
                        .map(|t| (a.key.clone(), t.name.clone(), false))
                }));
                Owned {
                    permalink: self.permalink(&["briefs/", &b.slug, "/"].concat()),
                    updated: b.updated.as_ref().unwrap_or(&b.date).machine.clone(),
                    categories,
                }
            })
            .collect();
        let entries: Vec<crate::publish::feeds::FeedEntry<'_>> = ids
            .iter()
            .zip(&owned)
            .map(|(&id, o)| {
                let b = &site.briefs[id];
                crate::publish::feeds::FeedEntry {
                    id: &o.permalink,
                    title: &b.title,
                    url: &o.permalink,
                    published: &b.date.machine,
                    updated: &o.updated,
                    summary: &b.summary,
                    content_html: &b.body_html,
                    authors: b.authors.iter().map(String::as_str).collect(),
                    categories: o
                        .categories
                        .iter()
                        .map(
                            |(term, label, is_country)| crate::publish::feeds::Category {
                                term,
                                label,
                                scheme: Some(if *is_country {
                                    &country_scheme
                                } else {
                                    &actor_scheme
                                }),
                            },
                        )
                        .collect(),
                }
            })
            .collect();
        // The feed changes when its newest entry does: no build timestamps.
        let updated = owned
            .iter()
            .map(|o| crate::publish::feeds::rfc3339(&o.updated))
            .max()
            .unwrap_or_default();
        crate::publish::feeds::atom(&crate::publish::feeds::Feed {
            id: &feed_url,
            title: &title,
            subtitle: (!config.tagline.is_empty()).then_some(config.tagline.as_str()),
            html_url: &html_url,
            updated: &updated,
            generator: "briefly",
            entries,
        })
    }

    fn cite_input(&self, id: BriefId) -> (String, crate::publish::cite::CiteInput<'_>) {
        let b = &self.site.briefs[id];
        let url = self.permalink(&["briefs/", &b.slug, "/"].concat());
        let input = crate::publish::cite::CiteInput {
            title: &b.title,
            authors: b.authors.iter().map(String::as_str).collect(),
            date: b.date.date,
            publisher: &self.site.config.title,
            url: "",
            slug: &b.slug,
        };
        (url, input)
    }

    /// schema.org metadata of a brief, as JSON safe to embed in a `<script>`.
    fn jsonld(&self, id: BriefId) -> String {
        let b = &self.site.briefs[id];
        let config = self.site.config;
        let url = self.permalink(&["briefs/", &b.slug, "/"].concat());
        let about = b
            .countries
            .iter()
            .filter_map(|c| self.place(c))
            .map(|p| LdThing {
                kind: "Country",
                name: &p.name,
                identifier: Some(&p.code),
                url: self.permalink(&["countries/", &p.slug, "/"].concat()),
            })
            .collect();
        let mentions = b
            .actors
            .iter()
            .filter_map(|a| self.site.index.actors.get(&a.key).map(|t| (a, t)))
            .map(|(a, t)| {
                let kind = self
                    .site
                    .actors
                    .entries
                    .get(&a.key)
                    .and_then(|e| e.kind.as_deref());
                LdThing {
                    kind: match kind {
                        Some("person") => "Person",
                        _ => "Organization",
                    },
                    name: &t.name,
                    identifier: None,
                    url: self.permalink(&["actors/", &a.key, "/"].concat()),
                }
            })
            .collect();
        let author = b
            .authors
            .iter()
            .zip(&b.author_keys)
            .map(|(name, key)| LdThing {
                kind: "Person",
                name,
                identifier: None,
                url: self.permalink(&["authors/", key, "/"].concat()),
            })
            .collect();
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
            author,
            about,
            mentions,
            publisher: LdThing {
                kind: "Organization",
                name: &config.title,
                identifier: None,
                url: config.base_url.clone(),
            },
            is_accessible_for_free: true,
        };
        // Serialized straight from structs: no intermediate JSON tree.
        let json = serde_json::to_string(&article).unwrap_or_default();
        // `</script>` inside a string would end the script element early.
        json.replace('<', "\\u003c")
    }

    fn archive(&self) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = self.context("archive", "All briefs", "briefs/", "Every brief, by year.");
        let years: Vec<YearView> = self
            .site
            .index
            .years
            .iter()
            .rev()
            .map(|(&year, list)| YearView {
                year,
                count: list.len(),
                url: self.url(&format!("briefs/{year}/")),
            })
            .collect();
        ctx.insert("years", &years);
        ctx.insert("total_briefs", &self.site.briefs.len());
        self.finish("archive.html", ctx)
    }

    fn brief(&self, id: BriefId) -> Result<Vec<u8>, Diagnostic> {
        let b = &self.site.briefs[id];
        let path = ["briefs/", &b.slug, "/"].concat();
        let mut ctx = self.context("brief", &b.title, &path, &b.summary);
        let sources: Vec<SourceView<'_>> = b
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| SourceView {
                number: i + 1,
                anchor: format!("source-{}", i + 1),
                id: s.id.as_deref(),
                title: &s.title,
                publisher: s.publisher.as_deref(),
                url: s.url.as_deref(),
                date: s.date.as_ref().map(|d| d.machine.as_str()),
                date_display: s.date.as_ref().map(display_date),
                kind: s.kind.as_deref(),
                backlinks: b.source_backlinks.get(i).map_or(&[], Vec::as_slice),
            })
            .collect();
        let disclaimer = b
            .disclaimer
            .as_ref()
            .and_then(|k| self.disclaimers.get(k.as_str()));
        let (url, input) = self.cite_input(id);
        let input = crate::publish::cite::CiteInput { url: &url, ..input };
        let citation = CitationView {
            date: b.date.date.strftime("%Y/%m/%d").to_string(),
            text: crate::publish::cite::formatted(&input),
            key: crate::publish::cite::key(&input),
            // Downloads embedded in the page: a brief stays one file, which
            // keeps builds and deploys of large archives fast.
            bibtex_url: data_url(
                "application/x-bibtex",
                &crate::publish::cite::bibtex(&input),
            ),
            ris_url: data_url(
                "application/x-research-info-systems",
                &crate::publish::cite::ris(&input),
            ),
        };
        // The brief's own card and its related cards are the shared card
        // values: cloning them shares their strings instead of rebuilding them.
        let mut page = self.cards[id].clone().into_map().unwrap_or_default();
        page.insert("html".into(), Value::none());
        page.insert("body".into(), Value::from(b.body_html.as_str()));
        page.insert("sources".into(), Value::from_serializable(&sources));
        page.insert(
            "disclaimer".into(),
            Value::from(disclaimer.map(String::as_str)),
        );
        page.insert("word_count".into(), Value::from(b.word_count));
        page.insert(
            "reading_minutes".into(),
            Value::from(b.word_count.div_ceil(230).max(1)),
        );
        page.insert(
            "related".into(),
            self.cards_of(&self.site.index.related[id]),
        );
        page.insert("extra".into(), Value::from_serializable(&b.extra));
        page.insert("citation".into(), Value::from_serializable(&citation));
        page.insert("jsonld".into(), Value::from(self.jsonld(id)));
        ctx.insert_value("brief", Value::from(page));
        self.finish("brief.html", ctx)
    }

    fn countries(&self) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = self.context(
            "countries",
            "Countries",
            "countries/",
            "Every country and place covered, with the number of briefs about it.",
        );
        let mut items: Vec<CountryListItem<'_>> = country_codes(self.site)
            .iter()
            .filter_map(|code| self.place(code))
            .map(|p| CountryListItem {
                link: self.country_link(p),
                count: self.site.index.countries.get(&p.code).map_or(0, Vec::len),
                region: p.region.as_deref(),
            })
            .collect();
        items.sort_by(|a, b| a.link.name.cmp(b.link.name));
        let world_map = self.site.world_map.map(|svg| {
            let shaded: Vec<crate::publish::worldmap::MapCountry<'_>> = items
                .iter()
                .map(|c| crate::publish::worldmap::MapCountry {
                    code: c.link.code,
                    name: c.link.name,
                    url: &c.link.url,
                    count: c.count,
                })
                .collect();
            crate::publish::worldmap::annotate(svg, &shaded)
        });
        ctx.insert("world_map", &world_map);
        ctx.insert("countries", &items);
        ctx.insert("total_briefs", &self.site.briefs.len());
        self.finish("countries.html", ctx)
    }

    fn country(&self, code: &str, path: &str) -> Context {
        let Some(place) = self.place(code) else {
            unreachable!("country pages are only made for known codes");
        };
        let description = format!("Briefs about {}.", place.name);
        let mut ctx = self.context_with_feed(
            "country",
            &place.name,
            path,
            &description,
            &Listing::Country(code.to_string()),
        );
        let list: &[BriefId] = self
            .site
            .index
            .countries
            .get(code)
            .map_or(&[], Vec::as_slice);
        ctx.insert(
            "country",
            &CountryPage {
                link: self.country_link(place),
                count: list.len(),
                region: place.region.as_deref(),
                profile: self.profiles.get(code).map(|p| p.html.as_str()),
            },
        );
        ctx
    }

    fn actors(&self) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = self.context(
            "actors",
            "Actors",
            "actors/",
            "People, institutions and groups covered, with the number of briefs naming each.",
        );
        let mut all: Vec<Counted<ActorLinkView<'_>>> = self
            .site
            .index
            .actors
            .iter()
            .filter_map(|(k, t)| {
                self.actor_link(k).map(|link| Counted {
                    link,
                    count: t.briefs.len(),
                })
            })
            .collect();
        all.sort_by(|a, b| {
            a.link
                .name
                .to_lowercase()
                .cmp(&b.link.name.to_lowercase())
                .then_with(|| a.link.slug.cmp(b.link.slug))
        });
        let mut groups: Vec<ActorGroup<'_>> = Vec::new();
        for actor in &all {
            let kind = actor.link.kind.unwrap_or("other");
            let item = Counted {
                link: actor.link.clone(),
                count: actor.count,
            };
            match groups.iter_mut().find(|g| g.kind == kind) {
                Some(g) => g.actors.push(item),
                None => groups.push(ActorGroup {
                    kind,
                    actors: vec![item],
                }),
            }
        }
        groups.sort_by(|a, b| {
            (a.kind == "other")
                .cmp(&(b.kind == "other"))
                .then_with(|| a.kind.cmp(b.kind))
        });
        ctx.insert("actors", &all);
        ctx.insert("actor_groups", &groups);
        self.finish("actors.html", ctx)
    }

    fn actor(&self, key: &str, path: &str) -> Context {
        let Some((key, term)) = self.site.index.actors.get_key_value(key) else {
            unreachable!("actor pages are only made for indexed actors");
        };
        let Some(link) = self.actor_link(key) else {
            unreachable!("an indexed actor has a link");
        };
        let entry = self.site.actors.entries.get(key);
        let description = format!("Briefs naming {}.", term.name);
        let mut ctx = self.context_with_feed(
            "actor",
            &term.name,
            path,
            &description,
            &Listing::Actor(key.clone()),
        );
        let co_countries = self
            .co_countries
            .get(key.as_str())
            .map(|cell| cell.get_or_init(|| self.co_countries_of(term)).clone())
            .unwrap_or_else(|| self.co_countries_of(term));
        ctx.insert(
            "actor",
            &ActorPage {
                link,
                count: term.briefs.len(),
                aliases: entry.map_or(&[], |e| e.aliases.as_slice()),
                country: entry
                    .and_then(|e| e.country.as_deref())
                    .and_then(|c| self.place(c))
                    .map(|p| self.country_link(p)),
                bio: entry.and_then(|e| e.bio_html.as_deref()),
                co_countries,
            },
        );
        ctx
    }

    /// The twelve countries most often in the briefs naming an actor, with counts.
    fn co_countries_of(&self, term: &crate::index::Term) -> Value {
        let mut co: rustc_hash::FxHashMap<&str, usize> = Default::default();
        for &id in &term.briefs {
            for c in &self.site.briefs[id].countries {
                *co.entry(c.as_str()).or_default() += 1;
            }
        }
        let mut co: Vec<(&str, usize)> = co.into_iter().collect();
        co.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        // Only these few links are built: computing every term's link value
        // here would cost each preview rebuild that shows an actor page.
        let counted: Vec<Counted<CountryLinkView<'_>>> = co
            .into_iter()
            .take(12)
            .filter_map(|(c, n)| {
                self.place(c).map(|p| Counted {
                    link: self.country_link(p),
                    count: n,
                })
            })
            .collect();
        Value::from_serializable(&counted)
    }

    fn authors(&self) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = self.context(
            "authors",
            "Authors",
            "authors/",
            "Everyone who wrote for the site, with their briefs.",
        );
        let mut all: Vec<Counted<LinkView<'_>>> = self
            .site
            .index
            .authors
            .iter()
            .filter_map(|(k, t)| {
                self.author_link(k).map(|link| Counted {
                    link,
                    count: t.briefs.len(),
                })
            })
            .collect();
        all.sort_by(|a, b| {
            a.link
                .name
                .to_lowercase()
                .cmp(&b.link.name.to_lowercase())
                .then_with(|| a.link.slug.cmp(b.link.slug))
        });
        ctx.insert("authors", &all);
        self.finish("authors.html", ctx)
    }

    fn author(&self, key: &str, path: &str) -> Context {
        let Some((key, term)) = self.site.index.authors.get_key_value(key) else {
            unreachable!("author pages are only made for indexed authors");
        };
        let Some(link) = self.author_link(key) else {
            unreachable!("an indexed author has a link");
        };
        let description = format!("Briefs by {}.", term.name);
        let mut ctx = self.context_with_feed(
            "author",
            &term.name,
            path,
            &description,
            &Listing::Author(key.clone()),
        );
        ctx.insert(
            "author",
            &Counted {
                link,
                count: term.briefs.len(),
            },
        );
        ctx
    }
}
