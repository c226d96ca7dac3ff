//! Single JSON documents printed by hardware tools (smartctl --json, nvme-cli,
//! lsblk, lshw): format detection by their keys, line numbers recovered by
//! searching the text in document order, and duplicate keys (which
//! `serde_json::Value` resolves silently to the last value) found.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::Summary;

/// Parses JSON like `serde_json::from_str::<Value>`, but a key repeated in
/// one object with another value is an error at the repeated key's value
/// (the same key with the same value is accepted).
pub fn parse_checked(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Checked.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Adds an error for the first key that a document repeats with another
/// value: which of the two a reader would use is a guess. The error is on
/// the line where the object holding the key closes.
pub fn check_duplicates(text: &str, summary: &mut Summary) {
    if let Err(e) = parse_checked(text) {
        let msg = e.to_string();
        let msg = msg
            .rsplit_once(" at line ")
            .map_or(msg.as_str(), |(m, _)| m);
        let msg = format!("{msg}, in the object that closes on this line");
        summary.error(e.line() as u64, msg);
    }
}

/// Builds a `Value`, rejecting objects that repeat a key with another value.
struct Checked;

impl<'de> DeserializeSeed<'de> for Checked {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Checked)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Checked)?;
            match out.get(&key) {
                Some(old) if *old != value => {
                    return Err(de::Error::custom(format!(
                        "duplicate key {key:?} with another value ({old} and {value})"
                    )));
                }
                Some(_) => {}
                None => {
                    out.insert(key, value);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// Finds the lines of successive strings in a text, moving forward only, so
/// that repeated keys are found in the order the document lists them.
pub struct LineFinder<'a> {
    text: &'a str,
    cursor: usize,
    line: u64,
}

impl<'a> LineFinder<'a> {
    /// Starts at the top of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            cursor: 0,
            line: 1,
        }
    }

    /// The 1-based line of the next occurrence of `needle`, moving past it.
    pub fn line_of(&mut self, needle: &str) -> Option<u64> {
        let at = self.cursor + self.text.get(self.cursor..)?.find(needle)?;
        self.line += self.text[self.cursor..at].matches('\n').count() as u64;
        self.cursor = at + needle.len();
        Some(self.line)
    }
}

/// A JSON scalar as text (strings trimmed; numbers and booleans printed).
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_repeated_with_another_value_is_an_error_at_its_line() {
        let text = "{\n \"Devices\": [{\"ModelNumber\": \"Micron_7450\"}],\n \"a\": {\"v\": 1, \"v\": 1},\n \"Devices\": []\n}\n";
        let e = parse_checked(text).expect_err("duplicate");
        assert_eq!(e.line(), 5);
        assert!(e.to_string().contains("duplicate key \"Devices\""), "{e}");
        let mut s = Summary::new(
            "n.json",
            crate::Format::from_name("nvme-list").expect("a format"),
            "UTF-8",
        );
        check_duplicates(text, &mut s);
        assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![5]);
        assert!(s.diagnostics[0].message.ends_with("closes on this line"));
        // Same value twice, nested and top level: accepted, as serde_json reads it.
        let ok = "[{\"vendor\": \"Micron\", \"x\": [1.5, null, true], \"vendor\": \"Micron\"}]";
        assert_eq!(
            parse_checked(ok).expect("valid"),
            serde_json::from_str::<Value>(ok).expect("valid")
        );
        assert!(parse_checked("{\"a\": {\"b\": 1, \"b\": 2}}").is_err());
    }

    #[test]
    fn finds_repeated_keys_in_order() {
        let text = "{\n \"a\": 1,\n \"id\": \"x\",\n \"b\": {\n  \"id\": \"y\"\n }\n}\n";
        let mut f = LineFinder::new(text);
        assert_eq!(f.line_of("\"id\""), Some(3));
        assert_eq!(f.line_of("\"id\""), Some(5));
        assert_eq!(f.line_of("\"id\""), None);
    }
}
