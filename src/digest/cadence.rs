//! The cadence of `[digest] every` (issue 14): a digest window ends on a
//! day, week (Monday) or month boundary, at the start of that day in the
//! site's time zone, whatever day and hour the job runs. Pure.
//!
//! Windows hold their end and not their start, so a window ends one second
//! before the boundary: an entry dated Monday (00:00) opens the new week.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::catalogue::Every;

/// The end of the last whole period before `now`: one second before the
/// latest boundary.
pub fn window_end(every: Every, zone: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    floor(every, zone, now) - TimeDelta::seconds(1)
}

/// When the digest after a window ending at `end` is due: the first
/// boundary after `end`'s period.
pub fn due(every: Every, zone: Tz, end: DateTime<Utc>) -> DateTime<Utc> {
    next(every, zone, end + TimeDelta::seconds(1))
}

/// The latest boundary at or before `at`.
pub fn floor(every: Every, zone: Tz, at: DateTime<Utc>) -> DateTime<Utc> {
    let day = at.with_timezone(&zone).date_naive();
    day_start(zone, period_start(every, day))
}

/// The first boundary after `at`.
pub fn next(every: Every, zone: Tz, at: DateTime<Utc>) -> DateTime<Utc> {
    let mut day = period_start(every, at.with_timezone(&zone).date_naive());
    // The period holding `at` starts at or before it; the next one after.
    for _ in 0..3 {
        let boundary = day_start(zone, day);
        if boundary > at {
            return boundary;
        }
        day = advance(every, day);
    }
    day_start(zone, day)
}

/// The first day of the period holding `day`.
fn period_start(every: Every, day: NaiveDate) -> NaiveDate {
    match every {
        Every::Day => day,
        Every::Week => {
            let back = u64::from(day.weekday().num_days_from_monday());
            day.checked_sub_days(Days::new(back)).unwrap_or(day)
        }
        Every::Month => day.with_day(1).unwrap_or(day),
    }
}

/// The first day of the period after the one starting on `day`.
fn advance(every: Every, day: NaiveDate) -> NaiveDate {
    let next = match every {
        Every::Day => day.checked_add_days(Days::new(1)),
        Every::Week => day.checked_add_days(Days::new(7)),
        Every::Month => day.checked_add_months(Months::new(1)),
    };
    next.unwrap_or(day)
}

/// When `day` begins in `zone`: local midnight, or in a zone whose clocks
/// jump forward at midnight, the first local time that exists.
fn day_start(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    (0..=96)
        .find_map(|quarter| {
            let time = NaiveTime::MIN + TimeDelta::minutes(15 * quarter);
            zone.from_local_datetime(&day.and_time(time)).earliest()
        })
        .map_or_else(|| day.and_time(NaiveTime::MIN).and_utc(), |at| at.to_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    const MADRID: Tz = chrono_tz::Europe::Madrid;

    #[test]
    fn weeks_run_monday_to_sunday_in_the_site_zone_across_the_autumn_change() {
        // Clocks go back on Sunday 2026-10-25 in Madrid: that week has 169 hours.
        let wednesday = at("2026-10-28T10:00:00Z");
        let monday = floor(Every::Week, MADRID, wednesday);
        assert_eq!(monday, at("2026-10-26T00:00:00+01:00"));
        let before = floor(Every::Week, MADRID, monday - TimeDelta::seconds(1));
        assert_eq!(before, at("2026-10-19T00:00:00+02:00"));
        assert_eq!((monday - before).num_hours(), 169);
        assert_eq!(next(Every::Week, MADRID, before), monday);
        // Sunday 23:30 local is still the week before.
        let sunday_night = at("2026-10-25T23:30:00+01:00");
        assert_eq!(floor(Every::Week, MADRID, sunday_night), before);
        assert_eq!(next(Every::Week, MADRID, sunday_night), monday);
    }

    #[test]
    fn days_and_months_follow_local_midnight_across_the_spring_change() {
        // Clocks go forward on Sunday 2026-03-29 in Madrid: a 23-hour day.
        let sunday = floor(Every::Day, MADRID, at("2026-03-29T20:00:00Z"));
        assert_eq!(sunday, at("2026-03-29T00:00:00+01:00"));
        let monday = next(Every::Day, MADRID, sunday);
        assert_eq!(monday, at("2026-03-30T00:00:00+02:00"));
        assert_eq!((monday - sunday).num_hours(), 23);
        let april = next(Every::Month, MADRID, at("2026-03-15T12:00:00Z"));
        assert_eq!(april, at("2026-04-01T00:00:00+02:00"));
        assert_eq!(
            floor(Every::Month, MADRID, at("2026-03-31T22:30:00Z")),
            april
        );
        assert_eq!(
            floor(Every::Month, MADRID, at("2026-03-31T21:59:59Z")),
            at("2026-03-01T00:00:00+01:00")
        );
    }

    #[test]
    fn a_window_ends_a_second_before_the_boundary_and_the_next_is_due_a_period_later() {
        let monday = at("2026-11-30T00:00:00Z");
        let end = window_end(Every::Week, chrono_tz::UTC, monday + TimeDelta::hours(30));
        assert_eq!(end, at("2026-11-29T23:59:59Z"));
        assert_eq!(
            due(Every::Week, chrono_tz::UTC, end),
            at("2026-12-07T00:00:00Z")
        );
        // A --since on a boundary: due at the next one.
        assert_eq!(
            due(Every::Week, chrono_tz::UTC, monday),
            at("2026-12-07T00:00:00Z")
        );
    }

    #[test]
    fn a_boundary_is_its_own_floor_and_the_next_is_one_period_later() {
        let monday = at("2026-11-30T00:00:00Z");
        assert_eq!(floor(Every::Week, chrono_tz::UTC, monday), monday);
        assert_eq!(
            next(Every::Week, chrono_tz::UTC, monday),
            at("2026-12-07T00:00:00Z")
        );
    }

    #[test]
    fn a_day_that_skips_midnight_starts_at_its_first_local_time() {
        // Santiago moved its clocks forward at midnight on 2022-09-11.
        let zone = chrono_tz::America::Santiago;
        let start = floor(Every::Day, zone, at("2022-09-11T12:00:00Z"));
        assert_eq!(start, at("2022-09-11T01:00:00-03:00"));
    }
}
