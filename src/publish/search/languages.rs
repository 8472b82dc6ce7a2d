//! Search per language: which index a brief goes to, the folder of each
//! language's bundle, and the Arabic-script normalisation applied to the
//! pages of Arabic-script indexes (`search.js` applies the same to the
//! words typed, see `normalizeQuery` there).
//!
//! Pagefind stems by the index's language (Arabic, French, English and
//! about 30 others); it has no Persian stemmer, so a Persian index matches
//! whole words and prefixes only. What it does not do for Arabic script is
//! fold the letters that readers type interchangeably: Arabic and Persian
//! kaf (ك/ک) and yeh (ي/ی/ى), and the optional marks (tashkeel, the
//! superscript alef, tatweel). That is done here, to the index language's
//! own letters, so a Persian excerpt shows Persian letters and an Arabic one
//! Arabic letters. The ZWNJ (U+200C) is left in the text: Pagefind drops it
//! from the words it indexes (it keeps letters and digits only), so
//! `می‌خواهم` is indexed as `میخواهم`, and the excerpt keeps its proper
//! shape; the query side removes it too.

use std::borrow::Cow;

use crate::content::config::Config;

/// The search index a brief of language `brief_lang` belongs to: its site
/// language's (`Config::site_language_of`: the site language with its tag,
/// else with its primary subtag, else the default), lowercased. On a site
/// with one language every brief is in the site's index.
pub(crate) fn index_language(brief_lang: &str, config: &Config) -> String {
    normalize_language(&config.site_language_of(brief_lang).code)
}

/// `en-GB` -> `en-gb`; empty -> `en`. Pagefind picks the stemmer from the
/// part before `-` and names the index after the whole code.
pub(super) fn normalize_language(language: &str) -> String {
    let language = language.trim();
    if language.is_empty() {
        "en".to_string()
    } else {
        language.to_ascii_lowercase()
    }
}

/// How an index's text is folded before indexing, named in
/// `pagefind/languages.json` for the search page to fold queries alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Folding {
    /// Latin and every script but Arabic: the text as written.
    None,
    /// Arabic: kaf and yeh folded to Arabic ك and ي.
    Arabic,
    /// Persian, Urdu, Pashto, Kurdish (Sorani) and other Arabic-script
    /// languages: kaf and yeh folded to Persian ک and ی.
    Persian,
}

/// Languages written in Arabic script with Persian kaf and yeh.
const PERSIAN_LETTER_LANGUAGES: [&str; 8] = ["fa", "prs", "ur", "ps", "ckb", "pnb", "bal", "glk"];

impl Folding {
    /// The folding of an index language (a lowercased tag).
    pub(super) fn of(language: &str) -> Folding {
        let mut parts = language.split('-');
        let primary = parts.next().unwrap_or_default();
        let script = parts.find(|p| p.len() == 4);
        if script.is_some_and(|s| s != "arab") {
            return Folding::None;
        }
        if primary == "ar" {
            Folding::Arabic
        } else if PERSIAN_LETTER_LANGUAGES.contains(&primary) || script == Some("arab") {
            Folding::Persian
        } else {
            Folding::None
        }
    }

    /// The name `search.js` knows it by (`None` for no folding).
    pub(super) fn name(self) -> Option<&'static str> {
        match self {
            Folding::None => None,
            Folding::Arabic => Some("arabic"),
            Folding::Persian => Some("persian"),
        }
    }

    /// `text` folded: the marks dropped, kaf and yeh to this language's
    /// letters. Only Arabic-block characters change, so HTML markup (ASCII)
    /// and Latin text pass through untouched.
    pub(super) fn apply(self, text: &str) -> Cow<'_, str> {
        if self == Folding::None || !text.chars().any(|c| self.changes(c)) {
            return Cow::Borrowed(text);
        }
        let (kaf, yeh) = match self {
            Folding::Arabic => ('\u{0643}', '\u{064A}'),
            _ => ('\u{06A9}', '\u{06CC}'),
        };
        Cow::Owned(
            text.chars()
                .filter(|&c| !is_optional_mark(c))
                .map(|c| match c {
                    '\u{0643}' | '\u{06A9}' => kaf,
                    '\u{064A}' | '\u{06CC}' | '\u{0649}' => yeh,
                    c => c,
                })
                .collect(),
        )
    }

    fn changes(self, c: char) -> bool {
        is_optional_mark(c)
            || match self {
                Folding::None => false,
                Folding::Arabic => matches!(c, '\u{06A9}' | '\u{06CC}' | '\u{0649}'),
                Folding::Persian => matches!(c, '\u{0643}' | '\u{064A}' | '\u{0649}'),
            }
    }
}

/// Tashkeel (U+064B–U+065F), the superscript alef (U+0670) and tatweel
/// (U+0640): written or not at will, never what tells two words apart in a
/// search.
fn is_optional_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> Config {
        let text = format!("title: T\nbase_url: https://example.org/\n{yaml}");
        match Config::parse(std::path::Path::new("site.yaml"), &text) {
            Ok(config) => config,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn briefs_go_to_the_index_of_their_site_language() {
        let site =
            config("language: en-GB\nlanguages:\n  - code: ar\n  - code: fa\n  - code: fr\n");
        assert_eq!(index_language("en-GB", &site), "en-gb");
        assert_eq!(index_language("en", &site), "en-gb");
        assert_eq!(index_language("ar", &site), "ar");
        assert_eq!(index_language("fa-IR", &site), "fa");
        assert_eq!(index_language("fr", &site), "fr");
        assert_eq!(index_language("fr-CA", &site), "fr");
        // one language: everything in the site's index
        let single = config("language: fa\n");
        assert_eq!(index_language("fa", &single), "fa");
        assert_eq!(index_language("fr", &single), "fa");
    }

    #[test]
    fn language_codes_are_lowercased() {
        assert_eq!(normalize_language("en-GB"), "en-gb");
        assert_eq!(normalize_language(" fa "), "fa");
        assert_eq!(normalize_language(""), "en");
    }

    #[test]
    fn only_arabic_script_languages_are_folded() {
        assert_eq!(Folding::of("ar"), Folding::Arabic);
        assert_eq!(Folding::of("ar-eg"), Folding::Arabic);
        assert_eq!(Folding::of("fa"), Folding::Persian);
        assert_eq!(Folding::of("ur"), Folding::Persian);
        assert_eq!(Folding::of("az-arab"), Folding::Persian);
        for latin in ["en", "fr", "tr", "az-latn", "ar-latn", "de"] {
            assert_eq!(Folding::of(latin), Folding::None, "{latin}");
        }
    }

    #[test]
    fn kaf_yeh_and_marks_fold_to_the_languages_letters() {
        // Arabic yeh and kaf in a Persian text, and the reverse.
        assert_eq!(Folding::Persian.apply("ايران كشور"), "ایران کشور");
        assert_eq!(Folding::Arabic.apply("ایران کشور"), "ايران كشور");
        assert_eq!(Folding::Persian.apply("مصطفى"), "مصطفی");
        // tashkeel, superscript alef and tatweel are dropped
        assert_eq!(Folding::Arabic.apply("إِيرَانُ"), "إيران");
        assert_eq!(Folding::Arabic.apply("أيضاً"), "أيضا");
        assert_eq!(Folding::Arabic.apply("هٰذا"), "هذا");
        assert_eq!(Folding::Persian.apply("ایــــران"), "ایران");
        // ZWNJ stays (Pagefind leaves it out of the indexed word)
        assert_eq!(Folding::Persian.apply("می\u{200C}خواهم"), "می\u{200C}خواهم");
        // markup and Latin text pass through, unchanged and unallocated
        let html = r#"<p data-pagefind-filter="country">Iran</p>"#;
        assert!(matches!(Folding::Persian.apply(html), Cow::Borrowed(_)));
        assert!(matches!(Folding::None.apply("ايران"), Cow::Borrowed(_)));
    }
}
