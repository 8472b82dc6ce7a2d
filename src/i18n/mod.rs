//! Interface strings in the reader's language: the theme's
//! `i18n/<lang>.yaml` files, read once per build into a [`I18n`] that the
//! templates' `t()`, the dates of pages and the PDF edition ask.
//!
//! Files layer like templates (built-in theme, then `themes/<name>/i18n/`,
//! then the site's `i18n/`), key by key: a site file holds only the keys it
//! changes. A key a language lacks falls back to the site's default
//! language, then to English, which has every key of the built-in theme.
//! Each language's table is resolved once here, so a lookup is one hash.

mod format;
mod parse;
mod scan;
mod template;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use icu_plurals::{PluralCategory, PluralRules};

use crate::content::source::TextFile;
use crate::diagnostic::Diagnostic;

pub(crate) use parse::{Message, Piece};
pub(crate) use scan::unknown_keys;
pub(crate) use template::register;

/// The language of the built-in strings: the last fallback.
pub(crate) const REFERENCE: &str = "en";

/// The interface strings of every language the theme and site provide.
/// Cheap to clone (shared).
#[derive(Clone)]
pub struct I18n(Arc<Catalog>);

struct Catalog {
    /// Tables by code; never empty.
    languages: Vec<Language>,
    by_code: HashMap<String, usize>,
    /// The table of the site's language (or English when it has none).
    default: usize,
}

/// One language's resolved table.
pub(crate) struct Language {
    /// The file's code (`ar`, `fr-CA`).
    pub(crate) code: String,
    /// The file messages name (the last layer that has this language).
    pub(crate) path: PathBuf,
    /// Keys this language's own files define (before fallback).
    own: std::collections::HashSet<String>,
    /// Every key, fallbacks filled in.
    messages: HashMap<String, Message>,
    /// CLDR cardinal rules; `None` when ICU does not know the language.
    plurals: Option<PluralRules>,
    /// The ten digits, from the `digits` key.
    digits: [char; 10],
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut codes: Vec<&str> = self.0.by_code.keys().map(String::as_str).collect();
        codes.sort_unstable();
        write!(f, "I18n({codes:?}, default {})", self.default().code)
    }
}

impl I18n {
    /// Reads the i18n files (`(code, file)`, later layers after earlier
    /// ones); `default` is the site's language. Every mistake is reported.
    pub(crate) fn load(
        files: &[(String, TextFile)],
        default: &str,
    ) -> Result<I18n, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        // code -> (last path, merged messages)
        let mut own: HashMap<String, (PathBuf, indexmap::IndexMap<String, parse::Defined>)> =
            HashMap::new();
        for (code, file) in files {
            match parse::parse(&file.path, &file.text) {
                Ok(messages) => {
                    let entry = own
                        .entry(code.clone())
                        .or_insert_with(|| (file.path.clone(), indexmap::IndexMap::new()));
                    entry.0.clone_from(&file.path);
                    entry.1.extend(messages);
                }
                Err(e) => errors.extend(e),
            }
        }
        for (code, (path, messages)) in &own {
            if let Some(d) = messages.get("digits")
                && format::digits_of(&d.message).is_none()
            {
                errors.push(
                    Diagnostic::error(path, d.line, 1, format!("`digits` of `{code}` is not ten digits"))
                        .with_hint("write the language's digits from zero to nine, e.g. `digits: \"٠١٢٣٤٥٦٧٨٩\"`"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let resolve_code = |tag: &str| -> Option<String> {
            let primary = crate::content::lang::primary(tag);
            [tag, primary]
                .into_iter()
                .find(|c| own.contains_key(*c))
                .map(str::to_string)
        };
        let default_code = resolve_code(default).unwrap_or_else(|| REFERENCE.to_string());
        let empty = indexmap::IndexMap::new();
        let messages_of = |code: &str| own.get(code).map_or(&empty, |(_, m)| m);
        let mut languages = Vec::with_capacity(own.len() + 1);
        let mut codes: Vec<&String> = own.keys().collect();
        codes.sort_unstable();
        for code in codes {
            let (path, mine) = &own[code];
            let mut messages: HashMap<String, Message> = HashMap::new();
            for layer in [messages_of(REFERENCE), messages_of(&default_code), mine] {
                for (key, d) in layer {
                    messages.insert(key.clone(), d.message.clone());
                }
            }
            let digits = messages
                .get("digits")
                .and_then(format::digits_of)
                .unwrap_or(format::LATIN_DIGITS);
            languages.push(Language {
                code: code.clone(),
                path: path.clone(),
                own: mine.keys().cloned().collect(),
                messages,
                plurals: format::plural_rules(code),
                digits,
            });
        }
        if languages.is_empty() {
            // A theme with no i18n files at all: an empty English table.
            languages.push(Language {
                code: REFERENCE.to_string(),
                path: PathBuf::from("i18n/en.yaml"),
                own: Default::default(),
                messages: HashMap::new(),
                plurals: format::plural_rules(REFERENCE),
                digits: format::LATIN_DIGITS,
            });
        }
        let by_code: HashMap<String, usize> = (languages.iter().enumerate())
            .map(|(i, l)| (l.code.clone(), i))
            .collect();
        let default = by_code
            .get(&default_code)
            .or_else(|| by_code.get(REFERENCE))
            .copied()
            .unwrap_or(0);
        Ok(I18n(Arc::new(Catalog {
            languages,
            by_code,
            default,
        })))
    }

    /// The table of the site's language.
    fn default(&self) -> &Language {
        &self.0.languages[self.0.default]
    }

    /// The table for a language tag: its own, its primary language's,
    /// else the site's default language's.
    pub(crate) fn language(&self, tag: &str) -> &Language {
        let codes = &self.0.by_code;
        let i = codes
            .get(tag)
            .or_else(|| codes.get(crate::content::lang::primary(tag)))
            .copied()
            .unwrap_or(self.0.default);
        &self.0.languages[i]
    }

    /// Whether a table has its own file for `tag` (not a fallback).
    pub(crate) fn has_file_for(&self, tag: &str) -> bool {
        self.language(tag).code == tag
            || self.language(tag).code == crate::content::lang::primary(tag)
    }

    /// Every key some language defines (what templates may ask for).
    pub(crate) fn knows(&self, key: &str) -> bool {
        self.0
            .languages
            .iter()
            .any(|l| l.messages.contains_key(key))
    }

    /// For `briefly check`: one warning per language among `tags` whose
    /// file lacks keys that English or the default language has, or that
    /// has no file at all.
    pub(crate) fn missing_keys(&self, tags: &[&str]) -> Vec<Diagnostic> {
        let mut seen = std::collections::HashSet::new();
        let mut found = Vec::new();
        let reference = self.language(REFERENCE);
        let default = self.default();
        for tag in tags {
            let lang = self.language(tag);
            if !self.has_file_for(tag) {
                if seen.insert(tag.to_string()) {
                    found.push(
                        Diagnostic::file_error(
                            format!("i18n/{}.yaml", crate::content::lang::primary(tag)),
                            format!(
                                "no interface strings for `{tag}`: its pages show the `{}` ones",
                                lang.code
                            ),
                        )
                        .with_hint(format!("add `i18n/{}.yaml` to the site (copy the keys of `{}`; `README.md` lists them)", crate::content::lang::primary(tag), lang.code))
                        .warning(),
                    );
                }
                continue;
            }
            if !seen.insert(lang.code.clone()) {
                continue;
            }
            let mut missing: Vec<&str> = (reference.own.iter().chain(default.own.iter()))
                .filter(|k| !lang.own.contains(*k))
                .map(String::as_str)
                .collect();
            missing.sort_unstable();
            missing.dedup();
            if missing.is_empty() {
                continue;
            }
            let shown = missing
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            found.push(
                Diagnostic::file_error(
                    &lang.path,
                    format!(
                        "{} key{} missing in `{}`, shown in `{}` instead: {shown}",
                        missing.len(),
                        if missing.len() == 1 { " is" } else { "s are" },
                        lang.code,
                        if default.code != lang.code {
                            &default.code
                        } else {
                            REFERENCE
                        },
                    ),
                )
                .with_hint("translate them in this language's i18n file")
                .warning(),
            );
        }
        found
    }
}

impl Language {
    /// The message of `key`, fallbacks included.
    pub(crate) fn message(&self, key: &str) -> Option<&Message> {
        self.messages.get(key)
    }

    /// The plain text of a key with no placeholders (headings, labels);
    /// the key itself when nothing has it.
    pub(crate) fn text<'a>(&'a self, key: &'a str) -> std::borrow::Cow<'a, str> {
        match self.message(key) {
            Some(m) => self.format(m, None, &[]).map_or(key.into(), Into::into),
            None => key.into(),
        }
    }

    /// The plural category of `n` in this language.
    pub(crate) fn category(&self, n: u64) -> PluralCategory {
        match &self.plurals {
            Some(rules) => rules.category_for(n),
            None if n == 1 => PluralCategory::One,
            None => PluralCategory::Other,
        }
    }

    /// `n` in this language's digits.
    pub(crate) fn number(&self, n: impl std::fmt::Display) -> String {
        format::localize_digits(&n.to_string(), &self.digits)
    }

    /// Fills a message: the plural form of `count` (when it has forms), its
    /// placeholders from `args` (`count` among them when given). Errors
    /// name the placeholder that has no value.
    pub(crate) fn format(
        &self,
        message: &Message,
        count: Option<u64>,
        args: &[(&str, String)],
    ) -> Result<String, String> {
        let pattern = match message {
            Message::Text(p) => p,
            Message::Plural(forms) => {
                let category = count.map_or(PluralCategory::Other, |n| self.category(n));
                forms
                    .iter()
                    .find(|(c, _)| *c == category)
                    .or_else(|| forms.iter().find(|(c, _)| *c == PluralCategory::Other))
                    .map(|(_, p)| p)
                    .ok_or("no plural form `other`")?
            }
        };
        let mut out = String::with_capacity(pattern.raw.len() + 8);
        for piece in &pattern.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Arg(name) => match (name == "count").then_some(count).flatten() {
                    Some(n) => out.push_str(&self.number(n)),
                    None => match args.iter().find(|(n, _)| n == name) {
                        Some((_, v)) => out.push_str(v),
                        None => {
                            return Err(format!(
                                "the text has a placeholder `{{{name}}}`; pass `{name}=...` to t()"
                            ));
                        }
                    },
                },
            }
        }
        Ok(out)
    }

    /// A date as people read it: `2 January 2018`, `٢ يناير ٢٠١٨`.
    pub(crate) fn date(&self, date: jiff::civil::Date) -> String {
        format::date(self, date)
    }

    /// The messages whose keys start with one of `prefixes`, as JSON for
    /// the page's scripts: text, or `{category: text}` for plural forms;
    /// plus `digits` and `lang`.
    pub(crate) fn script_strings(&self, prefixes: &[&str]) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        let mut keys: Vec<&String> = self
            .messages
            .keys()
            .filter(|k| prefixes.iter().any(|p| k.starts_with(p)))
            .collect();
        keys.sort_unstable();
        for key in keys {
            let value = match &self.messages[key] {
                Message::Text(p) => serde_json::Value::from(p.raw.as_str()),
                Message::Plural(forms) => serde_json::Value::Object(
                    forms
                        .iter()
                        .map(|(c, p)| {
                            (
                                format::category_name(*c).to_string(),
                                serde_json::Value::from(p.raw.as_str()),
                            )
                        })
                        .collect(),
                ),
            };
            out.insert(key.clone(), value);
        }
        out.insert(
            "digits".into(),
            self.digits.iter().collect::<String>().into(),
        );
        out.insert("lang".into(), self.code.as_str().into());
        serde_json::Value::Object(out)
    }
}

/// The i18n files of one layer folder (`.../i18n/*.yaml`): `(code, path)`.
pub(crate) fn code_of(path: &Path) -> Option<String> {
    let ext = path.extension()?.to_str()?;
    if ext != "yaml" && ext != "yml" {
        return None;
    }
    Some(path.file_stem()?.to_str()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> I18n {
        let files: Vec<(String, TextFile)> = crate::content::theme::files_under("i18n")
            .filter_map(|(name, bytes)| {
                let code = code_of(Path::new(name))?;
                let text = String::from_utf8_lossy(bytes).into_owned();
                Some((
                    code,
                    TextFile {
                        path: PathBuf::from(name),
                        text,
                    },
                ))
            })
            .collect();
        match I18n::load(&files, "en") {
            Ok(i18n) => i18n,
            Err(e) => panic!("the built-in i18n files do not load: {e:?}"),
        }
    }

    #[test]
    fn the_builtin_languages_have_every_key() {
        let i18n = builtin();
        assert_eq!(
            i18n.missing_keys(&["en", "ar", "fa", "fr", "fa-IR"]),
            vec![]
        );
        assert_eq!(i18n.missing_keys(&["tr"]).len(), 1, "no file for tr");
    }

    #[test]
    fn dates_and_counts_per_language() {
        let i18n = builtin();
        let date = jiff::civil::date(2018, 1, 2);
        assert_eq!(i18n.language("en").date(date), "2 January 2018");
        assert_eq!(i18n.language("fr").date(date), "2 janvier 2018");
        assert_eq!(i18n.language("ar").date(date), "٢ يناير ٢٠١٨");
        assert_eq!(i18n.language("fa-IR").date(date), "۲ ژانویه ۲۰۱۸");
        // A language with no file reads the default language's strings.
        assert_eq!(i18n.language("tr").date(date), "2 January 2018");
        let ar = i18n.language("ar");
        let Some(m) = ar.message("count_briefs") else {
            panic!("no count_briefs");
        };
        assert_eq!(ar.format(m, Some(3), &[]).as_deref(), Ok("٣ موجزات"));
    }
}
