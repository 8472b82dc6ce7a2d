//! A Jekyll or Eleventy site -> posts: `_posts/YYYY-MM-DD-slug.md` (and
//! `_drafts/`), or Eleventy's `posts/` folders; dates from file names,
//! `permalink` (the post's or `_config.yml`'s), tags, categories, and
//! authors resolved through `_data/authors.yml`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::Archive;
use super::post::{self, Post, Problem};
use super::shortcodes::Dialect;

/// Folders of posts: Jekyll's, then Eleventy's usual ones.
const POST_DIRS: &[(&str, bool)] = &[
    ("_posts", false),
    ("_drafts", true),
    ("content/posts", false),
    ("src/posts", false),
    ("posts", false),
];

/// Asset folders copied to `static/` as they are.
const ASSET_DIRS: &[&str] = &["assets", "images", "img", "uploads", "media", "files"];

/// Reads every post of the site.
pub(crate) fn read(source: &Path) -> Result<Archive, Problem> {
    let dirs: Vec<(PathBuf, bool)> = POST_DIRS
        .iter()
        .map(|(d, draft)| (source.join(d), *draft))
        .filter(|(d, _)| d.is_dir())
        .collect();
    if dirs.is_empty() {
        return Err(Problem::new(
            source,
            0,
            "this is not a Jekyll or Eleventy site: it has no `_posts/` (or `posts/`) folder",
        )
        .hint("pass the site's folder, the one holding _config.yml and _posts/"));
    }
    let config = post::config_file(source, &["_config.yml", "_config.yaml"]).unwrap_or_default();
    let authors = post::config_file(
        source,
        &[
            "_data/authors.yml",
            "_data/authors.yaml",
            "_data/authors.json",
            "data/authors.yml",
            "data/authors.json",
        ],
    )
    .unwrap_or_default();
    let mut archive = Archive {
        title: post::text(&config, "title"),
        old_base: post::text(&config, "url")
            .map(|u| format!("{u}{}", post::text(&config, "baseurl").unwrap_or_default())),
        ..Archive::default()
    };
    let eleventy = !source.join("_posts").is_dir();
    for (dir, drafts) in dirs {
        let files = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok);
        for entry in files.filter(|e| e.file_type().is_file()) {
            let file = entry.path();
            let ext = file
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if !["md", "markdown", "html"].contains(&ext.as_str()) {
                continue;
            }
            let rel = file.strip_prefix(source).unwrap_or(file).to_path_buf();
            let site = Site {
                config: &config,
                authors: &authors,
                eleventy,
            };
            match read_post(file, &rel, &site, drafts) {
                Ok(p) => archive.posts.push(p),
                Err(problem) => archive.problems.push(problem),
            }
        }
    }
    for d in ASSET_DIRS {
        if source.join(d).is_dir() {
            archive
                .static_dirs
                .push((source.join(d), Path::new("static").join(d)));
        }
    }
    Ok(archive)
}

struct Site<'a> {
    config: &'a Map<String, Value>,
    authors: &'a Map<String, Value>,
    eleventy: bool,
}

/// `2019-05-20-some-title` -> (`2019-05-20`, `some-title`).
fn dated_name(stem: &str) -> (Option<&str>, &str) {
    let looks_dated = stem.len() > 11
        && stem.as_bytes()[10] == b'-'
        && stem[..10].bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if looks_dated {
        (Some(&stem[..10]), &stem[11..])
    } else {
        (None, stem)
    }
}

fn read_post(file: &Path, rel: &Path, site: &Site<'_>, draft_dir: bool) -> Result<Post, Problem> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Problem::new(rel, 0, format!("cannot read: {e}")))?;
    let parsed = post::front_matter(&text).map_err(|(line, why)| {
        Problem::new(rel, line, why)
            .hint("the post was not imported; fix its front matter and re-run")
    })?;
    let fm = &parsed.fields;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (file_date, name) = dated_name(&stem);
    let Some(date) = post::text(fm, "date").or_else(|| file_date.map(String::from)) else {
        return Err(Problem::new(
            rel,
            1,
            "the post has no date (neither `date:` nor a `YYYY-MM-DD-` file name)",
        )
        .hint("add `date: 2019-05-20` to its front matter and re-run"));
    };
    let slug = post::text(fm, "slug").unwrap_or_else(|| name.to_string());
    let mut categories = post::list(fm, "categories", true);
    categories.extend(post::list(fm, "category", true));
    let mut tags = post::list(fm, "tags", true);
    tags.extend(post::list(fm, "tag", true));
    let url_written = fm.contains_key("permalink");
    let url = match post::text(fm, "permalink") {
        Some(p) => post::url_path(&p),
        None => old_url(site, &categories, &slug, &date, rel),
    };
    let mut aliases = vec![url];
    for a in post::list(fm, "redirect_from", false) {
        aliases.push(post::url_path(&a));
    }
    let mut authors: Vec<String> = post::list(fm, "author", false);
    authors.extend(post::list(fm, "authors", false));
    let authors = authors
        .iter()
        .map(|a| author_name(site.authors, a))
        .collect();
    let html = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html"));
    let body = if html {
        htmd::convert(parsed.body).map_err(|e| {
            Problem::new(
                rel,
                parsed.body_line,
                format!("the HTML body does not convert: {e}"),
            )
        })?
    } else {
        parsed.body.to_string()
    };
    let published = fm.get("published").and_then(Value::as_bool).unwrap_or(true);
    Ok(Post {
        origin: rel.to_path_buf(),
        line: parsed.body_line,
        title: post::text(fm, "title").unwrap_or_else(|| name.replace('-', " ")),
        updated: ["last_modified_at", "updated", "modified"]
            .iter()
            .find_map(|k| post::text(fm, k)),
        date_line: post::key_line(&text, &["date"]),
        date,
        slug,
        aliases,
        url_written,
        summary: ["excerpt", "description", "summary"]
            .iter()
            .find_map(|k| post::text(fm, k)),
        authors,
        categories,
        tags,
        draft: draft_dir || !published || post::flag(fm, "draft"),
        body,
        dialect: Dialect::Jekyll,
        refs: vec![stem.clone(), rel.to_string_lossy().replace('\\', "/")],
        ..Post::default()
    })
}

/// An author key of `_data/authors.yml` -> its `name` (or the key itself).
fn author_name(authors: &Map<String, Value>, key: &str) -> String {
    match authors.get(key) {
        Some(Value::Object(a)) => post::text(a, "name")
            .or_else(|| post::text(a, "display_name"))
            .unwrap_or_else(|| key.to_string()),
        Some(Value::String(name)) => name.clone(),
        _ => key.to_string(),
    }
}

/// The post's URL on the old site, from `_config.yml`'s `permalink` (Jekyll's
/// default is `date`), or Eleventy's default `/folder/slug/`.
fn old_url(site: &Site<'_>, categories: &[String], slug: &str, date: &str, rel: &Path) -> String {
    if site.eleventy {
        let folder = rel
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let folder = folder
            .trim_start_matches("content/")
            .trim_start_matches("src/");
        return format!("/{folder}/{slug}/");
    }
    let configured = post::text(site.config, "permalink").unwrap_or_else(|| "date".into());
    let pattern = match configured.as_str() {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    };
    let cats: Vec<String> = categories
        .iter()
        .map(|c| c.to_lowercase().replace(' ', "-"))
        .collect();
    let cats = cats.join("/");
    post::permalink(
        pattern,
        date,
        &[
            (":categories", &cats),
            (":title", slug),
            (":slug", slug),
            (":output_ext", ".html"),
        ],
    )
}
