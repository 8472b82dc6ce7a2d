//! Slugs of names (actors, authors, places): the URL segment and the key
//! that makes two spellings one term.
//!
//! Latin names keep the ASCII slugs they always had (`slug::slugify`:
//! "Hassan Rouhani" -> `hassan-rouhani`), so existing sites keep their
//! URLs. A name with letters of another script keeps them, as Hugo does
//! ("حسن روحانی" -> `حسن-روحانی`), because a transliteration such as
//! `hsn-rwhny` is unreadable for the people who use those names and can
//! give two different names one page.

use unicode_normalization::UnicodeNormalization;

/// The slug of a name; empty when the name has no letter or digit.
pub(crate) fn name_slug(name: &str) -> String {
    if name.chars().all(is_latin_or_common) {
        slug::slugify(name)
    } else {
        unicode_slug(name)
    }
}

/// Latin letters (with their accents) and everything that is not a letter.
fn is_latin_or_common(c: char) -> bool {
    !c.is_alphabetic()
        || matches!(c, '\u{0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}' | '\u{FF21}'..='\u{FF5A}')
}

/// Lowercase letters and digits as written (NFC), words joined by `-`.
/// Invisible joiners (ZWNJ, ZWJ), the Arabic tatweel and Arabic short-vowel
/// marks are dropped, as accents are in Latin slugs, so that they do not
/// make two pages of one name; letters are never replaced (an Arabic yeh
/// stays an Arabic yeh: `check` points out mixed forms instead).
fn unicode_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_dash = false;
    for c in name.nfc().flat_map(char::to_lowercase) {
        if is_ignorable(c) {
            continue;
        }
        if c.is_alphanumeric() || is_combining_mark(c) {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Characters a slug leaves out: they change how a name is drawn, not which name it is.
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{200C}' | '\u{200D}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
    )
}

/// Marks that belong to the letter before them (Devanagari vowel signs,
/// Hebrew points): kept, or the word would be cut in two.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0591}'..='\u{05C7}' | '\u{0900}'..='\u{0DFF}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}

/// A site path as it goes into a URL: non-ASCII characters (of Unicode
/// slugs) percent-encoded, so hrefs, feeds and sitemaps hold plain URLs;
/// ASCII paths are returned as they are.
pub(crate) fn url_path(path: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(path, percent_encoding::CONTROLS).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_encode_only_what_is_not_ascii() {
        assert_eq!(
            url_path("actors/hassan-rouhani/?a=b#c"),
            "actors/hassan-rouhani/?a=b#c"
        );
        assert_eq!(url_path("actors/حسن/"), "actors/%D8%AD%D8%B3%D9%86/");
    }

    #[test]
    fn latin_names_keep_their_ascii_slugs() {
        for name in [
            "Hassan Rouhani",
            "Émilie Dupont-Ödén",
            "O'Brien & Sons",
            "IRGC",
            "",
            "  ",
        ] {
            assert_eq!(name_slug(name), slug::slugify(name), "{name}");
        }
    }

    #[test]
    fn other_scripts_keep_their_letters() {
        assert_eq!(name_slug("حسن روحانی"), "حسن-روحانی");
        assert_eq!(name_slug("Владимир  Путин!"), "владимир-путин");
        assert_eq!(name_slug("Ἀθῆναι"), "ἀθῆναι");
        // Joiners, tatweel and vowel marks do not make a second page.
        assert_eq!(name_slug("محمّد خاتمی"), name_slug("محمد خاتمی"));
        assert_eq!(name_slug("می\u{200C}خواهم"), "میخواهم");
        assert_eq!(name_slug("حســن"), "حسن");
        // Arabic and Persian yeh stay apart (check reports the pair).
        assert_ne!(name_slug("روحاني"), name_slug("روحانی"));
        assert_eq!(name_slug("مرتضى 2"), "مرتضى-2");
        assert_eq!(name_slug("،؟"), "");
    }
}
