//! The language versions of a page: what `page.translations` lists (the
//! language switcher) and what `<link rel="alternate" hreflang>` and the
//! sitemap's alternates name.
//!
//! A brief's versions are its translation group; any other page's are the
//! same page in each language that has it (a term page exists in a
//! language when that language has briefs with the term). A language
//! without a version is linked to its home page, marked `exists: false`.

use serde::Serialize;

use crate::index::BriefId;
use crate::render::Site;
use crate::render::routes::{Listing, brief_dir, listing_dir, listing_exists};

/// Which page a version is sought for.
pub(crate) enum Sibling<'p> {
    /// A brief: its translations.
    Brief(BriefId),
    /// A listing's first page.
    Listing(&'p Listing),
    /// A page every language has (home, search, the term indexes): its
    /// path under the language's folder.
    Fixed(&'p str),
}

/// One language version of a page (`page.translations`).
#[derive(Serialize, Debug)]
pub(crate) struct Version<'a> {
    /// Its language tag (`hreflang`, `lang`).
    pub(crate) lang: &'a str,
    /// The language's name in itself.
    pub(crate) name: &'a str,
    /// The version's URL (the language's home when `exists` is false).
    pub(crate) url: String,
    /// Its absolute URL (for `hreflang` links).
    pub(crate) permalink: String,
    /// The page being rendered.
    pub(crate) current: bool,
    /// The page has a version in this language.
    pub(crate) exists: bool,
}

/// The versions of a page in every site language, in the order of
/// `languages:`; empty on a single-language site.
pub(crate) fn versions<'a>(site: &Site<'a>, page: &Sibling<'_>) -> Vec<Version<'a>> {
    if !site.config.is_multilingual() {
        return Vec::new();
    }
    let sites = site.languages(site.indexes);
    sites
        .iter()
        .enumerate()
        .map(|(lang, other)| {
            let language = &site.config.languages[lang];
            let path = version_path(site, other, page);
            let exists = path.is_some();
            let path = path.unwrap_or_else(|| language.path.clone());
            Version {
                lang: &language.code,
                name: &language.name,
                url: [site.config.base_path.as_str(), &path].concat(),
                permalink: [site.config.base_url.as_str(), &path].concat(),
                current: lang == site.lang,
                exists,
            }
        })
        .collect()
}

/// The path under the base URL of `page`'s version in `other`'s language.
fn version_path(site: &Site<'_>, other: &Site<'_>, page: &Sibling<'_>) -> Option<String> {
    let lang_of = |id: BriefId| site.config.language_index(&site.briefs[id].lang);
    match page {
        Sibling::Brief(id) => {
            let found = if lang_of(*id) == Some(other.lang) {
                Some(*id)
            } else {
                let group = site.index.translation_of.get(id)?;
                site.index.translations[*group]
                    .iter()
                    .copied()
                    .find(|&t| lang_of(t) == Some(other.lang))
            }?;
            Some([other.lang_path(), &brief_dir(&site.briefs[found].slug)].concat())
        }
        Sibling::Listing(listing) => {
            listing_exists(other, listing).then(|| listing_dir(other, listing))
        }
        Sibling::Fixed(path) => Some([other.lang_path(), path].concat()),
    }
}

/// One `<link rel="alternate" hreflang>` of a page (`page.alternates`).
#[derive(Serialize, Debug)]
pub(crate) struct Alternate<'a> {
    /// The version's language tag, or `x-default`.
    pub(crate) lang: &'a str,
    /// Its absolute URL.
    pub(crate) href: String,
}

/// The `hreflang` alternates of a page: each existing version, then
/// `x-default` (the default language's version, else the first in the
/// order of `languages:`: a translated brief's original when the default
/// language has none); none when the page has no other version.
pub(crate) fn alternates<'a>(versions: &[Version<'a>]) -> Vec<Alternate<'a>> {
    let mut out: Vec<Alternate<'a>> = versions
        .iter()
        .filter(|v| v.exists)
        .map(|v| Alternate {
            lang: v.lang,
            href: v.permalink.clone(),
        })
        .collect();
    if out.len() < 2 {
        return Vec::new();
    }
    let x_default = out[0].href.clone();
    out.push(Alternate {
        lang: "x-default",
        href: x_default,
    });
    out
}
