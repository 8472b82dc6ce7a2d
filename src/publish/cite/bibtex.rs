//! BibTeX: the `@misc` entry of [`bibtex`] and its [`key`].
//!
//! Owns BibTeX's escaping of text and URLs, its spelling of names and its
//! month macros. Knows nothing of the other formats.

use std::fmt::Write as _;

use super::names::Name;
use super::{CiteInput, authors, month_index, tidy};

/// A BibTeX `@misc` entry (keyed by [`key`]), ending in a newline:
///
/// ```text
/// @misc{haddad2018sanctions,
///   author = {Haddad, Leila and Becker, Tom},
///   title = {{Sanctions and the Rial}},
///   howpublished = {Publisher},
///   year = {2018},
///   month = jan,
///   url = {https://example.org/briefs/sanctions/},
///   note = {Policy brief},
///   langid = {english}
/// }
/// ```
///
/// `langid` is biblatex's babel name of the brief's language (`persian`,
/// `arabic`), left out for a language [`babel_language`] does not know.
///
/// People are written `Family, Given` (`Family, Jr., Given` with a suffix);
/// institutions in braces so BibTeX neither splits nor inverts them
/// (`author = {{Middle East Institute}}`). The title is double-braced to
/// keep its capitalisation. In text fields the specials `& % $ # _` are
/// backslash-escaped, `{ } ~ ^ \` become `\textbraceleft{}`,
/// `\textbraceright{}`, `\textasciitilde{}`, `\textasciicircum{}` and
/// `\textbackslash{}` (so braces always balance); other characters,
/// non-ASCII included, are kept as UTF-8 (biber, or `inputenc`). The `url`
/// is not escaped (it is read verbatim by `url`/biblatex); only braces,
/// backslashes and whitespace in it are percent-encoded.
pub(crate) fn bibtex(c: &CiteInput<'_>) -> String {
    let names = authors(c);
    let mut out = String::new();
    let _ = writeln!(out, "@misc{{{},", key(c));
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !names.is_empty() {
        let list: Vec<String> = names.iter().map(Name::bibtex).collect();
        fields.push(("author", format!("{{{}}}", list.join(" and "))));
    }
    let title = tidy(c.title);
    if !title.is_empty() {
        fields.push(("title", format!("{{{{{}}}}}", bib_escape(&title))));
    }
    let publisher = tidy(c.publisher);
    if !publisher.is_empty() {
        fields.push(("howpublished", format!("{{{}}}", bib_escape(&publisher))));
    }
    fields.push(("year", format!("{{{}}}", c.date.year())));
    fields.push(("month", MONTH_MACROS[month_index(c.date)].to_string()));
    let url = bib_url(c.url);
    if !url.is_empty() {
        fields.push(("url", format!("{{{url}}}")));
    }
    fields.push(("note", "{Policy brief}".to_string()));
    if let Some(name) = babel_language(c.lang) {
        fields.push(("langid", format!("{{{name}}}")));
    }
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("  {name} = {value}"))
        .collect();
    out.push_str(&body.join(",\n"));
    out.push_str("\n}\n");
    out
}

/// biblatex's `langid` takes babel/polyglossia language names, not tags;
/// a language missing here gets no `langid` (an unknown name stops LaTeX).
fn babel_language(tag: &str) -> Option<&'static str> {
    Some(match crate::content::lang::primary(tag) {
        "en" => match tag {
            "en-GB" => "british",
            "en-US" => "american",
            _ => "english",
        },
        "ar" => "arabic",
        "fa" => "persian",
        "fr" => "french",
        "tr" => "turkish",
        "de" => "german",
        "es" => "spanish",
        "it" => "italian",
        "pt" => "portuguese",
        "ru" => "russian",
        "he" | "iw" => "hebrew",
        "ur" => "urdu",
        "ku" | "ckb" => "kurdish",
        "nl" => "dutch",
        _ => return None,
    })
}

/// The BibTeX key: the first author's family name (an institution's first
/// significant word; the publisher's without authors; else `anon`), the
/// year, and the title's first significant word (else the slug's, else
/// `brief`), each ASCII-folded and lowercased with the `slug` crate and
/// reduced to `[a-z0-9]`: `haddad2018sanctions`, `cavusoglu2018turkey`.
/// Two briefs by the same author in the same year whose titles start with
/// the same word get the same key.
pub(crate) fn key(c: &CiteInput<'_>) -> String {
    let names = authors(c);
    let who = match names.first() {
        Some(Name::Person { family, .. }) => fold(family),
        Some(Name::Institution(name)) => first_significant_word(name).unwrap_or_default(),
        None => String::new(),
    };
    let who = if who.is_empty() {
        "anon".to_string()
    } else {
        who
    };
    let what = first_significant_word(c.title)
        .or_else(|| first_significant_word(&c.slug.replace(['-', '_'], " ")))
        .unwrap_or_else(|| "brief".to_string());
    format!("{who}{}{what}", c.date.year())
}

impl Name {
    /// BibTeX: `Family, Given`, `Family, Jr., Given`, `{Institution}`.
    pub(super) fn bibtex(&self) -> String {
        match self {
            Name::Person {
                given,
                family,
                suffix,
            } => {
                let family = bib_escape(family);
                let given = bib_escape(given);
                let suffix = bib_escape(suffix);
                match (given.is_empty(), suffix.is_empty()) {
                    (true, true) => format!("{{{family}}}"),
                    (false, true) => format!("{family}, {given}"),
                    (_, false) => format!("{family}, {suffix}, {given}"),
                }
            }
            Name::Institution(name) => format!("{{{}}}", bib_escape(name)),
        }
    }
}

const MONTH_MACROS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Escapes BibTeX/LaTeX specials in a text field value.
fn bib_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            c => out.push(c),
        }
    }
    out
}

/// The URL for a verbatim BibTeX `url` field: braces, backslashes and
/// whitespace percent-encoded, control characters dropped.
fn bib_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            ' ' => out.push_str("%20"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Words skipped when looking for a title's first significant word.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "against", "an", "and", "are", "as", "at", "before", "between", "but",
    "by", "can", "do", "does", "for", "from", "how", "in", "into", "is", "it", "its", "nor", "not",
    "of", "on", "or", "over", "than", "that", "the", "these", "this", "those", "to", "toward",
    "towards", "under", "upon", "via", "vs", "was", "were", "what", "when", "where", "whether",
    "which", "who", "why", "will", "with", "without",
];

/// The first word of `text` that folds to something and is no stop word.
fn first_significant_word(text: &str) -> Option<String> {
    text.split_whitespace()
        .map(fold)
        .find(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
}

/// ASCII-folded, lowercase, `[a-z0-9]` only.
fn fold(text: &str) -> String {
    slug::slugify(text)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::cite::tests::input;
    use jiff::civil::date;

    #[test]
    fn bibtex_entry() {
        let c = input(vec!["Leila Haddad", "Tom Becker"], "Sanctions and the Rial");
        assert_eq!(
            bibtex(&c),
            "@misc{haddad2018sanctions,\n  author = {Haddad, Leila and Becker, Tom},\n  title = {{Sanctions and the Rial}},\n  howpublished = {Example Briefs},\n  year = {2018},\n  month = jan,\n  url = {https://org.github.io/briefs/sanctions/},\n  note = {Policy brief},\n  langid = {english}\n}\n"
        );
    }

    #[test]
    fn bibtex_authors() {
        let author_line = |authors: Vec<&str>| {
            let text = bibtex(&input(authors, "T"));
            text.lines()
                .find(|l| l.starts_with("  author = "))
                .map(str::to_string)
                .unwrap_or_default()
        };
        assert_eq!(
            author_line(vec!["Leila Haddad"]),
            "  author = {Haddad, Leila},"
        );
        assert_eq!(
            author_line(vec!["Middle East Institute"]),
            "  author = {{Middle East Institute}},"
        );
        assert_eq!(
            author_line(vec![
                "Leila Haddad",
                "Council on Foreign Relations",
                "Sara Ahmadi"
            ]),
            "  author = {Haddad, Leila and {Council on Foreign Relations} and Ahmadi, Sara},"
        );
        assert_eq!(
            author_line(vec!["Martin Luther King Jr."]),
            "  author = {King, Jr., Martin Luther},"
        );
        assert_eq!(
            author_line(vec!["Ludwig van Beethoven"]),
            "  author = {van Beethoven, Ludwig},"
        );
        assert_eq!(
            author_line(vec!["Mevlüt Çavuşoğlu", "ليلى حداد"]),
            "  author = {Çavuşoğlu, Mevlüt and حداد, ليلى},"
        );
        assert_eq!(
            author_line(vec!["Smith & Jones"]),
            "  author = {{Smith \\& Jones}},"
        );
        assert_eq!(author_line(vec![]), "  author = {{Example Briefs}},");
    }

    #[test]
    fn bibtex_escapes_specials() {
        let mut c = input(vec!["Leila Haddad"], "50% of R&D: $5 #1 a_b {x} ~y^ \\z");
        c.publisher = "Briefs & Co_";
        c.url = "https://e.org/a_b?x=1&y=%20#frag {bad}\\";
        let text = bibtex(&c);
        assert!(text.contains(
            "  title = {{50\\% of R\\&D: \\$5 \\#1 a\\_b \\textbraceleft{}x\\textbraceright{} \\textasciitilde{}y\\textasciicircum{} \\textbackslash{}z}},\n"
        ));
        assert!(text.contains("  howpublished = {Briefs \\& Co\\_},\n"));
        assert!(text.contains("  url = {https://e.org/a_b?x=1&y=%20#frag%20%7Bbad%7D%5C},\n"));
        // Braces balance in every entry.
        for title in ["{", "}}", "a}b{", "\\{"] {
            let text = bibtex(&input(vec!["{Acme}"], title));
            let depth = text.chars().try_fold(0i32, |d, ch| {
                let d = d + i32::from(ch == '{') - i32::from(ch == '}');
                (d >= 0).then_some(d)
            });
            assert_eq!(depth, Some(0), "unbalanced: {text}");
        }
    }

    #[test]
    fn bibtex_month_macros() {
        let mut c = input(vec!["Leila Haddad"], "T");
        for (m, name) in MONTH_MACROS.iter().enumerate() {
            c.date = date(2020, i8::try_from(m + 1).unwrap_or(1), 28);
            assert!(bibtex(&c).contains(&format!("  month = {name},\n")));
        }
    }

    #[test]
    fn keys() {
        let k = |authors: Vec<&str>, title: &str| key(&input(authors, title));
        assert_eq!(
            k(vec!["Leila Haddad"], "Sanctions and the Rial"),
            "haddad2018sanctions"
        );
        assert_eq!(
            k(vec!["Leila Haddad"], "The Future of Oil"),
            "haddad2018future"
        );
        assert_eq!(
            k(vec!["Leila Haddad"], "Why Iran's Rial Fell"),
            "haddad2018irans"
        );
        assert_eq!(
            k(vec!["Mevlüt Çavuşoğlu"], "Türkiye and the Gulf"),
            "cavusoglu2018turkiye"
        );
        assert_eq!(
            k(vec!["Ludwig van Beethoven"], "Ode"),
            "vanbeethoven2018ode"
        );
        assert_eq!(
            k(vec!["Middle East Institute"], "Gulf Security"),
            "middle2018gulf"
        );
        assert_eq!(
            k(vec!["The Washington Institute"], "Gulf Security"),
            "washington2018gulf"
        );
        assert_eq!(k(vec![], "Gulf Security"), "example2018gulf");
        // Arabic script is transliterated; the key stays [a-z0-9].
        let arabic = k(vec!["ليلى حداد"], "تحریم‌ها و اقتصاد ایران");
        assert!(arabic.contains("2018"));
        assert!(arabic.len() > "2018".len() + 2);
        assert!(
            arabic
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit())
        );
        // A title with no usable word falls back on the slug, then on `brief`.
        let mut c = input(vec!["Leila Haddad"], "The ... of");
        assert_eq!(key(&c), "haddad2018sanctions");
        c.slug = "";
        assert_eq!(key(&c), "haddad2018brief");
        c.authors = vec![];
        c.publisher = "";
        assert_eq!(key(&c), "anon2018brief");
    }
}
