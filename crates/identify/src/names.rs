//! Name and brand matching on token boundaries, with look-alike suppression:
//! every KB name, brand and look-alike is a token sequence; an occurrence
//! inside a longer occurrence (`micron` inside `ht micron`) does not count.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use supplyscreen_kb::Kb;
use supplyscreen_model::{EntityId, KbRef};

use crate::normalize::{CJK_FOLLOWERS, LEGAL_FORMS, Token, is_generic, tokens};

mod imported;

/// Who a name belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// An entity's name, or one of its brands.
    Entity {
        /// The entity.
        id: EntityId,
        /// The brand, when the name is a brand.
        brand: Option<String>,
    },
    /// Another company whose name contains an entity's name.
    Lookalike {
        /// The entity it must not be taken for.
        of: EntityId,
    },
}

/// One KB name as a token sequence.
#[derive(Debug, Clone)]
pub struct NameEntry {
    /// The name as written in the KB.
    pub text: String,
    /// Its tokens.
    pub tokens: Vec<String>,
    /// Its owner.
    pub owner: Owner,
    /// Where it is written.
    pub kb: KbRef,
    /// From an imported public-list layer, not the curated KB.
    pub imported: bool,
    /// A common word or another company's name too (the entity's
    /// `weak_names`): it counts only when the rest of the text is generic.
    pub weak: bool,
}

/// An occurrence of a KB name in some text.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    /// The name.
    pub entry: &'a NameEntry,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
}

impl Hit<'_> {
    /// True for a weak name written bare: no legal form anywhere in `toks`
    /// ("Cubic", not "Cubic Corporation"). Such a hit is never enough for a
    /// confident attribution.
    pub fn weak_and_bare(&self, toks: &[Token]) -> bool {
        self.entry.weak && !toks.iter().any(|t| LEGAL_FORMS.contains(&t.text.as_str()))
    }

    /// A weak name counts only when every other word of the text is generic
    /// (a legal form or trade word): "Cubic Corp." is the company,
    /// "Cubic Sensor and Instrument Co., Ltd." is another one.
    fn stands_alone(&self, toks: &[Token]) -> bool {
        !self.entry.weak
            || toks
                .iter()
                .enumerate()
                .all(|(i, t)| (self.start..self.end).contains(&i) || is_generic(&t.text))
    }

    /// True when this occurrence spans `other` and is longer (`ht micron`
    /// covers `micron`).
    pub fn covers(&self, other: &Hit<'_>) -> bool {
        self.start <= other.start
            && self.end >= other.end
            && self.end - self.start > other.end - other.start
    }
}

/// All KB names, indexed by their first token (names of one token) or by
/// their first two or three (longer names), so that a common opening
/// (`shenzhen`, `ooo`, `香港`) of an imported list does not make every text
/// with it try every name it begins.
#[derive(Debug, Default)]
pub struct NameIndex {
    entries: Vec<NameEntry>,
    /// Names of one token, by it.
    by_first: HashMap<String, Vec<usize>>,
    /// Longer names, by a hash of their opening tokens (all of them, up to
    /// `key_len`); a collision only adds candidates, which are compared
    /// token by token.
    by_pair: HashMap<u64, Vec<usize>>,
    pair_hasher: RandomState,
    /// The first tokens of the longer names.
    first_words: HashSet<String>,
    /// Curated single-word entity names of five letters or more: the names a
    /// typo may be taken for.
    fuzzy_targets: Vec<usize>,
    /// Bit `n` set when some fuzzy target has `n` characters.
    fuzzy_lengths: u64,
    /// The names of compact imported layers.
    imported: imported::ImportedNames,
}

impl NameIndex {
    /// Indexes every name, brand and look-alike of the KB. Names made only of
    /// generic words are left out: they never make a match alone.
    pub fn build(kb: &Kb) -> Self {
        let mut idx = NameIndex::default();
        for e in kb.entities() {
            let owner = |brand: Option<&str>| Owner::Entity {
                id: e.id.clone(),
                brand: brand.map(str::to_owned),
            };
            let weak: Vec<Vec<String>> =
                e.weak_names.iter().map(|n| name_tokens(&n.text)).collect();
            let imported = e.layer.is_some();
            let names = e.names.iter().chain(&e.weak_names).map(|n| (n, None));
            let brands = e
                .brands
                .iter()
                .map(|b| (&b.name, Some(b.name.text.as_str())));
            let mut seen: Vec<(Vec<String>, Option<&str>)> = Vec::new();
            for (n, brand) in names.chain(brands) {
                let toks = name_tokens(&n.text);
                if seen.iter().any(|(t, b)| *t == toks && *b == brand) {
                    continue;
                }
                let is_weak = weak.contains(&toks);
                seen.push((toks.clone(), brand));
                idx.add(&n.text, toks, owner(brand), &n.kb, (imported, is_weak));
            }
            for l in &e.lookalikes {
                let toks = name_tokens(&l.text);
                let owner = Owner::Lookalike { of: e.id.clone() };
                idx.add(&l.text, toks, owner, &l.kb, (imported, false));
            }
        }
        idx.index_fuzzy_targets();
        idx.imported = imported::ImportedNames::build(kb);
        idx
    }

    /// The primary name of an entity of a compact imported layer.
    pub fn imported_name(&self, id: &EntityId) -> Option<&str> {
        self.imported.entity_name(id)
    }

    fn index_fuzzy_targets(&mut self) {
        for (i, e) in self.entries.iter().enumerate() {
            let chars = e.tokens[0].chars().count();
            let eligible = !e.imported
                && e.tokens.len() == 1
                && (5..64).contains(&chars)
                && matches!(e.owner, Owner::Entity { .. });
            if eligible {
                self.fuzzy_targets.push(i);
                self.fuzzy_lengths |= 1 << chars;
            }
        }
    }

    /// Indexes one name; `flags` is (imported, weak).
    fn add(
        &mut self,
        text: &str,
        toks: Vec<String>,
        owner: Owner,
        kb: &KbRef,
        flags: (bool, bool),
    ) {
        let (imported, weak) = flags;
        if toks.is_empty() || toks.iter().all(|t| is_generic(t)) {
            return;
        }
        let at = self.entries.len();
        if let [first, _, ..] = toks.as_slice() {
            let key = self
                .pair_hasher
                .hash_one(&toks[..toks.len().min(key_len(first))]);
            self.by_pair.entry(key).or_default().push(at);
            if !self.first_words.contains(first) {
                self.first_words.insert(first.clone());
            }
        } else {
            self.by_first.entry(toks[0].clone()).or_default().push(at);
        }
        self.entries.push(NameEntry {
            text: text.to_owned(),
            tokens: toks,
            owner,
            kb: kb.clone(),
            imported,
            weak,
        });
    }

    /// The names occurring in `toks` that no longer name covers: entity names
    /// and the look-alikes that suppressed an entity name.
    pub fn find(&self, toks: &[Token]) -> Vec<Hit<'_>> {
        let mut hits = self.occurrences(toks);
        hits.retain(|h| h.stands_alone(toks));
        // Curated names (and look-alikes) first; an imported name counts only
        // where no curated name matched, so a public list never hides a KB entity.
        let (imported, curated): (Vec<Hit<'_>>, Vec<Hit<'_>>) =
            hits.into_iter().partition(|h| h.entry.imported);
        let mut kept = longest(&curated);
        let overlaps = |h: &Hit<'_>| kept.iter().any(|k| h.start < k.end && k.start < h.end);
        let mut extra: Vec<Hit<'_>> = longest(&imported)
            .into_iter()
            .filter(|h| !overlaps(h))
            .collect();
        // Several layers may list one organisation: the first (in KB order) stands for it.
        extra.dedup_by(|b, a| a.start == b.start && a.end == b.end);
        kept.extend(extra);
        kept
    }
}

impl NameIndex {
    /// Every occurrence of a KB name in `toks`, including those a longer
    /// name covers.
    pub fn occurrences(&self, toks: &[Token]) -> Vec<Hit<'_>> {
        let mut hits = Vec::new();
        let none: &[usize] = &[];
        for start in 0..toks.len() {
            let single = self
                .by_first
                .get(&toks[start].text)
                .map_or(none, Vec::as_slice);
            let opening = |n: usize| {
                let words: Vec<&String> = toks
                    .get(start..start + n)?
                    .iter()
                    .map(|t| &t.text)
                    .collect();
                let key = self.pair_hasher.hash_one(&words[..]);
                self.by_pair.get(&key).map(Vec::as_slice)
            };
            // In KB order, as when every name was listed under its first token.
            let mut cands: Vec<usize> = merged(single, opening(2).unwrap_or(none)).collect();
            let longest = key_len(&toks[start].text);
            let more: Vec<&[usize]> = (3..=longest).filter_map(opening).collect();
            if more.iter().any(|l| !l.is_empty()) {
                cands.extend(more.into_iter().flatten());
                cands.sort_unstable();
                cands.dedup();
            }
            for i in cands {
                let entry = &self.entries[i];
                let end = start + entry.tokens.len();
                if end <= toks.len() && matches_at(entry, toks, start) {
                    hits.push(Hit { entry, start, end });
                }
            }
            self.imported.hits_at(toks, start, &mut hits);
        }
        hits
    }

    /// Every indexed name, in KB order.
    pub fn entries(&self) -> &[NameEntry] {
        &self.entries
    }

    /// A curated single-word name (`micron`, `crucial`) that `word` is one
    /// slip away from, for typo evidence.
    pub fn fuzzy(&self, word: &str) -> Option<&NameEntry> {
        // Words with digits are codes and part numbers, not misspelt names.
        let chars = word.chars().count();
        if chars >= 64
            || self.fuzzy_lengths & (1 << chars) == 0
            || word.chars().any(|c| c.is_ascii_digit())
            || self.by_first.contains_key(word)
            || self.first_words.contains(word)
            || self.imported.has_first(word)
        {
            return None;
        }
        self.fuzzy_targets
            .iter()
            .map(|&i| &self.entries[i])
            .find(|e| crate::normalize::one_slip(word, &e.tokens[0]))
    }
}

/// A name's tokens as matched: `Co., Ltd.`, `Inc.`, `GmbH` at the end are
/// dropped, so that a name matches with or without its legal form.
fn name_tokens(text: &str) -> Vec<String> {
    let mut toks: Vec<String> = tokens(text).into_iter().map(|t| t.text).collect();
    while toks.len() > 1
        && toks
            .last()
            .is_some_and(|t| LEGAL_FORMS.contains(&t.as_str()))
    {
        toks.pop();
    }
    toks
}

/// How many opening tokens a name longer than one token is indexed by:
/// three words, or five characters for a name opening in CJK, where a
/// city's name (`深圳市`) opens thousands of company names.
fn key_len(first: &str) -> usize {
    if first.chars().next().is_some_and(crate::normalize::is_cjk) {
        5
    } else {
        3
    }
}

/// Two ascending lists of positions as one ascending sequence.
fn merged<'a>(a: &'a [usize], b: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x <= y => {
                i += 1;
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => return None,
        };
        Some(next)
    })
}

/// The hits no longer hit covers.
fn longest<'a>(hits: &[Hit<'a>]) -> Vec<Hit<'a>> {
    hits.iter()
        .copied()
        .filter(|h| !hits.iter().any(|g| g.covers(h)))
        .collect()
}

fn matches_at(entry: &NameEntry, toks: &[Token], start: usize) -> bool {
    let end = start + entry.tokens.len();
    if !entry
        .tokens
        .iter()
        .zip(&toks[start..end])
        .all(|(a, b)| *a == b.text)
    {
        return false;
    }
    let cjk = toks[start].cjk;
    !cjk || (!toks[start].joined_to_previous && cjk_end_ok(toks, end))
}

/// A CJK name must end its run of characters, or be followed by a legal-form,
/// trade or product word (美光科技, 美光内存), never by another name's characters.
fn cjk_end_ok(toks: &[Token], end: usize) -> bool {
    if end == toks.len() || !toks[end].joined_to_previous {
        return true;
    }
    let rest: String = toks[end..]
        .iter()
        .take(3)
        .map(|t| t.text.as_str())
        .collect();
    CJK_FOLLOWERS.iter().any(|w| rest.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use supplyscreen_kb::import::{Layer, ListedEntity, to_toml};
    use supplyscreen_kb::{KbFile, embedded_files};

    /// Every occurrence by trying every name at every position, as the
    /// index did when all names were listed under their first token.
    fn tried_everywhere(idx: &NameIndex, toks: &[Token]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for start in 0..toks.len() {
            for (i, entry) in idx.entries.iter().enumerate() {
                let end = start + entry.tokens.len();
                if end <= toks.len() && matches_at(entry, toks, start) {
                    out.push((i, start, end));
                }
            }
        }
        out
    }

    fn found(idx: &NameIndex, toks: &[Token]) -> Vec<(usize, usize, usize)> {
        let base = idx.entries.as_ptr();
        idx.occurrences(toks)
            .iter()
            .map(|h| {
                let i = (h.entry as *const NameEntry as usize - base as usize)
                    / std::mem::size_of::<NameEntry>();
                (i, h.start, h.end)
            })
            .collect()
    }

    #[test]
    fn names_sharing_their_opening_words_are_found_as_by_trying_every_name() {
        let openings = ["Shenzhen Huaxin", "香港星凯", "OOO", "Micron", "深圳市华鑫"];
        let entities: Vec<ListedEntity> = (0..120)
            .map(|i| ListedEntity {
                source_id: format!("NK-test-{i:04}"),
                name: format!(
                    "{} {} Trading {}",
                    openings[i % 5],
                    i / 5,
                    ["Co., Ltd.", "有限公司", "GmbH"][i % 3]
                ),
                aliases: vec![format!("{}{}", openings[(i + 1) % 5], i % 7)],
                ..ListedEntity::default()
            })
            .collect();
        let layer = Layer {
            name: "opensanctions".into(),
            hash: "sha256:00".into(),
            entities,
        };
        let mut files = embedded_files();
        files.push(KbFile {
            rel: "imports/opensanctions.toml".into(),
            display: "imports/opensanctions.toml".into(),
            text: to_toml(&layer, "entities.ftm.json", "2026-11-28"),
        });
        let kb = Kb::load(files).expect("the layer loads");
        let idx = NameIndex::build(&kb);
        let mut texts: Vec<String> = idx
            .entries
            .iter()
            .map(|e| format!("by {} x", e.text))
            .collect();
        texts.extend(
            [
                "香港星凯佳电子有限公司",
                "Shenzhen Huaxin 3 Trading Co",
                "Micron Technology DDR4",
                "美光内存",
            ]
            .map(String::from),
        );
        let mut hits = 0;
        for t in &texts {
            let toks = tokens(t);
            let want = tried_everywhere(&idx, &toks);
            assert_eq!(found(&idx, &toks), want, "{t:?}");
            hits += want.len();
        }
        assert!(hits > texts.len());
    }
}
