//! Numbers, dates and plural categories per language.
//!
//! Plural categories come from ICU4X (`icu_plurals`, CLDR data compiled
//! in). Digits and month names come from the i18n files (`digits`,
//! `date_month_1`..`date_month_12`, `date_format`): a CLDR date crate
//! (`icu_datetime`) would bring calendars, time zones and patterns for a
//! dozen crates more where briefs need one day-month-year format.

use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

use super::{Language, Message, Piece};

/// `0123456789`.
pub(super) const LATIN_DIGITS: [char; 10] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/// The ten digits of a `digits` message, or `None` when it is not ten
/// decimal digits.
pub(super) fn digits_of(message: &Message) -> Option<[char; 10]> {
    let Message::Text(p) = message else {
        return None;
    };
    let [Piece::Text(text)] = p.pieces.as_slice() else {
        return None;
    };
    let chars: Vec<char> = text.trim().chars().collect();
    let digits: [char; 10] = chars.try_into().ok()?;
    digits.iter().all(|c| c.is_numeric()).then_some(digits)
}

/// `text` with its ASCII digits written in `digits`.
pub(super) fn localize_digits(text: &str, digits: &[char; 10]) -> String {
    if *digits == LATIN_DIGITS {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => digits[d as usize],
            _ => c,
        })
        .collect()
}

/// CLDR cardinal rules of a language code, or `None` when ICU does not
/// parse it (the caller then uses `one` for 1, `other` for the rest).
pub(super) fn plural_rules(code: &str) -> Option<PluralRules> {
    let locale = Locale::try_from_str(code).ok()?;
    PluralRules::try_new_cardinal((&locale).into()).ok()
}

/// The CLDR name of a category, as the i18n files and `Intl.PluralRules` write it.
pub(super) fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// A date in the language's `date_format` (`{day} {month} {year}`), with
/// its month names and digits (Gregorian calendar).
pub(super) fn date(lang: &Language, date: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "date_month_1",
        "date_month_2",
        "date_month_3",
        "date_month_4",
        "date_month_5",
        "date_month_6",
        "date_month_7",
        "date_month_8",
        "date_month_9",
        "date_month_10",
        "date_month_11",
        "date_month_12",
    ];
    let month_key = MONTHS[usize::from(date.month().clamp(1, 12) as u8) - 1];
    let month = lang.text(month_key);
    let args = [
        ("day", lang.number(date.day())),
        ("month", month.into_owned()),
        ("year", lang.number(date.year())),
    ];
    match lang.message("date_format") {
        Some(m) => lang.format(m, None, &args),
        None => Err(String::new()),
    }
    .unwrap_or_else(|_| date.strftime("%-d %B %Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_replaced() {
        let arabic = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];
        assert_eq!(localize_digits("2 of 2018", &arabic), "٢ of ٢٠١٨");
        assert_eq!(localize_digits("2018", &LATIN_DIGITS), "2018");
    }

    #[test]
    fn cldr_categories() {
        let ar = plural_rules("ar").unwrap();
        let cats: Vec<_> = [0u64, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| category_name(ar.category_for(*n)))
            .collect();
        assert_eq!(cats, ["zero", "one", "two", "few", "many", "other"]);
        let fr = plural_rules("fr").unwrap();
        assert_eq!(category_name(fr.category_for(0u64)), "one");
        assert_eq!(category_name(fr.category_for(2u64)), "other");
        let fa = plural_rules("fa").unwrap();
        assert_eq!(category_name(fa.category_for(1u64)), "one");
    }
}
