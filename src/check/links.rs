//! Internal links of `check`: every `href` and `src` of the rendered pages,
//! resolved against the site's pages, static files and anchors.
//!
//! Works on rendered bytes in memory; reads a brief's source only to point an
//! error at the line that has the link. Fetches nothing (see [`super::external`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::content::source;
use crate::diagnostic::{Diagnostic, line_col};
use crate::render::OutputFile;
use crate::{BuildOptions, Loaded};

/// The links of every rendered HTML page and the anchors they can point to.
pub(super) struct Links {
    /// Output path -> ids defined on the page.
    anchors: HashMap<PathBuf, HashSet<String>>,
    /// Every output path that exists (pages and static files).
    exists: HashSet<PathBuf>,
    /// (page, href) of every internal link.
    internal: Vec<(PathBuf, String)>,
    /// External URL -> the pages linking it.
    pub(super) external: BTreeMap<String, Vec<PathBuf>>,
    base_url: String,
    base_path: String,
}

impl Links {
    pub(super) fn new(loaded: &Loaded, files: &[OutputFile]) -> Links {
        let mut links = Links {
            anchors: HashMap::new(),
            exists: files.iter().map(|f| f.path.clone()).collect(),
            internal: Vec::new(),
            external: BTreeMap::new(),
            base_url: loaded.config.base_url.clone(),
            base_path: loaded.config.base_path.clone(),
        };
        links
            .exists
            .extend(loaded.static_files.iter().map(|s| s.output_path.clone()));
        for f in files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
        {
            let html = String::from_utf8_lossy(&f.bytes);
            links.anchors.insert(
                f.path.clone(),
                attribute_values(&html, "id")
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            );
            for href in attribute_values(&html, "href")
                .into_iter()
                .chain(attribute_values(&html, "src"))
            {
                let href = unescape(href);
                if href.starts_with("mailto:")
                    || href.starts_with("tel:")
                    || href.starts_with("data:")
                {
                    continue;
                }
                let is_web = href.starts_with("http://") || href.starts_with("https://");
                if is_web && !href.starts_with(&links.base_url) {
                    links.external.entry(href).or_default().push(f.path.clone());
                } else {
                    links.internal.push((f.path.clone(), href));
                }
            }
        }
        links
    }

    /// Broken internal links, reported where they are written: in the brief
    /// when its text has the link, otherwise once for all pages a template
    /// puts it on.
    pub(super) fn internal_errors(
        &self,
        options: &BuildOptions,
        loaded: &Loaded,
    ) -> Vec<Diagnostic> {
        let brief_by_page: HashMap<PathBuf, &crate::content::model::Brief> = loaded
            .briefs
            .iter()
            .map(|b| (PathBuf::from(format!("briefs/{}/index.html", b.slug)), b))
            .collect();
        let mut from_templates: BTreeMap<(String, String), Vec<&PathBuf>> = BTreeMap::new();
        let mut found = Vec::new();
        let mut texts: HashMap<&Path, Option<String>> = HashMap::new();
        for (page, href) in &self.internal {
            let Some(problem) = self.problem(page, href) else {
                continue;
            };
            let in_brief = brief_by_page.get(page).and_then(|b| {
                let text = texts.entry(b.path.as_path()).or_insert_with(|| {
                    source::read_text(&options.root, &b.path)
                        .ok()
                        .map(|f| f.text)
                });
                let text = text.as_deref()?;
                let offset = text
                    .find(&format!("({href}"))
                    .map(|i| i + 1)
                    .or_else(|| text.find(href.as_str()))?;
                Some((b, line_col(text, offset)))
            });
            match in_brief {
                Some((b, (line, column))) => found.push(
                    Diagnostic::error(&b.path, line, column, format!("link `{href}` {problem}"))
                        .with_hint("fix the link; pages are at /briefs/<slug>/, /countries/<slug>/, /actors/<slug>/ and /authors/<slug>/"),
                ),
                None => from_templates.entry((href.clone(), problem)).or_default().push(page),
            }
        }
        for ((href, problem), pages) in from_templates {
            let example = pages[0].display();
            found.push(
                Diagnostic::error(format!("output/{example}"), 0, 0, format!("link `{href}` {problem}"))
                    .with_hint(format!(
                        "the link comes from a template (it is on {} page{}); fix it in the theme or in templates/",
                        pages.len(),
                        if pages.len() == 1 { "" } else { "s" }
                    )),
            );
        }
        found
    }

    /// Why an internal link is broken, if it is.
    fn problem(&self, page: &Path, href: &str) -> Option<String> {
        let (path, fragment) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (href, None),
        };
        let path = path.split('?').next().unwrap_or_default();
        let target = if path.is_empty() {
            page.to_path_buf()
        } else {
            let Some(resolved) = self.resolve(page, path) else {
                return Some(format!(
                    "leaves the site (it is not under {})",
                    self.base_path
                ));
            };
            match self.existing(&resolved) {
                Some(t) => t,
                None => return Some("points to no page".into()),
            }
        };
        match fragment {
            Some(f) if !f.is_empty() && target.extension().is_some_and(|e| e == "html") => {
                let has = self
                    .anchors
                    .get(&target)
                    .is_some_and(|ids| ids.contains(&percent_decode(f)));
                (!has).then(|| format!("points to no anchor `#{f}` on {}", url_of(&target)))
            }
            _ => None,
        }
    }

    /// The output path a link points to, relative to the output root.
    fn resolve(&self, page: &Path, path: &str) -> Option<String> {
        let absolute = if let Some(rest) = path.strip_prefix(&self.base_url) {
            format!("{}{rest}", self.base_path)
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            let dir = page
                .parent()
                .map(|d| d.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let dir = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            format!("{}{dir}{path}", self.base_path)
        };
        let rel = absolute.strip_prefix(&self.base_path)?;
        let mut parts: Vec<&str> = Vec::new();
        for part in rel.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                p => parts.push(p),
            }
        }
        let mut joined = parts.join("/");
        if rel.ends_with('/') && !joined.is_empty() {
            joined.push('/');
        }
        Some(percent_decode(&joined))
    }

    /// The file a resolved link serves: itself, or the folder's index.html.
    fn existing(&self, rel: &str) -> Option<PathBuf> {
        let index = PathBuf::from(format!(
            "{}index.html",
            if rel.is_empty() || rel.ends_with('/') {
                rel.to_string()
            } else {
                format!("{rel}/")
            }
        ));
        let direct = PathBuf::from(rel);
        if !rel.is_empty() && !rel.ends_with('/') && self.exists.contains(&direct) {
            return Some(direct);
        }
        self.exists.contains(&index).then_some(index)
    }
}

fn url_of(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    format!("/{}", s.trim_end_matches("index.html"))
}

/// Values of `attr="..."` in HTML written by our templates and pulldown-cmark
/// (which always quote attributes with double quotes).
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn unescape(value: &str) -> String {
    value
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Decodes `%XX` escapes; bytes that are not UTF-8 become U+FFFD (such a
/// link names no page, and is reported as such).
fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pages: &[&str]) -> Links {
        Links {
            anchors: HashMap::from([(
                PathBuf::from("briefs/a/index.html"),
                HashSet::from(["comment".to_string()]),
            )]),
            exists: pages.iter().map(PathBuf::from).collect(),
            internal: Vec::new(),
            external: BTreeMap::new(),
            base_url: "https://example.org/sub/".into(),
            base_path: "/sub/".into(),
        }
    }

    #[test]
    fn resolves_relative_root_and_absolute_links() {
        let l = links(&["briefs/a/index.html", "briefs/b/index.html", "style.css"]);
        let page = Path::new("briefs/a/index.html");
        assert_eq!(l.problem(page, "../b/"), None);
        assert_eq!(l.problem(page, "/sub/briefs/b/"), None);
        assert_eq!(l.problem(page, "https://example.org/sub/style.css"), None);
        assert_eq!(l.problem(page, "#comment"), None);
        assert_eq!(l.problem(page, "../a/#comment"), None);
        assert!(
            l.problem(page, "../c/")
                .is_some_and(|p| p.contains("no page"))
        );
        assert!(
            l.problem(page, "#nowhere")
                .is_some_and(|p| p.contains("no anchor"))
        );
        assert!(
            l.problem(page, "/elsewhere/")
                .is_some_and(|p| p.contains("leaves the site"))
        );
        assert!(l.problem(page, "../../../x").is_some());
    }
}
