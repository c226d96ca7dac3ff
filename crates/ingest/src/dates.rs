//! Dates as spreadsheets export them.

use supplyscreen_model::Date;

use crate::DateOrder;

/// Why a date cell or field was not read; each names the text as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputDateError {
    /// Day-first or month-first (`15/03/2024`): the order cannot be told.
    #[error(
        "ambiguous date {0:?}: day and month order unknown; write it as YYYY-MM-DD or pass --date-order dmy|mdy"
    )]
    Ambiguous(String),
    /// Not a date in any spelling we read.
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    Unrecognised(String),
    /// Spelt as a date, but no such day exists (`2023-02-30`) or the year is out of range.
    #[error("invalid date {0:?}: no such day in the calendar")]
    NoSuchDay(String),
}

/// Parses a date written as `2024-03-15`, `2024/3/15`, `2024.3.15`,
/// `20240315`, `2024年3月15日`, optionally followed by a time. Day-first and
/// month-first forms (`15/03/2024`) are ambiguous and rejected with a hint.
pub fn parse_input_date(text: &str) -> Result<Date, InputDateError> {
    parse_input_date_with(text, None)
}

/// Like [`parse_input_date`]; `order` says how to read `03/04/2024` (the
/// user's `--date-order`); without it such dates are ambiguous.
pub fn parse_input_date_with(text: &str, order: Option<DateOrder>) -> Result<Date, InputDateError> {
    let t = text.trim();
    let date_part = t.split([' ', 'T']).next().unwrap_or(t);
    let unified: String = date_part
        .trim_end_matches('日')
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let parts: Vec<&str> = unified.split('-').collect();
    let nums: Option<Vec<i32>> = parts.iter().map(|p| p.parse().ok()).collect();
    let ymd = match (parts.as_slice(), nums) {
        ([one], Some(_)) if one.len() == 8 => {
            let n = |r: std::ops::Range<usize>| one[r].parse::<i32>().unwrap_or(0);
            Some((n(0..4), n(4..6), n(6..8)))
        }
        ([y, _, _], Some(n)) if y.len() == 4 => Some((n[0], n[1], n[2])),
        ([_, _, y], Some(n)) if y.len() == 4 => match order {
            Some(DateOrder::Dmy) => Some((n[2], n[1], n[0])),
            Some(DateOrder::Mdy) => Some((n[2], n[0], n[1])),
            Some(DateOrder::Ymd) | None => {
                return Err(InputDateError::Ambiguous(text.to_owned()));
            }
        },
        _ => None,
    };
    let (y, m, d) = ymd.ok_or_else(|| InputDateError::Unrecognised(text.to_owned()))?;
    let fits = (1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    fits.then(|| Date::new(y as i16, m as i8, d as i8).ok())
        .flatten()
        .ok_or_else(|| InputDateError::NoSuchDay(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_spellings() {
        for s in [
            "2023-05-21",
            "2023/5/21",
            "2023.05.21",
            "20230521",
            "2023年5月21日",
            "2023-05-21 09:30:00",
            "2023-05-21T09:30",
        ] {
            assert_eq!(
                parse_input_date(s).map(|d| d.to_string()),
                Ok("2023-05-21".into()),
                "{s}"
            );
        }
    }

    #[test]
    fn rejects_ambiguous_and_impossible_dates() {
        assert_eq!(
            parse_input_date("21/05/2023"),
            Err(InputDateError::Ambiguous("21/05/2023".into()))
        );
        let impossible = parse_input_date("2023-02-30").expect_err("rejected");
        assert_eq!(impossible, InputDateError::NoSuchDay("2023-02-30".into()));
        assert!(impossible.to_string().contains("no such day"));
        assert_eq!(
            parse_input_date("next week"),
            Err(InputDateError::Unrecognised("next week".into()))
        );
        assert!(parse_input_date("45123").is_err());
    }

    #[test]
    fn a_stated_order_reads_day_first_and_month_first_dates() {
        let dmy = parse_input_date_with("03/04/2024", Some(DateOrder::Dmy));
        assert_eq!(dmy.map(|d| d.to_string()), Ok("2024-04-03".into()));
        let mdy = parse_input_date_with("03/04/2024", Some(DateOrder::Mdy));
        assert_eq!(mdy.map(|d| d.to_string()), Ok("2024-03-04".into()));
        assert!(parse_input_date_with("13/04/2024", Some(DateOrder::Mdy)).is_err());
        assert!(parse_input_date_with("03/04/2024", Some(DateOrder::Ymd)).is_err());
        let iso = parse_input_date_with("2024-03-04", Some(DateOrder::Dmy));
        assert_eq!(iso.map(|d| d.to_string()), Ok("2024-03-04".into()));
    }
}
