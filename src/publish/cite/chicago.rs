//! Chicago author-date text: the reference-list entry of [`formatted`].
//!
//! Owns Chicago's author list, title quoting and long dates; names come
//! from `names`, and nothing here is shared with the other formats.

use super::names::Name;
use super::{CiteInput, authors, month_index, tidy};

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
pub(crate) fn formatted(c: &CiteInput<'_>) -> String {
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

/// `January 2, 2018`.
fn long_date(date: jiff::civil::Date) -> String {
    format!(
        "{} {}, {}",
        MONTH_NAMES[month_index(date)],
        date.day(),
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::cite::tests::input;

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
}
