//! `languages:` of `site.yaml`: the languages a site publishes in besides
//! its default (`language:`), each with its name, direction and per-key
//! overrides of the site's title, tagline, description and disclaimers.
//!
//! Owns the list of site languages and which of them a brief's `lang`
//! belongs to; the URLs that follow from them are `render::routes`'.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::content::frontmatter::file_position;
use crate::content::lang::{self, Direction};
use crate::diagnostic::Diagnostic;

/// One entry of `languages:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    code: Spanned<String>,
    name: Option<String>,
    dir: Option<Spanned<String>>,
    title: Option<String>,
    tagline: Option<String>,
    description: Option<String>,
    #[serde(default)]
    disclaimers: BTreeMap<String, Spanned<String>>,
}

/// A language the site publishes in.
#[derive(Debug, Clone)]
pub struct SiteLanguage {
    /// BCP 47 tag in canonical case (`fr`, `fa-IR`); the folder of its pages.
    pub code: String,
    /// Its name in itself (`Français`, `فارسی`), for the language switcher.
    pub name: String,
    /// Writing direction of its pages.
    pub dir: Direction,
    /// Site title on its pages.
    pub title: String,
    /// Tagline on its pages.
    pub tagline: String,
    /// Meta description on its pages.
    pub description: String,
    /// The site's disclaimers with this language's texts in place of those
    /// it overrides.
    pub disclaimers: BTreeMap<String, String>,
    /// The folder of its pages under the base path: empty for the default
    /// (unless `default_language_in_path`) and on a single-language site,
    /// else `<code>/`.
    pub path: String,
}

/// What the default language inherits from the top level of `site.yaml`.
pub(super) struct SiteDefaults<'a> {
    pub(super) code: &'a str,
    pub(super) title: &'a str,
    pub(super) tagline: &'a str,
    pub(super) description: &'a str,
    pub(super) disclaimers: &'a BTreeMap<String, String>,
    pub(super) default_in_path: bool,
}

/// The site's languages, the default first. An entry of `languages:` with
/// the default's code configures the default (its name, direction,
/// overrides) rather than adding a language.
pub(super) fn resolve(
    path: &Path,
    site: &SiteDefaults<'_>,
    raw: Vec<RawLanguage>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<SiteLanguage> {
    let mut out = vec![SiteLanguage {
        code: site.code.to_string(),
        name: default_name(site.code),
        dir: lang::direction(site.code),
        title: site.title.to_string(),
        tagline: site.tagline.to_string(),
        description: site.description.to_string(),
        disclaimers: site.disclaimers.clone(),
        path: String::new(),
    }];
    let mut default_configured = false;
    for entry in raw {
        let at = file_position(0, &entry.code.referenced);
        let code = match lang::normalize(&entry.code.value) {
            Ok(code) => code,
            Err(bad) => {
                errors.push(Diagnostic::error(path, at.0, at.1, bad.message).with_hint(bad.hint));
                continue;
            }
        };
        let existing = out.iter().position(|l| l.code == code);
        if existing.is_some_and(|i| i > 0) || (existing == Some(0) && default_configured) {
            errors.push(
                Diagnostic::error(path, at.0, at.1, format!("`{code}` is listed twice"))
                    .with_hint("list each language once under `languages:`"),
            );
            continue;
        }
        let dir = entry.dir.as_ref().map_or(lang::direction(&code), |d| {
            direction_choice(path, d, &code, errors)
        });
        let disclaimers = overrides(path, site.disclaimers, entry.disclaimers, errors);
        let language = SiteLanguage {
            name: entry.name.unwrap_or_else(|| default_name(&code)),
            dir,
            title: entry.title.unwrap_or_else(|| site.title.to_string()),
            tagline: entry.tagline.unwrap_or_else(|| site.tagline.to_string()),
            description: entry
                .description
                .unwrap_or_else(|| site.description.to_string()),
            disclaimers,
            path: [code.as_str(), "/"].concat(),
            code,
        };
        if existing == Some(0) {
            default_configured = true;
            out[0] = language;
        } else {
            out.push(language);
        }
    }
    // The default's folder: only when asked for, and only on a
    // multilingual site (one language needs no folder).
    if out.len() > 1 && site.default_in_path {
        out[0].path = [out[0].code.as_str(), "/"].concat();
    }
    out
}

impl super::Config {
    /// True when `languages:` adds a language to the default: only then do
    /// pages get language folders, translations and a language switcher.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The index into [`Config::languages`] of the site language a brief's
    /// `lang` belongs to: the same tag, else the same language subtag
    /// (`fa-IR` -> `fa`). On a single-language site every brief belongs to
    /// the default (index 0); on a multilingual site `None` is a brief in a
    /// language the site does not declare.
    pub fn language_index(&self, lang: &str) -> Option<usize> {
        if !self.is_multilingual() {
            return Some(0);
        }
        position_of(&self.languages, lang)
    }

    /// The site language a brief's `lang` belongs to (see
    /// [`Config::language_index`]); the default when it belongs to none,
    /// which validation has already reported.
    pub fn site_language_of(&self, lang: &str) -> &SiteLanguage {
        let index = self.language_index(lang).unwrap_or(0);
        &self.languages[index]
    }

    /// The writing direction of a page or card in `lang`: the `dir:` of the
    /// site language it belongs to (which may override its script's), else
    /// the script's (a brief in another language on a single-language site).
    pub fn direction_of(&self, lang: &str) -> Direction {
        let declared = if self.is_multilingual() {
            position_of(&self.languages, lang)
        } else {
            (self.languages[0].code == lang).then_some(0)
        };
        declared.map_or_else(|| lang::direction(lang), |i| self.languages[i].dir)
    }

    /// The folder under the base path of the pages of a brief in `lang`
    /// (`fr/`, or empty for the default language).
    pub fn language_path(&self, lang: &str) -> &str {
        &self.site_language_of(lang).path
    }
}

/// `dir:` of a language: `ltr` or `rtl`; the script's direction when bad
/// (and reported).
fn direction_choice(
    path: &Path,
    dir: &Spanned<String>,
    code: &str,
    errors: &mut Vec<Diagnostic>,
) -> Direction {
    match dir.value.trim() {
        "ltr" => Direction::Ltr,
        "rtl" => Direction::Rtl,
        other => {
            let (line, column) = file_position(0, &dir.referenced);
            errors.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!("`dir: {other}` is not a direction"),
                )
                .with_hint(format!(
                    "use `ltr` or `rtl`, or leave it out: `{code}` is written {} by default",
                    lang::direction(code).as_str()
                )),
            );
            lang::direction(code)
        }
    }
}

/// The site's disclaimers with a language's texts for the keys it
/// overrides; a key the site does not have is reported (a typo would
/// otherwise leave the English text on that language's pages unnoticed).
fn overrides(
    path: &Path,
    site: &BTreeMap<String, String>,
    own: BTreeMap<String, Spanned<String>>,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut merged = site.clone();
    for (key, text) in own {
        if !site.contains_key(&key) {
            let (line, column) = file_position(0, &text.referenced);
            errors.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!("`{key}` is not a key of the site's `disclaimers`"),
                )
                .with_optional_hint(super::disclaimer_hint(&key, site)),
            );
            continue;
        }
        merged.insert(key, text.value);
    }
    merged
}

/// A language's name in itself when the table knows it (by tag, then by
/// its language subtag), else the tag.
fn default_name(code: &str) -> String {
    lang::native_name(code)
        .or_else(|| lang::native_name(lang::primary(code)))
        .map_or_else(|| code.to_string(), str::to_string)
}

/// The index into `languages` of the site language a brief's `lang`
/// belongs to: the same tag, else the first with the same language subtag
/// (`fa-IR` -> `fa`, and `fa` -> `fa-IR` when the site lists only that).
pub(super) fn position_of(languages: &[SiteLanguage], tag: &str) -> Option<usize> {
    languages
        .iter()
        .position(|l| l.code.eq_ignore_ascii_case(tag))
        .or_else(|| {
            let primary = lang::primary(tag);
            languages
                .iter()
                .position(|l| lang::primary(&l.code).eq_ignore_ascii_case(primary))
        })
}

#[cfg(test)]
mod tests {
    use crate::content::config::Config;
    use crate::content::lang::Direction;
    use std::path::Path;

    const SITE: &str = "title: Briefs\ntagline: T\nlanguage: en\ndisclaimers:\n  sample: Sample.\n";

    #[test]
    fn languages_default_first_with_names_and_directions() {
        let text = format!(
            "{SITE}languages:\n  - code: fa-ir\n  - code: fr\n    title: Notes\n    disclaimers:\n      sample: Exemple.\n  - code: ku\n    name: Kurdî\n    dir: rtl\n"
        );
        let config = Config::parse(Path::new("site.yaml"), &text).unwrap();
        let codes: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "fa-IR", "fr", "ku"]);
        let names: Vec<_> = config.languages.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["English", "فارسی", "Français", "Kurdî"]);
        assert_eq!(config.languages[1].dir, Direction::Rtl);
        assert_eq!(config.languages[3].dir, Direction::Rtl);
        assert_eq!(config.languages[2].title, "Notes");
        assert_eq!(config.languages[2].tagline, "T");
        assert_eq!(config.languages[2].disclaimers["sample"], "Exemple.");
        assert_eq!(config.languages[0].disclaimers["sample"], "Sample.");
        assert!(config.is_multilingual());
        assert_eq!(config.site_language_of("fa").code, "fa-IR");
        assert_eq!(config.languages[0].path, "");
        assert_eq!(config.languages[1].path, "fa-IR/");
        assert_eq!(config.site_language_of("fr-CA").code, "fr");
        assert_eq!(config.language_index("en-GB"), Some(0));
        assert_eq!(config.language_index("tr"), None);
    }

    #[test]
    fn without_languages_everything_is_the_default() {
        let config = Config::parse(Path::new("site.yaml"), SITE).unwrap();
        assert_eq!(config.languages.len(), 1);
        assert!(!config.is_multilingual());
        assert_eq!(config.site_language_of("ar").code, "en");
        assert_eq!(config.language_index("ar"), Some(0));
    }

    #[test]
    fn bad_entries_are_located() {
        let text = format!(
            "{SITE}languages:\n  - code: xx-nonsense\n  - code: fr\n    dir: sideways\n  - code: fr\n  - code: ar\n    disclaimers:\n      sampel: x\n"
        );
        let errs = Config::parse(Path::new("site.yaml"), &text).unwrap_err();
        let at: Vec<_> = errs.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(7, 11), (9, 10), (10, 11), (13, 15)], "{errs:?}");
        assert!(errs[3].hint.as_deref().unwrap().contains("sample"));
    }
}
