//! Explanations for `identify --explain`: why each piece of evidence weighs
//! what it weighs, and, for input that matched nothing, the KB names and
//! part-number patterns nearest to it with why each fell short.

use std::collections::HashSet;

use strsim::{damerau_levenshtein, normalized_damerau_levenshtein};
use supplyscreen_model::{Attribution, Confidence, EvidenceKind, Explanation, NearMiss, PieceWhy};

use crate::names::{Hit, NameEntry, Owner};
use crate::normalize::{Token, is_generic, one_slip, tokens};
use crate::{Identification, Matcher, parts};

/// Near misses shown at most.
const MAX_NEAR_MISSES: usize = 5;
/// A name at least this alike (percent) is near.
const NEAR_NAME: u8 = 65;
/// A part number at least this alike to a pattern's example is near.
const NEAR_PART: u8 = 75;

impl Matcher {
    /// Explains `id`, the identification of `text` by [`Matcher::identify_text`].
    pub fn explain(&self, text: &str, id: &Identification) -> Explanation {
        match &id.attribution {
            Some(a) => explain_attribution(a),
            None => Explanation {
                near_misses: self.near_misses(text),
                ..Explanation::default()
            },
        }
    }

    /// The KB names and patterns nearest to `text`, closest first.
    fn near_misses(&self, text: &str) -> Vec<NearMiss> {
        let toks = tokens(text);
        let mut all = self.shadowed_names(&toks);
        all.extend(self.name_near_misses(&toks));
        all.extend(self.pattern_near_misses(text));
        all.sort_by(|a, b| {
            (b.similarity, &a.candidate, &a.input).cmp(&(a.similarity, &b.candidate, &b.input))
        });
        // The closest name or pattern of each entity stands for it.
        let mut seen = HashSet::new();
        all.retain(|m| seen.insert(m.entity.clone()));
        all.truncate(MAX_NEAR_MISSES);
        all
    }

    /// Entity names that occur in the input only inside a look-alike's name.
    fn shadowed_names(&self, toks: &[Token]) -> Vec<NearMiss> {
        let hits = self.names.occurrences(toks);
        let lookalikes: Vec<&Hit<'_>> = hits
            .iter()
            .filter(|h| matches!(h.entry.owner, Owner::Lookalike { .. }))
            .collect();
        let mut out = Vec::new();
        for h in &hits {
            let Owner::Entity { id, .. } = &h.entry.owner else {
                continue;
            };
            let Some(l) = lookalikes.iter().find(|l| l.covers(h)) else {
                continue;
            };
            let phrase = phrase(&toks[l.start..l.end]);
            out.push(NearMiss {
                similarity: similarity(&phrase, &h.entry.tokens.join(" ")),
                why: format!(
                    "{:?} occurs only inside {:?}, another company listed as a look-alike at {}",
                    h.entry.text, l.entry.text, l.entry.kb
                ),
                input: phrase,
                candidate: h.entry.text.clone(),
                entity: id.clone(),
                kb: h.entry.kb.clone(),
            });
        }
        out
    }

    /// Entity names close to the input's words, with why each is not a match.
    fn name_near_misses(&self, toks: &[Token]) -> Vec<NearMiss> {
        let words = words(toks);
        let joined: String = toks.iter().map(|t| t.text.as_str()).collect();
        // Names that occur are matches (or shadowed by a look-alike), not near misses.
        let occurring = self.names.occurrences(toks);
        self.names
            .entries()
            .iter()
            .filter(|entry| !occurring.iter().any(|h| std::ptr::eq(h.entry, *entry)))
            .filter_map(|entry| {
                let Owner::Entity { id, .. } = &entry.owner else {
                    return None;
                };
                let c = compare(&words, &joined, entry)?;
                (c.shares_word || c.similarity >= NEAR_NAME).then(|| NearMiss {
                    input: c.input,
                    candidate: entry.text.clone(),
                    entity: id.clone(),
                    kb: entry.kb.clone(),
                    similarity: c.similarity,
                    why: c.why,
                })
            })
            .collect()
    }

    /// Part-number patterns whose documented examples the input resembles.
    fn pattern_near_misses(&self, text: &str) -> Vec<NearMiss> {
        let mut out = Vec::new();
        for cand in parts::from_part_field(text) {
            let cand = cand.text.as_ref();
            if cand.len() < 5 || !cand.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            for (entity, rule) in self.parts.rules() {
                let Some((example, similarity)) = rule
                    .examples
                    .iter()
                    .map(|ex| (ex, part_similarity(cand, ex)))
                    .max_by_key(|(_, s)| *s)
                else {
                    continue;
                };
                if similarity < NEAR_PART || rule.regex.is_match(cand) {
                    continue;
                }
                let truncated = rule
                    .examples
                    .iter()
                    .find(|ex| ex.to_ascii_uppercase().starts_with(cand));
                let why = match misread(cand, &rule.regex) {
                    _ if truncated.is_some() => format!(
                        "is the beginning of {:?}, a documented {} part number: cut short, too little to fit the pattern",
                        truncated.map_or("", String::as_str),
                        rule.kind
                    ),
                    Some(hint) => format!(
                        "fits the {} pattern only if {hint}: a misread or mistyped part number? (documented example {example:?})",
                        rule.kind
                    ),
                    None => format!(
                        "resembles {example:?}, a documented {} part number, but does not fit the pattern",
                        rule.kind
                    ),
                };
                out.push(NearMiss {
                    input: cand.to_owned(),
                    candidate: rule.regex.as_str().to_owned(),
                    entity: entity.clone(),
                    kb: rule.kb.clone(),
                    similarity,
                    why,
                });
            }
        }
        out
    }
}

/// Each piece with why it weighs what it weighs, and how the confidence follows.
fn explain_attribution(a: &Attribution) -> Explanation {
    let pieces = a
        .evidence
        .iter()
        .map(|e| (e, false))
        .chain(a.conflicts.iter().map(|e| (e, true)))
        .map(|(e, conflict)| PieceWhy {
            kind: e.kind,
            entity: e.entity.clone(),
            kb: e.kb.clone(),
            confidence: e.confidence,
            conflict,
            why: kind_why(e.kind).to_owned(),
        })
        .collect();
    let consequence = match a.confidence {
        Confidence::Low => "a restriction on it is reported as review, for a person to confirm",
        _ => "a restriction on it is reported as the directive decides",
    };
    Explanation {
        pieces,
        decision: Some(format!(
            "confidence {}: {}; {consequence}",
            a.confidence, a.reason
        )),
        near_misses: Vec::new(),
    }
}

/// Why a kind of evidence carries the confidence it does.
fn kind_why(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Jep106 => {
            "JEDEC assigns each JEP106 code to one company: high, or medium when the code was printed without its parity bit or with its bytes swapped"
        }
        EvidenceKind::PciVendor => {
            "PCI-SIG assigns each vendor id to one company: high, or medium for a subsystem vendor (the brand of a board that may carry another maker's chip)"
        }
        EvidenceKind::UsbVendor => "USB-IF assigns each vendor id to one company: high",
        EvidenceKind::Oui => {
            "the IEEE assigns each OUI to one company: medium, since a device sold under an OEM's name carries its maker's OUI"
        }
        EvidenceKind::PartNumber => {
            "the value follows a documented part-number grammar of the company: medium, since another maker's numbers could fit it"
        }
        EvidenceKind::Name => "the company's name or brand, as whole words, in a maker field: high",
        EvidenceKind::ModelName => "the company's name or brand in a model string: medium",
        EvidenceKind::FreeText => "a capitalised name or a part number in free text: low",
        EvidenceKind::FuzzyName => {
            "one keystroke (adjacent letters swapped, or a neighbouring key) from a distinctive KB name: low, so it goes to review unless other evidence agrees"
        }
    }
}

/// The input's words worth comparing: Latin words of three letters or more
/// that are not generic (`inc`, `technology`), and runs of adjacent CJK
/// characters.
fn words(toks: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in toks {
        match out.last_mut() {
            Some(last) if t.cjk && t.joined_to_previous => last.push_str(&t.text),
            _ => out.push(t.text.clone()),
        }
    }
    out.retain(|w| {
        let cjk = w.chars().any(crate::normalize::is_cjk);
        cjk || (w.len() >= 3 && !is_generic(w))
    });
    out
}

fn phrase(toks: &[Token]) -> String {
    toks.iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Normalised Damerau-Levenshtein similarity in percent.
fn similarity(a: &str, b: &str) -> u8 {
    (normalized_damerau_levenshtein(a, b) * 100.0).round() as u8
}

/// How alike a part number is to a documented example: as a whole, or to
/// the example's beginning when the input is shorter (a part number printed
/// without its speed or revision suffix).
fn part_similarity(cand: &str, example: &str) -> u8 {
    let example = example.to_ascii_uppercase();
    let whole = similarity(cand, &example);
    let head: String = example.chars().take(cand.chars().count()).collect();
    if cand.len() >= 6 && head.len() < example.len() {
        whole.max(similarity(cand, &head))
    } else {
        whole
    }
}

/// Letters and digits that print alike: if reading them the other way makes
/// `cand` fit `pattern`, says which.
fn misread(cand: &str, pattern: &regex::Regex) -> Option<String> {
    const ALIKE: [(char, char); 6] = [
        ('O', '0'),
        ('0', 'O'),
        ('I', '1'),
        ('1', 'I'),
        ('S', '5'),
        ('B', '8'),
    ];
    ALIKE.iter().find_map(|&(from, to)| {
        (cand.contains(from) && pattern.is_match(&cand.replace(from, &to.to_string())))
            .then(|| format!("{from:?} is read as {to:?}"))
    })
}

/// The input compared with one KB name.
struct Comparison {
    /// The part of the input compared.
    input: String,
    /// How alike, in percent.
    similarity: u8,
    /// Why it is not a match.
    why: String,
    /// Near whatever the similarity: a distinctive word of the name is there.
    shares_word: bool,
}

/// Compares the input's words (and all its letters, `joined`) with one KB name.
fn compare(words: &[String], joined: &str, entry: &NameEntry) -> Option<Comparison> {
    let spaced = words.join(" ");
    let name = &entry.text;
    let whole = |why: String, shares_word: bool| Comparison {
        similarity: similarity(&spaced, &entry.tokens.join(" ")),
        input: spaced.clone(),
        why,
        shares_word,
    };
    if joined == entry.tokens.concat() {
        return Some(whole(
            format!(
                "has the letters of {name:?} but split into words differently; names match on whole words"
            ),
            false,
        ));
    }
    let distinctive: Vec<&String> = entry.tokens.iter().filter(|t| !is_generic(t)).collect();
    if let Some(w) = words.iter().find(|w| distinctive.contains(w)) {
        return Some(whole(
            format!(
                "has {w:?} but not the rest of {name:?}; all of a name's words must appear, in order"
            ),
            true,
        ));
    }
    let (w, t) = words
        .iter()
        .flat_map(|w| distinctive.iter().map(move |t| (w, *t)))
        .max_by_key(|(w, t)| similarity(w, t))?;
    Some(Comparison {
        input: w.clone(),
        similarity: similarity(w, t),
        why: typo_why(w, t, entry),
        shares_word: false,
    })
}

/// Why a word close to a KB name's word is not taken for it.
fn typo_why(w: &str, t: &str, entry: &NameEntry) -> String {
    const TYPO: &str =
        "only a swap of adjacent letters or a neighbouring-key slip counts as a typo";
    if t.starts_with(w) {
        return format!("{w:?} is cut short of {t:?}; a name must appear as a whole word");
    }
    if w.starts_with(t) {
        return format!("{w:?} runs on past {t:?}; a longer word is a different word");
    }
    let d = damerau_levenshtein(w, t);
    let (wl, tl) = (w.chars().count(), t.chars().count());
    if d > 1 {
        return format!("{d} edits from {t:?}; typo evidence allows exactly one slip");
    }
    if wl != tl {
        let more = if wl > tl { "more" } else { "fewer" };
        return format!("{w:?} has one letter {more} than {t:?}; {TYPO}");
    }
    if one_slip(w, t) {
        return slip_not_taken(w, entry);
    }
    let (a, b) = w
        .chars()
        .zip(t.chars())
        .find(|(a, b)| a != b)
        .unwrap_or((' ', ' '));
    format!("{w:?} has {a:?} where {t:?} has {b:?}, keys that are not neighbours; {TYPO}")
}

/// Why a one-slip word did not become typo evidence.
fn slip_not_taken(w: &str, entry: &NameEntry) -> String {
    if w.chars().any(|c| c.is_ascii_digit()) {
        "one slip away, but a word with digits is read as a code, never as a misspelt name".into()
    } else if w.chars().count() < 5 {
        "one slip away, but typo matching needs words of five letters or more".into()
    } else if entry.imported {
        "one slip away, but typo matching covers curated names, not imported lists".into()
    } else {
        format!(
            "one slip away, but typo matching covers single-word names and {:?} has several",
            entry.text
        )
    }
}
