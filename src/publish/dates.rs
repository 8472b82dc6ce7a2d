//! Dates in published files: Atom's `<updated>`/`<published>` and the
//! sitemap's `<lastmod>` read a brief's date text the same way here.
//!
//! Owns how a `YYYY-MM-DD` or RFC 3339 text becomes an instant (a day is
//! midnight UTC, a date-time without offset is UTC) and its RFC 3339 form.
//! Each producer chooses its own spelling from the result; this module
//! writes no XML and never fails loudly (a bad date is left out or kept as
//! written by the caller).

use jiff::Timestamp;
use jiff::civil::Date;

/// A date text read as an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Instant {
    /// The instant: midnight UTC for a plain day.
    pub(crate) at: Timestamp,
    /// The calendar day when the text was a plain `YYYY-MM-DD`.
    pub(crate) day: Option<Date>,
}

/// Reads a `YYYY-MM-DD` day, an RFC 3339 date-time, or a date-time without
/// offset (taken as UTC); surrounding whitespace is ignored. `None` for
/// anything else.
pub(crate) fn instant(text: &str) -> Option<Instant> {
    let text = text.trim();
    // A plain date only: jiff's `Date` parser also accepts date-times.
    if !text.contains(['T', 't', ' ']) {
        let day = text.parse::<Date>().ok()?;
        let at = day.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
        return Some(Instant { at, day: Some(day) });
    }
    let at = match text.parse::<Timestamp>() {
        Ok(ts) => ts,
        Err(_) => text
            .parse::<jiff::civil::DateTime>()
            .ok()?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp(),
    };
    Some(Instant { at, day: None })
}

/// Normalises a date for Atom: `2018-01-02` becomes `2018-01-02T00:00:00Z`
/// (midnight UTC); an RFC 3339 instant with any offset is converted to UTC
/// (`2018-01-02T10:00:00+03:30` becomes `2018-01-02T06:30:00Z`; fractional
/// seconds are kept when non-zero); a date-time without offset is taken as
/// UTC. Text that is none of these is returned trimmed but otherwise as
/// given (see [`try_rfc3339`] to detect that).
pub(crate) fn rfc3339(date: &str) -> String {
    try_rfc3339(date).unwrap_or_else(|| date.trim().to_string())
}

/// Like [`rfc3339`], but `None` when `date` is not a date or date-time.
pub(crate) fn try_rfc3339(date: &str) -> Option<String> {
    instant(date).map(|i| i.at.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_normalises() {
        assert_eq!(rfc3339("2018-01-02"), "2018-01-02T00:00:00Z");
        assert_eq!(rfc3339(" 2018-01-02 "), "2018-01-02T00:00:00Z");
        assert_eq!(rfc3339("2018-01-02T00:00:00Z"), "2018-01-02T00:00:00Z");
        assert_eq!(rfc3339("2018-01-02T10:00:00+03:30"), "2018-01-02T06:30:00Z");
        assert_eq!(rfc3339("2018-01-01T22:00:00-05:00"), "2018-01-02T03:00:00Z");
        assert_eq!(rfc3339("2018-01-02t10:00:00z"), "2018-01-02T10:00:00Z");
        assert_eq!(
            rfc3339("2018-01-02T10:00:00.250Z"),
            "2018-01-02T10:00:00.25Z"
        );
        assert_eq!(rfc3339("2018-01-02T10:00:00"), "2018-01-02T10:00:00Z");
        assert_eq!(rfc3339("2016-12-31T23:59:60Z"), "2016-12-31T23:59:59Z");
        // Not a date: returned as given (trimmed), and `try_rfc3339` says so.
        assert_eq!(rfc3339(" yesterday "), "yesterday");
        assert_eq!(try_rfc3339("2018-02-30"), None);
        assert_eq!(try_rfc3339(""), None);
        assert_eq!(
            try_rfc3339("2018-01-02").as_deref(),
            Some("2018-01-02T00:00:00Z")
        );
        // Idempotent.
        for s in [
            "2018-01-02",
            "2018-01-02T10:00:00+03:30",
            "2018-01-02T10:00:00.5Z",
        ] {
            assert_eq!(rfc3339(&rfc3339(s)), rfc3339(s));
        }
    }

    #[test]
    fn days_keep_their_calendar_date() {
        let day = instant(" 2018-01-02 ").map(|i| i.day.map(|d| d.to_string()));
        assert_eq!(day, Some(Some("2018-01-02".to_string())));
        assert_eq!(instant("2018-01-02T10:00:00Z").map(|i| i.day), Some(None));
    }
}
