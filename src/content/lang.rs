//! Language tags (BCP 47) of briefs and the site, and the writing direction
//! that follows from them.
//!
//! Only the part of BCP 47 that briefs need is accepted: a language, an
//! optional script and an optional region (`ar`, `fa-IR`, `az-Arab`,
//! `en-GB`, `zh-Hant-TW`), plus private use (`-x-...`). The language must be
//! an ISO 639-1 code or one of a short list of three-letter codes: a purely
//! syntactic check would accept `xx-nonsense` (`nonsense` has the shape of a
//! variant), which is exactly the mistake worth catching.

/// ISO 639-1 two-letter language codes (the whole list, including the
/// deprecated `iw`/`in`/`ji`, which older archives still carry).
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "in", "io", "is", "it", "iu", "iw", "ja", "ji", "jv", "ka",
    "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb",
    "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt",
    "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or",
    "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se",
    "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te",
    "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz",
    "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Three-letter codes (ISO 639-2/3) a policy site is likely to publish in
/// that have no two-letter code. Extend when a site needs another.
const THREE_LETTER: &[&str] = &[
    "ace", "apc", "arz", "ary", "acm", "ajp", "aeb", "azb", "bal", "ber", "ckb", "cmn", "fil",
    "glk", "gsw", "hak", "haw", "hbs", "kab", "kmr", "lrc", "luz", "mzn", "nan", "nqo", "pes",
    "pnb", "prs", "sdh", "shi", "skr", "syc", "syr", "tzm", "yue", "zgh", "zza",
];

/// Languages written right to left when the tag names no script. Kurdish
/// (`ku`), Azerbaijani (`az`) and Uzbek are written in several scripts and
/// stay left to right unless the tag says `-Arab`.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "fa", "he", "iw", "ur", "ps", "dv", "yi", "ji", "sd", "ug", "ckb", "sdh", "lrc", "azb",
    "pes", "prs", "arz", "apc", "ary", "acm", "ajp", "aeb", "bal", "glk", "mzn", "pnb", "skr",
    "syr", "syc", "nqo",
];

/// Scripts written right to left (ISO 15924).
const RTL_SCRIPTS: &[&str] = &[
    "Arab", "Aran", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr",
];

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

impl Direction {
    /// The value of an HTML `dir` attribute.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// A tag that is not a usable language tag, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadTag {
    /// What is wrong, for the message.
    pub(crate) message: String,
    /// What to write, for the hint.
    pub(crate) hint: String,
}

/// Checks a language tag and returns it in its canonical case
/// (`fa-ir` -> `fa-IR`, `AZ-ARAB` -> `az-Arab`).
pub(crate) fn normalize(tag: &str) -> Result<String, BadTag> {
    let tag = tag.trim();
    let hint = "write a language code such as `en`, `ar`, `fa`, `fr`, `tr`, or a language with a region or script: `fr-CA`, `fa-IR`, `az-Arab`";
    let bad = |message: String| BadTag {
        message,
        hint: hint.to_string(),
    };
    if tag.is_empty() {
        return Err(bad("the language is empty".into()));
    }
    let (main, private) = match tag.to_ascii_lowercase().find("-x-") {
        Some(i) => (&tag[..i], Some(&tag[i + 3..])),
        None => (tag, None),
    };
    let mut parts = main.split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let known = match language.len() {
        2 => ISO_639_1.contains(&language.as_str()),
        3 => THREE_LETTER.contains(&language.as_str()),
        _ => false,
    };
    if !known {
        return Err(bad(format!(
            "`{tag}` is not a language tag: `{language}` is not a known language code"
        )));
    }
    let mut out = language;
    let mut step = 0; // 0: script may follow, 1: region may follow, 2: nothing
    for part in parts {
        let alpha = part.chars().all(|c| c.is_ascii_alphabetic());
        let digits = part.chars().all(|c| c.is_ascii_digit());
        if step == 0 && part.len() == 4 && alpha {
            let mut script = part.to_ascii_lowercase();
            script[..1].make_ascii_uppercase();
            out = [out.as_str(), "-", &script].concat();
            step = 1;
        } else if step <= 1 && ((part.len() == 2 && alpha) || (part.len() == 3 && digits)) {
            out = [out.as_str(), "-", &part.to_ascii_uppercase()].concat();
            step = 2;
        } else {
            return Err(bad(format!(
                "`{tag}` is not a language tag briefly accepts: `{part}` is neither a script (4 letters, `Arab`) nor a region (2 letters, `IR`) in its place"
            )));
        }
    }
    if let Some(private) = private {
        let ok = !private.is_empty()
            && private.split('-').all(|p| {
                (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if !ok {
            return Err(bad(format!(
                "`{tag}` has a private-use part (`-x-`) that is not 1-8 letters or digits per part"
            )));
        }
        out = [out.as_str(), "-x-", &private.to_ascii_lowercase()].concat();
    }
    Ok(out)
}

/// The writing direction of a (normalised) tag: its script's when it names
/// one, else its language's.
pub(crate) fn direction(tag: &str) -> Direction {
    let mut parts = tag.split('-').take_while(|p| !p.eq_ignore_ascii_case("x"));
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    if let Some(script) = parts.find(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return if RTL_SCRIPTS.iter().any(|s| s.eq_ignore_ascii_case(script)) {
            Direction::Rtl
        } else {
            Direction::Ltr
        };
    }
    if RTL_LANGUAGES.contains(&language.as_str()) {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

/// Names of common languages in themselves, for a site's language switcher
/// when `languages:` gives no `name` (a table rather than a CLDR crate:
/// these few names are all a policy site needs, and CLDR's display-name
/// data is megabytes).
const NATIVE_NAMES: &[(&str, &str)] = &[
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("tr", "Türkçe"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("he", "עברית"),
    ("ur", "اردو"),
    ("ru", "Русский"),
    ("ku", "Kurdî"),
    ("ckb", "کوردی"),
    ("ps", "پښتو"),
    ("az", "Azərbaycan dili"),
    ("hy", "Հայերեն"),
    ("ka", "ქართული"),
    ("el", "Ελληνικά"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("nl", "Nederlands"),
    ("uk", "Українська"),
    ("pl", "Polski"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("hi", "हिन्दी"),
];

/// A language's name in itself, when [`NATIVE_NAMES`] has the tag.
pub(crate) fn native_name(tag: &str) -> Option<&'static str> {
    NATIVE_NAMES
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(tag))
        .map(|&(_, name)| name)
}

/// The primary language subtag (`fa-IR` -> `fa`), for formats that want
/// only that (RIS `LA`, Typst's `lang`).
pub(crate) fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalize("fa").unwrap(), "fa");
        assert_eq!(normalize(" fa-ir ").unwrap(), "fa-IR");
        assert_eq!(normalize("AZ-arab").unwrap(), "az-Arab");
        assert_eq!(normalize("zh-hant-tw").unwrap(), "zh-Hant-TW");
        assert_eq!(normalize("es-419").unwrap(), "es-419");
        assert_eq!(normalize("ckb").unwrap(), "ckb");
        assert_eq!(normalize("en-x-Legal").unwrap(), "en-x-legal");
        assert_eq!(normalize("en_GB").unwrap(), "en-GB");
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in [
            "xx-nonsense",
            "xx",
            "english",
            "",
            "fa-IR-IR",
            "en-nonsense",
            "e",
            "ar-x-",
        ] {
            assert!(normalize(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn direction_follows_script_then_language() {
        for rtl in [
            "ar", "fa", "fa-IR", "he", "ur", "ps", "ckb", "az-Arab", "ku-Arab", "yi",
        ] {
            assert_eq!(direction(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en", "fr", "tr", "ku", "az", "ar-Latn", "en-x-rtl"] {
            assert_eq!(direction(ltr), Direction::Ltr, "{ltr}");
        }
        assert_eq!(primary("fa-IR"), "fa");
    }
}
