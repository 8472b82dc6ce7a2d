//! The default theme, compiled into the binary.
//!
//! A site needs no `themes/` folder: its pages use these templates, static
//! files and world map. A theme folder (`themes/<name>/`) and the site's own
//! `templates/` and `static/` folders replace single files of it, so a theme
//! holds only the files it changes. [`super::source`] does the layering; this
//! module only hands out the embedded files and never touches the disk.

use include_dir::{Dir, include_dir};

/// The theme a site gets when `site.yaml` names none.
pub(crate) const DEFAULT_NAME: &str = "default";

/// How messages name a built-in file: a path that cannot be mistaken for
/// one in the site folder.
pub(crate) const DISPLAY_PREFIX: &str = "(built-in theme)";

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// One file of the built-in theme.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BuiltinFile {
    /// Path inside the theme, with `/` separators (`templates/base.html`).
    pub path: &'static str,
    /// The contents.
    pub bytes: &'static [u8],
}

/// Every file of the built-in theme, sorted by path.
pub(crate) fn files() -> Vec<BuiltinFile> {
    let mut files = Vec::new();
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        for f in dir.files() {
            if let Some(path) = f.path().to_str() {
                files.push(BuiltinFile {
                    path,
                    bytes: f.contents(),
                });
            }
        }
        stack.extend(dir.dirs());
    }
    files.sort_by_key(|f| f.path);
    files
}

/// The built-in files under `folder/` (`templates` or `static`), with
/// their path below it.
pub(crate) fn files_under(folder: &str) -> impl Iterator<Item = (&'static str, &'static [u8])> {
    let prefix = format!("{folder}/");
    files()
        .into_iter()
        .filter_map(move |f| f.path.strip_prefix(&prefix).map(|rel| (rel, f.bytes)))
}

/// The built-in flag of the ISO country `code` (lowercase alpha-2), from flag-icons.
/// Looked up in a table made once: pages ask for flags many times, and
/// `include_dir` searches its folder entries one by one.
pub(crate) fn flag(code: &str) -> Option<&'static [u8]> {
    static FLAGS: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static [u8]>> =
        std::sync::OnceLock::new();
    let flags = FLAGS.get_or_init(|| {
        (DEFAULT_THEME.get_dir("flags").into_iter())
            .flat_map(|dir| dir.files())
            .filter_map(|f| {
                let name = f.path().file_name()?.to_str()?;
                Some((name.strip_suffix(".svg")?, f.contents()))
            })
            .collect()
    });
    flags.get(code).copied()
}

/// The built-in `world.svg`.
pub(crate) fn world_map() -> Option<&'static str> {
    DEFAULT_THEME
        .get_file("world.svg")
        .and_then(|f| f.contents_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_templates_static_files_and_map() {
        let templates: Vec<_> = files_under("templates").map(|(p, _)| p).collect();
        assert!(templates.contains(&"base.html"));
        assert!(templates.contains(&"partials/brief_card.html"));
        assert!(files_under("static").any(|(p, _)| p == "style.css"));
        assert!(world_map().is_some_and(|svg| svg.contains("<svg")));
        assert!(flag("ir").is_some_and(|svg| svg.starts_with(b"<svg")));
        assert!(flag("zz").is_none());
    }
}
