//! The `fields` of a screening item: column header to value, kept in the
//! order written (JSON objects are otherwise read into sorted maps, and a
//! table's column order is part of what its report shows).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Above this many fields, repeated names are found with a set.
const INDEXED_FIELDS: usize = 16;

/// One item's fields, in the order of the JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(pub Vec<(String, String)>);

/// A field value: a string, or a number or boolean written as JSON (a
/// quantity or price sent as a number is read as its text); `null` is empty.
struct Value(String);

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
                Ok(Value(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
                Ok(Value(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                Ok(Value(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
                Ok(Value(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
                Ok(Value(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of column header to value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                // A few fields are compared in place; many are indexed.
                let mut seen: Option<HashSet<String>> = None;
                while let Some((k, Value(v))) = map.next_entry::<String, Value>()? {
                    let twice = match &mut seen {
                        Some(set) => !set.insert(k.clone()),
                        None => out.iter().any(|(o, _)| *o == k),
                    };
                    if twice {
                        return Err(de::Error::custom(format!("field {k:?} is given twice")));
                    }
                    out.push((k, v));
                    if seen.is_none() && out.len() > INDEXED_FIELDS {
                        seen = Some(out.iter().map(|(k, _)| k.clone()).collect());
                    }
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_written_order_and_reads_numbers_as_text() -> Result<(), serde_json::Error> {
        let f: Fields = serde_json::from_str(
            r#"{"Vendor": "Micron", "Mfr Part #": "MTA18ASF4G72PDZ-3G2R1", "Qty": 64, "Note": null}"#,
        )?;
        let keys: Vec<&str> = f.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["Vendor", "Mfr Part #", "Qty", "Note"]);
        assert_eq!(f.0[2].1, "64");
        assert_eq!(f.0[3].1, "");
        Ok(())
    }

    #[test]
    fn refuses_a_repeated_header_and_nested_values() {
        assert!(serde_json::from_str::<Fields>(r#"{"A": "1", "A": "2"}"#).is_err());
        assert!(serde_json::from_str::<Fields>(r#"{"A": {"b": 1}}"#).is_err());
        // Past the fields compared in place, a repeat is still refused.
        let wide: Vec<String> = (0..40).map(|i| format!("\"C{i}\": \"v\"")).collect();
        let ok = format!("{{{}}}", wide.join(", "));
        assert_eq!(
            serde_json::from_str::<Fields>(&ok).map(|f| f.0.len()).ok(),
            Some(40)
        );
        let repeated = format!("{{{}, \"C3\": \"w\"}}", wide.join(", "));
        assert!(serde_json::from_str::<Fields>(&repeated).is_err());
    }
}
