//! Load: the only module that reads the site's files. It returns texts and
//! paths; nothing here interprets them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::content::theme;
use crate::diagnostic::{Diagnostic, line_col};

/// Largest Markdown or YAML file we read; anything bigger is a mistake.
pub(crate) const MAX_TEXT_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A text file of the site, read and checked to be UTF-8.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Path relative to the site root, used in every message.
    pub path: PathBuf,
    /// The contents.
    pub text: String,
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// The name templates ask for with `asset(path=...)`, relative to the static folder.
    pub name: String,
    /// Where it goes, relative to the output root: the name, with a content
    /// hash for stylesheets and scripts (`style.3f9a1c2e.css`) so a CDN can
    /// cache them forever and a new build never serves stale styles.
    pub output_path: PathBuf,
    /// Where it is (for a built-in file, the name messages show).
    pub source: PathBuf,
    /// The contents of a built-in theme file, which has no file on disk.
    pub builtin: Option<&'static [u8]>,
}

impl StaticFile {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self.builtin {
            Some(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            None => std::fs::read(&self.source).map(std::borrow::Cow::Owned),
        }
    }
}

/// Everything a build reads.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    /// `content/briefs/**/*.md`, relative to the root: read while validating,
    /// so a large archive is never held in memory as text all at once.
    pub briefs: Vec<PathBuf>,
    /// `content/actors/*.md`.
    pub actors: Vec<TextFile>,
    /// `content/authors/*.md`.
    pub authors: Vec<TextFile>,
    /// `content/countries/*.md`.
    pub countries: Vec<TextFile>,
    /// `content/sources/*.md`: the source publisher registry.
    pub publishers: Vec<TextFile>,
    /// Theme templates, then site overrides, named by their path under `templates/`.
    pub templates: Vec<(String, TextFile)>,
    /// Theme static files, then site static files (later entries win).
    pub static_files: Vec<StaticFile>,
    /// The theme's world map (`themes/<theme>/world.svg`), if any.
    pub world_map: Option<TextFile>,
    /// The PDF edition's template (`pdf/brief.typ`), if any layer has one.
    pub pdf_template: Option<TextFile>,
    /// Interface strings (`i18n/<code>.yaml`) by language code: built-in,
    /// then the theme folder's, then the site's (later files win, key by key).
    pub i18n: Vec<(String, TextFile)>,
    /// Files that could not be read.
    pub errors: Vec<Diagnostic>,
}

/// The site folders, relative to the site root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";

/// Reads `site.yaml` only (the theme name decides which templates to load).
pub(crate) fn load_config(root: &Path) -> Result<TextFile, Diagnostic> {
    read_text(root, Path::new(CONFIG_FILE)).map_err(|d| {
        if root.join(CONFIG_FILE).exists() {
            d
        } else {
            Diagnostic::error(CONFIG_FILE, 0, 0, format!("no site.yaml in `{}`", root.display()))
                .with_hint("run briefly from the site folder, pass --root DIR, or create a site with `briefly init DIR`")
        }
    })
}

/// Whether the site has a folder for the theme `name`.
pub(crate) fn has_theme_folder(root: &Path, name: &str) -> bool {
    root.join("themes").join(name).is_dir()
}

/// Reads the content, templates and static file list of the site at `root`.
pub(crate) fn load(root: &Path, theme: &str) -> Sources {
    let mut sources = Sources::default();
    let mut errors = Vec::new();

    sources.briefs = list_files(root, Path::new("content/briefs"), |p| {
        p.extension().is_some_and(|e| e == "md")
    });
    let (actors, e) = read_markdown_tree(root, Path::new("content/actors"));
    sources.actors = actors;
    errors.extend(e);
    let (authors, e) = read_markdown_tree(root, Path::new("content/authors"));
    sources.authors = authors;
    errors.extend(e);
    let (countries, e) = read_markdown_tree(root, Path::new("content/countries"));
    sources.countries = countries;
    errors.extend(e);
    let (publishers, e) = read_markdown_tree(root, Path::new("content/sources"));
    sources.publishers = publishers;
    errors.extend(e);

    // Built-in theme first, then the theme folder, then the site's own
    // folders: a later file of the same name replaces an earlier one.
    let theme_dir = Path::new("themes").join(theme);
    sources.templates = load_templates(root, &theme_dir, &mut errors);
    sources.static_files = load_static_files(root, &theme_dir, &mut errors);
    sources.world_map = load_world_map(root, &theme_dir, &mut errors);
    sources.pdf_template = load_pdf_template(root, &theme_dir, &mut errors);
    sources.i18n = load_i18n(root, &theme_dir, &mut errors);
    sources.errors = errors;
    sources
}

/// Templates by name: built-in, then the theme folder's, then the site's.
fn load_templates(
    root: &Path,
    theme_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, TextFile)> {
    let mut templates: Vec<(String, TextFile)> = theme::files_under("templates")
        .map(|(name, bytes)| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let path = Path::new(theme::DISPLAY_PREFIX)
                .join("templates")
                .join(name);
            (name.to_string(), TextFile { path, text })
        })
        .collect();
    for dir in [theme_dir.join("templates"), PathBuf::from("templates")] {
        let (files, e) = read_tree(root, &dir, |p| {
            p.extension()
                .is_some_and(|e| e == "html" || e == "xml" || e == "txt")
        });
        errors.extend(e);
        for file in files {
            let name = file
                .path
                .strip_prefix(&dir)
                .unwrap_or(&file.path)
                .to_string_lossy()
                .replace('\\', "/");
            templates.retain(|(n, _)| *n != name);
            templates.push((name, file));
        }
    }
    templates
}

/// Static files: built-in, then the theme folder's, then the site's.
fn load_static_files(
    root: &Path,
    theme_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<StaticFile> {
    let mut static_files: Vec<StaticFile> = theme::files_under("static")
        .map(|(name, bytes)| StaticFile {
            name: name.to_string(),
            output_path: fingerprinted(Path::new(name), bytes),
            source: Path::new(theme::DISPLAY_PREFIX).join("static").join(name),
            builtin: Some(bytes),
        })
        .collect();
    for dir in [theme_dir.join("static"), PathBuf::from("static")] {
        for path in list_files(root, &dir, |_| true) {
            let rel = path.strip_prefix(&dir).unwrap_or(&path).to_path_buf();
            let name = rel.to_string_lossy().replace('\\', "/");
            let source = root.join(&path);
            let output_path = match fingerprint(&source, &rel) {
                Ok(p) => p,
                Err(d) => {
                    errors.push(d.with_hint("check the file's permissions"));
                    rel
                }
            };
            static_files.retain(|s| s.name != name);
            static_files.push(StaticFile {
                name,
                output_path,
                source,
                builtin: None,
            });
        }
    }
    static_files
}

/// The theme folder's `world.svg`, or the built-in one.
fn load_world_map(root: &Path, theme_dir: &Path, errors: &mut Vec<Diagnostic>) -> Option<TextFile> {
    let map = theme_dir.join("world.svg");
    if !root.join(&map).is_file() {
        return theme::world_map().map(|svg| TextFile {
            path: Path::new(theme::DISPLAY_PREFIX).join("world.svg"),
            text: svg.to_string(),
        });
    }
    read_text(root, &map).map_err(|d| errors.push(d)).ok()
}

/// The PDF template: the site's `templates/pdf/brief.typ`, else the theme
/// folder's `pdf/brief.typ`, else the built-in one.
fn load_pdf_template(
    root: &Path,
    theme_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<TextFile> {
    const NAME: &str = "pdf/brief.typ";
    for candidate in [Path::new("templates").join(NAME), theme_dir.join(NAME)] {
        if root.join(&candidate).is_file() {
            return read_text(root, &candidate).map_err(|d| errors.push(d)).ok();
        }
    }
    theme::files()
        .into_iter()
        .find(|f| f.path == NAME)
        .map(|f| TextFile {
            path: Path::new(theme::DISPLAY_PREFIX).join(NAME),
            text: String::from_utf8_lossy(f.bytes).into_owned(),
        })
}

/// The i18n files of every layer, by language code, in layer order: the
/// built-in theme's, the theme folder's, the site's `i18n/`.
fn load_i18n(
    root: &Path,
    theme_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, TextFile)> {
    let mut files: Vec<(String, TextFile)> = theme::files_under("i18n")
        .filter_map(|(name, bytes)| {
            let code = crate::i18n::code_of(Path::new(name))?;
            let text = String::from_utf8_lossy(bytes).into_owned();
            let path = Path::new(theme::DISPLAY_PREFIX).join("i18n").join(name);
            Some((code, TextFile { path, text }))
        })
        .collect();
    for dir in [theme_dir.join("i18n"), PathBuf::from("i18n")] {
        let (found, e) = read_tree(root, &dir, |p| crate::i18n::code_of(p).is_some());
        errors.extend(e);
        files.extend(
            found
                .into_iter()
                .filter_map(|f| Some((crate::i18n::code_of(&f.path)?, f))),
        );
    }
    files
}

fn read_markdown_tree(root: &Path, dir: &Path) -> (Vec<TextFile>, Vec<Diagnostic>) {
    read_tree(root, dir, |p| p.extension().is_some_and(|e| e == "md"))
}

/// Reads every matching file under `root/dir` in parallel, sorted by path so
/// results never depend on directory order or thread scheduling.
fn read_tree(
    root: &Path,
    dir: &Path,
    wanted: impl Fn(&Path) -> bool,
) -> (Vec<TextFile>, Vec<Diagnostic>) {
    let paths = list_files(root, dir, wanted);
    let results: Vec<Result<TextFile, Diagnostic>> =
        paths.par_iter().map(|p| read_text(root, p)).collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    (files, errors)
}

/// Relative paths of the files under `root/dir`, sorted. Hidden files and
/// editor leftovers (`.swp`, `~`) are skipped: they are never content.
pub(crate) fn list_files(root: &Path, dir: &Path, wanted: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut paths: Vec<PathBuf> = WalkDir::new(&base)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .filter(|p| wanted(p))
        .collect();
    paths.sort();
    paths
}

/// The output path of a static file: stylesheets and scripts get a hash of
/// their content in the name; other files keep theirs (images and fonts
/// are referenced from CSS by name).
fn fingerprint(source: &Path, rel: &Path) -> Result<PathBuf, Diagnostic> {
    let hashed = rel.extension().is_some_and(|e| e == "css" || e == "js");
    if !hashed {
        return Ok(rel.to_path_buf());
    }
    let bytes = std::fs::read(source)
        .map_err(|e| Diagnostic::file_error(rel, format!("cannot read file: {e}")))?;
    Ok(fingerprinted(rel, &bytes))
}

/// `rel` with the hash of `bytes` in its name when it is a stylesheet or script.
fn fingerprinted(rel: &Path, bytes: &[u8]) -> PathBuf {
    let hashed = rel.extension().is_some_and(|e| e == "css" || e == "js");
    if !hashed {
        return rel.to_path_buf();
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let ext = rel
        .extension()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    rel.with_file_name(format!("{stem}.{:08x}.{ext}", fnv1a(bytes) as u32))
}

/// FNV-1a: a fixed, documented hash, so names never change between compiler versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Width and height of an image file: `Err` when it cannot be read,
/// `Ok(None)` when its format is not one we know. Only the header is read.
pub(crate) fn image_size(path: &Path) -> std::io::Result<Option<(u32, u32)>> {
    use std::io::Read;
    let is_svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if !is_svg {
        let file = std::fs::File::open(path)?;
        if !file.metadata()?.is_file() {
            return Err(std::io::Error::other("not a file"));
        }
        return Ok(imagesize::reader_size(std::io::BufReader::new(file))
            .ok()
            .map(|s| (s.width as u32, s.height as u32)));
    }
    // The root element's attributes are near the start of the file.
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)?
        .take(4096)
        .read_to_end(&mut head)?;
    Ok(crate::content::html::svg_size(&String::from_utf8_lossy(
        &head,
    )))
}

/// Width and height of a static file that is an image (see [`image_size`]);
/// `None` when it is not one, or is unreadable.
pub(crate) fn static_image_size(file: &StaticFile) -> Option<(u32, u32)> {
    match file.builtin {
        Some(bytes) if file.name.ends_with(".svg") => {
            crate::content::html::svg_size(&String::from_utf8_lossy(bytes))
        }
        Some(bytes) => imagesize::blob_size(bytes)
            .ok()
            .map(|s| (s.width as u32, s.height as u32)),
        None => image_size(&file.source).ok().flatten(),
    }
}

/// Files of brief folders (`content/briefs/<name>/index.md`): every other
/// file under a folder that holds an `index.md`, published next to its
/// brief's page. Markdown files are briefs, not bundle files.
pub(crate) fn bundle_files(root: &Path, briefs: &[PathBuf]) -> Vec<(PathBuf, Vec<PathBuf>)> {
    briefs
        .iter()
        .filter(|b| b.file_name().is_some_and(|n| n == "index.md"))
        .filter_map(|b| {
            let dir = b.parent()?;
            let files = list_files(root, dir, |p| p.extension().is_none_or(|e| e != "md"));
            Some((b.clone(), files))
        })
        .collect()
}

/// Names that editors and systems leave around and that are never site files.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".bck")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with('#')
}

/// Reads one file as UTF-8, naming the path and the position of a bad byte.
pub fn read_text(root: &Path, rel: &Path) -> Result<TextFile, Diagnostic> {
    use std::io::Read;
    let cannot_read =
        |e: std::io::Error| Diagnostic::error(rel, 0, 0, format!("cannot read file: {e}"));
    // One open, one size check on the open file, one read.
    let mut file = std::fs::File::open(root.join(rel)).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    let too_big = |size: u64| {
        Err(Diagnostic::file_error(
            rel,
            format!("file is {size} bytes; the limit is {MAX_TEXT_FILE_BYTES}"),
        )
        .with_hint("split it, or move large data out of the content folder"))
    };
    if size > MAX_TEXT_FILE_BYTES {
        return too_big(size);
    }
    // Exactly the size just checked: no extra read to find the end. A file
    // rewritten meanwhile is read again by the next build or save.
    let mut bytes = vec![0; size as usize];
    file.read_exact(&mut bytes).map_err(cannot_read)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(TextFile {
            path: rel.to_path_buf(),
            text,
        }),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = line_col(&prefix, prefix.len());
            Err(
                Diagnostic::error(rel, line, column, "file is not valid UTF-8")
                    .with_hint("save the file as UTF-8 in your editor"),
            )
        }
    }
}
