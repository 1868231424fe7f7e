//! Dates are normalised here, once: a bare TOML date is 00:00 in the site's
//! time zone, a local date-time is read in that zone, an offset date-time
//! keeps its offset; everything becomes UTC.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Utc,
};
use chrono_tz::Tz;
use toml::value::{Datetime, Offset};

/// Why a TOML datetime cannot be a catalogue date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateError {
    TimeOnly,
    OutOfRange,
    /// A local time that the zone skips (a daylight-saving gap).
    Nonexistent,
}

impl DateError {
    pub(crate) fn explain(self) -> (&'static str, &'static str) {
        match self {
            Self::TimeOnly => (
                "a time of day without a date",
                "write a date such as 2021-02-07, optionally with a time and offset",
            ),
            Self::OutOfRange => (
                "a date out of the supported range",
                "use a date between 1970-01-01 and 9999-12-31",
            ),
            Self::Nonexistent => (
                "a local time that does not exist in the site's time zone",
                "pick another time or write an explicit offset such as +01:00",
            ),
        }
    }
}

pub(crate) fn to_utc(value: &Datetime, zone: Tz) -> Result<DateTime<Utc>, DateError> {
    let date = value.date.ok_or(DateError::TimeOnly)?;
    let day = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        .ok_or(DateError::OutOfRange)?;
    let time = match value.time {
        Some(time) => NaiveTime::from_hms_nano_opt(
            time.hour.into(),
            time.minute.into(),
            time.second.unwrap_or(0).into(),
            time.nanosecond.unwrap_or(0),
        )
        .ok_or(DateError::OutOfRange)?,
        None => NaiveTime::MIN,
    };
    let local = NaiveDateTime::new(day, time);
    let utc = match value.offset {
        Some(Offset::Z) => local.and_utc(),
        Some(Offset::Custom { minutes }) => FixedOffset::east_opt(i32::from(minutes) * 60)
            .ok_or(DateError::OutOfRange)?
            .from_local_datetime(&local)
            .single()
            .ok_or(DateError::OutOfRange)?
            .with_timezone(&Utc),
        None => match zone.from_local_datetime(&local) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
            LocalResult::None => return Err(DateError::Nonexistent),
        },
    };
    // Feeds write four-digit years (RFC 2822 and 3339): 9999-12-31T23:00-05:00 is too late.
    if utc.timestamp() < 0 || utc.year() > 9999 {
        return Err(DateError::OutOfRange);
    }
    Ok(utc)
}

/// When `day` begins in the site's time zone (midnight, or UTC midnight
/// in the rare zone whose clocks skip it).
pub(crate) fn day_start(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    zone.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc))
}

/// The calendar day of an instant in the site's time zone.
pub(crate) fn day_in(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Datetime {
        text.parse().unwrap()
    }

    #[test]
    fn bare_date_is_midnight_in_the_site_zone() {
        let utc = to_utc(&parse("2021-02-07"), chrono_tz::UTC).unwrap();
        assert_eq!(utc.to_rfc3339(), "2021-02-07T00:00:00+00:00");
        let madrid = to_utc(&parse("2021-02-07"), chrono_tz::Europe::Madrid).unwrap();
        assert_eq!(madrid.to_rfc3339(), "2021-02-06T23:00:00+00:00");
        assert_eq!(
            day_in(madrid, chrono_tz::Europe::Madrid).to_string(),
            "2021-02-07"
        );
    }

    #[test]
    fn offset_datetime_keeps_its_offset() {
        let utc = to_utc(&parse("2021-02-07T10:30:00+02:00"), chrono_tz::Asia::Tokyo).unwrap();
        assert_eq!(utc.to_rfc3339(), "2021-02-07T08:30:00+00:00");
    }

    #[test]
    fn time_only_and_pre_epoch_are_refused() {
        assert_eq!(
            to_utc(&parse("10:30:00"), chrono_tz::UTC),
            Err(DateError::TimeOnly)
        );
        assert_eq!(
            to_utc(&parse("1969-12-31"), chrono_tz::UTC),
            Err(DateError::OutOfRange)
        );
        assert_eq!(
            to_utc(&parse("9999-12-31T23:59:59-01:00"), chrono_tz::UTC),
            Err(DateError::OutOfRange)
        );
        assert!(to_utc(&parse("9999-12-31T23:59:59Z"), chrono_tz::UTC).is_ok());
    }
}
