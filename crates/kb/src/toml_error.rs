//! TOML errors said plainly for the files people write by hand (KB
//! overlays, waivers, `supplyscreen.toml`).

/// The message of a TOML error; a date or time written without quotes
/// where text is expected says so (the parser only says it found a map).
pub fn toml_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    let value = e
        .span()
        .and_then(|s| text.get(s))
        .map(str::trim)
        .unwrap_or_default();
    let is_date = value.starts_with(|c: char| c.is_ascii_digit())
        && value.parse::<toml::value::Datetime>().is_ok();
    if is_date && message.starts_with("invalid type: map") {
        let wanted = message.split_once(", expected ").map_or("text", |(_, w)| w);
        return format!(
            "{value} is a TOML date, but {wanted} is expected here: write it in quotes (\"{value}\")"
        );
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Waiver {
        reason: String,
        expires: String,
    }

    #[test]
    fn a_date_where_text_is_expected_says_so() {
        let text = "reason = \"spares\"\nexpires = 2027-03-31\n";
        let e = toml::from_str::<Waiver>(text).expect_err("a date, not a string");
        assert_eq!(
            toml_message(text, &e),
            "2027-03-31 is a TOML date, but a string is expected here: write it in quotes (\"2027-03-31\")"
        );
        let text = "reason = 12\nexpires = \"2027-03-31\"\n";
        let e = toml::from_str::<Waiver>(text).expect_err("a number");
        assert_eq!(
            toml_message(text, &e),
            "invalid type: integer `12`, expected a string"
        );
    }
}
