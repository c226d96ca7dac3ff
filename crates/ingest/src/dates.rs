//! Dates as spreadsheets export them.

use supplyscreen_model::Date;

/// Parses a date written as `2024-03-15`, `2024/3/15`, `2024.3.15`,
/// `20240315`, `2024年3月15日`, optionally followed by a time. Day-first and
/// month-first forms (`15/03/2024`) are ambiguous and rejected with a hint.
pub fn parse_input_date(text: &str) -> Result<Date, String> {
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
        ([_, _, y], Some(_)) if y.len() == 4 => {
            return Err(format!(
                "ambiguous date {text:?}: day and month order unknown; write it as YYYY-MM-DD"
            ));
        }
        _ => None,
    };
    let (y, m, d) = ymd.ok_or_else(|| format!("invalid date {text:?}: expected YYYY-MM-DD"))?;
    let fits = (1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    fits.then(|| Date::new(y as i16, m as i8, d as i8).ok())
        .flatten()
        .ok_or_else(|| format!("invalid date {text:?}: no such day in the calendar"))
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
        assert!(
            parse_input_date("21/05/2023")
                .expect_err("rejected")
                .contains("ambiguous")
        );
        assert!(
            parse_input_date("2023-02-30")
                .expect_err("rejected")
                .contains("no such day")
        );
        assert!(parse_input_date("next week").is_err());
        assert!(parse_input_date("45123").is_err());
    }
}
