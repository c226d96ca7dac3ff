//! Single JSON documents printed by hardware tools (smartctl --json, nvme-cli,
//! lsblk, lshw): format detection by their keys, and line numbers recovered
//! by searching the text in document order.

use serde_json::Value;

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
    fn finds_repeated_keys_in_order() {
        let text = "{\n \"a\": 1,\n \"id\": \"x\",\n \"b\": {\n  \"id\": \"y\"\n }\n}\n";
        let mut f = LineFinder::new(text);
        assert_eq!(f.line_of("\"id\""), Some(3));
        assert_eq!(f.line_of("\"id\""), Some(5));
        assert_eq!(f.line_of("\"id\""), None);
    }
}
