//! Load and validate: the site's files -> a [`Loaded`] site. Only
//! [`source`] reads the disk; everything else here works on texts.
//!
//! Where a front matter key is read: [`frontmatter`] splits and parses the
//! YAML, [`validate`] turns it into the [`model`] types (`Brief`,
//! `ActorEntry`, `CountryProfile`), [`config`] does the same for `site.yaml`.

pub(crate) mod calendar;
pub(crate) mod config;
pub(crate) mod countries;
pub(crate) mod flags;
pub(crate) mod frontmatter;
pub(crate) mod html;
pub(crate) mod inline;
pub(crate) mod lang;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod slugs;
pub(crate) mod source;
pub(crate) mod theme;
pub(crate) mod validate;

use crate::content::config::Config;
use crate::content::countries::Gazetteer;
use crate::content::source::{StaticFile, TextFile};
use crate::diagnostic::{self, Diagnostic};
use crate::{BuildOptions, index, render, timed};
use std::path::Path;

/// A site loaded and validated: everything rendering needs but the index.
pub struct Loaded {
    /// `site.yaml`, resolved.
    pub config: Config,
    /// Countries and places.
    pub gazetteer: Gazetteer,
    /// Registered actors.
    pub actors: validate::ActorRegistry,
    /// Country profiles.
    pub profiles: Vec<model::CountryProfile>,
    /// Author records, by key.
    pub authors: std::collections::BTreeMap<String, model::AuthorEntry>,
    /// Registered source publishers.
    pub(crate) publishers: validate::PublisherRegistry,
    /// Compiled templates.
    pub tera: tera::Tera,
    /// Interface strings of every language (`i18n/*.yaml`).
    pub i18n: crate::I18n,
    /// Template sources, for locating template errors.
    pub templates: Vec<(String, source::TextFile)>,
    /// Files copied as they are.
    pub static_files: Vec<StaticFile>,
    /// The theme's `world.svg`, if it has one.
    pub world_map: Option<String>,
    /// The PDF edition's template (`pdf/brief.typ`), if any layer has one.
    pub pdf_template: Option<TextFile>,
    /// Briefs to publish, sorted by path.
    pub briefs: Vec<model::Brief>,
    /// Drafts left out.
    pub drafts_skipped: usize,
    /// Scheduled briefs left out (dated after the clock).
    pub scheduled_skipped: usize,
    /// Brief files taken from the build cache instead of parsed, of all brief files.
    pub(crate) briefs_from_cache: (usize, usize),
    /// The build's clock, seconds since the epoch (`--now`, else when the
    /// site was loaded): briefs dated after it are scheduled.
    pub now: i64,
    /// When the first scheduled brief this build left out is due (seconds
    /// since the epoch): a build after it publishes more, even if no file
    /// changed.
    pub next_scheduled: Option<i64>,
    /// Problems that do not stop the build, sorted.
    pub warnings: Vec<Diagnostic>,
    /// The files of brief folders, published next to their brief's page.
    pub bundle_files: Vec<StaticFile>,
    /// The flags (SVG) of the countries the pages name, under `flags/`.
    pub flag_files: Vec<StaticFile>,
    /// The raw HTML policy, ready to apply.
    pub(crate) sanitizer: html::Sanitizer,
    /// Static files and the site folder, for images in bodies.
    pub(crate) site_files: validate::SiteFiles,
}

impl Loaded {
    /// The borrowed view rendering takes.
    pub fn site<'a>(&'a self, index: &'a index::Index) -> render::Site<'a> {
        render::Site {
            config: &self.config,
            gazetteer: &self.gazetteer,
            briefs: &self.briefs,
            actors: &self.actors,
            publishers: &self.publishers,
            profiles: &self.profiles,
            authors: &self.authors,
            world_map: self.world_map.as_deref(),
            i18n: &self.i18n,
            pdf_sizes: None,
            search: self.config.search
                && self.templates.iter().any(|(name, _)| name == "search.html"),
            index,
            lang: 0,
            indexes: std::slice::from_ref(index),
        }
    }

    /// What validating one brief needs.
    pub fn validation_context(&self) -> validate::Context<'_> {
        validate::Context {
            config: &self.config,
            gazetteer: &self.gazetteer,
            actors: &self.actors,
            publishers: &self.publishers,
            files: &self.site_files,
            sanitizer: &self.sanitizer,
            now: self.now,
        }
    }

    /// Every file copied as it is: static files, brief folders' files, flags.
    pub fn published_files(&self) -> Vec<StaticFile> {
        let mut all = self.static_files.clone();
        all.extend(self.bundle_files.iter().cloned());
        all.extend(self.flag_files.iter().cloned());
        all
    }

    /// Recomputes [`Loaded::flag_files`] after briefs changed; whether they did.
    pub(crate) fn refresh_flag_files(&mut self) -> bool {
        let flags = flags::flag_files(&self.briefs, &self.profiles, &self.actors, &self.gazetteer);
        let changed = flags != self.flag_files;
        self.flag_files = flags;
        changed
    }

    /// Recomputes [`Loaded::bundle_files`] after briefs changed (a slug
    /// moves its folder's files); `root` is the site folder.
    pub(crate) fn refresh_bundle_files(&mut self, root: &Path) {
        self.bundle_files = bundle_files(root, &self.briefs);
    }
}

/// The files of the brief folders among `briefs`, under their pages' folders.
fn bundle_files(root: &Path, briefs: &[model::Brief]) -> Vec<StaticFile> {
    let paths: Vec<std::path::PathBuf> = briefs.iter().map(|b| b.path.clone()).collect();
    let slug_of: std::collections::HashMap<&Path, &str> = briefs
        .iter()
        .map(|b| (b.path.as_path(), b.slug.as_str()))
        .collect();
    let mut files = Vec::new();
    for (brief, inside) in source::bundle_files(root, &paths) {
        let (Some(slug), Some(dir)) = (slug_of.get(brief.as_path()), brief.parent()) else {
            continue;
        };
        for file in inside {
            let rel = file.strip_prefix(dir).unwrap_or(&file);
            let output_path = Path::new("briefs").join(slug).join(rel);
            files.push(StaticFile {
                name: output_path.to_string_lossy().replace('\\', "/"),
                output_path,
                source: root.join(&file),
                builtin: None,
            });
        }
    }
    files
}

/// Loads and validates the whole site: every error is collected.
pub fn load(options: &BuildOptions) -> Result<Loaded, Vec<Diagnostic>> {
    load_with(options, &mut None, || None)
}

/// [`load`], taking the briefs whose text and context are unchanged from
/// the build cache (the memo `restore` gives, put in `memo`) and saving
/// those it had to parse. The source files are listed while `restore`
/// reads the cache: one walks folders, the other decodes (at 50,000
/// briefs, 0.1 s and 0.3 s).
pub(crate) fn load_with<'c>(
    options: &BuildOptions,
    memo: &mut Option<crate::cache::briefs::BriefMemo<'c>>,
    restore: impl FnOnce() -> Option<crate::cache::briefs::BriefMemo<'c>> + Send,
) -> Result<Loaded, Vec<Diagnostic>> {
    let root = options.root.as_path();
    let (config_file, config) = load_config(options)?;
    let timings = options.timings.as_deref();
    let (sources, restored) = rayon::join(
        || {
            timed(timings, "read sources", || {
                source::load(root, &config.theme)
            })
        },
        restore,
    );
    *memo = restored;
    let mut errors = sources.errors.clone();
    errors.extend(missing_theme(root, &config, &config_file));

    let (gazetteer, clashes) = Gazetteer::new(&config.places);
    errors.extend(place_clashes(&config_file, clashes));
    let (actors, e) = validate::actor_registry(&sources.actors, &gazetteer);
    errors.extend(e);
    let (profiles, e) = validate::country_profiles(&sources.countries, &gazetteer);
    errors.extend(e);
    let (authors, e) = validate::author_records(&sources.authors, &config.base_path);
    errors.extend(e);
    let (publishers, e) = validate::publisher_registry(&sources.publishers, &gazetteer);
    errors.extend(e);
    let sanitizer = html::Sanitizer::new(&config.raw_html);
    let site_files = validate::SiteFiles::new(root, &sources.static_files);
    let now = calendar::resolve_now(options, &config).map_err(|d| vec![d])?;
    let ctx = validate::Context {
        config: &config,
        gazetteer: &gazetteer,
        actors: &actors,
        publishers: &publishers,
        files: &site_files,
        sanitizer: &sanitizer,
        now,
    };
    let mut memo = memo.as_mut();
    let mut restored = (memo.as_mut())
        .map(|m| std::mem::take(&mut m.restored))
        .unwrap_or_default();
    let briefs_from_cache = (restored.len(), sources.briefs.len());
    let (mut briefs, e, failed_links) = timed(timings, "parse and validate briefs", || {
        validate::briefs(root, &sources.briefs, &ctx, &mut restored)
    });
    if let Some(memo) = memo {
        timed(timings, "save parsed briefs", || memo.save(&briefs));
    }
    errors.extend(e);
    let drafts = briefs.iter().filter(|b| b.draft).count();
    let total = briefs.len();
    let next_scheduled = (briefs.iter())
        .filter(|b| b.scheduled && !options.scheduled && (options.drafts || !b.draft))
        .map(|b| b.date.sort_key)
        .min();
    // Translations are checked among every brief, shown or not: a translation
    // published before its scheduled (or draft) original names a brief that
    // exists; it is linked once the original is shown (index::build_languages
    // groups the shown briefs only).
    errors.extend(validate::translation_groups(&briefs, &config).1);
    briefs.retain(|b| calendar::is_shown(b, options));
    // A scheduled draft counts as a draft: `draft: false` comes first.
    let drafts_skipped = if options.drafts { 0 } else { drafts };
    errors.extend(validate::resolve_all_links(
        &mut briefs,
        failed_links,
        &config.base_path,
    ));
    let warnings = take_warnings(&briefs, &mut errors);
    let i18n = match crate::I18n::load(&sources.i18n, &config.language) {
        Ok(i18n) => {
            errors.extend(crate::i18n::unknown_keys(&sources.templates, &i18n));
            Some(i18n)
        }
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let tera = i18n.as_ref().and_then(|i18n| {
        let made = render::templates(
            &sources.templates,
            &config.base_path,
            &sources.static_files,
            i18n,
            &config.language,
        );
        made.map_err(|e| errors.extend(e)).ok()
    });
    let (Some(tera), Some(i18n)) = (tera.filter(|_| errors.is_empty()), i18n) else {
        diagnostic::sort(&mut errors);
        errors.extend(warnings);
        return Err(errors);
    };
    Ok(Loaded {
        bundle_files: bundle_files(root, &briefs),
        flag_files: flags::flag_files(&briefs, &profiles, &actors, &gazetteer),
        warnings,
        sanitizer,
        site_files,
        config,
        gazetteer,
        actors,
        publishers,
        profiles,
        authors,
        tera,
        i18n,
        templates: sources.templates,
        static_files: sources.static_files,
        world_map: sources.world_map.map(|f| f.text),
        scheduled_skipped: total - briefs.len() - drafts_skipped,
        briefs_from_cache,
        drafts_skipped,
        now,
        next_scheduled,
        pdf_template: sources.pdf_template,
        briefs,
    })
}

/// A place of `site.yaml` whose name or code is a country's or another place's.
fn place_clashes(config_file: &TextFile, clashes: Vec<String>) -> Vec<Diagnostic> {
    let hint = "give the place another name or code; ISO countries need no declaration";
    clashes
        .into_iter()
        .map(|name| {
            let line = line_of(&config_file.text, &name);
            let message =
                format!("place `{name}` clashes with a country or place of the same name or code");
            Diagnostic::error(&config_file.path, line, 0, message).with_hint(hint)
        })
        .collect()
}

/// The briefs' warnings and those among `diagnostics` (which keeps only
/// errors), sorted.
fn take_warnings(briefs: &[model::Brief], diagnostics: &mut Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = briefs
        .iter()
        .flat_map(|b| b.warnings.iter().cloned())
        .collect();
    warnings.extend(diagnostics.iter().filter(|d| !d.is_error()).cloned());
    diagnostics.retain(Diagnostic::is_error);
    diagnostic::sort(&mut warnings);
    warnings
}

/// Reads `site.yaml` and applies `--base-url`.
fn load_config(options: &BuildOptions) -> Result<(TextFile, Config), Vec<Diagnostic>> {
    let config_file = source::load_config(&options.root).map_err(|d| vec![d])?;
    let mut config = Config::parse(&config_file.path, &config_file.text)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|message| {
            vec![
                Diagnostic::error("--base-url", 0, 0, message)
                    .with_hint("pass an absolute URL such as https://example.org/briefs/"),
            ]
        })?;
    }
    Ok((config_file, config))
}

/// A theme other than the built-in one must have its folder; one error
/// (the built-in files fill in, so no template is reported missing).
fn missing_theme(root: &Path, config: &Config, config_file: &TextFile) -> Option<Diagnostic> {
    let name = &config.theme;
    if name == theme::DEFAULT_NAME || source::has_theme_folder(root, name) {
        return None;
    }
    Some(
        Diagnostic::error(
            &config_file.path,
            line_of(&config_file.text, "theme:"),
            0,
            format!("theme `{name}` not found: there is no folder `themes/{name}/`"),
        )
        .with_hint(format!(
            "remove `theme:` (or set it to `{}`) to use the built-in theme, or create `themes/{name}/` holding the files you change (`briefly copy-theme --name {name}` copies the built-in one)",
            theme::DEFAULT_NAME
        )),
    )
}

/// The 1-based line of `site.yaml` where `needle` first appears, or 0.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .map_or(0, |i| i + 1)
}
