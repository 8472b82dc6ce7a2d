//! Dates as authors write them in front matter (`date:`, `updated:`, a
//! source's `date:`), including the forms that Hugo, Jekyll and WordPress
//! archives carry: `YYYY-MM-DD`, RFC 3339 (`2019-05-20T13:00:00Z`,
//! `…+02:00`), a space instead of the `T`, an offset after a space
//! (`2021-04-07 20:33:00 -0500`), and date-times without a zone, read in the
//! site's `timezone:`.
//!
//! Only parsing: the caller words the diagnostic (with [`ACCEPTED`]) and
//! decides what a bad date means for its file. The date library's own error
//! text never reaches users.

use std::borrow::Cow;

use jiff::civil::{Date, DateTime};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};

use crate::content::model::BriefDate;

/// The accepted forms, for hints.
pub(super) const ACCEPTED: &str = "write YYYY-MM-DD (2019-05-20), a date and time (2019-05-20 13:00:00 or 2019-05-20T13:00:00, read in site.yaml's `timezone:`), or one with a zone (2019-05-20T13:00:00Z, 2019-05-20T13:00:00+02:00, 2021-04-07 20:33:00 -0500)";

/// Why a date text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not one of the accepted forms.
    Form,
    /// The right form, but no such day or time (`2018-02-30`, `25:00`).
    NoSuchDate,
}

impl DateError {
    /// The reason in plain words, for the diagnostic's message.
    pub fn reason(self) -> &'static str {
        match self {
            DateError::Form => "not a date form briefly reads",
            DateError::NoSuchDate => "there is no such day or time in the calendar",
        }
    }
}

/// Parses a front matter date. A plain day sorts as its midnight in `zone`;
/// a date-time without a zone is read in `zone`. Forms accepted before
/// zones existed (`YYYY-MM-DD`, RFC 3339 with an offset) keep their text as
/// the machine-readable form, so existing sites render the same bytes.
pub fn parse_date(text: &str, zone: &TimeZone) -> Result<BriefDate, DateError> {
    let text = text.trim();
    if text.len() == 10 && !text.contains(['T', 't', ' ']) {
        return plain_day(text, zone);
    }
    let normal = offset_after_space(&padded_hour(text)).into_owned();
    let pieces = Pieces::parse(normal.as_str()).map_err(|_| shape_error(text))?;
    let time = pieces.time().ok_or(DateError::Form)?;
    if pieces.time_zone_annotation().is_some() {
        // `…[Europe/Paris]`: rare in archives; refuse rather than guess.
        return Err(DateError::Form);
    }
    let civil = pieces.date().to_datetime(time);
    match pieces.offset() {
        Some(PiecesOffset::Zulu) => with_offset(civil, Offset::UTC, text, normal == text),
        Some(offset) => with_offset(civil, offset.to_numeric_offset(), text, normal == text),
        None => {
            let zoned = civil
                .to_zoned(zone.clone())
                .map_err(|_| DateError::NoSuchDate)?;
            with_offset(civil, zoned.offset(), text, false)
        }
    }
}

fn plain_day(text: &str, zone: &TimeZone) -> Result<BriefDate, DateError> {
    let date: Date = text.parse().map_err(|_| shape_error(text))?;
    let sort_key = date
        .to_zoned(zone.clone())
        .map_err(|_| DateError::NoSuchDate)?
        .timestamp()
        .as_second();
    Ok(BriefDate {
        date,
        machine: text.to_string(),
        sort_key,
    })
}

/// A date-time at a known offset. `as_written` keeps the author's text as
/// the machine form (it is already RFC 3339); otherwise it is rewritten as
/// RFC 3339 with the offset.
fn with_offset(
    civil: DateTime,
    offset: Offset,
    text: &str,
    as_written: bool,
) -> Result<BriefDate, DateError> {
    let timestamp = offset
        .to_timestamp(civil)
        .map_err(|_| DateError::NoSuchDate)?;
    let machine = if as_written {
        text.to_string()
    } else {
        timestamp.display_with_offset(offset).to_string()
    };
    Ok(BriefDate {
        date: civil.date(),
        machine,
        sort_key: timestamp.as_second(),
    })
}

/// `2015-06-29 1:00:19 -0400` -> `2015-06-29 01:00:19 -0400`: a one-digit
/// hour, as WordPress exports write it and Hugo reads it (digital.gov's
/// archive has 298 of them).
fn padded_hour(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let one_digit = b.len() > 13
        && matches!(b[10], b' ' | b'T' | b't')
        && b[11].is_ascii_digit()
        && b[12] == b':';
    if one_digit {
        Cow::Owned(format!("{}0{}", &text[..11], &text[11..]))
    } else {
        Cow::Borrowed(text)
    }
}

/// `2021-04-07 20:33:00 -0500` (Jekyll, WordPress) -> `2021-04-07 20:33:00-0500`.
fn offset_after_space(text: &str) -> Cow<'_, str> {
    let Some((head, tail)) = text.rsplit_once(' ') else {
        return Cow::Borrowed(text);
    };
    let is_offset = (tail.starts_with(['+', '-'])
        && (tail.len() == 5 || tail.len() == 6 || tail.len() == 3)
        && tail[1..].bytes().all(|b| b.is_ascii_digit() || b == b':'))
        || tail.eq_ignore_ascii_case("z")
        || tail == "UTC";
    if !is_offset || !head.contains(':') {
        return Cow::Borrowed(text);
    }
    let tail = if tail == "UTC" { "Z" } else { tail };
    Cow::Owned([head, tail].concat())
}

/// `Form` unless the text starts like a date (`dddd-dd-dd`), in which case
/// the numbers are what is wrong.
fn shape_error(text: &str) -> DateError {
    let b = text.as_bytes();
    let shaped = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' '));
    if shaped {
        DateError::NoSuchDate
    } else {
        DateError::Form
    }
}

/// Reads `site.yaml`'s `timezone:` (an IANA name such as
/// `America/New_York`) with the system's time zone database.
pub(crate) fn time_zone(name: &str) -> Option<TimeZone> {
    if name.eq_ignore_ascii_case("utc") {
        return Some(TimeZone::UTC);
    }
    TimeZone::get(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Result<BriefDate, DateError> {
        parse_date(text, &TimeZone::UTC)
    }

    #[test]
    fn existing_forms_keep_their_text_and_order() {
        let d = utc("2018-01-02").unwrap();
        assert_eq!(
            (d.date.to_string(), d.machine.as_str()),
            ("2018-01-02".into(), "2018-01-02")
        );
        assert_eq!(d.sort_key, 1_514_851_200);
        let d = utc("2018-01-02T23:30:00-05:00").unwrap();
        assert_eq!(d.date.to_string(), "2018-01-02");
        assert_eq!(d.machine, "2018-01-02T23:30:00-05:00");
        assert_eq!(d.sort_key, 1_514_953_800);
    }

    #[test]
    fn archive_forms_are_accepted() {
        let z = utc("2019-05-20T13:00:00Z").unwrap();
        assert_eq!(z.machine, "2019-05-20T13:00:00Z");
        let spaced = utc("2019-05-20 13:00:00").unwrap();
        assert_eq!(spaced.sort_key, z.sort_key);
        assert_eq!(spaced.machine, "2019-05-20T13:00:00+00:00");
        let jekyll = utc("2021-04-07 20:33:00 -0500").unwrap();
        assert_eq!(jekyll.machine, "2021-04-07T20:33:00-05:00");
        assert_eq!(jekyll.date.to_string(), "2021-04-07");
        let colon = utc("2021-04-07 20:33:00 -04:00").unwrap();
        assert_eq!(colon.machine, "2021-04-07T20:33:00-04:00");
        assert_eq!(colon.sort_key + 3600, jekyll.sort_key);
        assert!(utc("2019-05-20T13:00").is_ok());
    }

    #[test]
    fn one_digit_hours_are_read() {
        let d = utc("2011-11-28 8:32:24 -0400").expect("one-digit hour");
        assert_eq!(d.machine, "2011-11-28T08:32:24-04:00");
        assert_eq!(d.date.to_string(), "2011-11-28");
        assert!(utc("2011-11-28T8:32:24Z").is_ok());
    }

    #[test]
    fn zone_less_times_are_read_in_the_site_zone() {
        let ny = time_zone("America/New_York").expect("tzdb has America/New_York");
        let d = parse_date("2019-05-20 13:00:00", &ny).unwrap();
        assert_eq!(d.machine, "2019-05-20T13:00:00-04:00");
        assert_eq!(d.sort_key, utc("2019-05-20T17:00:00Z").unwrap().sort_key);
        let winter = parse_date("2019-01-20T13:00:00", &ny).unwrap();
        assert_eq!(winter.machine, "2019-01-20T13:00:00-05:00");
        assert!(time_zone("America/Nowhere").is_none());
        assert!(time_zone("UTC").is_some());
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        assert_eq!(utc("2018-02-30"), Err(DateError::NoSuchDate));
        assert_eq!(utc("2018-01-02 25:00:00"), Err(DateError::NoSuchDate));
        assert_eq!(utc("2 Jan 2018"), Err(DateError::Form));
        assert_eq!(utc("2018"), Err(DateError::Form));
        assert_eq!(
            utc("2018-01-02T10:00:00[Europe/Paris]"),
            Err(DateError::Form)
        );
        assert_eq!(utc(""), Err(DateError::Form));
    }
}
