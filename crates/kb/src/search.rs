//! Substring search over entity ids and names, for `kb search`: the entities
//! whose id, name or one of whose names contains the text, ignoring case,
//! in KB order. An index of the byte trigrams of the lowercased strings
//! narrows the entities to check; every candidate is then checked against
//! the text itself, so the index changes the speed, never the answer.
//! Posting lists are delta-encoded varints (about two bytes an entry): an
//! imported list of a million organisations indexes in about 150 MB.

use std::collections::HashMap;

use crate::Entity;

mod stored;
pub(crate) use stored::StoredIndex;

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
        crate::layer::codec::put_varint(&mut self.bytes, u64::from(position - self.last));
        self.last = position;
        self.count += 1;
    }
}

/// Positions from delta varints.
/// The positions in every postings list (`(count, bytes)`), shortest list
/// first; a list is not decoded once few candidates are left or it is much
/// longer than they are (checking the candidates directly is then cheaper),
/// so the answer may hold positions that a caller's check drops.
fn intersect(mut lists: Vec<(u32, &[u8])>) -> Vec<u32> {
    lists.sort_by_key(|(count, _)| *count);
    let mut found = lists
        .first()
        .map(|&(count, bytes)| decode(bytes, count))
        .unwrap_or_default();
    for &(count, bytes) in lists.iter().skip(1) {
        if found.len() < CHECK_DIRECTLY || count as usize > found.len() * 64 {
            break;
        }
        let other = decode(bytes, count);
        found.retain(|x| other.binary_search(x).is_ok());
    }
    found
}

fn decode(bytes: &[u8], count: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(count as usize);
    let (mut at, mut shift, mut delta) = (0u32, 0, 0u32);
    for &b in bytes {
        delta |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            at = at.wrapping_add(delta);
            out.push(at);
            (shift, delta) = (0, 0);
        } else {
            shift += 7;
        }
    }
    out
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
        Some(intersect(
            lists.into_iter().map(|p| (p.count, &p.bytes[..])).collect(),
        ))
    }
}

/// The positions of the records of `layer` whose id or a name contains
/// `needle` (lowercased), ascending: the stored index narrows, the search
/// text decides.
pub(crate) fn in_layer<'l>(
    layer: &'l crate::ImportedLayer,
    needle: &'l str,
) -> impl Iterator<Item = usize> + 'l {
    let (view, width) = if needle.len() >= 6 {
        (layer.index(Width::Six), Width::Six)
    } else {
        (layer.index(Width::Three), Width::Three)
    };
    let positions: Box<dyn Iterator<Item = usize>> = match view.candidates(needle, width) {
        Some(c) => Box::new(c.into_iter().map(|i| i as usize)),
        None => Box::new(0..layer.len()),
    };
    let finder = memchr::memmem::Finder::new(needle.as_bytes()).into_owned();
    positions.filter(move |&i| {
        layer
            .search_text(i)
            .is_some_and(|t| finder.find(t).is_some())
    })
}

/// Which substrings a stored index lists records by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Width {
    /// Byte trigrams, exactly.
    Three,
    /// Six-byte substrings, hashed into 2^21 buckets (which bounds the
    /// table): far fewer records share one, so long needles start from
    /// short lists. A collision only adds candidates, which are checked.
    Six,
}

impl Width {
    fn bytes(self) -> usize {
        match self {
            Width::Three => 3,
            Width::Six => 6,
        }
    }

    fn gram(self, w: &[u8]) -> u32 {
        match self {
            Width::Three => trigram(w),
            Width::Six => {
                let v = w
                    .iter()
                    .fold(0u64, |acc, &b| acc << 8 | u64::from(b))
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
                (v >> 43) as u32
            }
        }
    }

    fn grams(self, s: &[u8]) -> impl Iterator<Item = u32> + '_ {
        s.windows(self.bytes()).map(move |w| self.gram(w))
    }
}

/// Bytes per trigram in a stored index's table.
const ENTRY: usize = 16;

/// A stored trigram index, read where it lies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IndexView<'a> {
    table: &'a [u8],
    postings: &'a [u8],
}

fn le32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

impl<'a> IndexView<'a> {
    /// Checks a stored index: the table fits, trigrams ascend, offsets
    /// ascend within the postings. Returns the offset of the first fault.
    pub fn check(bytes: &[u8]) -> Result<(), usize> {
        let n = bytes
            .get(..4)
            .map(|_| le32(bytes, 0) as usize)
            .ok_or(0usize)?;
        let table_end = n
            .checked_mul(ENTRY)
            .and_then(|t| t.checked_add(4))
            .ok_or(0usize)?;
        if table_end > bytes.len() {
            return Err(0);
        }
        let postings = (bytes.len() - table_end) as u64;
        let mut last: Option<(u32, u64)> = None;
        for i in 0..n {
            let at = 4 + i * ENTRY;
            let (g, off) = (le32(bytes, at), le64(bytes, at + 8));
            let ascending = last.is_none_or(|(lg, lo)| g > lg && off >= lo);
            if !ascending || off > postings {
                return Err(at);
            }
            last = Some((g, off));
        }
        Ok(())
    }

    /// A view of an index [`IndexView::check`] accepted.
    pub fn new(bytes: &'a [u8]) -> Self {
        let n = bytes.get(..4).map_or(0, |_| le32(bytes, 0) as usize);
        let table_end = (4 + n * ENTRY).min(bytes.len());
        Self {
            table: &bytes[4.min(bytes.len())..table_end],
            postings: &bytes[table_end..],
        }
    }

    /// The postings of one trigram: its count and delta-encoded bytes.
    fn get(&self, gram: u32) -> Option<(u32, &'a [u8])> {
        let n = self.table.len() / ENTRY;
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let g = le32(self.table, mid * ENTRY);
            if g < gram {
                lo = mid + 1;
            } else if g > gram {
                hi = mid;
            } else {
                let at = mid * ENTRY;
                let start = usize::try_from(le64(self.table, at + 8)).ok()?;
                let end = if mid + 1 < n {
                    usize::try_from(le64(self.table, at + ENTRY + 8)).ok()?
                } else {
                    self.postings.len()
                };
                return Some((le32(self.table, at + 4), self.postings.get(start..end)?));
            }
        }
        None
    }

    /// The positions of the records that may contain `needle` (lowercased),
    /// ascending; `None` when the needle is shorter than a trigram. A long
    /// postings list is not decoded once few candidates are left: checking
    /// them directly is cheaper.
    pub fn candidates(&self, needle: &str, width: Width) -> Option<Vec<u32>> {
        if needle.len() < width.bytes() {
            return None;
        }
        let mut grams: Vec<u32> = width.grams(needle.as_bytes()).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut lists = Vec::with_capacity(grams.len());
        for g in grams {
            match self.get(g) {
                Some(p) => lists.push(p),
                None => return Some(Vec::new()),
            }
        }
        Some(intersect(lists))
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
        assert_eq!(decode(&p.bytes, p.count), positions);
        assert_eq!(p.count as usize, positions.len());
    }

    fn encode_index(texts: &[&str], width: Width) -> Vec<u8> {
        let index = StoredIndex::build(texts.len(), width, &mut |i, out| out.push_str(texts[i]));
        let mut bytes = Vec::new();
        index.write_to(&mut bytes).expect("written to memory");
        assert_eq!(index.len(), bytes.len() as u64);
        bytes
    }

    #[test]
    fn a_stored_index_gives_the_positions_holding_every_trigram() {
        let texts = [
            "os-a\nshenzhen huaxin",
            "os-b\nhuaxin trading",
            "os-c\n香港星凯",
        ];
        let bytes = encode_index(&texts, Width::Three);
        assert_eq!(IndexView::check(&bytes), Ok(()));
        let view = IndexView::new(&bytes);
        let three = |n: &str| view.candidates(n, Width::Three);
        assert_eq!(three("huaxin"), Some(vec![0, 1]));
        assert_eq!(three("星凯"), Some(vec![2]));
        assert_eq!(three("zzz"), Some(vec![]));
        // A trigram never spans two strings of one record.
        assert_eq!(three("b\nh"), Some(vec![]));
        assert_eq!(three("os"), None);
        assert_eq!(IndexView::check(&bytes[..6]), Err(0));
        let bytes = encode_index(&texts, Width::Six);
        let view = IndexView::new(&bytes);
        assert_eq!(view.candidates("huaxin tr", Width::Six), Some(vec![1]));
        assert_eq!(view.candidates("huaxi", Width::Six), None);
    }

    #[test]
    fn an_index_built_in_small_blocks_has_the_same_bytes() {
        let texts: Vec<String> = (0..300)
            .map(|i| format!("os-{i}\nshenzhen huaxin {}\n香港星凯 {}", i % 7, i % 13))
            .collect();
        for width in [Width::Three, Width::Six] {
            let bytes = |block| {
                let index =
                    StoredIndex::build_in_blocks(texts.len(), width, block, &mut |i, out| {
                        out.push_str(&texts[i])
                    });
                let mut bytes = Vec::new();
                index.write_to(&mut bytes).expect("written to memory");
                bytes
            };
            let whole = bytes(usize::MAX);
            assert_eq!(bytes(1), whole);
            assert_eq!(bytes(97), whole);
            assert!(whole.len() > 1000, "{}", whole.len());
        }
    }
}
