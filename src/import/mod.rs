//! `briefly import`: an archive of another generator (Hugo, Jekyll or
//! Eleventy, a WordPress export) -> briefs in a briefly site, with their
//! old URLs kept as `aliases:`.
//!
//! Read (`hugo`, `jekyll`, `wordpress`: the old site's files -> [`Post`]s)
//! -> plan (here: unique slugs, links between posts) -> convert
//! (`shortcodes`, `terms`, `brief`) -> write (`write`, the only code that
//! writes). A bad post is listed and the others go on; the report
//! (`report`) says what happened.

mod brief;
mod hugo;
mod jekyll;
mod media;
mod post;
mod report;
mod shortcodes;
mod terms;
mod wordpress;
mod write;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::config::Config;
use crate::content::countries::Gazetteer;
use crate::content::{source, validate};
use crate::diagnostic::Diagnostic;

pub use report::ImportReport;

use post::{Post, Problem};
use shortcodes::Links;
use terms::{PostTerms, Terms};
use write::Writer;

/// The generator an archive comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// A Hugo site folder.
    Hugo,
    /// A Jekyll (or Eleventy) site folder.
    Jekyll,
    /// A WordPress export file (WXR).
    Wordpress,
}

/// What to import, and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The kind of archive.
    pub kind: ImportKind,
    /// The old site's folder, or the WXR file.
    pub source: PathBuf,
    /// The briefly site to import into (created when absent or empty).
    pub into: PathBuf,
    /// Report what would be written, write nothing.
    pub dry_run: bool,
    /// Overwrite briefs edited since the last import.
    pub force: bool,
    /// Download the images posts use on the old host (WordPress) into their briefs' folders.
    pub fetch_media: bool,
    /// The old site's URL pattern (`/:year/:month/:day/:slug/`), for sites
    /// whose permalinks the importer cannot read (Eleventy's JavaScript data).
    pub permalink: Option<String>,
}

/// What a reader found in the old site.
#[derive(Debug, Default)]
pub(crate) struct Archive {
    pub(crate) posts: Vec<Post>,
    pub(crate) problems: Vec<Problem>,
    /// Things that are not posts, by kind (`pages`, `attachments`), with counts.
    pub(crate) skipped: BTreeMap<String, usize>,
    /// Folders copied as they are: (absolute source, folder under the site).
    pub(crate) static_dirs: Vec<(PathBuf, PathBuf)>,
    /// The old site's title, for a new site.yaml.
    pub(crate) title: Option<String>,
    /// The old site's base URL, for links to pages that were not imported.
    pub(crate) old_base: Option<String>,
    /// Pages that were not imported, by the names posts link to them with,
    /// and their path on the old site.
    pub(crate) elsewhere: Vec<(Vec<String>, String)>,
}

/// The editor's term mapping, read from the site folder when present.
pub(crate) const MAP_FILE: &str = "import-map.yaml";

/// Runs an import. `Err` when nothing can be imported (the source is not
/// an archive of that kind, the site or its import-map.yaml is broken);
/// problems with single posts are in the report.
pub fn run(options: &ImportOptions) -> Result<ImportReport, Vec<Diagnostic>> {
    let archive = match options.kind {
        ImportKind::Hugo => hugo::read(&options.source),
        ImportKind::Jekyll => jekyll::read(&options.source),
        ImportKind::Wordpress => wordpress::read(&options.source),
    }
    .map_err(|p| vec![diagnostic(&options.source, p)])?;
    let site = Site::open(&options.into, archive.title.as_deref(), options.dry_run)?;
    let map = read_map(&options.into)?;
    let mut terms = Terms::new(&site.gazetteer, &site.actors, map);
    let bad_map = terms.map_errors();
    if !bad_map.is_empty() {
        let path = options.into.join(MAP_FILE);
        return Err(bad_map
            .into_iter()
            .map(|m| {
                Diagnostic::file_error(&path, m)
                    .with_hint("see the README's `briefly import` section for the map's form")
            })
            .collect());
    }
    let mut report = ImportReport::new(options);
    let mut writer = Writer::new(&options.into, options.dry_run, options.force);
    let mut archive = archive;
    if let Some(pattern) = &options.permalink {
        for p in archive.posts.iter_mut().filter(|p| !p.url_written) {
            let url = post::permalink(pattern, &p.date, &[(":slug", &p.slug), (":title", &p.slug)]);
            match p.aliases.first_mut() {
                Some(own) => *own = url,
                None => p.aliases.push(url),
            }
        }
    }
    if options.fetch_media {
        for p in archive.posts.iter_mut().filter(|p| !p.media.is_empty()) {
            let (fetched, failed) = media::fetch(p);
            p.fetched.extend(
                fetched
                    .into_iter()
                    .map(|f| (PathBuf::from(f.name), f.bytes)),
            );
            for why in failed {
                let d = Diagnostic::error(
                    diagnostic_path(&options.source, &p.origin),
                    p.line,
                    0,
                    format!("image not fetched, left on the old host: {why}"),
                )
                .warning();
                report.warnings.push(d);
            }
        }
    }
    import_posts(archive, &site.config, &mut terms, &mut writer, &mut report);
    report.terms_mapped = terms.mapped;
    report.unmapped = terms.unmapped;
    writer.finish().map_err(|e| {
        vec![Diagnostic::file_error(
            options.into.join(write::MANIFEST),
            e.to_string(),
        )]
    })?;
    Ok(report)
}

/// Plans, converts and writes every post of the archive.
fn import_posts(
    archive: Archive,
    config: &Config,
    terms: &mut Terms<'_>,
    writer: &mut Writer,
    report: &mut ImportReport,
) {
    let Archive {
        mut posts,
        problems,
        skipped,
        static_dirs,
        old_base,
        elsewhere,
        ..
    } = archive;
    report
        .problems
        .extend(problems.into_iter().map(|p| diagnostic(&report.source, p)));
    report.skipped = skipped;
    for p in posts.iter_mut() {
        p.date = post::normalize_date(&p.date);
        p.updated = p.updated.as_deref().map(post::normalize_date);
    }
    posts.retain(|p| match validate::parse_date(&p.date, &config.timezone) {
        Ok(_) => true,
        Err(why) => {
            let problem = Problem::new(
                &p.origin,
                p.date_line.unwrap_or(p.line),
                format!(
                    "`{}`: date `{}` is not a date ({})",
                    p.title,
                    p.date,
                    why.reason()
                ),
            )
            .hint("the post was not imported; fix its date in the old site and re-run");
            report.problems.push(diagnostic(&report.source, problem));
            false
        }
    });
    posts.sort_by(|a, b| (&a.date, &a.origin).cmp(&(&b.date, &b.origin)));
    unique_aliases(&mut posts, report);
    let slugs = unique_slugs(&posts, report);
    let mut links = links(&posts, &slugs);
    if let Some(base) = old_base.filter(|b| b.starts_with("http")) {
        for (refs, path) in elsewhere {
            let url = format!("{}{path}", base.trim_end_matches('/'));
            for r in refs {
                links.entry(r).or_insert_with(|| url.clone());
            }
        }
        links.insert(shortcodes::OLD_SITE.into(), base);
    }
    for (post, slug) in posts.iter().zip(&slugs) {
        import_one(post, slug, &links, terms, writer, report);
    }
    for (from, to) in static_dirs {
        for entry in walkdir::WalkDir::new(&from)
            .into_iter()
            .filter_map(Result::ok)
        {
            let Ok(rel) = entry.path().strip_prefix(&from) else {
                continue;
            };
            if entry.file_type().is_file() {
                report.count_media(writer.copy(entry.path(), &to.join(rel)), entry.path());
            }
        }
    }
}

fn import_one(
    post: &Post,
    slug: &str,
    links: &Links,
    terms: &mut Terms<'_>,
    writer: &mut Writer,
    report: &mut ImportReport,
) {
    let converted = shortcodes::convert(&post.body, post.dialect, links);
    report.shortcodes_converted += converted.converted + post.read_converted;
    let kept = converted
        .kept
        .iter()
        .map(|(line, tag)| (post.line + line, tag))
        .chain(post.read_kept.iter().map(|(line, tag)| (*line, tag)));
    for (line, tag) in kept {
        report.shortcodes_kept += 1;
        let d = Diagnostic::error(
            diagnostic_path(&report.source, &post.origin),
            line,
            1,
            format!("kept as written: `{tag}` (no Markdown equivalent known)"),
        )
        .with_hint("edit the imported brief by hand, or leave it: it shows as text")
        .warning();
        report.warnings.push(d);
    }
    let post_terms = PostTerms::of(terms, &post.categories, &post.tags);
    let text = brief::text(post, &post_terms, &converted.body);
    let folder = post.is_folder();
    let rel = if folder {
        Path::new("content/briefs").join(slug).join("index.md")
    } else {
        Path::new("content/briefs").join(format!("{slug}.md"))
    };
    match writer.put(&rel, text.as_bytes()) {
        Ok(outcome) => report.count_brief(outcome, &rel, post),
        Err(e) => report
            .problems
            .push(Diagnostic::file_error(&rel, e.to_string())),
    }
    for (from, inside) in &post.files {
        let to = Path::new("content/briefs").join(slug).join(inside);
        report.count_media(writer.copy(from, &to), from);
    }
    for (inside, bytes) in &post.fetched {
        let to = Path::new("content/briefs").join(slug).join(inside);
        report.count_media(writer.put(&to, bytes), &to);
    }
    report.media_external.extend(post.media.iter().cloned());
}

/// Each post's slug, unique: a second post with a slug gets its date
/// appended (then a number), in date order, so re-runs agree.
fn unique_slugs(posts: &[Post], report: &mut ImportReport) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    posts
        .iter()
        .map(|p| {
            let mut base = slug::slugify(&p.slug);
            if base.is_empty() {
                base = slug::slugify(&p.title);
            }
            if base.is_empty() || (base.len() == 4 && base.bytes().all(|b| b.is_ascii_digit())) {
                base = format!(
                    "{}post",
                    if base.is_empty() {
                        String::new()
                    } else {
                        format!("{base}-")
                    }
                );
            }
            let mut slug = base.clone();
            if taken.contains(&slug) {
                slug = format!("{base}-{}", p.date.get(..10).unwrap_or(&p.date));
                let mut n = 2;
                while taken.contains(&slug) {
                    slug = format!("{base}-{}-{n}", p.date.get(..10).unwrap_or(&p.date));
                    n += 1;
                }
                report.renamed.push((where_is(p), base, slug.clone()));
            }
            taken.insert(slug.clone());
            slug
        })
        .collect()
}

/// Each old URL redirects to one brief: a post's own URL wins over another
/// post's `aliases:` entry for it, then the earlier post; the losers are reported.
fn unique_aliases(posts: &mut [Post], report: &mut ImportReport) {
    let key = |a: &str| {
        let decoded = percent_encoding::percent_decode_str(a)
            .decode_utf8_lossy()
            .into_owned();
        decoded.trim_end_matches('/').to_string()
    };
    let mut owner: std::collections::HashMap<String, usize> = Default::default();
    for (i, p) in posts.iter().enumerate() {
        if let Some(own) = p.aliases.first() {
            owner.entry(key(own)).or_insert(i);
        }
    }
    let origins: Vec<PathBuf> = posts.iter().map(where_is).collect();
    for (i, p) in posts.iter_mut().enumerate() {
        p.aliases.retain(|a| {
            let taken = is_briefly_url(&key(a));
            if taken {
                report.alias_conflicts.push((
                    p.origin.clone(),
                    a.clone(),
                    "a page of briefly".into(),
                ));
            }
            !taken
        });
        p.aliases.retain(|a| match owner.get(&key(a)) {
            Some(&o) if o != i => {
                report
                    .alias_conflicts
                    .push((p.origin.clone(), a.clone(), origins[o].clone()));
                false
            }
            Some(_) => true,
            None => {
                owner.insert(key(a), i);
                true
            }
        });
    }
}

/// A post named for the report: its file, and its line when the file
/// holds many posts (a WordPress export).
fn where_is(p: &Post) -> PathBuf {
    if p.refs.is_empty() && p.line > 1 {
        PathBuf::from(format!("{}:{} ({})", p.origin.display(), p.line, p.title))
    } else {
        p.origin.clone()
    }
}

/// Whether a path (decoded, without its trailing `/`) is, or lies under, a
/// page briefly makes itself (`/search/`, `/briefs/...`): an old URL there
/// would overwrite it.
fn is_briefly_url(path: &str) -> bool {
    const FOLDERS: &[&str] = &[
        "briefs",
        "countries",
        "actors",
        "authors",
        "topics",
        "search",
        "page",
        "pagefind",
    ];
    const FILES: &[&str] = &[
        "",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "_redirects",
        "index.html",
    ];
    let rel = path.trim_start_matches('/');
    let first = rel.split('/').next().unwrap_or("");
    FILES.contains(&rel) || FOLDERS.contains(&first) || rel.starts_with("sitemap-")
}

/// References to published posts -> their brief files (drafts have no page to link to).
fn links(posts: &[Post], slugs: &[String]) -> Links {
    let mut links = Links::new();
    for (post, slug) in posts.iter().zip(slugs) {
        if post.draft {
            continue;
        }
        let target = if !post.is_folder() {
            format!("@/briefs/{slug}.md")
        } else {
            format!("@/briefs/{slug}/index.md")
        };
        for r in &post.refs {
            links.entry(r.clone()).or_insert_with(|| target.clone());
        }
    }
    links
}

/// The site imported into: its configuration, countries and actors.
struct Site {
    config: Config,
    gazetteer: Gazetteer,
    actors: validate::ActorRegistry,
}

impl Site {
    /// Opens the site; an absent or empty folder gets a new site.yaml.
    fn open(root: &Path, title: Option<&str>, dry_run: bool) -> Result<Site, Vec<Diagnostic>> {
        let config_path = root.join("site.yaml");
        // The editor may have written the term map before the first import.
        let empty = std::fs::read_dir(root).map_or(true, |d| {
            d.filter_map(Result::ok).all(|e| e.file_name() == MAP_FILE)
        });
        let text = if config_path.is_file() {
            std::fs::read_to_string(&config_path)
                .map_err(|e| vec![Diagnostic::file_error(&config_path, e.to_string())])?
        } else if empty {
            let title = title.unwrap_or("Imported briefs");
            let text = format!("title: {}\n", serde_json::Value::from(title));
            if !dry_run {
                std::fs::create_dir_all(root)
                    .and_then(|()| std::fs::write(&config_path, &text))
                    .map_err(|e| vec![Diagnostic::file_error(&config_path, e.to_string())])?;
            }
            text
        } else {
            return Err(vec![Diagnostic::file_error(&config_path, format!("`{}` is not a briefly site and not empty", root.display()))
                .with_hint("import into a briefly site (`briefly init DIR` makes one) or into an empty or new folder")]);
        };
        let config = Config::parse(Path::new("site.yaml"), &text)?;
        let (gazetteer, _) = Gazetteer::new(&config.places);
        let sources = source::load(root, &config.theme);
        let (actors, errors) = validate::actor_registry(&sources.actors, &gazetteer);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Site {
            config,
            gazetteer,
            actors,
        })
    }
}

fn read_map(root: &Path) -> Result<BTreeMap<String, terms::MapEntry>, Vec<Diagnostic>> {
    let path = root.join(MAP_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(BTreeMap::new());
    };
    if text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    serde_saphyr::from_str(&text).map_err(|e| {
        vec![Diagnostic::file_error(&path, format!("does not parse: {}", e.to_string().lines().next().unwrap_or("")))
            .with_hint("one term per line: `irgc: {actor: Islamic Revolutionary Guard Corps}`, `energy: topic`, `misc: drop`")]
    })
}

/// A problem as a diagnostic at its file (under the source folder) and line.
fn diagnostic(source: &Path, p: Problem) -> Diagnostic {
    Diagnostic::error(diagnostic_path(source, &p.origin), p.line, 0, p.message)
        .with_optional_hint(p.hint)
}

/// The path messages name: the export file, or the file under the source folder.
fn diagnostic_path(source: &Path, origin: &Path) -> PathBuf {
    if source.is_file() {
        source.to_path_buf()
    } else if origin.is_absolute() {
        origin.to_path_buf()
    } else {
        source.join(origin)
    }
}
