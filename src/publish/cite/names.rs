//! Author names for citations: which entries are people and which are
//! institutions, and a person's given, family and suffix parts (the rules
//! are in the parent module's docs).
//!
//! Owns the word lists those rules use. Writes no citation format: each
//! format module spells a [`Name`] its own way.

use super::tidy;

/// An author, read by the rules in the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Name {
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
    pub(super) fn parse(raw: &str) -> Option<Name> {
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
    pub(super) fn inverted(&self) -> String {
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
    pub(super) fn natural(&self) -> String {
        match self {
            Name::Person {
                given,
                family,
                suffix,
            } => join_nonempty(&[given, family, suffix], " "),
            Name::Institution(name) => name.clone(),
        }
    }

    /// RIS `AU`: `Family, Given, Jr.`; institutions as written.
    pub(super) fn ris(&self) -> String {
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

fn join_nonempty(parts: &[&String], sep: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
