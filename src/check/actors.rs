//! Actor names that probably name one actor: spellings a letter or two
//! apart ("Hasan"/"Hassan", "Muhammad"/"Mohammed"), dotted acronyms
//! ("I.R.G.C."), an acronym and its expansion, a surname alone and the
//! full name ("Macron"/"Emmanuel Macron"), and Arabic vs Persian letter
//! forms of one name.
//!
//! Fast on thousands of actors: every name gets a few cheap keys, names are
//! grouped by key, and only names that share a key are compared.

use std::collections::{BTreeMap, HashMap};

use crate::content::countries::Gazetteer;
use crate::content::slugs::is_ignorable;
use crate::diagnostic::Diagnostic;
use crate::{Loaded, index};

/// Why two names look alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Likeness {
    Spelling,
    Acronym,
    Surname,
}

/// One actor name, folded for comparison.
struct Name<'a> {
    key: &'a str,
    /// Lowercase, accents and Arabic/Persian letter forms folded, words
    /// separated by one space.
    folded: String,
}

/// Warnings for pairs of actors that look like one.
pub(super) fn similar_actors(loaded: &Loaded, index: &index::Index) -> Vec<Diagnostic> {
    alike_pairs(&index.actors, &loaded.gazetteer)
        .into_iter()
        .filter_map(|(a, b)| warning(loaded, index, a, b))
        .collect()
}

/// The pairs of terms (by key) whose names look like one name: used for
/// actors here and for source publishers (`check::publishers`).
pub(super) fn alike_pairs<'t>(
    terms: &'t BTreeMap<String, index::Term>,
    gazetteer: &Gazetteer,
) -> Vec<(&'t str, &'t str)> {
    let names: Vec<Name<'_>> = terms
        .iter()
        .map(|(key, term)| Name {
            key,
            folded: fold(&term.name),
        })
        .collect();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        for k in keys(&n.folded, &terms[n.key].name) {
            groups.entry(k).or_default().push(i);
        }
    }
    let mut pairs: BTreeMap<(usize, usize), Likeness> = BTreeMap::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if let Some(l) = likeness(&names[i], &names[j], terms, gazetteer) {
                    pairs.entry((i.min(j), i.max(j))).or_insert(l);
                }
            }
        }
    }
    pairs
        .into_keys()
        .map(|(i, j)| (names[i].key, names[j].key))
        .collect()
}

/// Folds what does not make a different name: case, accents, Arabic vs
/// Persian letter forms, joiners and vowel marks; punctuation becomes a space.
fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if is_ignorable(c) || c == '.' {
            continue;
        }
        let c = match c {
            'ي' | 'ى' | 'ئ' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            c => c,
        };
        if c.is_alphanumeric() {
            if c.is_ascii() || !c.is_alphabetic() || (c as u32) > 0x24F {
                out.push(c);
            } else {
                out.push_str(&deunicode::deunicode_char(c).unwrap_or("").to_lowercase());
            }
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

const STOP_WORDS: &[&str] = &["of", "the", "and", "for", "al", "el", "de", "la", "du"];

/// The grouping keys of a folded name: the name without spaces, its
/// consonant skeleton, its one-letter deletions, its initials and its last word.
fn keys(folded: &str, written: &str) -> Vec<String> {
    let compact: String = folded.chars().filter(|c| *c != ' ').collect();
    let mut keys = vec![format!("c:{compact}"), format!("s:{}", skeleton(&compact))];
    let chars: Vec<char> = compact.chars().collect();
    if (6..=40).contains(&chars.len()) {
        for i in 0..chars.len() {
            let deleted: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
            keys.push(format!("d:{deleted}"));
        }
    }
    let words: Vec<&str> = folded.split(' ').collect();
    if is_acronym(written) {
        keys.push(format!("a:{compact}"));
    } else if let Some(initials) = initials(&words) {
        keys.push(format!("a:{initials}"));
    }
    if let Some(last) = words.last().filter(|w| w.chars().count() >= 4) {
        keys.push(format!("l:{last}"));
    }
    keys
}

/// Lowercase consonants with doubled letters collapsed, the first letter kept:
/// "mohammed" and "muhammad" are both `mhmd`.
fn skeleton(compact: &str) -> String {
    let mut out = String::new();
    for (i, c) in compact.chars().enumerate() {
        if i > 0 && "aeiouy".contains(c) || out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// "IRGC", "I.R.G.C.": one word of 2 to 8 capitals (dots allowed).
fn is_acronym(written: &str) -> bool {
    let letters: Vec<char> = written.chars().filter(|c| *c != '.').collect();
    (2..=8).contains(&letters.len())
        && letters
            .iter()
            .all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// The initials of a name of several significant words.
fn initials(words: &[&str]) -> Option<String> {
    let significant: Vec<&&str> = words.iter().filter(|w| !STOP_WORDS.contains(w)).collect();
    (significant.len() >= 2).then(|| {
        significant
            .iter()
            .filter_map(|w| w.chars().next())
            .collect()
    })
}

/// Whether two names that share a key look like one actor, and why.
fn likeness(
    a: &Name<'_>,
    b: &Name<'_>,
    terms: &BTreeMap<String, index::Term>,
    gazetteer: &Gazetteer,
) -> Option<Likeness> {
    if a.key == b.key {
        return None;
    }
    let (fa, fb) = (&a.folded, &b.folded);
    let compact = |s: &str| s.replace(' ', "");
    if compact(fa) == compact(fb) {
        return Some(Likeness::Spelling);
    }
    let written = |n: &Name<'_>| terms[n.key].name.as_str();
    let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    let (wa, wb) = (words(fa), words(fb));
    let initials_of = |w: &[String]| {
        let refs: Vec<&str> = w.iter().map(String::as_str).collect();
        initials(&refs)
    };
    if is_acronym(written(a)) && initials_of(&wb) == Some(compact(fa))
        || is_acronym(written(b)) && initials_of(&wa) == Some(compact(fb))
    {
        return Some(Likeness::Acronym);
    }
    let surname_of = |one: &[String], full: &[String]| {
        one.len() == 1 && full.len() > 1 && full.last() == one.first() && !is_acronym(&one[0])
    };
    if surname_of(&wa, &wb) || surname_of(&wb, &wa) {
        return Some(Likeness::Surname);
    }
    let (na, nb) = (fa.chars().count(), fb.chars().count());
    let close = na.min(nb) >= 6
        && fa.chars().next() == fb.chars().next()
        && strsim::levenshtein(fa, fb) <= 2
        && (strsim::jaro_winkler(fa, fb) >= 0.93
            || skeleton(&compact(fa)) == skeleton(&compact(fb)))
        && words_alike(&wa, &wb, gazetteer);
    close.then_some(Likeness::Spelling)
}

/// Word by word, two close names differ only in spellings of one word
/// ("Hasan"/"Hassan", "Muhammad"/"Mohammed"), not in another word ("Layla
/// Yang"/"Layla Lange") or another place ("Central Bank of Iraq"/"... of Iran").
fn words_alike(a: &[String], b: &[String], gazetteer: &Gazetteer) -> bool {
    if a.len() != b.len() {
        return true;
    }
    a.iter().zip(b).filter(|(x, y)| x != y).all(|(x, y)| {
        let spelled = strsim::levenshtein(x, y) <= 1 || skeleton(x) == skeleton(y);
        let places = gazetteer.resolve(x).zip(gazetteer.resolve(y));
        spelled && places.is_none_or(|(p, q)| p.code == q.code)
    })
}

/// The warning for a pair, at the first brief naming the spelling to drop:
/// the registry entry is kept, else the longer name, else the more used one.
fn warning(loaded: &Loaded, index: &index::Index, a: &str, b: &str) -> Option<Diagnostic> {
    let registered = |k: &str| loaded.actors.entries.contains_key(k);
    let rank = |k: &str| {
        let t = &index.actors[k];
        (registered(k), t.name.chars().count(), t.briefs.len())
    };
    let (keep, odd) = if rank(b) > rank(a) { (b, a) } else { (a, b) };
    let (path, at) = first_mention(loaded, odd)?;
    let kept = &index.actors[keep].name;
    let odd_name = &index.actors[odd].name;
    let file = loaded.actors.entries.get(keep).map_or_else(
        || format!("content/actors/{keep}.md"),
        |e| e.path.display().to_string(),
    );
    Some(
        Diagnostic::error(path, at.0, at.1, format!("actor `{odd_name}` looks like `{kept}`"))
            .with_hint(format!(
                "if they are one actor, list `{odd_name}` under `aliases:` in {file} (with `name: \"{kept}\"`)"
            ))
            .warning(),
    )
}

/// Where an actor is first named.
fn first_mention<'a>(
    loaded: &'a Loaded,
    key: &str,
) -> Option<(&'a std::path::Path, (usize, usize))> {
    loaded.briefs.iter().find_map(|b| {
        b.actors
            .iter()
            .find(|a| a.key == key)
            .map(|a| (b.path.as_path(), a.at))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("I.R.G.C."), "irgc");
        assert_eq!(fold("Émilie  Dupont-Ödén"), "emilie dupont oden");
        assert_eq!(fold("حسن روحاني"), fold("حسن روحانی"));
        assert_eq!(fold("كمال"), fold("کمال"));
        assert_eq!(fold("فاطمة"), fold("فاطمه"));
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("محمّد"), fold("محمد"));
        assert_eq!(fold("می\u{200C}خواهم"), fold("میخواهم"));
    }

    #[test]
    fn skeletons_and_initials() {
        assert_eq!(skeleton("mohammed"), skeleton("muhammad"));
        assert_ne!(skeleton("hassan"), skeleton("hossein") + "x");
        assert_eq!(
            initials(&["islamic", "revolutionary", "guard", "corps"]).as_deref(),
            Some("irgc")
        );
        assert_eq!(initials(&["party", "of", "god"]).as_deref(), Some("pg"));
        assert!(is_acronym("IRGC") && is_acronym("I.R.G.C.") && !is_acronym("Macron"));
    }

    #[test]
    fn other_words_and_other_places_are_other_actors() {
        let (g, _) = Gazetteer::new(&[]);
        let w = |s: &str| fold(s).split(' ').map(str::to_string).collect::<Vec<_>>();
        let alike = |a: &str, b: &str| words_alike(&w(a), &w(b), &g);
        assert!(alike("Hasan Rouhani", "Hassan Rouhani"));
        assert!(alike("Muhammad Khatami", "Mohammed Khatami"));
        assert!(!alike("Layla Yang", "Layla Lange"));
        assert!(!alike("Central Bank of Iraq", "Central Bank of Iran"));
        assert!(!alike(
            "Chamber of Commerce of Mali",
            "Chamber of Commerce of Malawi"
        ));
    }

    #[test]
    fn hassan_and_hossein_are_two_people() {
        let (a, b) = (fold("Hassan Rouhani"), fold("Hossein Rouhani"));
        assert!(strsim::levenshtein(&a, &b) > 2);
    }
}
