//! `check`: build the site in memory and report what a reader would trip
//! over, without writing anything.
//!
//! Errors: everything `build` rejects, and internal links (in briefs or
//! templates) that point to no page or no anchor. Warnings: sources without
//! a URL, briefs without countries, actor spellings that look like one actor.
//! With `external`, links to other sites are fetched (cached between runs).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::content::source;
use crate::diagnostic::{self, Diagnostic, line_col};
use crate::render::OutputFile;
use crate::{BuildOptions, Loaded, index};

/// Where `--external` keeps its results, under the site root.
pub const CACHE_FILE: &str = ".briefly-cache/external-links.json";

/// A good external link is not fetched again for this long.
const CACHE_FOR: Duration = Duration::from_secs(7 * 24 * 3600);

/// Links fetched at once, and how long one may take.
const CONCURRENT_FETCHES: usize = 8;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs every check; the result holds errors and warnings, sorted.
pub fn run(options: &BuildOptions, external: bool) -> Vec<Diagnostic> {
    let loaded = match crate::load(options) {
        Ok(l) => l,
        Err(errors) => return errors,
    };
    let files = match crate::render_in_memory(&loaded) {
        Ok((files, _)) => files,
        Err(errors) => return errors,
    };
    let index = index::build(&loaded.briefs, &loaded.actors, loaded.config.related_briefs);
    let mut found = content_warnings(&loaded, &index);
    let links = Links::new(&loaded, &files);
    found.extend(links.internal_errors(options, &loaded));
    if external {
        found.extend(external_links(&options.root, &links.external));
    }
    diagnostic::sort(&mut found);
    found
}

/// Warnings about content that builds but is probably not what the author meant.
fn content_warnings(loaded: &Loaded, index: &index::Index) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for b in &loaded.briefs {
        if b.countries.is_empty() {
            found.push(
                Diagnostic::file_error(
                    &b.path,
                    "the brief names no country, so no country page lists it",
                )
                .with_hint("add `countries: [...]` to the front matter")
                .warning(),
            );
        }
        for s in &b.sources {
            if s.url.is_none() {
                found.push(
                    Diagnostic::error(&b.path, s.at.0, s.at.1, format!("source `{}` has no URL", s.title))
                        .with_hint("add `url:` so readers can check it (the published page, an archive copy, a DOI link)")
                        .warning(),
                );
            }
        }
    }
    found.extend(similar_actors(loaded, index));
    found
}

/// Pairs of actor names that differ by a letter or two ("Hasan Rouhani" and
/// "Hassan Rouhani"): probably one actor that needs an alias.
fn similar_actors(loaded: &Loaded, index: &index::Index) -> Vec<Diagnostic> {
    let names: Vec<(&String, String)> = index
        .actors
        .iter()
        .map(|(key, term)| (key, term.name.to_lowercase()))
        .collect();
    let mut found = Vec::new();
    for (i, (key_a, a)) in names.iter().enumerate() {
        for (key_b, b) in &names[i + 1..] {
            let long_enough = a.chars().count() >= 6 && b.chars().count() >= 6;
            if !long_enough || a.chars().next() != b.chars().next() {
                continue;
            }
            let distance = strsim::levenshtein(a, b);
            if distance == 0 || distance > 2 || strsim::jaro_winkler(a, b) < 0.93 {
                continue;
            }
            // Warn where the spelling that is not in the registry is used.
            let registered = |k: &str| loaded.actors.entries.contains_key(k);
            let (keep, odd) = if registered(key_b) && !registered(key_a) {
                (*key_b, *key_a)
            } else {
                (*key_a, *key_b)
            };
            let (Some((path, at, _)), Some(kept)) =
                (first_mention(loaded, odd), index.actors.get(keep))
            else {
                continue;
            };
            let odd_name = &index.actors[odd].name;
            found.push(
                Diagnostic::error(path, at.0, at.1, format!("actor `{odd_name}` looks like `{}`", kept.name))
                    .with_hint(format!(
                        "if they are one actor, list `{odd_name}` under `aliases:` in content/actors/{keep}.md"
                    ))
                    .warning(),
            );
        }
    }
    found
}

/// Where an actor is first named, and how.
fn first_mention<'a>(loaded: &'a Loaded, key: &str) -> Option<(&'a Path, (usize, usize), &'a str)> {
    loaded.briefs.iter().find_map(|b| {
        b.actors
            .iter()
            .find(|a| a.key == key)
            .map(|a| (b.path.as_path(), a.at, a.written.as_str()))
    })
}

/// The links of every rendered HTML page and the anchors they can point to.
struct Links {
    /// Output path -> ids defined on the page.
    anchors: HashMap<PathBuf, HashSet<String>>,
    /// Every output path that exists (pages and static files).
    exists: HashSet<PathBuf>,
    /// (page, href) of every internal link.
    internal: Vec<(PathBuf, String)>,
    /// External URL -> the pages linking it.
    external: BTreeMap<String, Vec<PathBuf>>,
    base_url: String,
    base_path: String,
}

impl Links {
    fn new(loaded: &Loaded, files: &[OutputFile]) -> Links {
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
    fn internal_errors(&self, options: &BuildOptions, loaded: &Loaded) -> Vec<Diagnostic> {
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

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One external link's last result.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Checked {
    /// HTTP status, or 0 when no answer came.
    status: u16,
    /// Why there was no answer.
    error: Option<String>,
    /// Seconds since the epoch.
    checked: u64,
}

impl Checked {
    fn ok(&self) -> bool {
        (200..400).contains(&self.status)
    }
}

/// Fetches external links (a few at a time, with a timeout), caching the
/// answers in [`CACHE_FILE`]; good answers are reused for a week.
fn external_links(root: &Path, links: &BTreeMap<String, Vec<PathBuf>>) -> Vec<Diagnostic> {
    let cache_path = root.join(CACHE_FILE);
    let mut cache: BTreeMap<String, Checked> = std::fs::read_to_string(&cache_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let stale = |c: &Checked| !c.ok() || now.saturating_sub(c.checked) > CACHE_FOR.as_secs();
    let to_fetch: Vec<&String> = links
        .keys()
        .filter(|u| cache.get(*u).is_none_or(stale))
        .collect();
    let fetched = fetch_all(&to_fetch, now);
    cache.extend(fetched);
    if let Some(dir) = cache_path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(json) = serde_json::to_string_pretty(&cache) {
        let _ = std::fs::write(&cache_path, json);
    }
    let mut found = Vec::new();
    for (url, pages) in links {
        let Some(result) = cache.get(url) else {
            continue;
        };
        if result.ok() {
            continue;
        }
        let why = match (&result.error, result.status) {
            (Some(e), _) => format!("could not be fetched ({e})"),
            (None, s) => format!("answers HTTP {s}"),
        };
        let gone = matches!(result.status, 404 | 410);
        let d = Diagnostic::error(
            format!("output/{}", pages[0].display()),
            0,
            0,
            format!("external link {url} {why}"),
        )
        .with_hint(format!(
            "linked from {} page(s); replace it with a working or archived copy",
            pages.len()
        ));
        found.push(if gone { d } else { d.warning() });
    }
    found
}

fn fetch_all(urls: &[&String], now: u64) -> BTreeMap<String, Checked> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(FETCH_TIMEOUT))
        .user_agent("briefly-link-check")
        .build()
        .into();
    let queue = Mutex::new(
        urls.iter()
            .copied()
            .collect::<BTreeSet<&String>>()
            .into_iter()
            .collect::<Vec<_>>(),
    );
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENT_FETCHES.min(urls.len()) {
            scope.spawn(|| {
                while let Some(url) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    let checked = match agent.get(url.as_str()).call() {
                        Ok(response) => Checked {
                            status: response.status().as_u16(),
                            error: None,
                            checked: now,
                        },
                        Err(e) => Checked {
                            status: 0,
                            error: Some(e.to_string()),
                            checked: now,
                        },
                    };
                    if let Ok(mut r) = results.lock() {
                        r.insert(url.clone(), checked);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
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
