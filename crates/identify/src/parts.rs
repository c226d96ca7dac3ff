//! Part-number matching: every KB pattern in one `RegexSet`, tried against
//! the candidates a field yields (the whole value, its hex decoding, its
//! tokens).

use regex::RegexSet;
use supplyscreen_kb::{Kb, PartPattern};
use supplyscreen_model::EntityId;

/// A candidate part number taken from a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Uppercased text to match.
    pub text: String,
    /// How it was obtained, when not verbatim.
    pub note: Option<String>,
}

/// All part-number patterns of the KB.
#[derive(Debug)]
pub struct PartIndex {
    set: RegexSet,
    rules: Vec<(EntityId, PartPattern)>,
}

impl PartIndex {
    /// Collects every entity's patterns.
    pub fn build(kb: &Kb) -> Self {
        let rules: Vec<(EntityId, PartPattern)> = kb
            .entities()
            .flat_map(|e| e.part_numbers.iter().map(|p| (e.id.clone(), p.clone())))
            .collect();
        // Each pattern compiled on its own at KB load, so the set compiles too.
        let set = RegexSet::new(rules.iter().map(|(_, p)| p.regex.as_str()))
            .unwrap_or_else(|_| RegexSet::empty());
        Self { set, rules }
    }

    /// The first rule (in KB order) matching a candidate.
    pub fn find(&self, candidate: &str) -> Option<&(EntityId, PartPattern)> {
        self.set
            .matches(candidate)
            .iter()
            .next()
            .map(|i| &self.rules[i])
    }
}

/// Candidates from a part-number field: the value, its ASCII decoding when
/// firmware printed it as hex, and its blank-separated words.
pub fn from_part_field(value: &str) -> Vec<Candidate> {
    let value = value.trim();
    let mut out = Vec::new();
    if let Some(decoded) = hex_ascii(value) {
        let note = format!("hex-encoded part number {value} decoded to {decoded}");
        out.push(Candidate {
            text: decoded.to_ascii_uppercase(),
            note: Some(note),
        });
    }
    out.push(Candidate {
        text: value.to_ascii_uppercase(),
        note: None,
    });
    out.extend(
        words(value)
            .into_iter()
            .filter(|w| w.text.len() < value.len()),
    );
    out
}

/// Candidates from a model string or free text: its words, and the pieces of
/// words joined by `-` (`M4-CT128M4SSD2`).
pub fn from_text(value: &str) -> Vec<Candidate> {
    let mut out = words(value);
    let pieces: Vec<Candidate> = out
        .iter()
        .filter(|c| c.text.contains('-'))
        .flat_map(|c| {
            c.text
                .split('-')
                .skip(1)
                .map(|p| Candidate {
                    text: p.to_owned(),
                    note: None,
                })
                .collect::<Vec<_>>()
        })
        .filter(|c| c.text.len() >= 6)
        .collect();
    out.extend(pieces);
    out
}

fn words(value: &str) -> Vec<Candidate> {
    value
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '_' | '/' | ',' | ';' | '(' | ')' | '[' | ']' | '|')
        })
        .filter(|w| w.len() >= 5)
        .map(|w| Candidate {
            text: w.to_ascii_uppercase(),
            note: None,
        })
        .collect()
}

/// Decodes `0x384A53...` or `4542...` to ASCII when it is hex of printable
/// text (trailing blanks and NULs dropped).
pub fn hex_ascii(value: &str) -> Option<String> {
    let hex = value.strip_prefix("0x").unwrap_or(value);
    if hex.len() < 16 || !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    let trimmed: &[u8] = {
        let end = bytes
            .iter()
            .rposition(|&b| b != 0 && b != b' ')
            .map_or(0, |i| i + 1);
        &bytes[..end]
    };
    let printable = !trimmed.is_empty() && trimmed.iter().all(|b| (0x20..0x7F).contains(b));
    printable.then(|| String::from_utf8_lossy(trimmed).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_hex_part_numbers_from_apple_firmware() {
        assert_eq!(
            hex_ascii("0x384A53463235363634485A2D314734443120").as_deref(),
            Some("8JSF25664HZ-1G4D1")
        );
        assert_eq!(
            hex_ascii("4542453231554538414653412D38472D4620").as_deref(),
            Some("EBE21UE8AFSA-8G-F")
        );
        assert_eq!(
            hex_ascii("0x435438473353313836444D2E4D3136464E00").as_deref(),
            Some("CT8G3S186DM.M16FN")
        );
        assert_eq!(hex_ascii("MTA18ASF2G72PZ"), None);
        assert_eq!(hex_ascii("0xFFFFFFFFFFFFFFFF"), None);
    }

    #[test]
    fn model_strings_yield_their_part_numbers() {
        let texts: Vec<String> = from_text("Crucial_CT250MX200SSD1")
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert!(texts.contains(&"CT250MX200SSD1".to_owned()));
        let texts: Vec<String> = from_text("M4-CT128M4SSD2")
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert!(texts.contains(&"CT128M4SSD2".to_owned()));
    }
}
