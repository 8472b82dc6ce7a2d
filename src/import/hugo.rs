//! A Hugo site -> posts: `content/**` Markdown with YAML, TOML or JSON front
//! matter, leaf bundles (`x/index.md` with their images), `slug`, `url`,
//! `aliases`, permalinks from the site configuration, tags, categories and
//! custom taxonomies, drafts, dates and summaries.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::Archive;
use super::post::{self, Post, Problem};
use super::shortcodes::Dialect;

const CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/config.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.yaml",
];

/// Taxonomies that are filed like categories when the configuration does not list them.
const TOPIC_TAXONOMIES: &[&str] = &[
    "categories",
    "topics",
    "series",
    "programs",
    "programmes",
    "regions",
    "countries",
    "projects",
    "issues",
    "themes",
];

/// Reads every page of the site's `content/` folder.
pub(crate) fn read(source: &Path) -> Result<Archive, Problem> {
    let content = source.join("content");
    if !content.is_dir() {
        return Err(Problem::new(
            source,
            0,
            "this is not a Hugo site: it has no `content/` folder",
        )
        .hint(
            "pass the Hugo site's folder (the one holding hugo.toml or config.toml and content/)",
        ));
    }
    let config = post::config_file(source, CONFIGS).unwrap_or_default();
    let mut archive = Archive {
        title: post::text(&config, "title"),
        old_base: post::text(&config, "baseURL").or_else(|| post::text(&config, "baseurl")),
        ..Archive::default()
    };
    let site = HugoSite {
        taxonomies: taxonomies(&config),
        names: term_names(&content),
        config: &config,
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let bundles: HashSet<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "index.md"))
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    for file in &files {
        let in_bundle = file.ancestors().skip(1).any(|d| bundles.contains(d));
        let is_page = file
            .extension()
            .is_some_and(|e| e == "md" || e == "markdown");
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if !is_page || name.starts_with("_index.") || (in_bundle && name != "index.md") {
            continue;
        }
        let rel = file.strip_prefix(source).unwrap_or(file).to_path_buf();
        match read_page(file, &content, &rel, &site) {
            Ok(p) if p.date.is_empty() => {
                // Not a post, but posts may link to it: it stays on the old site.
                *archive
                    .skipped
                    .entry("pages without a date".into())
                    .or_default() += 1;
                if let Some(url) = p.aliases.first() {
                    archive.elsewhere.push((p.refs, url.clone()));
                }
            }
            Ok(mut p) => {
                if name == "index.md" {
                    p.files = bundle_files(file, &files);
                }
                archive.posts.push(p);
            }
            Err(problem) => archive.problems.push(problem),
        }
    }
    let static_dir = source.join("static");
    if static_dir.is_dir() {
        archive
            .static_dirs
            .push((static_dir, PathBuf::from("static")));
    }
    Ok(archive)
}

/// What pages are read against: the configuration, the taxonomies, and
/// the display names of taxonomy terms.
struct HugoSite<'a> {
    config: &'a Map<String, Value>,
    taxonomies: Vec<String>,
    /// `content/<taxonomy>/<term>/_index.md` titles, by taxonomy and term
    /// (`authors/nick-sinai` -> "Nick Sinai"): sites file terms by slug.
    names: HashMap<String, HashMap<String, String>>,
}

impl HugoSite<'_> {
    fn name(&self, taxonomy: &str, term: &str) -> String {
        self.names
            .get(taxonomy)
            .and_then(|t| t.get(&term.to_lowercase()))
            .cloned()
            .unwrap_or_else(|| term.to_string())
    }
}

/// Titles of taxonomy term pages: `content/<plural>/<term>/_index.md`.
fn term_names(content: &Path) -> HashMap<String, HashMap<String, String>> {
    let mut names: HashMap<String, HashMap<String, String>> = HashMap::new();
    let Ok(sections) = std::fs::read_dir(content) else {
        return names;
    };
    for section in sections.filter_map(Result::ok) {
        let Ok(terms) = std::fs::read_dir(section.path()) else {
            continue;
        };
        for term in terms.filter_map(Result::ok) {
            let index = term.path().join("_index.md");
            let Ok(text) = std::fs::read_to_string(&index) else {
                continue;
            };
            let Ok(parsed) = post::front_matter(&text) else {
                continue;
            };
            let fm = lowercase_keys(parsed.fields);
            let Some(title) = ["display_name", "title", "name"]
                .iter()
                .find_map(|k| post::text(&fm, k))
            else {
                continue;
            };
            names
                .entry(section.file_name().to_string_lossy().to_lowercase())
                .or_default()
                .insert(term.file_name().to_string_lossy().to_lowercase(), title);
        }
    }
    names
}

/// Hugo reads front matter keys without regard to case (`expirydate`, `expiryDate`).
fn lowercase_keys(fields: Map<String, Value>) -> Map<String, Value> {
    fields
        .into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect()
}

/// The taxonomies whose terms are categories (topics unless mapped);
/// `tags` stays tags and `authors` are authors.
fn taxonomies(config: &Map<String, Value>) -> Vec<String> {
    match config.get("taxonomies") {
        Some(Value::Object(t)) => t
            .values()
            .filter_map(Value::as_str)
            .map(str::to_lowercase)
            .filter(|plural| plural != "tags" && plural != "authors")
            .collect(),
        _ => TOPIC_TAXONOMIES.iter().map(|s| s.to_string()).collect(),
    }
}

/// The other files of a leaf bundle, by their path inside it (Markdown files
/// are left out: in a brief folder they would be briefs).
fn bundle_files(index: &Path, files: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let Some(dir) = index.parent() else {
        return Vec::new();
    };
    files
        .iter()
        .filter(|f| f.as_path() != index && f.starts_with(dir))
        .filter(|f| !f.extension().is_some_and(|e| e == "md" || e == "markdown"))
        .filter_map(|f| Some((f.clone(), f.strip_prefix(dir).ok()?.to_path_buf())))
        .collect()
}

/// One page; its date is empty when it has none (an "about" page, not a post).
fn read_page(
    file: &Path,
    content: &Path,
    rel: &Path,
    site: &HugoSite<'_>,
) -> Result<Post, Problem> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Problem::new(rel, 0, format!("cannot read: {e}")))?;
    let parsed = post::front_matter(&text).map_err(|(line, why)| {
        Problem::new(rel, line, why)
            .hint("the page was not imported; fix its front matter and re-run")
    })?;
    let fields = lowercase_keys(parsed.fields);
    let fm = &fields;
    // Empty for an undated page (an "about" page), which is not imported.
    let date = ["date", "publishdate", "pubdate", "published"]
        .iter()
        .find_map(|k| post::text(fm, k))
        .unwrap_or_default();
    let Place {
        file_name,
        section,
        section_path,
        refs,
    } = place_of(file.strip_prefix(content).unwrap_or(file));
    let title = post::text(fm, "title").unwrap_or_else(|| file_name.clone());
    let slug = post::text(fm, "slug").unwrap_or_else(|| file_name.clone());
    let url_written = fm.contains_key("url");
    let own_url = match post::text(fm, "url") {
        Some(url) => post::url_path(&url),
        None => old_url(
            site.config,
            &section,
            &section_path,
            &slug,
            &file_name,
            &title,
            &date,
        ),
    };
    let mut aliases = vec![own_url];
    for a in post::list(fm, "aliases", false) {
        let path = post::url_path(&a);
        if !aliases.contains(&path) {
            aliases.push(path);
        }
    }
    let (categories, authors) = terms_and_authors(fm, site);
    let mut extra = Map::new();
    for key in ["expirydate", "weight", "subtitle"] {
        if let Some(v) = fm.get(key) {
            extra.insert(key.to_string(), v.clone());
        }
    }
    Ok(Post {
        origin: rel.to_path_buf(),
        line: parsed.body_line,
        title,
        updated: ["lastmod", "modified"]
            .iter()
            .find_map(|k| post::text(fm, k))
            .filter(|u| *u != date),
        date_line: post::key_line(&text, &["date", "publishdate", "pubdate", "published"]),
        date,
        slug,
        aliases,
        url_written,
        summary: post::text(fm, "summary").or_else(|| post::text(fm, "description")),
        authors,
        categories,
        tags: post::list(fm, "tags", false),
        draft: post::flag(fm, "draft"),
        body: parsed.body.to_string(),
        extra,
        dialect: Dialect::Hugo,
        refs,
        ..Post::default()
    })
}

/// Where a page is in `content/`: its name (a bundle's folder name), its
/// section, and the names other pages' `ref`s may use for it.
struct Place {
    file_name: String,
    section: String,
    section_path: String,
    refs: Vec<String>,
}

fn place_of(in_content: &Path) -> Place {
    let bundle = in_content.file_name().is_some_and(|n| n == "index.md");
    let name_path = if bundle {
        in_content.parent().unwrap_or(in_content)
    } else {
        in_content
    };
    let file_name = name_path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let section_path = name_path
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let stem = in_content
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    let refs = vec![
        in_content.to_string_lossy().replace('\\', "/"),
        stem.clone(),
        stem.trim_end_matches("/index").to_string(),
        file_name.clone(),
    ];
    Place {
        section: section_path.split('/').next().unwrap_or("").to_string(),
        file_name,
        section_path,
        refs,
    }
}

/// The terms of the configured taxonomies (topics unless mapped) and the
/// authors, by their term pages' names.
fn terms_and_authors(fm: &Map<String, Value>, site: &HugoSite<'_>) -> (Vec<String>, Vec<String>) {
    let mut categories = Vec::new();
    for t in &site.taxonomies {
        categories.extend(
            post::list(fm, t, false)
                .iter()
                .map(|term| site.name(t, term)),
        );
    }
    let mut authors = post::list(fm, "authors", false);
    authors.extend(post::list(fm, "author", false));
    let authors = authors.iter().map(|a| site.name("authors", a)).collect();
    (categories, authors)
}

/// The page's URL on the old site: the section's permalink pattern, else
/// Hugo's default `/section/slug/`, lowercased as Hugo does by default.
fn old_url(
    config: &Map<String, Value>,
    section: &str,
    section_path: &str,
    slug: &str,
    file_name: &str,
    title: &str,
    date: &str,
) -> String {
    let patterns = config.get("permalinks").and_then(Value::as_object);
    let pattern = patterns.and_then(|p| {
        p.get("page")
            .and_then(Value::as_object)
            .and_then(|pp| pp.get(section))
            .or_else(|| p.get(section))
    });
    let url = match pattern.and_then(Value::as_str) {
        Some(pattern) => {
            let title_slug = slug::slugify(title);
            post::permalink(
                pattern,
                date,
                &[
                    (":slugorfilename", slug),
                    (":slugorcontentbasename", slug),
                    (":slug", slug),
                    (":filename", file_name),
                    (":contentbasename", file_name),
                    (":title", &title_slug),
                    (":sections", section_path),
                    (":section", section),
                ],
            )
        }
        None if section_path.is_empty() => format!("/{slug}/"),
        None => format!("/{section_path}/{slug}/"),
    };
    post::collapse_slashes(&url.to_lowercase().replace(' ', "-"))
}
