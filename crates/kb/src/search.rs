//! Substring search over entity ids and names, for `kb search`: the entities
//! whose id, name or one of whose names contains the text, ignoring case,
//! in KB order. An index of the byte trigrams of the lowercased strings
//! narrows the entities to check; every candidate is then checked against
//! the text itself, so the index changes the speed, never the answer.
//! Posting lists are delta-encoded varints (about two bytes an entry): an
//! imported list of a million organisations indexes in about 150 MB.

use std::collections::HashMap;

use crate::Entity;

/// Fewer candidates than this are checked directly instead of intersected further.
const CHECK_DIRECTLY: usize = 64;

/// The entities (by position in KB order) containing each byte trigram.
#[derive(Debug, Clone, Default)]
pub struct EntitySearch {
    postings: HashMap<u32, Postings>,
}

/// The ascending entity positions holding one trigram, delta-encoded.
#[derive(Debug, Clone, Default)]
struct Postings {
    bytes: Vec<u8>,
    last: u32,
    count: u32,
}

impl Postings {
    fn push(&mut self, position: u32) {
        let mut delta = position - self.last;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                self.bytes.push(byte);
                break;
            }
            self.bytes.push(byte | 0x80);
        }
        self.last = position;
        self.count += 1;
    }

    fn decode(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.count as usize);
        let (mut at, mut shift, mut delta) = (0u32, 0, 0u32);
        for &b in &self.bytes {
            delta |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                at += delta;
                out.push(at);
                (shift, delta) = (0, 0);
            } else {
                shift += 7;
            }
        }
        out
    }
}

/// The strings of an entity that a search looks in.
fn strings(e: &Entity) -> impl Iterator<Item = &str> {
    [e.id.as_str(), e.name.as_str()]
        .into_iter()
        .chain(e.names.iter().map(|n| n.text.as_str()))
}

fn trigram(w: &[u8]) -> u32 {
    u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2])
}

/// True when `e` has `needle` (already lowercased) in its id or a name,
/// ignoring case: what `kb search` has always matched.
pub fn matches(e: &Entity, needle: &str) -> bool {
    strings(e).any(|s| s.to_lowercase().contains(needle))
}

impl EntitySearch {
    /// Indexes the entities, given in KB order.
    pub fn build<'k>(entities: impl Iterator<Item = &'k Entity>) -> Self {
        let mut postings: HashMap<u32, Postings> = HashMap::new();
        let mut grams: Vec<u32> = Vec::new();
        for (i, e) in entities.enumerate() {
            grams.clear();
            for s in strings(e) {
                let lower = s.to_lowercase();
                grams.extend(lower.as_bytes().windows(3).map(trigram));
            }
            grams.sort_unstable();
            grams.dedup();
            let position = u32::try_from(i).unwrap_or(u32::MAX);
            for &g in &grams {
                postings.entry(g).or_default().push(position);
            }
        }
        for p in postings.values_mut() {
            p.bytes.shrink_to_fit();
        }
        Self { postings }
    }

    /// The positions of the entities that may contain `needle` (lowercased,
    /// at least three bytes), ascending; `None` when the needle is too
    /// short to be narrowed by trigrams.
    pub fn candidates(&self, needle: &str) -> Option<Vec<u32>> {
        if needle.len() < 3 {
            return None;
        }
        let mut grams: Vec<u32> = needle.as_bytes().windows(3).map(trigram).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut lists = Vec::with_capacity(grams.len());
        for g in grams {
            match self.postings.get(&g) {
                Some(p) => lists.push(p),
                None => return Some(Vec::new()),
            }
        }
        lists.sort_by_key(|p| p.count);
        let mut found = lists.first().map(|p| p.decode()).unwrap_or_default();
        for p in lists.iter().skip(1) {
            if found.len() < CHECK_DIRECTLY {
                break;
            }
            let other = p.decode();
            found.retain(|x| other.binary_search(x).is_ok());
        }
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_small_and_large_gaps() {
        let positions = [0, 1, 2, 130, 20_000, 20_001, 3_000_000, u32::MAX - 1];
        let mut p = Postings::default();
        for &x in &positions {
            p.push(x);
        }
        assert_eq!(p.decode(), positions);
        assert_eq!(p.count as usize, positions.len());
    }
}
