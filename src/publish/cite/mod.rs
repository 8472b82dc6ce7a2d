//! "Cite this brief": a brief's citation as Chicago author-date text
//! ([`formatted`]), as a BibTeX entry ([`bibtex`], with [`key`]) and as RIS
//! ([`ris`]).
//!
//! This module owns how author names are read, inverted and escaped for each
//! format. Pure text in, text out: no I/O, and the same input always gives
//! the same text.
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

use std::fmt::Write as _;

/// What a citation is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteInput<'a> {
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
}

/// Chicago author-date reference-list entry, one line of plain text:
///
/// `Haddad, Leila, and Tom Becker. 2018. "Title." Publisher, January 2, 2018. https://… .`
///
/// The first person's name is inverted, the others are not; institutions
/// stay as written. Up to six authors are all listed; with seven or more,
/// the first three and `et al.` (Chicago 18th ed.). Double quotes inside the
/// title become single ones; a title ending in `?` or `!` gets no period.
/// Without authors, the publisher stands as the author; without either, the
/// entry starts with the title.
pub fn formatted(c: &CiteInput<'_>) -> String {
    let names = authors(c);
    let date = long_date(c.date);
    let year = c.date.year();
    let mut parts: Vec<String> = Vec::new();
    let title = chicago_title(&tidy(c.title));
    let author_text = chicago_authors(&names);
    if author_text.is_empty() {
        parts.extend(title);
        parts.push(format!("{year}."));
    } else {
        parts.push(with_period(&author_text));
        parts.push(format!("{year}."));
        parts.extend(title);
    }
    let publisher = tidy(c.publisher);
    if publisher.is_empty() {
        parts.push(format!("{date}."));
    } else {
        parts.push(format!("{publisher}, {date}."));
    }
    let url = tidy(c.url);
    if !url.is_empty() {
        parts.push(format!("{url}."));
    }
    parts.join(" ")
}

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
///   note = {Policy brief}
/// }
/// ```
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
pub fn bibtex(c: &CiteInput<'_>) -> String {
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
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("  {name} = {value}"))
        .collect();
    out.push_str(&body.join(",\n"));
    out.push_str("\n}\n");
    out
}

/// The BibTeX key: the first author's family name (an institution's first
/// significant word; the publisher's without authors; else `anon`), the
/// year, and the title's first significant word (else the slug's, else
/// `brief`), each ASCII-folded and lowercased with the `slug` crate and
/// reduced to `[a-z0-9]`: `haddad2018sanctions`, `cavusoglu2018turkey`.
/// Two briefs by the same author in the same year whose titles start with
/// the same word get the same key.
pub fn key(c: &CiteInput<'_>) -> String {
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

/// An RIS record (`TY  - RPRT` … `ER  - `) with CRLF line endings, ending
/// in CRLF: one `AU` per author (`Family, Given`, or `Family, Given, Jr.`;
/// institutions as written), `TI`, `PY` (year), `DA` (`YYYY/MM/DD`), `PB`,
/// `UR`, and `M3  - Policy brief` (the report type). Blank fields are left
/// out; line breaks inside values become spaces. UTF-8.
pub fn ris(c: &CiteInput<'_>) -> String {
    let mut lines: Vec<(&str, String)> = vec![("TY", "RPRT".to_string())];
    for name in authors(c) {
        lines.push(("AU", name.ris()));
    }
    lines.push(("TI", tidy(c.title)));
    lines.push(("PY", format!("{:04}", c.date.year())));
    lines.push((
        "DA",
        format!(
            "{:04}/{:02}/{:02}",
            c.date.year(),
            c.date.month(),
            c.date.day()
        ),
    ));
    lines.push(("PB", tidy(c.publisher)));
    lines.push(("UR", tidy(c.url)));
    lines.push(("M3", "Policy brief".to_string()));
    let mut out = String::new();
    for (tag, value) in lines {
        if !value.is_empty() {
            let _ = write!(out, "{tag}  - {value}\r\n");
        }
    }
    out.push_str("ER  - \r\n");
    out
}

/// An author, read by the rules in the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Name {
    /// A person: given name(s), family name (with particles), suffix.
    Person {
        given: String,
        family: String,
        suffix: String,
    },
    /// An institution (or any name kept as written).
    Institution(String),
}

impl Name {
    /// Reads one author name; `None` when blank.
    fn parse(raw: &str) -> Option<Name> {
        let text = tidy(raw);
        if text.is_empty() {
            return None;
        }
        if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            let inner = tidy(inner);
            return (!inner.is_empty()).then_some(Name::Institution(inner));
        }
        if looks_institutional(&text) {
            return Some(Name::Institution(text));
        }
        if text.contains(',') {
            let parts: Vec<&str> = text.split(',').map(str::trim).collect();
            match parts.as_slice() {
                [natural, suffix] if is_suffix(suffix) => {
                    return Some(natural_order(natural, suffix, &text));
                }
                [family, given] => return Some(person(given, family, "", &text)),
                [family, middle, rest @ ..] if is_suffix(middle) => {
                    return Some(person(&rest.join(", "), family, middle, &text));
                }
                [family, given, rest @ ..] => {
                    return Some(person(given, family, &rest.join(", "), &text));
                }
                _ => return Some(Name::Institution(text)),
            }
        }
        Some(natural_order(&text, "", &text))
    }

    /// Chicago, first position: `Family, Given, Jr.`.
    fn inverted(&self) -> String {
        match self {
            Name::Person {
                given,
                family,
                suffix,
            } => join_nonempty(&[family, given, suffix], ", "),
            Name::Institution(name) => name.clone(),
        }
    }

    /// Chicago, later positions: `Given Family Jr.`.
    fn natural(&self) -> String {
        match self {
            Name::Person {
                given,
                family,
                suffix,
            } => join_nonempty(&[given, family, suffix], " "),
            Name::Institution(name) => name.clone(),
        }
    }

    /// BibTeX: `Family, Given`, `Family, Jr., Given`, `{Institution}`.
    fn bibtex(&self) -> String {
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

    /// RIS `AU`: `Family, Given, Jr.`; institutions as written.
    fn ris(&self) -> String {
        self.inverted()
    }
}

/// `Family, Given` parts into a person; an institution when the family name
/// is blank.
fn person(given: &str, family: &str, suffix: &str, text: &str) -> Name {
    if family.is_empty() {
        return Name::Institution(text.to_string());
    }
    Name::Person {
        given: given.to_string(),
        family: family.to_string(),
        suffix: suffix.to_string(),
    }
}

/// Rules 4–6 for a name in natural order (`suffix` already split off by a
/// comma, or empty).
fn natural_order(natural: &str, suffix: &str, text: &str) -> Name {
    let mut words: Vec<&str> = natural.split(' ').filter(|w| !w.is_empty()).collect();
    let mut suffix = suffix.to_string();
    if suffix.is_empty() && words.len() >= 3 && words.last().is_some_and(|w| is_suffix(w)) {
        suffix = words.pop().unwrap_or_default().to_string();
    }
    let core = words.iter().filter(|w| !PARTICLES.contains(w)).count();
    if words.len() < 2 || core > 3 {
        return Name::Institution(text.to_string());
    }
    let mut start = words.len() - 1;
    while start > 1 && PARTICLES.contains(&words[start - 1]) {
        start -= 1;
    }
    Name::Person {
        given: words[..start].join(" "),
        family: words[start..].join(" "),
        suffix,
    }
}

/// Lowercase name particles that belong to the family name.
const PARTICLES: &[&str] = &[
    "al", "bin", "bint", "ben", "da", "das", "de", "del", "della", "der", "des", "di", "do", "dos",
    "du", "el", "ibn", "la", "le", "ten", "ter", "van", "von", "zu",
];

/// Generational suffixes.
fn is_suffix(word: &str) -> bool {
    matches!(
        word,
        "Jr" | "Jr." | "Sr" | "Sr." | "II" | "III" | "IV" | "jr" | "jr." | "sr" | "sr."
    )
}

/// Words that mark a name as an institution (compared lowercased, without
/// surrounding punctuation). Words that are also common family names
/// (House, Press, Service, Post) are left out: brace such names.
const INSTITUTION_WORDS: &[&str] = &[
    // connecting words no personal name has
    "of",
    "for",
    "and",
    "the",
    "on",
    // English, French, German
    "academy",
    "agency",
    "alliance",
    "assembly",
    "association",
    "authority",
    "bank",
    "board",
    "bureau",
    "campaign",
    "center",
    "centre",
    "centres",
    "centers",
    "coalition",
    "college",
    "commission",
    "committee",
    "company",
    "consortium",
    "corp",
    "corporation",
    "council",
    "department",
    "desk",
    "directorate",
    "division",
    "editorial",
    "editors",
    "endowment",
    "federation",
    "forum",
    "foundation",
    "fund",
    "gmbh",
    "government",
    "group",
    "inc",
    "initiative",
    "institut",
    "institute",
    "institution",
    "international",
    "journal",
    "lab",
    "laboratory",
    "league",
    "llc",
    "ltd",
    "magazine",
    "media",
    "ministry",
    "monitor",
    "movement",
    "nations",
    "network",
    "news",
    "observatory",
    "office",
    "organisation",
    "organization",
    "parliament",
    "partners",
    "plc",
    "programme",
    "program",
    "project",
    "radio",
    "research",
    "secretariat",
    "society",
    "staff",
    "studies",
    "team",
    "times",
    "tribunal",
    "trust",
    "union",
    "université",
    "universität",
    "university",
    "watch",
    // Arabic
    "معهد",
    "مركز",
    "مؤسسة",
    "جامعة",
    "مجلس",
    "وزارة",
    "منظمة",
    "هيئة",
    "لجنة",
    "جمعية",
    "اتحاد",
    // Persian
    "مرکز",
    "مؤسسه",
    "موسسه",
    "دانشگاه",
    "سازمان",
    "وزارت",
    "شورای",
    "انجمن",
    "بنیاد",
    "پژوهشکده",
    "پژوهشگاه",
    "کمیته",
    "هیئت",
];

/// Rule 2 of the module docs.
fn looks_institutional(text: &str) -> bool {
    if text
        .chars()
        .any(|c| c.is_ascii_digit() || c == '&' || c == '@')
    {
        return true;
    }
    text.split(' ').any(|word| {
        let word = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        INSTITUTION_WORDS.contains(&word.as_str())
    })
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

/// Chicago author list: `A`, `A, and B` (`A and B` when A is an
/// institution), `A, B, and C`, up to six; more gives `A, B, C, et al.`.
fn chicago_authors(names: &[Name]) -> String {
    let Some(first) = names.first() else {
        return String::new();
    };
    let first_text = first.inverted();
    let rest: Vec<String> = names[1..].iter().map(Name::natural).collect();
    match rest.len() {
        0 => first_text,
        1 if matches!(first, Name::Institution(_)) => format!("{first_text} and {}", rest[0]),
        1 => format!("{first_text}, and {}", rest[0]),
        2..=5 => {
            let (last, middle) = rest.split_last().unwrap_or((&rest[0], &[]));
            let mut all = vec![first_text];
            all.extend(middle.iter().cloned());
            format!("{}, and {last}", all.join(", "))
        }
        _ => format!("{first_text}, {}, {}, et al.", rest[0], rest[1]),
    }
}

/// `"Title."`, with inner double quotes made single, or `None` when blank.
fn chicago_title(title: &str) -> Option<String> {
    if title.is_empty() {
        return None;
    }
    let title: String = title
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\u{201C}' => '\u{2018}',
            '\u{201D}' => '\u{2019}',
            c => c,
        })
        .collect();
    Some(format!("\"{}\"", with_period(&title)))
}

/// `text` ending in a period, unless it already ends in `.`, `?` or `!`.
fn with_period(text: &str) -> String {
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTH_MACROS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// 0-based month of `date`.
fn month_index(date: jiff::civil::Date) -> usize {
    usize::try_from(date.month() - 1).unwrap_or(0).min(11)
}

/// `January 2, 2018`.
fn long_date(date: jiff::civil::Date) -> String {
    format!(
        "{} {}, {}",
        MONTH_NAMES[month_index(date)],
        date.day(),
        date.year()
    )
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

fn join_nonempty(parts: &[&String], sep: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

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
    use jiff::civil::date;

    fn input<'a>(authors: Vec<&'a str>, title: &'a str) -> CiteInput<'a> {
        CiteInput {
            title,
            authors,
            date: date(2018, 1, 2),
            publisher: "Example Briefs",
            url: "https://org.github.io/briefs/sanctions/",
            slug: "sanctions",
        }
    }

    fn parse(raw: &str) -> Option<Name> {
        Name::parse(raw)
    }

    fn p(given: &str, family: &str, suffix: &str) -> Option<Name> {
        Some(Name::Person {
            given: given.into(),
            family: family.into(),
            suffix: suffix.into(),
        })
    }

    fn inst(name: &str) -> Option<Name> {
        Some(Name::Institution(name.into()))
    }

    #[test]
    fn names_are_read_by_the_documented_rules() {
        assert_eq!(parse("Leila Haddad"), p("Leila", "Haddad", ""));
        assert_eq!(parse("  Leila \n  Haddad "), p("Leila", "Haddad", ""));
        assert_eq!(parse("Haddad, Leila"), p("Leila", "Haddad", ""));
        assert_eq!(
            parse("Mohammad Javad Zarif"),
            p("Mohammad Javad", "Zarif", "")
        );
        assert_eq!(
            parse("Ludwig van Beethoven"),
            p("Ludwig", "van Beethoven", "")
        );
        assert_eq!(
            parse("Mohammed bin Salman"),
            p("Mohammed", "bin Salman", "")
        );
        assert_eq!(
            parse("Martin Luther King Jr."),
            p("Martin Luther", "King", "Jr.")
        );
        assert_eq!(
            parse("Martin Luther King, Jr."),
            p("Martin Luther", "King", "Jr.")
        );
        assert_eq!(
            parse("King, Martin Luther, Jr."),
            p("Martin Luther", "King", "Jr.")
        );
        assert_eq!(
            parse("King, Jr., Martin Luther"),
            p("Martin Luther", "King", "Jr.")
        );
        assert_eq!(
            parse("Ortega y Gasset, José"),
            p("José", "Ortega y Gasset", "")
        );
        assert_eq!(parse("Mevlüt Çavuşoğlu"), p("Mevlüt", "Çavuşoğlu", ""));
        assert_eq!(parse("ليلى حداد"), p("ليلى", "حداد", ""));
        assert_eq!(
            parse("Middle East Institute"),
            inst("Middle East Institute")
        );
        assert_eq!(
            parse("Council on Foreign Relations"),
            inst("Council on Foreign Relations")
        );
        assert_eq!(
            parse("International Crisis Group"),
            inst("International Crisis Group")
        );
        assert_eq!(parse("Human Rights Watch"), inst("Human Rights Watch"));
        assert_eq!(parse("Acme, Inc."), inst("Acme, Inc."));
        assert_eq!(parse("Team 8"), inst("Team 8"));
        assert_eq!(parse("Smith & Jones"), inst("Smith & Jones"));
        assert_eq!(parse("UNHCR"), inst("UNHCR"));
        assert_eq!(parse("{Chatham House}"), inst("Chatham House"));
        assert_eq!(parse("{ Leila Haddad }"), inst("Leila Haddad"));
        assert_eq!(parse("معهد الشرق الأوسط"), inst("معهد الشرق الأوسط"));
        assert_eq!(
            parse("مرکز مطالعات استراتژیک"),
            inst("مرکز مطالعات استراتژیک")
        );
        assert_eq!(
            parse("Ali Akbar Hashemi Rafsanjani"),
            inst("Ali Akbar Hashemi Rafsanjani")
        );
        assert_eq!(parse("   "), None);
        assert_eq!(parse("{}"), None);
    }

    #[test]
    fn formatted_one_two_three_authors() {
        let t = "Sanctions and the Rial";
        assert_eq!(
            formatted(&input(vec!["Leila Haddad"], t)),
            "Haddad, Leila. 2018. \"Sanctions and the Rial.\" Example Briefs, January 2, 2018. https://org.github.io/briefs/sanctions/."
        );
        assert_eq!(
            formatted(&input(vec!["Leila Haddad", "Tom Becker"], t)),
            "Haddad, Leila, and Tom Becker. 2018. \"Sanctions and the Rial.\" Example Briefs, January 2, 2018. https://org.github.io/briefs/sanctions/."
        );
        assert_eq!(
            formatted(&input(
                vec!["Leila Haddad", "Becker, Tom", "Sara Ahmadi"],
                t
            )),
            "Haddad, Leila, Tom Becker, and Sara Ahmadi. 2018. \"Sanctions and the Rial.\" Example Briefs, January 2, 2018. https://org.github.io/briefs/sanctions/."
        );
    }

    #[test]
    fn formatted_many_authors_uses_et_al() {
        let six = vec!["A One", "B Two", "C Three", "D Four", "E Five", "F Six"];
        let text = formatted(&input(six.clone(), "T"));
        assert!(text.starts_with("One, A, B Two, C Three, D Four, E Five, and F Six. 2018."));
        let mut seven = six;
        seven.push("G Seven");
        let text = formatted(&input(seven, "T"));
        assert!(text.starts_with("One, A, B Two, C Three, et al. 2018. \"T.\""));
    }

    #[test]
    fn formatted_institutions_and_suffixes() {
        assert_eq!(
            formatted(&input(vec!["Middle East Institute"], "Gulf Security")),
            "Middle East Institute. 2018. \"Gulf Security.\" Example Briefs, January 2, 2018. https://org.github.io/briefs/sanctions/."
        );
        assert!(
            formatted(&input(vec!["Middle East Institute", "Tom Becker"], "T"))
                .starts_with("Middle East Institute and Tom Becker. 2018.")
        );
        assert!(
            formatted(&input(vec!["Leila Haddad", "Middle East Institute"], "T"))
                .starts_with("Haddad, Leila, and Middle East Institute. 2018.")
        );
        // No doubled period after a suffix or an abbreviation.
        assert!(
            formatted(&input(vec!["Martin Luther King Jr."], "T"))
                .starts_with("King, Martin Luther, Jr. 2018.")
        );
        assert!(
            formatted(&input(vec!["Tom Becker", "Martin Luther King Jr."], "T"))
                .starts_with("Becker, Tom, and Martin Luther King Jr. 2018.")
        );
    }

    #[test]
    fn formatted_titles_with_special_characters() {
        let text = formatted(&input(
            vec!["Leila Haddad"],
            "Is the \"Maximum Pressure\" Campaign Working?",
        ));
        assert!(text.contains(" \"Is the 'Maximum Pressure' Campaign Working?\" Example Briefs,"));
        let text = formatted(&input(vec!["Leila Haddad"], "Oil & Gas: 50% < 100%!"));
        assert!(text.contains(" \"Oil & Gas: 50% < 100%!\" "));
        let text = formatted(&input(vec!["Leila Haddad"], "Ends with a period."));
        assert!(text.contains(" \"Ends with a period.\" "));
        let text = formatted(&input(vec!["Leila Haddad"], "Line\nbreak\tand\u{0}control"));
        assert!(text.contains(" \"Line break andcontrol.\" "));
    }

    #[test]
    fn formatted_non_ascii() {
        let text = formatted(&input(
            vec!["Mevlüt Çavuşoğlu", "ليلى حداد"],
            "تحریم‌ها و اقتصاد ایران",
        ));
        assert_eq!(
            text,
            "Çavuşoğlu, Mevlüt, and ليلى حداد. 2018. \"تحریم‌ها و اقتصاد ایران.\" Example Briefs, January 2, 2018. https://org.github.io/briefs/sanctions/."
        );
    }

    #[test]
    fn formatted_without_authors_or_publisher() {
        let mut c = input(vec![], "Unsigned");
        assert_eq!(
            formatted(&c),
            "Example Briefs. 2018. \"Unsigned.\" Example Briefs, January 2, 2018. https://org.github.io/briefs/sanctions/."
        );
        c.authors = vec![" ", ""];
        assert!(formatted(&c).starts_with("Example Briefs. 2018."));
        c.publisher = "";
        c.url = "";
        assert_eq!(formatted(&c), "\"Unsigned.\" 2018. January 2, 2018.");
    }

    #[test]
    fn bibtex_entry() {
        let c = input(vec!["Leila Haddad", "Tom Becker"], "Sanctions and the Rial");
        assert_eq!(
            bibtex(&c),
            "@misc{haddad2018sanctions,\n  author = {Haddad, Leila and Becker, Tom},\n  title = {{Sanctions and the Rial}},\n  howpublished = {Example Briefs},\n  year = {2018},\n  month = jan,\n  url = {https://org.github.io/briefs/sanctions/},\n  note = {Policy brief}\n}\n"
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

    #[test]
    fn ris_record() {
        let c = input(vec!["Leila Haddad", "Tom Becker"], "Sanctions and the Rial");
        assert_eq!(
            ris(&c),
            "TY  - RPRT\r\nAU  - Haddad, Leila\r\nAU  - Becker, Tom\r\nTI  - Sanctions and the Rial\r\nPY  - 2018\r\nDA  - 2018/01/02\r\nPB  - Example Briefs\r\nUR  - https://org.github.io/briefs/sanctions/\r\nM3  - Policy brief\r\nER  - \r\n"
        );
    }

    #[test]
    fn ris_authors_and_lines() {
        let au = |authors: Vec<&str>| -> Vec<String> {
            ris(&input(authors, "T"))
                .split("\r\n")
                .filter_map(|l| l.strip_prefix("AU  - ").map(str::to_string))
                .collect()
        };
        assert_eq!(au(vec!["Middle East Institute"]), ["Middle East Institute"]);
        assert_eq!(
            au(vec![
                "Leila Haddad",
                "Tom Becker",
                "Sara Ahmadi",
                "{Chatham House}"
            ]),
            [
                "Haddad, Leila",
                "Becker, Tom",
                "Ahmadi, Sara",
                "Chatham House"
            ]
        );
        assert_eq!(
            au(vec!["Martin Luther King Jr."]),
            ["King, Martin Luther, Jr."]
        );
        assert_eq!(
            au(vec!["Mevlüt Çavuşoğlu", "ليلى حداد"]),
            ["Çavuşoğlu, Mevlüt", "حداد, ليلى"]
        );
        assert_eq!(au(vec![]), ["Example Briefs"]);

        let mut c = input(vec!["Leila Haddad"], "Oil & \"Gas\"\r\nsecond line");
        c.date = date(2021, 11, 9);
        let text = ris(&c);
        assert!(text.contains("\r\nTI  - Oil & \"Gas\" second line\r\n"));
        assert!(text.contains("\r\nPY  - 2021\r\nDA  - 2021/11/09\r\n"));
        // Every line ends in CRLF; no bare LF or CR.
        assert!(text.ends_with("ER  - \r\n"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert_eq!(text.matches('\r').count(), text.matches("\r\n").count());
        for line in text.trim_end_matches("\r\n").split("\r\n") {
            assert_eq!(&line[2..6], "  - ", "bad line {line:?}");
        }
        c.publisher = "";
        c.url = "";
        let text = ris(&c);
        assert!(!text.contains("PB  -") && !text.contains("UR  -"));
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
