//! The controlled vocabulary of countries: ISO 3166-1 from `keshvar`, plus a
//! small project-owned table of display names and aliases, plus the non-ISO
//! places a site declares in `site.yaml`.
//!
//! Owns which name or code means which place, and which name wins when two
//! claim it. It reads no file and reports nothing itself: clashing site
//! places are returned for the caller to word.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::content::config::PlaceConfig;

/// One country or place that briefs can be about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// ISO alpha-2 code, or the code the site gave a non-ISO place.
    pub code: String,
    /// Display name.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// UN sub-region (e.g. "Western Asia"), when known.
    pub region: Option<String>,
    /// Flag emoji, empty for places without one.
    pub flag: String,
}

/// Display names that read better than the ISO short name, and common aliases.
/// Codes listed here must be ISO alpha-2 codes (checked by a test).
const DISPLAY_AND_ALIASES: &[(&str, &str, &[&str])] = &[
    (
        "US",
        "United States",
        &[
            "USA",
            "U.S.",
            "U.S.A.",
            "United States of America",
            "America",
        ],
    ),
    (
        "GB",
        "United Kingdom",
        &["UK", "U.K.", "Britain", "Great Britain"],
    ),
    ("IR", "Iran", &["Islamic Republic of Iran", "Persia"]),
    ("SY", "Syria", &["Syrian Arab Republic"]),
    ("RU", "Russia", &["Russian Federation"]),
    (
        "KR",
        "South Korea",
        &["Republic of Korea", "Korea, South", "ROK"],
    ),
    (
        "KP",
        "North Korea",
        &[
            "DPRK",
            "Democratic People's Republic of Korea",
            "Korea, North",
        ],
    ),
    ("VN", "Vietnam", &["Viet Nam"]),
    (
        "LA",
        "Laos",
        &["Lao PDR", "Lao People's Democratic Republic"],
    ),
    ("TW", "Taiwan", &["Republic of China"]),
    (
        "PS",
        "Palestine",
        &[
            "State of Palestine",
            "Palestinian Territories",
            "Palestinian territories",
        ],
    ),
    ("VA", "Vatican City", &["Holy See", "Vatican"]),
    ("FM", "Micronesia", &["Federated States of Micronesia"]),
    ("CZ", "Czechia", &["Czech Republic"]),
    (
        "CD",
        "Democratic Republic of the Congo",
        &["DRC", "DR Congo", "Congo-Kinshasa", "Congo (Kinshasa)"],
    ),
    (
        "CG",
        "Republic of the Congo",
        &["Congo-Brazzaville", "Congo (Brazzaville)", "Congo"],
    ),
    ("CI", "Côte d'Ivoire", &["Ivory Coast", "Cote d'Ivoire"]),
    ("TR", "Turkey", &["Türkiye", "Turkiye"]),
    ("AE", "United Arab Emirates", &["UAE", "U.A.E.", "Emirates"]),
    ("SA", "Saudi Arabia", &["Kingdom of Saudi Arabia", "KSA"]),
    ("NL", "Netherlands", &["The Netherlands", "Holland"]),
    ("BN", "Brunei", &["Brunei Darussalam"]),
    ("CV", "Cabo Verde", &["Cape Verde"]),
    ("SZ", "Eswatini", &["Swaziland"]),
    ("MK", "North Macedonia", &["Macedonia"]),
    ("MM", "Myanmar", &["Burma"]),
    ("TL", "Timor-Leste", &["East Timor"]),
    ("ST", "São Tomé and Príncipe", &["Sao Tome and Principe"]),
    ("BO", "Bolivia", &[]),
    ("VE", "Venezuela", &[]),
    ("TZ", "Tanzania", &[]),
    ("MD", "Moldova", &[]),
    ("GM", "Gambia", &["The Gambia"]),
    ("BS", "Bahamas", &["The Bahamas"]),
    ("VG", "British Virgin Islands", &[]),
    ("VI", "U.S. Virgin Islands", &["US Virgin Islands"]),
    ("FK", "Falkland Islands", &[]),
    ("MO", "Macau", &["Macao"]),
    ("HK", "Hong Kong", &[]),
    ("EG", "Egypt", &[]),
    ("LY", "Libya", &[]),
];

/// Languages whose country names (keshvar's `translations`, from the
/// `countries` data set) are accepted in front matter: the languages the
/// institutes this tool serves publish in. Each name is claimed after every
/// English name and alias, so a translation never takes an English name.
const NAME_LANGUAGES: &[&str] = &["ar", "fa", "fr", "es", "tr", "de", "ur", "ps", "he", "ku"];

/// Common names the translation data lacks: it gives several countries
/// only their long official form, and Arabic and Persian spell some names
/// with each other's letters (Arabic yeh `ي` / Persian yeh `ی`, kaf `ك` /
/// `ک`), which slugs keep apart.
const SCRIPT_ALIASES: &[(&str, &[&str])] = &[
    (
        "IR",
        &[
            "ايران",
            "إیران",
            "الجمهورية الإسلامية الإيرانية",
            "جمهوری اسلامی ایران",
        ],
    ),
    (
        "US",
        &[
            "الولايات المتحدة",
            "أمريكا",
            "آمریکا",
            "امریکا",
            "ایالات متحده",
            "Estados Unidos",
            "États-Unis",
        ],
    ),
    ("SA", &["السعودية", "عربستان سعودی", "عربستان"]),
    ("AE", &["الإمارات", "امارات", "امارات متحده عربی"]),
    ("GB", &["بريطانيا", "المملكة المتحدة", "بریتانیا", "انگلیس"]),
    ("SY", &["سوريا", "سوریه"]),
    ("RU", &["روسيا", "روسیه"]),
    ("TR", &["تركيا", "ترکیه"]),
    ("IQ", &["العراق", "عراق"]),
    ("PS", &["فلسطين", "فلسطین"]),
    ("KR", &["كوريا الجنوبية", "کره جنوبی"]),
    ("KP", &["كوريا الشمالية", "کره شمالی"]),
];

/// Widely used places that are not ISO 3166-1 entries; a site may add its own.
const BUILT_IN_PLACES: &[(&str, &str, &[&str])] = &[("XK", "Kosovo", &["Republic of Kosovo"])];

/// Looks up countries and places by any of their names or codes.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: BTreeMap<String, Place>,
    lookup: HashMap<String, String>,
}

/// Normalises a name for lookup: case, accents and punctuation are ignored.
/// It is also the name's URL segment (see [`super::slugs`]).
pub(crate) fn lookup_key(name: &str) -> String {
    super::slugs::name_slug(name)
}

impl Gazetteer {
    /// The ISO table plus `extra` places from `site.yaml`. Returns the place
    /// names that clash with an existing name, so the caller can report them.
    pub fn new(extra: &[PlaceConfig]) -> (Self, Vec<String>) {
        let mut g = Gazetteer {
            places: BTreeMap::new(),
            lookup: HashMap::new(),
        };
        // Pass 1 claims codes and display names, pass 2 the rest, so that an
        // alias can never steal a country's own name or code.
        let mut later: Vec<(String, String)> = Vec::new();
        let mut translated: Vec<(String, String)> = Vec::new();
        g.add_iso_countries(&mut later, &mut translated);
        g.add_built_in_places(&mut later);
        for (alias, code) in &later {
            g.claim(alias, code);
        }
        // Pass 3: names in other languages, after every English one. A name
        // two countries give (French `Corée` of both Koreas) means neither.
        let mut owners: HashMap<String, Option<&str>> = HashMap::new();
        for (alias, code) in &translated {
            owners
                .entry(lookup_key(alias))
                .and_modify(|o| {
                    if *o != Some(code.as_str()) {
                        *o = None;
                    }
                })
                .or_insert(Some(code.as_str()));
        }
        for (alias, code) in &translated {
            if owners.get(&lookup_key(alias)) == Some(&Some(code.as_str())) {
                g.claim(alias, code);
            }
        }
        let clashes = g.add_site_places(extra);
        (g, clashes)
    }

    /// Adds every ISO 3166-1 country and claims its codes and display name;
    /// its other names go to `later` (pass 2), its names in
    /// [`NAME_LANGUAGES`] and [`SCRIPT_ALIASES`] to `translated` (pass 3).
    fn add_iso_countries(
        &mut self,
        later: &mut Vec<(String, String)>,
        translated: &mut Vec<(String, String)>,
    ) {
        let script_aliases: HashMap<&str, &[&str]> = SCRIPT_ALIASES.iter().copied().collect();
        let overrides: HashMap<&str, (&str, &[&str])> = DISPLAY_AND_ALIASES
            .iter()
            .map(|(code, name, aliases)| (*code, (*name, *aliases)))
            .collect();
        for country in keshvar::CountryIterator::new() {
            let code = format!("{:?}", country.alpha2());
            let alpha3 = format!("{:?}", country.alpha3());
            let iso_short = country.iso_short_name();
            let (name, aliases) = match overrides.get(code.as_str()) {
                Some((name, aliases)) => (name.to_string(), *aliases),
                None => (tidy_iso_name(iso_short), &[][..]),
            };
            self.add_place(Place {
                slug: lookup_key(&name),
                code: code.clone(),
                name: name.clone(),
                region: country
                    .maybe_subregion()
                    .map(|r| region_label(&r.to_string())),
                flag: country.emoji().to_string(),
            });
            self.claim(&code, &code);
            self.claim(&alpha3, &code);
            self.claim(&name, &code);
            for alias in aliases {
                later.push((alias.to_string(), code.clone()));
            }
            later.push((iso_short.to_string(), code.clone()));
            later.push((country.iso_long_name().to_string(), code.clone()));
            for alias in country.unofficial_name_list() {
                later.push((alias.to_string(), code.clone()));
            }
            for language in NAME_LANGUAGES {
                if let Some(name) = country.translations().get(language) {
                    for form in translated_forms(name) {
                        translated.push((form.to_string(), code.clone()));
                    }
                }
            }
            for alias in script_aliases
                .get(code.as_str())
                .copied()
                .unwrap_or_default()
            {
                translated.push((alias.to_string(), code.clone()));
            }
        }
    }

    /// Adds [`BUILT_IN_PLACES`]; their aliases go to `later` (pass 2).
    fn add_built_in_places(&mut self, later: &mut Vec<(String, String)>) {
        for (code, name, aliases) in BUILT_IN_PLACES {
            self.add_place(Place {
                code: code.to_string(),
                name: name.to_string(),
                slug: lookup_key(name),
                region: None,
                flag: String::new(),
            });
            self.claim(code, code);
            self.claim(name, code);
            for alias in *aliases {
                later.push((alias.to_string(), code.to_string()));
            }
        }
    }

    /// Adds the site's own places after all others, so they cannot take an
    /// existing name; returns the names and codes that clashed.
    fn add_site_places(&mut self, extra: &[PlaceConfig]) -> Vec<String> {
        let mut clashes = Vec::new();
        for place in extra {
            let code = place
                .code
                .clone()
                .unwrap_or_else(|| lookup_key(&place.name).to_uppercase());
            let names = std::iter::once(&place.name).chain(place.aliases.iter());
            for n in names.clone() {
                if self.resolve(n).is_some() {
                    clashes.push(n.clone());
                }
            }
            if self.places.contains_key(&code) {
                clashes.push(code.clone());
                continue;
            }
            self.add_place(Place {
                code: code.clone(),
                name: place.name.clone(),
                slug: lookup_key(&place.name),
                region: place.region.clone(),
                flag: String::new(),
            });
            self.claim(&code, &code);
            for n in names {
                self.claim(n, &code);
            }
        }
        clashes
    }

    fn add_place(&mut self, place: Place) {
        self.places.insert(place.code.clone(), place);
    }

    fn claim(&mut self, name: &str, code: &str) {
        let key = lookup_key(name);
        if !key.is_empty() {
            self.lookup.entry(key).or_insert_with(|| code.to_string());
        }
    }

    /// The place a name, alias or code refers to.
    pub fn resolve(&self, name: &str) -> Option<&Place> {
        self.lookup
            .get(&lookup_key(name))
            .and_then(|code| self.places.get(code))
    }

    /// The place with this canonical code.
    pub fn get(&self, code: &str) -> Option<&Place> {
        self.places.get(code)
    }

    /// The closest known name, for "did you mean" hints.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        crate::diagnostic::did_you_mean(name, self.places.values().map(|p| p.name.as_str()))
    }
}

/// A country's name in a language (keshvar's translations, in the short
/// form writers use), by ISO code and language tag; `None` for places
/// without one (non-ISO places, languages the data lacks).
pub(crate) fn localized_name(code: &str, lang: &str) -> Option<&'static str> {
    let country = keshvar::Country::try_from(code).ok()?;
    let name: &'static str = country
        .translations()
        .get(crate::content::lang::primary(lang))?;
    translated_forms(name).last()
}

/// A translated name as given and, for ISO's inverted forms
/// (`Irán, República islámica de`, `إيران، الجمهورية الإسلامية الإيرانية`),
/// the part before the comma, which is the name writers use.
fn translated_forms(name: &str) -> impl Iterator<Item = &str> {
    let short = name
        .split([',', '،', '('])
        .next()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() < name.len());
    std::iter::once(name).chain(short)
}

/// keshvar prints sub-regions as slugs (`western-asia`); readers want `Western Asia`.
fn region_label(slug: &str) -> String {
    slug.split('-')
        .map(|word| match word {
            "and" | "of" => word.to_string(),
            _ => {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// ISO short names carry qualifiers ("Bolivia (Plurinational State of)",
/// "Tanzania, United Republic of") that read badly in a list.
fn tidy_iso_name(iso: &str) -> String {
    let name = match iso.find(" (") {
        Some(i) => &iso[..i],
        None => iso,
    };
    match name.split_once(", ") {
        Some((head, tail)) if tail.ends_with(" of") || tail.ends_with(" of the") => {
            head.to_string()
        }
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        Gazetteer::new(&[PlaceConfig {
            name: "Kurdistan Region".into(),
            code: Some("XKR".into()),
            aliases: vec!["Iraqi Kurdistan".into()],
            region: None,
        }])
        .0
    }

    #[test]
    fn names_codes_and_aliases_resolve_to_one_country() {
        let g = gazetteer();
        for name in [
            "US",
            "USA",
            "usa",
            "United States of America",
            "United States",
        ] {
            assert_eq!(
                g.resolve(name).map(|p| p.code.as_str()),
                Some("US"),
                "{name}"
            );
        }
        assert_eq!(g.resolve("Ivory Coast").unwrap().code, "CI");
        assert_eq!(g.resolve("Côte d'Ivoire").unwrap().code, "CI");
        assert_eq!(g.resolve("IRN").unwrap().name, "Iran");
        assert_eq!(
            g.resolve("Iran").unwrap().region.as_deref(),
            Some("Southern Asia")
        );
        assert_eq!(
            g.resolve("Iraq").unwrap().region.as_deref(),
            Some("Western Asia")
        );
        assert_eq!(g.resolve("Czech Republic").unwrap().code, "CZ");
        assert_eq!(g.resolve("Iraqi Kurdistan").unwrap().code, "XKR");
        assert_eq!(g.resolve("Kosovo").unwrap().code, "XK");
        assert!(g.resolve("Atlantis").is_none());
        assert_eq!(g.suggest("Irann"), Some("Iran"));
    }

    #[test]
    fn names_in_other_languages_and_scripts() {
        let g = gazetteer();
        let code = |n: &str| g.resolve(n).map(|p| p.code.clone());
        for name in ["إيران", "ایران", "ايران", "Irán", "İran", "Iran"] {
            assert_eq!(code(name).as_deref(), Some("IR"), "{name}");
        }
        assert_eq!(code("العراق").as_deref(), Some("IQ"));
        assert_eq!(code("عراق").as_deref(), Some("IQ"));
        assert_eq!(code("ترکیه").as_deref(), Some("TR"));
        assert_eq!(code("Arabie saoudite").as_deref(), Some("SA"));
        assert_eq!(code("Estados Unidos").as_deref(), Some("US"));
        // English names are never taken by a translation.
        assert_eq!(code("Congo").as_deref(), Some("CG"));
        assert_eq!(code("Guinea").as_deref(), Some("GN"));
    }

    #[test]
    fn every_override_is_an_iso_code() {
        let g = gazetteer();
        for (code, name, _) in DISPLAY_AND_ALIASES {
            assert_eq!(g.get(code).map(|p| p.name.as_str()), Some(*name), "{code}");
        }
    }

    #[test]
    fn every_benchmark_country_name_resolves() {
        // The names used by ../shared/bench/gen_corpus.py and common press usage.
        let g = gazetteer();
        for name in [
            "Vatican City",
            "Micronesia",
            "São Tomé and Príncipe",
            "Democratic Republic of the Congo",
            "Republic of the Congo",
            "Timor-Leste",
            "North Macedonia",
            "Eswatini",
            "Cabo Verde",
            "Palestine",
            "Taiwan",
            "South Korea",
            "North Korea",
            "Laos",
            "Brunei",
            "Bosnia and Herzegovina",
            "Czech Republic",
            "Kosovo",
        ] {
            assert!(g.resolve(name).is_some(), "{name}");
        }
    }

    #[test]
    fn display_names_have_no_iso_qualifiers() {
        let g = gazetteer();
        for place in g.places.values() {
            assert!(!place.name.contains('('), "{}", place.name);
        }
        let mut slugs: Vec<_> = g.places.values().map(|p| &p.slug).collect();
        let n = slugs.len();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), n, "two places share a URL slug");
    }
}
