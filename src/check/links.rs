//! Internal links of `check`: every `href` and `src` of the rendered pages,
//! resolved against the site's pages, static files and anchors.
//!
//! Works on rendered bytes in memory; reads a brief's source only to point an
//! error at the line that has the link. Fetches nothing (see [`super::external`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use super::body::SourceLinks;
use super::html;
use crate::Loaded;
use crate::content::model::Brief;
use crate::content::{frontmatter, source};
use crate::diagnostic::{Diagnostic, line_col};
use crate::render::OutputFile;

/// Where a link is written: what an error about it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
    /// In a brief's Markdown (line 0 when the file cannot say where).
    Brief {
        /// The brief's source file.
        path: PathBuf,
        /// 1-based line and column.
        at: (usize, usize),
    },
    /// Put on a generated page by a template.
    Page {
        /// The page, relative to the output folder.
        page: PathBuf,
        /// 1-based line and column in the page.
        at: (usize, usize),
    },
}

impl Origin {
    /// A diagnostic at this place.
    pub(super) fn error(&self, message: String) -> Diagnostic {
        match self {
            Origin::Brief { path, at } => Diagnostic::error(path, at.0, at.1, message),
            Origin::Page { page, at } => {
                Diagnostic::error(format!("output/{}", page.display()), at.0, at.1, message)
            }
        }
    }

    /// Whether the link is in a brief, where its author can fix it.
    pub(super) fn in_brief(&self) -> bool {
        matches!(self, Origin::Brief { .. })
    }
}

/// One internal link.
struct Internal {
    /// The page it is on, which relative links resolve against.
    page: PathBuf,
    /// As written.
    href: String,
    /// As resolved (a protocol-relative link to this site made absolute).
    target: String,
    origin: Origin,
}

/// Why an internal link is broken, and how to fix it when that is known.
#[derive(Debug, PartialEq, Eq)]
struct Problem {
    message: String,
    hint: Option<String>,
}

/// The links of every rendered HTML page and the anchors they can point to.
pub(super) struct Links {
    /// Output path -> ids (and `<a name>`s) defined on the page.
    anchors: HashMap<PathBuf, HashSet<String>>,
    /// Every output path that exists (pages and static files).
    exists: HashSet<PathBuf>,
    internal: Vec<Internal>,
    /// External URL (protocol-relative ones made `https:`) -> where it is written.
    pub(super) external: BTreeMap<String, Vec<Origin>>,
    base_url: String,
    base_path: String,
}

/// What kind of target a link has.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Within this site: checked against the pages.
    Internal(String),
    /// Another site, as a URL that can be fetched.
    External(String),
    /// `mailto:`, `tel:`, `data:`, `javascript:`...: nothing to check.
    Other,
}

/// Sorts a link by its target. Protocol-relative `//host/x` links are on
/// another host (the page's scheme applies), unless the host is ours.
fn target(href: &str, base_url: &str) -> Target {
    let absolute = match href.strip_prefix("//") {
        Some(rest) => {
            let scheme = if base_url.starts_with("http://") {
                "http"
            } else {
                "https"
            };
            format!("{scheme}://{rest}")
        }
        None => href.to_string(),
    };
    let is_web = absolute.starts_with("http://") || absolute.starts_with("https://");
    if is_web && !absolute.starts_with(base_url) {
        return Target::External(absolute);
    }
    if is_web {
        return Target::Internal(absolute);
    }
    // Any other scheme (`mailto:`, `javascript:`, `ftp:`): a colon before the
    // first `/`, `?` or `#`, after a letter and scheme characters.
    let head = href.split(['/', '?', '#']).next().unwrap_or_default();
    let has_scheme = head.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if has_scheme {
        Target::Other
    } else {
        Target::Internal(absolute)
    }
}

impl Links {
    /// Reads every HTML page of `files`. Links in a brief's body are
    /// located in its Markdown (read from `root`), the others on the page.
    pub(super) fn new(root: &Path, loaded: &Loaded, files: &[OutputFile]) -> Links {
        let mut links = Links {
            anchors: HashMap::new(),
            exists: files.iter().map(|f| f.path.clone()).collect(),
            internal: Vec::new(),
            external: BTreeMap::new(),
            base_url: loaded.config.base_url.clone(),
            base_path: loaded.config.base_path.clone(),
        };
        // Static files and the files published beside folder briefs.
        let published = (loaded.static_files.iter())
            .chain(&loaded.bundle_files)
            .chain(&loaded.flag_files);
        links
            .exists
            .extend(published.map(|s| s.output_path.clone()));
        let brief_by_page: HashMap<PathBuf, &Brief> =
            loaded.briefs.iter().map(|b| (brief_page(b), b)).collect();
        for f in files
            .iter()
            .filter(|f| f.path.extension().is_some_and(|e| e == "html"))
        {
            let text = String::from_utf8_lossy(&f.bytes);
            let brief = brief_by_page.get(&f.path).copied();
            let body = brief.and_then(|b| body_range(&text, b));
            links.add_page(&f.path, &text, body.clone());
            if let (Some(b), Some(_)) = (brief, body) {
                links.add_brief_body(root, &f.path, b);
            }
        }
        links
    }

    /// The anchors of a page and the links its templates put on it (the
    /// brief body, `body`, is read from the brief instead).
    fn add_page(&mut self, page: &Path, text: &str, body: Option<Range<usize>>) {
        let scanned = html::scan(text);
        self.anchors
            .insert(page.to_path_buf(), scanned.anchors.into_iter().collect());
        for (at, href) in scanned.links {
            if body.as_ref().is_some_and(|r| r.contains(&at)) {
                continue;
            }
            let origin = Origin::Page {
                page: page.to_path_buf(),
                at: line_col(text, at),
            };
            self.add(page, href, origin);
        }
    }

    /// The links of a brief body, each at its own place in the Markdown.
    fn add_brief_body(&mut self, root: &Path, page: &Path, brief: &Brief) {
        let mut written = source::read_text(root, &brief.path).ok().and_then(|file| {
            let split = frontmatter::split(&brief.path, &file.text).ok()?;
            let links = SourceLinks::parse(split.body, split.body_offset);
            Some((file.text, links))
        });
        // `check` never lets go of bodies.
        let body = brief.body_html.get().unwrap_or_default();
        for (_, href) in html::scan(&body).links {
            let at = written
                .as_mut()
                .and_then(|(text, links)| Some(line_col(text, links.next(&href)?)))
                .unwrap_or((0, 0));
            let origin = Origin::Brief {
                path: brief.path.clone(),
                at,
            };
            self.add(page, href, origin);
        }
    }

    fn add(&mut self, page: &Path, href: String, origin: Origin) {
        match target(&href, &self.base_url) {
            Target::External(url) => self.external.entry(url).or_default().push(origin),
            Target::Internal(target) => self.internal.push(Internal {
                page: page.to_path_buf(),
                href,
                target,
                origin,
            }),
            Target::Other => {}
        }
    }

    /// Broken internal links, reported where they are written: in the brief
    /// when its text has the link, otherwise once for all pages a template
    /// puts it on.
    pub(super) fn internal_errors(&self) -> Vec<Diagnostic> {
        let mut from_templates: BTreeMap<(String, String), Vec<&Origin>> = BTreeMap::new();
        let mut found = Vec::new();
        for link in &self.internal {
            let Some(problem) = self.problem(&link.page, &link.target) else {
                continue;
            };
            if !link.origin.in_brief() {
                let key = (link.href.clone(), problem.message);
                from_templates.entry(key).or_default().push(&link.origin);
                continue;
            }
            let hint = problem.hint.unwrap_or_else(|| {
                "fix the link; pages are at /briefs/<slug>/, /countries/<slug>/, /actors/<slug>/ and /authors/<slug>/".into()
            });
            found.push(
                link.origin
                    .error(format!("link `{}` {}", link.href, problem.message))
                    .with_hint(hint),
            );
        }
        for ((href, message), origins) in from_templates {
            found.push(
                origins[0]
                    .error(format!("link `{href}` {message}"))
                    .with_hint(format!(
                        "the link comes from a template (it is on {} page{}); fix it in the theme or in templates/",
                        origins.len(),
                        if origins.len() == 1 { "" } else { "s" }
                    )),
            );
        }
        found
    }

    /// Why an internal link is broken, if it is.
    fn problem(&self, page: &Path, href: &str) -> Option<Problem> {
        let (path, fragment) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (href, None),
        };
        let path = path.split('?').next().unwrap_or_default();
        let target = if path.is_empty() {
            page.to_path_buf()
        } else {
            let Some(resolved) = self.resolve(page, path) else {
                return Some(Problem {
                    message: format!("leaves the site (it is not under {})", self.base_path),
                    hint: self.lacks_base_path(href),
                });
            };
            match self.existing(&resolved) {
                Some(t) => t,
                None => {
                    return Some(Problem {
                        message: "points to no page".into(),
                        hint: None,
                    });
                }
            }
        };
        match fragment {
            Some(f) if !f.is_empty() && target.extension().is_some_and(|e| e == "html") => {
                let has = self
                    .anchors
                    .get(&target)
                    .is_some_and(|ids| ids.contains(&percent_decode(f)));
                (!has).then(|| Problem {
                    message: format!("points to no anchor `#{f}` on {}", url_of(&target)),
                    hint: Some(
                        "anchors are heading ids, `id=\"...\"` and `<a name=\"...\">` on the target page".into(),
                    ),
                })
            }
            _ => None,
        }
    }

    /// For a site under a sub-path (`/briefs/`), a root-relative link that
    /// works once the base path is put in front: how to write it.
    fn lacks_base_path(&self, href: &str) -> Option<String> {
        let rest = href.strip_prefix('/').filter(|_| self.base_path != "/")?;
        let fixed = format!("{}{rest}", self.base_path);
        let (path, _) = fixed.split_once('#').unwrap_or((&fixed, ""));
        let resolved = self.resolve(Path::new(""), path.split('?').next().unwrap_or_default())?;
        self.existing(&resolved)?;
        Some(format!(
            "this link lacks the base path {}; write it as `{fixed}` (or as a relative link)",
            self.base_path
        ))
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

/// The output path of a brief's page.
fn brief_page(b: &Brief) -> PathBuf {
    PathBuf::from(format!("briefs/{}/index.html", b.slug))
}

/// Where the brief's body sits in its rendered page, if the page shows it
/// as rendered (a theme may leave it out).
fn body_range(page: &str, b: &Brief) -> Option<Range<usize>> {
    let body = b.body_html.get().filter(|body| !body.is_empty())?;
    let start = page.find(&*body)?;
    Some(start..start + body.len())
}

fn url_of(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    format!("/{}", s.trim_end_matches("index.html"))
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
                .is_some_and(|p| p.message.contains("no page"))
        );
        assert!(
            l.problem(page, "#nowhere")
                .is_some_and(|p| p.message.contains("no anchor"))
        );
        assert!(
            l.problem(page, "/elsewhere/")
                .is_some_and(|p| p.message.contains("leaves the site"))
        );
        assert!(l.problem(page, "../../../x").is_some());
    }

    #[test]
    fn a_root_relative_link_without_the_base_path_gets_the_fix() {
        let l = links(&["briefs/a/index.html", "briefs/b/index.html"]);
        let page = Path::new("briefs/a/index.html");
        let p = l.problem(page, "/briefs/b/#x").expect("broken");
        assert_eq!(
            p.hint.as_deref(),
            Some(
                "this link lacks the base path /sub/; write it as `/sub/briefs/b/#x` (or as a relative link)"
            )
        );
        let p = l.problem(page, "/briefs/zzz/").expect("broken");
        assert_eq!(p.hint, None, "no page there either");
    }

    #[test]
    fn targets() {
        let base = "https://example.org/sub/";
        assert_eq!(
            target("//cdn.example.com/x.js", base),
            Target::External("https://cdn.example.com/x.js".into())
        );
        assert_eq!(
            target("//example.org/sub/x/", base),
            Target::Internal("https://example.org/sub/x/".into())
        );
        assert_eq!(
            target("http://other.org/", base),
            Target::External("http://other.org/".into())
        );
        for other in [
            "mailto:a@b.org",
            "tel:+1",
            "data:image/png;base64,xx",
            "javascript:void(0)",
            "ftp://x/",
        ] {
            assert_eq!(target(other, base), Target::Other, "{other}");
        }
        for internal in ["../x/", "/x/", "#a", "x.html?a=b:c", "a/b:c"] {
            assert_eq!(
                target(internal, base),
                Target::Internal(internal.into()),
                "{internal}"
            );
        }
    }
}
