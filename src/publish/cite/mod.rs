//! "Cite this brief": a brief's citation as Chicago author-date text
//! ([`formatted`]), as a BibTeX entry ([`bibtex()`], with [`key`]) and as RIS
//! ([`ris()`]).
//!
//! This module owns how author names are read, inverted and escaped for each
//! format. Pure text in, text out: no I/O, and the same input always gives
//! the same text. `names` reads author names; `chicago`, `bibtex` and `ris`
//! each write one format, sharing only [`CiteInput`] and the helpers here.
//!
//! # Author names
//!
//! Each entry of [`CiteInput::authors`] is read as follows (first rule that
//! applies wins); whitespace runs count as one space:
//!
//! 1. Wrapped in braces, `{Chatham House}`: an institution, written as
//!    given without the braces. Use this whenever the rules below guess wrong.
//! 2. A digit, `&` or `@` anywhere, or any word that names an organisation
//!    (case-insensitive: `Institute`, `Center`/`Centre`, `Council`,
//!    `Foundation`, `University`, `Group`, `Ministry`, `Agency`, `Watch`,
//!    `Staff`, `Inc.`, ... and Arabic and Persian ones such as `معهد`,
//!    `مركز`/`مرکز`, `سازمان`, `دانشگاه`; see `INSTITUTION_WORDS`), or one of
//!    the connecting words `of`, `for`, `and`, `the`, `on`: an institution,
//!    as written (`Middle East Institute`, `Council on Foreign Relations`).
//! 3. Containing a comma: a person written family name first,
//!    `Family, Given` (also `Family, Given, Jr.` and BibTeX's
//!    `Family, Jr., Given`); `Given Family, Jr.` is read as rule 6 with the
//!    suffix. This is the way to be exact about double family names
//!    (`Ortega y Gasset, José`).
//! 4. A single word (`UNHCR`, a mononym, or a name in a script written
//!    without spaces): kept as written, like an institution.
//! 5. More than three words, not counting lowercase particles (`van`, `de`,
//!    `bin`, `al`, ...) and a final `Jr.`/`Sr.`/`II`/`III`/`IV`: kept as
//!    written, like an institution.
//! 6. Otherwise a person in natural order: the family name is the last word
//!    together with the lowercase particles just before it (`Ludwig van
//!    Beethoven` → family `van Beethoven`), the rest is the given name.
//!    This applies to any script (`ليلى حداد` → family `حداد`).
//!
//! A brief without (non-blank) authors is cited with the publisher (the
//! site) as its institutional author, in all three formats.

mod bibtex;
mod chicago;
pub(crate) mod csl;
pub(crate) mod memo;
mod names;
mod ris;

pub(crate) use bibtex::{bibtex, key};
pub(crate) use chicago::formatted;
pub(crate) use ris::ris;

use names::Name;

/// What a citation is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CiteInput<'a> {
    /// The brief's title, plain text.
    pub title: &'a str,
    /// Authors as written in the front matter: personal names
    /// (`Leila Haddad`, `Haddad, Leila`) or institutions
    /// (`Middle East Institute`, `{Chatham House}`); see the module docs.
    pub authors: Vec<&'a str>,
    /// Publication date.
    pub date: jiff::civil::Date,
    /// The publisher: the site title.
    pub publisher: &'a str,
    /// The brief's absolute URL.
    pub url: &'a str,
    /// The brief's slug; the BibTeX key falls back on it for a title that
    /// gives no usable word.
    pub slug: &'a str,
    /// The brief's language tag (`fa`, `en-GB`): BibTeX `langid`, RIS `LA`.
    pub lang: &'a str,
}

/// The authors of `c`, or the publisher as institution when there are none.
fn authors(c: &CiteInput<'_>) -> Vec<Name> {
    let names: Vec<Name> = c.authors.iter().filter_map(|a| Name::parse(a)).collect();
    if !names.is_empty() {
        return names;
    }
    let publisher = tidy(c.publisher);
    if publisher.is_empty() {
        Vec::new()
    } else {
        vec![Name::Institution(publisher)]
    }
}

/// 0-based month of `date`.
fn month_index(date: jiff::civil::Date) -> usize {
    usize::try_from(date.month() - 1).unwrap_or(0).min(11)
}

/// Drops control characters (line breaks and tabs become spaces), collapses
/// whitespace runs into one space and trims.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else if !c.is_control() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use jiff::civil::date;

    /// A brief by `authors` dated 2018-01-02, for every format's tests.
    pub(super) fn input<'a>(authors: Vec<&'a str>, title: &'a str) -> CiteInput<'a> {
        CiteInput {
            title,
            authors,
            date: date(2018, 1, 2),
            publisher: "Example Briefs",
            url: "https://org.github.io/briefs/sanctions/",
            slug: "sanctions",
            lang: "en",
        }
    }

    #[test]
    fn deterministic() {
        let c = input(
            vec!["Mevlüt Çavuşoğlu", "Middle East Institute", "ليلى حداد"],
            "Türkiye & the Gulf",
        );
        assert_eq!(formatted(&c), formatted(&c.clone()));
        assert_eq!(bibtex(&c), bibtex(&c.clone()));
        assert_eq!(ris(&c), ris(&c.clone()));
        assert_eq!(key(&c), key(&c.clone()));
    }
}
