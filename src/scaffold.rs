//! `init`, `new` and `copy-theme`: create a site, a brief or an editable
//! copy of the built-in theme. These write the site's sources (never the
//! output folder) and never overwrite a file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::content::theme;

const SITE_YAML: &str = r#"title: "My policy briefs"
tagline: "Analysis and commentary"
description: "Short policy briefs."
base_url: "https://example.org/"
language: en
theme: default
home_briefs: 20
related_briefs: 4
default_disclaimer: standard
disclaimers:
  standard: >-
    This institute is independent and non-partisan. Its scholars' opinions are
    their own; donors have no say over its publications.
places: []
extra: {}
# timezone: Europe/Paris        # zone of dates written without one (default UTC)
# keep_keys: [weight, deck]     # front matter keys of another generator to keep in `extra`
# feed_content: full            # country/actor/author feeds with whole bodies (default: summaries)
"#;

/// Creates a new site in `dir` (which must be empty or absent).
pub fn init(dir: &Path, today: jiff::civil::Date) -> io::Result<Vec<PathBuf>> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "`{}` is not empty; init only writes into an empty or new folder",
                dir.display()
            ),
        ));
    }
    let mut written = Vec::new();
    let mut put = |rel: &Path, bytes: &[u8]| -> io::Result<()> {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, bytes)?;
        written.push(rel.to_path_buf());
        Ok(())
    };
    put(Path::new("site.yaml"), SITE_YAML.as_bytes())?;
    put(
        Path::new("content/briefs/welcome.md"),
        brief_skeleton("Welcome to your brief site", today, true).as_bytes(),
    )?;
    put(Path::new(".gitignore"), b"/output\n/.briefly-cache\n")?;
    Ok(written)
}

/// Copies the built-in theme into `root/themes/<name>/` for editing.
/// Refuses when that folder exists, so an edited theme is never replaced.
pub fn copy_theme(root: &Path, name: &str) -> io::Result<PathBuf> {
    if !root.join("site.yaml").is_file() {
        return Err(not_a_site(root));
    }
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !plain {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{name}` is not a usable theme name: use letters, digits, `-` and `_`"),
        ));
    }
    let rel = Path::new("themes").join(name);
    let dir = root.join(&rel);
    if dir.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "`{}` already exists; not overwriting it (remove it first, or pick another --name)",
                rel.display()
            ),
        ));
    }
    for file in theme::files() {
        let path = dir.join(file.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, file.bytes)?;
    }
    Ok(rel)
}

fn not_a_site(root: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!(
            "no site.yaml in `{}`: run this in a site folder, pass --root DIR, or create a site with `briefly init DIR`",
            root.display()
        ),
    )
}

/// Writes `content/briefs/<slug>.md` under `root` as a draft; never
/// overwrites, and refuses outside a site.
pub fn new_brief(root: &Path, title: &str, today: jiff::civil::Date) -> io::Result<PathBuf> {
    if !root.join("site.yaml").is_file() {
        return Err(not_a_site(root));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the title must contain letters or digits",
        ));
    }
    let rel = PathBuf::from(format!("content/briefs/{slug}.md"));
    let path = root.join(&rel);
    if let Some(p) = path.parent() {
        fs::create_dir_all(p)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    e.kind(),
                    format!("`{}` already exists; not overwriting it", rel.display()),
                )
            } else {
                e
            }
        })?;
    file.write_all(brief_skeleton(title, today, false).as_bytes())?;
    Ok(rel)
}

/// YAML needs quotes around titles with `:` or `"`; a JSON string is valid YAML.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn brief_skeleton(title: &str, today: jiff::civil::Date, sample: bool) -> String {
    let body = if sample {
        "This is your first brief. Edit it, or create another with `briefly new \"Title\"`.\n\n\
         Cite a source like this [@example]. Countries and actors listed above get their own index pages.\n"
    } else {
        "Write the brief here. Cite sources as [@example].\n"
    };
    format!(
        r#"---
title: {title}
date: {today}
summary: ""
authors: ["Your Name"]
countries: ["Iran"]
actors: []
sources:
  - id: example
    title: "Title of the source"
    publisher: "Publisher"
    url: "https://example.org/"
    kind: news
draft: {draft}
extra: {{}}
---
{body}"#,
        title = yaml_string(title),
        draft = !sample,
    )
}
