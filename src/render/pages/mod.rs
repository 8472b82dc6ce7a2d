//! Pages: one context builder per template, and [`Renderer`], which
//! dispatches a [`Page`] to its builder and renders the template.
//!
//! Every page starts from the same common context ([`Renderer::context`]);
//! each builder adds only its own variables. Builders must not decide
//! which pages exist or where they go (that is `routes`), and must not
//! write files.

mod actors;
mod archive;
mod authors;
mod brief;
mod countries;
mod feed;
mod home;
pub(crate) mod languages;
pub(crate) mod listing;
mod pairs;
mod sources;
mod topics;

pub(crate) use listing::VARIABLES as LISTING_VARIABLES;
pub(crate) use sources::source_link;

use std::collections::HashMap;

use tera::{Context, Tera, Value};

use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;
use crate::index::BriefId;

use super::routes::{Listing, Page, feed_page, feed_path, output_path};
use super::templates::template_diagnostic;
use super::views::{PageView, Views};
use super::{CardSource, OutputFile};

/// Bytes reserved for a rendered page: most pages of the default theme fit.
const PAGE_CAPACITY: usize = 48 * 1024;

/// Renders pages of one site with one set of templates and cards.
pub(crate) struct Renderer<'a> {
    views: Views<'a>,
    tera: &'a Tera,
    cards: &'a dyn CardSource,
    template_paths: HashMap<&'a str, &'a TextFile>,
    /// Each country's partners in country pairs (`pairs::partners`), built
    /// on first use: every page of every country listing shows them.
    pair_partners: std::sync::OnceLock<HashMap<String, Value>>,
    /// The site's citation style (`citation_style:`), loaded once per process.
    csl: Option<std::sync::Arc<crate::publish::cite::csl::CslStyle>>,
    /// Listing pages the build may keep as the last build wrote them.
    keep: Option<&'a dyn super::KeepPages>,
}

/// Pages are rendered from the same views the cards use.
impl<'a> std::ops::Deref for Renderer<'a> {
    type Target = Views<'a>;
    fn deref(&self) -> &Views<'a> {
        &self.views
    }
}

impl<'a> Renderer<'a> {
    /// A renderer; `cards` must come from `render::cards` for this site.
    pub(crate) fn new(
        views: Views<'a>,
        tera: &'a Tera,
        template_files: &'a [(String, TextFile)],
        cards: &'a dyn CardSource,
        keep: Option<&'a dyn super::KeepPages>,
    ) -> Self {
        let config = views.site.config;
        let csl =
            crate::publish::cite::csl::CslStyle::for_site(&config.citation_style, &config.language);
        Renderer {
            views,
            tera,
            cards,
            template_paths: template_files
                .iter()
                .map(|(n, f)| (n.as_str(), f))
                .collect(),
            pair_partners: std::sync::OnceLock::new(),
            csl,
            keep,
        }
    }

    /// Renders one page into a file; `None` when the build keeps the file
    /// the last build wrote (see [`super::KeepPages`]).
    pub(crate) fn render_page(&self, page: &Page) -> Result<Option<OutputFile>, Diagnostic> {
        let bytes = match page {
            Page::Brief(id) => brief::render(self, *id),
            Page::List(listing, n) => match listing::render(self, listing, *n)? {
                Some(bytes) => Ok(bytes),
                None => return Ok(None),
            },
            Page::Archive => archive::render(self),
            Page::Countries => countries::render(self),
            Page::Actors => actors::render(self),
            Page::Authors => authors::render(self),
            Page::Topics => topics::render(self),
            Page::Sources => sources::render(self),
            Page::NotFound => {
                let path = if self.site.lang == 0 {
                    "404.html".to_string()
                } else {
                    self.in_lang("404.html")
                };
                let ctx = self.context("404", &self.ui("notfound_title"), &path, "");
                self.finish("404.html", ctx)
            }
            Page::Feed(listing) => match feed::render(self, listing) {
                Some(xml) => Ok(xml.into_bytes()),
                None => return Ok(None),
            },
            Page::Search => {
                let ctx = self.context(
                    "search",
                    &self.ui("search_title"),
                    &self.in_lang("search/"),
                    &self.ui("search_description"),
                );
                self.finish("search.html", ctx)
            }
        }?;
        Ok(Some(OutputFile {
            path: output_path(self.site, page),
            bytes,
        }))
    }

    /// An interface string (no placeholders) in the site's language, for
    /// titles and descriptions the program gives pages.
    fn ui(&self, key: &str) -> String {
        let lang = self.site.i18n.language(&self.site.language().code);
        lang.text(key).into_owned()
    }

    /// An interface string in the site's language with its placeholders
    /// filled from `args` (and its plural form and `{count}` from `count`),
    /// for titles and descriptions the program gives pages; the key itself
    /// when nothing has it.
    fn ui_with(&self, key: &str, count: Option<u64>, args: &[(&str, String)]) -> String {
        let lang = self.site.i18n.language(&self.site.language().code);
        lang.message(key)
            .and_then(|m| lang.format(m, count, args).ok())
            .unwrap_or_else(|| key.to_string())
    }

    /// A number in the site language's digits (years in titles).
    fn ui_number(&self, n: impl std::fmt::Display) -> String {
        self.site
            .i18n
            .language(&self.site.language().code)
            .number(n)
    }

    /// The shared card values of the given briefs, as one list.
    fn cards_of(&self, ids: &[BriefId]) -> Result<Value, Diagnostic> {
        let cards: Result<Vec<Value>, Diagnostic> =
            ids.iter().map(|&id| self.cards.card(id)).collect();
        cards.map(Value::from)
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
        let lang = &self.site.language().code;
        let fixed;
        let sibling = if *listing != Listing::Home || kind == "home" {
            languages::Sibling::Listing(listing)
        } else {
            fixed = path.strip_prefix(self.site.lang_path()).unwrap_or(path);
            languages::Sibling::Fixed(fixed)
        };
        self.context_in(kind, title, path, description, listing, lang, &sibling)
    }

    #[allow(clippy::too_many_arguments)]
    /// The common context of a page in language `lang` (a brief's own);
    /// every other page is in the site's language.
    fn context_in(
        &self,
        kind: &str,
        title: &str,
        path: &str,
        description: &str,
        listing: &Listing,
        lang: &str,
        sibling: &languages::Sibling<'_>,
    ) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert_value("pagination", Value::none());
        let site_title = &self.site.language().title;
        let feed = match listing {
            Listing::Home => None,
            _ => feed_page(self.site, listing).map(|_| (listing, format!("{site_title}: {title}"))),
        }
        .or_else(|| {
            feed_page(self.site, &Listing::Home).map(|_| (&Listing::Home, site_title.clone()))
        });
        let translations = languages::versions(self.site, sibling);
        let alternates = languages::alternates(&translations);
        ctx.insert(
            "page",
            &PageView {
                kind,
                title,
                url: self.url(path),
                permalink: self.permalink(path),
                description,
                feed_url: feed
                    .as_ref()
                    .map(|(l, _)| self.url(&feed_path(self.site, l))),
                feed_title: feed.map(|(_, t)| t),
                lang,
                dir: self.site.config.direction_of(lang).as_str(),
                home_url: self.lang_url(""),
                translations,
                alternates,
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
}
