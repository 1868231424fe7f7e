//! Feed dates written by hand into a small fixed buffer (issue 5): the
//! bytes of chrono's `to_rfc3339` and `to_rfc2822`, without its formatting
//! machinery or a `String` per date. Years outside 0–9999 (which TOML
//! cannot express) go through chrono itself.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};

/// One formatted date; long enough for anything chrono writes for a
/// `DateTime<Utc>` (`+262143-12-31T23:59:60.999999999+00:00` is 38 bytes).
pub(crate) struct Stamp {
    bytes: [u8; 40],
    len: usize,
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const WEEKDAYS: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];

impl Stamp {
    fn new() -> Self {
        Self {
            bytes: [0; 40],
            len: 0,
        }
    }

    fn from_chrono(text: &str) -> Self {
        let mut stamp = Self::new();
        stamp.push(text.as_bytes());
        stamp
    }

    fn push(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(slot) = self.bytes.get_mut(self.len..end) {
            slot.copy_from_slice(bytes);
            self.len = end;
        }
    }

    /// `n` (below 100) as two digits.
    fn two(&mut self, n: u32) {
        self.push(&[b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8]);
    }

    /// `n` as exactly `width` digits (the leading ones dropped if longer).
    fn digits(&mut self, n: u32, width: u32) {
        for place in (0..width).rev() {
            self.push(&[b'0' + (n / 10u32.pow(place) % 10) as u8]);
        }
    }

    /// The date's ASCII bytes: digits, letters and `+-:., `, none of
    /// which XML escapes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    #[cfg(test)]
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap()
    }
}

/// `to_rfc3339` of the date as a `+00:00` offset: fractions only when not
/// zero, in groups of three digits.
pub(crate) fn rfc3339(utc: DateTime<Utc>) -> Stamp {
    let at = utc.naive_utc();
    let year = at.year();
    if !(0..=9999).contains(&year) {
        return Stamp::from_chrono(&utc.fixed_offset().to_rfc3339());
    }
    let mut stamp = Stamp::new();
    stamp.digits(year.unsigned_abs(), 4);
    stamp.push(b"-");
    stamp.two(at.month());
    stamp.push(b"-");
    stamp.two(at.day());
    stamp.push(b"T");
    time(&mut stamp, at);
    // Milli-, micro- or nanoseconds, the fewest that lose no digit.
    let nano = at.nanosecond() % 1_000_000_000;
    let (fraction, width) = match nano {
        0 => (0, 0),
        _ if nano.is_multiple_of(1_000_000) => (nano / 1_000_000, 3),
        _ if nano.is_multiple_of(1_000) => (nano / 1_000, 6),
        _ => (nano, 9),
    };
    if width > 0 {
        stamp.push(b".");
        stamp.digits(fraction, width);
    }
    stamp.push(b"+00:00");
    stamp
}

/// `to_rfc2822`: `Thu, 2 Jan 2020 00:00:00 +0000` (the day unpadded).
pub(crate) fn rfc2822(utc: DateTime<Utc>) -> Stamp {
    let at = utc.naive_utc();
    let year = at.year();
    if !(0..=9999).contains(&year) {
        return Stamp::from_chrono(&utc.to_rfc2822());
    }
    let mut stamp = Stamp::new();
    let weekday = at.weekday().num_days_from_sunday() as usize;
    stamp.push(WEEKDAYS.get(weekday).map_or(&[][..], |name| &name[..]));
    stamp.push(b", ");
    match at.day() {
        day @ 0..10 => stamp.digits(day, 1),
        day => stamp.two(day),
    }
    stamp.push(b" ");
    let month = at.month0() as usize;
    stamp.push(MONTHS.get(month).map_or(&[][..], |name| &name[..]));
    stamp.push(b" ");
    stamp.digits(year.unsigned_abs(), 4);
    stamp.push(b" ");
    time(&mut stamp, at);
    stamp.push(b" +0000");
    stamp
}

/// `HH:MM:SS`, a leap second (nanoseconds past a billion) as second 60.
fn time(stamp: &mut Stamp, at: NaiveDateTime) {
    stamp.two(at.hour());
    stamp.push(b":");
    stamp.two(at.minute());
    stamp.push(b":");
    stamp.two(at.second() + at.nanosecond() / 1_000_000_000);
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;

    fn dates() -> Vec<DateTime<Utc>> {
        let mut dates = Vec::new();
        let nanos = [0, 5_000_000, 120_000, 1, 999_999_999, 1_500_000_000];
        for (year, month, day) in [(2020, 1, 2), (1999, 12, 31), (2024, 2, 29), (1, 10, 10)] {
            for (i, nano) in nanos.iter().enumerate() {
                let hms = (i as u32 * 7 % 24, i as u32 * 13 % 60, 59);
                let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
                let time = date.and_hms_nano_opt(hms.0, hms.1, hms.2, *nano).unwrap();
                dates.push(Utc.from_utc_datetime(&time));
            }
        }
        dates.push(DateTime::<Utc>::default());
        dates.push(DateTime::<Utc>::MAX_UTC);
        dates
    }

    #[test]
    fn rfc3339_matches_chrono() {
        for at in dates() {
            assert_eq!(rfc3339(at).as_str(), at.fixed_offset().to_rfc3339());
        }
    }

    #[test]
    fn rfc2822_matches_chrono() {
        for at in dates().into_iter().filter(|at| at.year() <= 9999) {
            assert_eq!(rfc2822(at).as_str(), at.to_rfc2822());
        }
    }

    #[test]
    fn every_day_of_a_leap_year_matches_chrono() {
        let start = Utc.with_ymd_and_hms(2024, 1, 1, 23, 5, 9).unwrap();
        for day in 0..366 {
            let at = start + chrono::Duration::days(day);
            assert_eq!(rfc3339(at).as_str(), at.fixed_offset().to_rfc3339());
            assert_eq!(rfc2822(at).as_str(), at.to_rfc2822());
        }
    }
}
