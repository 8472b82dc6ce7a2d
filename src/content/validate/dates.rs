//! Dates as authors write them in front matter (`date:`, `updated:`, a
//! source's `date:`): `YYYY-MM-DD` or RFC 3339 with a zone.
//!
//! Only parsing: the caller words the diagnostic and decides what a bad date
//! means for its file.

use crate::content::model::BriefDate;

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp with an offset.
pub fn parse_date(text: &str) -> Result<BriefDate, String> {
    let text = text.trim();
    if text.len() == 10
        && let Ok(date) = text.parse::<jiff::civil::Date>()
    {
        let sort_key = date
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .map_err(|e| e.to_string())?;
        return Ok(BriefDate {
            date,
            machine: text.to_string(),
            sort_key,
        });
    }
    let timestamp: jiff::Timestamp = text
        .parse()
        .map_err(|_| "expected YYYY-MM-DD or an RFC 3339 date-time with a zone".to_string())?;
    let civil: jiff::civil::DateTime = text.parse().map_err(|e: jiff::Error| e.to_string())?;
    Ok(BriefDate {
        date: civil.date(),
        machine: text.to_string(),
        sort_key: timestamp.as_second(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_plain_and_rfc3339() {
        assert_eq!(
            parse_date("2018-01-02").unwrap().date.to_string(),
            "2018-01-02"
        );
        let d = parse_date("2018-01-02T23:30:00-05:00").unwrap();
        assert_eq!(d.date.to_string(), "2018-01-02");
        assert!(parse_date("2018-02-30").is_err());
        assert!(parse_date("2 Jan 2018").is_err());
        assert!(
            parse_date("2018-01-02T10:00:00").is_err(),
            "a time needs a zone"
        );
    }
}
