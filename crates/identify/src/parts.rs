//! Part-number matching: every KB pattern in one `RegexSet`, tried against
//! the candidates a field yields (the whole value, its hex decoding, its
//! tokens).

use std::borrow::Cow;

use regex::RegexSet;
use supplyscreen_kb::{Kb, PartPattern};
use supplyscreen_model::EntityId;

/// A candidate part number taken from a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// Uppercased text to match (borrowed when the field already is).
    pub text: Cow<'a, str>,
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
        // The KB compiled the combined set when it loaded (or failed to load).
        let parts = kb.part_set();
        Self {
            set: parts.set.clone(),
            rules: parts.rules.clone(),
        }
    }

    /// Every rule, in KB order, with the entity it belongs to.
    pub fn rules(&self) -> &[(EntityId, PartPattern)] {
        &self.rules
    }

    /// The first rule (in KB order) matching a candidate.
    pub fn find(&self, candidate: &str) -> Option<&(EntityId, PartPattern)> {
        // A KB has a few hundred patterns at most: the match flags live on the
        // stack, not in a fresh allocation per candidate.
        const ON_STACK: usize = 512;
        let mut stack = [false; ON_STACK];
        let mut heap = Vec::new();
        let flags = if self.rules.len() <= ON_STACK {
            &mut stack[..self.rules.len()]
        } else {
            heap.resize(self.rules.len(), false);
            &mut heap[..]
        };
        if !self.set.matches_read_at(flags, candidate, 0) {
            return None;
        }
        flags.iter().position(|&m| m).map(|i| &self.rules[i])
    }
}

/// Candidates from a part-number field, in the order they are tried: its
/// ASCII decoding when firmware printed it as hex, the value, its
/// blank-separated words, and what follows a series prefix joined by `-`
/// (`C300-CTFDDAC128MAG`). Made lazily: the first match ends the search.
pub fn from_part_field(value: &str) -> impl Iterator<Item = Candidate<'_>> {
    let value = value.trim();
    let decoded = hex_ascii(value).map(|decoded| Candidate {
        text: Cow::Owned(decoded.to_ascii_uppercase()),
        note: Some(format!(
            "hex-encoded part number {value} decoded to {decoded}"
        )),
    });
    let whole = std::iter::once_with(move || Candidate {
        text: upper(value),
        note: None,
    });
    decoded
        .into_iter()
        .chain(whole)
        .chain(words(value).filter(move |w| w.text.len() < value.len()))
        .chain(dash_pieces(value))
}

/// Candidates from a model string or free text: its words, and the pieces of
/// words joined by `-` (`M4-CT128M4SSD2`).
pub fn from_text(value: &str) -> Vec<Candidate<'_>> {
    let words: Vec<Candidate<'_>> = words(value).collect();
    let pieces: Vec<Candidate<'_>> = words
        .iter()
        .flat_map(|c| dash_pieces(&c.text))
        .map(|c| Candidate {
            text: Cow::Owned(c.text.into_owned()),
            note: None,
        })
        .collect();
    words.into_iter().chain(pieces).collect()
}

/// What follows each `-` of a word, when long enough to be a part number
/// (`M4-CT128M4SSD2`, `C300-CTFDDAC128MAG`); never the part before the first.
fn dash_pieces(word: &str) -> impl Iterator<Item = Candidate<'_>> {
    word.split('-')
        .skip(1)
        .filter(|p| p.len() >= 6)
        .map(|p| Candidate {
            text: upper(p),
            note: None,
        })
}

fn words(value: &str) -> impl Iterator<Item = Candidate<'_>> {
    value
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '_' | '/' | ',' | ';' | '(' | ')' | '[' | ']' | '|')
        })
        .filter(|w| w.len() >= 5)
        .map(|w| Candidate {
            text: upper(w),
            note: None,
        })
}

/// `text` in ASCII upper case, copied only when it has lowercase letters.
fn upper(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(text.to_ascii_uppercase())
    } else {
        Cow::Borrowed(text)
    }
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
    fn part_fields_yield_what_follows_a_series_prefix() {
        let texts: Vec<String> = from_part_field("C300-CTFDDAC128MAG")
            .map(|c| c.text.into_owned())
            .collect();
        assert_eq!(texts, ["C300-CTFDDAC128MAG", "CTFDDAC128MAG"]);
        let texts: Vec<String> = from_part_field("MT40A1G8SA-075:E")
            .map(|c| c.text.into_owned())
            .collect();
        assert_eq!(texts, ["MT40A1G8SA-075:E"]);
    }

    #[test]
    fn model_strings_yield_their_part_numbers() {
        let texts: Vec<String> = from_text("Crucial_CT250MX200SSD1")
            .into_iter()
            .map(|c| c.text.into_owned())
            .collect();
        assert!(texts.contains(&"CT250MX200SSD1".to_owned()));
        let texts: Vec<String> = from_text("M4-CT128M4SSD2")
            .into_iter()
            .map(|c| c.text.into_owned())
            .collect();
        assert!(texts.contains(&"CT128M4SSD2".to_owned()));
    }
}
