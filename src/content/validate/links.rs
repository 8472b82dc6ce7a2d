//! Links and images in a brief body: what each destination becomes.
//!
//! - Root-relative links and images (`/some/page/`) get the site's base
//!   path, so a site under a sub-path works (once: not when already there).
//! - Links to a brief's source file (`other.md`, `../2019/x.md`,
//!   `@/briefs/x.md`) become that brief's URL. The body pass leaves a
//!   placeholder and [`resolve`] fills it in once every brief is known (so
//!   briefs validate in parallel, and `serve` re-resolves only what changed).
//! - Local images must exist; they get their size. Images beside a brief
//!   folder's `index.md` are published next to its page.
//! - Raw HTML and `javascript:` URLs follow the site's raw HTML policy.
//!
//! The disk is read through `content::source` only.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::content::html::{Sanitizer, dangerous_scheme};
use crate::content::markdown::{Image, Rewrite};
use crate::content::model::{Brief, BriefLink};
use crate::content::source::{self, StaticFile};
use crate::diagnostic::{Diagnostic, did_you_mean, line_col};

/// The scheme of a brief-link placeholder in a body's HTML, until [`resolve`].
const LINK_SCHEME: &str = "briefly-brief:";

/// What the body pass needs to know about the site's files.
pub(crate) struct SiteFiles {
    /// The site folder, to look at images beside briefs.
    pub(crate) root: PathBuf,
    /// Static files by name (`img/chart.png`), for root-relative images.
    statics: HashMap<String, StaticFile>,
}

impl SiteFiles {
    /// The site's files: `root` and its static files (later ones win).
    pub(crate) fn new(root: &Path, static_files: &[StaticFile]) -> SiteFiles {
        SiteFiles {
            root: root.to_path_buf(),
            statics: static_files
                .iter()
                .map(|s| (s.name.clone(), s.clone()))
                .collect(),
        }
    }
}

/// The [`Rewrite`] of one brief body; collects brief links and diagnostics.
pub(super) struct BodyRewrite<'a> {
    pub(super) path: &'a Path,
    pub(super) file_text: &'a str,
    pub(super) body_offset: usize,
    /// The brief's slug, when it is valid (bundle images need it).
    pub(super) slug: Option<&'a str>,
    pub(super) base_path: &'a str,
    pub(super) files: &'a SiteFiles,
    pub(super) sanitizer: &'a Sanitizer,
    pub(super) links: Vec<BriefLink>,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) warnings: Vec<Diagnostic>,
}

impl BodyRewrite<'_> {
    fn at(&self, offset: usize) -> (usize, usize) {
        line_col(self.file_text, self.body_offset + offset)
    }

    fn error(&mut self, at: &Range<usize>, message: String, hint: String) {
        let (line, column) = self.at(at.start);
        self.errors
            .push(Diagnostic::error(self.path, line, column, message).with_hint(hint));
    }

    fn warn(&mut self, offset: usize, message: String, hint: &str) {
        let (line, column) = self.at(offset);
        self.warnings.push(
            Diagnostic::error(self.path, line, column, message)
                .with_hint(hint)
                .warning(),
        );
    }

    /// `/x/` under the base path, unless it is there already.
    fn rooted(&self, dest: &str) -> Option<String> {
        let base = self.base_path;
        if base == "/" || !dest.starts_with('/') || dest.starts_with("//") {
            return None;
        }
        let already = dest.starts_with(base) || dest == base.trim_end_matches('/');
        (!already).then(|| format!("{base}{}", &dest[1..]))
    }

    /// A `javascript:`-like URL under the sanitising policy: reported, and
    /// replaced by `#`.
    fn refused_scheme(&mut self, dest: &str, at: &Range<usize>) -> bool {
        let Some(scheme) = dangerous_scheme(dest).filter(|_| !self.sanitizer.trusted()) else {
            return false;
        };
        self.warn(
            at.start,
            format!("`{scheme}:` URL removed"),
            "links and images may use http(s), mailto, or paths of the site; `raw_html: trusted` in site.yaml publishes such URLs",
        );
        true
    }

    /// A link to a brief's file: its target path, or `None` when `dest` is
    /// not one.
    fn brief_link(&mut self, dest: &str, at: &Range<usize>) -> Option<String> {
        let (path_part, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (dest, None),
        };
        let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
        let target = if let Some(rest) = decoded.strip_prefix("@/") {
            normalize(&Path::new("content").join(rest))
        } else {
            if has_scheme(&decoded) || decoded.starts_with('/') || !decoded.ends_with(".md") {
                return None;
            }
            normalize(&self.path.parent().unwrap_or(Path::new("")).join(&*decoded))
        };
        let (line, column) = self.at(at.start);
        self.links.push(BriefLink {
            target: target.unwrap_or_else(|| PathBuf::from(&*decoded)),
            anchor: anchor.filter(|a| !a.is_empty()),
            written: dest.to_string(),
            at: (line, column),
        });
        Some(format!("{LINK_SCHEME}{}", self.links.len() - 1))
    }

    /// A local image: its published URL and size, or an error.
    fn local_image(&mut self, dest: &str, at: &Range<usize>) -> Image {
        let decoded = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
        if let Some(rooted) = decoded.strip_prefix('/') {
            let name = rooted
                .strip_prefix(self.base_path.trim_start_matches('/'))
                .filter(|_| self.base_path != "/")
                .unwrap_or(rooted);
            return match self.files.statics.get(name) {
                Some(file) => Image {
                    src: self.rooted(dest),
                    size: source::static_image_size(file),
                },
                None => {
                    self.error(at, format!("image `{dest}` is not a file of the site"), format!("root-relative images are looked up in `static/` (`static/{name}`); an image of this brief can also sit beside it in a brief folder (`…/<name>/index.md`) and be written `![](file.png)`"));
                    Image::default()
                }
            };
        }
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let Some(rel) = normalize(&dir.join(&*decoded)) else {
            self.error(
                at,
                format!("image `{dest}` is outside the site"),
                "write the path relative to the brief's file".into(),
            );
            return Image::default();
        };
        let size = match source::image_size(&self.files.root.join(&rel)) {
            Ok(size) => size,
            Err(_) => {
                self.error(
                    at,
                    format!(
                        "image `{dest}` not found: there is no file `{}`",
                        rel.display()
                    ),
                    format!(
                        "the path is relative to the brief's folder `{}/`",
                        dir.display()
                    ),
                );
                return Image::default();
            }
        };
        let in_bundle = self.path.file_name().is_some_and(|n| n == "index.md");
        let Some(inside) = rel.strip_prefix(dir).ok().filter(|_| in_bundle) else {
            self.error(at, format!("image `{dest}` is not published: only files inside a brief folder are"), format!("make the brief a folder (`{}/index.md`) with the image inside it, or put the image in `static/` and write `/…`", dir.join(self.path.file_stem().unwrap_or_default()).display()));
            return Image::default();
        };
        let src = self.slug.map(|slug| {
            format!(
                "{}briefs/{slug}/{}",
                self.base_path,
                inside.to_string_lossy().replace('\\', "/")
            )
        });
        Image { src, size }
    }
}

impl Rewrite for BodyRewrite<'_> {
    fn link(&mut self, dest: &str, at: Range<usize>) -> Option<String> {
        if dest.starts_with(LINK_SCHEME) || self.refused_scheme(dest, &at) {
            return Some("#".into());
        }
        self.brief_link(dest, &at).or_else(|| self.rooted(dest))
    }

    fn image(&mut self, dest: &str, at: Range<usize>) -> Image {
        if self.refused_scheme(dest, &at) {
            return Image {
                src: Some(String::new()),
                size: None,
            };
        }
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return Image::default();
        }
        self.local_image(dest, &at)
    }

    fn raw_html(&mut self, html: &str, at: Range<usize>) -> Option<String> {
        if self.sanitizer.trusted() {
            return None;
        }
        let (clean, removed) = self.sanitizer.clean(html);
        for r in removed {
            let offset = (at.start + r.offset).min(at.end);
            self.warn(offset, format!("raw HTML: {} removed", r.what), "briefly removes scripts, event handlers, javascript: URLs and iframes from hosts not in `embed_hosts`; add the host to `embed_hosts` in site.yaml, or set `raw_html: trusted` if every author is trusted");
        }
        Some(clean)
    }
}

/// Whether a URL starts with a scheme (`https:`, `mailto:`).
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            url[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                && i > 0
        }
        None => false,
    }
}

/// `a/b/../c` as `a/c`; `None` when it climbs out of the site root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Every published brief's source path with its slug.
pub(crate) fn slugs(briefs: &[Brief]) -> HashMap<PathBuf, String> {
    briefs
        .iter()
        .map(|b| (b.path.clone(), b.slug.clone()))
        .collect()
}

/// Fills in the brief links of `brief`'s body from `slugs`; a link to no
/// brief is an error at its place, with the nearest brief file as a hint.
pub(crate) fn resolve(
    brief: &mut Brief,
    slugs: &HashMap<PathBuf, String>,
    base_path: &str,
) -> Result<(), Vec<Diagnostic>> {
    if brief.links.is_empty() {
        return Ok(());
    }
    let mut errors = Vec::new();
    let mut urls = Vec::with_capacity(brief.links.len());
    for link in &brief.links {
        match target_slug(link, slugs) {
            Some(slug) => {
                let mut url = format!("{base_path}briefs/{slug}/");
                if let Some(anchor) = &link.anchor {
                    url.push('#');
                    url.push_str(anchor);
                }
                urls.push(url);
            }
            None => {
                errors.push(missing_brief(&brief.path, link, slugs));
                urls.push(String::new());
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let filled = fill_placeholders(&brief.body_html.get().unwrap_or_default(), &urls);
    brief.body_html = crate::content::model::BodyHtml::new(filled);
    Ok(())
}

/// The errors of `links` (of a brief that failed) that point to no brief.
pub(super) fn missing_targets(
    path: &Path,
    links: &[BriefLink],
    slugs: &HashMap<PathBuf, String>,
) -> Vec<Diagnostic> {
    links
        .iter()
        .filter(|l| target_slug(l, slugs).is_none())
        .map(|l| missing_brief(path, l, slugs))
        .collect()
}

/// The slug of a link's target (`x.md`, or the brief folder `x/index.md`).
fn target_slug<'s>(link: &BriefLink, slugs: &'s HashMap<PathBuf, String>) -> Option<&'s String> {
    let bundle = link.target.with_extension("").join("index.md");
    slugs.get(&link.target).or_else(|| slugs.get(&bundle))
}

fn missing_brief(path: &Path, link: &BriefLink, slugs: &HashMap<PathBuf, String>) -> Diagnostic {
    let tail = |p: &Path| -> String {
        let parts: Vec<_> = p.components().rev().take(2).collect();
        parts
            .iter()
            .rev()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    let tails: Vec<(String, &PathBuf)> = slugs.keys().map(|p| (tail(p), p)).collect();
    let wanted = tail(&link.target);
    let guess = did_you_mean(&wanted, tails.iter().map(|(t, _)| t.as_str()))
        .and_then(|g| tails.iter().find(|(t, _)| t == g))
        .map(|(_, p)| p.strip_prefix("content").unwrap_or(p));
    let hint = match guess {
        Some(p) => format!("did you mean `{}`? (`@/{}` names it from `content/`)", p.display(), p.display()),
        None => "paths are relative to this brief's file, or to `content/` when they start with `@/` (e.g. `@/briefs/other.md`); a draft has no page until it is published".into(),
    };
    let (line, column) = link.at;
    Diagnostic::error(
        path,
        line,
        column,
        format!(
            "link `{}` points to no brief: there is no `{}`",
            link.written,
            link.target.display()
        ),
    )
    .with_hint(hint)
}

/// `html` with `href="briefly-brief:N"` replaced by `urls[N]`.
fn fill_placeholders(html: &str, urls: &[String]) -> String {
    let needle = format!("href=\"{LINK_SCHEME}");
    let mut out = String::with_capacity(html.len() + urls.len() * 16);
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let url = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| urls.get(n));
        out.push_str(&rest[..i + 6]);
        match url {
            Some(url) => {
                // Writing to a String cannot fail.
                let _ = pulldown_cmark_escape::escape_href(&mut out, url);
                rest = &after[digits..];
            }
            None => rest = &rest[i + 6..],
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_inside_the_root_only() {
        assert_eq!(
            normalize(Path::new("content/briefs/a/../b.md")),
            Some(PathBuf::from("content/briefs/b.md"))
        );
        assert_eq!(normalize(Path::new("../x")), None);
    }

    #[test]
    fn placeholders_are_filled_once() {
        let html = "<a href=\"briefly-brief:1\">b</a> <a href=\"briefly-brief:0\">a</a>";
        let urls = [
            "/briefs/briefs/a/".to_string(),
            "/briefs/briefs/b/#x y".to_string(),
        ];
        assert_eq!(
            fill_placeholders(html, &urls),
            "<a href=\"/briefs/briefs/b/#x%20y\">b</a> <a href=\"/briefs/briefs/a/\">a</a>"
        );
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x") && has_scheme("mailto:a@b"));
        assert!(!has_scheme("other.md") && !has_scheme("a/b:c.md") && !has_scheme(":x"));
    }
}
