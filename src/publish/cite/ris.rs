//! RIS: the record of [`ris`], with CRLF line endings.
//!
//! Owns RIS's tags and line format; names come from `names`. Knows nothing
//! of the other formats.

use std::fmt::Write as _;

use super::{CiteInput, authors, tidy};

/// An RIS record (`TY  - RPRT` … `ER  - `) with CRLF line endings, ending
/// in CRLF: one `AU` per author (`Family, Given`, or `Family, Given, Jr.`;
/// institutions as written), `TI`, `PY` (year), `DA` (`YYYY/MM/DD`), `PB`,
/// `UR`, `M3  - Policy brief` (the report type) and `LA` (the language
/// tag, `fa`; RIS leaves its form free, Zotero reads a tag). Blank fields are left
/// out; line breaks inside values become spaces. UTF-8.
pub(crate) fn ris(c: &CiteInput<'_>) -> String {
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
    lines.push(("LA", c.lang.to_string()));
    let mut out = String::new();
    for (tag, value) in lines {
        if !value.is_empty() {
            let _ = write!(out, "{tag}  - {value}\r\n");
        }
    }
    out.push_str("ER  - \r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::cite::tests::input;
    use jiff::civil::date;

    #[test]
    fn ris_record() {
        let c = input(vec!["Leila Haddad", "Tom Becker"], "Sanctions and the Rial");
        assert_eq!(
            ris(&c),
            "TY  - RPRT\r\nAU  - Haddad, Leila\r\nAU  - Becker, Tom\r\nTI  - Sanctions and the Rial\r\nPY  - 2018\r\nDA  - 2018/01/02\r\nPB  - Example Briefs\r\nUR  - https://org.github.io/briefs/sanctions/\r\nM3  - Policy brief\r\nLA  - en\r\nER  - \r\n"
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
}
