//! Building a stored index (see [`super::IndexView`] for its layout) in two
//! passes over the records' search texts: the first counts, per substring,
//! its records and the bytes of its delta-encoded postings; the second
//! writes every posting in place into one buffer of exactly that size. No
//! per-substring list is grown, so the memory is the postings themselves
//! and a small fixed record per substring. Each pass gathers a block of
//! (substring, record) hits and takes them in the order of the substrings'
//! top bits (a stable partition, so each substring's records still ascend):
//! the records of a block then touch the per-substring table region by
//! region instead of all over it.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{ENTRY, Width};

/// What is kept per substring while an index is built.
#[derive(Debug, Clone, Copy, Default)]
struct Gram {
    /// Records holding it.
    count: u32,
    /// The last record it was seen in.
    last: u32,
    /// First pass: bytes of its postings; second pass: where the next one goes.
    bytes: u64,
}

/// The per-substring records: a flat table for hashed six-byte substrings
/// (2^21 buckets), a map for trigrams (few of the 2^24 possible occur).
enum Grams {
    Dense(Vec<Gram>),
    Sparse(HashMap<u32, Gram>),
}

impl Grams {
    fn new(width: Width) -> Self {
        match width {
            Width::Six => Grams::Dense(vec![Gram::default(); 1 << 21]),
            Width::Three => Grams::Sparse(HashMap::new()),
        }
    }

    fn get(&mut self, gram: u32) -> &mut Gram {
        match self {
            // A hashed six-byte substring is below 2^21 (`Width::gram`).
            Grams::Dense(v) => &mut v[gram as usize & ((1 << 21) - 1)],
            Grams::Sparse(m) => m.entry(gram).or_default(),
        }
    }

    /// The substrings that occur, ascending.
    fn present(&self) -> Vec<u32> {
        match self {
            Grams::Dense(v) => (0u32..)
                .zip(v)
                .filter(|(_, g)| g.count > 0)
                .map(|(i, _)| i)
                .collect(),
            Grams::Sparse(m) => {
                let mut keys: Vec<u32> = m.keys().copied().collect();
                keys.sort_unstable();
                keys
            }
        }
    }
}

fn varint_len(mut v: u32) -> u64 {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// A stored index, built: its table (with the leading count) and postings.
pub(crate) struct StoredIndex {
    table: Vec<u8>,
    postings: Vec<u8>,
}

impl StoredIndex {
    /// Indexes `count` records; `text(i, out)` puts record `i`'s search
    /// text (its strings one a line) into `out`. Substrings never span two
    /// lines; records are numbered by their position.
    pub fn build(count: usize, width: Width, text: &mut dyn FnMut(usize, &mut String)) -> Self {
        Self::build_in_blocks(count, width, BLOCK, text)
    }

    /// [`StoredIndex::build`], gathering `block` hits at a time.
    pub(crate) fn build_in_blocks(
        count: usize,
        width: Width,
        block: usize,
        text: &mut dyn FnMut(usize, &mut String),
    ) -> Self {
        let mut grams = Grams::new(width);
        each_record(count, width, block, text, &mut |position, g| {
            let gram = grams.get(g);
            gram.bytes += varint_len(position - gram.last);
            gram.last = position;
            gram.count += 1;
        });
        let present = grams.present();
        let mut table = Vec::with_capacity(4 + present.len() * ENTRY);
        table.extend_from_slice(&(present.len() as u32).to_le_bytes());
        let mut offset = 0u64;
        for &g in &present {
            let gram = grams.get(g);
            table.extend_from_slice(&g.to_le_bytes());
            table.extend_from_slice(&gram.count.to_le_bytes());
            table.extend_from_slice(&offset.to_le_bytes());
            (offset, gram.bytes) = (offset + gram.bytes, offset);
            gram.last = 0;
        }
        let mut postings = vec![0u8; usize::try_from(offset).unwrap_or(usize::MAX)];
        each_record(count, width, block, text, &mut |position, g| {
            let gram = grams.get(g);
            let mut delta = position - gram.last;
            let mut at = gram.bytes as usize;
            loop {
                let byte = (delta & 0x7f) as u8;
                delta >>= 7;
                if delta == 0 {
                    postings[at] = byte;
                    at += 1;
                    break;
                }
                postings[at] = byte | 0x80;
                at += 1;
            }
            gram.bytes = at as u64;
            gram.last = position;
        });
        Self { table, postings }
    }

    /// Its length in bytes, as stored.
    pub fn len(&self) -> u64 {
        (self.table.len() + self.postings.len()) as u64
    }

    /// Writes it as stored.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.table)?;
        out.write_all(&self.postings)
    }
}

/// Hits gathered before they are taken in substring order (8 MB of them).
const BLOCK: usize = 1 << 20;

/// Calls `f(position, gram)` for each distinct substring of each record;
/// one substring's records come in ascending order.
fn each_record(
    count: usize,
    width: Width,
    block: usize,
    text: &mut dyn FnMut(usize, &mut String),
    f: &mut dyn FnMut(u32, u32),
) {
    let mut s = String::new();
    let mut grams: Vec<u32> = Vec::new();
    // Allocated once at their full size (a block is never overrun, unless
    // by one record holding more substrings than a block).
    let mut hits: Vec<(u32, u32)> = Vec::with_capacity(block.min(BLOCK));
    let mut ordered: Vec<(u32, u32)> = Vec::with_capacity(block.min(BLOCK));
    for i in 0..count {
        s.clear();
        text(i, &mut s);
        grams.clear();
        for line in s.split('\n') {
            grams.extend(width.grams(line.as_bytes()));
        }
        grams.sort_unstable();
        grams.dedup();
        let position = u32::try_from(i).unwrap_or(u32::MAX);
        if hits.len() + grams.len() > block {
            take_in_order(width, &mut hits, &mut ordered, f);
        }
        hits.extend(grams.iter().map(|&g| (g, position)));
    }
    take_in_order(width, &mut hits, &mut ordered, f);
}

/// Buckets by a substring's top ten bits.
const BUCKETS: usize = 1 << 10;

/// Hands `hits` to `f` partitioned by the substrings' top bits, keeping
/// their order within a bucket; empties `hits`.
fn take_in_order(
    width: Width,
    hits: &mut Vec<(u32, u32)>,
    ordered: &mut Vec<(u32, u32)>,
    f: &mut dyn FnMut(u32, u32),
) {
    // Trigrams have 24 bits, hashed six-byte substrings 21.
    let shift = match width {
        Width::Three => 14,
        Width::Six => 11,
    };
    let bucket = |g: u32| ((g >> shift) as usize).min(BUCKETS - 1);
    let mut next = vec![0usize; BUCKETS + 1];
    for &(g, _) in hits.iter() {
        next[bucket(g) + 1] += 1;
    }
    for b in 1..=BUCKETS {
        next[b] += next[b - 1];
    }
    ordered.clear();
    ordered.resize(hits.len(), (0, 0));
    for &h in hits.iter() {
        let b = bucket(h.0);
        ordered[next[b]] = h;
        next[b] += 1;
    }
    for &(g, position) in ordered.iter() {
        f(position, g);
    }
    hits.clear();
}
