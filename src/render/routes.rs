//! Routes: which pages the site has, where each one is written, and how a
//! listing splits into numbered pages.
//!
//! Owns the page kinds ([`Page`], [`Listing`]), output paths, listing
//! folders and the pagination arithmetic, which lives here once
//! ([`Pagination`]) for every caller. It must not build template views or
//! call Tera: it only names pages and their places.

use std::ops::Range;
use std::path::PathBuf;

use crate::content::calendar::is_preview_only;
use crate::index::{BriefId, Index};
use crate::publish::sitemap;

use super::{OutputFile, Site};

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
    /// Briefs filed under a topic, by key.
    Topic(String),
    /// Briefs of a year, under `/briefs/<year>/`.
    Year(i16),
    /// Briefs citing a source publisher, by key (`/sources/<key>/`).
    Source(String),
    /// Briefs naming both countries of a pair (codes, the smaller first),
    /// under the first country by slug: `/countries/france/iran/`.
    Pair(String, String),
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
    /// `/topics/` (only when some brief has topics)
    Topics,
    /// `/sources/`: every source publisher with its count.
    Sources,
    /// `/404.html`, and `/<lang>/404.html` for the other languages
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

/// How a listing of `total` briefs splits into pages: `first` briefs on the
/// first page (full cards), `rest` on each later one (the compact archive).
/// Pages are numbered from 1, and a listing always has at least one page,
/// even when it is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pagination {
    /// Briefs in the whole listing.
    pub total: usize,
    /// Briefs on the first page (at least 1).
    pub first: usize,
    /// Briefs on each later page (at least 1).
    pub rest: usize,
}

impl Pagination {
    /// The pagination of `total` briefs, `first` on page 1 and `rest` on
    /// each later page (0 counts as 1).
    pub(crate) fn new(total: usize, first: usize, rest: usize) -> Self {
        Pagination {
            total,
            first: first.max(1),
            rest: rest.max(1),
        }
    }

    /// The pagination of a listing of the site.
    pub(crate) fn of(site: &Site<'_>, listing: &Listing) -> Self {
        Pagination::new(
            listing_briefs(site, listing).len(),
            page_size(site, listing),
            site.config.archive_per_page,
        )
    }

    /// Number of pages: at least one.
    pub(crate) fn page_count(&self) -> usize {
        1 + self.total.saturating_sub(self.first).div_ceil(self.rest)
    }

    /// Briefs page `n` holds when full.
    pub(crate) fn per_page(&self, n: usize) -> usize {
        if n <= 1 { self.first } else { self.rest }
    }

    /// Whether page `n` is a later page, whose briefs are compact rows.
    pub(crate) fn is_compact(&self, n: usize) -> bool {
        n > 1
    }

    /// Positions of page `n`'s briefs in the listing (empty past the end).
    pub(crate) fn range(&self, n: usize) -> Range<usize> {
        let start = match n {
            0 | 1 => 0,
            _ => (n - 2).saturating_mul(self.rest).saturating_add(self.first),
        }
        .min(self.total);
        start..start.saturating_add(self.per_page(n)).min(self.total)
    }

    /// The items of page `n`, given the listing's items.
    pub(crate) fn page_slice<'i, T>(&self, items: &'i [T], n: usize) -> &'i [T] {
        let range = self.range(n);
        items.get(range).unwrap_or(&[])
    }
}

/// Whether the site gets feeds and sitemaps: they need absolute URLs.
pub(crate) fn has_absolute_urls(site: &Site<'_>) -> bool {
    site.config.base_url.starts_with("http://") || site.config.base_url.starts_with("https://")
}

/// The feed of a listing, if it has one (year pages and sites without an
/// absolute `base_url` have none).
pub(crate) fn feed_page(site: &Site<'_>, listing: &Listing) -> Option<Page> {
    use crate::content::config::FeedScope;
    let wanted = match (site.config.feeds, listing) {
        // Pair pages are a cross-section of two country feeds: no feed of their own.
        (_, Listing::Year(_) | Listing::Pair(..)) | (FeedScope::None, _) => false,
        (FeedScope::Site, l) => *l == Listing::Home,
        (FeedScope::All, _) => true,
    };
    (wanted && has_absolute_urls(site)).then(|| Page::Feed(listing.clone()))
}

/// Every page the site has.
pub(crate) fn all_pages(site: &Site<'_>) -> Vec<Page> {
    let mut pages = vec![
        Page::Archive,
        Page::Countries,
        Page::Actors,
        Page::Authors,
        Page::Sources,
    ];
    // A 404 page per language: the default language's at the root (where
    // hosts look for it), the others' under their folders, so the root
    // page's language switcher and hreflang links lead somewhere.
    pages.push(Page::NotFound);
    if site.search {
        pages.push(Page::Search);
    }
    if !site.index.topics.is_empty() {
        pages.push(Page::Topics);
    }
    if site.config.is_multilingual() {
        let lang = |id: &BriefId| site.config.language_index(&site.briefs[*id].lang);
        pages.extend(
            (0..site.briefs.len())
                .filter(|id| lang(id) == Some(site.lang))
                .map(Page::Brief),
        );
    } else {
        pages.extend((0..site.briefs.len()).map(Page::Brief));
    }
    for listing in all_listings(site) {
        pages.extend(listing_pages(site, &listing));
        pages.extend(feed_page(site, &listing));
    }
    pages
}

/// `sitemap.xml` (split above 50,000 URLs) and `robots.txt`, made from the
/// list of pages (only the redirects without an absolute `base_url`),
/// and the redirect pages of briefs' old URLs. It lives with the
/// routes because it is a list of page URLs; the XML is `publish::sitemap`'s.
pub(crate) fn site_files(sites: &[Site<'_>], pages_of: &[Vec<Page>]) -> Vec<OutputFile> {
    let (Some(site), Some(pages)) = (sites.first(), pages_of.first()) else {
        return Vec::new();
    };
    // Redirects of old URLs (`aliases:`) work without an absolute base_url too.
    let mut redirects = super::redirects::redirect_files(site, pages);
    redirects.extend(super::redirects::language_root(site));
    if !has_absolute_urls(site) {
        return redirects;
    }
    let base = &site.config.base_url;
    let mut entries: Vec<SitemapEntry<'_>> = Vec::new();
    for (site, pages) in sites.iter().zip(pages_of) {
        entries.extend(
            pages
                .iter()
                .filter(|p| p.is_html())
                // Drafts and scheduled briefs of a preview are `noindex`.
                .filter(|p| !matches!(p, Page::Brief(id) if is_preview_only(&site.briefs[*id])))
                .map(|p| {
                    let path = output_path(site, p).to_string_lossy().replace('\\', "/");
                    let url = format!(
                        "{base}{}",
                        crate::content::slugs::url_path(path.trim_end_matches("index.html"))
                    );
                    let lastmod = match p {
                        Page::Brief(id) => {
                            let b = &site.briefs[*id];
                            Some(b.updated.as_ref().unwrap_or(&b.date).machine.as_str())
                        }
                        _ => None,
                    };
                    (url, lastmod, alternates(site, p))
                }),
        );
    }
    // The PDF editions too: search engines index the PDFs a sitemap lists.
    if site.pdf_sizes.is_some() {
        // Written at the root in every language (`publish::pdf`).
        for b in site.briefs.iter().filter(|b| !is_preview_only(b)) {
            let path = ["briefs/", &b.slug, "/", &b.slug, ".pdf"].concat();
            let url = format!("{base}{}", crate::content::slugs::url_path(&path));
            entries.push((
                url,
                Some(b.updated.as_ref().unwrap_or(&b.date).machine.as_str()),
                Vec::new(),
            ));
        }
    }
    let urls: Vec<sitemap::SitemapUrl<'_>> = entries
        .iter()
        .map(|(loc, lastmod, alternates)| sitemap::SitemapUrl {
            loc,
            lastmod: *lastmod,
            alternates,
        })
        .collect();
    let mut files: Vec<OutputFile> = sitemap::sitemaps(base, &urls, sitemap::MAX_URLS_PER_FILE)
        .into_iter()
        .map(|(path, xml)| OutputFile {
            path,
            bytes: xml.into_bytes(),
        })
        .collect();
    files.push(OutputFile {
        path: PathBuf::from("robots.txt"),
        bytes: sitemap::robots_txt(base).into_bytes(),
    });
    files.extend(redirects);
    files
}

/// A sitemap URL, its `lastmod` and its language alternates.
type SitemapEntry<'s> = (String, Option<&'s str>, Vec<(&'s str, String)>);

/// The sitemap alternates of a page: its versions (`hreflang`, absolute
/// URL), then `x-default`; none without another language version.
fn alternates<'s>(site: &Site<'s>, page: &Page) -> Vec<(&'s str, String)> {
    use super::pages::languages::{Sibling, alternates as alternates_of, versions};
    if !site.config.is_multilingual() {
        return Vec::new();
    }
    let fixed;
    let sibling = match page {
        Page::Brief(id) => Sibling::Brief(*id),
        Page::List(listing, 1) if *listing != Listing::Home => Sibling::Listing(listing),
        Page::List(_, n) if *n > 1 => return Vec::new(),
        _ => {
            fixed = output_path(site, page).to_string_lossy().replace('\\', "/");
            let path = fixed.trim_end_matches("index.html");
            Sibling::Fixed(path.strip_prefix(site.lang_path()).unwrap_or(path))
        }
    };
    alternates_of(&versions(site, &sibling))
        .into_iter()
        .map(|a| (a.lang, a.href))
        .collect()
}

/// Every listing the site has.
pub(crate) fn all_listings(site: &Site<'_>) -> Vec<Listing> {
    let mut listings = vec![Listing::Home];
    listings.extend(country_codes(site).into_iter().map(Listing::Country));
    listings.extend(site.index.actors.keys().cloned().map(Listing::Actor));
    listings.extend(site.index.authors.keys().cloned().map(Listing::Author));
    listings.extend(site.index.topics.keys().cloned().map(Listing::Topic));
    listings.extend(site.index.years.keys().copied().map(Listing::Year));
    listings.extend(site.index.sources.keys().cloned().map(Listing::Source));
    listings.extend(
        pair_keys(site)
            .into_iter()
            .map(|(a, b)| Listing::Pair(a.clone(), b.clone())),
    );
    listings
}

/// The country pairs with a page: those sharing at least `pair_min_briefs`
/// briefs, both of them known places.
pub(crate) fn pair_keys<'s>(site: &'s Site<'_>) -> Vec<(&'s String, &'s String)> {
    site.index
        .pairs
        .iter()
        .filter(|(_, list)| list.len() >= site.config.pair_min_briefs)
        .map(|((a, b), _)| (a, b))
        .filter(|(a, b)| site.gazetteer.get(a).is_some() && site.gazetteer.get(b).is_some())
        .collect()
}

/// The briefs of a listing, newest first.
pub(crate) fn listing_briefs<'s>(site: &'s Site<'_>, listing: &Listing) -> &'s [BriefId] {
    listing_in(site.index, listing)
}

/// The briefs of a listing in an index, newest first.
pub(crate) fn listing_in<'i>(index: &'i Index, listing: &Listing) -> &'i [BriefId] {
    match listing {
        Listing::Home => &index.newest_first,
        Listing::Country(code) => index.countries.get(code).map_or(&[], Vec::as_slice),
        Listing::Actor(key) => index.actors.get(key).map_or(&[], |t| t.briefs.as_slice()),
        Listing::Author(key) => index.authors.get(key).map_or(&[], |t| t.briefs.as_slice()),
        Listing::Topic(key) => index.topics.get(key).map_or(&[], |t| t.briefs.as_slice()),
        Listing::Year(year) => index.years.get(year).map_or(&[], Vec::as_slice),
        Listing::Source(key) => index.sources.get(key).map_or(&[], |t| t.briefs.as_slice()),
        Listing::Pair(a, b) => index
            .pairs
            .get(&(a.clone(), b.clone()))
            .map_or(&[], Vec::as_slice),
    }
}

/// Briefs on the first page of a listing (later pages hold
/// `archive_per_page`).
pub(crate) fn page_size(site: &Site<'_>, listing: &Listing) -> usize {
    match listing {
        Listing::Home => site.config.home_briefs,
        _ => site.config.page_size,
    }
    .max(1)
}

/// Whether the site has pages for this listing (a country with a profile
/// has one even without briefs).
pub(crate) fn listing_exists(site: &Site<'_>, listing: &Listing) -> bool {
    let index = site.index;
    match listing {
        Listing::Home => true,
        Listing::Country(code) => {
            index.countries.contains_key(code) || site.profiles.iter().any(|p| &p.code == code)
        }
        Listing::Actor(key) => index.actors.contains_key(key),
        Listing::Author(key) => index.authors.contains_key(key),
        Listing::Topic(key) => index.topics.contains_key(key),
        Listing::Year(year) => index.years.contains_key(year),
        Listing::Source(key) => index.sources.contains_key(key),
        Listing::Pair(a, b) => {
            listing_in(index, listing).len() >= site.config.pair_min_briefs
                && site.gazetteer.get(a).is_some()
                && site.gazetteer.get(b).is_some()
        }
    }
}

/// The pages of a listing: always at least one, even when it is empty.
pub(crate) fn listing_pages(site: &Site<'_>, listing: &Listing) -> Vec<Page> {
    (1..=Pagination::of(site, listing).page_count())
        .map(|n| Page::List(listing.clone(), n))
        .collect()
}

/// The folder of a listing's first page, relative to the base URL.
pub(crate) fn listing_dir(site: &Site<'_>, listing: &Listing) -> String {
    let dir = listing_dir_in_language(site, listing);
    match site.lang_path() {
        "" => dir,
        lang => [lang, &dir].concat(),
    }
}

/// The folder of a listing's first page, relative to its language's folder.
fn listing_dir_in_language(site: &Site<'_>, listing: &Listing) -> String {
    match listing {
        Listing::Home => String::new(),
        Listing::Country(code) => match site.gazetteer.get(code) {
            Some(place) => ["countries/", &place.slug, "/"].concat(),
            None => format!("countries/{}/", code.to_lowercase()),
        },
        Listing::Actor(key) => ["actors/", key, "/"].concat(),
        Listing::Author(key) => ["authors/", key, "/"].concat(),
        Listing::Topic(key) => ["topics/", key, "/"].concat(),
        Listing::Year(year) => format!("briefs/{year}/"),
        Listing::Source(key) => ["sources/", key, "/"].concat(),
        Listing::Pair(a, b) => pair_dir(site, a, b),
    }
}

/// The folder of a country pair's page: under the country whose slug comes
/// first, the other's slug below it (`countries/france/iran/`). No country
/// slug is `page`, so it never meets a country's numbered pages.
pub(crate) fn pair_dir(site: &Site<'_>, a: &str, b: &str) -> String {
    let slug = |code: &str| {
        site.gazetteer
            .get(code)
            .map_or_else(|| code.to_lowercase(), |p| p.slug.clone())
    };
    let (sa, sb) = (slug(a), slug(b));
    let (first, second) = if sa <= sb { (sa, sb) } else { (sb, sa) };
    ["countries/", &first, "/", &second, "/"].concat()
}

/// The folder of page `n` of a listing, relative to the base URL.
pub(crate) fn listing_page_dir(site: &Site<'_>, listing: &Listing, n: usize) -> String {
    let dir = listing_dir(site, listing);
    if n <= 1 {
        dir
    } else {
        format!("{dir}page/{n}/")
    }
}

/// The path of a listing's Atom feed, relative to the base URL.
pub(crate) fn feed_path(site: &Site<'_>, listing: &Listing) -> String {
    [listing_dir(site, listing).as_str(), "feed.xml"].concat()
}

/// The folder of a brief's page, relative to the base URL.
pub(crate) fn brief_dir(slug: &str) -> String {
    ["briefs/", slug, "/"].concat()
}

/// Countries with a page: those with briefs, plus those with a profile.
pub(crate) fn country_codes(site: &Site<'_>) -> Vec<String> {
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
pub(crate) fn output_path(site: &Site<'_>, page: &Page) -> PathBuf {
    let lang = site.lang_path();
    let dir = match page {
        Page::NotFound if site.lang == 0 => return PathBuf::from("404.html"),
        Page::NotFound => return PathBuf::from([lang, "404.html"].concat()),
        Page::Feed(listing) => return PathBuf::from(feed_path(site, listing)),
        Page::Brief(id) => return PathBuf::from(brief_path(site, *id, "index.html")),
        Page::List(listing, n) => {
            return PathBuf::from([&listing_page_dir(site, listing, *n), "index.html"].concat());
        }
        Page::Archive => "briefs/",
        Page::Search => "search/",
        Page::Countries => "countries/",
        Page::Actors => "actors/",
        Page::Authors => "authors/",
        Page::Topics => "topics/",
        Page::Sources => "sources/",
    };
    PathBuf::from([lang, dir, "index.html"].concat())
}

/// A file in a brief's folder, relative to the base URL: under its own
/// language's folder, whichever language's site asks.
pub(crate) fn brief_path(site: &Site<'_>, id: BriefId, file: &str) -> String {
    let b = &site.briefs[id];
    [
        site.config.language_path(&b.lang),
        "briefs/",
        &b.slug,
        "/",
        file,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::Pagination;

    #[test]
    fn an_empty_listing_has_one_empty_page() {
        let p = Pagination::new(0, 10, 100);
        assert_eq!(p.page_count(), 1);
        assert_eq!(p.range(1), 0..0);
        assert!(p.page_slice::<u8>(&[], 1).is_empty());
    }

    #[test]
    fn the_last_page_holds_the_remainder() {
        let items: Vec<usize> = (0..25).collect();
        let p = Pagination::new(items.len(), 10, 10);
        assert_eq!(p.page_count(), 3);
        assert_eq!(p.page_slice(&items, 1), &items[0..10]);
        assert_eq!(p.page_slice(&items, 3), &items[20..25]);
        assert!(p.page_slice(&items, 4).is_empty());
    }

    #[test]
    fn later_pages_hold_the_archive_size() {
        let items: Vec<usize> = (0..7).collect();
        let p = Pagination::new(items.len(), 2, 3);
        assert_eq!(p.page_count(), 3);
        assert_eq!(p.page_slice(&items, 1), &items[0..2]);
        assert_eq!(p.page_slice(&items, 2), &items[2..5]);
        assert_eq!(p.page_slice(&items, 3), &items[5..7]);
        assert!(p.page_slice(&items, 4).is_empty());
        // A listing that fits its first page has one page.
        assert_eq!(Pagination::new(2, 2, 3).page_count(), 1);
        assert_eq!(Pagination::new(3, 2, 3).page_count(), 2);
    }

    #[test]
    fn a_page_size_of_zero_counts_as_one() {
        assert_eq!(Pagination::new(3, 0, 0).page_count(), 3);
    }
}
