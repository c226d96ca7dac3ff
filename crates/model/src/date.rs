//! Calendar dates, exact and partial.
//!
//! A fact whose source gives only a year or a month is stored with that
//! precision (`2017`, `2006-03`), never padded to an invented day.

use std::fmt;

use serde::{Serialize, Serializer};

/// A civil calendar date.
pub type Date = jiff::civil::Date;

/// Why a date was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {value:?}: {why}")]
pub struct PartialDateError {
    /// The rejected text.
    pub value: String,
    /// What was wrong.
    pub why: String,
}

/// Parses a strict ISO `YYYY-MM-DD` date that exists in the calendar.
pub fn parse_iso_date(s: &str) -> Result<Date, PartialDateError> {
    match PartialDate::parse(s)? {
        PartialDate::Day(d) => Ok(d),
        _ => Err(PartialDateError {
            value: s.to_owned(),
            why: "expected a full date YYYY-MM-DD".into(),
        }),
    }
}

/// A date known to a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartialDate {
    /// Only the year is known.
    Year(i16),
    /// Year and month are known.
    Month(i16, i8),
    /// The full date is known.
    Day(Date),
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the date must exist.
    pub fn parse(s: &str) -> Result<Self, PartialDateError> {
        let err = |why: &str| PartialDateError {
            value: s.to_owned(),
            why: why.to_owned(),
        };
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = matches!(parts.as_slice(), [y] | [y, _] | [y, _, _] if y.len() == 4)
            && parts[1..].iter().all(|p| p.len() == 2);
        if !widths_ok || !s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return Err(err("expected YYYY, YYYY-MM or YYYY-MM-DD"));
        }
        let num = |p: &str| p.parse::<i16>().map_err(|_| err("not a number"));
        let year = num(parts[0])?;
        if !(1900..=2200).contains(&year) {
            return Err(err("year out of range 1900-2200"));
        }
        match parts.len() {
            1 => Ok(PartialDate::Year(year)),
            2 => {
                let month = num(parts[1])?;
                if !(1..=12).contains(&month) {
                    return Err(err("month out of range 01-12"));
                }
                Ok(PartialDate::Month(year, month as i8))
            }
            _ => {
                let (month, day) = (num(parts[1])?, num(parts[2])?);
                Date::new(year, month as i8, day as i8)
                    .map(PartialDate::Day)
                    .map_err(|_| err("no such day in the calendar"))
            }
        }
    }

    /// The first day the value can denote.
    pub fn earliest(self) -> Date {
        match self {
            PartialDate::Year(y) => Date::constant(y, 1, 1),
            PartialDate::Month(y, m) => Date::constant(y, m, 1),
            PartialDate::Day(d) => d,
        }
    }

    /// The last day the value can denote.
    pub fn latest(self) -> Date {
        match self {
            PartialDate::Year(y) => Date::constant(y, 12, 31),
            PartialDate::Month(y, m) => Date::constant(y, m, 1).last_of_month(),
            PartialDate::Day(d) => d,
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_keep_their_precision() {
        let y = PartialDate::parse("2017").expect("year");
        assert_eq!(y.earliest().to_string(), "2017-01-01");
        assert_eq!(y.latest().to_string(), "2017-12-31");
        let m = PartialDate::parse("2024-02").expect("month");
        assert_eq!(m.latest().to_string(), "2024-02-29");
        assert_eq!(m.to_string(), "2024-02");
        let d = PartialDate::parse("2013-07-31").expect("day");
        assert_eq!(d.earliest(), d.latest());
    }

    #[test]
    fn rejects_impossible_or_sloppy_dates() {
        for bad in [
            "2023-02-30",
            "2023-13",
            "23-05-21",
            "2023/05/21",
            "2023-5-21",
            "",
            "1800",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        assert!(parse_iso_date("2023-05").is_err());
        assert!(parse_iso_date("2023-05-21").is_ok());
    }
}
